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
import type { Optimizer, Parameter } from "./optimizers";
import { Random, checkRandom } from "../core/random";
import { backend } from "../backends/select";
import { inspect } from "util";
import { Script } from "vm";

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
    // A batch larger than the data set is the whole set: never allocate more rows than there are.
    // In WebAssembly memory: each batch is written there once and read by gemm in place.
    this.fullX = Matrix.resident(Math.min(size, X.rows), X.cols);
    this.fullY = Matrix.resident(Math.min(size, X.rows), Y.cols);
  }

  /** The batch of rows order[start], order[start + 1], …: `size` of them, or fewer at the end. */
  gather(order: Uint32Array, start: number): [Matrix, Matrix] {
    const count = Math.min(this.size, order.length - start);
    const full = count === this.fullX.rows;
    return [
      copyRows(this.X, order, start, count, full ? this.fullX : new Matrix(count, this.X.cols)),
      copyRows(this.Y, order, start, count, full ? this.fullY : new Matrix(count, this.Y.cols)),
    ];
  }
}

function copyRows(M: Matrix, rows: Uint32Array, start: number, count: number, out: Matrix): Matrix {
  const c = M.cols;
  const from = M.data;
  const to = out.data;
  // A plain loop: for rows of a few hundred numbers, subarray() + set() spend more making views than copying.
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
 * with the weights of the last finite step; warns when the loss stays far above its starting value for
 * a whole epoch. An interrupt (Kernel ▸ Interrupt, Ctrl-C) stops it with one line saying where; the
 * network keeps the weights of its last completed step and `model.history` the epochs completed so far.
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
  const guard = new DivergenceGuard(parameters, optimizer, guessingBaseline(model, Y, trueClasses));
  const history: History = {
    loss: [],
    accuracy: [],
    validationLoss: [],
    validationAccuracy: [],
    epochs: [],
  };
  model.history = history; // kept on the model, so that an interrupted run keeps what it learnt
  const at: TrainingStep = { epoch: 0, batch: 0, batchCount, optimizer };

  runInterruptibly(
    () => trainEpochs(),
    () => interrupted(model, at, guard),
  );
  return history;

  function trainEpochs(): void {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = Date.now();
      random.shuffle(order);
      let lossSum = 0;
      let correct = 0;
      for (let b = 0; b < batchCount; b++) {
        [at.epoch, at.batch] = [epoch, b + 1];
        const [xb, yb] = batches.gather(order, b * batchSize);
        const { loss, output } = computeGradientsOrStop(model, xb, yb, n, at);
        stopIfNotFinite(loss, at);
        guard.step(at, loss); // the optimiser's step, undone (and stopped) if a weight stops being finite
        lossSum += loss * xb.rows;
        correct += correctCount(output, trueClasses, order, b * batchSize);
        options.onBatch?.({ epoch, batch: b + 1, batches: batchCount, loss });
      }
      const log: EpochLog = { epoch, loss: lossSum / n, accuracy: correct / n, seconds: 0 };
      if (validation) {
        const { loss, output } = model.measure(validation.X, validation.Y, n); // checked before epoch 1
        log.validationLoss = loss;
        log.validationAccuracy = correctCount(output, validationClasses) / validation.X.rows;
      }
      log.seconds = (Date.now() - started) / 1000;
      guard.warnIfGrowing(log);
      record(history, log);
      options.onEpoch?.(log);
    }
  }
}

/** The stopped run: what the reader sees after an interrupt, and what the network and history keep. */
export class TrainingInterrupted extends Error {
  constructor(
    message: string,
    /** The history of the epochs completed before the interrupt (also `model.history`). */
    readonly history: History,
  ) {
    super(message);
    this.name = "TrainingInterrupted";
    // One readable line in the notebook, not a stack trace through the kernel's internals.
    this.stack = message;
    Object.defineProperty(this, "history", { enumerable: false });
  }

