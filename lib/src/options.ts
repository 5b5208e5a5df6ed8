/**
 * Checks shared by functions and classes that take an options object.
 */

/**
 * Throws if `options` has a key not in `known`, naming the owner, the key and the known ones, so that a
 * misspelt option (`learningrate`) stops with a clear message instead of being silently ignored.
 */
export function rejectUnknownOptions(
  owner: string,
  options: object,
  known: readonly string[],
): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      throw new Error(`${owner}: unknown option "${key}" (known: ${known.join(", ")})`);
  }
}
