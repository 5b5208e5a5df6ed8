/**
 * The scalar engine's idea for whole matrices: a `Tape` records each operation of a forward pass as it
 * runs (its result, its inputs, and the rule that takes the result's gradient back to them), and
 * `backward` replays the tape in reverse. The order of recording is already an order in which every
 * result comes after its inputs, so no graph has to be sorted.
 *
 *   const tape = new Tape();
 *   const W = tape.variable(layer.weights), b = tape.variable(layer.bias);
 *   const loss = tape.constant(X).matmulT(W).addRow(b).sigmoid().mse(Y);
 *   loss.backward();                       // W.grad, b.grad: ∂loss/∂W, ∂loss/∂b
 *
 * Each rule does the arithmetic of `Network`'s hand-written backward pass in the same order (the same
 * gemm calls, `dA ⊙ g'(Z)`, the losses' `(2/n)·(a − y)` and `(p·Σy − y)·(1/n)`), so that the two give
 * the same bits, not only the same numbers. `backward` starts afresh each time (every grad on the tape
 * is cleared first), so calling it twice gives the same gradients.
 */
import { checkNumberType, describeValue } from "../core/checks";
import { gemm, Matrix, checkMatrix } from "../core/matrix";
import { activationDerivative, applyActivation, softmaxRows } from "../networks/activations";
import { mse, softmaxCrossEntropy } from "../networks/losses";

/** Takes ∂L/∂(result) back to ∂L/∂(each input), null for an input that needs no gradient. */
type Rule = (dOut: Matrix) => Array<Matrix | null>;

/** One recorded operation. */
interface Step {
  output: Tensor;
  inputs: Tensor[];
  rule: Rule;
}

/** A matrix on a tape: its value and, after `backward`, its gradient. */
export class Tensor {
  /** ∂(root)/∂(this) after `backward(root)`, same shape as `value`; null before, or where none flows. */
  grad: Matrix | null = null;

  /** Made by a Tape (`variable`, `constant`) or by an operation; not called directly. */
  constructor(
    readonly tape: Tape,
    readonly value: Matrix,
    /** The operation that made it ("matmulT", "sigmoid", …), or "variable" / "constant". */
    readonly op: string,
    /** True for a variable and for anything computed from one: a gradient flows to it. */
    readonly needsGrad: boolean,
    public label = "",
  ) {}

  get rows(): number {
    return this.value.rows;
  }
  get cols(): number {
    return this.value.cols;
  }

  /** X·Wᵀ, a layer's weighted sums for a batch X (one example per row) and weights W (units×inputs). */
  matmulT(W: Tensor | Matrix): Tensor {
    const w = this.tape.operand("Tensor.matmulT", "W", W);
    checkInner("Tensor.matmulT", this, w, w.cols, "X·Wᵀ needs W with one column per column of X");
    const [X, Wv] = [this.value, w.value];
    return this.tape.record("matmulT", gemm(X, Wv, { transB: true }), [this, w], (dZ) => [
      this.needsGrad ? gemm(dZ, Wv) : null, // ∂L/∂X = dZ·W
      w.needsGrad ? gemm(dZ, X, { transA: true }) : null, // ∂L/∂W = dZᵀ·X
    ]);
  }

  /** A·B. */
  matmul(B: Tensor | Matrix): Tensor {
    const b = this.tape.operand("Tensor.matmul", "B", B);
    checkInner("Tensor.matmul", this, b, b.rows, "A·B needs B with one row per column of A");
    const [A, Bv] = [this.value, b.value];
    return this.tape.record("matmul", gemm(A, Bv), [this, b], (dC) => [
      this.needsGrad ? gemm(dC, Bv, { transB: true }) : null, // ∂L/∂A = dC·Bᵀ
      b.needsGrad ? gemm(A, dC, { transA: true }) : null, // ∂L/∂B = Aᵀ·dC
    ]);
  }

  /** Adds the 1×cols row `bias` to every row (the `+ b` of X·Wᵀ + b); its gradient sums over the rows. */
  addRow(bias: Tensor | Matrix): Tensor {
    const b = this.tape.operand("Tensor.addRow", "bias", bias);
    checkBiasShape(this, b);
    return this.tape.record("addRow", this.value.addRowVector(b.value), [this, b], (dZ) => [
      dZ,
      dZ.sum(0),
    ]);
  }

  /** The entrywise sum of two tensors of the same shape. */
  add(other: Tensor | Matrix): Tensor {
    const b = this.tape.operand("Tensor.add", "other", other);
    checkSameShape("Tensor.add", this, b);
    return this.tape.record("add", this.value.add(b.value), [this, b], (d) => [d, d]);
  }

  /** Every entry times the number k. */
  scale(k: number): Tensor {
    checkScale(k);
    return this.tape.record("scale", this.value.scale(k), [this], (d) => [d.scale(k)]);
  }

  /** σ of every entry; back through dA ⊙ σ'(Z), as a sigmoid layer does. */
  sigmoid(): Tensor {
    return this.elementwise("sigmoid");
  }

