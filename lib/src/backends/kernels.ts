/**
 * The loops behind `gemm` (matrix.ts), on raw row-major `Float64Array`s; `gemm` checks shapes and
 * picks a kernel. Two shapes of loop cover the library's products:
 *
 * - axpy form, C += op(A)·B (plain and transposed A): row p of B, times op(A)(i, p), is added to row
 *   i of C, running along contiguous rows of B and C.
 * - dot form, C = A·Bᵀ (the forward pass X·Wᵀ): each entry is the dot product of a row of A and a
 *   row of B, both contiguous.
 *
 * Each has a sparse twin for operands with many exact zeros, such as MNIST images (about four pixels
 * in five are 0), which skips the products with a zero factor. A sparse kernel adds the remaining
 * products to each entry in exactly the order its dense twin does, and adding a product with a zero
 * factor (±0) never changes a sum, so both give the same bits (at most the sign of a zero result can
 * differ). gemm uses a sparse kernel only when the other operand is finite everywhere: 0·∞ and 0·NaN
 * are NaN, and skipping them would hide it.
 */

/**
 * Where the sparse kernels pay: they do more work per product than their dense twins (an index load,
 * a scattered load), so gemm uses them only when they skip enough products. The limits are fractions
 * of the dense kernel's products still done, measured on 10×784 batches with random zeros (dot form:
 * break-even near 0.6; axpy form: near 0.85). MNIST batches need about 0.19 and 0.35.
 */
export const SPARSE_DOT_LIMIT = 0.5;
export const SPARSE_AXPY_LIMIT = 0.75;

/** Below this many entries in the operand that could be sparse, looking for zeros costs more than it saves. */
export const SPARSE_MIN_ENTRIES = 256;

// Scratch space for the sparse kernels, reused between calls (gemm runs thousands of times an epoch
// on the same shapes) and grown when a larger product needs more.
let scratchIndex = new Int32Array(1024);
let scratchValue = new Float64Array(1024);
let scratchStart = new Int32Array(64);

function ensureScratch(values: number, groups: number): void {
  if (scratchIndex.length < values) {
    scratchIndex = new Int32Array(values);
    scratchValue = new Float64Array(values);
  }
  if (scratchStart.length < groups + 1) scratchStart = new Int32Array(groups + 1);
}

/** True if every entry of `x` is finite (no NaN, no ±∞). */
export function allFinite(x: Float64Array): boolean {
  // x·0 is 0 for finite x and NaN otherwise, so sums tell without a branch per entry; four of them,
  // because one sum waits for the previous addition every step.
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  const n = x.length;
  let q = 0;
  for (; q + 3 < n; q += 4) {
    s0 += x[q] * 0;
    s1 += x[q + 1] * 0;
    s2 += x[q + 2] * 0;
    s3 += x[q + 3] * 0;
  }
  for (; q < n; q++) s0 += x[q] * 0;
  return s0 + s1 + s2 + s3 === 0;
}

/** op(A) as the axpy kernels read it: op(A)(i, p) = A[i·rowStep + p·colStep]. */
export interface AxpyOperandA {
  A: Float64Array;
  rowStep: number;
  colStep: number;
}

/**
 * C += alpha·op(A)·B, with op(A) m×k, B k×n, C m×n. Rows of C are taken four at a time, so each
 * entry of B loaded serves four rows of C, and rows of B four at a time, so each entry of C is loaded
 * and stored once per four rows of B: C(i, j) += s0·B(p, j) + s1·B(p+1, j) + s2·B(p+2, j) + s3·B(p+3, j).
 * The remaining rows of B (k mod 4) are added one at a time; the remaining rows of C (m mod 4) use
 * the same grouping of B's rows, so every entry of C is summed in the same order.
 */
