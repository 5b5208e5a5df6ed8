/**
 * A fully connected feed-forward network: a stack of `Dense` layers, trained by backpropagation on
 * mini-batches with one example per row. `new Network([784, 30, 10])` is Nielsen's network (sigmoid
 * everywhere, N(0, 1) weights and biases, quadratic cost); the options object configures everything else.
 *
 * Backpropagation, for a batch X with targets Y (n rows), layer by layer from the output back:
 *   output:  dZ_L = (A_L − Y)/n for sigmoid + binary CE or softmax + categorical CE,
 *            else dZ_L = ∂loss/∂A_L ⊙ g'(Z_L)
 *   layer l: ∇W_l = dZ_lᵀ·A_(l−1) (+ λ/N·W_l),  ∇b_l = Σ_rows dZ_l,  dA_(l−1) = dZ_l·W_l
 *            dZ_(l−1) = dA_(l−1) ⊙ g'(Z_(l−1))   (times the dropout mask, if any)
 */
import {
  type ActivationName,
  activationByName,
  activationDerivative,
  applyActivation,
  softmaxRows,
} from "./activations";
import { type Loss, type LossName, lossByName } from "./losses";
import { gemm, Matrix } from "./matrix";
import { classesOf } from "./metrics";
import type { Parameter } from "./optimizers";
import { rejectUnknownOptions } from "./options";
import { Random } from "./random";

export type LayerActivation = ActivationName | "softmax";
/**
 * How weights start:
 * - "normal": N(0, 1) weights and biases (Nielsen's network.py);
 * - "xavier": N(0, 2/(inputs + units)) weights, zero biases (Glorot & Bengio, for sigmoid and tanh);
 * - "he": N(0, 2/inputs) weights, zero biases (He et al., for ReLU).
 */
export type InitScheme = "normal" | "xavier" | "he";

/** One fully connected layer: A = g(X·Wᵀ + b), W is units×inputs, b is 1×units. */
export class Dense {
  readonly weights: Matrix;
  readonly bias: Matrix;
  readonly gradWeights: Matrix;
  readonly gradBias: Matrix;
  readonly activation: LayerActivation;
  /** Fraction of this layer's outputs dropped while training (inverted dropout); 0 = none. */
  readonly dropout: number;
  // Saved by forward() for backward().
  private input?: Matrix;
  private z?: Matrix;
  private a?: Matrix; // the activation's output, before dropout
  private mask?: Matrix;

  constructor(
    inputs: number,
    units: number,
    activation: LayerActivation,
    options: { init: InitScheme; random: Random; dropout?: number },
  ) {
    if (!Number.isInteger(inputs) || inputs < 1 || !Number.isInteger(units) || units < 1) {
      throw new Error(
        `Dense: inputs and units must be positive integers, got ${inputs} and ${units}`,
      );
    }
    if (activation !== "softmax") activationByName(activation); // rejects unknown names
    const dropout = options.dropout ?? 0;
    if (!(dropout >= 0 && dropout < 1))
      throw new Error(`Dense: dropout must be in [0, 1), got ${dropout}`);
    const { init, random } = options;
    if (init === "normal") {
      this.weights = random.normalMatrix(units, inputs);
      this.bias = random.normalMatrix(1, units);
    } else if (init === "xavier" || init === "he") {
      const std = Math.sqrt(init === "he" ? 2 / inputs : 2 / (inputs + units));
      this.weights = random.normalMatrix(units, inputs, 0, std);
      this.bias = Matrix.zeros(1, units);
    } else {
      throw new Error(`Dense: unknown init "${init as string}" (known: normal, xavier, he)`);
    }
    this.gradWeights = Matrix.zeros(units, inputs);
    this.gradBias = Matrix.zeros(1, units);
    this.activation = activation;
    this.dropout = dropout;
  }

  get inputs(): number {
    return this.weights.cols;
  }
  get units(): number {
    return this.weights.rows;
  }

