// Chapter 10's layers (networks/conv.ts, pooling.ts, sequential.ts): the convolution as im2col + gemm against
// the reference loops, bit for bit on 1, 2 and 3 threads; every new layer's gradient against finite
// differences (parameters through gradientCheck, as Network's layers are; inputs layer by layer) and the
// convolution's against chapter 9's engine; the errors a learner gets for shapes that do not fit.
import { afterEach, describe, expect, it } from "vitest";
import {
  Conv2D,
  Flatten,
  Matrix,
  MaxPool2D,
  Random,
  Sequential,
  Value,
  col2im,
  convolve,
  convolveBackward,
  gradientCheck,
  im2col,
  layerActivations,
  oneHot,
  withThreads,
  type ImageShape,
  type LayerSpec,
} from "../../lib/src";
import { POOL_MIN_WORK, setPoolMinimumWork } from "../../lib/src/backends/pool";

const rng = new Random("conv-test");

/** n images of `shape`, about `zeros` of the pixels 0 (as MNIST's background), the rest in (−1, 1). */
function images(n: number, shape: ImageShape, zeros = 0, random = rng): Matrix {
  const size = shape[0] * shape[1] * shape[2];
  return Matrix.fromFunction(n, size, () => (random.uniform() < zeros ? 0 : random.uniform(-1, 1)));
}

const sameBits = (x: Matrix, y: Matrix) =>
  x.data.length === y.data.length && x.data.every((v, i) => Object.is(v, y.data[i]));

/**
 * The largest |a − b| over the entries, relative to the largest |b|: the measure for sums added in another
 * order, whose rounding is relative to the terms, not to a sum that happens to cancel to nearly 0.
 */
function largestDifference(a: Matrix, b: Matrix): number {
  let [worst, scale] = [0, 0];
  a.data.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - b.data[i]));
    scale = Math.max(scale, Math.abs(b.data[i]));
  });
  return worst / scale;
}

afterEach(() => setPoolMinimumWork(POOL_MIN_WORK));

