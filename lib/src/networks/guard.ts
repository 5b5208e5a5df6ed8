/**
 * What `fit` does when training goes wrong: it stops a run whose loss, outputs or weights stop being
 * numbers, with the epoch, the batch and the learning rate to lower, and leaves the network with the
 * weights of its last finite step; and it warns, once, after an epoch that shows training going wrong
 * while the numbers are still finite. `fit` calls it in one line at each place, so that it still reads
 * like its algorithm.
 */
import type { Matrix } from "../core/matrix";
import { backend } from "../backends/select";
import type { BatchResult, Dense, EpochLog } from "./network";
import type { Trainable } from "./sequential";
import type { Optimizer, Parameter } from "./optimizers";
import type { TrainingPosition } from "./interrupt";

/**
 * `fit` warns when every batch of an epoch has a loss above this multiple of the loss training started
 * from: the first batch is one draw among the epoch's, so a healthy run (even a plateau, even a trained
 * network's noisy batches) always has some batch below it, and a diverged one (whose saturated units can
 * keep the loss finite) has none. The same margin applies to the loss of guessing (below).
 */
export const GROWTH_WARNING_FACTOR = 1.25;

/**
 * A network that does no better than guessing although its largest weight has grown more than this
 * many times since training started has been thrown off by steps that are too large; one that started
 * that bad and learns slowly (chapter 6's squared error on confident mistakes) has barely moved them.
 */
export const WEIGHT_GROWTH_FACTOR = 10;

/** `fit` warns when an epoch's loss is more than this many times the loss of guessing: no network that learns gets there. */
export const ABSURD_LOSS_FACTOR = 1000;

/**
 * What a network scores if it ignores its inputs and gives every example the same best answer: the
 * targets' mean row (the class frequencies, for one-hot targets). Its loss is the targets' variance
 * under the mean squared error and the entropy of that mean under the cross-entropies; its accuracy is
 * the share of the most common class.
 */
export interface Guessing {
  loss: number;
  accuracy: number;
}