  /** max(z, 0) of every entry; back through dA ⊙ (z ≥ 0 ? 1 : 0), the library's slope 1 at 0. */
  relu(): Tensor {
    return this.elementwise("relu");
  }

  /** tanh of every entry; back through dA ⊙ (1 − tanh²). */
  tanh(): Tensor {
    return this.elementwise("tanh");
  }

  private elementwise(g: "sigmoid" | "relu" | "tanh"): Tensor {
    const Z = this.value;
    // dA times the derivative matrix, not a branch, so that even the signs of zeros match a layer's.
    return this.tape.record(g, applyActivation(Z, g), [this], (dA) => [
      dA.mul(activationDerivative(Z, g)),
    ]);
  }

  /** The sum of all entries, a 1×1 tensor. */
  sum(): Tensor {
    const { rows, cols } = this.value;
    return this.tape.record("sum", scalar(this.value.sum()), [this], (d) => [
      Matrix.filled(rows, cols, d.data[0]),
    ]);
  }

  /** The mean of all entries, a 1×1 tensor. */
  mean(): Tensor {
    const { rows, cols } = this.value;
    checkNotEmpty("Tensor.mean", this);
    return this.tape.record("mean", scalar(this.value.mean()), [this], (d) => [
      Matrix.filled(rows, cols, d.data[0] / (rows * cols)),
    ]);
  }

  /**
   * The library's mean squared error of these outputs A against targets Y (data: no gradient flows to
   * them): (1/n)·Σ (a − y)² over n rows, a 1×1 tensor. ∂/∂A = (2/n)·(a − y), as `mse.gradient`.
   */
  mse(Y: Matrix): Tensor {
    checkTargets("Tensor.mse", this, Y);
    const A = this.value;
    return this.tape.record("mse", scalar(mse.value(A, Y)), [this], (d) => {
      const scale = (2 * d.data[0]) / A.rows;
      return [
        new Matrix(
          A.rows,
          A.cols,
          A.data.map((a, p) => scale * (a - Y.data[p])),
        ),
      ];
    });
  }

  /**
   * The mean categorical cross-entropy of softmax(Z) against target rows Y, computed from these scores
   * Z with the log-sum-exp (`softmaxCrossEntropy`), a 1×1 tensor. ∂/∂z_j = (p_j·Σ_k y_k − y_j)/n per
   * row, which is p − y for one-hot rows; the 1/n is a multiplication by the reciprocal, as in losses.ts.
   */
  softmaxCrossEntropy(Y: Matrix): Tensor {
    checkTargets("Tensor.softmaxCrossEntropy", this, Y);
    const Z = this.value;
    const value = softmaxCrossEntropy(Z, Y);
    return this.tape.record("softmaxCrossEntropy", scalar(value), [this], (d) => {
      const P = softmaxRows(Z);
      const dZ = new Matrix(Z.rows, Z.cols);
      for (let i = 0; i < Z.rows; i++) {
        let total = 0;
        for (let j = 0; j < Z.cols; j++) total += Y.get(i, j);
        for (let j = 0; j < Z.cols; j++) dZ.set(i, j, P.get(i, j) * total - Y.get(i, j));
      }
      return [dZ.scale(d.data[0] / Z.rows)];
    });
  }

  /** Fills the gradient of every tensor on this one's tape with ∂(this)/∂(tensor); see `Tape.backward`. */
  backward(seed?: Matrix): void {
    this.tape.backward(this, seed);
  }
}

/**
 * The record of one forward pass. Make a new tape for each pass: it keeps every intermediate result (and,
 * after `backward`, every gradient) until it is dropped.
 */
export class Tape {
  private readonly steps: Step[] = [];
  private readonly tensors: Tensor[] = [];

  /** A matrix to differentiate with respect to: wrapped, not copied (updating it in place is training). */
  variable(value: Matrix, label = ""): Tensor {
    checkMatrix("Tape.variable", "value", value);
    return this.keep(new Tensor(this, value, "variable", true, label));
  }

  /** A matrix that needs no gradient (a batch of data): wrapped, not copied. */
  constant(value: Matrix, label = ""): Tensor {
    checkMatrix("Tape.constant", "value", value);
    return this.keep(new Tensor(this, value, "constant", false, label));
  }

  /** Records an operation: its result, its inputs and the rule back to them. For Tensor's methods. */
  record(op: string, value: Matrix, inputs: Tensor[], rule: Rule): Tensor {
    const output = this.keep(
      new Tensor(
        this,
        value,
        op,
        inputs.some((t) => t.needsGrad),
      ),
    );
    if (output.needsGrad) this.steps.push({ output, inputs, rule });
    return output;
  }

  /**
   * Fills `grad` of every tensor on the tape with ∂(root)/∂(tensor). A 1×1 root (a loss) starts from
   * ∂root/∂root = 1; any other root needs `seed`, the gradient of some final number with respect to it.
   * Every grad is cleared first, so a second call gives the same gradients instead of doubling them.
   */
  backward(root: Tensor, seed?: Matrix): void {
    checkRoot(this, root, seed);
    for (const t of this.tensors) t.grad = null;
    root.grad = seed ? seed.clone() : Matrix.filled(1, 1, 1);
    for (let s = this.steps.length - 1; s >= 0; s--) {
      const { output, inputs, rule } = this.steps[s];
      if (output.grad === null) continue; // recorded after the root, or not on a path to it
      rule(output.grad).forEach((g, i) => accumulate(inputs[i], g));
    }
  }

