import { describe, expect, it } from "vitest";
import { softmax, softmaxRows } from "../../lib/src/networks/activations";
import { gradientCheck } from "../../lib/src/networks/gradient-check";
import { numericalGradient } from "../../lib/src/networks/gradients";
import { categoricalCrossEntropy, lossByName } from "../../lib/src/networks/losses";
import { Matrix } from "../../lib/src/core/matrix";
import { oneHot } from "../../lib/src/networks/metrics";
import { Network, type NetworkOptions } from "../../lib/src/networks/network";
import { Random } from "../../lib/src/core/random";

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: ArrayLike<number>) => {
  const m = mean(xs);
  return Math.sqrt(mean(Array.from(xs, (x) => (x - m) ** 2)));
};

describe("softmax", () => {
  it("turns [1, 2] into [0.27, 0.73]", () => {
    const p = softmax([1, 2]);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.E), 15);
    expect(p[1]).toBeCloseTo(Math.E / (1 + Math.E), 15);
    expect(p.map((v) => v.toFixed(2))).toEqual(["0.27", "0.73"]);
  });

  it("stays finite for scores of 1000 (it subtracts the row maximum) and every row sums to 1", () => {
    const P = softmaxRows(
      Matrix.fromArray([
        [1000, 999, 998],
        [-1000, 0, 1000],
        [3, 3, 3],
      ]),
    );
    expect(P.isFinite()).toBe(true);
    for (let i = 0; i < 3; i++) expect(P.get(i, 0) + P.get(i, 1) + P.get(i, 2)).toBeCloseTo(1, 15);
    expect(P.get(0, 0)).toBeCloseTo(1 / (1 + Math.exp(-1) + Math.exp(-2)), 15);
    expect(P.get(2, 1)).toBeCloseTo(1 / 3, 15);
    // The naive formula overflows on the same scores.
    expect(Math.exp(1000) / (Math.exp(1000) + Math.exp(999))).toBeNaN();
  });

  it("rejects a row with NaN or Infinity", () => {
    expect(() =>
      softmaxRows(
        Matrix.fromArray([
          [1, 2],
          [NaN, 0],
        ]),
      ),
    ).toThrow(/row 1 contains NaN/);
    expect(() => softmaxRows(Matrix.fromArray([[Infinity, 0]]))).toThrow(/row 0 contains Infinity/);
  });
});

describe("categoricalCrossEntropy", () => {
  it("is −mean log p of the true class (hand-computed), and its gradient matches central differences", () => {
    const P = Matrix.fromArray([
      [0.7, 0.2, 0.1],
      [0.1, 0.1, 0.8],
    ]);
    const Y = oneHot([0, 2], 3);
    expect(categoricalCrossEntropy.value(P, Y)).toBeCloseTo(
      -(Math.log(0.7) + Math.log(0.8)) / 2,
      15,
    );
    const numeric = numericalGradient(
      (p) => categoricalCrossEntropy.value(new Matrix(2, 3, p), Y),
      Float64Array.from(P.data),
      1e-7,
    );
    categoricalCrossEntropy
      .gradient(P, Y)
      .data.forEach((g, i) => expect(g).toBeCloseTo(numeric[i], 6));
    expect(lossByName("categoricalCrossEntropy")).toBe(categoricalCrossEntropy);
  });
});

describe("Network construction", () => {
  it("new Network([784, 30, 10]) is Nielsen's: sigmoid layers, N(0,1) weights and biases, quadratic cost", () => {
    const net = new Network([784, 30, 10]);
    expect(net.layers.map((l) => l.weights.shapeString)).toEqual(["30×784", "10×30"]);
    expect(net.layers.map((l) => l.bias.shapeString)).toEqual(["1×30", "1×10"]);
    expect(net.layers.map((l) => l.activation)).toEqual(["sigmoid", "sigmoid"]);
    expect(net.loss.name).toBe("mse");
    const w = net.layers[0].weights.data;
    expect(Math.abs(mean(w))).toBeLessThan(0.02);
    expect(std(w)).toBeCloseTo(1, 1);
    expect(std(net.layers[0].bias.data)).toBeGreaterThan(0.5);
    expect(net.describe()).toBe("784 → 30 (sigmoid) → 10 (sigmoid), mse, 23860 parameters");
  });

  it("He and Xavier scale the weights by fan-in (and fan-out) and start biases at zero", () => {
    const he = new Network({ sizes: [400, 200, 10], hidden: "relu", init: "he" });
    expect(std(he.layers[0].weights.data)).toBeCloseTo(Math.sqrt(2 / 400), 2);
    expect(Array.from(he.layers[0].bias.data).every((b) => b === 0)).toBe(true);
    const xavier = new Network({ sizes: [400, 200, 10], init: "xavier" });
    expect(std(xavier.layers[0].weights.data)).toBeCloseTo(Math.sqrt(2 / 600), 2);
  });

  it("is seeded: the same Random gives the same weights", () => {
    const a = new Network({ sizes: [3, 4, 2], random: new Random("n") });
    const b = new Network({ sizes: [3, 4, 2], random: new Random("n") });
    const c = new Network({ sizes: [3, 4, 2], random: new Random("m") });
    expect(a.layers[0].weights.data).toEqual(b.layers[0].weights.data);
    expect(a.layers[0].weights.data).not.toEqual(c.layers[0].weights.data);
  });

  it("rejects unknown options, activations, inits and losses by name", () => {
    expect(() => new Network({ sizes: [2, 1], learningRate: 3 } as never)).toThrow(
      /unknown option "learningRate"/,
    );
    expect(() => new Network({ sizes: [2, 2, 1], hidden: "swish" as never })).toThrow(
      /unknown activation "swish"/,
    );
    expect(() => new Network({ sizes: [2, 1], init: "zeros" as never })).toThrow(
      /unknown init "zeros" \(known: normal, xavier, he\)/,
    );
    expect(() => new Network({ sizes: [2, 1], loss: "hinge" as never })).toThrow(
      /unknown loss "hinge"/,
    );
    expect(() => new Network([5])).toThrow(/at least an input and an output layer/);
    expect(() => new Network({ sizes: [2, 3, 1], dropout: 1 })).toThrow(
      /dropout must be in \[0, 1\), got 1/,
    );
    expect(() => new Network({ sizes: [2, 1], output: "softmax" })).toThrow(
      /softmax layer needs at least 2 units/,
    );
  });

  it("names mismatched shapes between data and model", () => {
    const net = new Network({ sizes: [3, 4, 2] });
    expect(() => net.predict(Matrix.zeros(5, 4))).toThrow(
      /input is 5×4 but the network expects 3 features per row/,
    );
    expect(() => net.computeGradients(Matrix.zeros(5, 3), Matrix.zeros(5, 3))).toThrow(
      /targets are 5×3 but 5 examples need 5×2 targets/,
    );
  });
});

