/**
 * Loss functions: how far predictions P are from targets Y (both n×k, one example per row), averaged over
 * the n examples, and the gradient of that average with respect to P.
 *
 * A loss also owns the output layer's side of backpropagation (chapter 5's equation 1, Nielsen's
 * `cost.delta`): `outputLoss` pairs it with the output layer's activation. The cross-entropies pair with
 * the activation they are made for (softmax, sigmoid) and are then computed from the pre-activations Z
 * with the log-sum-exp form, so that the loss is exact, needs no clipping, and its gradient p − y is its
 * true derivative. Any other pairing takes the chain rule ∂loss/∂A ⊙ g'(Z).
 */
import { type LayerActivation, unknownName } from "./activations";
import { Matrix, checkMatrix, entryPosition } from "../core/matrix";

export type LossName = "mse" | "binaryCrossEntropy" | "categoricalCrossEntropy";

export interface Loss {
  readonly name: LossName;
  /** The mean loss over the rows. */
  value(P: Matrix, Y: Matrix): number;
  /** ∂loss/∂P, same shape as P. */
  gradient(P: Matrix, Y: Matrix): Matrix;
  /**
   * The output activation this loss is made for, with the loss computed from that layer's weighted sums
   * Z, and its gradient with respect to Z (given Z and A = g(Z)).
   */
  readonly fromScores?: {
    activation: LayerActivation;
    value(Z: Matrix, Y: Matrix): number;
    gradient(Z: Matrix, A: Matrix, Y: Matrix): Matrix;
  };
}

function checkPair(op: string, P: Matrix, Y: Matrix, what = "predictions"): void {
  checkMatrix(op, what, P);
  checkMatrix(op, "targets", Y);
  if (P.rows !== Y.rows || P.cols !== Y.cols) {
    throw new Error(`${op}: ${what} are ${P.shapeString} but targets are ${Y.shapeString}`);
  }
  if (P.rows === 0) throw new Error(`${op}: no examples`);
  for (let p = 0; p < P.data.length; p++) {
    if (!Number.isFinite(P.data[p]))
      throw new Error(`${op}: ${what.replace(/s$/, "")} ${P.data[p]} at ${entryPosition(P, p)}`);
    if (!Number.isFinite(Y.data[p]))
      throw new Error(`${op}: target ${Y.data[p]} at ${entryPosition(Y, p)}`);
  }
}

function checkTargetsInUnitInterval(op: string, Y: Matrix): void {
  for (let p = 0; p < Y.data.length; p++) {
    if (Y.data[p] < 0 || Y.data[p] > 1)
      throw new Error(`${op}: target ${Y.data[p]} at ${entryPosition(Y, p)} is not in [0, 1]`);
  }
}

function checkProbabilities(op: string, P: Matrix, Y: Matrix): void {
  checkPair(op, P, Y);
  for (let p = 0; p < P.data.length; p++) {
    if (P.data[p] < 0 || P.data[p] > 1)
      throw new Error(
        `${op}: prediction ${P.data[p]} at ${entryPosition(P, p)} is not a probability in [0, 1]`,
      );
  }
  checkTargetsInUnitInterval(op, Y);
}

/**
 * Targets for categorical cross-entropy: each row a probability distribution over the classes, summing to
 * 1 (to within 1e−6), as a one-hot row does. A row summing to 0.7, a two-hot row or an all-zero row gives a
 * number that is no cross-entropy (an all-zero row costs nothing whatever the prediction), so it is
 * refused with the row and its sum; `owner` names the function called.
 */
export function checkTargetRowsSumToOne(owner: string, Y: Matrix): void {
  const y = Y.data;
  for (let i = 0; i < Y.rows; i++) {
    let total = 0;
    for (let j = 0; j < Y.cols; j++) total += y[i * Y.cols + j];
    if (Math.abs(total - 1) > 1e-6)
      throw new RangeError(
        `${owner}: target row ${i} sums to ${total}; categoricalCrossEntropy needs each row to be ` +
          `probabilities summing to 1 (one-hot: oneHot(labels, classes))`,
      );
  }
}

