// Chapter 10's models in training: Sequential under fit with Adam, SGD and dropout, the same bits on 1 and
// 2 threads; the shifted images of augment.ts made per batch through fit's augment hook; a LeNet-like
// model learning MNIST digits from 1,000 images in one epoch.
import { describe, expect, it } from "vitest";
import {
  Adam,
  Matrix,
  PIXEL_SHIFTS,
  Random,
  SGD,
  Sequential,
  accuracy,
  fit,
  imagesToMatrix,
  loadMnist,
  oneHot,
  shiftImage,
  shiftImages,
  withThreads,
  loadSequential,
  saveSequential,
  sequentialFromJson,
  sequentialToJson,
  type LayerSpec,
} from "../../lib/src";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { POOL_MIN_WORK, setPoolMinimumWork } from "../../lib/src/backends/pool";

/** A toy task a convolution solves and a glance at the mean cannot: where in a 6×6 image a bar lies. */
function bars(n: number, random: Random): { X: Matrix; Y: Matrix; labels: number[] } {
  const X = new Matrix(n, 36);
  const labels: number[] = [];
  for (let e = 0; e < n; e++) {
    const label = random.int(2); // 0: a horizontal bar, 1: a vertical one, anywhere
    const at = random.int(6);
    for (let t = 0; t < 6; t++) X.set(e, label === 0 ? at * 6 + t : t * 6 + at, 1);
    labels.push(label);
  }
  return { X, Y: oneHot(labels, 2), labels };
}

const small: LayerSpec[] = [
  { type: "conv2d", filters: 4, kernel: 3, activation: "relu" },
  { type: "maxPool2d" },
  { type: "flatten" },
  { type: "dense", units: 8, activation: "relu", dropout: 0.2 },
  { type: "dense", units: 2, activation: "softmax" },
];

describe("Sequential under fit", () => {
  const data = bars(200, new Random("bars"));
  const test = bars(100, new Random("bars-test"));

  it.each([
    ["Adam", () => new Adam({ learningRate: 0.01 })],
    ["SGD with momentum", () => new SGD({ learningRate: 0.05, momentum: 0.9 })],
  ])("learns horizontal from vertical bars with %s and dropout", (_name, optimizer) => {
    const model = new Sequential({ input: [1, 6, 6], layers: small, random: new Random("m") });
    const history = fit(model, data.X, data.Y, {
      epochs: 5,
      batchSize: 10,
      optimizer: optimizer(),
      random: new Random("fit"),
      validation: { X: test.X, Y: test.Y },
    });
    expect(history.loss[4]).toBeLessThan(history.loss[0]);
    expect(accuracy(model.classify(test.X), test.labels)).toBeGreaterThan(0.95);
    expect(model.history).toBe(history);
  });

  it("trains to the same bits on 1 and 2 threads", () => {
    setPoolMinimumWork(0); // split every product, even these small ones
    try {
      const weights = [1, 2].map((threads) =>
        withThreads(threads, () => {
          const model = new Sequential({
            input: [1, 6, 6],
            layers: small,
            random: new Random("t"),
          });
          fit(model, data.X, data.Y, {
            epochs: 2,
            batchSize: 16,
            optimizer: new Adam({ learningRate: 0.01 }),
            random: new Random("fit"),
          });
          return model.parameters().flatMap((p) => Array.from(p.value.data));
        }),
      );
      expect(weights[1].every((w, i) => Object.is(w, weights[0][i]))).toBe(true);
    } finally {
      setPoolMinimumWork(POOL_MIN_WORK);
    }
  });

  it("predicts a large set in slices with the same bits as row by row", () => {
    const model = new Sequential({ input: [1, 6, 6], layers: small, random: new Random("p") });
    const many = bars(600, new Random("many")).X; // more rows than one slice (256)
    const all = model.predict(many);
    for (const row of [0, 255, 256, 599]) {
      const one = model.predict(new Matrix(1, 36, many.data.slice(row * 36, row * 36 + 36)));
      expect(Array.from(one.data)).toEqual(Array.from(all.data.slice(row * 2, row * 2 + 2)));
    }
  });

  it("describes itself layer by layer", () => {
    const model = new Sequential({ input: [1, 6, 6], layers: small, random: new Random("d") });
    expect(model.sizes).toEqual([36, 64, 16, 16, 8, 2]);
    expect(model.describe()).toBe(
      [
        "conv 3×3, 4 maps, relu: 1×6×6 → 4×4×4",
        "max-pool 2×2: 4×4×4 → 4×2×2",
        "flatten: 4×2×2 → 16",
        "dense 8, relu, dropout 0.2: 16 → 8",
        "dense 2, softmax: 8 → 2",
        "categoricalCrossEntropy, 194 parameters",
      ].join("\n"),
    );
  });
});

