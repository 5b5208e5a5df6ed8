/**
 * Optimisers: how a parameter moves once its gradient is known. Each keeps its own per-parameter state
 * (a velocity, moment estimates), keyed by the parameter's matrix.
 */
import { Matrix } from "../core/matrix";
import { checkInRange, checkPositive, describeValue, rejectUnknownOptions } from "../core/checks";
import { backend } from "../backends/select";
import { residentFloat64 } from "../backends/wasm";

/** A trainable matrix and the gradient of the loss with respect to it (same shape). */
export interface Parameter {
  readonly name: string;
  readonly value: Matrix;
  readonly grad: Matrix;
}

export interface Optimizer {
  readonly name: string;
  learningRate: number;
  /** Moves every parameter one step using its current gradient. */
  step(parameters: readonly Parameter[]): void;
}

/**
 * Stochastic gradient descent, optionally with momentum μ:
 *   v ← μ·v − η·g,  w ← w + v        (μ = 0 gives plain w ← w − η·g)
 * Momentum lets steps build up along directions where the gradient keeps its sign, and cancel where it flips.
 */
export class SGD implements Optimizer {
  readonly name = "SGD";
  learningRate: number;
  readonly momentum: number;
  private readonly velocity = new WeakMap<Matrix, Matrix>();

  constructor(options: { learningRate: number; momentum?: number }) {
    rejectUnknownOptions("SGD", options, ["learningRate", "momentum"]);
    checkPositive("SGD", "learningRate", options.learningRate);
    const momentum = options.momentum ?? 0;
    checkInRange("SGD", "momentum", momentum, [0, 1]);
    this.learningRate = options.learningRate;
    this.momentum = momentum;
  }

  step(parameters: readonly Parameter[]): void {
    checkStep("SGD.step", this.learningRate, parameters);
    for (const { value, grad } of parameters) {
      if (this.momentum === 0) {
        value.addInPlace(grad, -this.learningRate);
        continue;
      }
      let v = this.velocity.get(value);
      if (!v) this.velocity.set(value, (v = Matrix.resident(value.rows, value.cols)));
      v.scaleInPlace(this.momentum).addInPlace(grad, -this.learningRate);
      value.addInPlace(v);
    }
  }
}

/**
 * Adam (Kingma & Ba, 2015): running averages of the gradient (m) and of its square (v), corrected for
 * their start at zero, give each weight its own step size:
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²,
 *   m̂ = m / (1 − β1^t),      v̂ = v / (1 − β2^t),      w ← w − η·m̂ / (√v̂ + ε)
 */
export class Adam implements Optimizer {
  readonly name = "Adam";
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Steps taken so far (t in the formulas). */
  t = 0;
  private readonly moments = new WeakMap<Matrix, { m: Float64Array; v: Float64Array }>();

  constructor(
    options: { learningRate?: number; beta1?: number; beta2?: number; epsilon?: number } = {},
  ) {
    rejectUnknownOptions("Adam", options, ["learningRate", "beta1", "beta2", "epsilon"]);
    const { learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = options;
    checkPositive("Adam", "learningRate", learningRate);
    checkPositive("Adam", "epsilon", epsilon);
    for (const [name, beta] of [
      ["beta1", beta1],
      ["beta2", beta2],
    ] as const)
      checkInRange("Adam", name, beta, [0, 1]);
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  step(parameters: readonly Parameter[]): void {
    checkStep("Adam.step", this.learningRate, parameters);
    this.t++;
    const { beta1, beta2, epsilon, learningRate } = this;
    const correction1 = 1 - beta1 ** this.t;
    const correction2 = 1 - beta2 ** this.t;
    for (const { value, grad } of parameters) {
      let state = this.moments.get(value);
      if (!state)
        this.moments.set(
          value,
          (state = {
            m: residentFloat64(value.data.length),
            v: residentFloat64(value.data.length),
          }),
        );
      const { m, v } = state;
      const w = value.data;
      const g = grad.data;
      // m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², w ← w − η·(m/c1)/(√(v/c2) + ε), weight by weight
      // (backends/js.ts writes the loop out; the WebAssembly backend runs it two weights at a time).
      backend().adamStep({
        w,
        g,
        m,
        v,
        beta1,
        beta2,
        learningRate,
        correction1,
        correction2,
        epsilon,
      });
    }
  }
}

/**
 * What every step needs: a learning rate that is still a positive number (it can be changed after
 * construction), and parameters whose gradient has the parameter's shape.
 */
function checkStep(owner: string, learningRate: number, parameters: readonly Parameter[]): void {
  checkPositive(owner, "learningRate", learningRate);
  if (!Array.isArray(parameters))
    throw new TypeError(
      `${owner}: parameters must be an array of { name, value, grad } (e.g. net.parameters()), got ${describeValue(parameters)}`,
    );
  for (const [i, p] of parameters.entries()) {
    if (!(p?.value instanceof Matrix) || !(p.grad instanceof Matrix))
      throw new TypeError(
        `${owner}: parameter ${i} must have a Matrix value and grad, got ${describeValue(p)}`,
      );
    if (p.grad.rows !== p.value.rows || p.grad.cols !== p.value.cols)
      throw new Error(
        `${owner}: the gradient of ${p.name ?? `parameter ${i}`} is ${p.grad.shapeString}, its value is ${p.value.shapeString}`,
      );
  }
}

/** Every optimiser, by name, built from a learning rate (the tests run each through the same checks). */
export const optimizers: Readonly<Record<string, (learningRate: number) => Optimizer>> = {
  SGD: (learningRate) => new SGD({ learningRate }),
  "SGD with momentum": (learningRate) => new SGD({ learningRate, momentum: 0.9 }),
  Adam: (learningRate) => new Adam({ learningRate }),
};
