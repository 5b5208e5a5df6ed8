/**
 * A fully connected feed-forward network: a stack of `Dense` layers, trained by backpropagation on
 * mini-batches with one example per row. `new Network([784, 30, 10])` is Nielsen's network (sigmoid
 * everywhere, N(0, 1) weights and biases, quadratic cost); the options object configures everything else.
 *
 * Backpropagation, for a batch X with targets Y (n rows), layer by layer from the output back:
 *   output:  the loss gives dZ_L (chapter 5's equation 1; see `outputLoss` in losses.ts)
 *   layer l: ∇W_l = dZ_lᵀ·A_(l−1) (+ λ/N·W_l),  ∇b_l = Σ_rows dZ_l,  dA_(l−1) = dZ_l·W_l,
 *            dZ_(l−1) = dA_(l−1) ⊙ g'(Z_(l−1))   (times the dropout mask, if any)
 */
import {
  type ActivationName,
  type LayerActivation,
  type LayerActivationFunction,
  layerActivationByName,
} from "./activations";
import {
  checkMatrix,
  checkNonNegative,
  checkPositiveInteger,
  checkRandom,
  rejectUnknownOptions,
} from "./checks";
import {
  type Loss,
  type LossName,
  lossByName,
  type OutputLoss,
  outputLoss,
  type Upstream,
} from "./losses";
import { gemm, Matrix } from "./matrix";
import { classesOf } from "./metrics";
import type { Parameter } from "./optimizers";
import { Random } from "./random";

/**
 * How weights start:
 * - "normal": N(0, 1) weights and biases (Nielsen's network.py);
 * - "xavier": N(0, 2/(inputs + units)) weights, zero biases (Glorot & Bengio; their derivation assumes a
 *   zero-centred activation such as tanh);
 * - "he": N(0, 2/inputs) weights, zero biases (He et al., for ReLU).
 */
export type InitScheme = "normal" | "xavier" | "he";

export interface DenseOptions {
  init: InitScheme;
  random: Random;
  /** Fraction of the outputs dropped while training (inverted dropout); default 0. */
  dropout?: number;
}

/** What a forward pass left for the backward pass. */
interface Saved {
  X: Matrix;
  Z: Matrix;
  /** The activation's output, before dropout. */
  A: Matrix;
  mask?: Matrix;
}

/** One fully connected layer: A = g(X·Wᵀ + b), W is units×inputs, b is 1×units. */
export class Dense {
  readonly weights: Matrix;
  readonly bias: Matrix;
  readonly gradWeights: Matrix;
  readonly gradBias: Matrix;
  readonly activation: LayerActivation;
  /** Fraction of this layer's outputs dropped while training (inverted dropout); 0 = none. */
  readonly dropout: number;
  private readonly g: LayerActivationFunction;
  private saved?: Saved;

