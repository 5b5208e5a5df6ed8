/**
 * What the small training loops that chapters show (`Neuron.train`, `TinyNetwork.train`) say when
 * training goes wrong, as `fit` does for networks: each loop calls these in one line, so that it still
 * reads like its algorithm.
 */

/** Where a loop is: for messages. */
export interface LoopStep {
  epoch: number;
  learningRate: number;
}

/**
 * Stops a loop at the first epoch where one of `values` (the loss, the outputs, the parameters, each
 * by name) is NaN or ±Infinity, naming which one, the epoch and the learning rate.
 */
export function stopIfNotFinite(
  owner: string,
  at: LoopStep,
  values: Readonly<Record<string, number | ArrayLike<number>>>,
): void {
  for (const [name, value] of Object.entries(values)) {
    const bad = firstNonFinite(value);
    if (bad === undefined) continue;
    throw new Error(
      `${owner}: the ${name} became ${bad} in epoch ${at.epoch}; try a lower learning rate than ` +
        `${at.learningRate}, which is probably too high`,
    );
  }
}

function firstNonFinite(value: number | ArrayLike<number>): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : value;
  for (let i = 0; i < value.length; i++) if (!Number.isFinite(value[i])) return value[i];
  return undefined;
}

/**
 * Gradient descent with a learning rate that suits the problem lowers the loss: a run whose last loss
 * is not at least this fraction below its first has not worked.
 */
export const LEAST_PROGRESS = 0.01;

/**
 * After a loop: warns (once, and returns nothing) when the last of `losses` is not at least 1% below the
 * first. A learning rate far too high makes the loss bounce or rise, or saturates sigmoid units so that
 * the loss freezes far from 0 (at 10⁶ a neuron's loss stays at its start); one far too low barely moves
 * it. Runs of a single loss have nothing to compare and say nothing.
 */
export function warnIfNotLearning(
  owner: string,
  losses: readonly number[],
  learningRate: number,
): void {
  if (losses.length < 2) return;
  const [first, last] = [losses[0], losses[losses.length - 1]];
  if (!(last > (1 - LEAST_PROGRESS) * first)) return;
  console.warn(
    `${owner}: warning: the loss went from ${first.toPrecision(4)} to ${last.toPrecision(4)} in ` +
      `${losses.length - 1} epochs, not even ${100 * LEAST_PROGRESS}% lower: training has not worked. ` +
      `A learning rate far too high (this one is ${learningRate}) makes the loss bounce or rise, or ` +
      `saturates the units so that it freezes: try a lower one (or a higher one, if the loss was ` +
      `falling slowly)`,
  );
}
