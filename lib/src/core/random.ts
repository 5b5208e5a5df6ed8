/**
 * Seeded random numbers, so that every notebook run draws the same "random" weights,
 * shuffles and samples, and every figure in the book can be reproduced exactly.
 *
 * Built on the `seedrandom` package (its default ARC4-based generator), which turns any
 * string into a repeatable stream of uniform numbers in [0, 1); everything else here
 * (normal draws, integers, shuffles, random matrices) is derived from that stream. seedrandom
 * sets up the generator's state from the seed; the draws themselves come from the same ARC4
 * loop over a typed array (backends/arc4.ts), one at a time here or by the million in the
 * backend (the dropout masks), all from one state, so the stream is seedrandom's whichever
 * way it is drawn.
 */
import seedrandom from "seedrandom";
import { ARC4_STATE_BYTES, arc4Fill } from "../backends/arc4";
import { backend } from "../backends/select";
import { describeValue } from "./checks";
import { Matrix } from "./matrix";

/** The seed used when none is given. */
export const DEFAULT_SEED = "from-gates-to-digits";

/** Throws unless `x` is a finite number; `what` names the argument in the message. */
function checkFinite(what: string, x: number): void {
  if (typeof x !== "number")
    throw new TypeError(`${what} must be a number, got ${describeValue(x)}`);
  if (!Number.isFinite(x)) throw new RangeError(`${what} must be a finite number, got ${x}`);
}

/** Throws unless `low ≤ high`, both finite; `op` names the method in the message. */
function checkRange(op: string, low: number, high: number): void {
  checkFinite(`${op}: low`, low);
  checkFinite(`${op}: high`, high);
  if (low > high) throw new Error(`${op}: low (${low}) must not exceed high (${high})`);
}

/** Throws unless `mean` is finite and `std` is finite and ≥ 0. */
function checkNormal(op: string, mean: number, std: number): void {
  checkFinite(`${op}: mean`, mean);
  checkFinite(`${op}: std`, std);
  if (std < 0) throw new Error(`${op}: std must be ≥ 0, got ${std}`);
}

/** Rows and columns of a matrix to draw: non-negative integers. */
function checkSize(op: string, rows: number, cols: number): void {
  for (const [name, n] of [
    ["rows", rows],
    ["cols", cols],
  ] as const)
    if (!Number.isInteger(n) || n < 0)
      throw new (typeof n === "number" ? RangeError : TypeError)(
        `${op}: ${name} must be a non-negative integer, got ${describeValue(n)}`,
      );
}

/** An array (plain or typed) whose elements can be swapped in place. */
export interface ShuffleableArray<T> {
  length: number;
  [index: number]: T;
}

/**
 * A seeded random source. Two instances made with the same seed produce the same
 * sequence of draws; a number seed is used as its decimal string (so 7 and "7" agree).
 */
export class Random {
  /** The seed this generator was made from, as a string. */
  readonly seed: string;
  /** seedrandom's ARC4 state (S, i, j): every draw, single or bulk, advances this one state. */
  private readonly state = new Uint8Array(ARC4_STATE_BYTES);
  /** Where a single draw lands (one array, so that a draw allocates nothing). */
  private readonly one = new Float64Array(1);
  /** Box–Muller makes normal numbers in pairs; the second of a pair waits here. */
  private spareNormal: number | null = null;

  /** A generator seeded with `seed` (default {@link DEFAULT_SEED}). */
  constructor(seed: string | number = DEFAULT_SEED) {
    if (typeof seed === "number") checkFinite("Random: seed", seed);
    else if (typeof seed !== "string")
      throw new TypeError(`Random: seed must be a string or number, got ${typeof seed}`);
    this.seed = String(seed);
    const start = seedrandom(this.seed, { state: true }).state();
    this.state.set(start.S);
    this.state[256] = start.i;
    this.state[257] = start.j;
  }

  /** The next number of the stream, in [0, 1): seedrandom's `prng()`. */
  private next(): number {
    arc4Fill(this.state, this.one, null);
    return this.one[0];
  }

  /**
   * Fills `out` with the next uniform draws from [0, 1), the same numbers as `out.length` calls of
   * `uniform()`, generated in the backend (in WebAssembly, several times faster).
   */
  fillUniform(out: Float64Array): Float64Array {
    if (!(out instanceof Float64Array))
      throw new TypeError(`fillUniform: out must be a Float64Array, got ${describeValue(out)}`);
    backend().arc4Fill(this.state, out, null);
    return out;
  }

