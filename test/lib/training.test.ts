import { describe, expect, it } from "vitest";
import {
  blobs,
  selectRows,
  spirals,
  Standardizer,
  trainTestSplit,
  twoMoons,
} from "../../lib/src/data/datasets";
import { fit } from "../../lib/src/networks/fit";
import { Matrix } from "../../lib/src/core/matrix";
import { accuracy, classesOf, confusionMatrix, oneHot } from "../../lib/src/networks/metrics";
import { Network } from "../../lib/src/networks/network";
import { Adam, optimizers, SGD, type Parameter } from "../../lib/src/networks/optimizers";
import { Random } from "../../lib/src/core/random";

const param = (values: number[], grads: number[]): Parameter => ({
  name: "p",
  value: Matrix.fromRow(values),
  grad: Matrix.fromRow(grads),
});

describe("every optimiser in the registry", () => {
  // f(w) = ½‖w − t‖² on a 2×3 parameter: its gradient is w − t, and every optimiser must find t.
  const target = Matrix.fromArray([
    [1, -2, 0.5],
    [3, 0, -1],
  ]);
  const setGradient = (p: Parameter) =>
    p.grad.data.set(p.value.data.map((w, i) => w - target.data[i]));

  it.each(Object.entries(optimizers))(
    "%s: the first step goes downhill, and 500 steps reach the minimum",
    (_name, make) => {
      const optimizer = make(0.05);
      const p: Parameter = { name: "W", value: Matrix.zeros(2, 3), grad: Matrix.zeros(2, 3) };
      setGradient(p);
      optimizer.step([p]);
      // Every weight moved against its gradient (towards its target).
      p.value.data.forEach((w, i) => expect(Math.sign(w)).toBe(Math.sign(target.data[i])));
      for (let t = 0; t < 500; t++) {
        setGradient(p);
        optimizer.step([p]);
      }
      p.value.data.forEach((w, i) => expect(w).toBeCloseTo(target.data[i], 2));
      expect(optimizer.learningRate).toBe(0.05);
    },
  );

  it.each(Object.entries(optimizers))(
    "%s: rejects a learning rate that is not a positive number",
    (_name, make) => {
      for (const bad of [0, -1, NaN, Infinity])
        expect(() => make(bad)).toThrow(/learningRate must be a positive number/);
    },
  );
});

describe("SGD", () => {
  it("plain: w ← w − η·g", () => {
    const p = param([1, -2], [0.5, -1]);
    new SGD({ learningRate: 0.1 }).step([p]);
    expect(Array.from(p.value.data)).toEqual([1 - 0.05, -2 + 0.1]);
  });

  it("with momentum: v ← μv − ηg, w ← w + v (two steps by hand)", () => {
    const p = param([1], [2]);
    const sgd = new SGD({ learningRate: 0.1, momentum: 0.9 });
    sgd.step([p]); // v = −0.2, w = 0.8
    expect(p.value.data[0]).toBeCloseTo(0.8, 15);
    p.grad.data[0] = 1;
    sgd.step([p]); // v = 0.9·(−0.2) − 0.1 = −0.28, w = 0.52
    expect(p.value.data[0]).toBeCloseTo(0.52, 15);
  });

  it("rejects bad settings", () => {
    expect(() => new SGD({ learningRate: 0 })).toThrow(
      /learningRate must be a positive number, got 0/,
    );
    expect(() => new SGD({ learningRate: 0.1, momentum: 1 })).toThrow(
      /momentum must be in \[0, 1\), got 1/,
    );
    expect(() => new SGD({ learningRate: 0.1, nesterov: true } as never)).toThrow(
      /unknown option "nesterov"/,
    );
  });
});

describe("Adam", () => {
  it("uses β1 0.9, β2 0.999, ε 1e−8 by default", () => {
    const adam = new Adam({ learningRate: 0.01 });
    expect([adam.beta1, adam.beta2, adam.epsilon]).toEqual([0.9, 0.999, 1e-8]);
  });

  it("first step: the bias correction makes m̂ = g and v̂ = g², so each weight moves by η·g/(|g| + ε)", () => {
    const p = param([1, 1, 1], [0.5, -3, 0]);
    new Adam({ learningRate: 0.01 }).step([p]);
    expect(p.value.data[0]).toBeCloseTo(1 - (0.01 * 0.5) / (0.5 + 1e-8), 14);
    expect(p.value.data[1]).toBeCloseTo(1 + (0.01 * 3) / (3 + 1e-8), 14);
    expect(p.value.data[2]).toBe(1);
  });

  it("second step by hand", () => {
    const p = param([0], [1]);
    const adam = new Adam({ learningRate: 0.1 });
    adam.step([p]);
    p.grad.data[0] = -2;
    adam.step([p]);
    const m = 0.9 * 0.1 + 0.1 * -2; // −0.11
    const v = 0.999 * 0.001 + 0.001 * 4; // 0.004999
    const expected =
      -0.1 * (1 / (1 + 1e-8)) - (0.1 * (m / (1 - 0.81))) / (Math.sqrt(v / (1 - 0.999 ** 2)) + 1e-8);
    expect(p.value.data[0]).toBeCloseTo(expected, 14);
    expect(adam.t).toBe(2);
  });

  it("rejects bad settings", () => {
    expect(() => new Adam({ beta2: 1 })).toThrow(/beta2 must be in \[0, 1\), got 1/);
    expect(() => new Adam({ epsilon: 0 })).toThrow(/epsilon must be a positive number/);
  });
});

