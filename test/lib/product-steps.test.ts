import { describe, expect, it } from "vitest";
import { Matrix, gemm } from "../../lib/src/core/matrix";
import {
  productLoopOrder,
  productNaive,
  productTiled,
} from "../../lib/src/measuring/product-steps";
import { Random } from "../../lib/src/core/random";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Network } from "../../lib/src/networks/network";
import { SGD } from "../../lib/src/networks/optimizers";
import { timeInProducts } from "../../lib/src/core/matrix";
import { runPeakLoop } from "../../lib/src/backends/wasm";
import { getBackend } from "../../lib/src/backends/select";
import {
  cacheLevels,
  compareTimings,
  formatSpread,
  numpyCeiling,
  numpyRates,
  processorInfo,
  productGflops,
  rateSpread,
  ratioSpread,
  secondsPerCall,
  spreadOf,
  wasmPeakGflops,
} from "../../lib/src/measuring/timing";

describe("chapter 8's steps to a fast product", () => {
  const rng = new Random("product-steps");

  it("give the same bits as each other, and the product gemm computes to rounding", () => {
    for (const [m, k, n] of [
      [1, 1, 1],
      [3, 7, 5],
      [4, 4, 4],
      [9, 13, 2],
      [10, 784, 30],
      [0, 3, 2],
      [2, 0, 3],
    ]) {
      const A = rng.uniformMatrix(m, k, -1, 1);
      const B = rng.uniformMatrix(k, n, -1, 1);
      const results = [productNaive, productLoopOrder, productTiled].map((step) => {
        const C = new Float64Array(m * n).fill(NaN); // every entry must be written
        step(A.data, B.data, C, m, k, n);
        return Array.from(C);
      });
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
      const reference = gemm(A, B).data;
      results[0].forEach((v, q) => expect(Math.abs(v - reference[q])).toBeLessThan(1e-12));
    }
  });
});

