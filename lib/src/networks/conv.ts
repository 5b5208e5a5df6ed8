/**
 * Convolutions (chapter 10). An image batch is a Matrix with one example per row, each row an image of
 * C channels of H×W pixels stored channel after channel, row after row (C·H·W entries, "CHW"): MNIST's
 * 784-pixel rows are 1×28×28 images as they are. A convolutional layer of C_out filters of k×k pixels
 * (stride 1, no padding: "valid") turns a C×H×W image into C_out feature maps of (H−k+1)×(W−k+1):
 *
 *   Z[o, y, x] = b[o] + Σ_c Σ_i Σ_j W[o, c, i, j] · X[c, y + i, x + j],   A = g(Z)
 *
 * `convolve` is that formula as four loops, the reference the chapter shows and the tests compare with.
 * `Conv2D` computes the same thing as one matrix product, which is where the time goes: `im2col` copies
 * every k×k patch of every channel into a row of a matrix (n·H'·W' rows of C·k·k entries), and
 * Z = patches · Wᵀ is then one `gemm`, run by the WebAssembly kernels, skipping the patches' zeros and
 * split between threads, with the same bits whatever the number of threads. Its sums run over (c, i, j) in
 * the order the loops do, so the forward pass gives `convolve`'s bits exactly. Backward, ∇b is summed in
 * the loops' order (the same bits), but the products for ∇W and ∂L/∂X add their terms in groups of four
 * (kernels.ts) and col2im adds a pixel's terms patch by patch, so those differ from `convolveBackward`'s
 * in the last bits: on 10 MNIST digits, by at most 1.8e−15 (∇W) and 1.5e−15 (∂L/∂X) of the largest entry.
 */
import {
  type ActivationName,
  type LayerActivationFunction,
  layerActivationByName,
} from "./activations";
import { checkPositiveInteger, describeValue, rejectUnknownOptions } from "../core/checks";
import { gemm, Matrix, assertFinite, checkMatrix } from "../core/matrix";
import { Random, checkRandom } from "../core/random";
import type { Upstream } from "./losses";
import type { InitScheme } from "./network";

/** An image's shape: [channels, height, width]. */
export type ImageShape = readonly [channels: number, height: number, width: number];

/** "20×12×12" */
export function imageShapeString([c, h, w]: ImageShape): string {
  return `${c}×${h}×${w}`;
}

/** Entries of an image of this shape: C·H·W. */
export function imageSize([c, h, w]: ImageShape): number {
  return c * h * w;
}

/** The feature maps' shape after a valid k×k convolution with `filters` filters. */
export function convolvedShape([, h, w]: ImageShape, filters: number, kernel: number): ImageShape {
  return [filters, h - kernel + 1, w - kernel + 1];
}

// ------------------------------------------------------------------ the reference loops

/**
 * The convolution Z = W ∗ X + b, loop by loop, for a batch X (n × C·H·W, images of shape `input`), filters
 * W (C_out × C·k·k: filter o, channel c, row i, column j at column (c·k + i)·k + j) and biases b (1×C_out).
 * Returns Z, n × C_out·H'·W' (feature map o of example e at row e, columns o·H'·W' onwards).
 */
export function convolve(
  X: Matrix,
  W: Matrix,
  b: Matrix,
  input: ImageShape,
  kernel: number,
): Matrix {
  checkConvolution("convolve", X, W, b, input, kernel);
  const [C, H, Wd] = input;
  const k = kernel;
  const [Cout, outH, outW] = convolvedShape(input, W.rows, k);
  const Z = new Matrix(X.rows, Cout * outH * outW);
  const pixel = (e: number, c: number, y: number, x: number) =>
    X.data[e * X.cols + (c * H + y) * Wd + x];
  const weight = (o: number, c: number, i: number, j: number) =>
    W.data[o * W.cols + (c * k + i) * k + j];
  for (let e = 0; e < X.rows; e++)
    for (let o = 0; o < Cout; o++)
      for (let y = 0; y < outH; y++)
        for (let x = 0; x < outW; x++) {
          let sum = 0;
          for (let c = 0; c < C; c++)
            for (let i = 0; i < k; i++)
              for (let j = 0; j < k; j++) sum += pixel(e, c, y + i, x + j) * weight(o, c, i, j);
          Z.data[e * Z.cols + (o * outH + y) * outW + x] = sum + b.data[o];
        }
  return Z;
}