describe("fit", () => {
  const data = blobs(
    [
      [-2, 0],
      [2, 0],
      [0, 2.5],
    ],
    30,
    0.6,
    new Random("fit-blobs"),
  );
  const Y = oneHot(data.labels, 3);
  const make = () =>
    new Network({
      sizes: [2, 8, 3],
      hidden: "relu",
      output: "softmax",
      loss: "categoricalCrossEntropy",
      init: "he",
      random: new Random("fit-net"),
    });

  it("trains: loss falls, accuracy rises, one log per epoch and one callback per batch", () => {
    const net = make();
    const epochs: number[] = [];
    let batches = 0;
    const history = fit(net, data.X, Y, {
      epochs: 30,
      batchSize: 16,
      optimizer: new SGD({ learningRate: 0.1 }),
      random: new Random("fit-shuffle"),
      validation: { X: data.X, Y },
      onEpoch: (log) => epochs.push(log.epoch),
      onBatch: () => batches++,
    });
    expect(epochs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(batches).toBe(30 * Math.ceil(90 / 16)); // the last, smaller batch included
    expect(history.loss[29]).toBeLessThan(history.loss[0] / 3);
    expect(history.validationAccuracy[29]).toBeGreaterThan(0.95);
    expect(accuracy(net.classify(data.X), data.labels)).toBe(history.validationAccuracy[29]);
  });

  it("is reproducible from its seeds", () => {
    const run = () => {
      const net = make();
      fit(net, data.X, Y, {
        epochs: 3,
        batchSize: 10,
        optimizer: new Adam({ learningRate: 0.01 }),
        random: new Random("same"),
      });
      return Array.from(net.layers[0].weights.data);
    };
    expect(run()).toEqual(run());
  });

  it("stops on the first NaN or infinite loss, naming the epoch and batch", () => {
    const net = new Network({
      sizes: [2, 4, 2],
      hidden: "relu",
      output: "linear",
      init: "he",
      random: new Random("blow-up"),
    });
    const targets = data.X.scale(1e3);
    expect(() =>
      fit(net, data.X, targets, {
        epochs: 50,
        batchSize: 10,
        optimizer: new SGD({ learningRate: 10 }),
      }),
    ).toThrow(
      /fit: the loss became (NaN|Infinity) in epoch \d+, batch \d+ of 9; the learning rate \(10\) is probably too high: try a lower one/,
    );
  });

  it("names mismatched data before training", () => {
    const net = make();
    const sgd = new SGD({ learningRate: 0.1 });
    expect(() =>
      fit(net, data.X, Matrix.zeros(89, 3), { epochs: 1, batchSize: 8, optimizer: sgd }),
    ).toThrow("fit: training targets is 89×3, expected 90×3");
    expect(() =>
      fit(net, data.X, Matrix.zeros(90, 2), { epochs: 1, batchSize: 8, optimizer: sgd }),
    ).toThrow("fit: training targets is 90×2, expected 90×3");
    expect(() =>
      fit(net, Matrix.zeros(90, 5), Y, { epochs: 1, batchSize: 8, optimizer: sgd }),
    ).toThrow("fit: training inputs is 90×5, expected 2 features");
    expect(() =>
      fit(
        net,
        data.X.map((v, i) => (i === 4 ? NaN : v)),
        Y,
        { epochs: 1, batchSize: 8, optimizer: sgd },
      ),
    ).toThrow(/training inputs contains NaN at \(4, 0\)/);
    expect(() => fit(net, data.X, Y, { epochs: 1, batchSize: 0, optimizer: sgd })).toThrow(
      /batchSize must be a positive integer/,
    );
    expect(() =>
      fit(net, data.X, Y, { epochs: 1, batchSize: 8, optimizer: sgd, shuffle: false } as never),
    ).toThrow(/unknown option "shuffle"/);
  });
});

describe("metrics", () => {
  it("oneHot, accuracy and the confusion matrix", () => {
    expect(oneHot([2, 0], 3).toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(accuracy([1, 2, 3, 4], [1, 2, 0, 4])).toBe(0.75);
    expect(confusionMatrix([0, 1, 1, 2], [0, 1, 2, 2], 3)).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 1],
    ]);
  });
  it("classesOf reads the arg-max of each row, or output ≥ 0.5 for a single output", () => {
    expect(
      classesOf(
        Matrix.fromArray([
          [0.1, 0.7, 0.2],
          [0.5, 0.2, 0.3],
        ]),
      ),
    ).toEqual([1, 0]);
    expect(classesOf(Matrix.fromColumn([0.49, 0.5, 0.9]))).toEqual([0, 1, 1]);
    expect(classesOf(oneHot([2, 0], 3))).toEqual([2, 0]);
  });

  it("reject labels outside the classes and length mismatches", () => {
    expect(() => oneHot([0, 3], 3)).toThrow(/label: 3 at index 1 is not a class in 0…2/);
    expect(() => accuracy([1], [1, 2])).toThrow(/1 predictions for 2 labels/);
    expect(() => confusionMatrix([0, 5], [0, 1], 2)).toThrow(/prediction: 5 at index 1/);
  });
});

