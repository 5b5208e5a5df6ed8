/**
 * The training loop: epochs of shuffled mini-batches, one optimiser step per batch, with a history of
 * loss and accuracy per epoch and callbacks for progress (e.g. a live TrainingMonitor).
 */
import {
  checkFunction,
  checkPositiveInteger,
  describeValue,
  rejectUnknownOptions,
} from "../core/checks";
import { Matrix, assertFinite, checkMatrix, checkShape } from "../core/matrix";
import { classesOf } from "./metrics";
import { Network, type EpochLog, type History } from "./network";
import { Sequential, type Trainable } from "./sequential";
import type { Optimizer } from "./optimizers";
import { Random, checkRandom } from "../core/random";
import { DivergenceGuard } from "./guard";
import {
  runInterruptibly,
  stopIfInterrupted,
  trainingInterrupted,
  type TrainingPosition,
} from "./interrupt";

export { TrainingInterrupted } from "./interrupt";

export interface FitOptions {
  epochs: number;
  batchSize: number;
  optimizer: Optimizer;
  /** Shuffles the examples at the start of every epoch. Default: a fork of the library's default seed. */
  random?: Random;
  validation?: { X: Matrix; Y: Matrix };
  onEpoch?: (log: EpochLog) => void;
  /**
   * Changes each training batch in place before its pass, e.g. `shiftImages(...)` (augment.ts): new
   * variations of the examples every epoch, without storing them. The targets stay as they are.
   */
  augment?: (X: Matrix) => void;
  /** Called after every batch with the fraction of the epoch done. */
  onBatch?: (info: { epoch: number; batch: number; batches: number; loss: number }) => void;
}

const FIT_OPTIONS = [
  "epochs",
  "batchSize",
  "optimizer",
  "random",
  "validation",
  "onEpoch",
  "onBatch",
  "augment",
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

/**
 * Mini-batches of (X, Y) in a given order of the rows, copied into buffers reused between batches: one
 * pair for the full batches, one for the shorter last batch (the same size in every epoch).
 */
class Batches {
  private readonly full: [Matrix, Matrix];
  private readonly last: [Matrix, Matrix];

  constructor(
    private readonly X: Matrix,
    private readonly Y: Matrix,
    private readonly size: number,
  ) {
    // A batch larger than the data set is the whole set: never allocate more rows than there are.
    // In WebAssembly memory: each batch is written there once and read by gemm in place.
    const lastRows = X.rows % size;
    this.full = this.buffers(Math.min(size, X.rows));
    this.last = lastRows > 0 && X.rows > size ? this.buffers(lastRows) : this.full;
  }

  private buffers(rows: number): [Matrix, Matrix] {
    return [Matrix.resident(rows, this.X.cols), Matrix.resident(rows, this.Y.cols)];
  }

  /** The batch of rows order[start], order[start + 1], …: `size` of them, or fewer at the end. */
  gather(order: Uint32Array, start: number): [Matrix, Matrix] {
    const count = Math.min(this.size, order.length - start);
    const [xb, yb] = count === this.full[0].rows ? this.full : this.last;
    return [copyRows(this.X, order, start, count, xb), copyRows(this.Y, order, start, count, yb)];
  }
}

/**
 * Rows at least this long are copied with subarray() + set() (a memory copy): for MNIST's 784 pixels that
 * takes 0.6 of a plain loop's time (70 against 118 ms an epoch at batch 10, measured here); shorter rows,
 * such as one-hot labels, copy faster in a plain loop than it takes to make a view of them.
 */
const WHOLE_ROW_COPY = 64;

function copyRows(M: Matrix, rows: Uint32Array, start: number, count: number, out: Matrix): Matrix {
  const c = M.cols;
  const from = M.data;
  const to = out.data;
  if (c >= WHOLE_ROW_COPY) {
    for (let r = 0; r < count; r++) {
      const src = rows[start + r] * c;
      to.set(from.subarray(src, src + c), r * c);
    }
    return out;
  }
  for (let r = 0; r < count; r++) {
    const src = rows[start + r] * c;
    const dst = r * c;
    for (let j = 0; j < c; j++) to[dst + j] = from[src + j];
  }
  return out;
}

/**
 * Mini-batch training of `model` on (X, Y), one example per row: every epoch shuffles the examples, cuts
 * them into batches and takes one optimiser step per batch. Stops with an error naming the epoch, the
 * batch and the learning rate the first time the loss or a weight is NaN or infinite, leaving the model
 * with the weights of the last finite step; warns when an epoch shows training going wrong (guard.ts).
 * An interrupt (Kernel ▸ Interrupt, Ctrl-C) stops it with one line saying where; the network keeps the
 * weights of its last completed step and `model.history` the epochs completed so far (interrupt.ts).
 */
export function fit(model: Trainable, X: Matrix, Y: Matrix, options: FitOptions): History {
  checkFitArguments(model, X, Y, options);
  const { epochs, batchSize, optimizer, validation } = options;
  const random = options.random ?? new Random().fork("fit");
  const n = X.rows;
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const batches = new Batches(X, Y, batchSize);
  const batchCount = Math.ceil(n / batchSize);
  const trueClasses = classesOf(Y); // each example's class, read once rather than in every batch
  const validationClasses = validation ? classesOf(validation.Y) : [];
  const history: History = (model.history = emptyHistory()); // kept if training is interrupted
  const at: TrainingPosition = { epoch: 0, batch: 0, batchCount }; // where training is, for messages
  const guard = new DivergenceGuard(model, optimizer, Y, trueClasses, at);

  runInterruptibly(trainEpochs, () => {
    guard.undoUnfinishedStep();
    return trainingInterrupted(at, history);
  });
  return history;

  function trainEpochs(): void {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = Date.now();
      random.shuffle(order);
      let lossSum = 0;
      let correct = 0;
      for (let b = 0; b < batchCount; b++) {
        [at.epoch, at.batch] = [epoch, b + 1];
        stopIfInterrupted(); // a page's Stop, between two steps (Node's interrupt breaks in anywhere)
        const [xb, yb] = batches.gather(order, b * batchSize);
        options.augment?.(xb); // a copy of the rows: the data set itself stays as it is
        const { loss, output } = guard.backpropagate(xb, yb, n); // stops if the loss is not finite
        guard.optimizerStep(); // optimizer.step, undone (and stopped) if a weight is not finite
        lossSum += loss * xb.rows;
        correct += correctCount(output, trueClasses, order, b * batchSize);
        options.onBatch?.({ epoch, batch: b + 1, batches: batchCount, loss });
      }
      const log: EpochLog = { epoch, loss: lossSum / n, accuracy: correct / n, seconds: 0 };
      if (validation) Object.assign(log, validate(model, validation, validationClasses, n));
      log.seconds = (Date.now() - started) / 1000;
      guard.endEpoch(log); // warns if the epoch shows training going wrong
      record(history, log);
      options.onEpoch?.(log);
    }
  }
}