export function axpyDense(
  op: AxpyOperandA,
  B: Float64Array,
  C: Float64Array,
  m: number,
  k: number,
  n: number,
  alpha: number,
): void {
  const { A, rowStep, colStep } = op;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const c0 = i * n,
      c1 = c0 + n,
      c2 = c1 + n,
      c3 = c2 + n;
    const a0 = i * rowStep,
      a1 = a0 + rowStep,
      a2 = a1 + rowStep,
      a3 = a2 + rowStep;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const q0 = p * colStep,
        q1 = q0 + colStep,
        q2 = q1 + colStep,
        q3 = q2 + colStep;
      const s00 = alpha * A[a0 + q0],
        s01 = alpha * A[a0 + q1],
        s02 = alpha * A[a0 + q2],
        s03 = alpha * A[a0 + q3];
      const s10 = alpha * A[a1 + q0],
        s11 = alpha * A[a1 + q1],
        s12 = alpha * A[a1 + q2],
        s13 = alpha * A[a1 + q3];
      const s20 = alpha * A[a2 + q0],
        s21 = alpha * A[a2 + q1],
        s22 = alpha * A[a2 + q2],
        s23 = alpha * A[a2 + q3];
      const s30 = alpha * A[a3 + q0],
        s31 = alpha * A[a3 + q1],
        s32 = alpha * A[a3 + q2],
        s33 = alpha * A[a3 + q3];
      const b0 = p * n,
        b1 = b0 + n,
        b2 = b1 + n,
        b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        const y0 = B[b0 + j],
          y1 = B[b1 + j],
          y2 = B[b2 + j],
          y3 = B[b3 + j];
        C[c0 + j] += s00 * y0 + s01 * y1 + s02 * y2 + s03 * y3;
        C[c1 + j] += s10 * y0 + s11 * y1 + s12 * y2 + s13 * y3;
        C[c2 + j] += s20 * y0 + s21 * y1 + s22 * y2 + s23 * y3;
        C[c3 + j] += s30 * y0 + s31 * y1 + s32 * y2 + s33 * y3;
      }
    }
    for (; p < k; p++) {
      const q = p * colStep;
      const s0 = alpha * A[a0 + q],
        s1 = alpha * A[a1 + q],
        s2 = alpha * A[a2 + q],
        s3 = alpha * A[a3 + q];
      const bp = p * n;
      for (let j = 0; j < n; j++) {
        const y = B[bp + j];
        C[c0 + j] += s0 * y;
        C[c1 + j] += s1 * y;
        C[c2 + j] += s2 * y;
        C[c3 + j] += s3 * y;
      }
    }
  }
  for (; i < m; i++) {
    const ci = i * n;
    const ai = i * rowStep;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const s0 = alpha * A[ai + p * colStep],
        s1 = alpha * A[ai + (p + 1) * colStep];
      const s2 = alpha * A[ai + (p + 2) * colStep],
        s3 = alpha * A[ai + (p + 3) * colStep];
      const b0 = p * n,
        b1 = b0 + n,
        b2 = b1 + n,
        b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        C[ci + j] += s0 * B[b0 + j] + s1 * B[b1 + j] + s2 * B[b2 + j] + s3 * B[b3 + j];
      }
    }
    for (; p < k; p++) {
      const s = alpha * A[ai + p * colStep];
      const bp = p * n;
      for (let j = 0; j < n; j++) C[ci + j] += s * B[bp + j];
    }
  }
}

/**
 * Packs B (k×n) for {@link axpySparse}: for each group of four rows of B that {@link axpyDense} adds
 * together, the columns where any of the four is non-zero, with the four values side by side; then,
 * for each remaining row, its non-zero columns and values. Returns the fraction of axpyDense's
 * products the sparse kernel will do (1 if none can be skipped).
 */