  /** The layer's outputs for a batch. While training, dropout (if any) zeroes outputs at random. */
  forward(X: Matrix, training: boolean, random: Random): Matrix {
    if (X.cols !== this.inputs)
      throw new Error(
        `Dense: input has ${X.cols} features per example, the layer expects ${this.inputs}`,
      );
    const Z = gemm(X, this.weights, { transB: true }).addRowVector(this.bias);
    let A = this.activation === "softmax" ? softmaxRows(Z) : applyActivation(Z, this.activation);
    this.input = X;
    this.z = Z;
    this.a = A;
    this.mask = undefined;
    if (training && this.dropout > 0) {
      // Inverted dropout: keep each unit with probability q = 1 − p and scale the kept ones by 1/q, so that
      // nothing changes at test time.
      const keep = 1 - this.dropout;
      this.mask = Matrix.fromFunction(A.rows, A.cols, () =>
        random.uniform() < keep ? 1 / keep : 0,
      );
      A = A.mul(this.mask);
    }
    return A;
  }

  /**
   * Given dZ (∂loss/∂Z for this layer's last forward batch), stores ∇W and ∇b and returns ∂loss/∂X, or
   * null when `inputGradient` is false: the first layer's input is the data, and skipping that product
   * saves a third of the work for a 784-input layer.
   */
  backwardFromZ(dZ: Matrix, inputGradient = true): Matrix | null {
    if (!this.input) throw new Error("Dense: backward called before forward");
    gemm(dZ, this.input, { transA: true, out: this.gradWeights });
    this.gradBias.data.set(dZ.sum(0).data);
    return inputGradient ? gemm(dZ, this.weights) : null;
  }

  /** ∂loss/∂Z from ∂loss/∂A (for the last forward batch) through the dropout mask and the activation. */
  activationBackward(dA: Matrix): Matrix {
    if (!this.z || !this.a) throw new Error("Dense: backward called before forward");
    const dAkept = this.mask ? dA.mul(this.mask) : dA;
    if (this.activation !== "softmax")
      return dAkept.mul(activationDerivative(this.z, this.activation));
    // Softmax couples a row's outputs: dZ_j = p_j·(dA_j − Σ_k dA_k·p_k).
    const P = this.a;
    const dZ = new Matrix(P.rows, P.cols);
    for (let i = 0; i < P.rows; i++) {
      let dot = 0;
      for (let j = 0; j < P.cols; j++) dot += dAkept.get(i, j) * P.get(i, j);
      for (let j = 0; j < P.cols; j++) dZ.set(i, j, P.get(i, j) * (dAkept.get(i, j) - dot));
    }
    return dZ;
  }
}

export interface NetworkOptions {
  /** Units per layer, inputs first: [784, 30, 10]. */
  sizes: readonly number[];
  /** Activation of every hidden layer; default "sigmoid". */
  hidden?: ActivationName;
  /** Activation of the output layer; default "sigmoid". */
  output?: LayerActivation;
  /** Default "mse" (Nielsen's quadratic cost). */
  loss?: LossName;
  /** Default "normal" (Nielsen). */
  init?: InitScheme;
  /** L2 weight decay λ: adds λ/(2N)·Σ‖W‖² to the loss, N the training-set size. Default 0. */
  l2?: number;
  /** Dropout rate of the hidden layers while training. Default 0. */
  dropout?: number;
  /** Seeds the initial weights and the dropout masks. Default: the library's default seed. */
  random?: Random;
}

const NETWORK_OPTIONS = ["sizes", "hidden", "output", "loss", "init", "l2", "dropout", "random"];

/** What one forward and backward pass over a batch found. */
export interface BatchResult {
  /** The data loss (mean over the batch) plus the L2 term. */
  loss: number;
  /** The network's outputs for the batch. */
  output: Matrix;
}

export class Network {
  readonly layers: Dense[];
  readonly loss: Loss;
  readonly l2: number;
  readonly sizes: readonly number[];
  private readonly random: Random;

  constructor(sizesOrOptions: readonly number[] | NetworkOptions) {
    const options: NetworkOptions = Array.isArray(sizesOrOptions)
      ? { sizes: sizesOrOptions as readonly number[] }
      : (sizesOrOptions as NetworkOptions);
    rejectUnknownOptions("Network", options, NETWORK_OPTIONS);
    const {
      sizes,
      hidden = "sigmoid",
      output = "sigmoid",
      init = "normal",
      l2 = 0,
      dropout = 0,
    } = options;
    if (sizes.length < 2)
      throw new Error(
        `Network: sizes needs at least an input and an output layer, got [${sizes.join(", ")}]`,
      );
    if (!(l2 >= 0) || !Number.isFinite(l2)) throw new Error(`Network: l2 must be ≥ 0, got ${l2}`);
    this.loss = lossByName(options.loss ?? "mse");
    if (output === "softmax" && sizes[sizes.length - 1] < 2)
      throw new Error("Network: a softmax output needs at least 2 units");
    this.random = options.random ?? new Random();
    this.sizes = [...sizes];
    this.l2 = l2;
    const initRandom = this.random.fork("init");
    this.layers = sizes.slice(1).map((units, i) => {
      const last = i === sizes.length - 2;
      return new Dense(sizes[i], units, last ? output : hidden, {
        init,
        random: initRandom,
        dropout: last ? 0 : dropout,
      });
    });
  }

