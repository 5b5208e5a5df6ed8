/**
 * The TypeScript backend: the readable reference, and what runs where WebAssembly is unavailable. gemm's
 * loops are in kernels.ts; the other loops are short enough to stand here. The WebAssembly backend
 * (wasm.ts) gives exactly these bits.
 */
import { arc4Fill } from "./arc4";
import type { AdamStepCall, Backend, GemmCall } from "./backend";
import {
  allFinite,
  axpyDense,
  axpySparse,
  dotBothTransposed,
  dotDense,
  dotSparse,
  packSparseDotRows,
  packSparseRows,
  SPARSE_AXPY_LIMIT,
  SPARSE_DOT_LIMIT,
  SPARSE_MIN_ENTRIES,
  type AxpyOperandA,
} from "./kernels";

/** gemm's product with the kernels of kernels.ts: which form, and whether zeros can be skipped. */
function gemm({ A, B, C, m, k, n, transA, transB, alpha, beta, skipZeros }: GemmCall): void {
  if (!transB) {
    // Axpy form: C = beta·C first, then C += alpha·op(A)·B. Rows of B with many zeros (a batch of
    // images as B, in a weight gradient dZᵀ·X) go to the sparse kernel, unless op(A) has a NaN or ±∞.
    if (beta === 0) C.fill(0);
    else if (beta !== 1) for (let q = 0; q < C.length; q++) C[q] *= beta;
    const opA: AxpyOperandA = { A, rowStep: transA ? 1 : k, colStep: transA ? m : 1 };
    const sparse =
      skipZeros &&
      k * n >= SPARSE_MIN_ENTRIES &&
      Number.isFinite(alpha) &&
      allFinite(A) &&
      packSparseRows(B, k, n) < SPARSE_AXPY_LIMIT;
    if (sparse) axpySparse(opA, C, m, k, n, alpha);
    else axpyDense(opA, B, C, m, k, n, alpha);
  } else if (!transA) {
    // Dot form: rows of A with many zeros (a batch of images as A, in the forward pass X·Wᵀ) go to
    // the sparse kernel, unless B has a NaN or ±∞.
    const sparse =
      skipZeros &&
      m * k >= SPARSE_MIN_ENTRIES &&
      packSparseDotRows(A, m, k) < SPARSE_DOT_LIMIT &&
      allFinite(B);
    if (sparse) dotSparse(B, C, m, k, n, alpha, beta);
    else dotDense(A, B, C, m, k, n, alpha, beta);
  } else {
    dotBothTransposed(A, B, C, m, k, n, alpha, beta);
  }
}

/** d += scale·o, four entries a step: it runs on every weight after every batch, and V8 does not unroll loops. */
function addScaled(d: Float64Array, o: Float64Array, scale: number): void {
  const n = d.length;
  let p = 0;
  for (; p + 3 < n; p += 4) {
    d[p] += scale * o[p];
    d[p + 1] += scale * o[p + 1];
    d[p + 2] += scale * o[p + 2];
    d[p + 3] += scale * o[p + 3];
  }
  for (; p < n; p++) d[p] += scale * o[p];
}

/** Adam's update, weight by weight: m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², w ← w − η·m̂/(√v̂ + ε). */
function adamStep(step: AdamStepCall): void {
  const { w, g, m, v, beta1, beta2, learningRate, correction1, correction2, epsilon } = step;
  for (let i = 0; i < w.length; i++) {
    m[i] = beta1 * m[i] + (1 - beta1) * g[i];
    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
    w[i] -= (learningRate * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + epsilon);
  }
}

export const jsBackend: Backend = { name: "js", gemm, addScaled, adamStep, allFinite, arc4Fill };
