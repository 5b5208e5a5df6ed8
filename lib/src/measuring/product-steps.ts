/**
 * Chapter 8's steps from the textbook matrix product to the library's kernels, on raw row-major arrays:
 * C = A·B with A m×k, B k×n and C m×n (entry (i, j) of C at C[i·n + j]). Each gives exactly the same
 * bits as the next: every entry of C is summed over p = 0, 1, …, k − 1 in order, starting from 0.
 * Only the order of the work around the sums changes. The library's own kernel, kernels.ts's axpyDense,
 * goes one step further (it also adds four rows of B at a time, so it rounds a little differently).
 */

/** Step 1, the definition: C(i, j) = Σ_p A(i, p)·B(p, j). The inner loop walks down a column of B. */
export function productNaive(
  A: Float64Array,
  B: Float64Array,
  C: Float64Array,
  m: number,
  k: number,
  n: number,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += A[i * k + p] * B[p * n + j];
      C[i * n + j] = sum;
    }
  }
}

/**
 * Step 2, loop order: the same sums with p outside j, so the inner loop runs along a row of B and a row
 * of C, neighbours in memory, one cache line after another. C(i, ·) collects its sums in place.
 */
export function productLoopOrder(
  A: Float64Array,
  B: Float64Array,
  C: Float64Array,
  m: number,
  k: number,
  n: number,
): void {
  C.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const a = A[i * k + p];
      for (let j = 0; j < n; j++) C[i * n + j] += a * B[p * n + j];
    }
  }
}

/**
 * Step 3, register tiling: four rows of C at once, so that each number loaded from B serves four
 * multiply-adds, and the four factors from A stay in registers along the row (the m mod 4 rows left
 * over go to step 2).
 */
export function productTiled(
  A: Float64Array,
  B: Float64Array,
  C: Float64Array,
  m: number,
  k: number,
  n: number,
): void {
  C.fill(0, 0, m * n);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    for (let p = 0; p < k; p++) {
      const a0 = A[i * k + p],
        a1 = A[(i + 1) * k + p],
        a2 = A[(i + 2) * k + p],
        a3 = A[(i + 3) * k + p];
      const b = p * n;
      for (let j = 0; j < n; j++) {
        const y = B[b + j];
        C[i * n + j] += a0 * y;
        C[(i + 1) * n + j] += a1 * y;
        C[(i + 2) * n + j] += a2 * y;
        C[(i + 3) * n + j] += a3 * y;
      }
    }
  }
  // The last m mod 4 rows: step 2 on them.
  productLoopOrder(A.subarray(i * k), B, C.subarray(i * n), m - i, k, n);
}
