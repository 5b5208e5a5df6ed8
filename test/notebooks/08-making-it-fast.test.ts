// Chapter 8 runs headless; the counts its prose states (FLOP, blank pixels, the exercises' figures), the accuracies of
// its two networks and which kernels give identical bits are what it computes. Its timings vary with the machine, so
// the prose reads them "on this run"; each ordering or agreement it states is pinned here against the figures the
// chapter printed in the same run, with a margin, so that a sentence cannot contradict the cell beside it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cacheLevels, imagesToMatrix, loadMnist } from "../../lib/src";
import {
  type ExecutedChapter,
  itRunsEverySolution,
  itShowsAndRendersFigures,
  numberAfter,
  parseHtmlTable,
  runChapter,
} from "./harness";

let chapter: ExecutedChapter;
beforeAll(async () => {
  chapter = await runChapter("08-making-it-fast", { timeoutSec: 420 });
});

/** The numbers of a printed "a, b, c" list after `label`. */
function listAfter(text: string, label: string): number[] {
  const line = text.split("\n").find((l) => l.includes(label));
  expect(line, `no line with "${label}" in:\n${text}`).toBeDefined();
  return line!
    .slice(line!.indexOf(label) + label.length)
    .split(",")
    .map(Number);
}

/** The median of a printed spread "1.23 (1.10–1.40)" after `label`. */
const medianAfter = (text: string, label: string | RegExp) => numberAfter(text, label);

