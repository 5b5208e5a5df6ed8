/**
 * The steps between a convolution and the dense layers (chapter 10): max-pooling, which keeps the largest
 * of every 2×2 block of a feature map, and flattening, which hands the maps to a `Dense` layer as plain
 * features. Both have `Dense`'s interface (`forward(X, training?, copy?, reuse?)`,
 * `backward(upstream, inputGradient?, reuse?)`), so that `Sequential` runs every layer alike. Images are
 * rows of C·H·W entries, as in conv.ts.
 */
import { Matrix } from "../core/matrix";
import type { Random } from "../core/random";
import type { Upstream } from "./losses";
import { checkImageShape, checkImages, imageShapeString, imageSize, type ImageShape } from "./conv";

/** ∂L/∂A from an upstream gradient (a layer without activation has A = Z), checked against its shape. */
function upstreamGradient(owner: string, upstream: Upstream, rows: number, cols: number): Matrix {
  const d = (upstream as { dA?: unknown; dZ?: unknown })?.["dZ" in (upstream ?? {}) ? "dZ" : "dA"];
  if (!(d instanceof Matrix))
    throw new TypeError(`${owner}: upstream must be { dA: Matrix } or { dZ: Matrix }`);
  if (d.rows !== rows || d.cols !== cols)
    throw new Error(
      `${owner}: upstream gradient is ${d.shapeString}, expected ${rows}×${cols} (the last forward batch)`,
    );
  return d;
}

/**
 * 2×2 max-pooling with stride 2: each feature map of H×W becomes ⌊H/2⌋×⌊W/2⌋, every output the largest of
 * its block (an odd last row or column is dropped, as in PyTorch). Backward, each output's gradient goes
 * to the one input that was largest (the first of equals, in reading order); the other three get 0.
 */
export class MaxPool2D {
  readonly input: ImageShape;
  readonly output: ImageShape;
  /** Per example and output: where in the example's row its maximum came from. */
  private winners?: Int32Array;
  private rows = 0;
  private readonly scratch = new Map<number, { A: Matrix; dX: Matrix; winners: Int32Array }>();

  constructor(input: ImageShape) {
    checkImageShape("MaxPool2D", "input", input);
    if (input[1] < 2 || input[2] < 2)
      throw new RangeError(
        `MaxPool2D: a 2×2 pool needs maps of at least 2×2, the ${imageShapeString(input)} input is smaller`,
      );
    this.input = [...input] as unknown as ImageShape;
    this.output = [input[0], Math.floor(input[1] / 2), Math.floor(input[2] / 2)];
  }

  forward(X: Matrix, _training?: { random: Random }, copy = true, reuse = false): Matrix {
    checkImages("MaxPool2D.forward", X, this.input, copy);
    const s = reuse ? this.scratchFor(X.rows) : undefined;
    const A = s?.A ?? new Matrix(X.rows, imageSize(this.output));
    const winners = s?.winners ?? new Int32Array(A.data.length);
    const [C, H, W] = this.input;
    const [, outH, outW] = this.output;
    const x = X.data;
    let q = 0; // the next output, in order
    for (let e = 0; e < X.rows; e++)
      for (let c = 0; c < C; c++)
        for (let y = 0; y < outH; y++)
          for (let xo = 0; xo < outW; xo++) {
            const topLeft = e * X.cols + (c * H + 2 * y) * W + 2 * xo;
            let best = topLeft; // then the three others of the block, in reading order
            if (x[topLeft + 1] > x[best]) best = topLeft + 1;
            if (x[topLeft + W] > x[best]) best = topLeft + W;
            if (x[topLeft + W + 1] > x[best]) best = topLeft + W + 1;
            winners[q] = best - e * X.cols; // within the example's row
            A.data[q++] = x[best];
          }
    this.winners = winners;
    this.rows = X.rows;
    return copy && s ? A.clone() : A;
  }

  backward(upstream: Upstream, inputGradient = true, reuse = false): Matrix | null {
    if (!this.winners) throw new Error("MaxPool2D.backward: called before forward");
    const outputs = imageSize(this.output);
    const dA = upstreamGradient("MaxPool2D.backward", upstream, this.rows, outputs);
    if (!inputGradient) return null;
    const cols = imageSize(this.input);
    const dX = reuse ? this.scratchFor(this.rows).dX.fill(0) : new Matrix(this.rows, cols);
    for (let q = 0; q < dA.data.length; q++)
      dX.data[Math.floor(q / outputs) * cols + this.winners[q]] += dA.data[q];
    return dX;
  }

  private scratchFor(rows: number): { A: Matrix; dX: Matrix; winners: Int32Array } {
    let s = this.scratch.get(rows);
    if (s) return s;
    if (this.scratch.size >= 2) this.scratch.clear();
    const A = new Matrix(rows, imageSize(this.output));
    s = { A, dX: new Matrix(rows, imageSize(this.input)), winners: new Int32Array(A.data.length) };
    this.scratch.set(rows, s);
    return s;
  }

  /** "max-pool 2×2: 20×24×24 → 20×12×12" */
  describe(): string {
    return `max-pool 2×2: ${imageShapeString(this.input)} → ${imageShapeString(this.output)}`;
  }
}

/**
 * Feature maps as plain features, for a `Dense` layer: C×H×W → C·H·W. The batch is already one row of
 * C·H·W entries per example, so nothing moves: `Flatten` only changes what the next layer is told (a
 * vector of features rather than an image), and passes the gradient back unchanged.
 */
export class Flatten {
  readonly input: ImageShape;
  readonly output: readonly [number];
  private rows = -1;

  constructor(input: ImageShape) {
    checkImageShape("Flatten", "input", input);
    this.input = [...input] as unknown as ImageShape;
    this.output = [imageSize(input)];
  }

  forward(X: Matrix, _training?: { random: Random }, copy = true): Matrix {
    checkImages("Flatten.forward", X, this.input, copy);
    this.rows = X.rows;
    return copy ? X.clone() : X;
  }

  backward(upstream: Upstream, inputGradient = true): Matrix | null {
    if (this.rows < 0) throw new Error("Flatten.backward: called before forward");
    const dA = upstreamGradient("Flatten.backward", upstream, this.rows, this.output[0]);
    return inputGradient ? dA : null;
  }

  /** "flatten: 20×12×12 → 2880" */
  describe(): string {
    return `flatten: ${imageShapeString(this.input)} → ${this.output[0]}`;
  }
}
