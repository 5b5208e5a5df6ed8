// Chapter 4 runs headless, and the losses, descent paths, learning-rate limits, training run and gradient check its
// prose states are what it computes.
import { beforeAll, describe, expect, it } from "vitest";
import {
  FOUR_PEOPLE,
  Matrix,
  Random,
  TinyNetwork,
  binaryCrossEntropy,
  gradientDescent,
  mse,
  numericalDerivative,
  sigmoid,
} from "../../lib/src";
import {
  type ExecutedChapter,
  itShowsAndRendersFigures,
  itRunsEverySolution,
  numberAfter,
  parseHtmlTable,
  runChapter,
} from "./harness";

let chapter: ExecutedChapter;
beforeAll(async () => {
  chapter = await runChapter("04-gradient-descent", { timeoutSec: 120 });
});

describe("chapter 4: gradient descent", () => {
  it("computes MSE and binary cross-entropy of the hand-checkable case, and the prose states them", () => {
    const stdout = chapter.stdout("check-losses");
    expect(stdout).toContain("MSE = 0.0700; gradient = [-0.0667, 0.1333, -0.2667]");
    expect(stdout).toContain("BCE = 0.2798; gradient = [-0.3704, 0.4167, -0.5556]");
    // The same values by hand: (0.1² + 0.2² + 0.4²)/3 and −(ln 0.9 + ln 0.8 + ln 0.6)/3.
    expect(numberAfter(stdout, "MSE =")).toBeCloseTo((0.01 + 0.04 + 0.16) / 3, 4);
    expect(numberAfter(stdout, "BCE =")).toBeCloseTo(
      -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6)) / 3,
      4,
    );
    const prose = chapter.prose();
    expect(prose).toContain("**0.0700**");
    expect(prose).toContain("**0.2798**");
    expect(prose).toContain("$-0.2667$ from MSE and\n$-0.5556$ from BCE");
  });

  it("shows that the clip turns log(0) into −log(1e−12) ≈ 27.6", () => {
    const stdout = chapter.stdout("check-clip");
    expect(stdout).toContain("unclipped: -Math.log(0) = Infinity");
    expect(stdout).toContain("clipped: BCE(p = 0, y = 1) = 27.6310 = -log(1e-12)");
    expect(numberAfter(stdout, "BCE(p = 0, y = 1) =")).toBeCloseTo(12 * Math.log(10), 4);
    expect(numberAfter(stdout, "its gradient =")).toBeCloseTo(-1e12, -9);
    const rows = parseHtmlTable(chapter.html("check-clip")[0]);
    expect(rows.map((r) => r.p)).toEqual(["0.9", "0.5", "0.1", "0.01", "0.000001", "0"]);
    expect(rows.map((r) => r.BCE)).toEqual([
      "0.1054",
      "0.6931",
      "2.3026",
      "4.6052",
      "13.8155",
      "27.6310",
    ]);
    expect(rows.map((r) => r.MSE)).toEqual(["0.0100", "0.2500", "0.8100", "0.9801", "1.0000", "1"]);
    expect(chapter.prose()).toContain("**27.6310**");
  });

  it("one-dimensional descent: η = 0.1 and η = 0.9 shrink the distance by the same factor 0.8", () => {
    const stdout = chapter.stdout("check-1d");
    expect(stdout).toContain("at w = -1: hand-derived slope -8, central difference -8.000000");
    expect(stdout).toContain(
      "eta = 0.1: w = -1.0000 -> -0.2000 -> 0.4400 -> 0.9520 ...; after 20 steps w = 2.9539, f = 1.002127",
    );
    expect(stdout).toContain(
      "eta = 0.9: w = -1.0000 -> 6.2000 -> 0.4400 -> 5.0480 ...; after 20 steps w = 2.9539, f = 1.002127",
    );
    // Whatever the rounding: w_20 − 3 = −4·(1 − 2η)^20 = −4·0.8^20 for both rates.
    expect(numberAfter(stdout, "after 20 steps w =")).toBeCloseTo(3 - 4 * 0.8 ** 20, 4);
    const prose = chapter.prose();
    expect(prose.match(/\$w =\$ \*\*2\.9539\*\*/g)).toHaveLength(2);
    expect(prose).toContain("**1.002127**");
    expect(prose).toContain("to $w = -0.2$");
    expect(prose).toContain("to $w = 6.2$");
  });

  it("the elongated bowl: the gradient checks out and the four learning rates behave as the prose says", () => {
    expect(chapter.stdout("check-2d-gradient")).toContain(
      "at (-4, 1.5): f = 38.5, hand-derived gradient (-8, 30), central differences (-8.000000, 30.000000)",
    );
    const stdout = chapter.stdout("check-rates");
    expect(stdout).toContain("eta = 0.01: loss after 50 steps 2.122e+0");
    expect(stdout).toContain("eta = 0.09: loss after 50 steps 4.309e-8");
    expect(stdout).toContain("eta = 0.1: loss after 50 steps 2.250e+1, at (-0.0001, 1.5000)");
    expect(stdout).toContain("eta = 0.12: diverged, the loss passed 1e12 at step 37");
    // Independent of the run: at η = 0.12 the loss after k steps is about 22.5·1.4^(2k) (the w₁ part is negligible),
    // which first exceeds 1e12 at k = 37.
    expect(Math.ceil(Math.log(1e12 / 22.5) / Math.log(1.4 ** 2))).toBe(37);
    const rows = parseHtmlTable(chapter.html("check-rates")[0]);
    expect(rows.map((r) => r["η"])).toEqual(["0.01", "0.09", "0.1", "0.12"]);
    expect(rows.map((r) => r["loss after 50 steps"])).toEqual([
      "2.12",
      "4.31e-8",
      "22.5",
      "diverged",
    ]);
    expect(rows.map((r) => r["loss passed 10¹² at step"])).toEqual([
      "never",
      "never",
      "never",
      "37",
    ]);
    for (const row of rows) {
      // The measured factors are the ones the prose derives: 1 − 20η for w₂ and 1 − 2η for w₁.
      expect(row["w₂ multiplied per step (measured)"]).toBe(row["1 − 20η"]);
      expect(row["w₁ multiplied per step (measured)"]).toBe(row["1 − 2η"]);
    }
    const prose = chapter.prose();
    chapter.expectProseStates([
      "**2.12**",
      "**4.31e-8**",
      "**22.5**",
      "step\n  **37**",
      "$0 < \\eta < 0.1$",
      "The starting loss is 38.5",
    ]);
  });

  it("after the review: online (not stochastic) descent, the multi-output MSE and Nielsen's ½, and what 1e−7 is", () => {
    const prose = chapter.prose();
    expect(prose).not.toContain("**stochastic gradient descent** (SGD)");
    chapter.expectProseStates([
      "**online** (or **per-example**) **gradient descent**",
      "in the same fixed order every\ntime",
      "\\lVert p_i - y_i \\rVert^2",
      "C = \\frac{1}{2n}\\sum_i \\lVert y_i - a_i \\rVert^2",
      "with $\\eta/2$",
      "is the usual pass mark for a gradient check",
      "When a loss is handed probabilities",
    ]);
  });

  it("the errata of issue 18: the clip is for probabilities only, and ℓ is the loss of one example, as on page 00", () => {
    const prose = chapter.prose();
    chapter.expectProseStates([
      "say why the second,\n  computed from probabilities, needs them clipped away from 0 and 1 (computed from the weighted sum $z$, as chapter 6\n  does, it needs no clip)",
      "the squared error $\\ell = (y - o)^2$ ($\\ell$ for the loss of one example)",
      "\\theta \\leftarrow \\theta - \\eta\\,\\partial \\ell/\\partial\\theta",
    ]);
    expect(prose).not.toMatch(/\\partial L|\$L = |\\to L\$/);
  });

  it("momentum at the too-small rate gets the loss the prose states, far below plain descent's", () => {
    const stdout = chapter.stdout("check-momentum");
    expect(stdout).toContain(
      "eta = 0.01, momentum 0: loss after 50 steps 2.122e+0, at (-1.4567, 0.0000); loss below 0.01 never",
    );
    expect(stdout).toContain(
      "eta = 0.01, momentum 0.8: loss after 50 steps 1.611e-4, at (0.0108, -0.0021); loss below 0.01 from step 24",
    );
    // Independently of the chapter: the heavy ball overshoots w₁ = 0 (it ends on the far side) and ends far lower.
    const heavy = gradientDescent({
      f: ([a, b]) => a * a + 10 * b * b,
      gradient: ([a, b]) => [2 * a, 20 * b],
      start: [-4, 1.5],
      learningRate: 0.01,
      steps: 50,
      momentum: 0.8,
    });
    expect(heavy.path[50][0]).toBeGreaterThan(0);
    expect(heavy.values[50]).toBeLessThan(1e-3);
    chapter.expectProseStates(["from **2.122** down to **1.611e-4**", "from step **24** on"]);
  });

  it("exercise 5: μ = 0.8 beats 0.5, 0.9 and 0.95 after 50 and 200 steps, as the solution states", () => {
    const rows = [0.5, 0.8, 0.9, 0.95].map((momentum) => {
      const run = gradientDescent({
        f: ([a, b]) => a * a + 10 * b * b,
        gradient: ([a, b]) => [2 * a, 20 * b],
        start: [-4, 1.5],
        learningRate: 0.01,
        steps: 200,
        momentum,
      });
      return [run.values[50].toPrecision(3), run.values[200].toPrecision(3)];
    });
    expect(rows).toEqual([
      ["0.246", "6.67e-7"],
      ["0.000161", "1.25e-18"],
      ["0.108", "4.12e-9"],
      ["1.31", "0.00129"],
    ]);
    chapter.expectProseStates([
      "0.246, 0.000161, 0.108 and 1.31",
      "6.67e-7, 1.25e-18, 4.12e-9 and\n0.00129",
    ]);
    // The best μ for w₁ (curvature 2, η·2 = 0.02) is where the two roots of r² − (1 + μ − 0.02)r + μ meet: √μ = 1 − √0.02.
    expect((1 - Math.sqrt(0.02)) ** 2).toBeCloseTo(0.74, 2);
  });

  it("trains the 2-2-1 network on the four people to the loss the prose states", () => {
    const stdout = chapter.stdout("check-tiny-training");
    expect(stdout).toContain(
      "MSE before training 0.4395; after epoch 1 0.3550; below 0.01 from epoch 187; after 1000 epochs 0.001480",
    );
    // Whatever the seed, training must have worked: well below the 0.25 of always answering 0.5.
    expect(numberAfter(stdout, "after 1000 epochs")).toBeLessThan(0.005);
    expect(numberAfter(stdout, "after 1000 epochs")).toBeLessThan(
      numberAfter(stdout, "MSE before training"),
    );
    const params = parseHtmlTable(chapter.html("check-tiny-training")[0]);
    expect(params.map((r) => r.parameter)).toEqual([
      "w1",
      "w2",
      "w3",
      "w4",
      "w5",
      "w6",
      "b1",
      "b2",
      "b3",
    ]);
    const prose = chapter.prose();
    expect(prose).toContain("**0.4395**");
    expect(prose).toContain("epoch **187**");
    expect(prose).toContain("**0.00148**");
  });

  it("the trained network puts all six people on the right side of 0.5, with the values the prose states", () => {
    const rows = parseHtmlTable(chapter.html("check-predictions")[0]);
    expect(rows.map((r) => r.name)).toEqual(["Alice", "Bob", "Charlie", "Diana"]);
    for (const row of rows) {
      const o = Number(row["o = P(female)"]);
      expect(o >= 0.5 ? 1 : 0, row.name).toBe(Number(row["target y"]));
    }
    expect(rows.map((r) => r["o = P(female)"])).toEqual(["0.9563", "0.0387", "0.0387", "0.9680"]);
    // The saturation the prose points at: hidden units at 0 or 1 for Bob and Diana, Bob's h1 exactly 1.
    expect([rows[1].h1, rows[1].h2, rows[3].h1, rows[3].h2]).toEqual([
      "1",
      "0.0000",
      "0.0000",
      "1.0000",
    ]);
    const stdout = chapter.stdout("check-predictions");
    expect(stdout).toContain("Emily (-7, -3): P(female) = 0.9680 -> female");
    expect(stdout).toContain("Frank (20, 2): P(female) = 0.0387 -> male");
    expect(numberAfter(stdout, "Emily (-7, -3): P(female) =")).toBeGreaterThan(0.5);
    expect(numberAfter(stdout, "Frank (20, 2): P(female) =")).toBeLessThan(0.5);
    const prose = chapter.prose();
    expect(prose).toContain("Emily $(-7, -3)$ gets **0.968**");
    expect(prose).toContain("Frank $(20, 2)$ gets **0.039**");
  });

  it("the hand-written derivatives agree with central differences, as the prose states", () => {
    const rows = parseHtmlTable(chapter.html("check-gradcheck")[0]);
    expect(rows.map((r) => r.parameter)).toEqual([
      "w1",
      "w2",
      "w3",
      "w4",
      "w5",
      "w6",
      "b1",
      "b2",
      "b3",
    ]);
    for (const row of rows) {
      expect(Number(row["relative error"]), row.parameter).toBeLessThan(1e-7);
      expect(row["hand-derived (chain rule)"]).toBe(row["numerical (central difference)"]);
    }
    const byName = Object.fromEntries(
      rows.map((r) => [r.parameter, r["hand-derived (chain rule)"]]),
    );
    // Exercise 4 quotes these, and Alice's inputs (−2, −1) force the ratios −2 : −1 : 1.
    expect([byName.w1, byName.w2, byName.b1]).toEqual(["-0.087962", "-0.043981", "0.043981"]);
    expect([byName.w3, byName.w4, byName.b2]).toEqual(["0.094491", "0.047245", "-0.047245"]);
    const stdout = chapter.stdout("check-gradcheck");
    expect(stdout).toContain("Alice: worst relative error 1.5e-10");
    expect(stdout).toContain("Bob: worst relative error 3.0e-7 (parameter b2, derivative 9.35e-7");
    expect(numberAfter(stdout, "Alice: worst relative error")).toBeLessThan(1e-7);
    for (const name of ["Bob", "Charlie", "Diana"]) {
      expect(numberAfter(stdout, `${name}: worst relative error`), name).toBeLessThan(1e-6);
      expect(numberAfter(stdout, new RegExp(`${name}: .*absolute difference`)), name).toBeLessThan(
        1e-9,
      );
    }
    const prose = chapter.prose();
    expect(prose).toContain("**1.5e-10**");
    expect(prose).toContain("**3.0e-7**");
    expect(prose).toContain("**9.35e-7**");
    expect(prose).toContain("$-0.087962$,\n$-0.043981$ and $0.043981$");
    expect(prose).toContain("($0.094491$, $0.047245$, $-0.047245$)");
  });

  it("exercise 1: the largest stable rate for (w − 3)² + 1 is 1, with the losses the solution states", () => {
    const after200 = (learningRate: number) =>
      gradientDescent({
        f: ([w]) => (w - 3) ** 2 + 1,
        gradient: ([w]) => [2 * (w - 3)],
        start: [-1],
        learningRate,
        steps: 200,
      }).values[200];
    expect(after200(0.99).toFixed(4)).toBe("1.0049");
    expect(after200(1)).toBe(17);
    expect(Math.round(after200(1.01))).toBe(44076);
    expect(chapter.prose()).toContain("the loss is 1.0049 for η = 0.99");
    expect(chapter.prose()).toContain("exactly 17 for η = 1");
    expect(chapter.prose()).toContain("44076 for η = 1.01");
  });

  it("exercise 2: cross-entropy pushes a confidently wrong sigmoid about 11 times harder than MSE", () => {
    const y = Matrix.fromColumn([1]);
    const viaBce = numericalDerivative(
      (z) => binaryCrossEntropy.value(Matrix.fromColumn([sigmoid(z)]), y),
      -3,
    );
    const viaMse = numericalDerivative((z) => mse.value(Matrix.fromColumn([sigmoid(z)]), y), -3);
    expect(viaBce.toFixed(4)).toBe("-0.9526");
    expect(viaMse.toFixed(4)).toBe("-0.0861");
    expect(viaBce).toBeCloseTo(sigmoid(-3) - 1, 8);
    expect(Math.round(viaBce / viaMse)).toBe(11);
    const prose = chapter.prose();
    expect(prose).toContain("$-0.9526$ for BCE and $-0.0861$ for MSE");
    expect(prose).toContain("about 11 times harder");
    expect(prose).toContain("$= 0.0474 - 1 = -0.9526$");
  });

  it("exercise 3: the final losses and Emily's predictions at η = 0.01 and η = 1.0", () => {
    const run = (learningRate: number) => {
      const net = new TinyNetwork(new Random().fork("chapter-4"));
      const losses = net.train(FOUR_PEOPLE, { learningRate, epochs: 1000 });
      return { loss: losses[999], emily: net.predict(-7, -3) };
    };
    const slow = run(0.01);
    const fast = run(1.0);
    expect([slow.loss.toFixed(4), slow.emily.toFixed(3)]).toEqual(["0.0212", "0.888"]);
    expect([fast.loss.toPrecision(3), fast.emily.toFixed(3)]).toEqual(["0.000131", "0.990"]);
    expect(chapter.prose()).toContain(
      "With η = 0.01 the loss after 1000 epochs is 0.0212 and Emily gets 0.888; with η = 1.0 it is 0.000131 and Emily gets\n0.990",
    );
  });

  itShowsAndRendersFigures(() => chapter, 8);

  itRunsEverySolution(() => chapter);
});
