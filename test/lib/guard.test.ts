// fit's divergence guard (networks/guard.ts) on its own: each way a step can leave a weight that is not
// finite is undone exactly, an unfinished step is undone after an interrupt, and the epoch warning comes
// once. (fit's own tests, in training.test.ts and reliability.test.ts, run it inside whole runs.)
import { afterEach, describe, expect, it, vi } from "vitest";
import { Matrix } from "../../lib/src/core/matrix";
import { Random } from "../../lib/src/core/random";
import { DivergenceGuard } from "../../lib/src/networks/guard";
import { classesOf } from "../../lib/src/networks/metrics";
import { Network } from "../../lib/src/networks/network";
import { SGD, type Optimizer } from "../../lib/src/networks/optimizers";
import { fit } from "../../lib/src/networks/fit";

const random = new Random("guard");
const X = random.normalMatrix(16, 3);
const Y = Matrix.fromColumn(Array.from({ length: 16 }, (_, i) => i % 2));
const weightsOf = (net: Network) => net.parameters().map((p) => Array.from(p.value.data));

/** A guard on a fresh [3, 2, 1] network, at epoch 1, batch 1 of 2. */
function guarded(optimizer: Optimizer, options = {}) {
  const net = new Network({ sizes: [3, 2, 1], random: new Random("n"), ...options });
  const at = { epoch: 1, batch: 1, batchCount: 2 };
  return { net, at, guard: new DivergenceGuard(net, optimizer, Y, classesOf(Y), at) };
}

describe("DivergenceGuard", () => {
  afterEach(() => vi.restoreAllMocks());

  it("undoes a finite step that overflows a weight to ±∞, and names the weights", () => {
    // Inputs and targets of 10⁵ give a linear network gradients of about 10¹⁰, finite; a learning
    // rate of 10³⁰⁰ turns them into steps past ±1.8e308.
    const big = X.map((v) => 1e5 * v);
    const targets = Matrix.fromColumn(Array.from({ length: 16 }, () => 1e5));
    const net = new Network({
      sizes: [3, 2, 1],
      hidden: "relu",
      output: "linear",
      random: new Random("n"),
    });
    const sgd = new SGD({ learningRate: 1e300 });
    let gradientsFinite = false;
    const watched: Optimizer = {
      name: "watched SGD",
      learningRate: sgd.learningRate,
      step(parameters) {
        gradientsFinite = parameters.every((p) => p.grad.isFinite());
        sgd.step(parameters);
      },
    };
    const before = weightsOf(net);
    expect(() => fit(net, big, targets, { epochs: 1, batchSize: 8, optimizer: watched })).toThrow(
      /^fit: the weights W1 stopped being finite in epoch 1, batch 1 of 2; the learning rate \(1e\+300\)/,
    );
    expect(gradientsFinite).toBe(true);
    expect(weightsOf(net)).toEqual(before);
  });

  it("undoes a step that writes NaN into a bias, naming it", () => {
    const poison: Optimizer = {
      name: "poison",
      learningRate: 0.1,
      step: (parameters) => parameters[3].value.data.fill(NaN),
    };
    const { net, guard } = guarded(poison);
    const before = weightsOf(net);
    guard.backpropagate(X, Y, 16);
    expect(() => guard.optimizerStep()).toThrow(
      /^fit: the weights b2 stopped being finite in epoch 1, batch 1 of 2; the learning rate \(0.1\)/,
    );
    expect(weightsOf(net)).toEqual(before);
  });

  it("after a step stopped half-way, undoUnfinishedStep puts back the weights from before it", () => {
    const sgd = new SGD({ learningRate: 0.5 });
    const half: Optimizer = {
      name: "half",
      learningRate: 0.5,
      step(parameters) {
        sgd.step(parameters.slice(0, 1));
        throw new Error("stopped half-way"); // as an interrupt would
      },
    };
    const { net, guard } = guarded(half);
    const before = weightsOf(net);
    guard.backpropagate(X, Y, 16);
    expect(() => guard.optimizerStep()).toThrow("stopped half-way");
    expect(weightsOf(net)).not.toEqual(before);
    guard.undoUnfinishedStep();
    expect(weightsOf(net)).toEqual(before);
  });

  it("after a completed step, undoUnfinishedStep leaves the weights alone", () => {
    const { net, guard } = guarded(new SGD({ learningRate: 0.5 }));
    guard.backpropagate(X, Y, 16);
    guard.optimizerStep();
    const after = weightsOf(net);
    guard.undoUnfinishedStep();
    expect(weightsOf(net)).toEqual(after);
  });

  it("stops on a loss that is not finite, before any step", () => {
    // Outputs of about 10¹⁶⁰ are finite; their squares are not.
    const { guard, at } = guarded(new SGD({ learningRate: 0.5 }), {
      hidden: "relu",
      output: "linear",
    });
    at.batch = 2;
    expect(() =>
      guard.backpropagate(
        X.map((v) => 1e160 * v),
        Y,
        16,
      ),
    ).toThrow(
      /^fit: the loss became Infinity in epoch 1, batch 2 of 2; the learning rate \(0.5\) is probably too high/,
    );
  });

  it("warns once when every batch of an epoch was far worse than the first", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { net, guard } = guarded(new SGD({ learningRate: 0.5 }));
    guard.backpropagate(X, Y, 16); // the loss training starts from
    const log = (epoch: number) => ({ epoch, loss: 100, accuracy: 0.5, seconds: 0 });
    guard.endEpoch(log(1));
    expect(warn).not.toHaveBeenCalled(); // the first batch was in this epoch
    net.layers[1].weights.data.fill(50); // saturated: every output 1, every batch's loss 0.5
    for (const epoch of [2, 3]) {
      guard.backpropagate(X, Y, 16);
      guard.endEpoch(log(epoch));
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(
      /^fit: warning: every batch of epoch 2 had a loss above 1.25× the loss training started from .* try a lower learning rate than 0.5$/,
    );
  });
});
