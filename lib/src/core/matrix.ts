/**
 * A small dense matrix type: everything the book's networks compute is built on it.
 *
 * Storage is row-major in one `Float64Array`: entry (i, j) of an r×c matrix lives at
 * `data[i * cols + j]`, so each row is a contiguous run of `cols` numbers. With one
 * example per row, a mini-batch of inputs is one matrix and a layer's forward pass is
 * one matrix product, `Z = X·Wᵀ + b`, which is the fast way to do it.
 *
 * Every matrix product in the library goes through {@link gemm}, so a faster kernel
 * can later replace that one function without touching any caller; the loops
 * themselves are in backends/ (kernels.ts and kernels.wat), chosen by backends/select.ts.
 */
import {
  checkFitsInMemory,
  checkFunction,
  checkNumbers,
  checkNumberType,
  describeValue,
  rejectUnknownOptions,
} from "./checks";
import { backend } from "../backends/select";
import { overlaps, residentFloat64 } from "../backends/wasm";

/** Formats a shape as `rows×cols`, the way every message in the library writes it. */
function shapeOf(rows: number, cols: number): string {
  return `${rows}×${cols}`;
}

/** The error for an axis that is not 0, 1 or undefined: a TypeError for a string such as "0". */
function axisError(op: string, axis: unknown): Error {
  const Kind = typeof axis === "number" ? Error : TypeError;
  return new Kind(`${op}: axis must be 0, 1 or omitted, got ${describeValue(axis)}`);
}

/** Throws unless `n` is a non-negative integer (a valid row or column count). */
function checkDimension(what: string, n: number): void {
  checkNumberType("Matrix", what, n);
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`Matrix: ${what} must be a non-negative integer, got ${n}`);
  }
}

/** Throws unless `a` and `b` have the same shape; `op` names the operation in the message. */
function checkSameShape(op: string, a: Matrix, b: Matrix): void {
  checkMatrix(op, "the other operand", b);
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new Error(`${op}: shapes ${a.shapeString} and ${b.shapeString} differ`);
  }
}

/** Formats one entry for `toString`: at most 4 significant digits. */
function formatEntry(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  return String(Number(v.toPrecision(4)));
}

/** A row-major dense matrix of 64-bit floats. */
export class Matrix {
  /** Number of rows (with one example per row: the batch size). */
  readonly rows: number;
  /** Number of columns (with one example per row: the number of features). */
  readonly cols: number;
  /** The entries, row after row: (i, j) is at `data[i * cols + j]`. */
  readonly data: Float64Array;

