/**
 * The WebAssembly backend of `gemm`: kernels.wat assembled into lib/build/kernels.wasm at build time
 * (scripts/build-wasm.js), loaded once, synchronously, when the library is first imported.
 *
 * The module has one memory. For each product, wasm.ts copies the operands into it, calls one
 * kernel and copies C back out; the memory grows when a product needs more and is reused after.
 * Copying costs about as much as reading each operand once, small beside the product for the
 * shapes of training (chapter 8 measures it).
 *
 * Which backend runs: `setBackend("js" | "wasm")`. The default is "wasm" where this engine
 * validates the module (SIMD is in Node 16.4 and later, no flag), unless the environment variable
 * GATES_BACKEND says "js". Both give the same bits (kernels.wat says why).
 */
import * as fs from "fs";
import * as path from "path";
import { describeValue } from "./checks";

/** The names `setBackend` accepts. */
export type BackendName = "js" | "wasm";

interface KernelExports {
  memory: WebAssembly.Memory;
  all_finite(x: number, n: number): number;
  pack_rows(
    b: number,
    k: number,
    nv: number,
    ldb: number,
    skip: number,
    idx: number,
    start: number,
    val: number,
  ): number;
  axpy(
    a: number,
    rs: number,
    cs: number,
    m: number,
    k: number,
    c: number,
    ldc: number,
    alpha: number,
    idx: number,
    start: number,
    val: number,
    spare: number,
  ): void;
  dot_dense(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    alpha: number,
    beta: number,
  ): void;
  pack_dot(a: number, m: number, k: number, idx: number, val: number, start: number): number;
  dot_sparse(
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    alpha: number,
    beta: number,
    idx: number,
    val: number,
    start: number,
  ): void;
}

/** Where the module's bytes are: lib/build/, next to the compiled library (and beside lib/src/). */
export const WASM_FILE = path.resolve(__dirname, "..", "build", "kernels.wasm");

/** Loads the module, or says in one sentence why it cannot be used here. */
function loadKernels(): KernelExports | string {
  if (typeof WebAssembly !== "object") return "this engine has no WebAssembly";
  let bytes: BufferSource;
  try {
    bytes = new Uint8Array(fs.readFileSync(WASM_FILE));
  } catch {
    return `${WASM_FILE} is missing (npm run build assembles it)`;
  }
  if (!WebAssembly.validate(bytes)) return "this engine does not support WebAssembly SIMD";
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  return instance.exports as unknown as KernelExports;
}

const loaded = loadKernels();
const kernels: KernelExports | null = typeof loaded === "string" ? null : loaded;

/** Why the WebAssembly backend is unavailable, or null when it can run. */
export const wasmUnavailable: string | null = typeof loaded === "string" ? loaded : null;

/** The default backend, or the one the environment variable GATES_BACKEND names ("js" or "wasm"). */
function initialBackend(): BackendName {
  const asked = typeof process === "object" ? process.env.GATES_BACKEND : undefined;
  if (asked !== undefined && asked !== "js" && asked !== "wasm")
    console.warn(
      `GATES_BACKEND must be "js" or "wasm", got ${describeValue(asked)}: using the default`,
    );
  if (asked === "wasm" && kernels === null)
    console.warn(
      `GATES_BACKEND asks for "wasm", which is unavailable (${wasmUnavailable}): using "js"`,
    );
  return asked === "js" || kernels === null ? "js" : "wasm";
}

let backend: BackendName = initialBackend();

/**
 * Selects the kernels behind every matrix product: "wasm" (WebAssembly SIMD, the default where
 * available) or "js" (kernels.ts, the readable reference). Returns the previous choice.
 */
export function setBackend(name: BackendName): BackendName {
  if (name !== "js" && name !== "wasm") {
    throw new RangeError(`setBackend: name must be "js" or "wasm", got ${describeValue(name)}`);
  }
  if (name === "wasm" && kernels === null) {
    throw new Error(`setBackend: the WebAssembly backend is unavailable: ${wasmUnavailable}`);
  }
  const previous = backend;
  backend = name;
  return previous;
}

/** The backend in use: "wasm" or "js". */
export function getBackend(): BackendName {
  return backend;
}

/** Runs `body` with `name` as the backend, then restores the previous one (even if it throws). */
export function withBackend<T>(name: BackendName, body: () => T): T {
  const previous = setBackend(name);
  try {
    return body();
  } finally {
    backend = previous;
  }
}

// ------------------------------------------------------------------ the module's memory

let f64 = new Float64Array(0);

/** A bump allocator over the module's memory, reset for every product. */
class Layout {
  bytes = 0;
  /** Reserves `size` bytes, 16-byte aligned, and returns their address. */
  take(size: number): number {
    const at = this.bytes;
    this.bytes += Math.ceil(size / 16) * 16;
    return at;
  }
}