export function packSparseRows(B: Float64Array, k: number, n: number): number {
  const groups = k >> 2;
  const singles = k - 4 * groups;
  ensureScratch(k * n, groups + singles);
  const index = scratchIndex;
  const value = scratchValue;
  const start = scratchStart;
  let count = 0;
  let slot = 0; // values written so far
  for (let g = 0; g < groups; g++) {
    start[g] = count;
    const b0 = 4 * g * n,
      b1 = b0 + n,
      b2 = b1 + n,
      b3 = b2 + n;
    for (let j = 0; j < n; j++) {
      const y0 = B[b0 + j],
        y1 = B[b1 + j],
        y2 = B[b2 + j],
        y3 = B[b3 + j];
      if (y0 !== 0 || y1 !== 0 || y2 !== 0 || y3 !== 0) {
        index[count++] = j;
        value[slot++] = y0;
        value[slot++] = y1;
        value[slot++] = y2;
        value[slot++] = y3;
      }
    }
  }
  let singleProducts = 0;
  for (let s = 0; s < singles; s++) {
    start[groups + s] = count;
    const bp = (4 * groups + s) * n;
    for (let j = 0; j < n; j++) {
      const y = B[bp + j];
      if (y !== 0) {
        index[count++] = j;
        value[slot++] = y;
        singleProducts++;
      }
    }
  }
  start[groups + singles] = count;
  const products = 4 * (count - singleProducts) + singleProducts;
  return k * n === 0 ? 1 : products / (k * n);
}

/**
 * {@link axpyDense} for a B packed by {@link packSparseRows} (from the same B, k and n): the same
 * sums in the same order, over the columns where B's rows are not all zero.
 */
export function axpySparse(
  op: AxpyOperandA,
  C: Float64Array,
  m: number,
  k: number,
  n: number,
  alpha: number,
): void {
  const { A, rowStep, colStep } = op;
  const index = scratchIndex;
  const value = scratchValue;
  const start = scratchStart;
  const groups = k >> 2;
  // Entry t of a single row's list has its value at t + singleValueOffset: every group entry before the singles
  // fills four value slots, a single row's entry one.
  const singleValueOffset = 3 * start[groups];
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const c0 = i * n,
      c1 = c0 + n,
      c2 = c1 + n,
      c3 = c2 + n;
    const a0 = i * rowStep,
      a1 = a0 + rowStep,
      a2 = a1 + rowStep,
      a3 = a2 + rowStep;
    for (let g = 0; g < groups; g++) {
      const q0 = 4 * g * colStep,
        q1 = q0 + colStep,
        q2 = q1 + colStep,
        q3 = q2 + colStep;
      const s00 = alpha * A[a0 + q0],
        s01 = alpha * A[a0 + q1],
        s02 = alpha * A[a0 + q2],
        s03 = alpha * A[a0 + q3];
      const s10 = alpha * A[a1 + q0],
        s11 = alpha * A[a1 + q1],
        s12 = alpha * A[a1 + q2],
        s13 = alpha * A[a1 + q3];
      const s20 = alpha * A[a2 + q0],
        s21 = alpha * A[a2 + q1],
        s22 = alpha * A[a2 + q2],
        s23 = alpha * A[a2 + q3];
      const s30 = alpha * A[a3 + q0],
        s31 = alpha * A[a3 + q1],
        s32 = alpha * A[a3 + q2],
        s33 = alpha * A[a3 + q3];
      for (let t = start[g], end = start[g + 1]; t < end; t++) {
        const j = index[t];
        const v = 4 * t;
        const y0 = value[v],
          y1 = value[v + 1],
          y2 = value[v + 2],
          y3 = value[v + 3];
        C[c0 + j] += s00 * y0 + s01 * y1 + s02 * y2 + s03 * y3;
        C[c1 + j] += s10 * y0 + s11 * y1 + s12 * y2 + s13 * y3;
        C[c2 + j] += s20 * y0 + s21 * y1 + s22 * y2 + s23 * y3;
        C[c3 + j] += s30 * y0 + s31 * y1 + s32 * y2 + s33 * y3;
      }
    }
    for (let p = 4 * groups; p < k; p++) {
      const q = p * colStep;
      const s0 = alpha * A[a0 + q],
        s1 = alpha * A[a1 + q],
        s2 = alpha * A[a2 + q],
        s3 = alpha * A[a3 + q];
      const list = groups + (p - 4 * groups); // this row's list in start[]
      for (let t = start[list], end = start[list + 1]; t < end; t++) {
        const j = index[t];
        const y = value[t + singleValueOffset];
        C[c0 + j] += s0 * y;
        C[c1 + j] += s1 * y;
        C[c2 + j] += s2 * y;
        C[c3 + j] += s3 * y;
      }
    }
  }
  for (; i < m; i++) {
    const ci = i * n;
    const ai = i * rowStep;
    for (let g = 0; g < groups; g++) {
      const q0 = 4 * g * colStep;
      const s0 = alpha * A[ai + q0],
        s1 = alpha * A[ai + q0 + colStep];
      const s2 = alpha * A[ai + q0 + 2 * colStep],
        s3 = alpha * A[ai + q0 + 3 * colStep];
      for (let t = start[g], end = start[g + 1]; t < end; t++) {
        const v = 4 * t;
        C[ci + index[t]] +=
          s0 * value[v] + s1 * value[v + 1] + s2 * value[v + 2] + s3 * value[v + 3];
      }
    }
    for (let p = 4 * groups; p < k; p++) {
      const s = alpha * A[ai + p * colStep];
      const list = groups + (p - 4 * groups);
      for (let t = start[list], end = start[list + 1]; t < end; t++) {
        C[ci + index[t]] += s * value[t + singleValueOffset];
      }
    }
  }
}

