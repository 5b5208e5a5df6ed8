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
  activations,
  type LayerActivation,
  type LayerActivationFunction,
  layerActivationByName,
  unknownName,
} from "./activations";
import {
  checkBoolean,
  checkInRange,
  checkNonNegative,
  checkPositiveInteger,
  describeValue,
  rejectUnknownOptions,
} from "../core/checks";
import {
  checkTargetRowsSumToOne,
  type Loss,
  type LossName,
  lossByName,
  type OutputLoss,
  outputLoss,
  type Upstream,
} from "./losses";
import { gemm, Matrix, assertFinite, checkMatrix, entryPosition } from "../core/matrix";
import { classesOf } from "./metrics";
import type { Parameter } from "./optimizers";
import { Random, checkRandom } from "../core/random";

/**
 * How weights start:
 * - "normal": N(0, 1) weights and biases (Nielsen's network.py);
 * - "xavier": N(0, 2/(inputs + units)) weights, zero biases (Glorot & Bengio; their derivation assumes a
 *   zero-centred activation such as tanh);
 * - "he": N(0, 2/inputs) weights, zero biases (He et al., for ReLU).
 */
export type InitScheme = "normal" | "xavier" | "he";

const INIT_SCHEMES: InitScheme[] = ["normal", "xavier", "he"];

function checkInit(owner: string, init: unknown): void {
  if (!INIT_SCHEMES.includes(init as InitScheme))
    throw unknownName(owner, "init", init, INIT_SCHEMES);
}

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

/**
 * The matrices a layer writes while `fit` trains it, made once per batch size and reused by every batch
 * of that size: training then allocates nothing per batch. What they hold is overwritten by the next batch.
 */
interface Scratch {
  Z: Matrix;
  A: Matrix;
  mask: Matrix;
  /** A ⊙ mask, the output after dropout. */
  dropped: Matrix;
  dZ: Matrix;
  /** ∂L/∂X, the previous layer's ∂L/∂A. */
  dX: Matrix;
}

/** Above this many entries a scratch matrix is an ordinary one, so that a huge batch cannot fill WebAssembly's memory. */
const RESIDENT_SCRATCH_ENTRIES = 1 << 20;