  /**
   * Wraps `data` (used as-is, not copied) as a rows×cols matrix, or allocates zeros
   * when `data` is omitted. Throws if the sizes do not fit together.
   */
  constructor(rows: number, cols: number, data?: Float64Array) {
    checkDimension("rows", rows);
    checkDimension("cols", cols);
    checkFitsInMemory("Matrix", `a ${shapeOf(rows, cols)} matrix`, rows * cols, 8);
    if (data === undefined) {
      data = new Float64Array(rows * cols);
    } else if (!(data instanceof Float64Array)) {
      throw new TypeError(`Matrix: data must be a Float64Array, got ${describeValue(data)}`);
    } else if (data.length !== rows * cols) {
      throw new Error(
        `Matrix: data has ${data.length} values, but a ${shapeOf(rows, cols)} matrix needs ${rows * cols}`,
      );
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  // ---------------------------------------------------------------- construction

  /** A rows×cols matrix of zeros. */
  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  /** A rows×cols matrix with every entry equal to `value`. */
  static filled(rows: number, cols: number, value: number): Matrix {
    return new Matrix(rows, cols).fill(value);
  }

  /** The n×n identity matrix: ones on the diagonal, zeros elsewhere. */
  static identity(n: number): Matrix {
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  }

  /**
   * Copies a nested array, one inner array per row: `fromArray([[1, 2], [3, 4]])` is 2×2.
   * All rows must have the same length. An empty outer array gives a 0×0 matrix.
   */
  static fromArray(nested: ReadonlyArray<ReadonlyArray<number>>): Matrix {
    if (!Array.isArray(nested))
      throw new TypeError(
        `Matrix.fromArray: rows must be an array of rows such as [[1, 2], [3, 4]], got ${describeValue(nested)}`,
      );
    nested.forEach((row, i) => checkNumbers("Matrix.fromArray", `row ${i}`, row));
    const rows = nested.length;
    const cols = rows === 0 ? 0 : nested[0].length;
    const m = new Matrix(rows, cols);
    for (let i = 0; i < rows; i++) {
      const row = nested[i];
      if (row.length !== cols) {
        throw new Error(
          `Matrix.fromArray: row ${i} has ${row.length} values, but row 0 has ${cols}`,
        );
      }
      for (let j = 0; j < cols; j++) m.data[i * cols + j] = row[j];
    }
    return m;
  }

  /** Copies `values` into a 1×n row vector (the shape of a bias, or of one example). */
  static fromRow(values: ArrayLike<number>): Matrix {
    checkNumbers("Matrix.fromRow", "values", values);
    return new Matrix(1, values.length, Float64Array.from(values));
  }

  /** Copies `values` into an n×1 column vector. */
  static fromColumn(values: ArrayLike<number>): Matrix {
    checkNumbers("Matrix.fromColumn", "values", values);
    return new Matrix(values.length, 1, Float64Array.from(values));
  }

  /** A rows×cols matrix whose entry (i, j) is `fn(i, j)`. */
  static fromFunction(rows: number, cols: number, fn: (i: number, j: number) => number): Matrix {
    checkFunction("Matrix.fromFunction", "fn", fn);
    const m = new Matrix(rows, cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const v = fn(i, j);
        if (typeof v !== "number")
          throw new TypeError(
            `Matrix.fromFunction: fn(${i}, ${j}) must return a number, got ${describeValue(v)}`,
          );
        m.data[i * cols + j] = v;
      }
    }
    return m;
  }

  // ---------------------------------------------------------------- access

  /** Throws unless (i, j) is a valid position; `op` names the caller in the message. */
  private checkIndex(op: string, i: number, j: number): void {
    if (typeof i !== "number" || typeof j !== "number")
      throw new TypeError(
        `${op}: index (i, j) must be two numbers, got (${describeValue(i)}, ${describeValue(j)})`,
      );
    if (
      !Number.isInteger(i) ||
      !Number.isInteger(j) ||
      i < 0 ||
      j < 0 ||
      i >= this.rows ||
      j >= this.cols
    ) {
      throw new Error(`${op}: index (${i}, ${j}) is outside a ${this.shapeString} matrix`);
    }
  }

  /** Entry (i, j), bounds-checked. */
  get(i: number, j: number): number {
    this.checkIndex("get", i, j);
    return this.data[i * this.cols + j];
  }

  /** Sets entry (i, j) to `v`, bounds-checked. Returns this matrix. */
  set(i: number, j: number, v: number): this {
    this.checkIndex("set", i, j);
    checkNumberType("set", "value", v);
    this.data[i * this.cols + j] = v;
    return this;
  }

  /** `[rows, cols]`. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** The shape as text, e.g. `4×2`; every error message uses this form. */
  get shapeString(): string {
    return shapeOf(this.rows, this.cols);
  }

  /**
   * `Matrix 2×3 [[1, 2, 3], [4, 5, 6]]`: the shape, then the entries (4 significant
   * digits) for matrices up to 6×8; larger ones show their first rows and columns and `…`.
   */
  toString(): string {
    const maxRows = 6;
    const maxCols = 8;
    const lines: string[] = [];
    for (let i = 0; i < Math.min(this.rows, maxRows); i++) {
      const entries: string[] = [];
      for (let j = 0; j < Math.min(this.cols, maxCols); j++) {
        entries.push(formatEntry(this.data[i * this.cols + j]));
      }
      if (this.cols > maxCols) entries.push("…");
      lines.push(`[${entries.join(", ")}]`);
    }
    if (this.rows > maxRows) lines.push("…");
    return `Matrix ${this.shapeString} [${lines.join(", ")}]`;
  }

  /** The entries as a nested array, one inner array per row (the inverse of `fromArray`). */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }

  /** A copy of row i. */
  row(i: number): Float64Array {
    checkNumberType("row", "index", i);
    if (!Number.isInteger(i) || i < 0 || i >= this.rows) {
      throw new Error(`row: index ${i} is outside a ${this.shapeString} matrix`);
    }
    return this.data.slice(i * this.cols, (i + 1) * this.cols);
  }

  /** A copy of column j. */
  column(j: number): Float64Array {
    checkNumberType("column", "index", j);
    if (!Number.isInteger(j) || j < 0 || j >= this.cols) {
      throw new Error(`column: index ${j} is outside a ${this.shapeString} matrix`);
    }
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + j];
    return out;
  }

  /** An independent copy (new storage). */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /**
   * A rows×cols matrix of zeros placed in the WebAssembly backend's memory, where gemm and the
   * optimisers use it without copying (an ordinary one where that memory is unavailable or full):
   * for the long-lived matrices of training, a layer's parameters and gradients.
   */
  static resident(rows: number, cols: number): Matrix {
    checkDimension("rows", rows);
    checkDimension("cols", cols);
    return new Matrix(rows, cols, residentFloat64(rows * cols));
  }

  // ---------------------------------------------------------------- new matrices

  /** The transpose: a cols×rows matrix with entry (j, i) = this(i, j). */
  transpose(): Matrix {
    const { rows, cols, data } = this;
    const out = new Matrix(cols, rows);
    const o = out.data;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) o[j * rows + i] = data[i * cols + j];
    }
    return out;
  }

  /** A new matrix with entry (i, j) = `fn(this(i, j), i, j)`, e.g. an activation function. */
  map(fn: (v: number, i: number, j: number) => number): Matrix {
    checkFunction("map", "fn", fn);
    return this.clone().mapInPlace(fn);
  }

  /** Elementwise sum `this + other`; shapes must match. */
  add(other: Matrix): Matrix {
    checkSameShape("add", this, other);
    return this.clone().addInPlace(other);
  }

  /** Elementwise difference `this − other`; shapes must match. */
  sub(other: Matrix): Matrix {
    checkSameShape("sub", this, other);
    return this.clone().addInPlace(other, -1);
  }

  /**
   * Elementwise (Hadamard) product `this ⊙ other`, as in backpropagation's `δ ⊙ σ′(z)`: a new matrix, or
   * `out` (of the same shape, which may be `this` or `other`) written and returned.
   */
  mul(other: Matrix, out?: Matrix): Matrix {
    checkSameShape("mul", this, other);
    if (out === undefined) out = this.clone();
    else checkSameShape("mul", this, out);
    const o = out.data;
    const a = this.data;
    const b = other.data;
    for (let p = 0; p < o.length; p++) o[p] = a[p] * b[p];
    return out;
  }

  /** Every entry times the number `k`. */
  scale(k: number): Matrix {
    checkNumberType("scale", "k", k);
    return this.clone().scaleInPlace(k);
  }

  /**
   * Adds the 1×cols row vector `bias` to every row: the `+ b` of `Z = X·Wᵀ + b` when
   * X holds one example per row.
   */
  addRowVector(bias: Matrix): Matrix {
    checkRowVector("addRowVector", bias, this.cols);
    return addRowInto(this.clone(), bias);
  }

  /**
   * Sum of entries. Without `axis`: the total, a number. `axis = 0`: a 1×cols matrix of
   * column sums (summing over the examples of a batch, as for a bias gradient).
   * `axis = 1`: a rows×1 matrix of row sums.
   */
  sum(): number;
  sum(axis: 0 | 1): Matrix;
  sum(axis?: 0 | 1): number | Matrix;
  sum(axis?: 0 | 1): number | Matrix {
    const { rows, cols, data } = this;
    if (axis === undefined) {
      let s = 0;
      for (let p = 0; p < data.length; p++) s += data[p];
      return s;
    }
    if (axis === 0) {
      const out = new Matrix(1, cols);
      const o = out.data;
      for (let i = 0; i < rows; i++) {
        const base = i * cols;
        for (let j = 0; j < cols; j++) o[j] += data[base + j];
      }
      return out;
    }
    if (axis === 1) {
      const out = new Matrix(rows, 1);
      for (let i = 0; i < rows; i++) {
        let s = 0;
        const base = i * cols;
        for (let j = 0; j < cols; j++) s += data[base + j];
        out.data[i] = s;
      }
      return out;
    }
    throw axisError("sum", axis);
  }

  /**
   * Mean of entries, with `axis` as in {@link Matrix.sum}. Throws if there is nothing to
   * average (a mean over zero entries is undefined).
   */
  mean(): number;
  mean(axis: 0 | 1): Matrix;
  mean(axis?: 0 | 1): number | Matrix;
  mean(axis?: 0 | 1): number | Matrix {
    if (axis !== undefined && axis !== 0 && axis !== 1) {
      throw axisError("mean", axis);
    }
    const count = axis === undefined ? this.rows * this.cols : axis === 0 ? this.rows : this.cols;
    if (count === 0) {
      throw new Error(`mean: a ${this.shapeString} matrix has no entries to average`);
    }
    const s = this.sum(axis);
    return typeof s === "number" ? s / count : s.scaleInPlace(1 / count);
  }

  /**
   * For each row, the column index of its largest entry (the first one on ties): the
   * predicted class when each row holds one example's scores. A row holding NaN has no
   * largest entry, so it is refused with its row and column rather than answered with 0.
   */
  argmaxRows(): number[] {
    const { rows, cols, data } = this;
    if (cols === 0 && rows > 0) {
      throw new Error(`argmaxRows: a ${this.shapeString} matrix has no columns`);
    }
    const out: number[] = new Array(rows);
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      let best = 0;
      let bestValue = -Infinity;
      let found = false;
      for (let j = 0; j < cols; j++) {
        const v = data[base + j];
        if (v !== v) throw new RangeError(`argmaxRows: the matrix contains NaN at (${i}, ${j})`);
        if (v > bestValue || (!found && v === bestValue)) {
          best = j;
          bestValue = v;
          found = true;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /**
   * The largest absolute value of any entry (0 for an empty matrix; NaN if any entry is
   * NaN), a quick check for exploding weights or gradients.
   */
  maxAbs(): number {
    const data = this.data;
    let m = 0;
    for (let p = 0; p < data.length; p++) {
      const a = Math.abs(data[p]);
      if (a > m || a !== a) m = a;
      if (m !== m) return NaN;
    }
    return m;
  }

  /** True when no entry is NaN or ±Infinity. See `assertFinite` in checks.ts for the throwing form. */
  isFinite(): boolean {
    const data = this.data;
    for (let p = 0; p < data.length; p++) {
      if (!Number.isFinite(data[p])) return false;
    }
    return true;
  }

  /** The matrix product `this · other`; a thin wrapper over {@link gemm}. */
  matmul(other: Matrix): Matrix {
    return matmul(this, other);
  }

  // ---------------------------------------------------------------- in place

  /** Sets every entry to `v`. Returns this matrix. */
  fill(v: number): this {
    checkNumberType("fill", "v", v);
    this.data.fill(v);
    return this;
  }

  /** Multiplies every entry by `k`, without allocating. Returns this matrix. */
  scaleInPlace(k: number): this {
    checkNumberType("scaleInPlace", "k", k);
    const data = this.data;
    for (let p = 0; p < data.length; p++) data[p] *= k;
    return this;
  }

  /**
   * `this += scale · other` without allocating (BLAS calls this "axpy"). With
   * `scale = −learningRate` it is a gradient-descent step. Returns this matrix.
   */
  addInPlace(other: Matrix, scale = 1): this {
    checkSameShape("addInPlace", this, other);
    checkNumberType("addInPlace", "scale", scale);
    backend().addScaled(this.data, other.data, scale);
    return this;
  }

  /** Adds the 1×cols row vector `bias` to every row (see {@link Matrix.addRowVector}), without allocating. */
  addRowVectorInPlace(bias: Matrix): this {
    checkRowVector("addRowVectorInPlace", bias, this.cols);
    return addRowInto(this, bias);
  }

  /** Replaces entry (i, j) by `fn(this(i, j), i, j)`, without allocating. Returns this matrix. */
  mapInPlace(fn: (v: number, i: number, j: number) => number): this {
    checkFunction("mapInPlace", "fn", fn);
    const { rows, cols, data } = this;
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) data[base + j] = fn(data[base + j], i, j);
    }
    return this;
  }
}