describe("backpropagation: gradient checks (five-point differences, float64)", () => {
  const random = new Random("gradient-check-data");
  const X = random.normalMatrix(7, 3);
  const labels = [0, 1, 2, 1, 0, 2, 1];
  const cases: Array<[string, NetworkOptions, Matrix]> = [
    ["Nielsen: sigmoid + sigmoid output + MSE", { sizes: [3, 4, 3] }, oneHot(labels, 3)],
    [
      "sigmoid hidden, sigmoid output + binary CE (fused)",
      { sizes: [3, 5, 1], output: "sigmoid", loss: "binaryCrossEntropy" },
      Matrix.fromColumn(labels.map((l) => (l === 1 ? 1 : 0))),
    ],
    [
      "ReLU + softmax + categorical CE (fused), He",
      {
        sizes: [3, 6, 3],
        hidden: "relu",
        output: "softmax",
        loss: "categoricalCrossEntropy",
        init: "he",
      },
      oneHot(labels, 3),
    ],
    [
      "two tanh layers + softmax + CE + L2, Xavier",
      {
        sizes: [3, 5, 4, 3],
        hidden: "tanh",
        output: "softmax",
        loss: "categoricalCrossEntropy",
        init: "xavier",
        l2: 0.7,
      },
      oneHot(labels, 3),
    ],
    [
      "sigmoid + softmax + MSE (softmax Jacobian)",
      { sizes: [3, 4, 3], output: "softmax", loss: "mse" },
      oneHot(labels, 3),
    ],
    [
      "leaky ReLU + linear output + MSE + L2",
      { sizes: [3, 5, 2], hidden: "leakyRelu", output: "linear", loss: "mse", init: "he", l2: 1 },
      random.normalMatrix(7, 2),
    ],
    [
      "ReLU, three hidden layers + sigmoid + binary CE",
      {
        sizes: [3, 6, 5, 4, 1],
        hidden: "relu",
        output: "sigmoid",
        loss: "binaryCrossEntropy",
        init: "he",
      },
      Matrix.fromColumn(labels.map((l) => (l === 2 ? 1 : 0))),
    ],
  ];

  it.each(cases)("%s: every weight and bias within 1e-6 relative error", (_name, options, Y) => {
    const net = new Network({ ...options, random: new Random("gradient-check-net") });
    const report = gradientCheck(net, X, Y);
    const count = net.layers.reduce((n, l) => n + l.weights.data.length + l.bias.data.length, 0);
    expect(report.checked).toBe(count);
    expect(report.worst.relativeError, `worst: ${report.worst.parameter}`).toBeLessThan(1e-6);
  });

  it("catches a wrong gradient", () => {
    const net = new Network({ sizes: [3, 4, 3], random: new Random("gradient-check-net") });
    const honest = net.computeGradients.bind(net);
    // Sabotage: a backward pass that forgets the factor 1/n of the mean.
    net.computeGradients = (x, y, o) => {
      const result = honest(x, y, o);
      for (const p of net.parameters()) p.grad.scaleInPlace(x.rows);
      return result;
    };
    expect(gradientCheck(net, X, oneHot(labels, 3)).worst.relativeError).toBeGreaterThan(0.5);
  });

  it("L2 adds λ/N·W to the weight gradient, with N the training-set size", () => {
    const plain = new Network({ sizes: [3, 2], random: new Random("l2") });
    const decayed = new Network({ sizes: [3, 2], l2: 2, random: new Random("l2") });
    const Y = oneHot([0, 1, 1, 0, 1, 0, 0], 2);
    plain.computeGradients(X, Y, { training: false, trainingSize: 50 });
    decayed.computeGradients(X, Y, { training: false, trainingSize: 50 });
    const w = plain.layers[0].weights;
    decayed.layers[0].gradWeights.data.forEach((g, i) =>
      expect(g).toBeCloseTo(plain.layers[0].gradWeights.data[i] + (2 / 50) * w.data[i], 12),
    );
    expect(decayed.l2Penalty(50)).toBeCloseTo(
      (2 / 100) * Array.from(w.data).reduce((s, v) => s + v * v, 0),
      12,
    );
  });
});