/** The loss and accuracy of guessing (see `Guessing`) for targets `Y`, whose classes are `classes`. */
export function guessingBaseline(
  model: Trainable,
  Y: Matrix,
  classes: readonly number[],
): Guessing {
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

/** The first parameter with a weight that is NaN or ±∞, if any. */
function firstNotFinite(parameters: readonly Parameter[]): Parameter | undefined {
  const kernels = backend();
  for (const p of parameters) if (!kernels.allFinite(p.value.data)) return p;
  return undefined;
}

/**
 * Guards one run of `fit`: each batch's pass and optimiser step, and the end of each epoch.
 *
 * It stops the run, naming the epoch, batch and learning rate, the first time the loss or the network's
 * outputs are NaN or ±∞, or a weight is after a step; before each step it copies the weights, and puts
 * the copy back if the step leaves a weight that is not finite, or if an interrupt stops the step
 * half-way (see `optimizerStep`).
 *
 * It also watches the loss, and warns once, at the end of an epoch, that training has gone wrong when
 * - every batch of the epoch was worse than where training started (1.25×): the loss is growing; or,
 *   from the second epoch on (the first still shows the starting weights),
 * - the network does no better than guessing: its training accuracy is no higher than always answering
 *   the most common class, and its loss is above 1.25× the loss of guessing (see `Guessing`), while its
 *   largest weight has grown more than tenfold (a network saturated by steps that are too large); or
 * - its loss is more than 1000× the loss of guessing (a run that started enormous and stayed there).
 * Healthy runs meet none of these: a plateau (XOR's, at the loss of guessing) is below 1.25× it, and a
 * network that started far worse than guessing and learns slowly has barely moved its weights.
 * Everything is per epoch: the batches pay only for remembering their lowest loss.
 */
export class DivergenceGuard {
  private readonly parameters: readonly Parameter[];
  private readonly saved: Float64Array[];
  private firstLoss = NaN;
  private lowestInEpoch = Infinity;
  private readonly guessing: Guessing;
  private readonly startingLargestWeight: number;
  private warned = false;

  /** True between the start of an optimiser step and its check: an interrupt there leaves it half done. */
  private stepping = false;

  constructor(
    private readonly model: Trainable,
    private readonly optimizer: Optimizer,
    /** The training targets, and the class of each (for the loss and accuracy of guessing). */
    targets: Matrix,
    classes: readonly number[],
    /** Where training is, kept up to date by `fit`: for messages. */
    private readonly at: TrainingPosition,
  ) {
    this.parameters = model.parameters();
    this.guessing = guessingBaseline(model, targets, classes);
    this.saved = this.parameters.map((p) => new Float64Array(p.value.data.length));
    this.startingLargestWeight = this.largestWeight();
  }

  /**
   * One batch's forward and backward pass (`model.backpropagate`), stopped if its loss is not finite.
   * The data were checked before training, so if the pass fails on outputs that are no longer finite
   * (scores that overflowed), training has diverged: say so, with where, rather than let a loss
   * function's message about NaN predictions stand alone.
   */
  backpropagate(X: Matrix, Y: Matrix, trainingSize: number): BatchResult {
    let result: BatchResult;
    try {
      result = this.model.backpropagate(X, Y, true, trainingSize, true); // in the layers' scratch
    } catch (error) {
      if (this.outputsFinite()) throw error;
      throw this.divergence(
        `the network's outputs stopped being finite (${(error as Error).message})`,
      );
    }
    const { loss } = result;
    if (!Number.isFinite(loss)) throw this.divergence(`the loss became ${loss}`);
    if (Number.isNaN(this.firstLoss)) this.firstLoss = loss;
    this.lowestInEpoch = Math.min(this.lowestInEpoch, loss);
    return result;
  }

  /**
   * The optimiser's step on every parameter, undone (and stopped) if a weight stops being finite.
   *
   * Why a copy of every weight before each step, rather than a check of the gradient before it: a
   * finite gradient can still carry a weight past ±1.8e308 (an SGD step at a learning rate of 10¹⁰⁰ on a
   * gradient of 10²¹⁰), an optimiser passed to fit may change the weights in any way, and an interrupt
   * can stop the step half-way through an array, in JavaScript or WebAssembly alike (Node ends the
   * script at once; nothing can postpone it to the end of the step). Only the weights from before the
   * step undo all three exactly. The copy and the check after the step are one pass over the weights
   * each (the check in WebAssembly): `npm run bench -- --guard` measures what they cost per step.
   */
  optimizerStep(): void {
    const { parameters, saved } = this;
    for (let i = 0; i < parameters.length; i++) saved[i].set(parameters[i].value.data);
    this.stepping = true;
    this.optimizer.step(parameters);
    const broken = firstNotFinite(parameters);
    this.stepping = false;
    if (broken === undefined) return;
    this.restore();
    throw this.divergence(`the weights ${broken.name} stopped being finite`);
  }

  /** After an interrupt: the weights before a step that did not finish. */
  undoUnfinishedStep(): void {
    if (this.stepping) this.restore();
    this.stepping = false;
  }

  /** At the end of an epoch: warns (once per run) if the epoch shows that training has gone wrong. */
  endEpoch(log: EpochLog): void {
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

  private restore(): void {
    const { parameters, saved } = this;
    for (let i = 0; i < parameters.length; i++) parameters[i].value.data.set(saved[i]);
  }

  /** Only after a failed pass: whether the output layer's weighted sums of that batch are all finite. */
  private outputsFinite(): boolean {
    const output = this.model.layers[this.model.layers.length - 1] as Dense; // always a Dense layer
    return output.cached().Z.isFinite();
  }

  private divergence(what: string): Error {
    const { epoch, batch, batchCount } = this.at;
    return new Error(
      `fit: ${what} in epoch ${epoch}, batch ${batch} of ${batchCount}; the learning rate ` +
        `(${this.optimizer.learningRate}) is probably too high: try a lower one (the network keeps the ` +
        `weights of the last finite step)`,
    );
  }

  /** The largest |w| of any weight matrix (biases, which may start at 0, left out). */
  private largestWeight(): number {
    let largest = 0;
    for (const p of this.parameters)
      if (p.name.startsWith("W")) largest = Math.max(largest, p.value.maxAbs());
    return largest;
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