describe("chapter 8: making it fast", () => {
  it("counts 5.03 GFLOP per epoch of Nielsen's network, 95.3% of it in products", () => {
    expect(chapter.stdout("check-flops")).toContain(
      "one batch: 958800 FLOP in products, 47720 in the update\none epoch: 5.03 GFLOP, 95.3% of it in products",
    );
    chapter.expectProseStates(["One epoch is **5.03 GFLOP**, **95.3%** of it in matrix products"]);
  });

  it("finds 80.9% of MNIST's training pixels blank, as the library's loader gives them", () => {
    const X = imagesToMatrix(loadMnist().train);
    const zeros = X.data.reduce((n, v) => (v === 0 ? n + 1 : n), 0);
    expect(chapter.stdout("check-zeros")).toContain(
      `${zeros} of ${X.data.length} training pixels are 0: ${((100 * zeros) / X.data.length).toFixed(1)}%`,
    );
    chapter.expectProseStates(["**80.9%** of the training pixels are exactly 0"]);
  });

  it("says exactly which kernels give identical bits, and keeps the others within the rounding bound", () => {
    expect(chapter.stdout("check-same-bits")).toBe(
      "loop order gives the same bits as the definition: true\ntiling gives the same bits as the definition: true\n",
    );
    const agree = chapter.stdout("check-backends-agree");
    expect(agree).toContain("the library's four versions give the same bits in every entry: true");
    // The definition's grouping differs from the library's in many entries, each well inside the bound.
    expect(agree).toMatch(/the definition and the library differ in 52461 of 200704 entries/);
    const share = numberAfter(agree, "by at most");
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThan(100);
  });

  it("quotes the WebAssembly micro-kernel verbatim from lib/src/kernels.wat", () => {
    const excerpt = /```wasm\n([\s\S]*?)```/.exec(chapter.prose());
    expect(excerpt, "no ```wasm block in the prose").not.toBeNull();
    const wat = readFileSync(
      join(__dirname, "..", "..", "lib", "src", "backends", "kernels.wat"),
      "utf8",
    );
    expect(excerpt![1].split("\n").length).toBeGreaterThan(5);
    expect(wat).toContain(excerpt![1]);
  });

  it("describes the machine from the system and measures the WebAssembly peak", () => {
    const machine = chapter.stdout("check-machine");
    expect(machine).toMatch(/^processor: .+, \d+ cores; vector instructions: /m);
    expect(machine).toMatch(/^L1 data cache: \d+ KB, \d+-way, \d+-byte lines, \d+ sets$/m);
    const peak = medianAfter(machine, "WebAssembly SIMD peak on one core:");
    expect(peak).toBeGreaterThan(1);
    if (/FLOP per cycle/.test(machine)) {
      const perCycle = numberAfter(machine, /MHz the system reports:/);
      expect(perCycle).toBeGreaterThan(1);
      expect(perCycle).toBeLessThan(64);
    }
  });

  it("measures every step interleaved, and the orderings the prose reads from this run hold", () => {
    const printed = chapter.stdout("check-gflops-table");
    // "tiling was faster than the loop order at every size, the library's TypeScript kernel faster than tiling, and the
    // WebAssembly kernel faster than the TypeScript one": medians of per-round ratios, 1.8–2.4× on the test machine.
    for (const label of [
      "tiled ÷ loop order:",
      "library js ÷ tiled:",
      "library wasm ÷ library js:",
    ])
      for (const ratio of listAfter(printed, label)) expect(ratio, label).toBeGreaterThan(1);
    // "...stayed below the measured peak. Numpy went past that peak"
    const peak = medianAfter(chapter.stdout("check-machine"), "WebAssembly SIMD peak on one core:");
    const table = parseHtmlTable(chapter.html("check-gflops-table")[0]);
    const wasm = table.find((row) => row.kernel === "library, wasm")!;
    for (const size of [32, 64, 128, 256, 512])
      expect(Number.parseFloat(wasm[`n = ${size}`]), `wasm at n = ${size}`).toBeLessThan(peak);
    expect(numberAfter(printed, "at n = 512, library wasm reaches")).toBeLessThan(100);
    expect(numberAfter(printed, "at n = 512, numpy runs at")).toBeGreaterThan(1);
    expect(listAfter(printed, "loop order ÷ definition:")).toHaveLength(5);
    chapter.expectProseStates([
      "On this run, tiling was faster than the loop order at every size, the library's TypeScript kernel\nfaster than tiling, and the WebAssembly kernel faster than the TypeScript one",
      "Numpy went past that peak",
    ]);
  });

  it("works out from the cache geometry how many lines of a column each level keeps", () => {
    const { levels } = cacheLevels();
    if (levels === null) return; // not Linux: the chapter prints why instead
    const rows = parseHtmlTable(chapter.html("check-cache")[0]);
    expect(rows.map((r) => Number(r.n))).toEqual([32, 64, 128, 256, 512]);
    for (const row of rows) {
      const n = Number(row.n);
      let first: string | undefined;
      for (const c of levels) {
        const stride = Math.max(1, (8 * n) / c.lineBytes);
        let a = c.sets,
          b = stride;
        while (b) [a, b] = [b, a % b];
        const places = (c.sets / a) * c.ways;
        expect(Number(row[`L${c.level} can keep`]), `L${c.level} at n = ${n}`).toBe(places);
        if (first === undefined && places >= n) first = `L${c.level}`;
      }
      expect(row["first level that keeps a column"]).toBe(first ?? "none: memory");
    }
  });

  it("separates effective from actual rates on the training shape, and the data-independent kernels stay level", () => {
    const out = chapter.stdout("check-training-shape");
    const nonZero = Number(/^([\d.]+)% of this batch's pixels are non-zero$/m.exec(out)?.[1]) / 100;
    expect(nonZero).toBeGreaterThan(0.05);
    expect(nonZero).toBeLessThan(0.35);
    // effective and actual ratios differ by exactly the share of non-zero pixels (per round)
    const effective = medianAfter(out, "library wasm ÷ the definition: effective");
    const actual = medianAfter(out, /\)×, actual/);
    expect(actual).toBeCloseTo(effective * nonZero, 0);
    expect(effective).toBeGreaterThan(3);
    // "each library kernel was faster on images with zero-skipping than without"
    expect(medianAfter(out, "skipping zeros ÷ dense: js")).toBeGreaterThan(1);
    expect(medianAfter(out, /\)×, wasm/)).toBeGreaterThan(1);
    // "the teaching kernels ... took about the same time on images as on noise (ratios near 1)"
    for (const name of ["1. definition", "2. loop order", "3. tiled"]) {
      const ratio = medianAfter(out, `${name}, images ÷ noise (the same work on both):`);
      expect(ratio, name).toBeGreaterThan(0.6);
      expect(ratio, name).toBeLessThan(1.6);
    }
    const table = parseHtmlTable(chapter.html("check-training-shape")[0]);
    expect(table.map((r) => r.kernel)).toEqual([
      "1. definition",
      "2. loop order",
      "3. tiled",
      "library, js, dense",
      "library, js",
      "library, wasm, dense",
      "library, wasm",
    ]);
  });

  it("checks Amdahl's law on a change that speeds up only the products, and the prediction holds", () => {
    const out = chapter.stdout("check-amdahl");
    for (const backend of ["wasm", "js"]) {
      const line = out.split("\n").find((l) => l.startsWith(`${backend}: skipping zeros`))!;
      expect(line, backend).toBeDefined();
      const predicted = numberAfter(line, "Amdahl predicts a step");
      const measured = numberAfter(line, "measured");
      // "the prediction and the measurement agree within their ranges": 1.47 vs 1.57 and 1.76 vs 1.76 when written
      expect(Math.abs(predicted - measured) / measured, line).toBeLessThan(0.25);
      expect(numberAfter(line, "made the products")).toBeGreaterThan(1.1);
    }
    // "everything else took about the same time with or without zeros"
    const rows = parseHtmlTable(chapter.html("check-amdahl")[0]);
    for (const backend of ["wasm", "js"]) {
      const [images, grey] = rows.filter((r) => r.backend === backend);
      const rest = (r: Record<string, string>) => Number.parseFloat(r["everything else, µs"]);
      expect(rest(grey) / rest(images), backend).toBeGreaterThan(1 / 1.5);
      expect(rest(grey) / rest(images), backend).toBeLessThan(1.5);
    }
    const backends = chapter.stdout("check-backend-step");
    expect(medianAfter(backends, "js → wasm on images: products")).toBeGreaterThan(1);
    // "the SGD update ... also run[s] in WebAssembly on that backend": it is faster there
    expect(medianAfter(backends, " µs, wasm")).toBeLessThan(medianAfter(backends, "alone: js"));
  });

  it("trains chapter 7's two networks to the same weights on both backends, at the accuracies the prose states", () => {
    const out = chapter.stdout("check-networks");
    expect(out).toMatch(
      /^Nielsen's network: wasm [\d.]+ \([\d.]+–[\d.]+\)× as fast as js; the same weights in every bit in all 6 runs: true; validation accuracy 91\.95%$/m,
    );
    expect(out).toMatch(
      /^the best network: wasm [\d.]+ \([\d.]+–[\d.]+\)× as fast as js; the same weights in every bit in all 6 runs: true; validation accuracy 96\.09%$/m,
    );
    // "On this run the WebAssembly backend trained both faster"
    expect(numberAfter(out, "Nielsen's network: wasm")).toBeGreaterThan(1);
    expect(numberAfter(out, "the best network: wasm")).toBeGreaterThan(1);
    chapter.expectProseStates([
      "Nielsen's at **91.95%** validation accuracy, chapter 7's figure after its first epoch, and the best network at\n**96.09%**",
    ]);
    expect(chapter.stdout("check-runtime")).toMatch(
      /^this chapter ran for \d+\.\d minutes on the "wasm" backend$/m,
    );
  });

  it("trains the best network on one thread and on two to the same weights, and prints the gain with its spread", () => {
    const out = chapter.stdout("check-cores");
    const times = out.match(
      /^one epoch on 10,000 images: ([\d.]+) \(([\d.]+)–([\d.]+)\) s on one thread, ([\d.]+) \(([\d.]+)–([\d.]+)\) s on two$/m,
    );
    expect(times, out).not.toBeNull();
    const [median1, low1, high1, median2, low2, high2] = times!.slice(1).map(Number);
    expect(low1).toBeLessThanOrEqual(median1);
    expect(median1).toBeLessThanOrEqual(high1);
    expect(low2).toBeLessThanOrEqual(median2);
    expect(median2).toBeLessThanOrEqual(high2);
    expect(low2).toBeGreaterThan(0);
    // the bits do not depend on the thread count: 3 rounds × 2 runs, every weight by Object.is
    expect(out).toMatch(
      /^two threads [\d.]+ \([\d.]+–[\d.]+\)× as fast as one; the same weights in every bit in all 6 runs: true$/m,
    );
    // the prose reads the ratio from the output and claims no direction for it
    chapter.expectProseStates(["read the ratio on this run as this run's"]);
  });

  it("states the exercises' figures as their solutions print them", () => {
    const [first, second, third, fourth] = chapter.solutions();
    expect(first.stdout).toMatch(
      /^46\.60 GFLOP per epoch: 40\.95 in training products, 4\.07 in the validation pass, 1\.59 in Adam's updates\njs: \d+\.\d\d effective GFLOP\/s\nwasm: \d+\.\d\d effective GFLOP\/s\n$/,
    );
    // "On this run the WebAssembly backend reaches a higher effective rate than the TypeScript one"
    expect(numberAfter(first.stdout, "wasm:")).toBeGreaterThan(numberAfter(first.stdout, "js:"));
    expect(second.stdout).toBe(
      "218 of 256 entries differ; the largest difference is 8.0e-15, 18 ulp of its entry\n" +
        "the largest relative difference is 3.8e-14, on an entry of 3.64e-2 (198 ulp)\n" +
        "the largest difference is 0.4% of the bound 2·γ_k·Σ|a_p b_p|\n",
    );
    const sweep = third.stdout.trim().split("\n");
    expect(sweep).toHaveLength(6);
    sweep.forEach((line, i) =>
      expect(line).toContain(i < 4 ? "dense kernel" : "zero-skipping kernel"),
    );
    // "on this run z = 0.95 took a fraction of z = 0's time"
    expect(numberAfter(sweep[5], "z = 0.95:")).toBeLessThan(numberAfter(sweep[0], "z = 0:"));
    // the bound is never reached
    expect(fourth.stdout).toMatch(
      /^products' share \d+%: at most \d+\.\d× faster; zero-skipping reached [\d.]+ \([\d.]+–[\d.]+\)×\n$/,
    );
    expect(numberAfter(fourth.stdout, "zero-skipping reached")).toBeLessThan(
      numberAfter(fourth.stdout, "at most"),
    );
    chapter.expectProseStates([
      "An epoch is **46.60 GFLOP** by this count: **40.95** in the training products",
      "**4.07** in the validation pass and **1.59** in Adam's updates",
      "**218** of the 256 entries differ. The largest difference, **8.0e-15**, is **18 ulp** of its entry",
      "**3.8e-14**, is **198 ulp**, on an entry of only 0.0364",
      "the largest difference is **0.4%** of",
    ]);
  });

  itShowsAndRendersFigures(() => chapter, 1);

  itRunsEverySolution(() => chapter);
});
