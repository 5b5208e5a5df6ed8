/**
 * Loss functions: how far predictions P are from targets Y (both n×k, one example per row), averaged over
 * the n examples, and the gradient of that average with respect to P.
 */
import { Matrix } from "./matrix";

export type LossName = "mse" | "binaryCrossEntropy" | "categoricalCrossEntropy";

export interface Loss {
  readonly name: LossName;
  /** The mean loss over the rows. */
  value(P: Matrix, Y: Matrix): number;
  /** ∂loss/∂P, same shape as P. */
  gradient(P: Matrix, Y: Matrix): Matrix;
}

function checkPair(op: string, P: Matrix, Y: Matrix): void {
  if (P.rows !== Y.rows || P.cols !== Y.cols) {
    throw new Error(`${op}: predictions are ${P.shapeString} but targets are ${Y.shapeString}`);
  }
  if (P.rows === 0) throw new Error(`${op}: no examples`);
  for (let i = 0; i < P.data.length; i++) {
    if (!Number.isFinite(P.data[i]))
      throw new Error(
        `${op}: prediction ${P.data[i]} at (${Math.floor(i / P.cols)}, ${i % P.cols})`,
      );
    if (!Number.isFinite(Y.data[i]))
      throw new Error(`${op}: target ${Y.data[i]} at (${Math.floor(i / P.cols)}, ${i % P.cols})`);
  }
}

/**
 * Mean squared error: (1/n) Σ over examples of Σ over outputs (p − y)².
 * The gradient is 2(p − y)/n. (Some texts put ½ in front to cancel the 2; the minimum is the same.)
 */
export const mse: Loss = {
  name: "mse",
  value(P, Y) {
    checkPair("mse", P, Y);
    let sum = 0;
    for (let i = 0; i < P.data.length; i++) sum += (P.data[i] - Y.data[i]) ** 2;
    return sum / P.rows;
  },
  gradient(P, Y) {
    checkPair("mse.gradient", P, Y);
    const scale = 2 / P.rows;
    return new Matrix(
      P.rows,
      P.cols,
      P.data.map((p, i) => scale * (p - Y.data[i])),
    );
  },
};

/**
 * Predictions are clipped to [ε, 1 − ε] with ε = 1e−12 before taking logarithms, so that a confident
 * wrong answer (p = 0 for y = 1) costs −log(1e−12) ≈ 27.6 instead of infinity, and the gradient stays finite.
 */
export const PROBABILITY_CLIP = 1e-12;

function clip(p: number): number {
  return Math.min(Math.max(p, PROBABILITY_CLIP), 1 - PROBABILITY_CLIP);
}

function checkProbabilities(op: string, P: Matrix, Y: Matrix): void {
  checkPair(op, P, Y);
  for (let i = 0; i < P.data.length; i++) {
    if (P.data[i] < 0 || P.data[i] > 1)
      throw new Error(
        `${op}: prediction ${P.data[i]} at (${Math.floor(i / P.cols)}, ${i % P.cols}) is not a probability in [0, 1]`,
      );
    if (Y.data[i] < 0 || Y.data[i] > 1)
      throw new Error(
        `${op}: target ${Y.data[i]} at (${Math.floor(i / P.cols)}, ${i % P.cols}) is not in [0, 1]`,
      );
  }
}

/**
 * Binary cross-entropy: −(1/n) Σ [y·log p + (1 − y)·log(1 − p)] for predicted probabilities p of class 1.
 * The gradient is (p − y) / (p(1 − p)) / n, with p clipped as above (see PROBABILITY_CLIP).
 */
export const binaryCrossEntropy: Loss = {
  name: "binaryCrossEntropy",
  value(P, Y) {
    checkProbabilities("binaryCrossEntropy", P, Y);
    let sum = 0;
    for (let i = 0; i < P.data.length; i++) {
      const p = clip(P.data[i]);
      const y = Y.data[i];
      sum -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
    }
    return sum / P.rows;
  },
  gradient(P, Y) {
    checkProbabilities("binaryCrossEntropy.gradient", P, Y);
    const n = P.rows;
    return new Matrix(
      P.rows,
      P.cols,
      P.data.map((raw, i) => {
        const p = clip(raw);
        return (p - Y.data[i]) / (p * (1 - p)) / n;
      }),
    );
  },
};

/**
 * Categorical cross-entropy for one-hot (or probability) targets over k classes: −(1/n) Σ_i Σ_j y_ij·log p_ij,
 * with p clipped as above. Its gradient with respect to P is −y/(p·n); through a softmax output the two
 * combine into the simple and stable (p − y)/n, which the network uses directly.
 */
export const categoricalCrossEntropy: Loss = {
  name: "categoricalCrossEntropy",
  value(P, Y) {
    checkProbabilities("categoricalCrossEntropy", P, Y);
    let sum = 0;
    for (let i = 0; i < P.data.length; i++)
      if (Y.data[i] !== 0) sum -= Y.data[i] * Math.log(clip(P.data[i]));
    return sum / P.rows;
  },
  gradient(P, Y) {
    checkProbabilities("categoricalCrossEntropy.gradient", P, Y);
    const n = P.rows;
    return new Matrix(
      P.rows,
      P.cols,
      P.data.map((p, i) => -Y.data[i] / clip(p) / n),
    );
  },
};

export const losses: Readonly<Record<LossName, Loss>> = {
  mse,
  binaryCrossEntropy,
  categoricalCrossEntropy,
};

/** The loss with this name, or an error that lists the known ones. */
export function lossByName(name: string): Loss {
  const found = (losses as Record<string, Loss | undefined>)[name];
  if (!found) throw new Error(`unknown loss "${name}" (known: ${Object.keys(losses).join(", ")})`);
  return found;
}