/** The loss and accuracy on the validation set (checked before the first epoch), whose classes are `classes`. */
function validate(
  model: Trainable,
  validation: { X: Matrix; Y: Matrix },
  classes: readonly number[],
  trainingSize: number,
): { validationLoss: number; validationAccuracy: number } {
  const { loss, output } = model.measure(validation.X, validation.Y, trainingSize);
  const accuracy = correctCount(output, classes) / validation.X.rows;
  return { validationLoss: loss, validationAccuracy: accuracy };
}

function emptyHistory(): History {
  return { loss: [], accuracy: [], validationLoss: [], validationAccuracy: [], epochs: [] };
}

function record(history: History, log: EpochLog): void {
  history.loss.push(log.loss);
  history.accuracy.push(log.accuracy);
  if (log.validationLoss !== undefined) history.validationLoss.push(log.validationLoss);
  if (log.validationAccuracy !== undefined) history.validationAccuracy.push(log.validationAccuracy);
  history.epochs.push(log);
}

/** Everything `fit` needs of its arguments, checked before the first epoch rather than inside it. */
function checkFitArguments(model: Trainable, X: Matrix, Y: Matrix, options: FitOptions): void {
  if (!(model instanceof Network || model instanceof Sequential))
    throw new TypeError(
      `fit: model must be a Network or a Sequential, got ${describeValue(model)}`,
    );
  rejectUnknownOptions("fit", options, FIT_OPTIONS);
  checkPositiveInteger("fit", "epochs", options.epochs);
  checkPositiveInteger("fit", "batchSize", options.batchSize);
  checkOptimizer(options.optimizer);
  if (options.random !== undefined) checkRandom("fit", "random", options.random);
  if (options.onEpoch !== undefined) checkFunction("fit", "onEpoch", options.onEpoch);
  if (options.onBatch !== undefined) checkFunction("fit", "onBatch", options.onBatch);
  if (options.augment !== undefined) checkFunction("fit", "augment", options.augment);
  const { validation } = options;
  if (validation !== undefined && (validation === null || typeof validation !== "object"))
    throw new TypeError(`fit: validation must be { X, Y }, got ${describeValue(validation)}`);
  if (validation) rejectUnknownOptions("fit: validation", validation, ["X", "Y"]);
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
    model.checkData(`fit (${name} data)`, inputsMatrix, targets);
  }
}

function checkOptimizer(optimizer: Optimizer): void {
  if (
    optimizer === null ||
    typeof optimizer !== "object" ||
    typeof optimizer.step !== "function" ||
    typeof optimizer.learningRate !== "number"
  )
    throw new TypeError(
      `fit: optimizer must be an optimiser such as new SGD({ learningRate: 0.5 }), got ${describeValue(optimizer)}`,
    );
}
