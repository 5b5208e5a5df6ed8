// Before any test: what `npm run build` does, assembling the WebAssembly kernels and compiling lib/ to lib/build,
// which the notebooks import, so that running `npx vitest` on a single file never executes a chapter against a
// stale or missing build. (The unit tests import lib/src directly.)
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export default function buildLibrary(): void {
  // Each project (the wasm and js backends) runs this setup; build once.
  const flags = globalThis as { __gatesLibraryBuilt?: boolean };
  if (flags.__gatesLibraryBuilt) return;
  flags.__gatesLibraryBuilt = true;
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  // The WebAssembly kernels (kernels.wat → lib/build/kernels.wasm), then the TypeScript.
  const steps: [string, string[]][] = [
    ["scripts/build-wasm.ts", ["--import", "tsx", "scripts/build-wasm.ts"]],
    ["tsc -p lib", [tsc, "-p", "lib"]],
  ];
  for (const [step, args] of steps) {
    try {
      execFileSync(process.execPath, args, { cwd: root, stdio: "pipe", encoding: "utf8" });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`building lib/ (${step}) failed:\n${stdout ?? ""}${stderr ?? ""}`);
    }
  }
}
