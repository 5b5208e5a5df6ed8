/**
 * Argument checks shared by the whole library, on plain values (the checks of a Matrix are in
 * core/matrix.ts, of a Random in core/random.ts). Each throws one message that names the function that was
 * called, the argument and what is wrong with it, so that a bad argument stops at the door instead of
 * deep inside a loop, and so that the code a chapter shows can validate in one line and then read like
 * its algorithm.
 *
 * Where data are checked for NaN and ±Infinity: once, where they enter the library. Every public entry
 * point that takes a data set (a network's or a neuron's inputs and targets, `fit`, `gradientCheck`,
 * `Standardizer`, the metrics, the figure builders) refuses a non-finite entry with the argument, row
 * and column (`"Network.predict: input contains NaN at (3, 1)"`). Inside, nothing checks again: a layer
 * inside a network and every batch of `fit` work on data that were checked before the first batch, so
 * the loops pay nothing. Element-wise arithmetic (`Matrix.add`, `affine`, `applyActivation`) follows
 * IEEE arithmetic instead, NaN in, NaN out, as `Math` does.
 */

/**
 * A value as a message shows it: strings quoted and called strings, so that "10" and 10 look different;
 * a Matrix by its shape, an array by its length, anything else by its kind.
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") {
    const shown =
      value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
    return `${shown} (a string)`;
  }
  if (isMatrixLike(value)) return `a ${value.shapeString} Matrix`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === "function") return "a function";
  if (value !== null && typeof value === "object") {
    const name = (value as object).constructor?.name;
    return name && name !== "Object" ? `a ${name}` : "an object";
  }
  return String(value);
}

/**
 * A Matrix, told by its shape string rather than by `instanceof`, so that this module, which every
 * other one imports, imports none of them (core/matrix.ts holds the checks that need the class).
 */
function isMatrixLike(value: unknown): value is { shapeString: string } {
  return (
    value !== null &&
    typeof value === "object" &&
    (value as object).constructor?.name === "Matrix" &&
    typeof (value as { shapeString?: unknown }).shapeString === "string"
  );
}

/** A number of any value (NaN and ±Infinity included), never a string that looks like one. */
export function checkNumberType(
  owner: string,
  name: string,
  value: unknown,
): asserts value is number {
  if (typeof value !== "number")
    throw new TypeError(`${owner}: ${name} must be a number, got ${describeValue(value)}`);
}

/** A finite number. */
export function checkFinite(owner: string, name: string, value: unknown): asserts value is number {
  checkNumberType(owner, name, value);
  if (!Number.isFinite(value))
    throw new RangeError(`${owner}: ${name} must be a finite number, got ${value}`);
}

/** A number in [low, high) (or [low, high] with `closed`), e.g. a momentum, a dropout rate. */
export function checkInRange(
  owner: string,
  name: string,
  value: unknown,
  [low, high]: readonly [number, number],
  closed = false,
): asserts value is number {
  checkNumberType(owner, name, value);
  if (!(value >= low && (closed ? value <= high : value < high)))
    throw new RangeError(
      `${owner}: ${name} must be in [${low}, ${high}${closed ? "]" : ")"}, got ${value}`,
    );
}

/** A boolean (not a truthy string or number). */
export function checkBoolean(
  owner: string,
  name: string,
  value: unknown,
): asserts value is boolean {
  if (typeof value !== "boolean")
    throw new TypeError(`${owner}: ${name} must be true or false, got ${describeValue(value)}`);
}

/** A string. */
export function checkString(owner: string, name: string, value: unknown): asserts value is string {
  if (typeof value !== "string")
    throw new TypeError(`${owner}: ${name} must be a string, got ${describeValue(value)}`);
}

/** A function (a callback). */
export function checkFunction(owner: string, name: string, value: unknown): void {
  if (typeof value !== "function")
    throw new TypeError(`${owner}: ${name} must be a function, got ${describeValue(value)}`);
}

