import { describe, expect, it } from "vitest";
import { numericalGradient } from "../../lib/src/networks/gradients";
import { layerActivations, sigmoid, softmax } from "../../lib/src/networks/activations";
import {
  binaryCrossEntropy,
  categoricalCrossEntropy,
  lossByName,
  losses,
  mse,
  outputLoss,
  PROBABILITY_CLIP,
  sigmoidBinaryCrossEntropy,
  softmaxCrossEntropy,
} from "../../lib/src/networks/losses";
import { Random } from "../../lib/src/core/random";
import { Matrix } from "../../lib/src/core/matrix";

/** Central-difference gradient of loss.value with respect to P. */
function numericGradientOf(loss: typeof mse, P: Matrix, Y: Matrix): number[] {
  return Array.from(
    numericalGradient(
      (p) => loss.value(new Matrix(P.rows, P.cols, p), Y),
      Float64Array.from(P.data),
      1e-6,
    ),
  );
}

describe("mse", () => {
  it("is the mean over examples of the summed squared errors (hand-computed)", () => {
    // Rows: (0.5 − 1)² = 0.25 and (0.2 − 0)² = 0.04: mean 0.145.
    expect(mse.value(Matrix.fromColumn([0.5, 0.2]), Matrix.fromColumn([1, 0]))).toBeCloseTo(
      0.145,
      15,
    );
    // Two outputs per example: ((1)² + (2)²) / 1 = 5.
    expect(mse.value(Matrix.fromArray([[1, 2]]), Matrix.fromArray([[0, 0]]))).toBe(5);
  });

  it("gradient is 2(p − y)/n and matches central differences", () => {
    const P = Matrix.fromArray([
      [0.3, -1.2],
      [2.0, 0.7],
      [0.1, 0.0],
    ]);
    const Y = Matrix.fromArray([
      [1, 0],
      [0, 1],
      [0.5, 0.5],
    ]);
    const g = mse.gradient(P, Y);
    expect(g.get(0, 0)).toBeCloseTo((2 * (0.3 - 1)) / 3, 15);
    numericGradientOf(mse, P, Y).forEach((v, i) => expect(g.data[i]).toBeCloseTo(v, 8));
  });
});

describe("binaryCrossEntropy", () => {
  it("matches −[y log p + (1 − y) log(1 − p)] averaged (hand-computed)", () => {
    const value = binaryCrossEntropy.value(
      Matrix.fromColumn([0.9, 0.2]),
      Matrix.fromColumn([1, 0]),
    );
    expect(value).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 15);
    expect(binaryCrossEntropy.value(Matrix.fromColumn([0.5]), Matrix.fromColumn([1]))).toBeCloseTo(
      Math.LN2,
      15,
    );
  });

  it("clips log(0): a confident wrong answer costs −log(1e−12), not infinity", () => {
    expect(PROBABILITY_CLIP).toBe(1e-12);
    const wrong = binaryCrossEntropy.value(Matrix.fromColumn([0]), Matrix.fromColumn([1]));
    expect(wrong).toBeCloseTo(-Math.log(1e-12), 6);
    expect(
      Number.isFinite(
        binaryCrossEntropy.gradient(Matrix.fromColumn([0]), Matrix.fromColumn([1])).get(0, 0),
      ),
    ).toBe(true);
    expect(binaryCrossEntropy.value(Matrix.fromColumn([1]), Matrix.fromColumn([1]))).toBeLessThan(
      1e-11,
    );
  });

  it("gradient matches central differences away from the clip", () => {
    const P = Matrix.fromArray([
      [0.3, 0.9],
      [0.55, 0.02],
    ]);
    const Y = Matrix.fromArray([
      [1, 0],
      [0, 1],
    ]);
    const g = binaryCrossEntropy.gradient(P, Y);
    numericGradientOf(binaryCrossEntropy, P, Y).forEach((v, i) =>
      expect(g.data[i]).toBeCloseTo(v, 6),
    );
  });
});

