/**
 * Activation functions g(z) and their derivatives g'(z). A neuron computes a = g(z) with z = w·x + b;
 * backpropagation needs g'(z). Each activation is an object so that a layer can be given one by name.
 */
import { checkNumberType, describeValue, didYouMean } from "../core/checks";
import { Matrix, checkMatrix } from "../core/matrix";

export type ActivationName = "step" | "linear" | "sigmoid" | "tanh" | "relu" | "leakyRelu";

export interface Activation {
  readonly name: ActivationName;
  /** g(z) */
  value(z: number): number;
  /**
   * g'(z). Where g has a kink (ReLU at 0) or a jump (step at 0) we return the right-hand value, the
   * usual convention; the derivative there is a choice, and any value in between is a valid subgradient.
   */
  derivative(z: number): number;
}

/**
 * The logistic sigmoid 1 / (1 + e^(−z)), computed so that it never overflows: for z < 0 it uses
 * e^z / (1 + e^z), where e^z ≤ 1.
 */
export function sigmoid(z: number): number {
  checkNumberType("sigmoid", "z", z);
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** The Heaviside step of chapter 1's perceptron: 1 when z ≥ 0, else 0 (so a point on the line counts as 1). */
export function step(z: number): 0 | 1 {
  checkNumberType("step", "z", z);
  if (Number.isNaN(z)) throw new RangeError("step: input is NaN");
  return z >= 0 ? 1 : 0;
}

/** max(z, 0); NaN stays NaN, as Math.max keeps it (`z > 0 ? z : 0` would hide it as 0). */
export function relu(z: number): number {
  checkNumberType("relu", "z", z);
  return Math.max(z, 0);
}

/** NaN for NaN, else `value`: keeps a derivative from turning a NaN input into a number. */
function unlessNaN(z: number, value: number): number {
  return z === z ? value : NaN;
}

const stepActivation: Activation = {
  name: "step",
  value: step,
  // Zero everywhere it exists (and undefined at 0): the reason a step network cannot learn by gradients.
  derivative: (z) => unlessNaN(z, 0),
};

const linearActivation: Activation = {
  name: "linear",
  value: (z) => z,
  derivative: (z) => unlessNaN(z, 1),
};

const sigmoidActivation: Activation = {
  name: "sigmoid",
  value: sigmoid,
  derivative: (z) => {
    const s = sigmoid(z);
    return s * (1 - s); // at most 1/4, at z = 0
  },
};

const tanhActivation: Activation = {
  name: "tanh",
  value: Math.tanh,
  derivative: (z) => {
    const t = Math.tanh(z);
    return 1 - t * t;
  },
};

const reluActivation: Activation = {
  name: "relu",
  value: relu,
  derivative: (z) => (z >= 0 ? 1 : z < 0 ? 0 : NaN),
};

/** Leaky ReLU: z for z ≥ 0, slope·z below, so that a unit with negative input still passes a gradient. */
export function leakyRelu(slope = 0.01): Activation {
  checkNumberType("leakyRelu", "slope", slope);
  if (!(slope >= 0 && slope < 1))
    throw new RangeError(`leakyRelu: slope must be in [0, 1), got ${slope}`);
  return {
    name: "leakyRelu",
    value: (z) => (z >= 0 ? z : slope * z),
    derivative: (z) => (z >= 0 ? 1 : z < 0 ? slope : NaN),
  };
}

/** All activations by name (leaky ReLU with slope 0.01). */
export const activations: Readonly<Record<ActivationName, Activation>> = {
  step: stepActivation,
  linear: linearActivation,
  sigmoid: sigmoidActivation,
  tanh: tanhActivation,
  relu: reluActivation,
  leakyRelu: leakyRelu(),
};

/** The activation with this name, or an error that lists the known ones. */
export function activationByName(name: string, owner = "activationByName"): Activation {
  const found = Object.prototype.hasOwnProperty.call(activations, name)
    ? (activations as Record<string, Activation>)[name]
    : undefined;
  if (!found) throw unknownName(owner, "activation", name, Object.keys(activations));
  return found;
}

/** `owner: unknown activation "rleu"; did you mean "relu"? (known: …)`, or a TypeError for a non-string. */
export function unknownName(owner: string, kind: string, name: unknown, known: string[]): Error {
  if (typeof name !== "string")
    return new TypeError(
      `${owner}: ${kind} must be a name (one of ${known.join(", ")}), got ${describeValue(name)}`,
    );
  return new RangeError(
    `${owner}: unknown ${kind} "${name}"${didYouMean(name, known)} (known: ${known.join(", ")})`,
  );
}

/** g applied to every entry of Z. */
export function applyActivation(Z: Matrix, g: Activation | ActivationName): Matrix {
  checkMatrix("applyActivation", "Z", Z);
  const act = typeof g === "object" && g !== null ? g : activationByName(g, "applyActivation");
  return Z.map((z) => act.value(z));
}

/** g' applied to every entry of Z. */
export function activationDerivative(Z: Matrix, g: Activation | ActivationName): Matrix {
  checkMatrix("activationDerivative", "Z", Z);
  const act = typeof g === "object" && g !== null ? g : activationByName(g, "activationDerivative");
  return Z.map((z) => act.derivative(z));
}

/**
 * Softmax of every row: p_j = e^(z_j − m) / Σ_k e^(z_k − m) with m the row's maximum. Subtracting m changes
 * nothing mathematically (it cancels) but keeps every exponent ≤ 0, so scores of 1000 do not overflow to Infinity.
 */
export function softmaxRows(Z: Matrix): Matrix {
  checkMatrix("softmaxRows", "Z", Z);
  return softmaxRowsInto(Z, new Matrix(Z.rows, Z.cols));
}

/** softmaxRows written into `out`, a matrix of Z's shape: for a layer that reuses its buffers. */
function softmaxRowsInto(Z: Matrix, out: Matrix): Matrix {
  const z = Z.data;
  const p = out.data;
  for (let i = 0; i < Z.rows; i++) {
    const start = i * Z.cols;
    let max = -Infinity;
    for (let j = 0; j < Z.cols; j++) max = Math.max(max, z[start + j]);
    if (!Number.isFinite(max))
      throw new Error(
        `softmaxRows: row ${i} contains ${max === -Infinity ? "only -Infinity or no values" : max}`,
      );
    let sum = 0;
    for (let j = 0; j < Z.cols; j++) {
      const e = Math.exp(z[start + j] - max);
      p[start + j] = e;
      sum += e;
    }
    for (let j = 0; j < Z.cols; j++) p[start + j] /= sum;
  }
  return out;
}

/** Softmax of a single list of scores (for showing the idea on a few numbers). */
export function softmax(scores: readonly number[]): number[] {
  if (!Array.isArray(scores) && !ArrayBuffer.isView(scores))
    throw new TypeError(
      `softmax: scores must be an array of numbers, got ${describeValue(scores)}`,
    );
  return Array.from(softmaxRows(Matrix.fromRow(scores)).data);
}

/** The activation of a layer: one of the element-wise activations above, or the softmax over each row. */
export type LayerActivation = ActivationName | "softmax";

/**
 * What a layer needs of its activation for a whole batch: the outputs A = g(Z), and the way back from
 * ∂L/∂A to ∂L/∂Z. Element-wise activations go back through g'(Z) entry by entry; the softmax couples the
 * outputs of a row, so it needs the whole row.
 */
export interface LayerActivationFunction {
  readonly name: LayerActivation;
  /** The fewest units a layer with this activation can have. */
  readonly minUnits: number;
  /** A = g(Z): a new matrix, or `out` (Z's shape, not Z itself) written and returned. */
  forward(Z: Matrix, out?: Matrix): Matrix;
  /**
   * ∂L/∂Z from dA = ∂L/∂A, for the Z and A of one forward pass: a new matrix, or `out` (Z's shape; it
   * may be dA itself) written and returned.
   */
  backward(dA: Matrix, Z: Matrix, A: Matrix, out?: Matrix): Matrix;
}

function elementwise(g: Activation): LayerActivationFunction {
  return {
    name: g.name,
    minUnits: 1,
    forward(Z, out = new Matrix(Z.rows, Z.cols)) {
      const z = Z.data;
      const a = out.data;
      for (let p = 0; p < z.length; p++) a[p] = g.value(z[p]);
      return out;
    },
    // dA ⊙ g'(Z), one entry at a time (the product of the same two numbers as dA.mul(g'(Z)))
    backward(dA, Z, _A, out = new Matrix(Z.rows, Z.cols)) {
      const d = dA.data;
      const z = Z.data;
      const o = out.data;
      for (let p = 0; p < z.length; p++) o[p] = d[p] * g.derivative(z[p]);
      return out;
    },
  };
}

/** Softmax of every row; going back, ∂L/∂z_j = p_j·(∂L/∂p_j − Σ_k ∂L/∂p_k·p_k) within each row. */
const softmaxLayer: LayerActivationFunction = {
  name: "softmax",
  minUnits: 2, // one unit would always output probability 1
  // In a layer, scores that overflowed give NaN outputs (and fit stops, naming the batch) rather than
  // an error from inside the forward pass; softmaxRows itself refuses them.
  forward: (Z, out = new Matrix(Z.rows, Z.cols)) =>
    Z.isFinite() ? softmaxRowsInto(Z, out) : out.fill(NaN),
  // (each row's dot product is complete before its entries are written, so `out` may be dA)
  backward(dA, _Z, P, out = new Matrix(P.rows, P.cols)) {
    const [d, p, o, cols] = [dA.data, P.data, out.data, P.cols];
    for (let i = 0; i < P.rows; i++) {
      const row = i * cols;
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += d[row + j] * p[row + j];
      for (let j = 0; j < cols; j++) o[row + j] = p[row + j] * (d[row + j] - dot);
    }
    return out;
  },
};

/** Every activation a layer can have, by name. */
export const layerActivations: Readonly<Record<LayerActivation, LayerActivationFunction>> = {
  ...(Object.fromEntries(Object.values(activations).map((g) => [g.name, elementwise(g)])) as Record<
    ActivationName,
    LayerActivationFunction
  >),
  softmax: softmaxLayer,
};

/** The layer activation with this name, or an error that lists the known ones. */
export function layerActivationByName(
  name: string,
  owner = "layerActivationByName",
): LayerActivationFunction {
  const found = Object.prototype.hasOwnProperty.call(layerActivations, name)
    ? (layerActivations as Record<string, LayerActivationFunction>)[name]
    : undefined;
  if (!found) throw unknownName(owner, "activation", name, Object.keys(layerActivations));
  return found;
}