  /** How the kernel prints it (it calls console.error on the error): the message alone. */
  [inspect.custom](): string {
    return this.message;
  }
}

/** The one line an interrupt leaves, after putting back the weights of the last completed step. */
function interrupted(
  model: Network,
  at: TrainingStep,
  guard: DivergenceGuard,
): TrainingInterrupted {
  guard.undoUnfinishedStep();
  const done = model.history?.epochs.length ?? 0;
  const where =
    at.epoch === 0
      ? "before the first batch"
      : `in epoch ${at.epoch}, batch ${at.batch} of ${at.batchCount}`;
  return new TrainingInterrupted(
    `fit: training interrupted ${where}; the network keeps the weights of its last completed step, ` +
      `and net.history has the ${done} epoch${done === 1 ? "" : "s"} completed so far ` +
      `(call fit again to continue from here)`,
    model.history!,
  );
}

/** Runs `body` so that SIGINT (Kernel ▸ Interrupt) ends it with an error, in any kind of cell. */
const INTERRUPTIBLE = new Script("globalThis.__gtdInterruptibleBody()");

/**
 * Runs `body` as a script with Node's `breakOnSigint`, so that an interrupt stops it at once even when
 * it was called after an `await` (where tslab's own watchdog no longer applies and would otherwise let
 * training run on in the background), and throws `stopped()` instead of Node's generic error.
 */
function runInterruptibly(body: () => void, stopped: () => Error): void {
  const global = globalThis as { __gtdInterruptibleBody?: () => void };
  const outer = global.__gtdInterruptibleBody;
  global.__gtdInterruptibleBody = body;
  try {
    INTERRUPTIBLE.runInThisContext({ breakOnSigint: true });
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") throw stopped();
    throw error;
  } finally {
    global.__gtdInterruptibleBody = outer;
  }
}

function record(history: History, log: EpochLog): void {
  history.loss.push(log.loss);
  history.accuracy.push(log.accuracy);
  if (log.validationLoss !== undefined) history.validationLoss.push(log.validationLoss);
  if (log.validationAccuracy !== undefined) history.validationAccuracy.push(log.validationAccuracy);
  history.epochs.push(log);
}

/** Where training is: for messages. */
interface TrainingStep {
  epoch: number;
  batch: number;
  batchCount: number;
  optimizer: Optimizer;
}

function stopIfNotFinite(loss: number, at: TrainingStep): void {
  if (Number.isFinite(loss)) return;
  throw divergence(`the loss became ${loss}`, at);
}

function divergence(what: string, at: TrainingStep): Error {
  return new Error(
    `fit: ${what} in epoch ${at.epoch}, batch ${at.batch} of ${at.batchCount}; the learning rate ` +
      `(${at.optimizer.learningRate}) is probably too high: try a lower one (the network keeps the ` +
      `weights of the last finite step)`,
  );
}

/**
 * One batch's forward and backward pass. The data were checked before training, so if the pass fails
 * on outputs that are no longer finite (scores that overflowed), training has diverged: say so, with
 * where, rather than let a loss function's message about NaN predictions stand alone.
 */
function computeGradientsOrStop(
  model: Network,
  X: Matrix,
  Y: Matrix,
  trainingSize: number,
  at: TrainingStep,
) {
  try {
    return model.backpropagate(X, Y, true, trainingSize); // checked before the first batch
  } catch (error) {
    const output = model.layers[model.layers.length - 1];
    if (output.cached().Z.isFinite()) throw error;
    throw divergence(
      `the network's outputs stopped being finite (${(error as Error).message})`,
      at,
    );
  }
}

/**
 * `fit` warns when every batch of an epoch has a loss above this multiple of the loss training started
 * from: the first batch is one draw among the epoch's, so a healthy run (even a plateau, even a trained
 * network's noisy batches) always has some batch below it, and a diverged one (whose saturated units can
 * keep the loss finite) has none. The same margin applies to the loss of guessing (below).
 */
