/**
 * One fully connected layer's forward pass on a whole batch: with one example per row of X (n×inputs),
 * weights W (units×inputs, one row per unit) and bias b (1×units), Z = X·Wᵀ + b and A = g(Z).
 */
import { type Activation, type ActivationName, applyActivation } from "./activations";
import { gemm, Matrix, checkMatrix } from "../core/matrix";

/** Z = X·Wᵀ + b: every example's weighted sums, one row per example, one column per unit. */
export function affine(X: Matrix, W: Matrix, b: Matrix): Matrix {
  checkAffineArguments(X, W, b);
  return gemm(X, W, { transB: true }).addRowVector(b);
}

/** Inputs n×inputs, weights units×inputs, bias 1×units. */
function checkAffineArguments(X: Matrix, W: Matrix, b: Matrix): void {
  checkMatrix("affine", "X", X);
  checkMatrix("affine", "W", W);
  checkMatrix("affine", "b", b);
  if (X.cols !== W.cols) {
    throw new Error(
      `affine: inputs are ${X.shapeString} (${X.cols} features) but weights are ${W.shapeString} (${W.cols} inputs per unit)`,
    );
  }
  if (b.rows !== 1 || b.cols !== W.rows)
    throw new Error(`affine: bias must be 1×${W.rows} for ${W.rows} units, got ${b.shapeString}`);
}

/** A = g(X·Wᵀ + b): a layer of units with activation g, applied to every example at once. */
export function layerForward(
  X: Matrix,
  W: Matrix,
  b: Matrix,
  g: Activation | ActivationName,
): Matrix {
  return applyActivation(affine(X, W, b), g);
}
