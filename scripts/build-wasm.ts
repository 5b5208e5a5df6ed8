// Assembles lib/src/backends/kernels.wat (the WebAssembly SIMD kernels behind gemm) into lib/build/kernels.wasm
// with the npm package wabt, which itself runs as WebAssembly: nothing is downloaded and nothing compiles at run
// time. `npm run build` runs it before tsc.
import * as fs from "node:fs";
import * as path from "node:path";
import wabtModule from "wabt";

const source = path.join(__dirname, "..", "lib", "src", "backends", "kernels.wat");
const target = path.join(__dirname, "..", "lib", "build", "kernels.wasm");

async function main(): Promise<void> {
  const wabt = await wabtModule();
  const text = fs.readFileSync(source, "utf8");
  const module = wabt.parseWat(path.basename(source), text, { simd: true, threads: true });
  // wabt's own validate() ignores the threads feature (it rejects the shared memory), so the engine that will run
  // the module validates it instead.
  const { buffer } = module.toBinary({ write_debug_names: true });
  module.destroy();
  if (!WebAssembly.validate(buffer))
    throw new Error(`${source}: Node's WebAssembly rejects the assembled module`);
  // The first step of every build of lib/ (npm run build, the tests' global setup): lib/build starts
  // empty, so that a module removed from lib/src leaves no compiled copy behind for npm pack to ship.
  fs.rmSync(path.dirname(target), { recursive: true, force: true });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, buffer);
  console.log(
    `${path.relative(process.cwd(), target)}: ${buffer.length} bytes from ${path.basename(source)}`,
  );
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
