// Assembles lib/src/backends/kernels.wat (the WebAssembly SIMD kernels behind gemm) into lib/build/kernels.wasm
// with the npm package wabt, which itself runs as WebAssembly: nothing is downloaded and nothing compiles at run
// time. `npm run build` runs it before tsc. It also writes lib/build/kernels-unshared.wasm, the same kernels
// importing a memory that is not shared, for a book page without cross-origin isolation (backends/wasm.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import wabtModule from "wabt";

const source = path.join(__dirname, "..", "lib", "src", "backends", "kernels.wat");
const targets = {
  shared: path.join(__dirname, "..", "lib", "build", "kernels.wasm"),
  unshared: path.join(__dirname, "..", "lib", "build", "kernels-unshared.wasm"),
};

/** The one line of kernels.wat that makes the two variants differ. */
const SHARED_IMPORT = '(import "env" "memory" (memory 1 65536 shared))';

async function main(): Promise<void> {
  const wabt = await wabtModule();
  const text = fs.readFileSync(source, "utf8");
  if (!text.includes(SHARED_IMPORT))
    throw new Error(`${source}: no line ${SHARED_IMPORT} to make the unshared variant from`);
  const variants = {
    shared: text,
    unshared: text.replace(SHARED_IMPORT, '(import "env" "memory" (memory 1 65536))'),
  };
  // The first step of every build of lib/ (npm run build, the tests' global setup): lib/build starts
  // empty, so that a module removed from lib/src leaves no compiled copy behind for npm pack to ship.
  fs.rmSync(path.dirname(targets.shared), { recursive: true, force: true });
  for (const [variant, wat] of Object.entries(variants) as [keyof typeof targets, string][]) {
    const module = wabt.parseWat(path.basename(source), wat, { simd: true, threads: true });
    // wabt's own validate() ignores the threads feature (it rejects the shared memory), so the engine that will
    // run the module validates it instead.
    const { buffer } = module.toBinary({ write_debug_names: true });
    module.destroy();
    if (!WebAssembly.validate(buffer))
      throw new Error(`${source} (${variant}): Node's WebAssembly rejects the assembled module`);
    const target = targets[variant];
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, buffer);
    console.log(
      `${path.relative(process.cwd(), target)}: ${buffer.length} bytes from ${path.basename(source)}`,
    );
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
