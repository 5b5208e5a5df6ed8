// Chapter 10 runs headless in its default schedule; the numbers its prose states are what it computes: the
// hand-made filters' output, pooling's share of unchanged values, im2col's bits and memory, the gradient checks, the
// ladder's accuracies and the orderings the text draws from them, the final network's test accuracy (at least
// 99.0%) and its mistakes, the shifted digits. Its timings vary with the machine, so the prose reads them "on this
// run"; the orderings it states about them are pinned here against the figures printed in the same run.
import { beforeAll, describe, expect, it } from "vitest";
import {
  type ExecutedChapter,
  itRunsEverySolution,
  itShowsAndRendersFigures,
  parseHtmlTable,
  runChapter,
} from "./harness";

let chapter: ExecutedChapter;
beforeAll(async () => {
  chapter = await runChapter("10-convolutional-networks", { timeoutSec: 900 });
});

/** "98.76%" → 0.9876 */
const fraction = (text: string) => Number(text.replace("%", "")) / 100;

/** The median and range of the printed spread "1.23 (1.10–1.40)" that follows `label` in `text`. */
function spreadAfter(text: string, label: string): { median: number; min: number; max: number } {
  const at = text.indexOf(label);
  expect(at, `"${label}" in:\n${text}`).toBeGreaterThanOrEqual(0);
  const match = /(-?[\d.]+) \((-?[\d.]+)–(-?[\d.]+)\)/.exec(text.slice(at + label.length));
  expect(match, `a spread after "${label}"`).not.toBeNull();
  const [median, min, max] = match!.slice(1).map(Number);
  return { median, min, max };
}

