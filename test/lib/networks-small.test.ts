// The small models of chapters 2–4: one layer's forward pass, a single trainable neuron, and the
// hand-differentiated 2-2-1 network, with their gradients checked against central differences.
import { describe, expect, it } from "vitest";
import { sigmoid } from "../../lib/src/networks/activations";
import { numericalGradient } from "../../lib/src/networks/gradients";
import { affine, layerForward } from "../../lib/src/networks/layers";
import { mse } from "../../lib/src/networks/losses";
import { Matrix } from "../../lib/src/core/matrix";
import { Neuron } from "../../lib/src/small-models/neuron";
import { Random } from "../../lib/src/core/random";
import {
  FOUR_PEOPLE,
  NEW_PEOPLE,
  TINY_PARAMETER_NAMES,
  TinyNetwork,
} from "../../lib/src/small-models/tiny-network";

describe("affine and layerForward", () => {
  const X = Matrix.fromArray([
    [1, 2],
    [3, 4],
    [0, -1],
  ]);
  const W = Matrix.fromArray([
    [1, 0],
    [0.5, -1],
    [2, 2],
  ]); // 3 units, 2 inputs each
  const b = Matrix.fromRow([0, 1, -1]);

  it("computes X·Wᵀ + b, one row per example and one column per unit", () => {
    // Row 2, unit 2: 0.5·3 − 1·4 + 1 = −1.5.
    expect(affine(X, W, b).toArray()).toEqual([
      [1, -0.5, 5],
      [3, -1.5, 13],
      [0, 2, -3],
    ]);
    expect(layerForward(X, W, b, "relu").toArray()).toEqual([
      [1, 0, 5],
      [3, 0, 13],
      [0, 2, 0],
    ]);
  });

  it("names the mismatch when shapes do not fit", () => {
    expect(() => affine(Matrix.zeros(3, 3), W, b)).toThrow(
      /inputs are 3×3 \(3 features\) but weights are 3×2 \(2 inputs per unit\)/,
    );
    expect(() => affine(X, W, Matrix.zeros(1, 2))).toThrow(/bias must be 1×3 for 3 units, got 1×2/);
  });
});

describe("Neuron", () => {
  const random = new Random("neuron-test");
  const xs = Array.from({ length: 40 }, () => random.uniform(-2, 2));
  const X = Matrix.fromColumn(xs);

  it("with a linear activation and MSE finds the line behind noiseless data", () => {
    const neuron = new Neuron(1, "linear");
    const history = neuron.train(X, Matrix.fromColumn(xs.map((x) => 3 * x - 0.5)), {
      loss: "mse",
      learningRate: 0.1,
      epochs: 500,
    });
    expect(neuron.weights.get(0, 0)).toBeCloseTo(3, 6);
    expect(neuron.bias.get(0, 0)).toBeCloseTo(-0.5, 6);
    expect(history).toHaveLength(501);
    expect(history[500]).toBeLessThan(1e-12);
  });

  it("one training step moves the weights by −η times the numerical gradient of the loss", () => {
    const Y = Matrix.fromColumn(xs.map((x) => (x > 0.3 ? 1 : 0)));
    const neuron = new Neuron(1, "sigmoid");
    neuron.weights.set(0, 0, 0.7);
    neuron.bias.set(0, 0, -0.2);
    const lossAt = (p: Float64Array) =>
      mse.value(
        X.map((x) => sigmoid(p[0] * x + p[1])),
        Y,
      );
    const numeric = numericalGradient(lossAt, Float64Array.from([0.7, -0.2]));
    neuron.train(X, Y, { loss: "mse", learningRate: 0.5, epochs: 1 });
    expect(neuron.weights.get(0, 0)).toBeCloseTo(0.7 - 0.5 * numeric[0], 8);
    expect(neuron.bias.get(0, 0)).toBeCloseTo(-0.2 - 0.5 * numeric[1], 8);
  });

  it("with a sigmoid and cross-entropy separates a separable set", () => {
    const Y = Matrix.fromColumn(xs.map((x) => (x > 0.3 ? 1 : 0)));
    const neuron = new Neuron(1, "sigmoid");
    neuron.train(X, Y, { loss: "binaryCrossEntropy", learningRate: 1, epochs: 500 });
    const predictions = neuron
      .forward(X)
      .toArray()
      .map(([p]) => (p >= 0.5 ? 1 : 0));
    expect(predictions).toEqual(Array.from(Y.data));
  });

  it("stops with a clear error when the loss blows up, and checks its inputs", () => {
    const neuron = new Neuron(1, "linear");
    const Y = Matrix.fromColumn(xs.map((x) => 1e3 * x));
    expect(() => neuron.train(X, Y, { loss: "mse", learningRate: 50, epochs: 500 })).toThrow(
      /the loss became (NaN|Infinity) in epoch \d+; try a lower learning rate/,
    );
    expect(() =>
      neuron.train(X, Matrix.zeros(3, 1), { loss: "mse", learningRate: 0.1, epochs: 1 }),
    ).toThrow(/targets must be 40×1 for 40 examples, got 3×1/);
    expect(() =>
      neuron.train(X, Matrix.zeros(40, 1), { loss: "mse", learningRate: 0, epochs: 1 }),
    ).toThrow(/learningRate must be a positive number/);
    expect(() =>
      neuron.train(
        X.map((v, i) => (i === 5 ? NaN : v)),
        Matrix.zeros(40, 1),
        { loss: "mse", learningRate: 0.1, epochs: 1 },
      ),
    ).toThrow(/inputs contains NaN at \(5, 0\)/);
  });
});