function scratchMatrix(rows: number, cols: number): Matrix {
  return rows * cols <= RESIDENT_SCRATCH_ENTRIES
    ? Matrix.resident(rows, cols)
    : new Matrix(rows, cols);
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
  /** Scratch matrices by batch size: fit's full batches and its last, shorter one. */
  private readonly scratch = new Map<number, Scratch>();

  constructor(inputs: number, units: number, activation: LayerActivation, options: DenseOptions) {
    rejectUnknownOptions("Dense", options, ["init", "random", "dropout"]);
    checkPositiveInteger("Dense", "inputs", inputs);
    checkPositiveInteger("Dense", "units", units);
    this.g = layerActivationByName(activation, "Dense");
    if (units < this.g.minUnits)
      throw new RangeError(`Dense: a ${activation} layer needs at least ${this.g.minUnits} units`);
    const { init, random, dropout = 0 } = options;
    checkInit("Dense", init);
    checkRandom("Dense", "random", random);
    checkInRange("Dense", "dropout", dropout, [0, 1]);
    // Parameters and gradients live where gemm and the optimisers reach them without copying.
    const [weights, bias] = initialParameters(init, inputs, units, random);
    this.weights = residentCopy(weights);
    this.bias = residentCopy(bias);
    this.gradWeights = Matrix.resident(units, inputs);
    this.gradBias = Matrix.resident(1, units);
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
   * dropout), so that nothing changes at prediction time, which needs no generator. The layer keeps a
   * copy of X and returns a copy of A, so that nothing the caller holds can change what backward
   * computes; `Network`, which owns both, passes `copy = false` and saves the memory. Called directly,
   * the layer checks that every entry of X is finite; `Network` checked its data where they came in.
   * With `reuse` (fit's training step, through `Network`), the results are written into the layer's
   * scratch matrices for this batch size, which the next batch overwrites: no allocation per batch.
   */
  forward(X: Matrix, training?: { random: Random }, copy = true, reuse = false): Matrix {
    checkLayerInput(X, this.inputs, training, copy);
    const s = reuse ? this.scratchFor(X.rows) : undefined;
    const Z = gemm(X, this.weights, { transB: true, out: s?.Z }).addRowVectorInPlace(this.bias);
    const A = this.g.forward(Z, s?.A);
    this.saved = { X: copy ? X.clone() : X, Z, A };
    if (!training || this.dropout === 0) return copy ? A.clone() : A;
    const keep = 1 - this.dropout;
    // One uniform draw per output, in row-major order: kept (scaled by 1/q) where it falls below q.
    const mask = s?.mask ?? new Matrix(A.rows, A.cols);
    training.random.dropoutMask(mask.data, keep);
    this.saved.mask = mask;
    return A.mul(mask, s?.dropped);
  }

  /**
   * Backpropagation through this layer for its last forward batch. `upstream` is ∂L/∂A of its outputs
   * (or ∂L/∂Z, when the loss has already gone through the activation). Stores ∇W = dZᵀ·X and
   * ∇b = Σ_rows dZ, and returns ∂L/∂X = dZ·W, the previous layer's ∂L/∂A, or null when `inputGradient`
   * is false: the first layer's input is the data, and skipping that product saves a third of the work
   * for a 784-input layer. With `reuse`, as in `forward`: ∂L/∂X is a scratch matrix of the layer.
   */
  backward(upstream: Upstream, inputGradient = true, reuse = false): Matrix | null {
    if (!this.saved) throw new Error("Dense.backward: called before forward");
    checkUpstream(upstream, this.saved.A);
    const { X, Z, A, mask } = this.saved;
    const s = reuse ? this.scratchFor(A.rows) : undefined;
    const dZ =
      "dZ" in upstream
        ? upstream.dZ
        : this.g.backward(mask ? upstream.dA.mul(mask, s?.dZ) : upstream.dA, Z, A, s?.dZ);
    gemm(dZ, X, { transA: true, out: this.gradWeights });
    sumRowsInto(dZ, this.gradBias);
    return inputGradient ? gemm(dZ, this.weights, { out: s?.dX }) : null;
  }

  /** This layer's scratch matrices for batches of `rows` rows, made on first use (two sizes kept). */
  private scratchFor(rows: number): Scratch {
    let s = this.scratch.get(rows);
    if (s) return s;
    if (this.scratch.size >= 2) this.scratch.clear(); // fit uses two sizes: its batches and the last
    const [units, inputs] = [this.units, this.inputs];
    const [Z, A, mask, dropped, dZ] = [0, 0, 0, 0, 0].map(() => scratchMatrix(rows, units));
    s = { Z, A, mask, dropped, dZ, dX: scratchMatrix(rows, inputs) };
    this.scratch.set(rows, s);
    return s;
  }

  /** Copies of the weighted sums Z and the outputs A (before dropout) of the last forward batch. */
  lastForward(): { Z: Matrix; A: Matrix } {
    const { Z, A } = this.cached();
    return { Z: Z.clone(), A: A.clone() };
  }

  /** The layer's own Z and A of the last forward batch, not copies: for `Network`, which only reads them. */
  cached(): { Z: Matrix; A: Matrix } {
    if (!this.saved) throw new Error("Dense.lastForward: no forward pass yet");
    return { Z: this.saved.Z, A: this.saved.A };
  }
}

/** ∇b = Σ_rows dZ, summed row after row (as `dZ.sum(0)`) into `out`, a 1×cols matrix. */
function sumRowsInto(dZ: Matrix, out: Matrix): void {
  const [d, o, cols] = [dZ.data, out.data, dZ.cols];
  o.fill(0);
  for (let i = 0; i < dZ.rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) o[j] += d[base + j];
  }
}

/**
 * A batch for a layer of `inputs` inputs: a Matrix with that many columns (and, when `entries`, every
 * entry finite), and `training` absent or `{ random }`.
 */
