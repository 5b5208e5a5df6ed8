/**
 * The WebAssembly backend: kernels.wat assembled into lib/build/kernels.wasm at build time
 * (scripts/build-wasm.ts), loaded once, synchronously, when the library is first imported, and
 * wrapped as a {@link Backend} with the TypeScript backend's bits (kernels.wat says why they agree).
 *
 * Where matrices live. The module has one memory, shared, so that growing it never detaches the
 * views JavaScript holds into it. Its first RESIDENT_BYTES hold long-lived arrays that the library
 * allocates there (`residentFloat64`): each layer's weights, biases and their gradients, the
 * optimisers' state and fit's batch buffers. gemm reads and writes those in place, and SGD's and
 * Adam's steps run on them in the module. Any other operand is copied into the scratch space above
 * them for each product, and its result copied out; the scratch grows when a product needs more.
 * Arrays that do not live here go to the TypeScript backend for the steps that work in place.
 *
 * A page without cross-origin isolation cannot share memory: there the module (kernels-unshared.wasm,
 * the same kernels importing a non-shared memory) gets a memory of fixed size, which never grows, since
 * growing it would detach every view into it; a product that needs more scratch than it has runs on
 * the TypeScript backend, which gives the same bits.
 */
import { sharedMemoryAllowed, WASM_FILE, wasmBytes } from "../platform";
import { ARC4_STATE_BYTES, type MaskForm } from "./arc4";
import type { AdamStepCall, Backend, GemmCall } from "./backend";
import { jsBackend } from "./js";
import { providePoolSource, runShares, threadsFor } from "./pool";

/**
 * Every export of kernels.wat with the names of its parameters (all numbers: byte addresses, counts,
 * and f64 factors), in the order kernels.wat declares them. The module is refused at load if an
 * export is missing or takes another number of arguments, so that a change on one side cannot be
 * called with the arguments shifted.
 */
const KERNELS = {
  all_finite: ["x", "n"],
  pack_rows: ["b", "k", "nv", "ldb", "skip", "idx", "start", "val"],
  axpy: ["a", "rs", "cs", "m", "k", "c", "ldc", "alpha", "idx", "start", "val", "spare"],
  dot_dense: ["a", "b", "c", "m", "k", "n", "alpha", "beta"],
  pack_dot: ["a", "m", "k", "idx", "start", "val"],
  dot_sparse: ["b", "c", "m", "k", "n", "alpha", "beta", "idx", "start", "val"],
  add_scaled: ["d", "o", "scale", "n"],
  adam: [
    "w",
    "g",
    "m",
    "v",
    "n",
    "beta1",
    "oneMinusBeta1",
    "beta2",
    "oneMinusBeta2",
    "lr",
    "c1",
    "c2",
    "eps",
  ],
  arc4_fill: ["s", "out", "n", "mask", "keep", "scale"],
  peak: ["iterations", "x"],
} as const;

type KernelExports = { [name in keyof typeof KERNELS]: (...args: number[]) => number };

/** The exports in table order: a helper thread is told a kernel by its index here. */
const KERNEL_NAMES = Object.keys(KERNELS) as (keyof typeof KERNELS)[];

/** Where the module's bytes are: lib/build/, next to the compiled library (and beside lib/src/). */
export { WASM_FILE };

/**
 * Bytes at the bottom of the memory for resident arrays: 256 MiB, reserved but only used (and only
 * counted in the process's memory) as arrays are placed there. They are never freed: a JavaScript
 * view into them can outlive any owner the library could track, and reusing its bytes would
 * silently change what it sees. When the region is full, new arrays are ordinary ones (and gemm
 * copies them), so nothing breaks; only speed is lost.
 */
export const RESIDENT_BYTES = 256 * 1024 * 1024;

const PAGE = 65536;

/** The scratch space of a memory that cannot grow (not shared): 64 MiB above the resident region. */
export const FIXED_SCRATCH_BYTES = 64 * 1024 * 1024;

/**
 * The module's memory: shared and growable up to 4 GiB where shared memory is allowed, else of fixed
 * size (see above); or why this engine cannot make one.
 */
function makeMemory(): WebAssembly.Memory | string {
  if (typeof WebAssembly !== "object") return "this engine has no WebAssembly";
  const shared = sharedMemoryAllowed();
  try {
    return shared
      ? new WebAssembly.Memory({ initial: RESIDENT_BYTES / PAGE + 16, maximum: 65536, shared })
      : new WebAssembly.Memory({
          initial: (RESIDENT_BYTES + FIXED_SCRATCH_BYTES) / PAGE,
          maximum: (RESIDENT_BYTES + FIXED_SCRATCH_BYTES) / PAGE,
        });
  } catch (error) {
    return `this engine cannot make a${shared ? " shared" : ""} WebAssembly memory (${(error as Error).message})`;
  }
}

