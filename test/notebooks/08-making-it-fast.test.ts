// Chapter 8 runs headless; the counts its prose states (FLOP, blank pixels, the exercises' figures) and the
// accuracies of its two networks are what it computes; both backends give the same bits; its timings are only
// checked loosely (orderings with a wide margin) or for being printed, since the machine's speed varies.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { imagesToMatrix, loadMnist } from "../../lib/src";
import {
  type ExecutedChapter,
  itRunsEverySolution,
  itShowsAndRendersFigures,
  numberAfter,
  runChapter,
} from "./harness";

let chapter: ExecutedChapter;
beforeAll(async () => {
  chapter = await runChapter("08-making-it-fast", { timeoutSec: 300 });
});

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

  it("shows that loop order and tiling keep the definition's bits, and both backends agree", () => {
    expect(chapter.stdout("check-same-bits")).toBe(
      "loop order gives the same bits as the definition: true\ntiling gives the same bits as the definition: true\n",
    );
    expect(chapter.stdout("check-backends-agree")).toContain(
      "the two backends agree in every bit: true",
    );
  });

  it("quotes the WebAssembly micro-kernel verbatim from lib/src/kernels.wat", () => {
    const excerpt = /```wasm\n([\s\S]*?)```/.exec(chapter.prose());
    expect(excerpt, "no ```wasm block in the prose").not.toBeNull();
    const wat = readFileSync(join(__dirname, "..", "..", "lib", "src", "kernels.wat"), "utf8");
    expect(excerpt![1].split("\n").length).toBeGreaterThan(5);
    expect(wat).toContain(excerpt![1]);
  });

  it("measures every step, draws the figure with the ceiling, and the orderings hold with a wide margin", () => {
    const table = chapter.stdout("check-gflops-table");
    // Measured 1.6–1.7× and 21–22× on the test machine; the checks leave room for a noisy one.
    expect(numberAfter(table, "at n = 512: loop order")).toBeGreaterThan(1.2);
    expect(numberAfter(table, "wasm")).toBeGreaterThan(4);
    expect(chapter.stdout("check-gflops")).toMatch(/numpy's ceiling: \d+\.\d GFLOP\/s/);
    expect(
      numberAfter(chapter.stdout("check-training-shape"), "the WebAssembly kernel runs"),
    ).toBeGreaterThan(3);
    expect(chapter.stdout("check-amdahl")).toMatch(
      /^products \d+\.\d\d× faster; Amdahl predicts a step \d+\.\d\d× faster; measured \d+\.\d\d×$/m,
    );
  });

  it("trains chapter 7's two networks to the same weights on both backends, at the accuracies the prose states", () => {
    const out = chapter.stdout("check-networks");
    expect(out).toMatch(
      /^Nielsen's network: wasm \d+\.\d\d× as fast as js; the same weights in every bit: true; test accuracy 90\.91% on both$/m,
    );
    expect(out).toMatch(
      /^the best network: wasm \d+\.\d\d× as fast as js; the same weights in every bit: true; test accuracy 95\.67% on both$/m,
    );
    chapter.expectProseStates([
      "Nielsen's at **90.91%**\ntest accuracy, exactly chapter 7's figure after its first epoch, and the best network at **95.67%**",
    ]);
    expect(chapter.stdout("check-runtime")).toMatch(
      /^this chapter ran for \d+\.\d minutes on the "wasm" backend$/m,
    );
  });

  it("states the exercises' figures as their solutions print them", () => {
    const [first, second, third, fourth] = chapter.solutions();
    expect(first.stdout).toMatch(
      /^41\.27 GFLOP per epoch\njs: \d+\.\d\d effective GFLOP\/s\nwasm: \d+\.\d\d effective GFLOP\/s\n$/,
    );
    expect(second.stdout).toBe(
      "218 of 256 entries differ; the largest difference is 8.0e-15, on entries up to 13.89 in size\n",
    );
    expect(third.stdout.trim().split("\n")).toHaveLength(6);
    expect(fourth.stdout).toMatch(
      /^products' share \d+%: at most \d+\.\d× faster; the WebAssembly backend reached \d+\.\d\d×\n$/,
    );
    chapter.expectProseStates([
      "An epoch is **41.27 GFLOP** by this count",
      "**218** of the 256 entries differ, by at most **8.0e-15**, on entries of size up to **13.89**",
    ]);
  });

  itShowsAndRendersFigures(() => chapter, 1);

  itRunsEverySolution(() => chapter);
});