/** Grows the memory to hold `bytes`, and refreshes the views (growing detaches the old ones). */
function reserve(memory: WebAssembly.Memory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
  if (f64.buffer !== memory.buffer) {
    f64 = new Float64Array(memory.buffer);
  }
}

/** Copies a rows×cols matrix into the memory at byte `at`, rows `stride` bytes apart (padding zeroed). */
function copyIn(x: Float64Array, rows: number, cols: number, at: number, stride: number): void {
  if (stride === cols * 8) {
    f64.set(x, at / 8);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const to = (at + r * stride) / 8;
    f64.set(x.subarray(r * cols, (r + 1) * cols), to);
    f64.fill(0, to + cols, to + stride / 8);
  }
}

/** Copies rows×cols entries, rows `stride` bytes apart at byte `at`, out of the memory into `x`. */
function copyOut(x: Float64Array, rows: number, cols: number, at: number, stride: number): void {
  if (stride === cols * 8) {
    x.set(f64.subarray(at / 8, at / 8 + rows * cols));
    return;
  }
  for (let r = 0; r < rows; r++)
    x.set(f64.subarray((at + r * stride) / 8, (at + r * stride) / 8 + cols), r * cols);
}

/**
 * Where the zero-skipping dot kernel pays: when fewer than this fraction of A's entries are non-zero. The
 * dense kernel shares each load of B between two rows of A, the sparse one cannot, so it must skip most
 * products to win. Measured on X·Wᵀ with random zeros: break-even near 0.3 for a 64×784 batch against
 * 256×784 weights, near 0.45 for 10×784 against 30×784 (chapter 8, exercise 3). MNIST batches: 0.19.
 */
export const WASM_SPARSE_DOT_LIMIT = 0.35;

/**
 * C = alpha·op(A)·op(B) + beta·C with the WebAssembly kernels, for every form but Aᵀ·Bᵀ (which
 * gemm leaves to kernels.ts). Shapes and arguments are gemm's, already checked.
 */
export function gemmWasm(
  A: Float64Array,
  B: Float64Array,
  C: Float64Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  alpha: number,
  beta: number,
): void {
  const w = kernels!;
  const layout = new Layout();
  if (!transB) {
    // Axpy form: B and C with rows padded to whole vectors of two doubles.
    const nv = Math.ceil(n / 2);
    const ld = nv * 16;
    const a = layout.take(A.length * 8);
    const b = layout.take(k * ld);
    const c = layout.take(m * ld);
    const spare = layout.take(ld);
    const idx = layout.take(k * nv * 4);
    const start = layout.take((k + 1) * 4);
    const val = layout.take(k * ld);
    reserve(w.memory, layout.bytes);
    f64.set(A, a / 8);
    copyIn(B, k, n, b, ld);
    if (beta === 0) f64.fill(0, c / 8, (c + m * ld) / 8);
    else {
      copyIn(C, m, n, c, ld);
      if (beta !== 1) for (let q = c / 8; q < (c + m * ld) / 8; q++) f64[q] *= beta;
    }
    // Zero products can be skipped unless op(A) holds a NaN or ±∞ (0·∞ is NaN).
    const skip = Number.isFinite(alpha) && w.all_finite(a, A.length) === 1 ? 1 : 0;
    w.pack_rows(b, k, nv, ld, skip, idx, start, val);
    const rs = (transA ? 1 : k) * 8;
    const cs = (transA ? m : 1) * 8;
    w.axpy(a, rs, cs, m, k, c, ld, alpha, idx, start, val, spare);
    copyOut(C, m, n, c, ld);
  } else {
    // Dot form: C = alpha·A·Bᵀ + beta·C.
    const a = layout.take(m * k * 8);
    const b = layout.take(n * k * 8);
    const c = layout.take(m * n * 8);
    const idx = layout.take(m * k * 4);
    const val = layout.take(m * k * 8);
    const start = layout.take((m + 1) * 4);
    reserve(w.memory, layout.bytes);
    f64.set(A, a / 8);
    f64.set(B, b / 8);
    if (beta !== 0) f64.set(C, c / 8);
    const nonZero = w.pack_dot(a, m, k, idx, val, start);
    if (nonZero < WASM_SPARSE_DOT_LIMIT * m * k && w.all_finite(b, B.length) === 1) {
      w.dot_sparse(b, c, m, k, n, alpha, beta, idx, val, start);
    } else {
      w.dot_dense(a, b, c, m, k, n, alpha, beta);
    }
    copyOut(C, m, n, c, n * 8);
  }
}