/**
 * Backpropagation through `convolve`, loop by loop: from dZ = ∂L/∂Z (Z's shape), the gradients of the
 * filters, the biases and the input. Every weight is used at every position of every example, so its
 * gradient sums over them all; every pixel feeds every position whose patch covers it.
 *   ∂L/∂W[o, c, i, j] = Σ_e Σ_y Σ_x dZ[e, o, y, x] · X[e, c, y + i, x + j]
 *   ∂L/∂b[o]          = Σ_e Σ_y Σ_x dZ[e, o, y, x]
 *   ∂L/∂X[e, c, y + i, x + j] += W[o, c, i, j] · dZ[e, o, y, x]   (over o, y, x, i, j)
 */
export function convolveBackward(
  X: Matrix,
  W: Matrix,
  dZ: Matrix,
  input: ImageShape,
  kernel: number,
): { dW: Matrix; db: Matrix; dX: Matrix } {
  checkConvolution("convolveBackward", X, W, Matrix.zeros(1, W.rows), input, kernel);
  const [C, H, Wd] = input;
  const k = kernel;
  const [Cout, outH, outW] = convolvedShape(input, W.rows, k);
  checkGradientShape("convolveBackward", dZ, X.rows, Cout * outH * outW);
  const [dW, db, dX] = [
    new Matrix(W.rows, W.cols),
    new Matrix(1, Cout),
    new Matrix(X.rows, X.cols),
  ];
  const at = (e: number, c: number, y: number, x: number) => e * X.cols + (c * H + y) * Wd + x;
  const filterAt = (o: number, c: number, i: number, j: number) => o * W.cols + (c * k + i) * k + j;
  for (let e = 0; e < X.rows; e++)
    for (let o = 0; o < Cout; o++)
      for (let y = 0; y < outH; y++)
        for (let x = 0; x < outW; x++) {
          const g = dZ.data[e * dZ.cols + (o * outH + y) * outW + x];
          db.data[o] += g;
          for (let c = 0; c < C; c++)
            for (let i = 0; i < k; i++)
              for (let j = 0; j < k; j++) {
                dW.data[filterAt(o, c, i, j)] += g * X.data[at(e, c, y + i, x + j)];
                dX.data[at(e, c, y + i, x + j)] += g * W.data[filterAt(o, c, i, j)];
              }
        }
  return { dW, db, dX };
}

// ------------------------------------------------------------------ im2col: a convolution as one product

/**
 * Every k×k patch of every channel, one patch per row: row e·H'·W' + y·W' + x holds the pixels that
 * position (y, x) of example e sees, column (c·k + i)·k + j = X[e, c, y + i, x + j]. Then
 * patches · Wᵀ is the convolution without its bias, one column per filter. Written into `out` if given.
 */
export function im2col(X: Matrix, input: ImageShape, kernel: number, out?: Matrix): Matrix {
  const [C, H, Wd] = input;
  const k = kernel;
  const [, outH, outW] = convolvedShape(input, 1, k);
  const patches = out ?? new Matrix(X.rows * outH * outW, C * k * k);
  const [x, p] = [X.data, patches.data];
  let q = 0; // the next entry of `patches`, written in order
  for (let e = 0; e < X.rows; e++)
    for (let y = 0; y < outH; y++)
      for (let xo = 0; xo < outW; xo++)
        for (let c = 0; c < C; c++)
          for (let i = 0; i < k; i++) {
            const from = e * X.cols + (c * H + y + i) * Wd + xo;
            for (let j = 0; j < k; j++) p[q++] = x[from + j];
          }
  return patches;
}

/** The way back through `im2col`: each patch entry's gradient added to the pixel it was copied from. */
export function col2im(
  dPatches: Matrix,
  rows: number,
  input: ImageShape,
  kernel: number,
  out?: Matrix,
): Matrix {
  const [C, H, Wd] = input;
  const k = kernel;
  const [, outH, outW] = convolvedShape(input, 1, k);
  const dX = out ? out.fill(0) : new Matrix(rows, C * H * Wd);
  const [d, p] = [dX.data, dPatches.data];
  let q = 0;
  for (let e = 0; e < rows; e++)
    for (let y = 0; y < outH; y++)
      for (let xo = 0; xo < outW; xo++)
        for (let c = 0; c < C; c++)
          for (let i = 0; i < k; i++) {
            const to = e * dX.cols + (c * H + y + i) * Wd + xo;
            for (let j = 0; j < k; j++) d[to + j] += p[q++];
          }
  return dX;
}