/**
 * C = alpha·A·Bᵀ + beta·C, with A m×k, B n×k, C m×n: C(i, j) = dot(row i of A, row j of B). The
 * kernel works on 2×4 tiles of C (rows i, i+1 of A against rows j … j+3 of B), keeping the 8 sums in
 * local variables so each number loaded from A or B is used 4 or 2 times; each sum runs over p in
 * order. At the bottom and right edges a missing row is replaced by a valid one (its result unused).
 */
export function dotDense(
  A: Float64Array,
  B: Float64Array,
  C: Float64Array,
  m: number,
  k: number,
  n: number,
  alpha: number,
  beta: number,
): void {
  for (let i = 0; i < m; i += 2) {
    const hasRow1 = i + 1 < m;
    const a0 = i * k;
    const a1 = hasRow1 ? a0 + k : a0;
    const c0 = i * n;
    const c1 = c0 + n;
    for (let j = 0; j < n; j += 4) {
      const b0 = j * k;
      const b1 = j + 1 < n ? b0 + k : b0;
      const b2 = j + 2 < n ? b0 + 2 * k : b0;
      const b3 = j + 3 < n ? b0 + 3 * k : b0;
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0;
      let s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = A[a0 + p],
          x1 = A[a1 + p];
        const y0 = B[b0 + p],
          y1 = B[b1 + p],
          y2 = B[b2 + p],
          y3 = B[b3 + p];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      storeTile(C, c0 + j, n - j, alpha, beta, s00, s01, s02, s03);
      if (hasRow1) storeTile(C, c1 + j, n - j, alpha, beta, s10, s11, s12, s13);
    }
  }
}

/** Writes up to four sums of a tile row: C = alpha·s + beta·C (C not read when beta is 0). */
function storeTile(
  C: Float64Array,
  at: number,
  width: number,
  alpha: number,
  beta: number,
  s0: number,
  s1: number,
  s2: number,
  s3: number,
): void {
  if (beta === 0) {
    C[at] = alpha * s0;
    if (width > 1) C[at + 1] = alpha * s1;
    if (width > 2) C[at + 2] = alpha * s2;
    if (width > 3) C[at + 3] = alpha * s3;
  } else {
    C[at] = alpha * s0 + beta * C[at];
    if (width > 1) C[at + 1] = alpha * s1 + beta * C[at + 1];
    if (width > 2) C[at + 2] = alpha * s2 + beta * C[at + 2];
    if (width > 3) C[at + 3] = alpha * s3 + beta * C[at + 3];
  }
}