/** Scores and targets for a loss computed from scores: same shape, finite, targets in [0, 1]. */
function checkScores(op: string, Z: Matrix, Y: Matrix): void {
  checkPair(op, Z, Y, "scores");
  checkTargetsInUnitInterval(op, Y);
}

/**
 * Mean squared error: (1/n) Σ over examples of Σ over outputs (p − y)².
 * The gradient is 2(p − y)/n. Nielsen writes the quadratic cost with a ½ in front, (1/2n) Σ ‖y − a‖²,
 * which cancels the 2: his gradient is half of ours, so his learning rate η is our η/2 (his η = 3.0 is
 * our 1.5). The minimum is the same.
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
 * When a cross-entropy is given probabilities P directly (not the scores they came from), they are
 * clipped to [ε, 1 − ε] with ε = 1e−12 before taking logarithms, so that a confident wrong answer (p = 0
 * for y = 1) costs −log(1e−12) ≈ 27.6 instead of infinity. A network never needs this: it computes its
 * cross-entropy from the scores (see `softmaxCrossEntropy`), where nothing is clipped.
 */
export const PROBABILITY_CLIP = 1e-12;

function clip(p: number): number {
  return Math.min(Math.max(p, PROBABILITY_CLIP), 1 - PROBABILITY_CLIP);
}

/**
 * The mean binary cross-entropy of sigmoid outputs σ(z), computed from the scores z: per entry
 * −[y·log σ(z) + (1 − y)·log(1 − σ(z))] = max(z, 0) − y·z + log(1 + e^(−|z|)), which never takes the
 * logarithm of 0 and never overflows. Summed over the outputs, averaged over the rows.
 */
export function sigmoidBinaryCrossEntropy(Z: Matrix, Y: Matrix): number {
  checkScores("sigmoidBinaryCrossEntropy", Z, Y);
  let sum = 0;
  for (let i = 0; i < Z.data.length; i++) {
    const z = Z.data[i];
    sum += Math.max(z, 0) - Y.data[i] * z + Math.log1p(Math.exp(-Math.abs(z)));
  }
  return sum / Z.rows;
}

/**
 * Binary cross-entropy: −(1/n) Σ [y·log p + (1 − y)·log(1 − p)] for predicted probabilities p of class 1.
 * The gradient is (p − y) / (p(1 − p)) / n, with p clipped as above (see PROBABILITY_CLIP). After a
 * sigmoid output the two combine into (σ(z) − y)/n, computed from the scores.
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
  fromScores: {
    activation: "sigmoid",
    value: sigmoidBinaryCrossEntropy,
    gradient(Z, A, Y) {
      checkScores("binaryCrossEntropy.fromScores", Z, Y);
      return A.sub(Y).scale(1 / Z.rows);
    },
  },
};

/**
 * The mean categorical cross-entropy of softmax outputs p = softmax(z), computed from the scores z, as
 * chapter 6 derives it: −Σ_j y_j·log p_j = Σ_j y_j·(log Σ_k e^(z_k) − z_j), with the log-sum-exp taken
 * after subtracting the row's largest score, so that nothing overflows and no probability is rounded to 0.
 */
export function softmaxCrossEntropy(Z: Matrix, Y: Matrix): number {
  checkScores("softmaxCrossEntropy", Z, Y);
  checkTargetRowsSumToOne("softmaxCrossEntropy", Y);
  let sum = 0;
  for (let i = 0; i < Z.rows; i++) {
    const row = Z.data.subarray(i * Z.cols, (i + 1) * Z.cols);
    let max = -Infinity;
    for (const z of row) max = Math.max(max, z);
    let exps = 0;
    for (const z of row) exps += Math.exp(z - max);
    const logSumExp = max + Math.log(exps);
    for (let j = 0; j < Z.cols; j++) {
      const y = Y.data[i * Z.cols + j];
      if (y !== 0) sum += y * (logSumExp - row[j]);
    }
  }
  return sum / Z.rows;
}