/** An array (or typed array) of numbers, each a number (not a string). */
export function checkNumbers(owner: string, name: string, value: unknown): void {
  if (!Array.isArray(value) && !(ArrayBuffer.isView(value) && !(value instanceof DataView)))
    throw new TypeError(
      `${owner}: ${name} must be an array of numbers, got ${describeValue(value)}`,
    );
  const values = value as ArrayLike<unknown>;
  for (let i = 0; i < values.length; i++)
    if (typeof values[i] !== "number")
      throw new TypeError(
        `${owner}: ${name} must hold numbers, got ${describeValue(values[i])} at index ${i}`,
      );
}

/** One of a few names, with the closest one suggested for a misspelling. */
export function checkOneOf<T extends string>(
  owner: string,
  name: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return;
  const hint = typeof value === "string" ? didYouMean(value, allowed) : "";
  throw new (typeof value === "string" ? RangeError : TypeError)(
    `${owner}: ${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${describeValue(value)}${hint}`,
  );
}

/** The edit distance between two strings (insertions, deletions and substitutions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++)
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[y.length];
}

/** `; did you mean "learningRate"?` for the closest of `known` (if close enough), else "". */
export function didYouMean(word: string, known: readonly string[]): string {
  let best = "";
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const close = bestDistance <= Math.max(2, Math.floor(best.length / 3));
  return close ? `; did you mean "${best}"?` : "";
}

/** The most memory one allocation may ask for: past it a notebook's kernel would die instead of failing. */
export const MEMORY_LIMIT_BYTES = 2 ** 31;

/** "1.6 GB", "80 MB": a size in bytes as a message shows it. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toPrecision(3)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toPrecision(3)} MB`;
  return `${Math.ceil(bytes / 1e3)} kB`;
}

/**
 * Refuses, before allocating, what would not fit in memory: `count` items of about `bytesEach` bytes,
 * with a message saying how much it would take and what the limit is.
 */
export function checkFitsInMemory(
  owner: string,
  what: string,
  count: number,
  bytesEach: number,
): void {
  const bytes = count * bytesEach;
  if (bytes > MEMORY_LIMIT_BYTES)
    throw new RangeError(
      `${owner}: ${what} would take about ${formatBytes(bytes)} of memory, more than the ` +
        `${formatBytes(MEMORY_LIMIT_BYTES)} this library allows one allocation; use a smaller size`,
    );
}

/** A finite number greater than 0: a learning rate, a step size, an ε. */
export function checkPositive(owner: string, name: string, value: number): void {
  checkNumberType(owner, name, value);
  if (!(value > 0) || !Number.isFinite(value))
    throw new RangeError(
      `${owner}: ${name} must be a positive number, got ${describeValue(value)}`,
    );
}

/** A finite number ≥ 0: a regularisation strength, a range. */
export function checkNonNegative(owner: string, name: string, value: number): void {
  checkNumberType(owner, name, value);
  if (!(value >= 0) || !Number.isFinite(value))
    throw new RangeError(`${owner}: ${name} must be ≥ 0, got ${describeValue(value)}`);
}

/** An integer ≥ 1: a number of epochs, a batch size, a number of units. */
export function checkPositiveInteger(owner: string, name: string, value: number): void {
  checkNumberType(owner, name, value);
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(
      `${owner}: ${name} must be a positive integer, got ${describeValue(value)}`,
    );
}

/** An integer ≥ 0: a number of steps, an index. */
export function checkNonNegativeInteger(owner: string, name: string, value: number): void {
  checkNumberType(owner, name, value);
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(
      `${owner}: ${name} must be a non-negative integer, got ${describeValue(value)}`,
    );
}

/**
 * Throws if `options` has a key not in `known`, naming the owner, the key and the known ones, so that a
 * misspelt option (`learningrate`) stops with a clear message instead of being silently ignored.
 */
export function rejectUnknownOptions(
  owner: string,
  options: object,
  known: readonly string[],
): void {
  if (options === null || typeof options !== "object" || Array.isArray(options))
    throw new TypeError(
      `${owner}: options must be an object such as { ${known[0]}: … }, got ${describeValue(options)}`,
    );
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      throw new Error(
        `${owner}: unknown option "${key}"${didYouMean(key, known)} (known: ${known.join(", ")})`,
      );
  }
}
