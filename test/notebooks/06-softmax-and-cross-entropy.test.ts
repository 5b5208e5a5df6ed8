// Chapter 6 runs headless, and the softmax values, the overflow and its fix, the cross-entropy and its gradient, the
// squared error against the cross-entropy, and the spiral network its prose states are what it computes.
import { beforeAll, describe, expect, it } from "vitest";
import {
  Adam,
  Network,
  Random,
  SGD,
  Standardizer,
  accuracy,
  activations,
  blobs,
  categoricalCrossEntropy,
  fit,
  oneHot,
  sigmoid,
  softmax,
  spirals,
  trainTestSplit,
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
  chapter = await runChapter("06-softmax-and-cross-entropy", { timeoutSec: 120 });
});

/** The numbers of the first "[a, b, c]" after `label`. */
function listAfter(text: string, label: string): number[] {
  const start = text.indexOf(label);
  expect(start, `no "${label}" in:\n${text}`).toBeGreaterThanOrEqual(0);
  const match = /\[([^\]]*)\]/.exec(text.slice(start + label.length));
  expect(match, `no list after "${label}"`).not.toBeNull();
  return match![1].split(",").map(Number);
}

const percent = (v: number) => `${(100 * v).toFixed(1)}%`;

/** Section 4's data, as the chapter prepares it. */
function blobData() {
  const data = blobs(
    [
      [0, 0],
      [3, 0],
      [1.5, 2.5],
    ],
    100,
    0.6,
    new Random().fork("blobs"),
  );
  const { train, test } = trainTestSplit(data, 0.3, new Random().fork("blobs-split"));
  const scaler = Standardizer.fit(train.X);
  return {
    Xtrain: scaler.transform(train.X),
    Xtest: scaler.transform(test.X),
    Ytrain: oneHot(train.labels, 3),
    train: train.labels,
    test: test.labels,
  };
}

/** Section 5's data, as the chapter prepares it. */
function spiralData() {
  const data = spirals(150, 3, 0.2, new Random().fork("spirals"));
  const { train, test } = trainTestSplit(data, 0.3, new Random().fork("spirals-split"));
  const scaler = Standardizer.fit(train.X);
  return {
    Xtrain: scaler.transform(train.X),
    Xtest: scaler.transform(test.X),
    Ytrain: oneHot(train.labels, 3),
    train: train.labels,
    test: test.labels,
  };
}