/**
 * Packs the non-zero entries of each row of A (m×k) for {@link dotSparse}. Returns the fraction of
 * entries that are non-zero (1 for an empty A).
 */
export function packSparseDotRows(A: Float64Array, m: number, k: number): number {
  ensureScratch(m * k, m);
  const index = scratchIndex;
  const value = scratchValue;
  const start = scratchStart;
  let count = 0;
  for (let i = 0; i < m; i++) {
    start[i] = count;
    const ai = i * k;
    let p = 0;
    // Four entries at a time: in an image most runs of four are all zero and cost one test.
    for (; p + 3 < k; p += 4) {
      const x0 = A[ai + p],
        x1 = A[ai + p + 1],
        x2 = A[ai + p + 2],
        x3 = A[ai + p + 3];
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
      if (x0 !== 0) {
        index[count] = p;
        value[count++] = x0;
      }
      if (x1 !== 0) {
        index[count] = p + 1;
        value[count++] = x1;
      }
      if (x2 !== 0) {
        index[count] = p + 2;
        value[count++] = x2;
      }
      if (x3 !== 0) {
        index[count] = p + 3;
        value[count++] = x3;
      }
    }
    for (; p < k; p++) {
      const x = A[ai + p];
      if (x !== 0) {
        index[count] = p;
        value[count++] = x;
      }
    }
  }
  start[m] = count;
  return m * k === 0 ? 1 : count / (m * k);
}

/**
 * {@link dotDense} for an A packed by {@link packSparseDotRows}: each sum runs over the non-zero
 * entries of A's row, in order. Tiles are 1×8, since each product now costs a scattered load from B.
 */
export function dotSparse(
  B: Float64Array,
  C: Float64Array,
  m: number,
  k: number,
  n: number,
  alpha: number,
  beta: number,
): void {
  const index = scratchIndex;
  const value = scratchValue;
  const start = scratchStart;
  for (let i = 0; i < m; i++) {
    const first = start[i];
    const end = start[i + 1];
    const ci = i * n;
    for (let j = 0; j < n; j += 8) {
      const b0 = j * k;
      const b1 = j + 1 < n ? b0 + k : b0;
      const b2 = j + 2 < n ? b0 + 2 * k : b0;
      const b3 = j + 3 < n ? b0 + 3 * k : b0;
      const b4 = j + 4 < n ? b0 + 4 * k : b0;
      const b5 = j + 5 < n ? b0 + 5 * k : b0;
      const b6 = j + 6 < n ? b0 + 6 * k : b0;
      const b7 = j + 7 < n ? b0 + 7 * k : b0;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0,
        s4 = 0,
        s5 = 0,
        s6 = 0,
        s7 = 0;
      for (let t = first; t < end; t++) {
        const p = index[t];
        const x = value[t];
        s0 += x * B[b0 + p];
        s1 += x * B[b1 + p];
        s2 += x * B[b2 + p];
        s3 += x * B[b3 + p];
        s4 += x * B[b4 + p];
        s5 += x * B[b5 + p];
        s6 += x * B[b6 + p];
        s7 += x * B[b7 + p];
      }
      storeTile(C, ci + j, n - j, alpha, beta, s0, s1, s2, s3);
      if (j + 4 < n) storeTile(C, ci + j + 4, n - j - 4, alpha, beta, s4, s5, s6, s7);
    }
  }
}

/** C = alpha·Aᵀ·Bᵀ + beta·C (rare): C(i, j) = Σ_p A(p, i)·B(j, p), with A k×m and B n×k. */
export function dotBothTransposed(
  A: Float64Array,
  B: Float64Array,
  C: Float64Array,
  m: number,
  k: number,
  n: number,
  alpha: number,
  beta: number,
): void {
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[p * m + i] * B[bj + p];
      C[ci + j] = beta === 0 ? alpha * s : alpha * s + beta * C[ci + j];
    }
  }
}
