/**
 * The WebAssembly backend of `gemm`: kernels.wat assembled into lib/build/kernels.wasm at build time
 * (scripts/build-wasm.js), loaded once, synchronously, when the library is first imported.
 *
 * Where matrices live. The module has one memory, shared, so that growing it never detaches the
 * views JavaScript holds into it. Its first RESIDENT_BYTES hold long-lived arrays that the library
 * allocates there (`residentFloat64`): each layer's weights, biases and their gradients, the
 * optimisers' state and fit's batch buffers. gemm reads and writes those in place, and SGD's and
 * Adam's steps run on them in the module. Any other operand is copied into the scratch space above
 * them for each product, and its result copied out; the scratch grows when a product needs more.
 *
 * Which backend runs: `setBackend("js" | "wasm")`. The default is "wasm" where this engine
 * validates the module (SIMD is in Node 16.4 and later, no flag), unless the environment variable
 * GATES_BACKEND says "js". Both give the same bits (kernels.wat says why).
 */
import * as fs from "fs";
import * as path from "path";
import { describeValue } from "./checks";
import { allFinite } from "./kernels";

/** The names `setBackend` accepts. */
export type BackendName = "js" | "wasm";

interface KernelExports {
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
  add_scaled(d: number, o: number, scale: number, n: number): void;
  adam(
    w: number,
    g: number,
    m: number,
    v: number,
    n: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    lr: number,
    c1: number,
    c2: number,
    eps: number,
  ): void;
  peak(iterations: number, x: number): number;
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

/**
 * Bytes at the bottom of the memory for resident arrays: 256 MiB, reserved but only used (and only
 * counted in the process's memory) as arrays are placed there. They are never freed: a JavaScript
 * view into them can outlive any owner the library could track, and reusing its bytes would
 * silently change what it sees. When the region is full, new arrays are ordinary ones (and gemm
 * copies them), so nothing breaks; only speed is lost.
 */
export const RESIDENT_BYTES = 256 * 1024 * 1024;

const PAGE = 65536;

/** The module's memory, shared and growable up to 4 GiB, or why this engine cannot make one. */
function makeMemory(): WebAssembly.Memory | string {
  if (typeof WebAssembly !== "object") return "this engine has no WebAssembly";
  try {
    return new WebAssembly.Memory({
      initial: RESIDENT_BYTES / PAGE + 16,
      maximum: 65536,
      shared: true,
    });
  } catch (error) {
    return `this engine cannot make a shared WebAssembly memory (${(error as Error).message})`;
  }
}

const madeMemory = makeMemory();
const memory: WebAssembly.Memory | null = typeof madeMemory === "string" ? null : madeMemory;

/** Loads the module, or says in one sentence why it cannot be used here. */
function loadKernels(): KernelExports | string {
  if (typeof madeMemory === "string") return madeMemory;
  let bytes: BufferSource;
  try {
    bytes = new Uint8Array(fs.readFileSync(WASM_FILE));
  } catch {
    return `${WASM_FILE} is missing (npm run build assembles it)`;
  }
  if (!WebAssembly.validate(bytes))
    return "this engine does not support WebAssembly SIMD with a shared memory";
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: { memory: memory! },
  });
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

/** Every SharedArrayBuffer the memory has handed out (a new one after each growth, all over the same bytes). */
const ourBuffers = new WeakSet<object>();
/** A view of the whole memory, refreshed after growth. */
let f64 = new Float64Array(0);
let residentTop = 64; // address 0 stays unused

function refreshViews(): void {
  const buffer = memory!.buffer;
  if (f64.buffer !== buffer) {
    f64 = new Float64Array(buffer);
    ourBuffers.add(buffer);
  }
}

/**
 * `length` zeros in the module's memory, where gemm and the optimisers use them without copying; an
 * ordinary Float64Array where WebAssembly is unavailable or the resident region is full.
 */
export function residentFloat64(length: number): Float64Array {
  const bytes = Math.ceil((length * 8) / 16) * 16;
  if (kernels === null || residentTop + bytes > RESIDENT_BYTES) return new Float64Array(length);
  refreshViews();
  const view = new Float64Array(memory!.buffer, residentTop, length);
  residentTop += bytes;
  return view;
}