  constructor(inputs: number, units: number, activation: LayerActivation, options: DenseOptions) {
    rejectUnknownOptions("Dense", options, ["init", "random", "dropout"]);
    checkPositiveInteger("Dense", "inputs", inputs);
    checkPositiveInteger("Dense", "units", units);
    this.g = layerActivationByName(activation);
    if (units < this.g.minUnits)
      throw new Error(`Dense: a ${activation} layer needs at least ${this.g.minUnits} units`);
    const { init, random, dropout = 0 } = options;
    checkRandom("Dense", "random", random);
    if (!(dropout >= 0 && dropout < 1))
      throw new Error(`Dense: dropout must be in [0, 1), got ${dropout}`);
    [this.weights, this.bias] = initialParameters(init, inputs, units, random);
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

  /**
   * The layer's outputs A = g(X·Wᵀ + b) for a batch. While training, give the generator that draws the
   * dropout masks: each output is then kept with probability q = 1 − p and scaled by 1/q (inverted
   * dropout), so that nothing changes at prediction time, which needs no generator.
   */
  forward(X: Matrix, training?: { random: Random }): Matrix {
    if (X.cols !== this.inputs)
      throw new Error(
        `Dense: input has ${X.cols} features per example, the layer expects ${this.inputs}`,
      );
    const Z = gemm(X, this.weights, { transB: true }).addRowVector(this.bias);
    const A = this.g.forward(Z);
    this.saved = { X, Z, A };
    if (!training || this.dropout === 0) return A;
    const keep = 1 - this.dropout;
    const mask = Matrix.fromFunction(A.rows, A.cols, () =>
      training.random.uniform() < keep ? 1 / keep : 0,
    );
    this.saved.mask = mask;
    return A.mul(mask);
  }

  /**
   * Backpropagation through this layer for its last forward batch. `upstream` is ∂L/∂A of its outputs
   * (or ∂L/∂Z, when the loss has already gone through the activation). Stores ∇W = dZᵀ·X and
   * ∇b = Σ_rows dZ, and returns ∂L/∂X = dZ·W, the previous layer's ∂L/∂A, or null when `inputGradient`
   * is false: the first layer's input is the data, and skipping that product saves a third of the work
   * for a 784-input layer.
   */
  backward(upstream: Upstream, inputGradient = true): Matrix | null {
    if (!this.saved) throw new Error("Dense: backward called before forward");
    const { X, Z, A, mask } = this.saved;
    const dZ =
      "dZ" in upstream
        ? upstream.dZ
        : this.g.backward(mask ? upstream.dA.mul(mask) : upstream.dA, Z, A);
    gemm(dZ, X, { transA: true, out: this.gradWeights });
    this.gradBias.data.set(dZ.sum(0).data);
    return inputGradient ? gemm(dZ, this.weights) : null;
  }

  /** The weighted sums Z and the outputs A (before dropout) of the last forward batch. */
  lastForward(): { Z: Matrix; A: Matrix } {
    if (!this.saved) throw new Error("Dense: no forward pass yet");
    return { Z: this.saved.Z, A: this.saved.A };
  }
}

/** The starting weights (units×inputs) and bias (1×units) for an initialisation scheme. */
function initialParameters(
  init: InitScheme,
  inputs: number,
  units: number,
  random: Random,
): [Matrix, Matrix] {
  if (init === "normal") return [random.normalMatrix(units, inputs), random.normalMatrix(1, units)];
  if (init === "xavier" || init === "he") {
    const std = Math.sqrt(init === "he" ? 2 / inputs : 2 / (inputs + units));
    return [random.normalMatrix(units, inputs, 0, std), Matrix.zeros(1, units)];
  }
  throw new Error(`Dense: unknown init "${init as string}" (known: normal, xavier, he)`);
}

export interface NetworkOptions {
  /** Units per layer, inputs first: [784, 30, 10]. */
  sizes: readonly number[];
  /** Activation of every hidden layer; default "sigmoid". */
  hidden?: ActivationName;
  /** Activation of the output layer; default "sigmoid". */
  output?: LayerActivation;
  /** Default "mse" (Nielsen's quadratic cost, without his ½: see `mse`). */
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
  /** The loss paired with the output layer's activation: it starts backpropagation. */
  private readonly objective: OutputLoss;
  private readonly random: Random;

  constructor(sizesOrOptions: readonly number[] | NetworkOptions) {
    const options = Array.isArray(sizesOrOptions)
      ? { sizes: sizesOrOptions as readonly number[] }
      : (sizesOrOptions as NetworkOptions);
    checkNetworkOptions(options);
    const {
      sizes,
      hidden = "sigmoid",
      output = "sigmoid",
      init = "normal",
      l2 = 0,
      dropout = 0,
    } = options;
    this.loss = lossByName(options.loss ?? "mse");
    this.random = options.random ?? new Random();
    this.sizes = [...sizes];
    this.l2 = l2;
    const initRandom = this.random.fork("init");
    this.layers = sizes.slice(1).map((units, i) => {
      const last = i === sizes.length - 2;
      const activation = last ? output : hidden;
      return new Dense(sizes[i], units, activation, {
        init,
        random: initRandom,
        dropout: last ? 0 : dropout,
      });
    });
    this.objective = outputLoss(this.loss, output);
  }

