// `npm run bench` prints figures and never fails on time; this checks that it runs, that its JSON line holds the
// figures the README promises, with the work counted as the issue defines it (5.03 GFLOP per epoch), and that both
// backends of gemm trained to the same accuracy (they give the same bits).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

it("npm run bench -- --json times each network on both backends and the training products", async () => {
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", join(__dirname, "..", "scripts", "bench.ts"), "--json"],
    { maxBuffer: 1 << 20 },
  );
  const lines = stdout.trimEnd().split("\n");
  expect(stdout).toMatch(/^ {2}nielsen +wasm \d+\.\d\d s \(\d+\.\d\d%\) +js \d+\.\d\d s/m);
  const figures = JSON.parse(lines[lines.length - 1]) as Record<string, number>;
  for (const name of ["nielsen", "softmax", "best"]) {
    for (const backend of ["wasm", "js"])
      expect(figures[`${name}_${backend}_s_per_epoch`]).toBeGreaterThan(0);
    expect(figures[`${name}_wasm_test_accuracy`]).toBe(figures[`${name}_js_test_accuracy`]);
  }
  // 50,000 images × 2 FLOP × (forward and ∇W of both layers, ∂L/∂X of the second) + 5,000 steps × 2 FLOP × parameters.
  const gflop = (hidden: number, batch: number) =>
    (50_000 * 2 * (2 * 784 * hidden + 3 * hidden * 10) +
      Math.ceil(50_000 / batch) * 2 * (785 * hidden + (hidden + 1) * 10)) /
    1e9;
  expect(figures.nielsen_gflop_per_epoch).toBeCloseTo(gflop(30, 10), 3);
  expect(figures.nielsen_gflop_per_epoch).toBeCloseTo(5.03, 2);
  expect(figures.softmax_gflop_per_epoch).toBeCloseTo(gflop(100, 10), 3);
  expect(figures.best_gflop_per_epoch).toBeCloseTo(gflop(256, 64), 3);
  // One epoch is enough to learn most digits: a broken training step would not get here.
  expect(figures.nielsen_wasm_test_accuracy).toBeGreaterThan(0.85);
  expect(figures.softmax_wasm_test_accuracy).toBeGreaterThan(0.9);
  expect(figures.best_wasm_test_accuracy).toBeGreaterThan(0.93);
  const rates = Object.keys(figures).filter((k) => /^gemm_.*_(js|wasm)_gflops$/.test(k));
  expect(rates.length).toBe(20); // ten products, two backends
  for (const k of rates) expect(figures[k]).toBeGreaterThan(0);
  expect(figures.peak_rss_mb).toBeGreaterThan(100);
}, 240_000);