describe("loss input checks", () => {
  it("name the shapes, the bad value and its position", () => {
    expect(() => mse.value(Matrix.zeros(2, 1), Matrix.zeros(3, 1))).toThrow(
      /mse: predictions are 2×1 but targets are 3×1/,
    );
    expect(() => mse.gradient(Matrix.zeros(2, 1), Matrix.zeros(2, 2))).toThrow(
      /mse.gradient: predictions are 2×1 but targets are 2×2/,
    );
    expect(() => mse.value(Matrix.fromColumn([1, NaN]), Matrix.fromColumn([0, 0]))).toThrow(
      /mse: prediction NaN at \(1, 0\)/,
    );
    expect(() => mse.value(Matrix.zeros(0, 1), Matrix.zeros(0, 1))).toThrow(/no examples/);
    expect(() =>
      binaryCrossEntropy.value(Matrix.fromColumn([1.5]), Matrix.fromColumn([1])),
    ).toThrow(/prediction 1.5 at \(0, 0\) is not a probability/);
    expect(() =>
      binaryCrossEntropy.value(Matrix.fromColumn([0.5]), Matrix.fromColumn([2])),
    ).toThrow(/target 2 at \(0, 0\) is not in \[0, 1\]/);
  });

  it("lossByName finds the losses and rejects unknown names", () => {
    expect(lossByName("mse")).toBe(mse);
    expect(() => lossByName("hinge")).toThrow(
      /unknown loss "hinge" \(known: mse, binaryCrossEntropy, categoricalCrossEntropy\)/,
    );
  });
});

describe("every loss in the registry", () => {
  // Probabilities away from the clip, rows summing to 1 (so they suit every loss), and soft targets.
  const P = Matrix.fromArray([
    [0.2, 0.5, 0.3],
    [0.6, 0.1, 0.3],
  ]);
  const Y = Matrix.fromArray([
    [0, 1, 0],
    [0.25, 0.25, 0.5],
  ]);

  it.each(Object.entries(losses))("%s: gradient agrees with central differences", (_name, loss) => {
    const g = loss.gradient(P, Y);
    numericGradientOf(loss, P, Y).forEach((v, i) => expect(g.data[i]).toBeCloseTo(v, 6));
  });

  it.each(Object.entries(losses).filter(([, loss]) => loss.fromScores))(
    "%s from scores: the same value as from the probabilities, and its gradient is its derivative",
    (_name, loss) => {
      const scores = loss.fromScores!;
      const g = layerActivations[scores.activation];
      const Z = Matrix.fromArray([
        [0.3, -1.2, 2.0],
        [0.7, 0.1, -0.4],
      ]);
      const A = g.forward(Z);
      expect(scores.value(Z, Y)).toBeCloseTo(loss.value(A, Y), 14);
      const analytic = scores.gradient(Z, A, Y);
      const numeric = numericalGradient(
        (z) => scores.value(new Matrix(Z.rows, Z.cols, z), Y),
        Float64Array.from(Z.data),
        1e-6,
      );
      numeric.forEach((v, i) => expect(analytic.data[i]).toBeCloseTo(v, 8));
    },
  );
});