describe("chapter 6: softmax and cross-entropy", () => {
  it("softmax([1, 2]) = [0.27, 0.73], computed, checked by hand and stated", () => {
    const stdout = chapter.stdout("check-softmax-12");
    expect(stdout).toContain("softmax([1, 2]) = [0.2689, 0.7311], sum 1.0000");
    expect(stdout).toContain("e^1 / (e^1 + e^2) = 0.2689");
    expect(stdout).toContain("ratio p[1] / p[0] = 2.7183");
    // Independent of the library: 1/(1 + e) and e.
    expect(listAfter(stdout, "softmax([1, 2]) =")[0]).toBeCloseTo(1 / (1 + Math.E), 4);
    expect(numberAfter(stdout, "ratio p[1] / p[0] =")).toBeCloseTo(Math.E, 4);
    const prose = chapter.prose();
    expect(prose).toContain(
      "The softmax of $[1, 2]$ is $[$**0.2689**$,$ **0.7311**$]$, or $[0.27, 0.73]$ rounded",
    );
    expect(prose).toContain("$e^{2-1} = e \\approx$ **2.7183**");
  });

  it("raising one score takes probability from the others in proportion, as the prose states", () => {
    const stdout = chapter.stdout("check-growing");
    expect(stdout).toContain("s = 0: p = [0.2447, 0.6652, 0.0900], p[1] / p[0] = 2.7183");
    expect(stdout).toContain("s = 2: p = [0.1554, 0.4223, 0.4223], p[1] / p[0] = 2.7183");
    expect(stdout).toContain("s = 4: p = [0.0420, 0.1142, 0.8438], p[1] / p[0] = 2.7183");
    for (const s of [0, 2, 4]) {
      const p = listAfter(stdout, `s = ${s}: p =`);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    }
    const prose = chapter.prose();
    expect(prose).toContain("At $s = 0$ the probabilities are $0.2447$, $0.6652$ and $0.0900$");
    expect(prose).toContain("tie at **0.4223** each");
    expect(prose).toContain("class 2 has **0.8438**");
  });

  it("the naive formula gives NaN for scores of ±1000; the library's max-subtraction gives finite probabilities summing to 1", () => {
    const overflow = chapter.stdout("check-overflow");
    expect(overflow).toContain(
      "scores [1000, 999, 998]: e^z = [Infinity, Infinity, Infinity], sum Infinity, e^z / sum = [NaN, NaN, NaN]",
    );
    expect(overflow).toContain(
      "scores [-1000, -1001]: e^z = [0, 0], sum 0, e^z / sum = [NaN, NaN]",
    );
    expect(overflow).toContain("Math.exp(709) = 8.218e+307, Math.exp(710) = Infinity");
    const stable = chapter.stdout("check-stable");
    expect(stable).toContain("softmax([1000, 999, 998]) = [0.6652, 0.2447, 0.0900], sum 1.000000");
    expect(stable).toContain("softmax([2, 1, 0]) = [0.6652, 0.2447, 0.0900], sum 1.000000");
    expect(stable).toContain("softmax([-1000, -1001]) = [0.7311, 0.2689], sum 1.000000");
    // Whatever the implementation: finite, summing to 1, and equal to the softmax of the shifted scores.
    const big = softmax([1000, 999, 998]);
    expect(big.every(Number.isFinite)).toBe(true);
    expect(big.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(big[0]).toBeCloseTo(1 / (1 + Math.exp(-1) + Math.exp(-2)), 12);
    const prose = chapter.prose();
    expect(prose).toContain("**0.6652**, **0.2447** and **0.0900**, which sum to\n**1.000000**");
    expect(prose).toContain("The pair $[-1000, -1001]$ gives $[0.7311, 0.2689]$");
  });

  it("the cross-entropy of softmax([1, 2]) for each class, and log 3 for a uniform guess", () => {
    const stdout = chapter.stdout("check-ce");
    expect(stdout).toContain("class 1: ℓ = -log 0.7311 = 0.3133");
    expect(stdout).toContain("class 0: ℓ = -log 0.2689 = 1.3133");
    expect(stdout).toContain("mean over the two = 0.8133");
    expect(stdout).toContain("guessing 1/3 for each of 3 classes: ℓ = 1.0986 = log 3");
    expect(numberAfter(stdout, "class 1: ℓ = -log 0.7311 =")).toBeCloseTo(
      Math.log(1 + Math.exp(-1)),
      4,
    );
    expect(numberAfter(stdout, "class 0: ℓ = -log 0.2689 =")).toBeCloseTo(Math.log(1 + Math.E), 4);
    expect(numberAfter(stdout, "guessing 1/3 for each of 3 classes: ℓ =")).toBeCloseTo(
      Math.log(3),
      4,
    );
    chapter.expectProseStates([
      "$-\\log 0.7311 =$ **0.3133**",
      "$-\\log 0.2689 =$\n**1.3133**",
      "**0.8133**",
      "$\\log 3 =$ **1.0986**",
    ]);
  });

  it("the gradient p − y through the softmax agrees with central differences, and so does the library's network", () => {
    const stdout = chapter.stdout("check-ce-gradient");
    expect(stdout).toContain("p = softmax([1, 2, 0.5]) = [0.2312, 0.6285, 0.1402], ℓ = 1.4644");
    const analytic = listAfter(stdout, "p - y");
    const numeric = listAfter(stdout, "central differences");
    expect(analytic).toEqual([-0.768776, 0.628532, 0.140244]);
    expect(numeric).toEqual(analytic);
    expect(analytic.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 5); // p sums to 1 and y sums to 1
    expect(stdout).toContain("largest difference 3.9e-12");
    expect(numberAfter(stdout, "largest difference")).toBeLessThan(1e-8);
    const check = chapter.stdout("check-gradcheck");
    expect(check).toContain("27 parameters checked, worst relative error 7.7e-12");
    expect(numberAfter(check, "worst relative error")).toBeLessThan(1e-7);
    const prose = chapter.prose();
    expect(prose).toContain(
      "(the largest difference is **3.9e-12**): $p - y = [-0.768776, 0.628532, 0.140244]$",
    );
    expect(prose).toContain("every one of its 27 weights and biases");
    expect(prose).toContain("The worst relative error is **7.7e-12**");
  });

  it("the sigmoid table: squared error keeps σ′(z), cross-entropy cancels it", () => {
    const rows = parseHtmlTable(chapter.html("check-sigmoid-table")[0]);
    expect(rows.map((r) => r.z)).toEqual(["2", "0", "-2", "-5", "-10"]);
    expect(rows.map((r) => r["∂ℓ/∂z, squared error"])).toEqual([
      "-0.0250",
      "-0.250",
      "-0.185",
      "-0.0132",
      "-0.0000908",
    ]);
    expect(rows.map((r) => r["∂ℓ/∂z, cross-entropy"])).toEqual([
      "-0.119",
      "-0.500",
      "-0.881",
      "-0.993",
      "-1.00",
    ]);
    expect(rows.map((r) => r["cross-entropy ÷ squared error"])).toEqual([
      "4.76",
      "2.00",
      "4.76",
      "75.2",
      "1.10e+4",
    ]);
    for (const row of rows) {
      // The formulas of the prose, computed here: 2(p − 1)σ′(z) and p − 1.
      const z = Number(row.z);
      const p = sigmoid(z);
      expect(Number(row["∂ℓ/∂z, squared error"]), row.z).toBeCloseTo(
        2 * (p - 1) * activations.sigmoid.derivative(z),
        3,
      );
      expect(Number(row["∂ℓ/∂z, cross-entropy"]), row.z).toBeCloseTo(p - 1, 2);
    }
    const prose = chapter.prose();
    expect(prose).toContain(
      "the squared error's push has shrunk to **-0.0132** while the cross-entropy's is **-0.993**, **75.2** times\nlarger",
    );
    expect(prose).toContain("at $z = -10$ the ratio is over ten thousand");
  });

  it("a confidently wrong softmax: the cross-entropy pushes the true class 38 times harder", () => {
    const stdout = chapter.stdout("check-softmax-mse");
    expect(stdout).toContain("p = softmax([0, 5, 0]) = [0.0066, 0.9867, 0.0066], true class 0");
    expect(stdout).toContain("squared error: dℓ/dz = [-0.0261, 0.0388, -0.0128]");
    expect(stdout).toContain("cross-entropy: dℓ/dz = [-0.9934, 0.9867, 0.0066]");
    expect(stdout).toContain(
      "push on the true class's score: 38.1 times larger with cross-entropy",
    );
    // p − y, independently.
    const p = softmax([0, 5, 0]);
    expect(listAfter(stdout, "cross-entropy: dℓ/dz =")[0]).toBeCloseTo(p[0] - 1, 4);
    const prose = chapter.prose();
    expect(prose).toContain("$p_0 = 0.0066$");
    expect(prose).toContain(
      "a gradient of only $-0.0261$; the cross-entropy\nwith $-0.9934$, **38.1** times as hard",
    );
  });

  it("after the review: cross-entropy as maximum likelihood, computed from the scores", () => {
    chapter.expectProseStates([
      "**Why this loss? Maximum likelihood.**",
      "**maximum-likelihood estimation**",
      "\\prod_{i=1}^{n} p_{c_i}(x_i)",
      "it computes the loss from the scores",
      "The pairing belongs to the loss (`fromScores`)",
      // The errata of issue 18: the model gives the labels a conditional likelihood, not the inputs a probability;
      // N(0, 1) is Nielsen's chapter 1's choice, not his chapter 3's; ℓ is the per-example loss, as on page 00.
      "**conditional likelihood** of its labels given its inputs, $\\prod_i p(c_i \\mid x_i)$",
      "The model says nothing about how probable the inputs themselves are",
      "the choice of Nielsen's chapter 1; his chapter 3, the\ndefault of his `network2.py`, draws weights from $N(0, 1/d_{l-1})$",
      "$$\\ell = -\\sum_{j=1}^{k} y_j \\log p_j = -\\log p_c .$$",
    ]);
    const prose = chapter.prose();
    expect(prose).not.toContain("see `fused` below");
    expect(prose).not.toContain("The probability the model gives to the whole training set");
    expect(prose).not.toContain("Nielsen's choice)");
    expect(prose).not.toMatch(/\$\$L = |\\partial L\}\{\\partial z/);
  });

  it("same data, same start: the squared error stalls where the cross-entropy learns, with the numbers the prose states", () => {
    expect(chapter.stdout("check-blobs-data")).toContain("210 training and 90 validation points");
    const stdout = chapter.stdout("check-mse-vs-ce");
    expect(stdout).toContain("identical starting weights: true (1251 parameters)");
    // The cross-entropy is computed from the scores: exact, where a clipped −log p would have capped 47 points at 27.6.
    expect(stdout).toContain(
      "before training: cross-entropy from the scores 17.78; 47 of 210 training points give their true class a probability " +
        "below 1e-12, where a clipped -log p would stop at 27.6 and report a mean of 16.27",
    );
    expect(numberAfter(stdout, "from the scores")).toBeGreaterThan(
      numberAfter(stdout, "report a mean of"),
    );
    expect(stdout).toContain(
      "trained with squared error: after epoch 1 training accuracy 30.5%, 146 confidently wrong; after 100 epochs " +
        "training accuracy 64.3%, validation accuracy 72.2%, 75 confidently wrong, training cross-entropy 5.55 (lowest 5.46), squared error 0.589",
    );
    expect(stdout).toContain(
      "trained with cross-entropy: after epoch 1 training accuracy 94.8%, 3 confidently wrong; after 100 epochs " +
        "training accuracy 100.0%, validation accuracy 100.0%, 0 confidently wrong, training cross-entropy 0.0000881",
    );
    const rows = parseHtmlTable(chapter.html("check-mse-vs-ce")[0]);
    expect(rows.map((r) => `${r.epoch} ${r["trained with"]}`)).toEqual([
      "0 squared error",
      "0 cross-entropy",
      "1 squared error",
      "1 cross-entropy",
      "10 squared error",
      "10 cross-entropy",
      "100 squared error",
      "100 cross-entropy",
    ]);
    expect(rows.map((r) => r["training accuracy"])).toEqual([
      "30.5%",
      "30.5%",
      "30.5%",
      "94.8%",
      "62.4%",
      "100.0%",
      "64.3%",
      "100.0%",
    ]);
    expect(rows.map((r) => r["validation accuracy"])).toEqual([
      "40.0%",
      "40.0%",
      "40.0%",
      "84.4%",
      "68.9%",
      "100.0%",
      "72.2%",
      "100.0%",
    ]);
    expect(rows.map((r) => r["confidently wrong (train)"])).toEqual([
      "146",
      "146",
      "146",
      "3",
      "75",
      "0",
      "75",
      "0",
    ]);
    // Same start: identical epoch-0 rows. And every point it gets wrong at the start, it gets confidently wrong.
    expect(rows[0]).toEqual({ ...rows[1], "trained with": "squared error" });
    expect(Math.round(0.305 * 210) + 146).toBe(210);
    // Whatever the seed, the claim of the section: cross-entropy ends far better, and the squared error stays stuck.
    expect(
      numberAfter(stdout, /cross-entropy: .*after 100 epochs training accuracy/),
    ).toBeGreaterThan(
      numberAfter(stdout, /squared error: .*after 100 epochs training accuracy/) + 20,
    );
    expect(numberAfter(stdout, "(lowest")).toBeGreaterThan(5);
    const prose = chapter.prose();
    chapter.expectProseStates([
      "the same **1251** weights",
      "all **146** of the others",
      "classifies **94.8%**",
      "at **64.3%** on the training set and **72.2%**",
      "with **75** training points",
      "against **100.0%** on both sets",
      "stays above 5",
      "levels off\nat 0.589",
      "from **17.8** to **0.0000881**",
      "**47** of the training points",
      "of **16.27** instead of **17.78**",
      "only 3 of the 146 are left",
    ]);
  });

  it("ten starts: the squared error reaches 90% from 1, the cross-entropy from all 10", () => {
    const rows = parseHtmlTable(chapter.html("check-ten-starts")[0]);
    expect(rows.map((r) => r.start)).toEqual(Array.from({ length: 10 }, (_, i) => `start-${i}`));
    expect(rows.map((r) => r["squared error: validation accuracy"])).toEqual([
      "40.0%",
      "67.8%",
      "71.1%",
      "32.2%",
      "40.0%",
      "100.0%",
      "57.8%",
      "68.9%",
      "67.8%",
      "40.0%",
    ]);
    expect(rows.map((r) => r["cross-entropy: validation accuracy"])).toEqual([
      "97.8%",
      "100.0%",
      "96.7%",
      "100.0%",
      "100.0%",
      "100.0%",
      "96.7%",
      "97.8%",
      "97.8%",
      "97.8%",
    ]);
    const stdout = chapter.stdout("check-ten-starts");
    expect(stdout).toContain(
      "squared error: at least 90% from 1 of 10 starts, lowest 32.2%, highest 100.0%",
    );
    expect(stdout).toContain(
      "cross-entropy: at least 90% from 10 of 10 starts, lowest 96.7%, highest 100.0%",
    );
    // The summary lines follow from the table.
    const values = (column: string) => rows.map((r) => Number(r[column].replace("%", "")));
    expect(values("squared error: validation accuracy").filter((a) => a >= 90)).toHaveLength(1);
    expect(Math.max(...values("squared error: validation accuracy").filter((a) => a < 90))).toBe(
      71.1,
    );
    expect(Math.min(...values("cross-entropy: validation accuracy"))).toBe(96.7);
    const prose = chapter.prose();
    expect(prose).toContain("from only **1 of 10** starts (`start-5`)");
    expect(prose).toContain("other nine it stalls between **32.2%** and 71.1%");
    expect(prose).toContain("from **10 of 10**, the worst at **96.7%**");
  });

  it("the spiral network gets clearly above 90% on the validation set, with the confusion matrix and mistakes the prose states", () => {
    expect(chapter.stdout("check-spirals-data")).toContain(
      "315 training points (per arm 103, 103, 109), 135 validation points (per arm 47, 47, 41)",
    );
    const stdout = chapter.stdout("check-spirals");
    expect(stdout).toContain(
      "2 → 32 (relu) → 32 (relu) → 3 (softmax), categoricalCrossEntropy, 1251 parameters",
    );
    expect(stdout).toContain(
      "loss before training 1.6491; after 200 epochs: training loss 0.0036, validation loss 0.0359",
    );
    expect(stdout).toContain("training accuracy 100.0%, validation accuracy 97.8% (132 of 135)");
    expect(stdout).toContain("first epoch with at least 95% validation accuracy: 8");
    expect(stdout).toContain("largest training loss after epoch 20: 0.115 in epoch 98");
    expect(stdout).toContain(
      "confusion matrix (rows: true arm, columns: predicted arm): [[47,0,0],[2,45,0],[1,0,40]]",
    );
    expect(stdout).toContain("mistake: validation point (0.007, -0.001) of arm 1, predicted arm 0");
    expect(stdout).toContain("mistake: validation point (0.000, 0.000) of arm 1, predicted arm 0");
    expect(stdout).toContain("mistake: validation point (0.000, 0.000) of arm 2, predicted arm 0");
    expect(numberAfter(stdout, "validation accuracy")).toBeGreaterThan(90);
    // The confusion matrix agrees with the accuracy and the class counts, whatever the numbers.
    const counts = JSON.parse(/predicted arm\): (\[.*\])/.exec(stdout)![1]) as number[][];
    expect(counts.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([47, 47, 41]);
    expect(counts[0][0] + counts[1][1] + counts[2][2]).toBe(132);
    // The data set really holds (0, 0) once per arm: the mistakes at the origin cannot all be avoided.
    const data = spirals(150, 3, 0.2, new Random().fork("spirals"));
    const origins = data.labels.filter((_, i) => data.X.get(i, 0) === 0 && data.X.get(i, 1) === 0);
    expect(origins).toEqual([0, 1, 2]);
    const prose = chapter.prose();
    chapter.expectProseStates([
      "the loss is **1.6491**",
      "in epoch **8**",
      "training loss is\n**0.0036** and the validation loss **0.0359**",
      "**100.0%** of the training points and **97.8%** of the\nvalidation points",
      "**132 of 135**",
      "in epoch **98**",
      "back up to 0.115",
      "$47 + 45 + 40 = 132$",
      "(47, 47 and 41)",
      "at $(0.007, -0.001)$ and twice at exactly\n$(0, 0)$",
    ]);
  });

  it("exercises 1 and 2: shifting scores changes nothing, two classes give the sigmoid, and the temperatures", () => {
    for (const scores of [
      [101, 102],
      [-5, -4],
    ]) {
      softmax(scores).forEach((p, j) => expect(p).toBeCloseTo(softmax([1, 2])[j], 12));
    }
    expect(softmax([0, 2])[1].toFixed(4)).toBe("0.8808");
    expect(softmax([0, 2])[1]).toBeCloseTo(sigmoid(2), 12);
    const top = [0.5, 1, 2, 10].map((T) => softmax([1, 2, 3].map((z) => z / T))[2].toFixed(4));
    expect(top).toEqual(["0.8668", "0.6652", "0.5065", "0.3672"]);
    const prose = chapter.prose();
    expect(prose).toContain("All three give $[0.2689, 0.7311]$");
    expect(prose).toContain("For two classes both numbers are 0.8808");
    expect(prose).toContain(
      "0.8668 at $T = 0.5$, 0.6652 at $T = 1$, 0.5065 at $T = 2$ and\n0.3672 at $T = 10$",
    );
  });

  it("exercise 3: the untrained spiral network averages 1/3 on the right class but has a loss of 1.6491", () => {
    const sp = spiralData();
    const untrained = new Network({
      sizes: [2, 32, 32, 3],
      hidden: "relu",
      output: "softmax",
      loss: "categoricalCrossEntropy",
      init: "he",
      random: new Random().fork("spirals-init"),
    });
    const P = untrained.predict(sp.Xtrain);
    const rightClass = sp.train.map((c, i) => P.get(i, c));
    const mean = rightClass.reduce((a, b) => a + b, 0) / rightClass.length;
    expect(mean.toFixed(4)).toBe("0.3356");
    expect(Math.min(...rightClass).toFixed(4)).toBe("0.0046");
    expect((-Math.log(mean)).toFixed(4)).toBe("1.0919");
    expect((-Math.log(Math.min(...rightClass))).toFixed(1)).toBe("5.4");
    expect(untrained.evaluateLoss(sp.Xtrain, sp.Ytrain).toFixed(4)).toBe("1.6491");
    expect(categoricalCrossEntropy.value(P, sp.Ytrain)).toBeGreaterThan(-Math.log(mean)); // Jensen, whatever the seed
    const prose = chapter.prose();
    expect(prose).toContain("The average probability of the right class is 0.3356");
    expect(prose).toContain(
      "the smallest is 0.0046, which alone costs $-\\log 0.0046 \\approx 5.4$",
    );
    expect(prose).toContain("1.6491 instead of $-\\log 0.3356 = 1.0919$");
  });

  it("exercise 4: softmax regression without hidden layers gets about half the spirals right", () => {
    const sp = spiralData();
    const flat = new Network({
      sizes: [2, 3],
      output: "softmax",
      loss: "categoricalCrossEntropy",
      init: "he",
      random: new Random().fork("spirals-init"),
    });
    fit(flat, sp.Xtrain, sp.Ytrain, {
      epochs: 200,
      batchSize: 32,
      optimizer: new Adam({ learningRate: 0.01 }),
      random: new Random().fork("spirals-fit"),
    });
    const trainAccuracy = accuracy(flat.classify(sp.Xtrain), sp.train);
    const testAccuracy = accuracy(flat.classify(sp.Xtest), sp.test);
    expect([percent(trainAccuracy), percent(testAccuracy)]).toEqual(["53.0%", "54.8%"]);
    expect(testAccuracy).toBeLessThan(0.8);
    expect(chapter.prose()).toContain(
      "It gets 53.0% of the training points and 54.8% of the validation points right",
    );
  });

  it("exercise 5: from He initialisation few points start confidently wrong, and both losses solve the clouds at once", () => {
    const blob = blobData();
    for (const loss of ["mse", "categoricalCrossEntropy"] as const) {
      const net = new Network({
        sizes: [2, 32, 32, 3],
        hidden: "relu",
        output: "softmax",
        loss,
        init: "he",
        random: new Random().fork("mse-vs-ce"),
      });
      const P = net.predict(blob.Xtrain);
      expect(blob.train.filter((c, i) => P.get(i, c) < 0.01).length, loss).toBe(3);
      expect(blob.train.filter((c, i) => P.argmaxRows()[i] === c).length, loss).toBe(2);
      const testAccuracy: number[] = [];
      fit(net, blob.Xtrain, blob.Ytrain, {
        epochs: 100,
        batchSize: 10,
        optimizer: new SGD({ learningRate: 0.05 }),
        random: new Random().fork("mse-vs-ce-fit"),
        onEpoch: () => testAccuracy.push(accuracy(net.classify(blob.Xtest), blob.test)),
      });
      expect([percent(testAccuracy[0]), percent(testAccuracy[99])], loss).toEqual([
        "100.0%",
        "97.8%",
      ]);
    }
    const prose = chapter.prose();
    expect(prose).toContain(
      "(it gets 2 of the 210 right), but it is confidently wrong\nabout only 3 of them, against 146 with $N(0, 1)$ weights",
    );
    expect(prose).toContain(
      "both networks classify **every** validation point correctly after their first epoch (100.0% validation accuracy)",
    );
    expect(prose).toContain("after 100 epochs both are at 97.8%");
  });

  itShowsAndRendersFigures(() => chapter, 9);

  itRunsEverySolution(() => chapter);
});