/**
 * Z (n × C_out·P, map after map) from the product's n·P × C_out rows, plus each map's bias; with `reluInto`,
 * also A = ReLU(Z) = max(Z, 0) in the same pass (activations.ts's `relu`, the same bits, without its check
 * of each argument's type: these are gemm's numbers, and on a LeNet-sized layer the checks and the extra
 * pass took a fifth of an epoch).
 */
function rowsToMaps(product: Matrix, bias: Matrix, Z: Matrix, reluInto?: Matrix): void {
  const [cout, positions] = [product.cols, Z.cols / product.cols];
  const [r, b, z, a] = [product.data, bias.data, Z.data, reluInto?.data];
  for (let e = 0; e < Z.rows; e++)
    for (let o = 0; o < cout; o++) {
      const to = e * Z.cols + o * positions;
      for (let p = 0; p < positions; p++) {
        z[to + p] = r[(e * positions + p) * cout + o] + b[o];
        if (a) a[to + p] = Math.max(z[to + p], 0); // NaN stays NaN
      }
    }
}

/**
 * The reverse of `rowsToMaps`: dZ's maps as n·P rows of C_out entries, and in the same pass ∇b, each
 * map's gradient summed over its positions and the examples (row after row, as `dZ.sum(0)` would). With
 * `reluOf` (the forward pass's Z), `d` is ∂L/∂A of a ReLU layer and is first multiplied by ReLU'(Z)
 * (1 for z ≥ 0, 0 below, NaN for NaN: activations.ts's derivative).
 */
function mapsToRows(d: Matrix, out: Matrix, gradBias: Matrix, reluOf?: Matrix): void {
  const [cout, positions] = [out.cols, d.cols / out.cols];
  const [g, r, db, z] = [d.data, out.data, gradBias.data, reluOf?.data];
  db.fill(0);
  for (let e = 0; e < d.rows; e++)
    for (let o = 0; o < cout; o++) {
      const from = e * d.cols + o * positions;
      for (let p = 0; p < positions; p++) {
        const q = from + p;
        const dz = z ? g[q] * (z[q] >= 0 ? 1 : z[q] < 0 ? 0 : NaN) : g[q];
        r[(e * positions + p) * cout + o] = dz;
        db[o] += dz;
      }
    }
}

// ------------------------------------------------------------------ the layer

export interface Conv2DOptions {
  /** Number of filters C_out, one feature map each. */
  filters: number;
  /** Side k of the square filters (k×k pixels per channel). */
  kernel: number;
  /** Applied to every entry of the feature maps; default "relu". */
  activation?: ActivationName;
  /** "he" (default): N(0, 2/(C·k·k)); "xavier": N(0, 2/((C + C_out)·k·k)); "normal": N(0, 1), biases too. */
  init?: InitScheme;
  random: Random;
}

/** Above this many entries a scratch matrix is an ordinary one (as in `Dense`). */
const RESIDENT_SCRATCH_ENTRIES = 1 << 20;

function scratchMatrix(rows: number, cols: number): Matrix {
  return rows * cols <= RESIDENT_SCRATCH_ENTRIES
    ? Matrix.resident(rows, cols)
    : new Matrix(rows, cols);
}

/** What one batch size needs, kept between batches of that size (see `Dense`'s scratch). */
interface ConvScratch {
  patches: Matrix;
  product: Matrix;
  Z: Matrix;
  A: Matrix;
  dZ: Matrix;
  dProduct: Matrix;
  dPatches?: Matrix;
  dX?: Matrix;
}

/**
 * A convolutional layer: C_out filters of k×k pixels over every channel of a C×H×W image, stride 1, no
 * padding, then an element-wise activation: A = g(W ∗ X + b) (see the top of this file). Its interface is
 * `Dense`'s, so that `Sequential` runs both alike: `forward(X, training?, copy?, reuse?)` and
 * `backward(upstream, inputGradient?, reuse?)`.
 */
export class Conv2D {
  readonly input: ImageShape;
  readonly output: ImageShape;
  readonly kernel: number;
  readonly weights: Matrix;
  readonly bias: Matrix;
  readonly gradWeights: Matrix;
  readonly gradBias: Matrix;
  readonly activation: ActivationName;
  private readonly g: LayerActivationFunction;
  /** The last forward batch's matrices: its patches (a copy of X in another order), Z and A. */
  private saved?: ConvScratch;
  private readonly scratch = new Map<number, ConvScratch>();