describe("dropout", () => {
  it("while training drops about the given fraction and scales the rest by 1/(1 − p); at test time does nothing", () => {
    const net = new Network({
      sizes: [10, 400, 1],
      hidden: "relu",
      init: "he",
      dropout: 0.3,
      random: new Random("dropout"),
    });
    const X = new Random("dx").uniformMatrix(20, 10, 0.5, 1);
    const hidden = net.layers[0];
    const plain = hidden.forward(X);
    const dropped = hidden.forward(X, { random: new Random("mask") });
    let zeros = 0;
    let positive = 0;
    dropped.data.forEach((v, i) => {
      if (plain.data[i] <= 0) return;
      positive++;
      if (v === 0) zeros++;
      else expect(v).toBeCloseTo(plain.data[i] / 0.7, 12);
    });
    expect(zeros / positive).toBeGreaterThan(0.27);
    expect(zeros / positive).toBeLessThan(0.33);
    expect(net.predict(X).data).toEqual(net.predict(X).data);
    expect(net.layers[1].dropout).toBe(0); // never on the output layer
  });

  it("backpropagates only through the units it kept", () => {
    const net = new Network({
      sizes: [4, 50, 1],
      hidden: "sigmoid",
      dropout: 0.5,
      random: new Random("dropout-grad"),
    });
    const X = new Random("dg").normalMatrix(1, 4);
    net.computeGradients(X, Matrix.fromColumn([1]), { training: true });
    // A dropped hidden unit contributes nothing downstream, so its incoming weights get zero gradient.
    const W1grad = net.layers[0].gradWeights;
    const W2grad = net.layers[1].gradWeights;
    let droppedUnits = 0;
    for (let u = 0; u < 50; u++) {
      if (W2grad.get(0, u) === 0) {
        droppedUnits++;
        for (let j = 0; j < 4; j++) expect(W1grad.get(u, j)).toBe(0);
      }
    }
    expect(droppedUnits).toBeGreaterThan(10);
    expect(droppedUnits).toBeLessThan(40);
  });
});

describe("the network's loss comes from its output layer's scores", () => {
  const random = new Random("scores");
  const X = random.normalMatrix(6, 2, 0, 3);
  const Y = oneHot([0, 1, 2, 0, 1, 2], 3);
  const net = new Network({
    sizes: [2, 5, 3],
    hidden: "relu",
    output: "softmax",
    loss: "categoricalCrossEntropy",
    init: "normal",
    random,
  });
  // Make the output confidently wrong: large scores, so that some true-class probabilities fall below 1e−12.
  net.layers[1].weights.scaleInPlace(40);

  it("is the exact cross-entropy even where the clipped one stops at −log(1e−12)", () => {
    const Z = net.logits(X);
    const exact = Array.from({ length: 6 }, (_, i) => {
      const row = Z.row(i);
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((s, z) => s + Math.exp(z - m), 0));
      return lse - row[Y.row(i).indexOf(1)];
    });
    expect(Math.max(...exact)).toBeGreaterThan(-Math.log(1e-12)); // the clip would have capped this row
    const mean = exact.reduce((a, b) => a + b, 0) / 6;
    expect(net.evaluateLoss(X, Y)).toBeCloseTo(mean, 10);
    expect(net.computeGradients(X, Y, { training: false }).loss).toBeCloseTo(mean, 10);
    expect(categoricalCrossEntropy.value(net.predict(X), Y)).toBeLessThan(mean);
  });

  it("evaluate returns the outputs of predict and the loss of evaluateLoss", () => {
    const { loss, output } = net.evaluate(X, Y);
    expect(Array.from(output.data)).toEqual(Array.from(net.predict(X).data));
    expect(loss).toBe(net.evaluateLoss(X, Y));
    expect(Array.from(softmaxRows(net.logits(X)).data)).toEqual(Array.from(output.data));
  });

  it("its gradient still agrees with the loss it reports, by gradient check", () => {
    const small = new Network({
      sizes: [2, 4, 3],
      hidden: "tanh",
      output: "softmax",
      loss: "categoricalCrossEntropy",
      random: new Random("check"),
    });
    small.layers[1].weights.scaleInPlace(8);
    expect(gradientCheck(small, X, Y).worst.relativeError).toBeLessThan(1e-6);
  });
});