const GROWTH_WARNING_FACTOR = 1.25;

/**
 * A network that does no better than guessing although its largest weight has grown more than this
 * many times since training started has been thrown off by steps that are too large; one that started
 * that bad and learns slowly (chapter 6's squared error on confident mistakes) has barely moved them.
 */
const WEIGHT_GROWTH_FACTOR = 10;

/** `fit` warns when an epoch's loss is more than this many times the loss of guessing: no network that learns gets there. */
const ABSURD_LOSS_FACTOR = 1000;

/**
 * What a network scores if it ignores its inputs and gives every example the same best answer: the
 * targets' mean row (the class frequencies, for one-hot targets). Its loss is the targets' variance
 * under the mean squared error and the entropy of that mean under the cross-entropies; its accuracy is
 * the share of the most common class.
 */
interface Guessing {
  loss: number;
  accuracy: number;
}

function guessingBaseline(model: Network, Y: Matrix, classes: readonly number[]): Guessing {
  const mean = Y.mean(0).data;
  const xlogx = (p: number) => (p > 0 ? p * Math.log(p) : 0);
  let loss = 0;
  if (model.loss.name === "mse") {
    for (let p = 0; p < Y.data.length; p++) loss += (Y.data[p] - mean[p % Y.cols]) ** 2;
    loss /= Y.rows;
  } else if (model.loss.name === "binaryCrossEntropy") {
    for (const m of mean) loss -= xlogx(m) + xlogx(1 - m);
  } else {
    for (const m of mean) loss -= xlogx(m);
  }
  const counts = new Map<number, number>();
  for (const c of classes) counts.set(c, (counts.get(c) ?? 0) + 1);
  return { loss, accuracy: Math.max(...counts.values()) / classes.length };
}

/**
 * Takes the optimiser's steps so that a diverging run stops cleanly: before each step it copies the
 * weights (a memory copy, small beside a batch's matrix products), after it checks that every weight is
 * still finite, and if one is not, puts the copy back and stops with the epoch, batch and learning
 * rate. It also watches the loss, and warns once, at the end of an epoch, that training has gone wrong
 * when
 * - every batch of the epoch was worse than where training started (1.25×): the loss is growing; or,
 *   from the second epoch on (the first still shows the starting weights),
 * - the network does no better than guessing: its training accuracy is no higher than always answering
 *   the most common class, and its loss is above 1.25× the loss of guessing (see `Guessing`), while its
 *   largest weight has grown more than tenfold (a network saturated by steps that are too large); or
 * - its loss is more than 1000× the loss of guessing (a run that started enormous and stayed there).
 * Healthy runs meet none of these: a plateau (XOR's, at the loss of guessing) is below 1.25× it, and a
 * network that started far worse than guessing and learns slowly has barely moved its weights. Everything is per epoch: the batches
 * pay only for remembering their lowest loss.
 */
class DivergenceGuard {
  private readonly saved: Float64Array[];
  private firstLoss = NaN;
  private lowestInEpoch = Infinity;
  private readonly startingLargestWeight: number;
  private warned = false;

  /** True between the start of an optimiser step and its check: an interrupt there leaves it half done. */
  private stepping = false;

  constructor(
    private readonly parameters: readonly Parameter[],
    private readonly optimizer: Optimizer,
    private readonly guessing: Guessing,
  ) {
    this.saved = parameters.map((p) => new Float64Array(p.value.data.length));
    this.startingLargestWeight = this.largestWeight();
  }

  /** The largest |w| of any weight matrix (biases, which may start at 0, left out). */
  private largestWeight(): number {
    let largest = 0;
    for (const p of this.parameters)
      if (p.name.startsWith("W")) largest = Math.max(largest, p.value.maxAbs());
    return largest;
  }