/** The byte address of `x` in the module's memory, or -1 if it lives elsewhere. */
function addressOf(x: Float64Array): number {
  return ourBuffers.has(x.buffer) ? x.byteOffset : -1;
}

/** True if both arrays live in the module's memory (their buffers can differ and still share bytes). */
export function bothResident(x: Float64Array, y: Float64Array): boolean {
  return addressOf(x) >= 0 && addressOf(y) >= 0;
}

/** True if the storage of `x` and `y` overlaps (so writing one would change the other). */
export function overlaps(x: Float64Array, y: Float64Array): boolean {
  if (x.length === 0 || y.length === 0) return false;
  // Arrays in the WebAssembly memory share its bytes even when their buffer objects differ.
  if (x.buffer !== y.buffer && !bothResident(x, y)) return false;
  return x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;
}

/** A bump allocator over the scratch space above the resident region, reset for every product. */
class Layout {
  bytes = RESIDENT_BYTES;
  /** Reserves `size` bytes, 16-byte aligned, and returns their address. */
  take(size: number): number {
    const at = this.bytes;
    this.bytes += Math.ceil(size / 16) * 16;
    return at;
  }
  /** `x` where it is, if it lives in the memory and needs no padding; else space to copy it to. */
  place(x: Float64Array, size: number, copyFits: boolean): number {
    const at = addressOf(x);
    return at >= 0 && copyFits ? at : this.take(size);
  }
}

/** Grows the memory to hold `bytes`, and refreshes the views. */
function reserve(bytes: number): void {
  const have = memory!.buffer.byteLength;
  if (bytes > have) memory!.grow(Math.ceil((bytes - have) / PAGE));
  refreshViews();
}

/** Copies a rows×cols matrix into the memory at byte `at`, rows `stride` bytes apart (padding zeroed). */
function copyIn(x: Float64Array, rows: number, cols: number, at: number, stride: number): void {
  if (addressOf(x) === at) return; // already there
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
  if (addressOf(x) === at) return; // written in place
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

/** Entries of A per block of the dot form: 8 MB of A, and so of scratch, at most (at least one row). */
const DOT_BLOCK_ENTRIES = 1 << 20;

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
  skipZeros = true,
): void {
  const w = kernels!;
  const layout = new Layout();
  if (!transB) {
    // Axpy form: B and C with rows padded to whole vectors of two doubles.
    const nv = Math.ceil(n / 2);
    const ld = nv * 16;
    const unpadded = ld === n * 8;
    const a = layout.place(A, A.length * 8, true);
    const b = layout.place(B, k * ld, unpadded);
    const c = layout.place(C, m * ld, unpadded);
    const spare = layout.take(ld);
    const idx = layout.take(k * nv * 4);
    const start = layout.take((k + 1) * 4);
    const val = layout.take(k * ld);
    reserve(layout.bytes);
    copyIn(A, 1, A.length, a, A.length * 8);
    copyIn(B, k, n, b, ld);
    if (beta === 0)
      f64.fill(0, c / 8, (c + m * ld) / 8); // (the padding, if any, too)
    else {
      copyIn(C, m, n, c, ld);
      if (beta !== 1) for (let q = c / 8; q < (c + m * ld) / 8; q++) f64[q] *= beta;
    }
    // Zero products can be skipped unless op(A) holds a NaN or ±∞ (0·∞ is NaN).
    const skip = skipZeros && Number.isFinite(alpha) && w.all_finite(a, A.length) === 1 ? 1 : 0;
    w.pack_rows(b, k, nv, ld, skip, idx, start, val);
    const rs = (transA ? 1 : k) * 8;
    const cs = (transA ? m : 1) * 8;
    w.axpy(a, rs, cs, m, k, c, ld, alpha, idx, start, val, spare);
    copyOut(C, m, n, c, ld);
  } else {
    // Dot form: C = alpha·A·Bᵀ + beta·C, a block of rows of A at a time. Rows of C do not depend on
    // each other, so a large A (a whole validation set) needs scratch space for one block only.
    const block = Math.max(1, Math.min(m, Math.floor(DOT_BLOCK_ENTRIES / Math.max(k, 1))));
    const aHome = addressOf(A);
    const cHome = addressOf(C);
    const b = layout.place(B, n * k * 8, true);
    const aBlock = aHome >= 0 ? aHome : layout.take(block * k * 8);
    const cBlock = cHome >= 0 ? cHome : layout.take(block * n * 8);
    const idx = layout.take(block * k * 4);
    const val = layout.take(block * k * 8);
    const start = layout.take((block + 1) * 4);
    reserve(layout.bytes);
    copyIn(B, n, k, b, k * 8);
    let bFinite: boolean | undefined; // asked only if a block is sparse enough to skip zeros
    for (let r0 = 0; r0 < m; r0 += block) {
      const rows = Math.min(block, m - r0);
      const a = aHome >= 0 ? aHome + r0 * k * 8 : aBlock;
      const c = cHome >= 0 ? cHome + r0 * n * 8 : cBlock;
      const rowsOfA = A.subarray(r0 * k, (r0 + rows) * k);
      const rowsOfC = C.subarray(r0 * n, (r0 + rows) * n);
      copyIn(rowsOfA, rows, k, a, k * 8); // (nothing to copy where A lives in the memory)
      if (beta !== 0) copyIn(rowsOfC, rows, n, c, n * 8);
      const sparse =
        skipZeros && w.pack_dot(a, rows, k, idx, val, start) < WASM_SPARSE_DOT_LIMIT * rows * k;
      if (sparse && (bFinite ??= w.all_finite(b, B.length) === 1)) {
        w.dot_sparse(b, c, rows, k, n, alpha, beta, idx, val, start);
      } else {
        w.dot_dense(a, b, c, rows, k, n, alpha, beta);
      }
      copyOut(rowsOfC, rows, n, c, n * 8);
    }
  }
}

