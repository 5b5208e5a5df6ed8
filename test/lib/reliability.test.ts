/**
 * What a learner's experiment must never do silently: turn NaN into a number, let a matrix the caller
 * holds change a gradient, or train on into garbage after diverging.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  activations,
  Adam,
  applyActivation,
  Dense,
  fit,
  layerActivations,
  Matrix,
  Network,
  type NetworkOptions,
  oneHot,
  type Optimizer,
  Random,
  relu,
  SGD,
} from "../../lib/src";

describe("NaN propagates through every activation", () => {
  it.each(Object.values(activations).filter((g) => g.name !== "step"))(
    "$name: g(NaN) and g'(NaN) are NaN",
    (g) => {
      expect(g.value(NaN)).toBeNaN();
      expect(g.derivative(NaN)).toBeNaN();
    },
  );

  it("step refuses NaN rather than choose a side, and its derivative stays NaN", () => {
    expect(() => activations.step.value(NaN)).toThrow(/step: input is NaN/);
    expect(activations.step.derivative(NaN)).toBeNaN();
  });

  it("relu keeps finite values as before (max(z, 0), and 0 for −0)", () => {
    expect([relu(-2), relu(0), relu(3.5), Object.is(relu(-0), 0)]).toEqual([0, 0, 3.5, true]);
  });

  it.each(Object.keys(layerActivations).filter((name) => name !== "step"))(
    "a %s layer passes NaN on",
    (name) => {
      const Z = Matrix.fromArray([[NaN, 1]]);
      const A = layerActivations[name as keyof typeof layerActivations].forward(Z);
      expect(A.isFinite()).toBe(false);
      expect(applyActivation(Matrix.fromArray([[NaN]]), "relu").data[0]).toBeNaN();
    },
  );

  it("a ReLU network with a NaN weight predicts NaN, not a number", () => {
    const net = new Network({ sizes: [2, 3, 1], hidden: "relu", output: "linear" });
    net.layers[0].weights.set(0, 0, NaN);
    expect(net.predict(Matrix.fromArray([[1, 1]])).data[0]).toBeNaN();
  });
});

describe("nothing a caller holds changes the network behind its back", () => {
  const layer = () => new Dense(2, 3, "tanh", { init: "xavier", random: new Random("alias") });
  const X = Matrix.fromArray([
    [0.5, -1],
    [2, 0.25],
  ]);
  const dA = Matrix.fromArray([
    [1, -2, 0.5],
    [0.1, 0.3, -1],
  ]);
  const gradientAfter = (mutate: (input: Matrix, output: Matrix) => void) => {
    const d = layer();
    const input = X.clone();
    const output = d.forward(input);
    mutate(input, output);
    d.backward({ dA });
    return Array.from(d.gradWeights.data);
  };
  const clean = gradientAfter(() => {});

  it("changing the input after forward leaves the gradient as it was", () => {
    expect(gradientAfter((input) => input.fill(7))).toEqual(clean);
  });

  it("changing the returned output after forward leaves the gradient as it was", () => {
    expect(gradientAfter((_input, output) => output.fill(-3))).toEqual(clean);
  });

  it("lastForward and logits hand out copies", () => {
    const net = new Network({ sizes: [2, 2], output: "softmax", loss: "categoricalCrossEntropy" });
    const Y = oneHot([0, 1], 2);
    const before = net.evaluate(X, Y).loss;
    net.logits(X).fill(100);
    net.layers[0].lastForward().A.fill(0);
    net.predict(X).fill(5);
    expect(net.evaluate(X, Y).loss).toBe(before);
  });
});

describe("fit stops a diverging run", () => {
  const random = new Random("diverge");
  const X = random.normalMatrix(64, 3);
  const labels = Array.from({ length: 64 }, (_, i) => i % 2);
  const column = Matrix.fromColumn(labels);
  const combos: Array<[string, NetworkOptions, Matrix, () => Optimizer]> = [
    ["sigmoid + MSE", { sizes: [3, 5, 1] }, column, () => new SGD({ learningRate: 1e6 })],
    [
      "tanh + BCE",
      { sizes: [3, 5, 1], hidden: "tanh", loss: "binaryCrossEntropy" },
      column,
      () => new SGD({ learningRate: 1e6 }),
    ],
    [
      "ReLU + softmax + CE",
      { sizes: [3, 5, 2], hidden: "relu", output: "softmax", loss: "categoricalCrossEntropy" },
      oneHot(labels, 2),
      () => new SGD({ learningRate: 1e6 }),
    ],
    [
      "ReLU + softmax + CE with Adam",
      { sizes: [3, 5, 2], hidden: "relu", output: "softmax", loss: "categoricalCrossEntropy" },
      oneHot(labels, 2),
      () => new Adam({ learningRate: 1e6 }),
    ],
    [
      "ReLU + linear + MSE",
      { sizes: [3, 5, 1], hidden: "relu", output: "linear" },
      column,
      () => new SGD({ learningRate: 1e6 }),
    ],
  ];
  afterEach(() => vi.restoreAllMocks());

  it.each(combos)(
    "%s at a learning rate of 10⁶: an error naming epoch, batch and learning rate, or a warning",
    (_name, options, Y, optimizer) => {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      const net = new Network({ ...options, random: new Random("n") });
      let message = "";
      try {
        fit(net, X, Y, { epochs: 20, batchSize: 8, optimizer: optimizer() });
      } catch (error) {
        message = (error as Error).message;
      }
      if (message) {
        expect(message).toMatch(
          /^fit: .* in epoch \d+, batch \d+ of 8; the learning rate \(1000000\) is probably too high/,
        );
        // The model keeps the weights of the last finite step.
        for (const layer of net.layers) {
          expect(layer.weights.isFinite()).toBe(true);
          expect(layer.bias.isFinite()).toBe(true);
        }
      } else {
        expect(warn).toHaveBeenCalledTimes(1);
        expect(String(warn.mock.calls[0][0])).toMatch(
          /^fit: warning: (every batch of epoch \d+ had a loss above 1.25× the loss training started from .* training is diverging|after epoch \d+ the network does no better than guessing: .* training has gone wrong .*|the loss of epoch \d+ .* is more than 1000× .* training has diverged); try a lower learning rate than 1000000$/,
        );
      }
    },
  );

  it("a step that makes a weight non-finite is undone, and the error names the weights", () => {
    const net = new Network({ sizes: [3, 2, 1], random: new Random("n") });
    const poison: Optimizer = {
      name: "poison",
      learningRate: 0.1,
      step: (parameters) => parameters[2].value.data.fill(Infinity),
    };
    const before = net.parameters().map((p) => Array.from(p.value.data));
    expect(() => fit(net, X, column, { epochs: 1, batchSize: 8, optimizer: poison })).toThrow(
      /^fit: the weights W2 stopped being finite in epoch 1, batch 1 of 8; the learning rate \(0.1\)/,
    );
    expect(net.parameters().map((p) => Array.from(p.value.data))).toEqual(before);
  });

  it("a healthy run does not warn", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const net = new Network({ sizes: [3, 5, 1], random: new Random("n") });
    fit(net, X, column, { epochs: 5, batchSize: 8, optimizer: new SGD({ learningRate: 0.5 }) });
    expect(warn).not.toHaveBeenCalled();
  });
});
