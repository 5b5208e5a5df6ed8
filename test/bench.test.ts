// `npm run bench` prints figures and never fails on time; this checks that it runs and that its JSON line holds
// the figures the README promises, with the work counted as the issue defines it (5.03 GFLOP per epoch).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

it("npm run bench -- --json prints one epoch of each network as a JSON line", async () => {
  const { stdout } = await run(
    process.execPath,
    [join(__dirname, "..", "scripts", "bench.js"), "--json"],
    { maxBuffer: 1 << 20 },
  );
  const lines = stdout.trimEnd().split("\n");
  expect(lines[1]).toMatch(
    /^nielsen_784_30_10 +\d+\.\d\d s\/epoch +[\d,]+ images\/s +5\.03 GFLOP\/epoch/,
  );
  const figures = JSON.parse(lines[lines.length - 1]) as Record<string, number>;
  for (const name of ["nielsen_784_30_10", "softmax_784_100_10"]) {
    expect(figures[`${name}_s_per_epoch`]).toBeGreaterThan(0);
    expect(figures[`${name}_images_per_s`]).toBeCloseTo(
      50_000 / figures[`${name}_s_per_epoch`],
      -3,
    );
    expect(figures[`${name}_gflops`]).toBeCloseTo(
      figures[`${name}_gflop_per_epoch`] / figures[`${name}_s_per_epoch`],
      1,
    );
  }
  // 50,000 images × 2 FLOP × (forward and ∇W of both layers, ∂L/∂X of the second) + 5,000 SGD steps × 2 FLOP × parameters.
  const gflop = (hidden: number) =>
    (50_000 * 2 * (2 * 784 * hidden + 3 * hidden * 10) +
      5_000 * 2 * (785 * hidden + (hidden + 1) * 10)) /
    1e9;
  expect(figures.nielsen_784_30_10_gflop_per_epoch).toBeCloseTo(gflop(30), 3);
  expect(figures.nielsen_784_30_10_gflop_per_epoch).toBeCloseTo(5.03, 2);
  expect(figures.softmax_784_100_10_gflop_per_epoch).toBeCloseTo(gflop(100), 3);
  // One epoch is enough to learn most digits: a broken training step would not get here.
  expect(figures.nielsen_784_30_10_test_accuracy).toBeGreaterThan(0.85);
  expect(figures.softmax_784_100_10_test_accuracy).toBeGreaterThan(0.9);
  expect(figures.peak_rss_mb).toBeGreaterThan(100);
}, 120_000);
