/**
 * Which backend runs, chosen in this one place: "wasm" (WebAssembly SIMD, the default where this engine
 * validates the module: SIMD is in Node 16.4 and later, no flag) or "js" (the TypeScript kernels, the
 * readable reference), unless the environment variable GATES_BACKEND says "js". Both give the same bits.
 */
import { describeValue } from "../core/checks";
import type { Backend, BackendName } from "./backend";
import { jsBackend } from "./js";
import { wasmBackend, wasmUnavailable } from "./wasm";

export type { BackendName } from "./backend";
export { wasmUnavailable } from "./wasm";

/** The default backend, or the one the environment variable GATES_BACKEND names ("js" or "wasm"). */
function initialBackend(): Backend {
  const asked = typeof process === "object" ? process.env.GATES_BACKEND : undefined;
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

export { getThreads, setThreads, threadsUnavailable, withThreads } from "./pool";
