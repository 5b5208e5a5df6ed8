/**
 * Numerical derivatives by central differences, and gradient descent on a function of a few variables.
 * Central differences are how every analytic gradient in the library is checked.
 */

import {
  checkFunction,
  checkInRange,
  checkNonNegativeInteger,
  checkNumberType,
  checkPositive,
  describeValue,
  rejectUnknownOptions,
} from "../core/checks";
import { assertFinite } from "../core/matrix";

/** f'(x) ≈ (f(x + h) − f(x − h)) / 2h, with an error of order h². */
export function numericalDerivative(f: (x: number) => number, x: number, h = 1e-5): number {
  checkFunction("numericalDerivative", "f", f);
  checkNumberType("numericalDerivative", "x", x);
  checkPositive("numericalDerivative", "h", h);
  return (f(x + h) - f(x - h)) / (2 * h);
}

/**
 * ∇f at `params` by central differences, one coordinate at a time. `params` is changed while this runs
 * (each coordinate is moved by ±h and then restored), so `f` may read it in place, as a model's weights.
 */
export function numericalGradient(
  f: (params: Float64Array) => number,
  params: Float64Array,
  h = 1e-5,
): Float64Array {
  checkFunction("numericalGradient", "f", f);
  if (!(params instanceof Float64Array))
    throw new TypeError(
      `numericalGradient: params must be a Float64Array, got ${describeValue(params)}`,
    );
  checkPositive("numericalGradient", "h", h);
  const grad = new Float64Array(params.length);
  for (let i = 0; i < params.length; i++) {
    const saved = params[i];
    params[i] = saved + h;
    const plus = f(params);
    params[i] = saved - h;
    const minus = f(params);
    params[i] = saved;
    if (!Number.isFinite(plus) || !Number.isFinite(minus))
      throw new Error(`numericalGradient: f is not finite near parameter ${i}`);
    grad[i] = (plus - minus) / (2 * h);
  }
  return grad;
}

/**
 * |a − b| / max(|a|, |b|, 1e−12): how far two derivatives agree, insensitive to their scale. Below about 1e−7 is
 * the usual pass mark for a gradient check with central differences, a convention rather than a limit of float64:
 * with h = 1e−5 a central difference of a smooth function is often good to about 1e−10 relative (its error is of
 * order h²), and worse where the derivative is tiny next to f itself, since the rounding noise, about 1e−16·|f|/h,
 * does not shrink with the derivative. An error near 1 is no rounding: a wrong formula, or a kink (a ReLU at 0)
 * between x − h and x + h.
 */
export function relativeError(a: number, b: number): number {
  checkNumberType("relativeError", "a", a);
  checkNumberType("relativeError", "b", b);
  const scale = Math.max(Math.abs(a), Math.abs(b), 1e-12);
  return Math.abs(a - b) / scale;
}

export interface GradientDescentOptions {
  /** The function to minimise. */
  f: (x: readonly number[]) => number;
  /** Its gradient. */
  gradient: (x: readonly number[]) => readonly number[];
  start: readonly number[];
  learningRate: number;
  steps: number;
  /**
   * Momentum μ in [0, 1): each step adds μ times the previous step, v ← μ·v − η·∇f(x), x ← x + v, so that
   * steps build up along directions where the gradient keeps its sign and cancel where it flips.
   * Default 0, plain gradient descent.
   */
  momentum?: number;
}

export interface GradientDescentResult {
  /** Every point visited, starting with `start`. */
  path: number[][];
  /** f at every point of the path. */
  values: number[];
  /** True when f or x stopped being finite or grew past 1e12, which ends the run early. */
  diverged: boolean;
}

/**
 * Gradient descent x ← x − η∇f(x) (with `momentum`, x ← x + v for v ← μv − η∇f(x)), recording the path.
 * A learning rate that is too large makes the values grow without bound; the run then stops and says
 * `diverged` instead of filling the path with NaN.
 */
export function gradientDescent(options: GradientDescentOptions): GradientDescentResult {
  checkDescentOptions(options);
  const { f, gradient, start, learningRate, steps, momentum = 0 } = options;
  let x = [...start];
  let velocity = x.map(() => 0);
  const path = [x];
  const values = [f(x)];
  if (!Number.isFinite(values[0])) throw new Error(`gradientDescent: f(start) is ${values[0]}`);
  let diverged = false;
  for (let t = 0; t < steps; t++) {
    const g = gradient(x);
    if (g.length !== x.length)
      throw new Error(
        `gradientDescent: gradient has ${g.length} components for ${x.length} variables`,
      );
    velocity = velocity.map((v, i) => momentum * v - learningRate * g[i]);
    x =
      momentum === 0
        ? x.map((xi, i) => xi - learningRate * g[i])
        : x.map((xi, i) => xi + velocity[i]);
    const value = f(x);
    if (!Number.isFinite(value) || !x.every(Number.isFinite) || Math.abs(value) > 1e12) {
      diverged = true;
      break;
    }
    path.push(x);
    values.push(value);
  }
  return { path, values, diverged };
}

function checkDescentOptions(options: GradientDescentOptions): void {
  rejectUnknownOptions("gradientDescent", options, [
    "f",
    "gradient",
    "start",
    "learningRate",
    "steps",
    "momentum",
  ]);
  checkFunction("gradientDescent", "f", options.f);
  checkFunction("gradientDescent", "gradient", options.gradient);
  checkPositive("gradientDescent", "learningRate", options.learningRate);
  checkNonNegativeInteger("gradientDescent", "steps", options.steps);
  assertFinite(options.start, "gradientDescent: start");
  checkInRange("gradientDescent", "momentum", options.momentum ?? 0, [0, 1]);
}
