/**
 * Gradient checking: compare every gradient that backpropagation computes with a central difference of the
 * loss. If backpropagation has a bug, some entry disagrees; if it is right, all agree to about 1e−8.
 */
import {
  checkPositive,
  checkPositiveInteger,
  describeValue,
  rejectUnknownOptions,
} from "../core/checks";
import type { Matrix } from "../core/matrix";
import { Network } from "./network";
import { Sequential, type Trainable } from "./sequential";

export interface GradientCheckEntry {
  /** e.g. "W2[3,1]" */
  parameter: string;
  analytic: number;
  numerical: number;
  relativeError: number;
}

export interface GradientCheckReport {
  /** The entry with the largest relative error. */
  worst: GradientCheckEntry;
  /** How many weights and biases were checked. */
  checked: number;
  /** Every entry, in parameter order. */
  entries: GradientCheckEntry[];
}

/**
 * Checks every weight and bias (and a Sequential's filters) of `model` on the batch (X, Y), without dropout, with the loss including the
 * L2 term for a training set of `trainingSize` (default: the batch size).
 *
 * The numerical derivative is the five-point stencil (8·(L(w+h) − L(w−h)) − (L(w+2h) − L(w−2h))) / 12h,
 * whose error shrinks as h⁴ rather than h² for the plain central difference: entries whose true gradient is
 * tiny (1e−7 next to a loss near 1) then still agree to better than 1e−6 relative, with h = 1e−3 large
 * enough that rounding does not dominate. The relative error is |a − n| / max(|a|, |n|, floor); the floor
 * (default 1e−10) keeps an entry whose gradient is exactly zero from reporting rounding noise as a large error.
 */
export function gradientCheck(
  model: Trainable,
  X: Matrix,
  Y: Matrix,
  options: { h?: number; floor?: number; trainingSize?: number } = {},
): GradientCheckReport {
  if (!(model instanceof Network || model instanceof Sequential))
    throw new TypeError(
      `gradientCheck: model must be a Network or a Sequential, got ${describeValue(model)}`,
    );
  rejectUnknownOptions("gradientCheck", options, ["h", "floor", "trainingSize"]);
  model.checkData("gradientCheck", X, Y);
  model.checkInputs("gradientCheck", X, "inputs");
  const { h = 1e-3, floor = 1e-10, trainingSize = X.rows } = options;
  checkPositive("gradientCheck", "h", h);
  checkPositive("gradientCheck", "floor", floor);
  checkPositiveInteger("gradientCheck", "trainingSize", trainingSize);
  model.computeGradients(X, Y, { training: false, trainingSize });
  const entries: GradientCheckEntry[] = [];
  for (const { name, value, grad } of model.parameters()) {
    const analytic = grad.data; // evaluateLoss() below runs forward passes only: it leaves the gradients alone
    for (let k = 0; k < value.data.length; k++) {
      const saved = value.data[k];
      const lossAt = (delta: number) => {
        value.data[k] = saved + delta;
        const loss = model.evaluateLoss(X, Y, trainingSize);
        value.data[k] = saved;
        return loss;
      };
      const numerical =
        (8 * (lossAt(h) - lossAt(-h)) - (lossAt(2 * h) - lossAt(-2 * h))) / (12 * h);
      const a = analytic[k];
      const relativeError =
        Math.abs(a - numerical) / Math.max(Math.abs(a), Math.abs(numerical), floor);
      const [i, j] = [Math.floor(k / value.cols), k % value.cols];
      entries.push({
        parameter: name.startsWith("b") ? `${name}[${j}]` : `${name}[${i},${j}]`,
        analytic: a,
        numerical,
        relativeError,
      });
    }
  }
  if (entries.length === 0) throw new Error("gradientCheck: the model has no parameters");
  const worst = entries.reduce((w, e) => (e.relativeError > w.relativeError ? e : w));
  return { worst, checked: entries.length, entries };
}
