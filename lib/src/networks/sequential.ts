/**
 * A network of layers of any kind, one after the other (chapter 10): convolutions, pooling, flattening and
 * `Dense` layers, trained by the same `fit`, optimisers and divergence guard as `Network`.
 *
 *   const model = new Sequential({
 *     input: [1, 28, 28],
 *     layers: [
 *       { type: "conv2d", filters: 20, kernel: 5, activation: "relu" },
 *       { type: "maxPool2d" },
 *       { type: "flatten" },
 *       { type: "dense", units: 100, activation: "relu", dropout: 0.5 },
 *       { type: "dense", units: 10, activation: "softmax" },
 *     ],
 *     loss: "categoricalCrossEntropy",
 *     random: new Random("lenet"),
 *   });
 *
 * Each layer is built for the shape the previous one puts out, so a model is described by what it does,
 * and a layer that cannot take what comes in says so when the model is made. Every layer has `Dense`'s
 * interface, and backpropagation is `Network`'s loop: the loss starts it at the output layer (a `Dense`),
 * and each layer turns ∂L/∂(its outputs) into its gradients and ∂L/∂(its inputs).
 */
import { type ActivationName, type LayerActivation, layerActivationByName } from "./activations";
import {
  checkBoolean,
  checkInRange,
  checkNonNegative,
  checkPositiveInteger,
  describeValue,
  rejectUnknownOptions,
} from "../core/checks";
import { Matrix, assertFinite, checkMatrix } from "../core/matrix";
import { Random, checkRandom } from "../core/random";
import { Conv2D, checkImageShape, imageShapeString, type ImageShape } from "./conv";
import {
  type Loss,
  type LossName,
  lossByName,
  type OutputLoss,
  outputLoss,
  type Upstream,
} from "./losses";
import { classesOf } from "./metrics";
import {
  type BatchResult,
  checkLossFitsOutput,
  checkTargetValues,
  Dense,
  type History,
  type InitScheme,
} from "./network";
import type { Parameter } from "./optimizers";
import { Flatten, MaxPool2D } from "./pooling";

/** One layer of a `Sequential` model, as written in its options. */
export type LayerSpec =
  | { type: "conv2d"; filters: number; kernel: number; activation?: ActivationName }
  | { type: "maxPool2d" }
  | { type: "flatten" }
  | { type: "dense"; units: number; activation: LayerActivation; dropout?: number };

export type SequentialLayer = Conv2D | MaxPool2D | Flatten | Dense;

export interface SequentialOptions {
  /** The shape of one example: [channels, height, width] for images, or a number of features. */
  input: ImageShape | number;
  /** The layers, first to last; the last is a `dense` layer, the output. */
  layers: LayerSpec[];
  /** Default "categoricalCrossEntropy" (with a softmax output layer). */
  loss?: LossName;
  /** How every layer's weights start; default "he" (for ReLU). See `InitScheme`. */
  init?: InitScheme;
  /** L2 weight decay λ on every layer's weights (filters included): adds λ/(2N)·Σ‖W‖². Default 0. */
  l2?: number;
  /** Seeds the initial weights and the dropout masks. Default: the library's default seed. */
  random?: Random;
}

/**
 * What `fit`, its divergence guard and `gradientCheck` need of a model: `Network` and `Sequential` are both
 * `Trainable`. `sizes` are the entries per example before the first layer and after each layer.
 */
export interface Trainable {
  readonly loss: Loss;
  readonly sizes: readonly number[];
  readonly layers: readonly SequentialLayer[];
  history?: History;
  checkData(owner: string, X: Matrix, Y: Matrix): void;
  checkInputs(owner: string, X: Matrix, name?: string): void;
  backpropagate(
    X: Matrix,
    Y: Matrix,
    training: boolean,
    trainingSize: number,
    reuse?: boolean,
  ): BatchResult;
  computeGradients(
    X: Matrix,
    Y: Matrix,
    options?: { training?: boolean; trainingSize?: number },
  ): BatchResult;
  measure(X: Matrix, Y: Matrix, trainingSize: number): BatchResult;
  evaluateLoss(X: Matrix, Y: Matrix, trainingSize?: number): number;
  parameters(): Parameter[];
}