const madeMemory = makeMemory();
const memory: WebAssembly.Memory | null = typeof madeMemory === "string" ? null : madeMemory;

/** "shared" (growable, helper threads can use it), "fixed" (not shared: see above), or null without the backend. */
export let wasmMemoryKind: "shared" | "fixed" | null = null;

/** Loads the module, or says in one sentence why it cannot be used here. */
function loadKernels(): KernelExports | string {
  if (typeof madeMemory === "string") return madeMemory;
  const shared = sharedMemoryAllowed();
  let bytes: BufferSource;
  try {
    bytes = new Uint8Array(wasmBytes(shared)); // (a copy: its own ArrayBuffer, as BufferSource wants)
  } catch (error) {
    return (error as Error).message;
  }
  if (!WebAssembly.validate(bytes))
    return `this engine does not support WebAssembly SIMD${shared ? " with a shared memory" : ""}`;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: { memory: memory! },
  });
  for (const [name, params] of Object.entries(KERNELS)) {
    const exported = instance.exports[name];
    if (typeof exported !== "function" || exported.length !== params.length)
      return `${WASM_FILE} does not match wasm.ts: its export "${name}" should take ${params.length} arguments (${params.join(", ")})`;
  }
  providePoolSource({
    memory: memory!,
    bytes: new Uint8Array(bytes as Uint8Array),
    names: KERNEL_NAMES,
  });
  wasmMemoryKind = shared ? "shared" : "fixed";
  return instance.exports as unknown as KernelExports;
}

const loaded = loadKernels();
const kernels: KernelExports | null = typeof loaded === "string" ? null : loaded;

/** Why the WebAssembly backend is unavailable, or null when it can run. */
export const wasmUnavailable: string | null = typeof loaded === "string" ? loaded : null;

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

/**
 * `length` zero bytes in the module's memory (a generator's state, so that its draws need no copy), or an
 * ordinary Uint8Array where WebAssembly is unavailable or the resident region is full.
 */
export function residentBytes(length: number): Uint8Array {
  const doubles = residentFloat64(Math.ceil(length / 8));
  return new Uint8Array(doubles.buffer, doubles.byteOffset, length);
}

/** The byte address of `x` in the module's memory, or -1 if it lives elsewhere. */
function addressOf(x: Float64Array | Uint8Array): number {
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

/**
 * Grows the memory to hold `bytes`, and refreshes the views; false, without growing, where the memory
 * has a fixed size that is too small (the caller then leaves the call to the TypeScript backend).
 */
function reserve(bytes: number): boolean {
  const have = memory!.buffer.byteLength;
  if (bytes > have) {
    if (wasmMemoryKind === "fixed") return false;
    memory!.grow(Math.ceil((bytes - have) / PAGE));
  }
  refreshViews();
  return true;
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

/** Runs one kernel call on this thread (a share of runShares). */
function runHere(kernel: number, args: readonly number[]): void {
  kernels![KERNEL_NAMES[kernel]](...args);
}

/**
 * Splits `rows` rows into `parts` shares of whole multiples of `step` rows (the last takes the rest) and
 * runs `call(first row, rows)` for each, the shares after the first on helper threads. Each row of the
 * output is computed by the same kernel, its sums in the same order, whichever share it falls in.
 */
function splitRows(
  rows: number,
  parts: number,
  step: number,
  kernel: keyof typeof KERNELS,
  call: (first: number, count: number, part: number) => number[],
): void {
  const each = Math.ceil(rows / parts / step) * step;
  const shares: { kernel: number; args: number[] }[] = [];
  for (let first = 0, part = 0; first < rows; first += each, part++)
    shares.push({
      kernel: KERNEL_NAMES.indexOf(kernel),
      args: call(first, Math.min(each, rows - first), part),
    });
  if (shares.length === 1) runHere(shares[0].kernel, shares[0].args);
  else runShares(shares, runHere);
}

/** Entries of A per block of the dot form: 8 MB of A, and so of scratch, at most (at least one row). */
const DOT_BLOCK_ENTRIES = 1 << 20;

/**
 * C = alpha·op(A)·op(B) + beta·C with the WebAssembly kernels, for every form but Aᵀ·Bᵀ (which
 * no layer computes, left to the TypeScript backend). Shapes and arguments are gemm's, already checked.
 */
function gemm(call: GemmCall): void {
  const { A, B, C, m, k, n, transA, transB, alpha, beta, skipZeros } = call;
  if (transA && transB) return jsBackend.gemm(call);
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
    const parts = threadsFor(m * k * n);
    // where the stand-in rows of C go when a share's rows are not a multiple of 4: one row per share
    const spare = layout.take(ld * parts);
    const idx = layout.take(k * nv * 4);
    const start = layout.take((k + 1) * 4);
    const val = layout.take(k * ld);
    if (!reserve(layout.bytes)) return jsBackend.gemm(call);
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
    splitRows(m, parts, 4, "axpy", (i, rows, part) => [
      a + i * rs,
      rs,
      cs,
      rows,
      k,
      c + i * ld,
      ld,
      alpha,
      idx,
      start,
      val,
      spare + part * ld,
    ]);
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
    if (!reserve(layout.bytes)) return jsBackend.gemm(call);
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
        skipZeros && w.pack_dot(a, rows, k, idx, start, val) < WASM_SPARSE_DOT_LIMIT * rows * k;
      const parts = threadsFor(rows * k * n);
      if (sparse && (bFinite ??= w.all_finite(b, B.length) === 1)) {
        splitRows(rows, parts, 2, "dot_sparse", (i, count) => [
          b,
          c + i * n * 8,
          count,
          k,
          n,
          alpha,
          beta,
          idx,
          start + i * 4,
          val,
        ]);
      } else {
        splitRows(rows, parts, 2, "dot_dense", (i, count) => [
          a + i * k * 8,
          b,
          c + i * n * 8,
          count,
          k,
          n,
          alpha,
          beta,
        ]);
      }
      copyOut(rowsOfC, rows, n, c, n * 8);
    }
  }
}