  constructor(input: ImageShape, options: Conv2DOptions) {
    rejectUnknownOptions("Conv2D", options, ["filters", "kernel", "activation", "init", "random"]);
    checkImageShape("Conv2D", "input", input);
    const { filters, kernel, activation = "relu", init = "he", random } = options;
    checkPositiveInteger("Conv2D", "filters", filters);
    checkPositiveInteger("Conv2D", "kernel", kernel);
    checkKernelFits("Conv2D", input, kernel);
    if ((activation as string) === "softmax")
      throw new RangeError(
        `Conv2D: activation cannot be "softmax" (it belongs to the output layer)`,
      );
    this.g = layerActivationByName(activation, "Conv2D");
    checkRandom("Conv2D", "random", random);
    this.input = [...input] as unknown as ImageShape;
    this.output = convolvedShape(input, filters, kernel);
    this.kernel = kernel;
    this.activation = activation;
    const fanIn = input[0] * kernel * kernel;
    const [W, b] = initialFilters(init, filters, fanIn, filters * kernel * kernel, random);
    this.weights = Matrix.resident(filters, fanIn);
    this.weights.data.set(W.data);
    this.bias = Matrix.resident(1, filters);
    this.bias.data.set(b.data);
    this.gradWeights = Matrix.resident(filters, fanIn);
    this.gradBias = Matrix.resident(1, filters);
  }

  /**
   * A = g(W ∗ X + b) for a batch X (n × C·H·W), as im2col + one `gemm`. `training` is accepted for
   * `Dense`'s interface (a convolution has no dropout); with `copy` false the layer returns its own A
   * rather than a copy, and leaves checking X's entries to the caller (`Sequential` checked them where
   * they came in); with `reuse` it works in matrices kept for this batch size.
   */
  forward(X: Matrix, _training?: { random: Random }, copy = true, reuse = false): Matrix {
    checkImages("Conv2D.forward", X, this.input, copy);
    const s = reuse ? this.scratchFor(X.rows) : this.newScratch(X.rows);
    im2col(X, this.input, this.kernel, s.patches);
    gemm(s.patches, this.weights, { transB: true, out: s.product }); // one row per position, one column per filter
    if (this.activation === "relu") {
      rowsToMaps(s.product, this.bias, s.Z, s.A); // A = ReLU(Z) in the same pass
    } else {
      rowsToMaps(s.product, this.bias, s.Z);
      this.g.forward(s.Z, s.A);
    }
    this.saved = s; // the patches are the layer's own copy of X: nothing the caller holds can change them
    return copy ? s.A.clone() : s.A;
  }

  /**
   * From ∂L/∂A (or ∂L/∂Z) of the last forward batch: ∇W = dZᵀ·patches and ∇b = Σ dZ (both products over
   * every position of every example), and ∂L/∂X = col2im(dZ·W), or null when `inputGradient` is false.
   */
  backward(upstream: Upstream, inputGradient = true, reuse = false): Matrix | null {
    if (!this.saved) throw new Error("Conv2D.backward: called before forward");
    const s = this.saved;
    const dZ = "dZ" in upstream ? upstream.dZ : undefined;
    checkGradientShape(
      "Conv2D.backward",
      dZ ?? (upstream as { dA: Matrix }).dA,
      s.A.rows,
      s.A.cols,
    );
    const dA = (upstream as { dA: Matrix }).dA;
    if (dZ) mapsToRows(dZ, s.dProduct, this.gradBias);
    else if (this.activation === "relu")
      mapsToRows(dA, s.dProduct, this.gradBias, s.Z); // ⊙ ReLU'(Z) too
    else mapsToRows(this.g.backward(dA, s.Z, s.A, s.dZ), s.dProduct, this.gradBias);
    gemm(s.dProduct, s.patches, { transA: true, out: this.gradWeights });
    if (!inputGradient) return null;
    s.dPatches ??= scratchMatrix(s.patches.rows, s.patches.cols);
    gemm(s.dProduct, this.weights, { out: s.dPatches });
    if (!reuse) return col2im(s.dPatches, s.A.rows, this.input, this.kernel);
    s.dX ??= scratchMatrix(s.A.rows, imageSize(this.input));
    return col2im(s.dPatches, s.A.rows, this.input, this.kernel, s.dX);
  }

  private scratchFor(rows: number): ConvScratch {
    let s = this.scratch.get(rows);
    if (s) return s;
    if (this.scratch.size >= 2) this.scratch.clear(); // fit uses two sizes: its batches and the last
    s = this.newScratch(rows, true);
    this.scratch.set(rows, s);
    return s;
  }