/**
 * Rows per pass when predicting or measuring: a convolution's patches take C·k·k entries per position
 * (25 × 576 for a 5×5 layer on MNIST, 115 KB an image), so a validation set goes through in slices.
 */
const ROWS_PER_PASS = 256;

type Shape = ImageShape | readonly [number];

export class Sequential implements Trainable {
  readonly layers: readonly SequentialLayer[];
  readonly loss: Loss;
  readonly l2: number;
  readonly init: InitScheme;
  /** The shape of an example: before the first layer, then after each layer. */
  readonly shapes: readonly Shape[];
  readonly sizes: readonly number[];
  /** The options it was made with (kept so that a saved model says how it was built). */
  readonly specs: readonly LayerSpec[];
  history?: History;
  private readonly objective: OutputLoss;
  private readonly random: Random;

  constructor(options: SequentialOptions) {
    rejectUnknownOptions("Sequential", options, [
      "input",
      "layers",
      "loss",
      "init",
      "l2",
      "random",
    ]);
    const { input, layers, loss = "categoricalCrossEntropy", init = "he", l2 = 0 } = options;
    const first: Shape = typeof input === "number" ? [input] : input;
    if (typeof input === "number") checkPositiveInteger("Sequential", "input", input);
    else checkImageShape("Sequential", "input", input);
    checkLayerList(layers);
    this.loss = lossByName(loss, "Sequential");
    if (!["normal", "xavier", "he"].includes(init))
      throw new RangeError(
        `Sequential: unknown init ${describeValue(init)} (known: normal, xavier, he)`,
      );
    checkNonNegative("Sequential", "l2", l2);
    if (options.random !== undefined) checkRandom("Sequential", "random", options.random);
    this.random = options.random ?? new Random();
    const initRandom = this.random.fork("init");
    const built: SequentialLayer[] = [];
    const shapes: Shape[] = [first];
    layers.forEach((spec, i) => {
      const layer = buildLayer(spec, shapes[i], i, layers.length, init, initRandom);
      built.push(layer);
      shapes.push(layer instanceof Dense ? [layer.units] : layer.output);
    });
    const output = built[built.length - 1] as Dense;
    checkLossFitsOutput(loss, output.activation, "Sequential");
    this.layers = built;
    this.shapes = shapes;
    this.sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
    this.specs = layers.map((spec) => ({ ...spec }));
    this.init = init;
    this.l2 = l2;
    this.objective = outputLoss(this.loss, output.activation);
  }

  /** The outputs for a batch (one example per row), without dropout. */
  predict(X: Matrix): Matrix {
    this.checkInputs("Sequential.predict", X);
    return this.inSlices(X, undefined).output;
  }

  /** The predicted class of each row (the arg-max output). */
  classify(X: Matrix): number[] {
    return classesOf(this.predict(X));
  }

  /** The loss on (X, Y) without dropout, plus the L2 term for a training set of `trainingSize`. */
  evaluateLoss(X: Matrix, Y: Matrix, trainingSize = X?.rows): number {
    this.checkData("Sequential.evaluateLoss", X, Y);
    this.checkInputs("Sequential.evaluateLoss", X, "inputs");
    checkPositiveInteger("Sequential.evaluateLoss", "trainingSize", trainingSize);
    return this.measure(X, Y, trainingSize).loss;
  }

  /** `evaluateLoss` and the outputs, without the checks: for `fit`, which checked its data once. */
  measure(X: Matrix, Y: Matrix, trainingSize: number): BatchResult {
    const { output, loss } = this.inSlices(X, Y);
    return { output, loss: loss + this.l2Penalty(trainingSize) };
  }

  /**
   * Forward and backward pass over one batch: fills every layer's gradients with those of (mean batch loss
   * + L2 term) and returns the loss, as `Network.computeGradients`.
   */
  computeGradients(
    X: Matrix,
    Y: Matrix,
    options: { training?: boolean; trainingSize?: number } = {},
  ): BatchResult {
    rejectUnknownOptions("Sequential.computeGradients", options, ["training", "trainingSize"]);
    this.checkData("Sequential.computeGradients", X, Y);
    this.checkInputs("Sequential.computeGradients", X, "inputs");
    const { training = true, trainingSize = X.rows } = options;
    checkBoolean("Sequential.computeGradients", "training", training);
    checkPositiveInteger("Sequential.computeGradients", "trainingSize", trainingSize);
    return this.backpropagate(X, Y, training, trainingSize);
  }

