/**
 * The training loop: epochs of shuffled mini-batches, one optimiser step per batch, with a history of
 * loss and accuracy per epoch and callbacks for progress (e.g. a live TrainingMonitor).
 */
import {
  assertFinite,
  checkMatrix,
  checkPositiveInteger,
  checkRandom,
  checkShape,
  rejectUnknownOptions,
} from "./checks";
import { Matrix } from "./matrix";
import { classesOf } from "./metrics";
import type { Network } from "./network";
import type { Optimizer } from "./optimizers";
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

/** Mini-batches of (X, Y) in a given order of the rows, copied into buffers reused between batches. */
class Batches {
  private readonly fullX: Matrix;
  private readonly fullY: Matrix;

  constructor(
    private readonly X: Matrix,
    private readonly Y: Matrix,
    private readonly size: number,
  ) {
    this.fullX = new Matrix(size, X.cols);
    this.fullY = new Matrix(size, Y.cols);
  }

  /** The batch of rows order[start], order[start + 1], …: `size` of them, or fewer at the end. */
  gather(order: Uint32Array, start: number): [Matrix, Matrix] {
    const count = Math.min(this.size, order.length - start);
    const full = count === this.size;
    return [
      copyRows(this.X, order, start, count, full ? this.fullX : new Matrix(count, this.X.cols)),
      copyRows(this.Y, order, start, count, full ? this.fullY : new Matrix(count, this.Y.cols)),
    ];
  }
}

function copyRows(M: Matrix, rows: Uint32Array, start: number, count: number, out: Matrix): Matrix {
  const c = M.cols;
  for (let r = 0; r < count; r++)
    out.data.set(M.data.subarray(rows[start + r] * c, rows[start + r] * c + c), r * c);
  return out;
}

/**
 * Mini-batch training of `model` on (X, Y), one example per row: every epoch shuffles the examples, cuts
 * them into batches and takes one optimiser step per batch. Stops with an error naming the epoch and
 * batch the first time the loss is NaN or infinite.
 */
export function fit(model: Network, X: Matrix, Y: Matrix, options: FitOptions): History {
  checkFitArguments(model, X, Y, options);
  const { epochs, batchSize, optimizer, validation } = options;
  const random = options.random ?? new Random().fork("fit");
  const n = X.rows;
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const batches = new Batches(X, Y, batchSize);
  const batchCount = Math.ceil(n / batchSize);
  const trueClasses = classesOf(Y); // each example's class, read once rather than in every batch
  const validationClasses = validation ? classesOf(validation.Y) : [];
  const parameters = model.parameters();
  const history: History = {
    loss: [],
    accuracy: [],
    validationLoss: [],
    validationAccuracy: [],
    epochs: [],
  };

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const started = Date.now();
    random.shuffle(order);
    let lossSum = 0;
    let correct = 0;
    for (let b = 0; b < batchCount; b++) {
      const [xb, yb] = batches.gather(order, b * batchSize);
      const { loss, output } = model.computeGradients(xb, yb, { training: true, trainingSize: n });
      stopIfNotFinite(loss, { epoch, batch: b + 1, batchCount, optimizer });
      optimizer.step(parameters);
      lossSum += loss * xb.rows;
      correct += correctCount(output, trueClasses, order, b * batchSize);
      options.onBatch?.({ epoch, batch: b + 1, batches: batchCount, loss });
    }
    const log: EpochLog = { epoch, loss: lossSum / n, accuracy: correct / n, seconds: 0 };
    if (validation) {
      const { loss, output } = model.evaluate(validation.X, validation.Y, n);
      log.validationLoss = loss;
      log.validationAccuracy = correctCount(output, validationClasses) / validation.X.rows;
    }
    log.seconds = (Date.now() - started) / 1000;
    record(history, log);
    options.onEpoch?.(log);
  }
  return history;
}

function record(history: History, log: EpochLog): void {
  history.loss.push(log.loss);
  history.accuracy.push(log.accuracy);
  if (log.validationLoss !== undefined) history.validationLoss.push(log.validationLoss);
  if (log.validationAccuracy !== undefined) history.validationAccuracy.push(log.validationAccuracy);
  history.epochs.push(log);
}

function stopIfNotFinite(
  loss: number,
  at: { epoch: number; batch: number; batchCount: number; optimizer: Optimizer },
): void {
  if (Number.isFinite(loss)) return;
  throw new Error(
    `fit: the loss became ${loss} in epoch ${at.epoch}, batch ${at.batch} of ${at.batchCount}; ` +
      `the learning rate (${at.optimizer.learningRate}) is probably too high: try a lower one`,
  );
}

/** Everything `fit` needs of its arguments, checked before the first epoch rather than inside it. */
function checkFitArguments(model: Network, X: Matrix, Y: Matrix, options: FitOptions): void {
  rejectUnknownOptions("fit", options, FIT_OPTIONS);
  checkPositiveInteger("fit", "epochs", options.epochs);
  checkPositiveInteger("fit", "batchSize", options.batchSize);
  if (options.random !== undefined) checkRandom("fit", "random", options.random);
  const inputs = model.sizes[0];
  const outputs = model.sizes[model.sizes.length - 1];
  const data: [string, Matrix, Matrix][] = [["training", X, Y]];
  if (options.validation) data.push(["validation", options.validation.X, options.validation.Y]);
  for (const [name, inputsMatrix, targets] of data) {
    checkMatrix("fit", `${name} inputs`, inputsMatrix);
    checkMatrix("fit", `${name} targets`, targets);
    if (inputsMatrix.rows === 0) throw new Error(`fit: no ${name} examples`);
    checkShape("fit", `${name} inputs`, inputsMatrix, {
      cols: inputs,
      what: "features (the network's inputs)",
    });
    checkShape("fit", `${name} targets`, targets, {
      rows: inputsMatrix.rows,
      cols: outputs,
    });
    assertFinite(inputsMatrix, `fit: ${name} inputs`);
    assertFinite(targets, `fit: ${name} targets`);
  }
}