  /**
   * An inverted-dropout mask in `out`: one uniform draw u per entry, in order, stored as 1/keep where
   * u < keep and 0 elsewhere; the same draws as `fillUniform`, made into the mask as they are drawn.
   */
  dropoutMask(out: Float64Array, keep: number): Float64Array {
    if (!(out instanceof Float64Array))
      throw new TypeError(`dropoutMask: out must be a Float64Array, got ${describeValue(out)}`);
    checkFinite("dropoutMask: keep", keep);
    if (!(keep >= 0 && keep <= 1))
      throw new RangeError(`dropoutMask: keep must be in [0, 1], got ${keep}`);
    backend().arc4Fill(this.state, out, { keep, scale: 1 / keep });
    return out;
  }

  /** A number drawn uniformly from [low, high) (default [0, 1)). */
  uniform(low = 0, high = 1): number {
    checkRange("uniform", low, high);
    return low + (high - low) * this.next();
  }

  /** A standard normal draw (mean 0, std 1) by the Box–Muller transform. */
  private standardNormal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    // u1 lies in (0, 1], never 0, so the logarithm stays finite.
    const u1 = 1 - this.next();
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** A number drawn from the normal (Gaussian) distribution with this mean and std. */
  normal(mean = 0, std = 1): number {
    checkNormal("normal", mean, std);
    return mean + std * this.standardNormal();
  }

  /** An integer drawn uniformly from 0, 1, …, n − 1; `n` must be a positive integer. */
  int(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new RangeError(`int: n must be a positive integer, got ${describeValue(n)}`);
    }
    return Math.floor(this.next() * n);
  }

  /**
   * Shuffles `array` in place (Fisher–Yates: every order equally likely) and returns it.
   * Works on plain and typed arrays, e.g. to shuffle example indices once per epoch.
   */
  shuffle<A extends ShuffleableArray<unknown>>(array: A): A {
    if (!Array.isArray(array) && !ArrayBuffer.isView(array))
      throw new TypeError(`shuffle: array must be an array, got ${describeValue(array)}`);
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** The numbers 0, 1, …, n − 1 in random order. */
  permutation(n: number): number[] {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(
        `permutation: n must be a non-negative integer, got ${describeValue(n)}`,
      );
    }
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** A rows×cols matrix of independent draws from [low, high) (default [0, 1)). */
  uniformMatrix(rows: number, cols: number, low = 0, high = 1): Matrix {
    checkRange("uniformMatrix", low, high);
    checkSize("uniformMatrix", rows, cols);
    const m = new Matrix(rows, cols);
    const d = this.fillUniform(m.data);
    if (low !== 0 || high !== 1)
      for (let p = 0; p < d.length; p++) d[p] = low + (high - low) * d[p];
    return m;
  }

  /**
   * A rows×cols matrix of independent normal draws, e.g. initial weights
   * `normalMatrix(out, in, 0, 1 / Math.sqrt(in))`.
   */
  normalMatrix(rows: number, cols: number, mean = 0, std = 1): Matrix {
    checkNormal("normalMatrix", mean, std);
    checkSize("normalMatrix", rows, cols);
    const m = new Matrix(rows, cols);
    const d = m.data;
    for (let p = 0; p < d.length; p++) d[p] = mean + std * this.standardNormal();
    return m;
  }

  /**
   * A new, independent generator derived from this one's seed and `label` alone (not
   * from how many numbers were drawn so far), so each experiment in a notebook can have
   * its own stream, e.g. `rng.fork("weights")`, whatever order the cells run in.
   */
  fork(label: string): Random {
    if (typeof label !== "string")
      throw new TypeError(`fork: label must be a string, got ${typeof label}`);
    return new Random(JSON.stringify(["fork", this.seed, label]));
  }
}

/** Shorthand for `new Random(seed)`. */
export function randomSource(seed?: string | number): Random {
  return new Random(seed);
}

/** A seeded generator from this library. */
export function checkRandom(owner: string, name: string, value: unknown): asserts value is Random {
  if (!(value instanceof Random))
    throw new TypeError(
      `${owner}: ${name} must be a Random (e.g. new Random().fork("label")), got ${describeValue(value)}`,
    );
}