// ------------------------------------------------------------------ products

/** Options of {@link gemm}; all are optional. */
export interface GemmOptions {
  /** Use Aᵀ instead of A (without building the transpose). */
  transA?: boolean;
  /** Use Bᵀ instead of B (without building the transpose); `X·Wᵀ` is the forward pass. */
  transB?: boolean;
  /** Factor on the product; default 1. */
  alpha?: number;
  /** Factor on the previous contents of `out`; default 0 (then `out` is not read at all). */
  beta?: number;
  /** Matrix to write the result into (and return); must not share storage with A or B. */
  out?: Matrix;
  /**
   * Default true: skip the products with a zero factor when the operand that can hold many zeros
   * (A in the dot form X·Wᵀ, B in the axpy form dZᵀ·X) has enough of them, which gives the same bits.
   * false: always the dense kernels (chapter 8 compares the two).
   */
  skipZeros?: boolean;
}

/** gemm with the operation's name for error messages, so `matmul` reports as `matmul`. */
const GEMM_OPTIONS = ["transA", "transB", "alpha", "beta", "out", "skipZeros"];

/** gemm's arguments: two matrices and its options, each of the right type. */
function checkGemmArguments(op: string, a: Matrix, b: Matrix, options: GemmOptions): void {
  checkMatrix(op, "A", a);
  checkMatrix(op, "B", b);
  rejectUnknownOptions(op, options, GEMM_OPTIONS);
  for (const flag of ["transA", "transB", "skipZeros"] as const)
    if (options[flag] !== undefined && typeof options[flag] !== "boolean")
      throw new TypeError(
        `${op}: ${flag} must be true or false, got ${describeValue(options[flag])}`,
      );
  if (options.alpha !== undefined) checkNumberType(op, "alpha", options.alpha);
  if (options.beta !== undefined) checkNumberType(op, "beta", options.beta);
  if (options.out !== undefined) checkMatrix(op, "out", options.out);
}

