/**
 * What a backend does: the few loops the library runs over large arrays, behind one interface that the
 * TypeScript kernels (js.ts) and the WebAssembly module (wasm.ts) both implement with the same bits.
 * Which one runs is chosen in one place, select.ts; callers ask `backend()` and never test its name.
 *
 * To add a kernel: a method here, its loop in js.ts (kernels.ts for gemm's), its WebAssembly twin in
 * kernels.wat with its signature in wasm.ts's KERNELS table, and a bit-for-bit test in
 * test/lib/wasm.test.ts.
 */

import type { MaskForm } from "./arc4";

/** The names `setBackend` accepts. */
export type BackendName = "js" | "wasm";

/**
 * One matrix product on raw row-major arrays, `C = alpha·op(A)·op(B) + beta·C`, op(A) m×k and op(B)
 * k×n (op(X) is X, or Xᵀ with `transA`/`transB`); gemm (core/matrix.ts) has checked every argument.
 */
export interface GemmCall {
  A: Float64Array;
  B: Float64Array;
  C: Float64Array;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
  /** false: the dense kernels only, even on operands full of zeros. */
  skipZeros: boolean;
}

/**
 * One Adam step on a parameter's weights `w` with gradient `g` and running averages `m`, `v` (all the
 * same length), as optimizers.ts's Adam describes it; `correction1` = 1 − β1^t, `correction2` = 1 − β2^t.
 */
export interface AdamStepCall {
  w: Float64Array;
  g: Float64Array;
  m: Float64Array;
  v: Float64Array;
  beta1: number;
  beta2: number;
  learningRate: number;
  correction1: number;
  correction2: number;
  epsilon: number;
}

export interface Backend {
  readonly name: BackendName;
  /** gemm's product (see GemmCall). */
  gemm(call: GemmCall): void;
  /** `d += scale·o`, entry by entry (Matrix.addInPlace, SGD's step). */
  addScaled(d: Float64Array, o: Float64Array, scale: number): void;
  /** Adam's update of one parameter (see AdamStepCall). */
  adamStep(step: AdamStepCall): void;
  /** True if no entry of `x` is NaN or ±∞. */
  allFinite(x: Float64Array): boolean;
  /**
   * The next `out.length` draws of seedrandom's generator from `state` (arc4.ts), or with `mask` the
   * dropout masks `u < keep ? scale : 0` made of them; advances `state`.
   */
  arc4Fill(state: Uint8Array, out: Float64Array, mask: MaskForm | null): void;
}
