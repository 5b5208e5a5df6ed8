/**
 * Numerical derivatives by central differences, and gradient descent on a function of a few variables.
 * Central differences are how every analytic gradient in the library is checked.
 */

import { assertFinite, checkNonNegativeInteger, checkPositive } from "./checks";

/** f'(x) ≈ (f(x + h) − f(x − h)) / 2h, with an error of order h². */
export function numericalDerivative(f: (x: number) => number, x: number, h = 1e-5): number {
  if (!(h > 0)) throw new Error(`numericalDerivative: h must be positive, got ${h}`);
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
  if (!(h > 0)) throw new Error(`numericalGradient: h must be positive, got ${h}`);
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
 * |a − b| / max(|a|, |b|, tiny): how far two derivatives agree, insensitive to their scale. Below about
 * 1e−7 the two agree as well as float64 central differences allow; above 1e−3 one of them is wrong.
 */
export function relativeError(a: number, b: number): number {
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
 * Plain gradient descent x ← x − η∇f(x), recording the path. A learning rate that is too large makes the
 * values grow without bound; the run then stops and says `diverged` instead of filling the path with NaN.
 */
export function gradientDescent(options: GradientDescentOptions): GradientDescentResult {
  const { f, gradient, start, learningRate, steps } = options;
  checkPositive("gradientDescent", "learningRate", learningRate);
  checkNonNegativeInteger("gradientDescent", "steps", steps);
  assertFinite(start, "gradientDescent: start");
  let x = [...start];
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
    x = x.map((xi, i) => xi - learningRate * g[i]);
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