function gemmNamed(op: string, a: Matrix, b: Matrix, options: GemmOptions): Matrix {
  checkGemmArguments(op, a, b, options);
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0;
  const skipZeros = options.skipZeros ?? true;

  // op(A) is m×k and op(B) is k×n.
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kB = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  if (k !== kB) {
    const left = `(${a.shapeString})${transA ? "ᵀ" : ""}`;
    const right = `(${b.shapeString})${transB ? "ᵀ" : ""}`;
    throw new Error(`${op}: ${left}·${right}: inner dimensions ${k} and ${kB} differ`);
  }

  let out = options.out;
  if (out === undefined) {
    out = new Matrix(m, n);
  } else {
    if (out.rows !== m || out.cols !== n) {
      throw new Error(`${op}: out must be ${shapeOf(m, n)}, got ${out.shapeString}`);
    }
    if (overlaps(out.data, a.data) || overlaps(out.data, b.data)) {
      throw new Error(`${op}: out must not share storage with its inputs`);
    }
  }

  if (m === 0 || n === 0) return out;
  const started = productClock.running ? performance.now() : 0;
  const call = {
    A: a.data,
    B: b.data,
    C: out.data,
    m,
    k,
    n,
    transA,
    transB,
    alpha,
    beta,
    skipZeros,
  };
  backend().gemm(call);
  if (productClock.running) {
    productClock.milliseconds += performance.now() - started;
    productClock.calls++;
  }
  return out;
}

/** The time gemm spends in its kernels while {@link timeInProducts} runs a function. */
const productClock = { running: false, milliseconds: 0, calls: 0 };

/**
 * Runs `fn` once and says how long it took and how much of that went into matrix products: gemm's
 * kernels, with the copies in and out of WebAssembly's memory they make (not its argument checks).
 * For chapter 8's Amdahl's law, measured inside a real training step rather than by replaying its
 * products. Not reentrant: a `fn` that calls timeInProducts itself is refused.
 */
