/**
 * Which backend runs, chosen in this one place: "wasm" (WebAssembly SIMD, the default where this engine
 * validates the module: SIMD is in Node 16.4 and later, no flag) or "js" (the TypeScript kernels, the
 * readable reference), unless the environment variable GATES_BACKEND says "js". Both give the same bits.
 */
import { describeValue } from "../core/checks";
import { env } from "../platform";
import type { Backend, BackendName } from "./backend";
import { jsBackend } from "./js";
import { getThreads, threadsUnavailable } from "./pool";
import { wasmBackend, wasmMemoryKind, wasmUnavailable } from "./wasm";

export type { BackendName } from "./backend";
export { wasmUnavailable } from "./wasm";

/** The default backend, or the one the environment variable GATES_BACKEND names ("js" or "wasm"). */
function initialBackend(): Backend {
  const asked = env("GATES_BACKEND");
  if (asked !== undefined && asked !== "js" && asked !== "wasm")
    console.warn(
      `GATES_BACKEND must be "js" or "wasm", got ${describeValue(asked)}: using the default`,
    );
  if (asked === "wasm" && wasmBackend === null)
    console.warn(
      `GATES_BACKEND asks for "wasm", which is unavailable (${wasmUnavailable}): using "js"`,
    );
  return asked === "js" || wasmBackend === null ? jsBackend : wasmBackend;
}

let current: Backend = initialBackend();

/** The backend every matrix product and in-place update runs on. */
export function backend(): Backend {
  return current;
}

/**
 * Selects the kernels behind every matrix product: "wasm" (WebAssembly SIMD, the default where
 * available) or "js" (kernels.ts, the readable reference). Returns the previous choice.
 */
export function setBackend(name: BackendName): BackendName {
  if (name !== "js" && name !== "wasm") {
    throw new RangeError(`setBackend: name must be "js" or "wasm", got ${describeValue(name)}`);
  }
  if (name === "wasm" && wasmBackend === null) {
    throw new Error(`setBackend: the WebAssembly backend is unavailable: ${wasmUnavailable}`);
  }
  const previous = current.name;
  current = name === "wasm" ? wasmBackend! : jsBackend;
  return previous;
}

/** The backend in use: "wasm" or "js". */
export function getBackend(): BackendName {
  return current.name;
}

/** Runs `body` with `name` as the backend, then restores the previous one (even if it throws). */
export function withBackend<T>(name: BackendName, body: () => T): T {
  const previous = setBackend(name);
  try {
    return body();
  } finally {
    setBackend(previous);
  }
}

/**
 * One line saying which kernels run here and on how many threads, and why not the fastest: for a page
 * to print (with or without cross-origin isolation) and for benchmarks, e.g. "wasm (WebAssembly SIMD,
 * shared memory, 2 threads)" or "js (the TypeScript kernels; WebAssembly is unavailable: …)".
 */
export function describeBackend(): string {
  if (current.name === "js")
    return wasmUnavailable === null
      ? "js (the TypeScript kernels, as chosen; WebAssembly is available)"
      : `js (the TypeScript kernels; WebAssembly is unavailable: ${wasmUnavailable})`;
  const threads = threadsUnavailable() === null ? getThreads() : 1;
  const memory =
    wasmMemoryKind === "shared"
      ? "on a shared memory"
      : "on a memory of fixed size, not shared, for want of cross-origin isolation (a product too large for it runs on the TypeScript kernels)";
  const why = threadsUnavailable() === null ? "" : `: ${threadsUnavailable()}`;
  return `wasm (WebAssembly SIMD ${memory}; ${threads} thread${threads === 1 ? "" : "s"}${why})`;
}

export {
  getThreads,
  prepareThreads,
  setThreads,
  sharesOnHelpers,
  threadsUnavailable,
  withThreads,
} from "./pool";