function checkLayerInput(X: Matrix, inputs: number, training: unknown, entries: boolean): void {
  checkMatrix("Dense.forward", "X", X);
  if (X.cols !== inputs)
    throw new Error(
      `Dense.forward: input has ${X.cols} features per example, the layer expects ${inputs}`,
    );
  const random =
    training !== null && typeof training === "object"
      ? (training as { random?: unknown }).random
      : undefined;
  if (training !== undefined && !(random instanceof Random))
    throw new TypeError(
      `Dense.forward: training must be omitted or { random: Random } (the generator of the ` +
        `dropout masks), got ${describeValue(training)}`,
    );
  if (entries) assertFinite(X, "Dense.forward: X");
}

/** ∂L/∂A or ∂L/∂Z for the last forward batch: `{ dA }` or `{ dZ }`, shaped like the layer's outputs. */
function checkUpstream(upstream: Upstream, A: Matrix): void {
  const key = upstream !== null && typeof upstream === "object" && "dZ" in upstream ? "dZ" : "dA";
  const value = (upstream as Record<string, unknown> | null)?.[key];
  if (!(value instanceof Matrix))
    throw new TypeError(
      `Dense.backward: upstream must be { dA: Matrix } or { dZ: Matrix }, got ${describeValue(upstream)}`,
    );
  if (value.rows !== A.rows || value.cols !== A.cols)
    throw new Error(
      `Dense.backward: upstream ${key} is ${value.shapeString}, expected ${A.shapeString} (the last forward batch)`,
    );
}