describe("convolve, the reference loops", () => {
  it("computes Z[o, y, x] = b[o] + Σ W[o, c, i, j]·X[c, y + i, x + j] on a case worked by hand", () => {
    // One 3×3 image, one 2×2 filter [[1, 0], [0, −1]] (a diagonal difference) and bias 10.
    const X = Matrix.fromArray([[1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    const W = Matrix.fromArray([[1, 0, 0, -1]]);
    const Z = convolve(X, W, Matrix.fromArray([[10]]), [1, 3, 3], 2);
    expect(Array.from(Z.data)).toEqual([1 - 5 + 10, 2 - 6 + 10, 4 - 8 + 10, 5 - 9 + 10]);
  });

  it("sums over channels: two channels, two filters", () => {
    const X = Matrix.fromArray([[1, 2, 3, 4, 10, 20, 30, 40]]); // channels [[1,2],[3,4]] and [[10,20],[30,40]]
    const W = Matrix.fromArray([
      [1, 1, 1, 1, 0, 0, 0, 0], // sums channel 0
      [0, 0, 0, 0, 0, 0, 0, 1], // picks channel 1's bottom right
    ]);
    const Z = convolve(X, W, Matrix.fromArray([[0, 0.5]]), [2, 2, 2], 2);
    expect(Z.shapeString).toBe("1×2");
    expect(Array.from(Z.data)).toEqual([10, 40.5]);
  });

  it("im2col puts each patch in a row and col2im adds each back to its pixels", () => {
    const X = Matrix.fromArray([[1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    const P = im2col(X, [1, 3, 3], 2);
    expect(P.toArray()).toEqual([
      [1, 2, 4, 5],
      [2, 3, 5, 6],
      [4, 5, 7, 8],
      [5, 6, 8, 9],
    ]);
    // Every pixel's count of patches that cover it: corners 1, edges 2, the centre 4.
    expect(Array.from(col2im(Matrix.zeros(4, 4).fill(1), 1, [1, 3, 3], 2).data)).toEqual([
      1, 2, 1, 2, 4, 2, 1, 2, 1,
    ]);
  });
});

describe("Conv2D: im2col + gemm against the loops", () => {
  // MNIST's first layer, a second layer over 20 maps, and odd sizes.
  const cases: [string, ImageShape, number, number, number][] = [
    ["1×28×28, 20 filters of 5×5, MNIST-like zeros", [1, 28, 28], 20, 5, 0.8],
    ["20×12×12, 40 filters of 5×5", [20, 12, 12], 40, 5, 0],
    ["3×7×9, 5 filters of 3×3", [3, 7, 9], 5, 3, 0.3],
    ["2×5×5, 1 filter of 5×5 (one position)", [2, 5, 5], 1, 5, 0],
  ];

  it.each(cases)(
    "%s: the same bits on 1, 2 and 3 threads",
    (_name, shape, filters, kernel, zeros) => {
      setPoolMinimumWork(0); // split even the small products between threads
      const layer = new Conv2D(shape, {
        filters,
        kernel,
        activation: "linear",
        random: new Random("c"),
      });
      layer.bias.data.forEach((_, o) => (layer.bias.data[o] = rng.uniform(-1, 1)));
      const X = images(6, shape, zeros);
      const reference = convolve(X, layer.weights, layer.bias, shape, kernel);
      for (const threads of [1, 2, 3]) {
        const Z = withThreads(threads, () => layer.forward(X));
        expect(sameBits(Z, reference), `${threads} threads`).toBe(true);
      }
    },
  );

  it.each(cases)(
    "%s: backward within 1e-14 of the loops (its products add in groups of four), the same bits on 1, 2, 3 threads",
    (_name, shape, filters, kernel, zeros) => {
      setPoolMinimumWork(0);
      const layer = new Conv2D(shape, {
        filters,
        kernel,
        activation: "linear",
        random: new Random("c"),
      });
      const X = images(6, shape, zeros);
      const dZ = images(6, layer.output);
      const reference = convolveBackward(X, layer.weights, dZ, shape, kernel);
      const runs = [1, 2, 3].map((threads) =>
        withThreads(threads, () => {
          layer.forward(X);
          const dX = layer.backward({ dA: dZ })!;
          return [layer.gradWeights.clone(), layer.gradBias.clone(), dX];
        }),
      );
      for (const run of runs.slice(1))
        run.forEach((M, i) => expect(sameBits(M, runs[0][i])).toBe(true));
      const [dW, db, dX] = runs[0];
      for (const [name, ours, loops] of [
        ["dW", dW, reference.dW],
        ["db", db, reference.db],
        ["dX", dX, reference.dX],
      ] as const)
        expect(largestDifference(ours, loops), name).toBeLessThan(1e-14);
    },
  );

  it("its ReLU, done inside its own passes, gives the bits of the library's layer ReLU", () => {
    const shape: ImageShape = [2, 9, 9];
    const options = { filters: 4, kernel: 3 };
    const relu = new Conv2D(shape, { ...options, activation: "relu", random: new Random("same") });
    const linear = new Conv2D(shape, {
      ...options,
      activation: "linear",
      random: new Random("same"),
    });
    relu.bias.data.set([0.1, -0.1, 0.2, 0]);
    linear.bias.data.set(relu.bias.data);
    const X = images(3, shape, 0.5);
    const A = relu.forward(X);
    const Z = linear.forward(X);
    expect(sameBits(A, layerActivations.relu.forward(Z))).toBe(true);
    const dA = images(3, relu.output);
    const dX = relu.backward({ dA })!;
    const dXlinear = linear.backward({ dZ: layerActivations.relu.backward(dA, Z, A) })!;
    expect(sameBits(dX, dXlinear)).toBe(true);
    expect(sameBits(relu.gradWeights, linear.gradWeights)).toBe(true);
    expect(sameBits(relu.gradBias, linear.gradBias)).toBe(true);
  });

  it("applies its activation and says what it is", () => {
    const layer = new Conv2D([1, 6, 6], { filters: 3, kernel: 3, random: new Random("r") });
    const X = images(2, [1, 6, 6]);
    const Z = convolve(X, layer.weights, layer.bias, [1, 6, 6], 3);
    expect(Array.from(layer.forward(X).data)).toEqual(
      Array.from(Z.data).map((z) => Math.max(0, z)),
    );
    expect(layer.describe()).toBe("conv 3×3, 3 maps, relu: 1×6×6 → 3×4×4");
  });

  it("starts He filters with the spread 2/(C·k·k) asks for, and zero biases", () => {
    const layer = new Conv2D([4, 10, 10], { filters: 50, kernel: 5, random: new Random("he") });
    const w = layer.weights.data;
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance).toBeGreaterThan(0.9 * (2 / 100));
    expect(variance).toBeLessThan(1.1 * (2 / 100));
    expect(layer.bias.data.every((b) => b === 0)).toBe(true);
  });
});

describe("MaxPool2D and Flatten", () => {
  it("keeps the largest of each 2×2 block and sends the gradient back to it alone", () => {
    const pool = new MaxPool2D([1, 4, 4]);
    // prettier-ignore
    const X = Matrix.fromArray([[
      1, 5, 2, 0,
      3, 4, 9, 1,
      0, 0, 7, 7,
      0, -1, 6, 8,
    ]]);
    expect(Array.from(pool.forward(X).data)).toEqual([5, 9, 0, 8]);
    const dX = pool.backward({ dA: Matrix.fromArray([[10, 20, 30, 40]]) })!;
    // prettier-ignore
    expect(Array.from(dX.data)).toEqual([
      0, 10, 0, 0,
      0, 0, 20, 0,
      30, 0, 0, 0, // the first of equal zeros, in reading order
      0, 0, 0, 40,
    ]);
  });

  it("drops an odd last row and column, channel by channel", () => {
    const pool = new MaxPool2D([2, 5, 3]);
    expect(pool.output).toEqual([2, 2, 1]);
    expect(pool.describe()).toBe("max-pool 2×2: 2×5×3 → 2×2×1");
    const X = Matrix.fromFunction(1, 30, (_, j) => j); // each channel counts up
    expect(Array.from(pool.forward(X).data)).toEqual([4, 10, 19, 25]);
  });

  it("Flatten passes the rows and the gradient through unchanged", () => {
    const flat = new Flatten([2, 3, 3]);
    const X = images(3, [2, 3, 3]);
    expect(sameBits(flat.forward(X), X)).toBe(true);
    const dA = images(3, [2, 3, 3]);
    expect(flat.backward({ dA })).toBe(dA);
    expect(flat.output).toEqual([18]);
  });
});

/**
 * Checks one layer's gradient with respect to its input: L = Σ R ⊙ layer(X) for a fixed random R, so
 * ∂L/∂(outputs) = R, against the five-point difference of L in every input entry (as gradientCheck's).
 * Returns the largest difference relative to the largest gradient entry.
 */
function inputGradientError(
  layer: { forward(X: Matrix): Matrix; backward(u: { dA: Matrix }): Matrix | null },
  X: Matrix,
  outputs: number,
  h = 1e-3,
): number {
  const R = Matrix.fromFunction(X.rows, outputs, () => rng.uniform(-1, 1));
  const lossAt = (x: Matrix) => layer.forward(x).data.reduce((s, v, i) => s + v * R.data[i], 0);
  layer.forward(X);
  const analytic = layer.backward({ dA: R })!;
  const numerical = new Matrix(X.rows, X.cols);
  for (let p = 0; p < X.data.length; p++) {
    const saved = X.data[p];
    const at = (delta: number) => {
      X.data[p] = saved + delta;
      const loss = lossAt(X);
      X.data[p] = saved;
      return loss;
    };
    numerical.data[p] = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
  }
  return largestDifference(analytic, numerical);
}

describe("gradient checks by finite differences", () => {
  const input: ImageShape = [2, 8, 8];
  // A max-pool has no derivative where two inputs of a block are equal, and a step of the difference that
  // crosses such a tie measures the wrong slope. Through pools, then, steps of h = 1e−5 (a crossing is
  // 100 times less likely than at 1e−3), with entries below 1e−4 compared absolutely (their rounding error,
  // about 1e−11, would be a large fraction of them).
  const cases: [string, LayerSpec[], { h?: number; floor?: number }][] = [
    [
      "conv (tanh) → flatten → dense softmax",
      [
        { type: "conv2d", filters: 3, kernel: 3, activation: "tanh" },
        { type: "flatten" },
        { type: "dense", units: 3, activation: "softmax" },
      ],
      {},
    ],
    [
      "conv (sigmoid) → pool → conv (tanh) → pool → flatten → dense (tanh) → dense softmax",
      [
        { type: "conv2d", filters: 3, kernel: 3, activation: "sigmoid" },
        { type: "maxPool2d" },
        { type: "conv2d", filters: 4, kernel: 2, activation: "tanh" },
        { type: "maxPool2d" },
        { type: "flatten" },
        { type: "dense", units: 5, activation: "tanh" },
        { type: "dense", units: 3, activation: "softmax" },
      ],
      { h: 1e-5, floor: 1e-4 },
    ],
  ];
  // Their own generator, so that the data do not depend on which tests ran before.
  const X = images(4, input, 0, new Random("gradient-check-images"));
  const Y = oneHot([0, 2, 1, 2], 3);

  it.each(cases)(
    "%s: every filter, weight and bias within 1e-6 relative error",
    (_name, layers, steps) => {
      const model = new Sequential({ input, layers, init: "xavier", random: new Random("gc") });
      model.layers.forEach((layer) => {
        if (layer instanceof Conv2D)
          layer.bias.data.forEach((_, o) => (layer.bias.data[o] = 0.1 * (o - 1)));
      });
      const report = gradientCheck(model, X, Y, steps);
      const count = model.parameters().reduce((n, p) => n + p.value.data.length, 0);
      expect(report.checked).toBe(count);
      expect(report.entries.some((e) => e.parameter.startsWith("W1["))).toBe(true); // the filters
      expect(report.worst.relativeError, `worst: ${report.worst.parameter}`).toBeLessThan(1e-6);
    },
  );

  it("with L2 on the filters too", () => {
    const model = new Sequential({ input, layers: cases[0][1], l2: 0.5, random: new Random("l2") });
    expect(gradientCheck(model, X, Y, { trainingSize: 10 }).worst.relativeError).toBeLessThan(1e-6);
  });

  it("catches a wrong filter gradient", () => {
    const model = new Sequential({ input, layers: cases[0][1], random: new Random("gc") });
    const honest = model.computeGradients.bind(model);
    model.computeGradients = (x, y, o) => {
      const result = honest(x, y, o);
      (model.layers[0] as Conv2D).gradWeights.scaleInPlace(2);
      return result;
    };
    const report = gradientCheck(model, X, Y);
    expect(report.worst.parameter).toMatch(/^W1\[/);
    expect(report.worst.relativeError).toBeGreaterThan(0.3);
  });

  it("Conv2D's input gradient", () => {
    const layer = new Conv2D(input, {
      filters: 3,
      kernel: 3,
      activation: "tanh",
      random: new Random("i"),
    });
    expect(inputGradientError(layer, images(2, input), 3 * 6 * 6)).toBeLessThan(1e-9);
  });

  it("MaxPool2D's input gradient (steps of 1e-6, far smaller than the gaps between a block's inputs)", () => {
    const pool = new MaxPool2D(input);
    expect(inputGradientError(pool, images(2, input), 2 * 4 * 4, 1e-6)).toBeLessThan(1e-9);
  });

  it("Flatten's input gradient", () => {
    expect(inputGradientError(new Flatten(input), images(2, input), 128)).toBeLessThan(1e-9);
  });
});

describe("the convolution's gradient against chapter 9's engine (Value)", () => {
  it("gives the filters', biases' and pixels' gradients of L = Σ R ⊙ tanh(W ∗ X + b)", () => {
    const shape: ImageShape = [2, 4, 5];
    const [C, H, Wd] = shape;
    const k = 2;
    const layer = new Conv2D(shape, {
      filters: 2,
      kernel: k,
      activation: "tanh",
      random: new Random("v"),
    });
    layer.bias.data.set([0.3, -0.2]);
    const X = images(1, shape);
    const [, outH, outW] = layer.output;
    const R = Matrix.fromFunction(1, 2 * outH * outW, () => rng.uniform(-1, 1));
    layer.forward(X);
    const dX = layer.backward({ dA: R })!;

    // The same loss on Value nodes, written out with the engine's own operations.
    const w = Array.from(layer.weights.data, (v) => new Value(v));
    const b = Array.from(layer.bias.data, (v) => new Value(v));
    const x = Array.from(X.data, (v) => new Value(v));
    let loss = new Value(0);
    for (let o = 0; o < 2; o++)
      for (let y = 0; y < outH; y++)
        for (let xo = 0; xo < outW; xo++) {
          let z: Value = b[o];
          for (let c = 0; c < C; c++)
            for (let i = 0; i < k; i++)
              for (let j = 0; j < k; j++)
                z = z.add(
                  w[o * C * k * k + (c * k + i) * k + j].mul(x[(c * H + y + i) * Wd + xo + j]),
                );
          loss = loss.add(z.tanh().mul(R.data[(o * outH + y) * outW + xo]));
        }
    loss.backward();
    const close = (ours: Float64Array, engine: Value[]) =>
      engine.every((v, i) => Math.abs(v.grad - ours[i]) <= 1e-14 * Math.max(1, Math.abs(v.grad)));
    expect(close(layer.gradWeights.data, w)).toBe(true);
    expect(close(layer.gradBias.data, b)).toBe(true);
    expect(close(dX.data, x)).toBe(true);
  });
});

describe("shapes that do not fit: one message naming the layer and both shapes", () => {
  const random = new Random("bad");
  it.each([
    [
      "a kernel larger than the image",
      () => new Conv2D([1, 4, 4], { filters: 2, kernel: 5, random }),
      /Conv2D: a 5×5 kernel is larger than the 1×4×4 input image/,
    ],
    [
      "images of the wrong size for the layer",
      () =>
        new Conv2D([1, 28, 28], { filters: 2, kernel: 5, random }).forward(Matrix.zeros(2, 700)),
      /Conv2D\.forward: input has 700 entries per example, the layer expects 1×28×28 images \(784 entries\)/,
    ],
    [
      "filters whose channels disagree with the image's",
      () => convolve(Matrix.zeros(1, 16), Matrix.zeros(3, 50), Matrix.zeros(1, 3), [1, 4, 4], 5),
      /convolve: a 5×5 kernel is larger/,
    ],
    [
      "filters for 2 channels on a 1-channel image",
      () => convolve(Matrix.zeros(1, 64), Matrix.zeros(3, 18), Matrix.zeros(1, 3), [1, 8, 8], 3),
      /convolve: filters W are 3×18 \(2 channel\(s\) of 3×3\) but the 1×8×8 input has 1 channel\(s\): W needs 9 columns/,
    ],
    [
      "a pool on maps smaller than 2×2",
      () => new MaxPool2D([3, 1, 5]),
      /MaxPool2D: a 2×2 pool needs maps of at least 2×2, the 3×1×5 input is smaller/,
    ],
    [
      "a Sequential whose second conv's kernel is larger than the first one's maps",
      () =>
        new Sequential({
          input: [1, 8, 8],
          layers: [
            { type: "conv2d", filters: 4, kernel: 5 },
            { type: "conv2d", filters: 4, kernel: 5 },
            { type: "flatten" },
            { type: "dense", units: 2, activation: "softmax" },
          ],
        }),
      /Sequential: layers\[1\] \(conv2d\): Conv2D: a 5×5 kernel is larger than the 4×4×4 input image/,
    ],
    [
      "a dense layer on images, without flatten",
      () =>
        new Sequential({
          input: [1, 28, 28],
          layers: [
            { type: "conv2d", filters: 4, kernel: 5 },
            { type: "dense", units: 10, activation: "softmax" },
          ],
        }),
      /Sequential: layers\[1\] \(dense\) needs features, but the output of layers\[0\] is 4×24×24 images \(2304 entries\): put \{ type: "flatten" \} before it/,
    ],
    [
      "a conv after flatten",
      () =>
        new Sequential({
          input: [1, 28, 28],
          layers: [
            { type: "flatten" },
            { type: "conv2d", filters: 4, kernel: 5 },
            { type: "dense", units: 10, activation: "softmax" },
          ],
        }),
      /Sequential: layers\[1\] \(conv2d\) needs images \[channels, height, width\], but the output of layers\[0\] is 784 features/,
    ],
    [
      "data of the wrong size for the model",
      () =>
        new Sequential({
          input: [3, 28, 28],
          layers: [{ type: "flatten" }, { type: "dense", units: 10, activation: "softmax" }],
        }).predict(Matrix.zeros(2, 784)),
      /Sequential\.predict: input is 2×784 but the model expects 3×28×28 images \(2352 entries\) per row/,
    ],
    [
      "dropout on the output layer",
      () =>
        new Sequential({
          input: 4,
          layers: [{ type: "dense", units: 3, activation: "softmax", dropout: 0.5 }],
        }),
      /Sequential: layers\[0\] \(dense\): the output layer cannot have dropout/,
    ],
    [
      "a last layer that is not dense",
      () => new Sequential({ input: [1, 4, 4], layers: [{ type: "flatten" }] }),
      /Sequential: the last layer must be a dense layer/,
    ],
    [
      "an unknown layer type",
      () => new Sequential({ input: [1, 4, 4], layers: [{ type: "conv" } as never] }),
      /Sequential: layers\[0\] must have a type among conv2d, maxPool2d, flatten, dense, got/,
    ],
    [
      "an image shape that is not three positive integers",
      () => new Conv2D([28, 28] as never, { filters: 2, kernel: 3, random }),
      /Conv2D: input must be an image shape \[channels, height, width\] of positive integers/,
    ],
  ])("%s", (_name, run, message) => {
    expect(run).toThrow(message);
  });
});