  /** The outputs for a batch (one example per row), without dropout. */
  predict(X: Matrix): Matrix {
    return this.forward(X, false);
  }

  /** The predicted class of each row: the arg-max output, or output ≥ 0.5 for a single output unit. */
  classify(X: Matrix): number[] {
    return classesOf(this.predict(X));
  }

  forward(X: Matrix, training: boolean): Matrix {
    if (X.cols !== this.sizes[0])
      throw new Error(
        `Network: input is ${X.shapeString} but the network expects ${this.sizes[0]} features per row`,
      );
    let A = X;
    for (const layer of this.layers) A = layer.forward(A, training, this.random);
    return A;
  }

  /** The L2 penalty λ/(2N)·Σ‖W‖² for a training set of N examples. */
  l2Penalty(trainingSize: number): number {
    if (this.l2 === 0) return 0;
    let sum = 0;
    for (const layer of this.layers) for (const w of layer.weights.data) sum += w * w;
    return (this.l2 / (2 * trainingSize)) * sum;
  }

  /** Loss on (X, Y) without dropout: the data loss plus the L2 term for a training set of `trainingSize`. */
  evaluateLoss(X: Matrix, Y: Matrix, trainingSize = X.rows): number {
    return this.loss.value(this.predict(X), Y) + this.l2Penalty(trainingSize);
  }

  /**
   * Forward and backward pass over one batch: fills every layer's gradWeights and gradBias with the
   * gradient of (mean batch loss + L2 term) and returns the loss. `trainingSize` is N in the L2 term.
   */
  computeGradients(
    X: Matrix,
    Y: Matrix,
    options: { training?: boolean; trainingSize?: number } = {},
  ): BatchResult {
    const { training = true, trainingSize = X.rows } = options;
    const outputUnits = this.sizes[this.sizes.length - 1];
    if (Y.rows !== X.rows || Y.cols !== outputUnits) {
      throw new Error(
        `Network: targets are ${Y.shapeString} but ${X.rows} examples need ${X.rows}×${outputUnits} targets (one column per output unit)`,
      );
    }
    const output = this.forward(X, training);
    const loss = this.loss.value(output, Y) + this.l2Penalty(trainingSize);
    const last = this.layers[this.layers.length - 1];
    const fused =
      (last.activation === "softmax" && this.loss.name === "categoricalCrossEntropy") ||
      (last.activation === "sigmoid" && this.loss.name === "binaryCrossEntropy");
    // The fused gradient (p − y)/n avoids dividing by p(1 − p), which underflows when a unit saturates.
    let dZ = fused
      ? output.sub(Y).scale(1 / X.rows)
      : last.activationBackward(this.loss.gradient(output, Y));
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const dX = layer.backwardFromZ(dZ, l > 0);
      if (this.l2 > 0) layer.gradWeights.addInPlace(layer.weights, this.l2 / trainingSize);
      if (dX) dZ = this.layers[l - 1].activationBackward(dX);
    }
    return { loss, output };
  }

  /** Every weight and bias matrix with its gradient, for an optimiser. */
  parameters(): Parameter[] {
    return this.layers.flatMap((layer, i) => [
      { name: `W${i + 1}`, value: layer.weights, grad: layer.gradWeights },
      { name: `b${i + 1}`, value: layer.bias, grad: layer.gradBias },
    ]);
  }

  /** A readable summary: "784 → 30 (sigmoid) → 10 (sigmoid), mse, 23860 parameters". */
  describe(): string {
    const layers = this.layers
      .map((l) => `${l.units} (${l.activation}${l.dropout ? `, dropout ${l.dropout}` : ""})`)
      .join(" → ");
    const count = this.layers.reduce((n, l) => n + l.weights.data.length + l.bias.data.length, 0);
    return `${this.sizes[0]} → ${layers}, ${this.loss.name}${this.l2 ? `, L2 λ = ${this.l2}` : ""}, ${count} parameters`;
  }
}