/** `x`'s entries in a matrix of WebAssembly memory (Matrix.resident). */
function residentCopy(x: Matrix): Matrix {
  const copy = Matrix.resident(x.rows, x.cols);
  copy.data.set(x.data);
  return copy;
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

/** What fit records of one epoch (networks/fit.ts), kept in `Network.history`. */
export interface EpochLog {
  /** 1-based. */
  epoch: number;
  /** Mean training loss over the epoch's batches (with dropout, as trained). */
  loss: number;
  /** Training accuracy over the epoch's batches, as predicted while training. */
  accuracy: number;
  validationLoss?: number;
  validationAccuracy?: number;
  /** Seconds the epoch took, including validation. */
  seconds: number;
}

/** Every epoch a network has been trained for, by fit. */
export interface History {
  loss: number[];
  accuracy: number[];
  validationLoss: number[];
  validationAccuracy: number[];
  epochs: EpochLog[];
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
  /** How the weights were initialised (kept so that a saved network says how it started). */
  readonly init: InitScheme;
  /** The history of the last `fit` on this network, kept even when that run was interrupted. */
  history?: History;
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
    this.loss = lossByName(options.loss ?? "mse", "Network");
    this.random = options.random ?? new Random();
    this.sizes = [...sizes];
    this.l2 = l2;
    this.init = init;
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
    return this.forward(X, false, "Network.predict");
  }

  /** The predicted class of each row: the arg-max output, or output ≥ 0.5 for a single output unit. */
  classify(X: Matrix): number[] {
    return classesOf(this.predict(X));
  }

  /** The output layer's weighted sums Z_L for a batch, without dropout: the scores (logits). */
  logits(X: Matrix): Matrix {
    this.forward(X, false, "Network.logits");
    return this.layers[this.layers.length - 1].lastForward().Z;
  }

  /** The forward pass, layer by layer; `training` switches dropout on. */
  forward(X: Matrix, training = false, owner = "Network.forward"): Matrix {
    this.checkInputs(owner, X);
    checkBoolean(owner, "training", training);
    return this.propagate(X, training);
  }

  /**
   * The forward pass without the checks of `forward`, for data that were checked where they came in;
   * with `reuse`, into the layers' scratch matrices (see `backpropagate`).
   */
  private propagate(X: Matrix, training: boolean, reuse = false): Matrix {
    const dropout = training ? { random: this.random } : undefined;
    let A = X;
    // No copies: the batch and every layer's output stay inside this call and the backward pass after it.
    for (const layer of this.layers) A = layer.forward(A, dropout, false, reuse);
    return A;
  }

  /** The L2 penalty λ/(2N)·Σ‖W‖² for a training set of N examples. */
  l2Penalty(trainingSize: number): number {
    checkPositiveInteger("Network.l2Penalty", "trainingSize", trainingSize);
    if (this.l2 === 0) return 0;
    let sum = 0;
    for (const layer of this.layers) for (const w of layer.weights.data) sum += w * w;
    return (this.l2 / (2 * trainingSize)) * sum;
  }

  /**
   * The network on (X, Y) without dropout: its outputs, and its loss, the data loss plus the L2 term for
   * a training set of `trainingSize`.
   */
  evaluate(X: Matrix, Y: Matrix, trainingSize = X?.rows): BatchResult {
    this.checkData("Network.evaluate", X, Y);
    this.checkInputs("Network.evaluate", X, "inputs");
    checkPositiveInteger("Network.evaluate", "trainingSize", trainingSize);
    return this.measure(X, Y, trainingSize);
  }

  /**
   * evaluate without its checks of the arguments: for `fit`, which checked its validation data once
   * before the first epoch, so that measuring an epoch costs only the forward pass.
   */
  measure(X: Matrix, Y: Matrix, trainingSize: number): BatchResult {
    const output = this.propagate(X, false);
    return { loss: this.outputLossValue(Y) + this.l2Penalty(trainingSize), output };
  }

  /** The loss on (X, Y) without dropout, as `evaluate` computes it. */
  evaluateLoss(X: Matrix, Y: Matrix, trainingSize = X?.rows): number {
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
    rejectUnknownOptions("Network.computeGradients", options, ["training", "trainingSize"]);
    this.checkData("Network.computeGradients", X, Y);
    this.checkInputs("Network.computeGradients", X, "inputs");
    const { training = true, trainingSize = X.rows } = options;
    checkBoolean("Network.computeGradients", "training", training);
    checkPositiveInteger("Network.computeGradients", "trainingSize", trainingSize);
    return this.backpropagate(X, Y, training, trainingSize);
  }

  /**
   * computeGradients without its checks of the arguments: for `fit`, which checks the whole data set
   * once before the first batch, so that a batch costs only its forward and backward pass. With `reuse`
   * (fit's loop), every layer works in matrices it keeps from batch to batch, and `output` is one of
   * them: read it before the next batch, which overwrites it.
   */
  backpropagate(
    X: Matrix,
    Y: Matrix,
    training: boolean,
    trainingSize: number,
    reuse = false,
  ): BatchResult {
    const output = this.propagate(X, training, reuse); // the data were checked where they came in
    const loss = this.outputLossValue(Y) + this.l2Penalty(trainingSize);
    const { Z, A } = this.layers[this.layers.length - 1].cached();
    let upstream: Upstream = this.objective.upstream(Z, A, Y); // the loss owns the output error
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const dA = layer.backward(upstream, l > 0, reuse); // the first layer needs no gradient for the data
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
    const { Z, A } = this.layers[this.layers.length - 1].cached();
    return this.objective.value(Z, A, Y);
  }

  /**
   * A batch this network can take, checked where data come in: a Matrix with one column per input, every
   * entry finite (NaN and ±Infinity named with their row and column). `name` is the argument's name.
   */
  checkInputs(owner: string, X: Matrix, name = "input"): void {
    checkMatrix(owner, name, X);
    if (X.cols !== this.sizes[0])
      throw new Error(
        `${owner}: ${name} is ${X.shapeString} but the network expects ${this.sizes[0]} features per row`,
      );
    assertFinite(X, `${owner}: ${name}`);
  }

  /**
   * Inputs and targets that this network can learn from, checked before any work: matrices of the right
   * shapes, and targets the output layer can reach (in its activation's range; for categorical
   * cross-entropy, rows that are probabilities summing to 1). `owner` names the function called.
   */
  checkData(owner: string, X: Matrix, Y: Matrix): void {
    checkMatrix(owner, "inputs", X);
    checkMatrix(owner, "targets", Y);
    const outputUnits = this.sizes[this.sizes.length - 1];
    if (Y.rows !== X.rows || Y.cols !== outputUnits)
      throw new Error(
        `${owner}: targets are ${Y.shapeString} but ${X.rows} examples need ` +
          `${X.rows}×${outputUnits} targets (one column per output unit)`,
      );
    checkTargetValues(owner, Y, this.layers[this.layers.length - 1].activation, this.loss.name);
  }
}