export function timeInProducts(fn: () => unknown): {
  seconds: number;
  productSeconds: number;
  products: number;
} {
  checkFunction("timeInProducts", "fn", fn);
  if (productClock.running) throw new Error("timeInProducts: already timing (calls cannot nest)");
  Object.assign(productClock, { running: true, milliseconds: 0, calls: 0 });
  const started = performance.now();
  try {
    fn();
  } finally {
    productClock.running = false;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    productSeconds: productClock.milliseconds / 1000,
    products: productClock.calls,
  };
}

/**
 * General matrix multiply, the one place where the library multiplies matrices:
 * `C = alpha · op(A) · op(B) + beta · C`, where op(X) is X, or Xᵀ when `transA` /
 * `transB` is set (the transpose is never built). With `out`, C is `out`, written in
 * place and returned; otherwise a new matrix is returned (and `beta` has nothing to scale).
 * With `beta = 0` the old contents of `out` are ignored, even if they are NaN.
 *
 * In a dense layer with one example per row: forward `Z = gemm(X, W, { transB: true })`,
 * weight gradient `dW = gemm(dZ, X, { transA: true })`, input gradient `dX = gemm(dZ, W)`.
 */
export function gemm(a: Matrix, b: Matrix, options: GemmOptions = {}): Matrix {
  return gemmNamed("gemm", a, b, options);
}

/** The matrix product `a · b` (a new matrix); a thin wrapper over {@link gemm}. */
export function matmul(a: Matrix, b: Matrix): Matrix {
  return gemmNamed("matmul", a, b, {});
}

// ------------------------------------------------------------------ checks of matrices

/** "(row, column)" of entry `p` of a matrix's data, for messages. */
export function entryPosition(M: Matrix, p: number): string {
  return `(${Math.floor(p / M.cols)}, ${p % M.cols})`;
}

/**
 * Every entry finite; otherwise names the first that is not, as `"fit: training inputs contains NaN at
 * (2, 1)"` for a matrix or `"… at index 5"` for a plain array.
 */
export function assertFinite(values: Matrix | ArrayLike<number>, what: string): void {
  const arrayLike =
    Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView));
  if (!(values instanceof Matrix) && !arrayLike)
    throw new TypeError(`${what} must be an array of numbers, got ${describeValue(values)}`);
  const data = values instanceof Matrix ? values.data : values;
  if (data instanceof Float64Array && backend().allFinite(data)) return; // the usual case, in one fast pass
  for (let p = 0; p < data.length; p++) {
    const v = data[p];
    if (!Number.isFinite(v)) {
      const where = values instanceof Matrix ? entryPosition(values, p) : `index ${p}`;
      const Kind = typeof v === "number" ? RangeError : TypeError;
      throw new Kind(`${what} contains ${describeValue(v)} at ${where}`);
    }
  }
}

/**
 * A data set entering the library: a Matrix whose entries are all finite, or an error naming the
 * function, the argument and the row and column of the first entry that is not
 * (`"Standardizer.transform: inputs contains NaN at (0, 2)"`).
 */
export function checkDataMatrix(
  owner: string,
  name: string,
  value: unknown,
): asserts value is Matrix {
  checkMatrix(owner, name, value);
  assertFinite(value, `${owner}: ${name}`);
}

/** A Matrix (not an array of rows, a number or null). */
export function checkMatrix(owner: string, name: string, value: unknown): asserts value is Matrix {
  if (!(value instanceof Matrix))
    throw new TypeError(
      `${owner}: ${name} must be a Matrix (e.g. Matrix.fromArray(rows)), got ${describeValue(value)}`,
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

/** Throws, naming `op`, unless `bias` is a 1×cols matrix (a row vector to add to every row). */
function checkRowVector(op: string, bias: Matrix, cols: number): void {
  checkMatrix(op, "bias", bias);
  if (bias.rows !== 1 || bias.cols !== cols) {
    throw new Error(`${op}: bias must be ${shapeOf(1, cols)}, got ${bias.shapeString}`);
  }
}

/** Adds the row vector `bias` to every row of `target`, in place (the checks are the caller's). */
function addRowInto<T extends Matrix>(target: T, bias: Matrix): T {
  const o = target.data;
  const b = bias.data;
  const cols = target.cols;
  for (let i = 0; i < target.rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) o[base + j] += b[j];
  }
  return target;
}