  private newScratch(rows: number, resident = false): ConvScratch {
    const make = resident ? scratchMatrix : (r: number, c: number) => new Matrix(r, c);
    const positions = this.output[1] * this.output[2];
    const [filters, fanIn] = [this.weights.rows, this.weights.cols];
    return {
      patches: make(rows * positions, fanIn),
      product: make(rows * positions, filters),
      Z: make(rows, imageSize(this.output)),
      A: make(rows, imageSize(this.output)),
      dZ: make(rows, imageSize(this.output)),
      dProduct: make(rows * positions, filters),
    };
  }

  /** "conv 5×5, 20 maps, relu: 1×28×28 → 20×24×24" */
  describe(): string {
    const k = this.kernel;
    return `conv ${k}×${k}, ${this.output[0]} maps, ${this.activation}: ${imageShapeString(this.input)} → ${imageShapeString(this.output)}`;
  }
}

/** Starting filters (filters × fanIn) and biases for an initialisation scheme (as `Dense`'s). */
function initialFilters(
  init: InitScheme,
  filters: number,
  fanIn: number,
  fanOut: number,
  random: Random,
): [Matrix, Matrix] {
  if (init === "normal")
    return [random.normalMatrix(filters, fanIn), random.normalMatrix(1, filters)];
  if (init === "he" || init === "xavier") {
    const std = Math.sqrt(init === "he" ? 2 / fanIn : 2 / (fanIn + fanOut));
    return [random.normalMatrix(filters, fanIn, 0, std), Matrix.zeros(1, filters)];
  }
  throw new RangeError(`Conv2D: unknown init ${describeValue(init)} (known: he, xavier, normal)`);
}

// ------------------------------------------------------------------ checks

/** [channels, height, width], three positive integers. */
export function checkImageShape(
  owner: string,
  name: string,
  shape: unknown,
): asserts shape is ImageShape {
  if (
    !Array.isArray(shape) ||
    shape.length !== 3 ||
    !shape.every((d) => Number.isInteger(d) && d > 0)
  )
    throw new TypeError(
      `${owner}: ${name} must be an image shape [channels, height, width] of positive integers, such as [1, 28, 28], got ${describeValue(shape)}`,
    );
}

/** A k×k filter must fit inside the image. */
function checkKernelFits(owner: string, input: ImageShape, kernel: number): void {
  if (kernel > input[1] || kernel > input[2])
    throw new RangeError(
      `${owner}: a ${kernel}×${kernel} kernel is larger than the ${imageShapeString(input)} input image`,
    );
}

/** A batch of images of shape `input`: one row of C·H·W entries per image (finite, when `entries`). */
export function checkImages(owner: string, X: Matrix, input: ImageShape, entries = true): void {
  checkMatrix(owner, "X", X);
  if (X.cols !== imageSize(input))
    throw new Error(
      `${owner}: input has ${X.cols} entries per example, the layer expects ${imageShapeString(input)} images (${imageSize(input)} entries)`,
    );
  if (entries) assertFinite(X, `${owner}: X`);
}

function checkGradientShape(owner: string, d: unknown, rows: number, cols: number): void {
  if (!(d instanceof Matrix))
    throw new TypeError(
      `${owner}: upstream must be { dA: Matrix } or { dZ: Matrix }, got ${describeValue(d)}`,
    );
  if (d.rows !== rows || d.cols !== cols)
    throw new Error(
      `${owner}: upstream gradient is ${d.shapeString}, expected ${rows}×${cols} (the last forward batch)`,
    );
}

/** convolve's arguments: images of shape `input`, filters whose columns are C·k·k, one bias per filter. */
function checkConvolution(
  owner: string,
  X: Matrix,
  W: Matrix,
  b: Matrix,
  input: ImageShape,
  kernel: number,
): void {
  checkImageShape(owner, "input", input);
  checkPositiveInteger(owner, "kernel", kernel);
  checkKernelFits(owner, input, kernel);
  checkImages(owner, X, input);
  checkMatrix(owner, "W", W);
  checkMatrix(owner, "b", b);
  const perFilter = input[0] * kernel * kernel;
  if (W.cols !== perFilter) {
    const channels = W.cols / (kernel * kernel);
    const theirs = Number.isInteger(channels)
      ? `${channels} channel(s) of ${kernel}×${kernel}`
      : `not a whole number of ${kernel}×${kernel} channels`;
    throw new Error(
      `${owner}: filters W are ${W.shapeString} (${theirs}) but the ${imageShapeString(input)} input has ${input[0]} channel(s): W needs ${perFilter} columns`,
    );
  }
  if (b.rows !== 1 || b.cols !== W.rows)
    throw new Error(`${owner}: bias must be 1×${W.rows} (one per filter), got ${b.shapeString}`);
}