describe("timing", () => {
  it("secondsPerCall measures a call and checks its arguments", () => {
    let calls = 0;
    const s = secondsPerCall(() => calls++, 0.01);
    expect(s).toBeGreaterThan(0);
    expect(calls).toBeGreaterThan(3);
    expect(() => secondsPerCall("f" as unknown as () => void)).toThrow(
      /secondsPerCall: fn must be a function/,
    );
    expect(() => secondsPerCall(() => 0, 0)).toThrow(/secondsPerCall: budget/);
  });

  it("productGflops counts 2·m·k·n operations", () => {
    expect(productGflops(10, 784, 30, 1e-4)).toBeCloseTo(4.704, 10);
    expect(() => productGflops(1, 1, 1, 0)).toThrow(/productGflops: seconds/);
  });

  it("numpyCeiling measures numpy's product (installed by .ci/run), far above our kernels", () => {
    const ceiling = numpyCeiling(256);
    expect(ceiling.gflops, ceiling.why).not.toBeNull();
    expect(ceiling.gflops!).toBeGreaterThan(1);
    const A = Matrix.filled(256, 256, 0.5);
    const ours = productGflops(
      256,
      256,
      256,
      secondsPerCall(() => gemm(A, A), 0.05),
    );
    expect(ceiling.gflops!).toBeGreaterThan(ours); // ordering only, with a wide margin on any machine
  }, 30_000);

  it("spreadOf gives the median and range, and refuses what has none", () => {
    expect(spreadOf([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, samples: [3, 1, 2] });
    expect(spreadOf([4, 1, 2, 3]).median).toBe(2.5);
    expect(formatSpread(spreadOf([1, 2, 4]), 1)).toBe("2.0 (1.0–4.0)");
    expect(() => spreadOf([])).toThrow(/spreadOf: samples is empty/);
    expect(() => spreadOf([1, NaN])).toThrow(/spreadOf: samples holds NaN/);
  });

  it("compareTimings interleaves the contenders round by round, and pairs rounds in ratios", () => {
    const order: string[] = [];
    const spreads = compareTimings(
      {
        fast: () => order.push("fast"),
        slow: () => {
          order.push("slow");
          for (let i = 0, x = 0; i < 20000; i++) x += Math.sqrt(i);
        },
      },
      { rounds: 3, budget: 0.002 },
    );
    expect(spreads.fast.samples).toHaveLength(3);
    // each round measures fast, then slow: the calls alternate in runs
    const switches = order.filter((name, i) => i > 0 && name !== order[i - 1]).length;
    expect(switches).toBe(5);
    expect(spreads.slow.median).toBeGreaterThan(spreads.fast.median);
    const ratio = ratioSpread(spreads.slow, spreads.fast);
    expect(ratio.samples).toEqual(spreads.slow.samples.map((t, r) => t / spreads.fast.samples[r]));
    expect(rateSpread(2, spreads.fast).max).toBeCloseTo(2 / spreads.fast.min, 12);
    expect(() => compareTimings({ a: () => 0 }, { round: 2 } as never)).toThrow(
      /compareTimings: unknown option "round"; did you mean "rounds"/,
    );
    expect(() => compareTimings({})).toThrow(/compareTimings: contenders is empty/);
    expect(() => compareTimings({ a: 1 as never })).toThrow(/contenders\.a must be a function/);
    expect(() => ratioSpread(spreadOf([1]), spreadOf([1, 2]))).toThrow(
      /ratioSpread: .* same rounds/,
    );
  });

  it("timeInProducts measures the time gemm spends inside a training step", () => {
    const rng = new Random("time-in-products");
    const net = new Network({ sizes: [50, 20, 3], random: rng.fork("net") });
    const X = rng.uniformMatrix(32, 50, 0, 1);
    const Y = rng.uniformMatrix(32, 3, 0, 1);
    const sgd = new SGD({ learningRate: 0.1 });
    const timed = timeInProducts(() => {
      net.computeGradients(X, Y);
      sgd.step(net.parameters());
    });
    // forward: 2 products; backward: 2 weight gradients and 1 error passed back
    expect(timed.products).toBe(5);
    expect(timed.productSeconds).toBeGreaterThan(0);
    expect(timed.productSeconds).toBeLessThanOrEqual(timed.seconds);
    expect(timeInProducts(() => 0).products).toBe(0);
    expect(() => timeInProducts(() => timeInProducts(() => 0))).toThrow(/cannot nest/);
    expect(timeInProducts(() => gemm(X, X, { transB: true })).products).toBe(1); // the clock was reset
  });

  it("wasmPeakGflops measures the register-only SIMD loop, which does 24 FLOP a round", () => {
    // Its ordering against the library's kernels is chapter 8's to show, on a quiet machine; a unit test
    // only checks what cannot flake: the count, a finite result, a positive rate.
    if (getBackend() === "wasm") {
      expect(runPeakLoop(1000)).toBe(24000);
      expect(runPeakLoop(0)).toBe(0);
      expect(wasmPeakGflops(0.01)!).toBeGreaterThan(0);
    }
    expect(() => wasmPeakGflops(0)).toThrow(/wasmPeakGflops: budget/);
  });

  it("cacheLevels reads Linux's description of the caches, and says why where there is none", () => {
    const folder = mkdtempSync(join(tmpdir(), "cache-"));
    const level = (name: string, files: Record<string, string>) => {
      mkdirSync(join(folder, name));
      for (const [file, text] of Object.entries(files))
        writeFileSync(join(folder, name, file), text + "\n");
    };
    const common = { ways_of_associativity: "8", coherency_line_size: "64" };
    level("index0", { ...common, level: "1", type: "Data", size: "32K", number_of_sets: "64" });
    level("index1", {
      ...common,
      level: "1",
      type: "Instruction",
      size: "32K",
      number_of_sets: "64",
    });
    level("index2", { ...common, level: "2", type: "Unified", size: "1M", number_of_sets: "2048" });
    expect(cacheLevels(folder)).toEqual({
      levels: [
        { level: 1, type: "Data", bytes: 32768, ways: 8, lineBytes: 64, sets: 64 },
        { level: 2, type: "Unified", bytes: 1048576, ways: 8, lineBytes: 64, sets: 2048 },
      ],
    });
    expect(cacheLevels(join(folder, "none")).why).toMatch(/does not exist/);
    // A folder that cannot be listed is not said to be missing: the reason is given as it came.
    writeFileSync(join(folder, "a-file"), "");
    expect(cacheLevels(join(folder, "a-file")).why).toMatch(
      /^ENOTDIR: not a directory, scandir '.*a-file', where Linux describes the caches$/,
    );
    level("index3", { ...common, level: "3", type: "Unified", size: "lots", number_of_sets: "1" });
    expect(cacheLevels(folder).why).toMatch(/index3 could not be read \(size is "lots"\)/);
  });

  it("processorInfo names the processor and its vector extensions from the flags", () => {
    const file = join(mkdtempSync(join(tmpdir(), "cpuinfo-")), "cpuinfo");
    writeFileSync(
      file,
      "processor\t: 0\ncpu MHz\t\t: 2596.130\nflags\t\t: fpu sse2 avx avx2 fma\n",
    );
    const info = processorInfo(file);
    expect(info.megahertz).toBe(2596);
    expect(info.vectorExtensions).toEqual([
      "SSE2 (128-bit)",
      "AVX (256-bit)",
      "AVX2 (256-bit)",
      "FMA",
    ]);
    expect(info.cores).toBeGreaterThan(0);
    expect(processorInfo(join(file, "missing")).vectorExtensions).toBeNull();
  });

  it("numpyRates measures numpy at each size in one process", () => {
    const rates = numpyRates([32, 64]);
    expect(rates.gflops, rates.why).not.toBeNull();
    expect(rates.gflops).toHaveLength(2);
    expect(() => numpyRates([32, 0])).toThrow(/numpyRates: sizes\[1\]/);
  }, 30_000);
});