/** True if no entry of `x` is NaN or ±∞: in the module where `x` lives there. */
function allFinite(x: Float64Array): boolean {
  const at = addressOf(x);
  return at >= 0 ? kernels!.all_finite(at, x.length) === 1 : jsBackend.allFinite(x);
}

/**
 * Two arrays the module can update in place, two entries at a time: both resident, and either the same
 * array or apart. (Two at a time reads o[p + 1] before storing d[p]: the same as one at a time unless
 * the two partly overlap.)
 */
function inPlacePair(d: Float64Array, o: Float64Array): boolean {
  return bothResident(d, o) && (d.byteOffset === o.byteOffset || !overlaps(d, o));
}

/** d += scale·o in the module where both live there. */
function addScaled(d: Float64Array, o: Float64Array, scale: number): void {
  if (!inPlacePair(d, o)) return jsBackend.addScaled(d, o, scale);
  kernels!.add_scaled(addressOf(d), addressOf(o), scale, d.length);
}

/**
 * Adam's step on one weight, in multiply-adds of a product (the unit of the pool's threshold): about 16, as
 * its division and square root cost several multiplications each.
 */
const ADAM_WORK_PER_WEIGHT = 16;

/** Adam's step in the module where all four arrays live there. */
function adamStep(step: AdamStepCall): void {
  const { w, g, m, v, beta1, beta2, learningRate, correction1, correction2, epsilon } = step;
  if (!inPlacePair(w, g) || !bothResident(m, v)) return jsBackend.adamStep(step);
  const [pw, pg, pm, pv] = [w, g, m, v].map(addressOf);
  // Each weight's update is its own, so a large parameter is split between threads by ranges of weights.
  const parts = threadsFor(w.length * ADAM_WORK_PER_WEIGHT);
  splitRows(w.length, parts, 2, "adam", (i, count) => [
    pw + i * 8,
    pg + i * 8,
    pm + i * 8,
    pv + i * 8,
    count,
    beta1,
    1 - beta1,
    beta2,
    1 - beta2,
    learningRate,
    correction1,
    correction2,
    epsilon,
  ]);
}

/**
 * Draws of seedrandom's generator into `out` (or dropout masks made of them) in the module: the state and
 * `out` are used where they live in the memory, else copied into the scratch space and back.
 */
function arc4Fill(state: Uint8Array, out: Float64Array, mask: MaskForm | null): void {
  const layout = new Layout();
  const stateHome = addressOf(state);
  const s = stateHome >= 0 ? stateHome : layout.take(ARC4_STATE_BYTES);
  const o = layout.place(out, out.length * 8, true);
  if (!reserve(layout.bytes)) return jsBackend.arc4Fill(state, out, mask);
  const bytes = new Uint8Array(memory!.buffer);
  if (stateHome < 0) bytes.set(state.subarray(0, ARC4_STATE_BYTES), s);
  kernels!.arc4_fill(s, o, out.length, mask ? 1 : 0, mask?.keep ?? 0, mask?.scale ?? 0);
  if (stateHome < 0) state.set(bytes.subarray(s, s + ARC4_STATE_BYTES));
  copyOut(out, 1, out.length, o, out.length * 8);
}

/** The WebAssembly backend, or null where this engine cannot run it ({@link wasmUnavailable} says why). */
export const wasmBackend: Backend | null =
  kernels === null ? null : { name: "wasm", gemm, addScaled, adamStep, allFinite, arc4Fill };

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