describe("cross-entropy from scores (log-sum-exp)", () => {
  it("is exact where the probability itself underflows, with no cap at −log(1e−12)", () => {
    // Class 0 has score 0 against 100: p = e^−100 / (1 + e^−100), so the loss is 100 + log(1 + e^−100).
    const Z = Matrix.fromArray([[0, 100]]);
    const Y = Matrix.fromArray([[1, 0]]);
    expect(softmaxCrossEntropy(Z, Y)).toBeCloseTo(100, 12);
    expect(categoricalCrossEntropy.value(Matrix.fromRow(softmax([0, 100])), Y)).toBeCloseTo(
      -Math.log(PROBABILITY_CLIP),
      10,
    );
    expect(
      softmaxCrossEntropy(Matrix.fromArray([[1000, 999, 998]]), Matrix.fromArray([[0, 0, 1]])),
    ).toBeCloseTo(2 + Math.log(1 + Math.exp(-1) + Math.exp(-2)), 12);
    // Sigmoid: −log σ(−50) = 50 + log(1 + e^−50); −log(1 − σ(40)) = 40 + log(1 + e^−40).
    expect(
      sigmoidBinaryCrossEntropy(Matrix.fromArray([[-50]]), Matrix.fromArray([[1]])),
    ).toBeCloseTo(50, 12);
    expect(
      sigmoidBinaryCrossEntropy(Matrix.fromArray([[40]]), Matrix.fromArray([[0]])),
    ).toBeCloseTo(40, 12);
    expect(
      sigmoidBinaryCrossEntropy(Matrix.fromArray([[0.3]]), Matrix.fromArray([[1]])),
    ).toBeCloseTo(-Math.log(sigmoid(0.3)), 15);
  });

  it("gives the gradient p − y for one-hot and soft targets, and refuses rows not summing to 1", () => {
    const Z = Matrix.fromArray([[1, 2, 0.5]]);
    const P = Matrix.fromRow(softmax([1, 2, 0.5]));
    const oneHot = Matrix.fromArray([[1, 0, 0]]);
    const g = categoricalCrossEntropy.fromScores!.gradient(Z, P, oneHot);
    expect(Array.from(g.data)).toEqual(Array.from(P.data).map((p, j) => p - oneHot.data[j]));
    const soft = Matrix.fromArray([[0.5, 0.5, 0]]);
    const gSoft = categoricalCrossEntropy.fromScores!.gradient(Z, P, soft);
    expect(gSoft.data[1]).toBeCloseTo(P.data[1] - 0.5, 15);
    expect(() =>
      categoricalCrossEntropy.fromScores!.gradient(Z, P, Matrix.fromArray([[0.5, 0, 0]])),
    ).toThrow("categoricalCrossEntropy.fromScores: target row 0 sums to 0.5");
  });

  it("rejects scores that are not finite and targets outside [0, 1], by name", () => {
    expect(() =>
      softmaxCrossEntropy(Matrix.fromArray([[NaN, 1]]), Matrix.fromArray([[1, 0]])),
    ).toThrow("softmaxCrossEntropy: score NaN at (0, 0)");
    expect(() =>
      sigmoidBinaryCrossEntropy(Matrix.fromArray([[1]]), Matrix.fromArray([[2]])),
    ).toThrow("sigmoidBinaryCrossEntropy: target 2 at (0, 0) is not in [0, 1]");
    expect(() => softmaxCrossEntropy(Matrix.zeros(2, 3), Matrix.zeros(2, 2))).toThrow(
      "softmaxCrossEntropy: scores are 2×3 but targets are 2×2",
    );
  });
});

describe("outputLoss: a loss paired with the output layer's activation", () => {
  const random = new Random("output-loss");
  const Z = random.normalMatrix(5, 3, 0, 3);
  const Y = Matrix.fromArray([
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [1, 0, 0],
    [0, 1, 0],
  ]);

  it("takes the loss from the scores where the loss is made for the activation", () => {
    const paired = outputLoss(categoricalCrossEntropy, "softmax");
    const P = layerActivations.softmax.forward(Z);
    expect(paired.value(Z, P, Y)).toBe(softmaxCrossEntropy(Z, Y));
    const upstream = paired.upstream(Z, P, Y);
    expect("dZ" in upstream).toBe(true);
    const bce = outputLoss(binaryCrossEntropy, "sigmoid").upstream(
      Z,
      layerActivations.sigmoid.forward(Z),
      Y,
    );
    expect("dZ" in bce).toBe(true);
  });

  it("otherwise hands ∂loss/∂A to the layer, which applies the chain rule", () => {
    const A = layerActivations.sigmoid.forward(Z);
    const plain = outputLoss(mse, "sigmoid");
    expect(plain.value(Z, A, Y)).toBe(mse.value(A, Y));
    const upstream = plain.upstream(Z, A, Y);
    expect("dA" in upstream && Array.from(upstream.dA.data)).toEqual(
      Array.from(mse.gradient(A, Y).data),
    );
    // Categorical cross-entropy after a sigmoid output is not its pairing: it goes through ∂loss/∂A.
    expect("dA" in outputLoss(categoricalCrossEntropy, "sigmoid").upstream(Z, A, Y)).toBe(true);
  });
});
