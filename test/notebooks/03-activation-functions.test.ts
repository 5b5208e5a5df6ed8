// Chapter 3 runs headless, and every number its prose states (derivative checks, saturation, vanishing products,
// the fitted regressions, the collapse of linear layers, the exercises' answers) is the one its cells compute.
import { beforeAll, describe, expect, it } from "vitest";
import {
  Matrix,
  Random,
  activationDerivative,
  activations,
  affine,
  leakyRelu,
  numericalDerivative,
  sigmoid,
} from "../../lib/src";
import {
  type ExecutedChapter,
  itShowsAndRendersFigures,
  itRunsEverySolution,
  parseHtmlTable,
  runChapter,
} from "./harness";

let chapter: ExecutedChapter;
let prose: string;
beforeAll(async () => {
  chapter = await runChapter("03-activation-functions", { timeoutSec: 120 });
  prose = chapter.prose();
});

/** The groups of `pattern` in the tagged cell's stdout; fails the test when it does not match. */
function printed(tag: string, pattern: RegExp): string[] {
  const stdout = chapter.stdout(tag);
  const match = pattern.exec(stdout);
  expect(match, `${tag} printed:\n${stdout}`).not.toBeNull();
  return match!.slice(1);
}

const fmt = (v: number, digits = 1) => v.toExponential(digits);