describe("saving and loading a Sequential model", () => {
  it("gives back the same layers and every weight bit for bit", () => {
    const data = bars(40, new Random("save"));
    const model = new Sequential({
      input: [1, 6, 6],
      layers: small,
      l2: 0.1,
      random: new Random("s"),
    });
    fit(model, data.X, data.Y, {
      epochs: 1,
      batchSize: 8,
      optimizer: new Adam({ learningRate: 0.01 }),
    });
    const dir = mkdtempSync(join(tmpdir(), "gtd-seq-"));
    try {
      saveSequential(model, join(dir, "model.json"));
      const loaded = loadSequential(join(dir, "model.json"));
      expect(loaded.describe()).toBe(model.describe());
      expect(loaded.parameters().map((p) => Array.from(p.value.data))).toEqual(
        model.parameters().map((p) => Array.from(p.value.data)),
      );
      expect(Array.from(loaded.predict(data.X).data)).toEqual(
        Array.from(model.predict(data.X).data),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names what is wrong with a saved model", () => {
    const model = new Sequential({ input: [1, 6, 6], layers: small, random: new Random("s") });
    const saved = sequentialToJson(model);
    expect(() => sequentialFromJson({ ...saved, format: "x" })).toThrow(
      /sequentialFromJson: format is "x" .*expected "from-gates-to-digits\/sequential"/,
    );
    const shrunk = {
      ...saved,
      parameters: [{ ...saved.parameters[0], rows: 3 }, ...saved.parameters.slice(1)],
    };
    expect(() => sequentialFromJson(shrunk)).toThrow(
      "sequentialFromJson: parameters[0] (W1) is 3×9, the layers need 4×9",
    );
    expect(() => sequentialFromJson({ ...saved, layers: [{ type: "flatten" }] })).toThrow(
      "sequentialFromJson: Sequential: the last layer must be a dense layer",
    );
    expect(() => loadSequential("/nonexistent/model.json")).toThrow(
      /loadSequential: cannot read \/nonexistent\/model.json/,
    );
  });
});

describe("shifted images (augment.ts)", () => {
  // prettier-ignore
  const image = () => Matrix.fromArray([[
    1, 2, 3,
    4, 5, 6,
    7, 8, 9,
  ]]);

  it("moves the content one pixel and fills what comes in with 0", () => {
    const shifted = (dy: number, dx: number) => {
      const X = image();
      shiftImage(X, 0, [1, 3, 3], dy, dx);
      return Array.from(X.data);
    };
    expect(shifted(-1, 0)).toEqual([4, 5, 6, 7, 8, 9, 0, 0, 0]); // up
    expect(shifted(1, 0)).toEqual([0, 0, 0, 1, 2, 3, 4, 5, 6]); // down
    expect(shifted(0, -1)).toEqual([2, 3, 0, 5, 6, 0, 8, 9, 0]); // left
    expect(shifted(0, 1)).toEqual([0, 1, 2, 0, 4, 5, 0, 7, 8]); // right
    expect(shifted(0, 0)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("shifts every channel of only the image asked for", () => {
    const X = Matrix.fromArray([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [1, 2, 3, 4, 5, 6, 7, 8],
    ]);
    shiftImage(X, 1, [2, 2, 2], 0, 1);
    expect(X.toArray()).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [0, 1, 0, 3, 0, 5, 0, 7],
    ]);
  });

  it("gives each image one of the five versions, about equally often, the same for the same seed", () => {
    const versions = (seed: string) => {
      const X = Matrix.fromFunction(2000, 9, (_, j) => j + 1); // 2,000 copies of the 3×3 image
      shiftImages({ shape: [1, 3, 3], random: new Random(seed) })(X);
      return X.toArray().map((row) =>
        PIXEL_SHIFTS.findIndex(([dy, dx]) => {
          const Z = image();
          shiftImage(Z, 0, [1, 3, 3], dy, dx);
          return Array.from(Z.data).every((v, i) => v === row[i]);
        }),
      );
    };
    const drawn = versions("s");
    const counts = [0, 1, 2, 3, 4].map((v) => drawn.filter((d) => d === v).length);
    for (const count of counts) expect(count).toBeGreaterThan(330); // 400 expected each
    expect(versions("s")).toEqual(drawn);
    expect(versions("other")).not.toEqual(drawn);
  });

  it("works through fit's augment hook on each batch's copy, leaving the data set alone", () => {
    const data = bars(40, new Random("aug"));
    const before = Array.from(data.X.data);
    const model = new Sequential({ input: [1, 6, 6], layers: small, random: new Random("a") });
    const shift = shiftImages({ shape: [1, 6, 6], random: new Random("shifts") });
    let rows = 0;
    fit(model, data.X, data.Y, {
      epochs: 2,
      batchSize: 16,
      optimizer: new Adam({ learningRate: 0.01 }),
      augment: (X) => {
        rows += X.rows;
        shift(X);
      },
    });
    expect(rows).toBe(80); // every example, every epoch
    expect(Array.from(data.X.data)).toEqual(before);
  });

  it("names a batch of the wrong size and a bad hook", () => {
    const shift = shiftImages({ shape: [1, 28, 28], random: new Random("x") });
    expect(() => shift(Matrix.zeros(2, 36))).toThrow(
      "shiftImages: the batch has 36 entries per example, 1×28×28 images have 784",
    );
    const data = bars(4, new Random("b"));
    const model = new Sequential({ input: [1, 6, 6], layers: small, random: new Random("a") });
    expect(() =>
      fit(model, data.X, data.Y, {
        epochs: 1,
        batchSize: 2,
        optimizer: new SGD({ learningRate: 0.1 }),
        augment: "shift" as never,
      }),
    ).toThrow(/fit: augment must be a function/);
  });
});

describe("a LeNet-like model on MNIST", () => {
  it("learns from 1,000 images in one epoch: far better than chance on 1,000 others", () => {
    const mnist = loadMnist();
    const labelsOf = (set: typeof mnist.train, start: number) =>
      Array.from(set.labels.subarray(start, start + 1000));
    const X = imagesToMatrix(mnist.train, 0, 1000);
    const Y = oneHot(labelsOf(mnist.train, 0), 10);
    const model = new Sequential({
      input: [1, 28, 28],
      layers: [
        { type: "conv2d", filters: 20, kernel: 5, activation: "relu" },
        { type: "maxPool2d" },
        { type: "flatten" },
        { type: "dense", units: 100, activation: "relu" },
        { type: "dense", units: 10, activation: "softmax" },
      ],
      random: new Random("lenet"),
    });
    fit(model, X, Y, {
      epochs: 1,
      batchSize: 10,
      optimizer: new Adam({ learningRate: 0.001 }),
      random: new Random("fit"),
    });
    const held = imagesToMatrix(mnist.validation, 0, 1000);
    const correct = accuracy(model.classify(held), labelsOf(mnist.validation, 0));
    expect(correct).toBeGreaterThan(0.7); // chance is 0.1
  });
});
