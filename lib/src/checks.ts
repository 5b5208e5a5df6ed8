/**
 * Argument checks shared by the whole library. Each throws one message that names the function that was
 * called, the argument and what is wrong with it, so that a bad argument stops at the door instead of
 * deep inside a loop, and so that the code a chapter shows can validate in one line and then read like
 * its algorithm.
 */
import { Matrix } from "./matrix";
import { Random } from "./random";

/** A value as a message shows it: strings quoted, so that "10" and 10 look different. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Matrix) return `a ${value.shapeString} Matrix`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return String(value);
}

/** A finite number greater than 0: a learning rate, a step size, an ε. */
export function checkPositive(owner: string, name: string, value: number): void {
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value))
    throw new Error(`${owner}: ${name} must be a positive number, got ${describeValue(value)}`);
}

/** A finite number ≥ 0: a regularisation strength, a range. */
export function checkNonNegative(owner: string, name: string, value: number): void {
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value))
    throw new Error(`${owner}: ${name} must be ≥ 0, got ${describeValue(value)}`);
}

/** An integer ≥ 1: a number of epochs, a batch size, a number of units. */
export function checkPositiveInteger(owner: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${owner}: ${name} must be a positive integer, got ${describeValue(value)}`);
}

/** An integer ≥ 0: a number of steps, an index. */
export function checkNonNegativeInteger(owner: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0)
    throw new Error(
      `${owner}: ${name} must be a non-negative integer, got ${describeValue(value)}`,
    );
}

/**
 * Every entry finite; otherwise names the first that is not, as `"fit: training inputs contains NaN at
 * (2, 1)"` for a matrix or `"… at index 5"` for a plain array.
 */
export function assertFinite(values: Matrix | ArrayLike<number>, what: string): void {
  const data = values instanceof Matrix ? values.data : values;
  for (let p = 0; p < data.length; p++) {
    const v = data[p];
    if (!Number.isFinite(v)) {
      const where =
        values instanceof Matrix
          ? `(${Math.floor(p / values.cols)}, ${p % values.cols})`
          : `index ${p}`;
      throw new Error(`${what} contains ${describeValue(v)} at ${where}`);
    }
  }
}

/** A Matrix (not an array of rows, a number or null). */
export function checkMatrix(owner: string, name: string, value: unknown): asserts value is Matrix {
  if (!(value instanceof Matrix))
    throw new Error(
      `${owner}: ${name} must be a Matrix (e.g. Matrix.fromArray(rows)), got ${describeValue(value)}`,
    );
}

/** A seeded generator from this library. */
export function checkRandom(owner: string, name: string, value: unknown): asserts value is Random {
  if (!(value instanceof Random))
    throw new Error(
      `${owner}: ${name} must be a Random (e.g. new Random().fork("label")), got ${describeValue(value)}`,
    );
}

/** `M` has `rows` rows (when given) and `cols` columns; `what` says what the columns are. */
export function checkShape(
  owner: string,
  name: string,
  M: Matrix,
  shape: { rows?: number; cols: number; what?: string },
): void {
  const { rows, cols, what = "columns" } = shape;
  if ((rows !== undefined && M.rows !== rows) || M.cols !== cols) {
    const expected = rows === undefined ? `${cols} ${what}` : `${rows}×${cols}`;
    throw new Error(`${owner}: ${name} is ${M.shapeString}, expected ${expected}`);
  }
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
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      throw new Error(`${owner}: unknown option "${key}" (known: ${known.join(", ")})`);
  }
}