  /** computeGradients without its checks, for `fit`; with `reuse`, in the layers' scratch matrices. */
  backpropagate(
    X: Matrix,
    Y: Matrix,
    training: boolean,
    trainingSize: number,
    reuse = false,
  ): BatchResult {
    const output = this.propagate(X, training, reuse);
    const { Z, A } = this.outputLayer.cached();
    const loss = this.objective.value(Z, A, Y) + this.l2Penalty(trainingSize);
    let upstream: Upstream = this.objective.upstream(Z, A, Y);
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const dA = layer.backward(upstream, l > 0, reuse); // the data need no gradient
      if (this.l2 > 0 && !(layer instanceof MaxPool2D || layer instanceof Flatten))
        layer.gradWeights.addInPlace(layer.weights, this.l2 / trainingSize);
      if (dA) upstream = { dA };
    }
    return { loss, output };
  }

  /** Every filter, weight and bias matrix with its gradient (W1, b1 for layer 1, …), for an optimiser. */
  parameters(): Parameter[] {
    return this.layers.flatMap((layer, i) =>
      layer instanceof MaxPool2D || layer instanceof Flatten
        ? []
        : [
            { name: `W${i + 1}`, value: layer.weights, grad: layer.gradWeights },
            { name: `b${i + 1}`, value: layer.bias, grad: layer.gradBias },
          ],
    );
  }

  /** The L2 penalty λ/(2N)·Σ‖W‖² over every layer's weights, for a training set of N examples. */
  l2Penalty(trainingSize: number): number {
    if (this.l2 === 0) return 0;
    let sum = 0;
    for (const { name, value } of this.parameters())
      if (name.startsWith("W")) for (const w of value.data) sum += w * w;
    return (this.l2 / (2 * trainingSize)) * sum;
  }

  /** One line per layer and the number of parameters. */
  describe(): string {
    const lines = this.layers.map((layer, i) =>
      layer instanceof Dense
        ? `dense ${layer.units}, ${layer.activation}${layer.dropout ? `, dropout ${layer.dropout}` : ""}: ${this.sizes[i]} → ${layer.units}`
        : layer.describe(),
    );
    const count = this.parameters().reduce((n, p) => n + p.value.data.length, 0);
    const l2 = this.l2 ? `, L2 λ = ${this.l2}` : "";
    return `${lines.join("\n")}\n${this.loss.name}${l2}, ${count} parameters`;
  }

  /** A batch this model can take: one row of `sizes[0]` finite entries per example. */
  checkInputs(owner: string, X: Matrix, name = "input"): void {
    checkMatrix(owner, name, X);
    if (X.cols !== this.sizes[0])
      throw new Error(
        `${owner}: ${name} is ${X.shapeString} but the model expects ${describeShape(this.shapes[0])} per row`,
      );
    assertFinite(X, `${owner}: ${name}`);
  }

  /** Inputs and targets this model can learn from (as `Network.checkData`). */
  checkData(owner: string, X: Matrix, Y: Matrix): void {
    checkMatrix(owner, "inputs", X);
    checkMatrix(owner, "targets", Y);
    const outputs = this.sizes[this.sizes.length - 1];
    if (Y.rows !== X.rows || Y.cols !== outputs)
      throw new Error(
        `${owner}: targets are ${Y.shapeString} but ${X.rows} examples need ${X.rows}×${outputs} targets (one column per output unit)`,
      );
    checkTargetValues(owner, Y, this.outputLayer.activation, this.loss.name);
  }

  private get outputLayer(): Dense {
    return this.layers[this.layers.length - 1] as Dense;
  }

  /** The forward pass, layer by layer, without checks; `training` switches dropout on. */
  private propagate(X: Matrix, training: boolean, reuse = false): Matrix {
    const dropout = training ? { random: this.random } : undefined;
    let A = X;
    for (const layer of this.layers) A = layer.forward(A, dropout, false, reuse);
    return A;
  }

  /**
   * The outputs for X without dropout, and the mean loss on Y if given, `ROWS_PER_PASS` rows at a time
   * (rows do not depend on each other: the same bits as one pass).
   */
  private inSlices(X: Matrix, Y: Matrix | undefined): { output: Matrix; loss: number } {
    const output = new Matrix(X.rows, this.sizes[this.sizes.length - 1]);
    let lossSum = 0;
    for (let start = 0; start < X.rows; start += ROWS_PER_PASS) {
      const rows = Math.min(ROWS_PER_PASS, X.rows - start);
      output.data.set(this.propagate(rowSlice(X, start, rows), false).data, start * output.cols);
      if (!Y) continue;
      const { Z, A } = this.outputLayer.cached();
      lossSum += this.objective.value(Z, A, rowSlice(Y, start, rows)) * rows;
    }
    return { output, loss: lossSum / X.rows };
  }
}

