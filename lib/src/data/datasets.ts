/**
 * Small synthetic data sets for two-dimensional classification, and the preparation every data set gets:
 * a seeded train/test split and standardisation fitted on the training part only.
 */
import { checkFitsInMemory, checkNumbers, checkNumberType, describeValue } from "../core/checks";
import { Matrix, assertFinite, checkMatrix } from "../core/matrix";
import { Random, checkRandom } from "../core/random";

/** Examples as rows of X and their class labels. */
export interface LabelledData {
  X: Matrix;
  labels: number[];
}

/** Bytes a generated point takes while the set is built (a row array, its numbers, its label). */
const BYTES_PER_POINT = 120;

function checkCount(what: string, n: number, min = 1): void {
  const [owner, name] = what.split(": ");
  checkNumberType(owner, name, n);
  if (!Number.isInteger(n) || n < min)
    throw new RangeError(`${what} must be an integer ≥ ${min}, got ${n}`);
}
function checkNoise(what: string, noise: number): void {
  checkNumberType(what, "noise", noise);
  if (!(noise >= 0) || !Number.isFinite(noise))
    throw new RangeError(`${what}: noise must be ≥ 0, got ${noise}`);
}

/**
 * Two interleaving half circles (as scikit-learn's make_moons): class 0 on the upper arc around (0, 0),
 * class 1 on the lower arc around (1, 0.5), each point moved by Gaussian noise of standard deviation `noise`.
 */
export function twoMoons(
  n: number,
  noise: number,
  random: Random = new Random().fork("twoMoons"),
): LabelledData {
  checkCount("twoMoons: n", n, 2);
  checkNoise("twoMoons", noise);
  checkRandom("twoMoons", "random", random);
  checkFitsInMemory("twoMoons", `n = ${n} points`, n, BYTES_PER_POINT);
  const upper = Math.ceil(n / 2);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i < upper ? 0 : 1;
    const count = label === 0 ? upper : n - upper;
    const k = label === 0 ? i : i - upper;
    const t = count === 1 ? 0 : (Math.PI * k) / (count - 1);
    const [x, y] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    rows.push([x + random.normal(0, noise), y + random.normal(0, noise)]);
    labels.push(label);
  }
  return { X: Matrix.fromArray(rows), labels };
}

/** `classes` spiral arms around the origin, `perClass` points each, angles jittered by `noise`. */
export function spirals(
  perClass: number,
  classes: number,
  noise: number,
  random: Random = new Random().fork("spirals"),
): LabelledData {
  checkCount("spirals: perClass", perClass, 2);
  checkCount("spirals: classes", classes, 2);
  checkNoise("spirals", noise);
  checkRandom("spirals", "random", random);
  checkFitsInMemory(
    "spirals",
    `${perClass}×${classes} points`,
    perClass * classes,
    BYTES_PER_POINT,
  );
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < perClass; i++) {
      const r = i / (perClass - 1);
      const t = ((2 * Math.PI) / classes) * c + 4 * r + random.normal(0, noise);
      rows.push([r * Math.sin(t), r * Math.cos(t)]);
      labels.push(c);
    }
  }
  return { X: Matrix.fromArray(rows), labels };
}

/** Gaussian blobs: `perClass` points around each centre with standard deviation `std`; class = centre index. */
export function blobs(
  centres: ReadonlyArray<readonly number[]>,
  perClass: number,
  std: number,
  random: Random = new Random().fork("blobs"),
): LabelledData {
  if (!Array.isArray(centres))
    throw new TypeError(`blobs: centres must be an array of points, got ${describeValue(centres)}`);
  if (centres.length === 0) throw new RangeError("blobs: no centres");
  centres.forEach((c, i) => assertFinite(c, `blobs: centre ${i}`));
  checkCount("blobs: perClass", perClass);
  checkNoise("blobs", std);
  checkRandom("blobs", "random", random);
  const points = perClass * centres.length;
  checkFitsInMemory("blobs", `${points} points`, points, BYTES_PER_POINT * centres[0].length);
  const d = centres[0].length;
  const rows: number[][] = [];
  const labels: number[] = [];
  centres.forEach((centre, c) => {
    if (centre.length !== d)
      throw new Error(`blobs: centre ${c} has ${centre.length} coordinates, centre 0 has ${d}`);
    for (let i = 0; i < perClass; i++) {
      rows.push(centre.map((m: number) => m + random.normal(0, std)));
      labels.push(c);
    }
  });
  return { X: Matrix.fromArray(rows), labels };
}