describe("chapter 3: activation functions", () => {
  it("the step gives no slope for a weight, the sigmoid does, as the prose says", () => {
    const [step, sig] = printed("check-step-vs-sigmoid", /step (\S+), sigmoid (\S+)/);
    expect(Number(step)).toBe(0);
    // The AND perceptron on input (1, 0) at w1 = 0.5: z = −0.3, so the slope is σ'(−0.3).
    expect(Number(sig)).toBeCloseTo(activations.sigmoid.derivative(-0.3), 4);
    expect(sig).toBe("0.2445");
    expect(prose).toContain("exactly **0**");
    expect(prose).toContain(`**${sig}**`);
    expect(prose).toContain(`**${(Number(sig) * 0.01).toFixed(4)}**`);
  });

  it("every activation's derivative agrees with a central difference, and the table says so", () => {
    const rows = parseHtmlTable(chapter.html("check-derivatives")[0]);
    expect(rows.map((r) => r.activation)).toEqual([
      "step",
      "linear",
      "sigmoid",
      "tanh",
      "relu",
      "leakyRelu",
    ]);
    expect(rows.map((r) => Number(r["points checked"]))).toEqual([100, 101, 101, 101, 100, 100]);
    expect(rows.map((r) => r.kink)).toEqual([
      "z = 0 skipped",
      "none",
      "none",
      "none",
      "z = 0 skipped",
      "z = 0 skipped",
    ]);
    const worst = rows.map((r) => Number(r["worst |g′ − central difference|"]));
    expect(worst[0]).toBe(0); // the step is flat on both sides
    for (const w of worst) expect(w).toBeLessThan(1e-9); // a wrong formula is off by ~0.1
    const [ofAll] = printed("check-derivatives", /worst difference over all activations: (\S+)/);
    expect(Number(ofAll)).toBe(Math.max(...worst));
    expect(ofAll).toBe("3.8e-11"); // pinned: rounding of (f(z+h) − f(z−h)) / 2h for h = 1e−5
    expect(prose).toContain(`**${ofAll}**`);
  });

  it("ReLU's kink: the central difference averages the two sides, the library takes the right-hand value", () => {
    const [numeric, library] = printed(
      "check-relu-kink",
      /central difference (\S+), library's derivative (\S+)/,
    );
    expect([Number(numeric), Number(library)]).toEqual([0.5, 1]);
    expect(prose).toContain(
      "The central difference gives **0.5**, while the library uses the right-hand value **1**",
    );
  });

  it("states the sigmoid's and tanh's saturation as computed", () => {
    const stdout = chapter.stdout("check-saturation");
    const value = (name: string) =>
      new RegExp(`^${name.replace(/[()']/g, "\\$&")} = (\\S+)$`, "m").exec(stdout)?.[1];
    const expected: Record<string, string> = {
      "sigmoid'(0)": String(activations.sigmoid.derivative(0)),
      "sigmoid'(2)": activations.sigmoid.derivative(2).toFixed(4),
      "sigmoid'(5)": activations.sigmoid.derivative(5).toFixed(4),
      "sigmoid'(10)": fmt(activations.sigmoid.derivative(10)),
      "tanh'(0)": String(activations.tanh.derivative(0)),
      "tanh'(5)": fmt(activations.tanh.derivative(5)),
    };
    for (const [name, v] of Object.entries(expected)) expect(value(name), name).toBe(v);
    expect(expected).toMatchObject({
      "sigmoid'(0)": "0.25",
      "sigmoid'(5)": "0.0066",
      "sigmoid'(10)": "4.5e-5",
      "tanh'(0)": "1",
      "tanh'(5)": "1.8e-4",
    });
    expect(prose).toContain("at most **0.25** (at $z = 0$)");
    expect(prose).toContain(
      "At $z = 5$ it is already down to **0.0066**, and at $z = 10$ to\n**4.5e-5**",
    );
    expect(prose).toContain("with slope **1** at $z = 0$");
    expect(prose).toContain("its slope at $z = 5$ is\n**1.8e-4**");
  });

  it("the product of slopes vanishes with depth for sigmoid and tanh, as stated", () => {
    const stdout = chapter.stdout("check-depth");
    const line = (n: number) => {
      const m = new RegExp(
        `^L = ${n}: sigmoid best (\\S+), sigmoid median (\\S+), tanh median (\\S+), relu active (\\S+)$`,
        "m",
      ).exec(stdout);
      expect(m, stdout).not.toBeNull();
      const [best, sigmoidMedian, tanhMedian, relu] = m!.slice(1);
      return { best, sigmoidMedian, tanhMedian, relu };
    };
    const rows = [5, 10, 30].map((n) => ({ n, ...line(n) }));
    for (const { n, best, sigmoidMedian, tanhMedian, relu } of rows) {
      expect(best).toBe(fmt(0.25 ** n)); // the best case is exactly 0.25ᴸ
      // Every sigmoid slope is at most 0.25, so no chain can beat the best case; tanh's slopes reach 1.
      expect(Number(sigmoidMedian)).toBeLessThanOrEqual(Number(best));
      expect(Number(tanhMedian)).toBeGreaterThan(Number(sigmoidMedian));
      expect(Number(tanhMedian)).toBeLessThan(1);
      expect(relu).toBe("1");
    }
    // Pinned: 1000 chains from random.fork("depth").
    const ten = rows[1];
    expect({ sigmoidMedian: ten.sigmoidMedian, tanhMedian: ten.tanhMedian }).toEqual({
      sigmoidMedian: "1.1e-7",
      tanhMedian: "6.4e-4",
    });
    expect(prose).toContain(
      `even the best case has shrunk the signal to **${ten.best}**, and the typical chain to\n**${ten.sigmoidMedian}**`,
    );
    expect(prose).toContain(`after 30 layers the best case is **${rows[2].best}**`);
    expect(prose).toContain(`(median **${ten.tanhMedian}**`);
    // Depth is L, the number of layers, as on the notation page (n is the batch size there).
    expect(prose).toContain(
      "Through $L$ sigmoid layers the activations alone contribute the product",
    );
    expect(prose).toContain("\\cdots\\sigma'(z_L) \\;\\le\\; 0.25^L");
    expect(prose).not.toMatch(/0\.25\^n|\$n\$ sigmoid layers/);
  });

  it("the linear neuron finds the least-squares line of its data, near the true slope 2 and intercept 1", () => {
    const [slope, intercept] = printed(
      "check-linear-regression",
      /fitted slope (\S+), intercept (\S+) \(true: 2 and 1\)/,
    );
    const [start, end] = printed(
      "check-linear-regression",
      /mean squared error: (\S+) at the start, (\S+) after 500 epochs/,
    );
    const [trueLine] = printed(
      "check-linear-regression",
      /mean squared error of the true line 2x \+ 1 on the same points: (\S+)/,
    );
    // The same data, and the closed-form least-squares line through it: gradient descent must have reached it.
    const r = new Random().fork("linear-regression");
    const x = Array.from({ length: 30 }, () => r.uniform(-3, 3));
    const y = x.map((v) => 2 * v + 1 + r.normal(0, 0.5));
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const [mx, my] = [mean(x), mean(y)];
    const lsSlope =
      x.reduce((s, v, i) => s + (v - mx) * (y[i] - my), 0) /
      x.reduce((s, v) => s + (v - mx) ** 2, 0);
    const lsIntercept = my - lsSlope * mx;
    expect(Number(slope)).toBeCloseTo(lsSlope, 3);
    expect(Number(intercept)).toBeCloseTo(lsIntercept, 3);
    expect(Math.abs(Number(slope) - 2)).toBeLessThan(0.1);
    expect(Math.abs(Number(intercept) - 1)).toBeLessThan(0.2);
    expect(Number(end)).toBeLessThanOrEqual(Number(trueLine)); // the fitted line is the best line for these points
    expect({ slope, intercept, start, end, trueLine }).toEqual({
      slope: "2.011",
      intercept: "0.951",
      start: "13.54",
      end: "0.382",
      trueLine: "0.384",
    });
    expect(prose).toContain(`a slope of **${slope}** and an intercept of **${intercept}**`);
    expect(prose).toContain(`fell from **${start}** to **${end}**`);
    expect(prose).toContain(`on the same points, **${trueLine}**`);
  });

  it("the sigmoid neuron's logistic regression: weights, boundary and accuracy as stated", () => {
    const [w, b, boundary] = printed(
      "check-logistic-regression",
      /w = (\S+), b = (\S+), probability 0\.5 at x = (\S+)/,
    );
    const [start, end] = printed(
      "check-logistic-regression",
      /cross-entropy: (\S+) at the start, (\S+) after 1000 epochs/,
    );
    const [correct, total] = printed(
      "check-logistic-regression",
      /correct with threshold 0\.5: (\d+) of (\d+)/,
    );
    expect(start).toBe(Math.log(2).toFixed(3)); // w = b = 0: every probability is 0.5
    expect(Number(end)).toBeLessThan(Number(start));
    expect(Number(w)).toBeGreaterThan(0); // class 1 lies to the right
    expect(Number(boundary)).toBeCloseTo(-Number(b) / Number(w), 2);
    expect(Number(boundary)).toBeGreaterThan(-1); // between the two class centres
    expect(Number(boundary)).toBeLessThan(1.5);
    expect({ w, b, boundary, end, correct: Number(correct), total: Number(total) }).toEqual({
      w: "1.478",
      b: "-0.004",
      boundary: "0.002",
      end: "0.361",
      correct: 36,
      total: 40,
    });
    expect(prose).toContain(`$w =$ **${w}** and $b =$ **${b}**`);
    expect(prose).toContain(`$x = -b/w =$ **${boundary}**`);
    expect(prose).toContain(`**${correct} of ${total}**`);
    expect(prose).toContain(`fell from **${start}**`);
    expect(prose).toContain(`to **${end}**`);
  });

  it("two linear layers equal one, and a ReLU between them breaks that", () => {
    const [collapse] = printed(
      "check-collapse",
      /two linear layers vs one \(W = W2·W1\): largest difference (\S+)/,
    );
    const [relu] = printed(
      "check-collapse",
      /linear, ReLU, linear vs the same one layer: largest difference (\S+)/,
    );
    const [largest] = printed("check-collapse", /largest output of the two linear layers: (\S+)/);
    expect(Number(collapse)).toBeLessThan(1e-13);
    expect(Number(relu)).toBeGreaterThan(1);
    expect({ collapse, relu, largest }).toEqual({
      collapse: "1.3e-15",
      relu: "7.63",
      largest: "4.42",
    });
    expect(prose).toContain(`agree to **${collapse}**`);
    expect(prose).toContain(
      `off by **${relu}**, on\noutputs that are themselves no larger than **${largest}**`,
    );
  });

  it("the exercises' answers are what the library computes", () => {
    // 1: σ'(2), by the formula and by a central difference.
    expect(activations.sigmoid.derivative(2).toFixed(4)).toBe("0.1050");
    expect(numericalDerivative(sigmoid, 2).toFixed(4)).toBe("0.1050");
    expect([sigmoid(2).toFixed(4), (1 - sigmoid(2)).toFixed(4)]).toEqual(["0.8808", "0.1192"]);
    expect(prose).toContain(
      "Both give **0.1050** (to four places): $\\sigma(2) = 0.8808$, and $0.8808 \\cdot 0.1192 = 0.1050$",
    );
    // 2: tanh z = 2σ(2z) − 1 on the grid.
    const zz = Array.from({ length: 101 }, (_, i) => (i - 50) / 10);
    const identity = Math.max(
      ...zz.map((z) => Math.abs(activations.tanh.value(z) - (2 * sigmoid(2 * z) - 1))),
    );
    expect(identity).toBeLessThan(1e-15);
    expect(prose).toContain(`The largest difference is **${fmt(identity)}**`);
    // 3: the first depth at which 0.25ᴸ < 1e−6.
    const depth = Array.from({ length: 20 }, (_, i) => i + 1).find((n) => 0.25 ** n < 1e-6);
    expect(depth).toBe(10);
    expect(prose).toContain(`$0.25^9 =$ **${fmt(0.25 ** 9)}**`);
    expect(prose).toContain(`$0.25^{10} =$ **${fmt(0.25 ** 10)}**`);
    // 4: a dead ReLU unit passes no slope; a leaky one passes 0.01 per input.
    const xs = Array.from({ length: 61 }, (_, i) => -3 + i / 10);
    const Z = affine(Matrix.fromColumn(xs), Matrix.fromArray([[1]]), Matrix.fromArray([[-4]]));
    const deadSum = activationDerivative(Z, "relu").sum();
    const leakySum = activationDerivative(Z, leakyRelu(0.01)).sum();
    expect(deadSum).toBe(0);
    expect(leakySum.toFixed(2)).toBe("0.61");
    expect(prose).toContain(
      `the sum is **${deadSum}**; with leaky ReLU every slope\nis 0.01 and the sum is **${leakySum.toFixed(2)}**`,
    );
  });

  it("ends with four exercises, each with a collapsed worked solution", () => {
    const exercises = prose.slice(prose.indexOf("## Exercises"));
    expect(exercises.match(/^\*\*\d\.\*\*/gm)).toHaveLength(4);
    expect(
      exercises.match(/<details><summary>Solution<\/summary>\n\n[\s\S]*?\n\n<\/details>/g),
    ).toHaveLength(4);
  });

  it("shows five pieces of library code", () => {
    expect(chapter.allHtml().filter((h) => h.includes('class="gtd-source"'))).toHaveLength(5);
  });

  itShowsAndRendersFigures(() => chapter, 12);

  itRunsEverySolution(() => chapter);
});