  step(at: TrainingStep, loss: number): void {
    if (Number.isNaN(this.firstLoss)) this.firstLoss = loss;
    this.lowestInEpoch = Math.min(this.lowestInEpoch, loss);
    this.parameters.forEach((p, i) => this.saved[i].set(p.value.data));
    this.stepping = true;
    this.optimizer.step(this.parameters);
    const broken = this.parameters.find((p) => !backend().allFinite(p.value.data));
    this.stepping = false;
    if (!broken) return;
    this.restore();
    throw divergence(`the weights ${broken.name} stopped being finite`, at);
  }

  /** After an interrupt: the weights before a step that did not finish. */
  undoUnfinishedStep(): void {
    if (this.stepping) this.restore();
    this.stepping = false;
  }

  private restore(): void {
    this.parameters.forEach((p, i) => p.value.data.set(this.saved[i]));
  }

  warnIfGrowing(log: EpochLog): void {
    const lowest = this.lowestInEpoch;
    this.lowestInEpoch = Infinity;
    if (this.warned) return;
    const why = this.whatWentWrong(log, lowest);
    if (!why) return;
    this.warned = true;
    console.warn(
      `fit: warning: ${why}; try a lower learning rate than ${this.optimizer.learningRate}`,
    );
  }

  /** Why the epoch shows that training has gone wrong (see the class's comment), or "" if it does not. */
  private whatWentWrong(log: EpochLog, lowest: number): string {
    const [start, guess] = [this.firstLoss, this.guessing];
    const mean = log.loss.toPrecision(4);
    if (lowest > GROWTH_WARNING_FACTOR * start)
      return (
        `every batch of epoch ${log.epoch} had a loss above ${GROWTH_WARNING_FACTOR}× the loss ` +
        `training started from (${start.toPrecision(4)}; this epoch's mean: ${mean}): training is diverging`
      );
    if (log.epoch < 2 || !(guess.loss > 0)) return "";
    const guessed = `the loss of giving every example the targets' mean (${guess.loss.toPrecision(4)})`;
    if (log.loss > ABSURD_LOSS_FACTOR * guess.loss)
      return (
        `the loss of epoch ${log.epoch} (${mean}) is more than ${ABSURD_LOSS_FACTOR}× ${guessed}: ` +
        `training has diverged`
      );
    const growth = this.largestWeight() / this.startingLargestWeight;
    if (
      guess.accuracy < 1 &&
      log.accuracy <= guess.accuracy &&
      log.loss > GROWTH_WARNING_FACTOR * guess.loss &&
      growth > WEIGHT_GROWTH_FACTOR
    )
      return (
        `after epoch ${log.epoch} the network does no better than guessing: training accuracy ` +
        `${(100 * log.accuracy).toFixed(1)}%, no better than always answering the most common class ` +
        `(${(100 * guess.accuracy).toFixed(1)}%), with a loss of ${mean}, above ${GROWTH_WARNING_FACTOR}× ` +
        `${guessed}, while its largest weight grew ${growth.toPrecision(3)}-fold: training has ` +
        `gone wrong (steps far too large saturate the units or make the loss bounce)`
      );
    return "";
  }
}

/** Everything `fit` needs of its arguments, checked before the first epoch rather than inside it. */
function checkFitArguments(model: Network, X: Matrix, Y: Matrix, options: FitOptions): void {
  if (!(model instanceof Network))
    throw new TypeError(`fit: model must be a Network, got ${describeValue(model)}`);
  rejectUnknownOptions("fit", options, FIT_OPTIONS);
  checkPositiveInteger("fit", "epochs", options.epochs);
  checkPositiveInteger("fit", "batchSize", options.batchSize);
  checkOptimizer(options.optimizer);
  if (options.random !== undefined) checkRandom("fit", "random", options.random);
  if (options.onEpoch !== undefined) checkFunction("fit", "onEpoch", options.onEpoch);
  if (options.onBatch !== undefined) checkFunction("fit", "onBatch", options.onBatch);
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
