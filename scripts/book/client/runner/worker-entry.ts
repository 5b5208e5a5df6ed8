// assets/runner-worker.js, a module worker: the worker of a chapter page's runner. The library is
// the book's browser bundle of it (assets/library/gates-to-digits.js, scripts/book/library-bundle.ts),
// imported beside this script: it finds its WebAssembly kernels beside itself, and it exports the
// hooks of its browser platform (setOutputHandler, setInterruptFlag, …) besides the library.
import { installNodeMath } from "../../../../lib/src/platform/v8-math";
import type { PlatformHooks } from "./worker";
import { startWorker } from "./worker";

// Node 20's Math.exp, log, tanh, sin, cos, pow… before the library or any cell runs: Chromium's
// V8 computes other last bits for some inputs, and the page is to print what Jupyter printed (the
// chapters ran in Node). The library's bundle and the cells (cells.ts) write `**` as Math.pow.
installNodeMath();

/** The library bundle, relative to this script (a variable: the bundler leaves the import alone). */
const LIBRARY_URL = new URL("library/gates-to-digits.js", import.meta.url).href;

startWorker(self as unknown as Parameters<typeof startWorker>[0], async () => {
  const library = (await import(LIBRARY_URL)) as PlatformHooks & Record<string, unknown>;
  return { hooks: library, library };
});