  /** The operations recorded so far, in order: a forward pass read back. */
  operations(): string[] {
    return this.steps.map(({ output, inputs }) => {
      const args = inputs.map((t) => t.label || t.value.shapeString).join(", ");
      return `${output.op}(${args}) → ${output.value.shapeString}`;
    });
  }

  /**
   * How many float64 numbers the tape keeps alive beyond the variables and constants it was given: the
   * results of its operations, and the gradients `backward` filled in.
   */
  retainedEntries(): { values: number; gradients: number } {
    const given = new Set(this.tensors.filter((t) => t.op === "variable" || t.op === "constant"));
    const counted = new Set<Float64Array>([...given].map((t) => t.value.data));
    let values = 0;
    let gradients = 0;
    for (const t of this.tensors) {
      if (!given.has(t) && !counted.has(t.value.data)) {
        counted.add(t.value.data);
        values += t.value.data.length;
      }
      if (t.grad && !counted.has(t.grad.data)) {
        counted.add(t.grad.data);
        gradients += t.grad.data.length;
      }
    }
    return { values, gradients };
  }

  /** A Tensor of this tape, or a Matrix made a constant of it; `owner` and `name` for the message. */
  operand(owner: string, name: string, value: unknown): Tensor {
    if (value instanceof Matrix) return this.constant(value);
    if (!(value instanceof Tensor))
      throw new TypeError(
        `${owner}: ${name} must be a Tensor or a Matrix, got ${describeValue(value)}`,
      );
    if (value.tape !== this)
      throw new Error(
        `${owner}: ${name} belongs to another tape; record the whole forward pass on one Tape`,
      );
    return value;
  }

  private keep(t: Tensor): Tensor {
    this.tensors.push(t);
    return t;
  }
}

/** Adds a gradient to a tensor's; the first is kept as it is (0 + (−0) would turn a −0 into +0). */
function accumulate(t: Tensor, g: Matrix | null): void {
  if (g === null || !t.needsGrad) return;
  t.grad = t.grad === null ? g : t.grad.add(g);
}

function scalar(value: number): Matrix {
  return Matrix.filled(1, 1, value);
}

// ---------------------------------------------------------------- checks

function checkInner(owner: string, a: Tensor, b: Tensor, inner: number, rule: string): void {
  if (a.cols !== inner)
    throw new Error(
      `${owner}: shapes ${a.value.shapeString} and ${b.value.shapeString} do not fit: ${rule}`,
    );
}

function checkBiasShape(Z: Tensor, b: Tensor): void {
  if (b.rows !== 1 || b.cols !== Z.cols)
    throw new Error(
      `Tensor.addRow: bias must be 1×${Z.cols} (one entry per column), got ${b.value.shapeString}`,
    );
}

function checkSameShape(owner: string, a: Tensor, b: Tensor): void {
  if (a.rows !== b.rows || a.cols !== b.cols)
    throw new Error(`${owner}: shapes ${a.value.shapeString} and ${b.value.shapeString} differ`);
}

function checkScale(k: unknown): void {
  checkNumberType("Tensor.scale", "k", k);
}

function checkNotEmpty(owner: string, t: Tensor): void {
  if (t.value.data.length === 0)
    throw new Error(`${owner}: a ${t.value.shapeString} tensor has no entries to average`);
}

/** Targets for a loss: a Matrix of the outputs' shape, with at least one row. */
function checkTargets(owner: string, outputs: Tensor, Y: unknown): asserts Y is Matrix {
  checkMatrix(owner, "targets", Y);
  if (Y.rows !== outputs.rows || Y.cols !== outputs.cols)
    throw new Error(
      `${owner}: outputs are ${outputs.value.shapeString} but targets are ${Y.shapeString}`,
    );
  if (Y.rows === 0) throw new Error(`${owner}: no examples (0 rows)`);
}

function checkRoot(tape: Tape, root: unknown, seed: unknown): void {
  if (!(root instanceof Tensor))
    throw new TypeError(`Tape.backward: root must be a Tensor, got ${describeValue(root)}`);
  if (root.tape !== tape) throw new Error("Tape.backward: root belongs to another tape");
  if (seed === undefined) {
    if (root.rows !== 1 || root.cols !== 1)
      throw new Error(
        `Tensor.backward: the result is ${root.value.shapeString}, not a single number; give the ` +
          `seed gradient (a ${root.value.shapeString} Matrix): backward(seed)`,
      );
    return;
  }
  checkMatrix("Tensor.backward", "seed", seed);
  if (seed.rows !== root.rows || seed.cols !== root.cols)
    throw new Error(
      `Tensor.backward: seed is ${seed.shapeString} but the result is ${root.value.shapeString}`,
    );
}