/** True if no entry of `x` is NaN or ±∞: in the module where `x` lives there, else kernels.ts's loop. */
export function allFiniteResident(x: Float64Array): boolean {
  const at = addressOf(x);
  return at >= 0 && kernels !== null ? kernels.all_finite(at, x.length) === 1 : allFinite(x);
}

/** d += scale·o in the module, when both live there and the backend is "wasm"; false if not done. */
export function addScaledWasm(d: Float64Array, o: Float64Array, scale: number): boolean {
  if (backend !== "wasm" || !bothResident(d, o)) return false;
  // Two at a time reads o[p + 1] before storing d[p]: the same as one at a time unless the two
  // arrays partly overlap, which is left to the TypeScript loop.
  if (d.byteOffset !== o.byteOffset && overlaps(d, o)) return false;
  kernels!.add_scaled(addressOf(d), addressOf(o), scale, d.length);
  return true;
}

/** Adam's step (optimizers.ts) in the module, when all four arrays live there; false if not done. */
export function adamStepWasm(
  w: Float64Array,
  g: Float64Array,
  m: Float64Array,
  v: Float64Array,
  beta1: number,
  beta2: number,
  learningRate: number,
  correction1: number,
  correction2: number,
  epsilon: number,
): boolean {
  if (backend !== "wasm" || !bothResident(w, g) || !bothResident(m, v)) return false;
  if (w.byteOffset !== g.byteOffset && overlaps(w, g)) return false; // as in addScaledWasm
  kernels!.adam(
    addressOf(w),
    addressOf(g),
    addressOf(m),
    addressOf(v),
    w.length,
    beta1,
    1 - beta1,
    beta2,
    1 - beta2,
    learningRate,
    correction1,
    correction2,
    epsilon,
  );
  return true;
}

/**
 * Runs the module's `peak` loop (register-only f64x2 multiplications and additions, kernels.wat) for
 * `iterations` rounds and returns the floating-point operations it did, or null with the backend
 * unavailable. For chapter 8's measured ceiling of WebAssembly SIMD without FMA (timing.ts).
 */
export function runPeakLoop(iterations: number): number | null {
  if (kernels === null) return null;
  const sum = kernels.peak(iterations, 1);
  if (!Number.isFinite(sum)) throw new Error("runPeakLoop: the peak loop lost its values");
  return 24 * iterations; // six f64x2.mul and six f64x2.add per round, two lanes each
}