describe("TinyNetwork (chapter 4's 2-2-1 network)", () => {
  it("its hand-written partial derivatives agree with central differences for all nine parameters", () => {
    const net = new TinyNetwork(new Random("tiny-gradients"));
    for (const person of [
      ...FOUR_PEOPLE,
      { name: "x", weight: 0.3, height: -0.7, female: 1 as const },
    ]) {
      const analytic = net.gradients(person.weight, person.height, person.female);
      const values = Float64Array.from(TINY_PARAMETER_NAMES.map((n) => net.params[n]));
      const lossAt = (p: Float64Array) => {
        const probe = new TinyNetwork(
          Object.fromEntries(TINY_PARAMETER_NAMES.map((n, i) => [n, p[i]])) as never,
        );
        return (person.female - probe.predict(person.weight, person.height)) ** 2;
      };
      const numeric = numericalGradient(lossAt, values, 1e-6);
      // Saturated units (Bob and Charlie have large inputs) give partials near 1e−7, where central differences
      // carry about 1e−10 of rounding error: so the tolerance is relative plus a small absolute floor.
      TINY_PARAMETER_NAMES.forEach((name, i) => {
        expect(Math.abs(analytic[name] - numeric[i]), `${person.name}: ${name}`).toBeLessThan(
          1e-9 + 1e-6 * Math.abs(analytic[name]),
        );
      });
    }
  });

  it("learns the four people: loss below 0.01 after 1000 epochs, everyone on the right side of 0.5", () => {
    const net = new TinyNetwork(new Random("tiny-train"));
    const before = net.loss(FOUR_PEOPLE);
    const history = net.train(FOUR_PEOPLE, { learningRate: 0.1, epochs: 1000 });
    expect(history).toHaveLength(1000);
    expect(history[999]).toBeLessThan(0.01);
    expect(history[999]).toBeLessThan(before);
    for (const p of FOUR_PEOPLE)
      expect(net.predict(p.weight, p.height) >= 0.5 ? 1 : 0).toBe(p.female);
    const [emily, frank] = NEW_PEOPLE;
    expect(net.predict(emily.weight, emily.height)).toBeGreaterThan(0.5);
    expect(net.predict(frank.weight, frank.height)).toBeLessThan(0.5);
  });

  it("is seeded: the same Random gives the same parameters", () => {
    expect(new TinyNetwork(new Random("s")).params).toEqual(
      new TinyNetwork(new Random("s")).params,
    );
    expect(new TinyNetwork(new Random("s")).params).not.toEqual(
      new TinyNetwork(new Random("t")).params,
    );
  });

  it("rejects non-finite parameters and inputs, and bad training options", () => {
    const params = Object.fromEntries(TINY_PARAMETER_NAMES.map((n) => [n, 0])) as Record<
      (typeof TINY_PARAMETER_NAMES)[number],
      number
    >;
    expect(() => new TinyNetwork({ ...params, w4: NaN })).toThrow(
      /TinyNetwork: w4 must be a finite number, got NaN/,
    );
    expect(() => new TinyNetwork(params).predict(NaN, 1)).toThrow(
      /TinyNetwork.feedforward: x1 must be a finite number, got NaN/,
    );
    expect(() => new TinyNetwork(params).train(FOUR_PEOPLE, { epochs: 0 })).toThrow(
      /epochs must be a positive integer/,
    );
    expect(() => new TinyNetwork(params).loss([])).toThrow(/no people/);
  });
});