/** Rows `indices` of M, in that order. */
export function selectRows(M: Matrix, indices: readonly number[]): Matrix {
  checkMatrix("selectRows", "M", M);
  checkNumbers("selectRows", "indices", indices);
  const out = new Matrix(indices.length, M.cols);
  indices.forEach((r, i) => {
    if (!Number.isInteger(r) || r < 0 || r >= M.rows)
      throw new Error(`selectRows: row ${r} is outside 0…${M.rows - 1}`);
    out.data.set(M.data.subarray(r * M.cols, (r + 1) * M.cols), i * M.cols);
  });
  return out;
}

/** A seeded random split: the first `1 − testFraction` of a shuffled order for training, the rest for testing. */
export function trainTestSplit(
  data: LabelledData,
  testFraction: number,
  random: Random = new Random().fork("split"),
): { train: LabelledData; test: LabelledData } {
  checkLabelledData("trainTestSplit", data);
  checkNumberType("trainTestSplit", "testFraction", testFraction);
  if (!(testFraction > 0 && testFraction < 1))
    throw new RangeError(
      `trainTestSplit: testFraction must be between 0 and 1, got ${testFraction}`,
    );
  checkRandom("trainTestSplit", "random", random);
  const testCount = Math.round(data.X.rows * testFraction);
  if (testCount === 0 || testCount === data.X.rows)
    throw new RangeError(
      `trainTestSplit: a testFraction of ${testFraction} of ${data.X.rows} examples leaves the ` +
        `${testCount === 0 ? "test" : "training"} set empty; use more examples or another fraction`,
    );
  const order = random.permutation(data.X.rows);
  const trainIdx = order.slice(0, data.X.rows - testCount);
  const testIdx = order.slice(data.X.rows - testCount);
  const part = (idx: number[]): LabelledData => ({
    X: selectRows(data.X, idx),
    labels: idx.map((i) => data.labels[i]),
  });
  return { train: part(trainIdx), test: part(testIdx) };
}

/** `{ X, labels }`: a Matrix and one label per row. */
function checkLabelledData(owner: string, data: LabelledData): void {
  if (data === null || typeof data !== "object")
    throw new TypeError(`${owner}: data must be { X, labels }, got ${describeValue(data)}`);
  checkMatrix(owner, "data.X", data.X);
  checkNumbers(owner, "data.labels", data.labels);
  if (data.labels.length !== data.X.rows)
    throw new Error(`${owner}: ${data.X.rows} examples but ${data.labels.length} labels`);
}

/**
 * Standardisation: subtract each feature's mean and divide by its standard deviation, both measured on the
 * training set only, so that nothing about the test set leaks into training.
 */
export class Standardizer {
  readonly mean: Float64Array;
  readonly std: Float64Array;

  private constructor(mean: Float64Array, std: Float64Array) {
    this.mean = mean;
    this.std = std;
  }

  /** Measures the mean and standard deviation of every column of the training inputs. */
  static fit(X: Matrix): Standardizer {
    checkMatrix("Standardizer.fit", "X", X);
    if (X.rows < 2) throw new Error(`Standardizer.fit: needs at least 2 examples, got ${X.rows}`);
    assertFinite(X, "Standardizer.fit: inputs");
    const mean = new Float64Array(X.cols);
    const std = new Float64Array(X.cols);
    for (let j = 0; j < X.cols; j++) {
      let sum = 0;
      for (let i = 0; i < X.rows; i++) sum += X.data[i * X.cols + j];
      mean[j] = sum / X.rows;
      let sq = 0;
      for (let i = 0; i < X.rows; i++) sq += (X.data[i * X.cols + j] - mean[j]) ** 2;
      // A constant feature keeps std 1: it becomes 0 everywhere instead of NaN.
      std[j] = Math.sqrt(sq / X.rows) || 1;
    }
    return new Standardizer(mean, std);
  }

  transform(X: Matrix): Matrix {
    checkMatrix("Standardizer.transform", "X", X);
    if (X.cols !== this.mean.length)
      throw new Error(
        `Standardizer.transform: inputs have ${X.cols} features, fitted on ${this.mean.length}`,
      );
    assertFinite(X, "Standardizer.transform: inputs");
    return X.map((v, _i, j) => (v - this.mean[j]) / this.std[j]);
  }
}