/** Rows start … start + count − 1 of M, sharing its storage. */
function rowSlice(M: Matrix, start: number, count: number): Matrix {
  return new Matrix(count, M.cols, M.data.subarray(start * M.cols, (start + count) * M.cols));
}

/** "1×28×28 images (784 entries)" or "784 features". */
function describeShape(shape: Shape): string {
  return shape.length === 3
    ? `${imageShapeString(shape as ImageShape)} images (${shape[0] * shape[1] * shape[2]} entries)`
    : `${shape[0]} features`;
}

const LAYER_TYPES = ["conv2d", "maxPool2d", "flatten", "dense"];

function checkLayerList(layers: unknown): asserts layers is LayerSpec[] {
  if (!Array.isArray(layers) || layers.length === 0)
    throw new TypeError(
      `Sequential: layers must be a non-empty array of layers such as { type: "dense", units: 10, activation: "softmax" }, got ${describeValue(layers)}`,
    );
  layers.forEach((spec, i) => {
    const type = (spec as { type?: unknown })?.type;
    if (!LAYER_TYPES.includes(type as string))
      throw new TypeError(
        `Sequential: layers[${i}] must have a type among ${LAYER_TYPES.join(", ")}, got ${describeValue(spec)}`,
      );
  });
  const last = layers[layers.length - 1] as LayerSpec;
  if (last.type !== "dense")
    throw new Error(
      `Sequential: the last layer must be a dense layer (the outputs the loss compares with the targets), got a ${last.type} layer`,
    );
}

/** The layer `spec` describes, for inputs of shape `shape`; `i` is its index among `count` layers. */
function buildLayer(
  spec: LayerSpec,
  shape: Shape,
  i: number,
  count: number,
  init: InitScheme,
  random: Random,
): SequentialLayer {
  const name = `Sequential: layers[${i}] (${spec.type})`;
  const after = i === 0 ? "the model's input" : `the output of layers[${i - 1}]`;
  if (spec.type === "dense") {
    rejectUnknownOptions(name, spec, ["type", "units", "activation", "dropout"]);
    if (shape.length !== 1)
      throw new Error(
        `${name} needs features, but ${after} is ${describeShape(shape)}: put { type: "flatten" } before it`,
      );
    checkPositiveInteger(name, "units", spec.units);
    if (spec.activation === "softmax" && i < count - 1)
      throw new RangeError(`${name}: only the output layer can be "softmax"`);
    layerActivationByName(spec.activation, name);
    if (spec.dropout !== undefined) checkInRange(name, "dropout", spec.dropout, [0, 1]);
    if (spec.dropout && i === count - 1)
      throw new RangeError(`${name}: the output layer cannot have dropout (only hidden layers)`);
    return new Dense(shape[0], spec.units, spec.activation, {
      init,
      random,
      dropout: spec.dropout ?? 0,
    });
  }
  if (shape.length !== 3)
    throw new Error(
      `${name} needs images [channels, height, width], but ${after} is ${describeShape(shape)}`,
    );
  const image = shape as ImageShape;
  if (spec.type === "conv2d") {
    rejectUnknownOptions(name, spec, ["type", "filters", "kernel", "activation"]);
    const { filters, kernel, activation } = spec;
    return withOwner(name, () => new Conv2D(image, { filters, kernel, activation, init, random }));
  }
  rejectUnknownOptions(name, spec, ["type"]);
  return withOwner(name, () =>
    spec.type === "maxPool2d" ? new MaxPool2D(image) : new Flatten(image),
  );
}

/** Runs `make`, and puts `owner` (which layer of the model) in front of its error's message. */
function withOwner<T>(owner: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof Error) error.message = `${owner}: ${error.message}`;
    throw error;
  }
}