describe("data sets", () => {
  it("twoMoons: n points, half per class, on the two arcs when noise is 0, seeded", () => {
    const { X, labels } = twoMoons(100, 0, new Random("m"));
    expect(X.shapeString).toBe("100×2");
    expect(labels.filter((l) => l === 0)).toHaveLength(50);
    for (let i = 0; i < 100; i++) {
      const [x, y] = [X.get(i, 0), X.get(i, 1)];
      const r = labels[i] === 0 ? Math.hypot(x, y) : Math.hypot(x - 1, y - 0.5);
      expect(r).toBeCloseTo(1, 12);
    }
    expect(twoMoons(10, 0.1, new Random("s")).X.data).toEqual(
      twoMoons(10, 0.1, new Random("s")).X.data,
    );
  });

  it("spirals and blobs give the requested classes and counts", () => {
    const s = spirals(50, 3, 0.2, new Random("sp"));
    expect(s.X.rows).toBe(150);
    expect(new Set(s.labels)).toEqual(new Set([0, 1, 2]));
    const b = blobs(
      [
        [0, 0],
        [5, 5],
      ],
      20,
      0.1,
      new Random("b"),
    );
    expect(b.X.rows).toBe(40);
    expect(Math.abs(b.X.get(25, 0) - 5)).toBeLessThan(1);
    expect(() => blobs([[0, 0], [1]], 5, 1)).toThrow(/centre 1 has 1 coordinates, centre 0 has 2/);
    expect(() => twoMoons(100, -1)).toThrow(/noise must be ≥ 0, got -1/);
  });

  it("trainTestSplit is a seeded partition of the examples", () => {
    const data = {
      X: Matrix.fromColumn(Array.from({ length: 10 }, (_, i) => i)),
      labels: Array.from({ length: 10 }, (_, i) => i % 2),
    };
    const { train, test } = trainTestSplit(data, 0.3, new Random("split"));
    expect([train.X.rows, test.X.rows]).toEqual([7, 3]);
    const all = [...train.X.data, ...test.X.data].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => i));
    train.labels.forEach((l, i) => expect(l).toBe(train.X.get(i, 0) % 2));
    expect(() => trainTestSplit(data, 1)).toThrow(/testFraction must be between 0 and 1/);
    expect(() => selectRows(data.X, [10])).toThrow(/row 10 is outside 0…9/);
  });

  it("Standardizer uses the training set's statistics only", () => {
    const train = Matrix.fromArray([
      [1, 10],
      [3, 10],
      [5, 10],
    ]);
    const scaler = Standardizer.fit(train);
    const t = scaler.transform(train);
    expect(t.get(0, 0)).toBeCloseTo(-Math.sqrt(1.5), 12);
    expect(t.get(1, 0)).toBeCloseTo(0, 12);
    expect(t.get(0, 1)).toBe(0); // a constant feature becomes 0, not NaN
    expect(scaler.transform(Matrix.fromArray([[7, 0]])).get(0, 0)).toBeCloseTo(
      4 / Math.sqrt(8 / 3),
      12,
    );
    expect(() => scaler.transform(Matrix.zeros(1, 3))).toThrow(
      /inputs have 3 features, fitted on 2/,
    );
    expect(() => Standardizer.fit(Matrix.zeros(1, 2))).toThrow(/needs at least 2 examples/);
  });
});