describe("chapter 10: convolutional networks", () => {
  it("loads MNIST's three sets", () => {
    expect(chapter.stdout("check-setup")).toContain(
      "50000 training, 10000 validation and 10000 test images of 28×28 pixels",
    );
  });

  it("computes one output of a hand-made filter by hand, with convolve's bits", () => {
    const out = chapter.stdout("check-by-hand");
    expect(out).toContain("filters 2×9, maps 1×1352 (2 maps of 26×26)");
    expect(out).toMatch(/by hand: ([\d.-]+); convolve: \1; same bits: true/);
    chapter.expectProseStates(["gives **the same bits**"]);
  });

  it("counts a layer's parameters and multiply-adds as the prose states them", () => {
    const rows = parseHtmlTable(chapter.html("check-cost-table")[0]);
    expect(rows.map((r) => r["conv parameters"])).toEqual(["520", "20040"]);
    expect(rows.map((r) => r["conv multiply-adds"])).toEqual(["288000", "1280000"]);
    expect(Number(rows[0]["dense parameters"])).toBeGreaterThan(9e6);
    chapter.expectProseStates(["has **520**", "costs **1,280,000** multiply-adds per image"]);
  });

  it("moves the maps with the digit, and pooling keeps more of them in place", () => {
    const out = chapter.stdout("check-pooling");
    expect(out).toContain("shifted maps equal to the maps shifted: 1300 of 1300 positions");
    const match =
      /among the non-zero ones: ([\d.]+%) of the pooled values, ([\d.]+%) of the maps' values/.exec(
        out,
      );
    expect(match).not.toBeNull();
    const [pooled, maps] = [match![1], match![2]];
    expect(fraction(pooled)).toBeGreaterThan(fraction(maps));
    chapter.expectProseStates([
      `**${pooled}** of the non-zero pooled`,
      `**${maps}** of the maps' values`,
    ]);
  });

  it("im2col + gemm gives the loops' bits, in 18× the memory, and the loops are slower on every round", () => {
    const out = chapter.stdout("check-im2col");
    expect(out).toContain("images 64×784 (0.4 MB) → patches 36864×25 (7.4 MB)");
    expect(out).toContain("identical to convolve's loops: 737280 of 737280 outputs");
    chapter.expectProseStates(["All **737280** outputs are identical", "take **7.4 MB**"]);
    const ratio = spreadAfter(chapter.stdout("check-im2col-speed"), "the loops take ");
    expect(ratio.min).toBeGreaterThan(1); // "on every round of this run the loops took longer"
  });

  it("checks every gradient of a small network with tanh, and explains why ReLU's check fails", () => {
    const out = chapter.stdout("check-gradients");
    const smooth =
      /with tanh: (\d+) weights, biases and filter entries checked; the largest relative error is ([\d.e+-]+)/.exec(
        out,
      );
    expect(smooth).not.toBeNull();
    expect(Number(smooth![2])).toBeLessThan(1e-6);
    chapter.expectProseStates([
      `all **${smooth![1]}** gradients`,
      `to **${smooth![2]}** or better`,
    ]);
    const kinked = /with ReLU: the largest relative error is ([\d.e+-]+) \((b\d)/.exec(out);
    expect(kinked).not.toBeNull();
    expect(Number(kinked![1])).toBeGreaterThan(1e-2); // a bias on the kink, as the prose explains
  });

  it("climbs the ladder with the accuracies and the orderings the prose reads from it", () => {
    const rows = parseHtmlTable(chapter.html("check-ladder")[0]);
    const mean = (rung: number) => fraction(rows[rung]["validation accuracy"]);
    const range = (rung: number) => rows[rung]["lowest–highest"].split("–").map(fraction);
    expect(rows.map((r) => r.seeds)).toEqual(["1", "1", "1", "3", "3", "3"]);
    // the sigmoid rungs near chance, ReLU past the dense network
    expect(mean(1)).toBeLessThan(0.2);
    expect(mean(2)).toBeLessThan(0.2);
    expect(mean(3)).toBeGreaterThan(mean(0));
    // shifted data within the spread of the seeds: the two ranges overlap
    const [relu, shifted] = [range(3), range(4)];
    expect(shifted[0]).toBeLessThanOrEqual(relu[1]);
    expect(relu[0]).toBeLessThanOrEqual(shifted[1]);
    // dropout costs accuracy in the short schedule
    expect(mean(5)).toBeLessThan(mean(3));
    const points = (100 * (mean(3) - mean(5))).toFixed(1);
    chapter.expectProseStates([
      `**${rows[1]["validation accuracy"]}** and\n**${rows[2]["validation accuracy"]}**`,
      `**${rows[3]["validation accuracy"]}** on\naverage over three seeds against the dense network's **${rows[0]["validation accuracy"]}**`,
      `**${rows[4]["validation accuracy"]}** against ReLU's ${rows[3]["validation accuracy"]}`,
      `span ${rows[4]["lowest–highest"]} and ${rows[3]["lowest–highest"]}`,
      `costs **${points}** points here (${rows[5]["validation accuracy"]},`,
      `ReLU passed\n  the dense network (${rows[3]["validation accuracy"]} against ${rows[0]["validation accuracy"]})`,
      `dropout cost ${points} points`,
    ]);
  });

  it("trains the final network for 4 epochs and reaches at least 99.0% on the test set, touched once", () => {
    const out = chapter.stdout("check-final");
    expect(out).toContain("categoricalCrossEntropy, 85670 parameters");
    const perEpoch = /validation accuracy per epoch: (.+)/.exec(out)![1].split(", ");
    expect(perEpoch).toHaveLength(4);
    const test = /test accuracy ([\d.]+%) \((\d+) of 10000, (\d+) mistakes\)/.exec(
      chapter.stdout("check-test"),
    );
    expect(test).not.toBeNull();
    expect(fraction(test![1])).toBeGreaterThanOrEqual(0.99);
    const sure = /^(\d+) of the (\d+) mistakes with a probability of at least 0\.99/m.exec(
      chapter.stdout("check-mistakes"),
    );
    expect(sure![2]).toBe(test![3]);
    expect(Number(test![3])).toBeLessThan(183); // chapter 7's best network's mistakes
    chapter.expectProseStates([
      `is ${perEpoch[0]} after one epoch and ends at **${perEpoch[3]}**`,
      `**${test![1]}** of the 10,000 test digits: **${test![3]}** mistakes`,
      `**${sure![1]}** of the mistakes`,
      `${test![1]} on the test set, touched once, after 4 epochs; ${test![3]}`,
    ]);
    const share = /(\d+)% of it in gemm's products/.exec(out);
    expect(Number(share![1])).toBeLessThan(100);
  });

  it("reads shifted digits better than the dense network, as the prose says", () => {
    const rows = parseHtmlTable(chapter.html("check-shifts")[0]);
    expect(rows.map((r) => r.shift)).toEqual(["0 px", "1 px", "2 px", "3 px"]);
    const dense = rows.map((r) => fraction(r.dense));
    const conv = rows.map((r) => fraction(r.convolutional));
    for (let s = 0; s < 4; s++) expect(conv[s]).toBeGreaterThan(dense[s]);
    // the gap widens with the shift
    expect(conv[3] - dense[3]).toBeGreaterThan(conv[0] - dense[0]);
    const gap = (100 * (conv[0] - dense[0])).toFixed(1);
    chapter.expectProseStates([
      `the two are ${gap} points apart`,
      `down to **${rows[3].dense}**`,
      `still reads **${rows[3].convolutional}**`,
    ]);
  });

  it("counts 8× chapter 7's arithmetic and times 1 against 2 threads; the second core gains less than 2×", () => {
    const out = chapter.stdout("check-threads");
    expect(out).toContain(
      "multiply-adds per image, forward: chapter 7's best 203264, the final network 1633000 (8.0×)",
    );
    chapter.expectProseStates(["about **8×** the arithmetic of chapter 7's best per image"]);
    const gain = spreadAfter(out, "the second core makes training ");
    expect(gain.median).toBeLessThan(1.8); // "far less than a factor of 2"
    expect(gain.median).toBeGreaterThan(0.8);
  });
});

itShowsAndRendersFigures(() => chapter, 7);
itRunsEverySolution(() => chapter, { minimum: 5 });