/**
 * Categorical cross-entropy for one-hot (or probability) targets over k classes: −(1/n) Σ_i Σ_j y_ij·log p_ij,
 * with p clipped as above. Its gradient with respect to P is −y/(p·n); through a softmax output the two
 * combine into (p·s − y)/n with s = Σ_j y_j, the row's total target, which is p − y for one-hot targets.
 */
export const categoricalCrossEntropy: Loss = {
  name: "categoricalCrossEntropy",
  value(P, Y) {
    checkProbabilities("categoricalCrossEntropy", P, Y);
    checkTargetRowsSumToOne("categoricalCrossEntropy", Y);
    let sum = 0;
    for (let i = 0; i < P.data.length; i++)
      if (Y.data[i] !== 0) sum -= Y.data[i] * Math.log(clip(P.data[i]));
    return sum / P.rows;
  },
  gradient(P, Y) {
    checkProbabilities("categoricalCrossEntropy.gradient", P, Y);
    checkTargetRowsSumToOne("categoricalCrossEntropy.gradient", Y);
    const n = P.rows;
    return new Matrix(
      P.rows,
      P.cols,
      P.data.map((p, i) => -Y.data[i] / clip(p) / n),
    );
  },
  fromScores: {
    activation: "softmax",
    value: softmaxCrossEntropy,
    gradient(Z, P, Y) {
      checkScores("categoricalCrossEntropy.fromScores", Z, Y);
      checkTargetRowsSumToOne("categoricalCrossEntropy.fromScores", Y);
      const dZ = new Matrix(P.rows, P.cols);
      for (let i = 0; i < P.rows; i++) {
        let total = 0;
        for (let j = 0; j < P.cols; j++) total += Y.get(i, j);
        for (let j = 0; j < P.cols; j++) dZ.set(i, j, P.get(i, j) * total - Y.get(i, j));
      }
      return dZ.scale(1 / P.rows);
    },
  },
};

export const losses: Readonly<Record<LossName, Loss>> = {
  mse,
  binaryCrossEntropy,
  categoricalCrossEntropy,
};

/** The loss with this name, or an error that lists the known ones. */
export function lossByName(name: string, owner = "lossByName"): Loss {
  const found = Object.prototype.hasOwnProperty.call(losses, name)
    ? (losses as Record<string, Loss>)[name]
    : undefined;
  if (!found) throw unknownName(owner, "loss", name, Object.keys(losses));
  return found;
}

/** What flows back into a layer: ∂L/∂A of its outputs, or ∂L/∂Z when the loss went through its activation. */
export type Upstream = { dA: Matrix } | { dZ: Matrix };

/** A loss as the output layer of a network sees it: from its weighted sums Z and outputs A = g(Z). */
export interface OutputLoss {
  /** The mean loss over the rows. */
  value(Z: Matrix, A: Matrix, Y: Matrix): number;
  /** Where backpropagation starts: ∂loss/∂Z from the scores, or ∂loss/∂A for the layer to take back. */
  upstream(Z: Matrix, A: Matrix, Y: Matrix): Upstream;
}

/**
 * Pairs `loss` with an output layer whose activation is `activation`: from the scores when the loss is
 * made for that activation (softmax + categorical cross-entropy, sigmoid + binary cross-entropy), else
 * the loss of the outputs and ∂loss/∂A, which the layer takes back through g'(Z) by the chain rule.
 */
export function outputLoss(loss: Loss, activation: LayerActivation): OutputLoss {
  const scores = loss.fromScores;
  if (scores && scores.activation === activation) {
    return {
      value: (Z, _A, Y) => scores.value(Z, Y),
      upstream: (Z, A, Y) => ({ dZ: scores.gradient(Z, A, Y) }),
    };
  }
  return {
    value: (_Z, A, Y) => loss.value(A, Y),
    upstream: (_Z, A, Y) => ({ dA: loss.gradient(A, Y) }),
  };
}