  /** The outputs for a batch (one example per row), without dropout. */
  predict(X: Matrix): Matrix {
    return this.forward(X);
  }

  /** The predicted class of each row: the arg-max output, or output ≥ 0.5 for a single output unit. */
  classify(X: Matrix): number[] {
    return classesOf(this.predict(X));
  }

  /** The output layer's weighted sums Z_L for a batch, without dropout: the scores (logits). */
  logits(X: Matrix): Matrix {
    this.forward(X);
    return this.layers[this.layers.length - 1].lastForward().Z;
  }

  /** The forward pass, layer by layer; `training` switches dropout on. */
  forward(X: Matrix, training = false): Matrix {
    checkMatrix("Network", "input", X);
    if (X.cols !== this.sizes[0])
      throw new Error(
        `Network: input is ${X.shapeString} but the network expects ${this.sizes[0]} features per row`,
      );
    const dropout = training ? { random: this.random } : undefined;
    let A = X;
    for (const layer of this.layers) A = layer.forward(A, dropout);
    return A;
  }

  /** The L2 penalty λ/(2N)·Σ‖W‖² for a training set of N examples. */
  l2Penalty(trainingSize: number): number {
    if (this.l2 === 0) return 0;
    let sum = 0;
    for (const layer of this.layers) for (const w of layer.weights.data) sum += w * w;
    return (this.l2 / (2 * trainingSize)) * sum;
  }

  /**
   * The network on (X, Y) without dropout: its outputs, and its loss, the data loss plus the L2 term for
   * a training set of `trainingSize`.
   */
  evaluate(X: Matrix, Y: Matrix, trainingSize = X.rows): BatchResult {
    this.checkTargets(X, Y);
    const output = this.forward(X);
    return { loss: this.outputLossValue(Y) + this.l2Penalty(trainingSize), output };
  }

  /** The loss on (X, Y) without dropout, as `evaluate` computes it. */
  evaluateLoss(X: Matrix, Y: Matrix, trainingSize = X.rows): number {
    return this.evaluate(X, Y, trainingSize).loss;
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
    this.checkTargets(X, Y);
    const output = this.forward(X, training);
    const loss = this.outputLossValue(Y) + this.l2Penalty(trainingSize);
    const { Z, A } = this.layers[this.layers.length - 1].lastForward();
    let upstream: Upstream = this.objective.upstream(Z, A, Y); // the loss owns the output error
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const dA = layer.backward(upstream, l > 0); // the first layer needs no gradient for the data
      if (this.l2 > 0) layer.gradWeights.addInPlace(layer.weights, this.l2 / trainingSize);
      if (dA) upstream = { dA };
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
    const l2 = this.l2 ? `, L2 λ = ${this.l2}` : "";
    return `${this.sizes[0]} → ${layers}, ${this.loss.name}${l2}, ${count} parameters`;
  }

  /** The data loss of the last forward pass (which was over the rows of Y). */
  private outputLossValue(Y: Matrix): number {
    const { Z, A } = this.layers[this.layers.length - 1].lastForward();
    return this.objective.value(Z, A, Y);
  }

  private checkTargets(X: Matrix, Y: Matrix): void {
    checkMatrix("Network", "targets", Y);
    const outputUnits = this.sizes[this.sizes.length - 1];
    if (Y.rows !== X.rows || Y.cols !== outputUnits)
      throw new Error(
        `Network: targets are ${Y.shapeString} but ${X.rows} examples need ` +
          `${X.rows}×${outputUnits} targets (one column per output unit)`,
      );
  }
}

function checkNetworkOptions(options: NetworkOptions): void {
  rejectUnknownOptions("Network", options, NETWORK_OPTIONS);
  const { sizes, l2 = 0 } = options;
  if (!Array.isArray(sizes) || sizes.length < 2)
    throw new Error(
      `Network: sizes needs at least an input and an output layer, got ${JSON.stringify(sizes)}`,
    );
  checkNonNegative("Network", "l2", l2);
}
