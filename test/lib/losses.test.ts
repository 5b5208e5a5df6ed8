import { describe, expect, it } from "vitest";
import { numericalGradient } from "../../lib/src/gradients";
import { binaryCrossEntropy, lossByName, mse, PROBABILITY_CLIP } from "../../lib/src/losses";
import { Matrix } from "../../lib/src/matrix";

/** Central-difference gradient of loss.value with respect to P. */
function numericGradientOf(loss: typeof mse, P: Matrix, Y: Matrix): number[] {
  return Array.from(numericalGradient((p) => loss.value(new Matrix(P.rows, P.cols, p), Y), Float64Array.from(P.data), 1e-6));
}

describe("mse", () => {
  it("is the mean over examples of the summed squared errors (hand-computed)", () => {
    // Rows: (0.5 − 1)² = 0.25 and (0.2 − 0)² = 0.04: mean 0.145.
    expect(mse.value(Matrix.fromColumn([0.5, 0.2]), Matrix.fromColumn([1, 0]))).toBeCloseTo(0.145, 15);
    // Two outputs per example: ((1)² + (2)²) / 1 = 5.
    expect(mse.value(Matrix.fromArray([[1, 2]]), Matrix.fromArray([[0, 0]]))).toBe(5);
  });

  it("gradient is 2(p − y)/n and matches central differences", () => {
    const P = Matrix.fromArray([[0.3, -1.2], [2.0, 0.7], [0.1, 0.0]]);
    const Y = Matrix.fromArray([[1, 0], [0, 1], [0.5, 0.5]]);
    const g = mse.gradient(P, Y);
    expect(g.get(0, 0)).toBeCloseTo((2 * (0.3 - 1)) / 3, 15);
    numericGradientOf(mse, P, Y).forEach((v, i) => expect(g.data[i]).toBeCloseTo(v, 8));
  });
});

describe("binaryCrossEntropy", () => {
  it("matches −[y log p + (1 − y) log(1 − p)] averaged (hand-computed)", () => {
    const value = binaryCrossEntropy.value(Matrix.fromColumn([0.9, 0.2]), Matrix.fromColumn([1, 0]));
    expect(value).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 15);
    expect(binaryCrossEntropy.value(Matrix.fromColumn([0.5]), Matrix.fromColumn([1]))).toBeCloseTo(Math.LN2, 15);
  });

  it("clips log(0): a confident wrong answer costs −log(1e−12), not infinity", () => {
    expect(PROBABILITY_CLIP).toBe(1e-12);
    const wrong = binaryCrossEntropy.value(Matrix.fromColumn([0]), Matrix.fromColumn([1]));
    expect(wrong).toBeCloseTo(-Math.log(1e-12), 6);
    expect(Number.isFinite(binaryCrossEntropy.gradient(Matrix.fromColumn([0]), Matrix.fromColumn([1])).get(0, 0))).toBe(true);
    expect(binaryCrossEntropy.value(Matrix.fromColumn([1]), Matrix.fromColumn([1]))).toBeLessThan(1e-11);
  });

  it("gradient matches central differences away from the clip", () => {
    const P = Matrix.fromArray([[0.3, 0.9], [0.55, 0.02]]);
    const Y = Matrix.fromArray([[1, 0], [0, 1]]);
    const g = binaryCrossEntropy.gradient(P, Y);
    numericGradientOf(binaryCrossEntropy, P, Y).forEach((v, i) => expect(g.data[i]).toBeCloseTo(v, 6));
  });
});

describe("loss input checks", () => {
  it("name the shapes, the bad value and its position", () => {
    expect(() => mse.value(Matrix.zeros(2, 1), Matrix.zeros(3, 1))).toThrow(/mse: predictions are 2×1 but targets are 3×1/);
    expect(() => mse.gradient(Matrix.zeros(2, 1), Matrix.zeros(2, 2))).toThrow(/mse.gradient: predictions are 2×1 but targets are 2×2/);
    expect(() => mse.value(Matrix.fromColumn([1, NaN]), Matrix.fromColumn([0, 0]))).toThrow(/mse: prediction NaN at \(1, 0\)/);
    expect(() => mse.value(Matrix.zeros(0, 1), Matrix.zeros(0, 1))).toThrow(/no examples/);
    expect(() => binaryCrossEntropy.value(Matrix.fromColumn([1.5]), Matrix.fromColumn([1]))).toThrow(/prediction 1.5 at \(0, 0\) is not a probability/);
    expect(() => binaryCrossEntropy.value(Matrix.fromColumn([0.5]), Matrix.fromColumn([2]))).toThrow(/target 2 at \(0, 0\) is not in \[0, 1\]/);
  });

  it("lossByName finds the losses and rejects unknown names", () => {
    expect(lossByName("mse")).toBe(mse);
    expect(() => lossByName("hinge")).toThrow(/unknown loss "hinge" \(known: mse, binaryCrossEntropy, categoricalCrossEntropy\)/);
  });
});