/** The values each output activation can produce, inclusive: a target outside them can never be met. */
const OUTPUT_RANGES: Partial<Record<LayerActivation, readonly [number, number]>> = {
  step: [0, 1],
  sigmoid: [0, 1],
  softmax: [0, 1],
  tanh: [-1, 1],
  relu: [0, Infinity],
};

export function checkTargetValues(
  owner: string,
  Y: Matrix,
  output: LayerActivation,
  loss: LossName,
): void {
  const range = OUTPUT_RANGES[output];
  const y = Y.data;
  for (let p = 0; p < y.length; p++) {
    if (!Number.isFinite(y[p]) || (range && (y[p] < range[0] || y[p] > range[1]))) {
      const at = entryPosition(Y, p);
      const why = Number.isFinite(y[p])
        ? `is outside [${range![0]}, ${range![1]}], the range of the ${output} output layer`
        : "is not a finite number";
      throw new RangeError(`${owner}: target ${y[p]} at ${at} ${why}`);
    }
  }
  if (loss === "categoricalCrossEntropy") checkTargetRowsSumToOne(owner, Y);
}

function checkNetworkOptions(options: NetworkOptions): void {
  rejectUnknownOptions("Network", options, NETWORK_OPTIONS);
  const { sizes, l2 = 0, dropout = 0, init = "normal", hidden = "sigmoid" } = options;
  const { output = "sigmoid", loss = "mse" } = options;
  if (!Array.isArray(sizes) || sizes.length < 2)
    throw new (Array.isArray(sizes) ? RangeError : TypeError)(
      `Network: sizes needs at least an input and an output layer, such as [784, 30, 10], got ${describeValue(sizes)}`,
    );
  sizes.forEach((size, i) => checkPositiveInteger("Network", `sizes[${i}]`, size));
  if ((hidden as string) === "softmax")
    throw new RangeError(
      `Network: hidden cannot be "softmax": it couples a layer's units into one distribution, ` +
        `so it belongs to the output layer (output: "softmax"); use "relu", "tanh" or "sigmoid"`,
    );
  if (!Object.prototype.hasOwnProperty.call(activations, hidden))
    throw unknownName("Network: hidden", "activation", hidden, Object.keys(activations));
  layerActivationByName(output, "Network: output");
  lossByName(loss, "Network");
  checkInit("Network", init);
  checkNonNegative("Network", "l2", l2);
  checkInRange("Network", "dropout", dropout, [0, 1]);
  if (options.random !== undefined) checkRandom("Network", "random", options.random);
  checkLossFitsOutput(loss, output);
}

/** The cross-entropies need outputs that are probabilities: a softmax for categorical, a sigmoid for binary. */
export function checkLossFitsOutput(
  loss: LossName,
  output: LayerActivation,
  owner = "Network",
): void {
  if (loss === "categoricalCrossEntropy" && output !== "softmax")
    throw new Error(
      `${owner}: loss "categoricalCrossEntropy" needs output: "softmax" (a ${output} layer's outputs ` +
        `are not probabilities summing to 1); for independent yes/no outputs use "binaryCrossEntropy"`,
    );
  if (loss === "binaryCrossEntropy" && output !== "sigmoid" && output !== "softmax")
    throw new Error(
      `${owner}: loss "binaryCrossEntropy" needs outputs in [0, 1], output: "sigmoid", got output "${output}"`,
    );
}
