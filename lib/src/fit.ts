/**
 * The training loop: epochs of shuffled mini-batches, one optimiser step per batch, with a history of
 * loss and accuracy per epoch and callbacks for progress (e.g. a live TrainingMonitor).
 */
import { assertFinite, Matrix } from "./matrix";
import { classesOf } from "./metrics";
import type { Network } from "./network";
import type { Optimizer } from "./optimizers";
import { rejectUnknownOptions } from "./options";
import { Random } from "./random";

export interface EpochLog {
  /** 1-based. */
  epoch: number;
  /** Mean training loss over the epoch's batches (with dropout, as trained). */
  loss: number;
  /** Training accuracy over the epoch's batches, as predicted while training. */
  accuracy: number;
  validationLoss?: number;
  validationAccuracy?: number;
  /** Seconds the epoch took, including validation. */
  seconds: number;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  optimizer: Optimizer;
  /** Shuffles the examples at the start of every epoch. Default: a fork of the library's default seed. */
  random?: Random;
  validation?: { X: Matrix; Y: Matrix };
  onEpoch?: (log: EpochLog) => void;
  /** Called after every batch with the fraction of the epoch done. */
  onBatch?: (info: { epoch: number; batch: number; batches: number; loss: number }) => void;
}

export interface History {
  loss: number[];
  accuracy: number[];
  validationLoss: number[];
  validationAccuracy: number[];
  epochs: EpochLog[];
}

const FIT_OPTIONS = [
  "epochs",
  "batchSize",
  "optimizer",
  "random",
  "validation",
  "onEpoch",
  "onBatch",
];

/** How many rows of `output` predict the class in `truth` at the same position (`truth[rows[start + i]]` for row i). */
function correctCount(
  output: Matrix,
  truth: readonly number[],
  rows?: Uint32Array,
  start = 0,
): number {
  const predicted = classesOf(output);
  let correct = 0;
  for (let i = 0; i < predicted.length; i++)
    if (predicted[i] === truth[rows ? rows[start + i] : i]) correct++;
  return correct;
}

/** Copies the given rows of M into `out` (reused between batches to avoid allocating). */
function gatherRows(
  M: Matrix,
  rows: Uint32Array,
  start: number,
  count: number,
  out: Matrix,
): Matrix {
  const c = M.cols;
  for (let r = 0; r < count; r++)
    out.data.set(M.data.subarray(rows[start + r] * c, rows[start + r] * c + c), r * c);
  return out;
}

/**
 * Mini-batch training of `model` on (X, Y), one example per row. Stops with an error naming the epoch and
 * batch the first time the loss is NaN or infinite.
 */
export function fit(model: Network, X: Matrix, Y: Matrix, options: FitOptions): History {
  rejectUnknownOptions("fit", options, FIT_OPTIONS);
  const { epochs, batchSize, optimizer, validation } = options;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new Error(`fit: epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`fit: batchSize must be a positive integer, got ${batchSize}`);
  if (X.rows !== Y.rows) throw new Error(`fit: ${X.rows} examples but ${Y.rows} targets`);
  if (X.rows === 0) throw new Error("fit: no training examples");
  const outputs = model.sizes[model.sizes.length - 1];
  if (X.cols !== model.sizes[0])
    throw new Error(
      `fit: examples have ${X.cols} features but the network expects ${model.sizes[0]}`,
    );
  if (Y.cols !== outputs)
    throw new Error(
      `fit: targets have ${Y.cols} columns but the network has ${outputs} output units`,
    );
  assertFinite(X, "fit: training inputs");
  assertFinite(Y, "fit: training targets");
  if (validation) {
    if (
      validation.X.cols !== X.cols ||
      validation.Y.cols !== Y.cols ||
      validation.X.rows !== validation.Y.rows
    ) {
      throw new Error(
        `fit: validation data are ${validation.X.shapeString} and ${validation.Y.shapeString}, training data ${X.shapeString} and ${Y.shapeString}`,
      );
    }
    assertFinite(validation.X, "fit: validation inputs");
  }

  const random = options.random ?? new Random().fork("fit");
  const n = X.rows;
  const order = new Uint32Array(n).map((_, i) => i);
  const batches = Math.ceil(n / batchSize);
  const history: History = {
    loss: [],
    accuracy: [],
    validationLoss: [],
    validationAccuracy: [],
    epochs: [],
  };
  const parameters = model.parameters();
  // Each example's class, read from its targets once rather than in every batch of every epoch.
  const trueClasses = classesOf(Y);
  const validationClasses = validation ? classesOf(validation.Y) : [];
  const fullX = new Matrix(batchSize, X.cols);
  const fullY = new Matrix(batchSize, Y.cols);

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const started = Date.now();
    random.shuffle(order);
    let lossSum = 0;
    let correct = 0;
    for (let b = 0; b < batches; b++) {
      const start = b * batchSize;
      const count = Math.min(batchSize, n - start);
      const xb = gatherRows(
        X,
        order,
        start,
        count,
        count === batchSize ? fullX : new Matrix(count, X.cols),
      );
      const yb = gatherRows(
        Y,
        order,
        start,
        count,
        count === batchSize ? fullY : new Matrix(count, Y.cols),
      );
      const { loss, output } = model.computeGradients(xb, yb, { training: true, trainingSize: n });
      if (!Number.isFinite(loss)) {
        throw new Error(
          `fit: the loss became ${loss} in epoch ${epoch}, batch ${b + 1} of ${batches}; ` +
            `the learning rate (${optimizer.learningRate}) is probably too high: try a lower one`,
        );
      }
      optimizer.step(parameters);
      lossSum += loss * count;
      correct += correctCount(output, trueClasses, order, start);
      options.onBatch?.({ epoch, batch: b + 1, batches, loss });
    }
    const log: EpochLog = { epoch, loss: lossSum / n, accuracy: correct / n, seconds: 0 };
    history.loss.push(log.loss);
    history.accuracy.push(log.accuracy);
    if (validation) {
      const P = model.predict(validation.X);
      log.validationLoss = model.loss.value(P, validation.Y) + model.l2Penalty(n);
      log.validationAccuracy = correctCount(P, validationClasses) / validation.X.rows;
      history.validationLoss.push(log.validationLoss);
      history.validationAccuracy.push(log.validationAccuracy);
    }
    log.seconds = (Date.now() - started) / 1000;
    history.epochs.push(log);
    options.onEpoch?.(log);
  }
  return history;
}
