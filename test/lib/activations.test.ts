import { describe, expect, it } from "vitest";
import {
  activationByName,
  activationDerivative,
  activations,
  applyActivation,
  layerActivationByName,
  layerActivations,
  leakyRelu,
  relu,
  sigmoid,
} from "../../lib/src/networks/activations";
import { Random } from "../../lib/src/core/random";
import {
  numericalDerivative,
  numericalGradient,
  relativeError,
} from "../../lib/src/networks/gradients";
import { Matrix } from "../../lib/src/core/matrix";

const grid = Array.from({ length: 81 }, (_, i) => -8 + i * 0.2 + 0.013); // avoids z = 0 exactly

describe("activation values", () => {
  it("match their definitions", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(2)).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
    expect(relu(-3)).toBe(0);
    expect(relu(2.5)).toBe(2.5);
    expect(activations.tanh.value(0.7)).toBeCloseTo(Math.tanh(0.7), 15);
    expect(activations.linear.value(-4)).toBe(-4);
    expect(activations.step.value(0)).toBe(1);
    expect(activations.leakyRelu.value(-2)).toBeCloseTo(-0.02, 15);
    expect(leakyRelu(0.2).value(-2)).toBeCloseTo(-0.4, 15);
  });

  it("sigmoid neither overflows nor loses its tails for huge inputs", () => {
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(-40)).toBeGreaterThan(0); // e^-40 ≈ 4e-18: the naive 1/(1+e^40) also works, but e^z/(1+e^z) keeps relative precision
    expect(sigmoid(-40) / Math.exp(-40)).toBeCloseTo(1, 12);
  });
});

describe("activation derivatives", () => {
  // Every activation in the registry, so that a new one is checked the day it is added. The step is
  // flat wherever it has a slope, and its central difference across the jump is not a derivative.
  const smooth = Object.values(activations).filter((g) => g.name !== "step");
  it("the registry holds every activation the book uses", () => {
    expect(Object.keys(activations)).toEqual([
      "step",
      "linear",
      "sigmoid",
      "tanh",
      "relu",
      "leakyRelu",
    ]);
  });

  it.each(smooth.map((g) => [g.name, g] as const))(
    "%s: derivative agrees with central differences",
    (_name, g) => {
      for (const z of grid) {
        const numeric = numericalDerivative(g.value, z, 1e-6);
        const analytic = g.derivative(z);
        expect(Math.abs(numeric - analytic), `z = ${z}`).toBeLessThan(
          1e-8 + 1e-6 * Math.abs(analytic),
        );
      }
    },
  );

  it("sigmoid's derivative peaks at 1/4 and is tiny in the tails", () => {
    expect(activations.sigmoid.derivative(0)).toBe(0.25);
    expect(Math.max(...grid.map(activations.sigmoid.derivative))).toBeLessThan(0.25);
    expect(activations.sigmoid.derivative(6)).toBeLessThan(0.0025);
  });

  it("the step's derivative is zero and ReLU's kink takes the right-hand slope", () => {
    expect(grid.every((z) => activations.step.derivative(z) === 0)).toBe(true);
    expect(activations.relu.derivative(0)).toBe(1);
    expect(activations.relu.derivative(-1e-9)).toBe(0);
  });

  it("relativeError is scale-free", () => {
    expect(relativeError(1e6, 1e6 + 1)).toBeCloseTo(1 / (1e6 + 1), 18);
    expect(relativeError(1e-6, 1e-6 + 1e-12)).toBeCloseTo(relativeError(1e6, 1e6 + 1), 12);
    expect(relativeError(0, 0)).toBe(0);
  });
});

describe("activations on matrices and by name", () => {
  it("apply elementwise", () => {
    const Z = Matrix.fromArray([
      [-1, 0],
      [2, -3],
    ]);
    expect(applyActivation(Z, "relu").toArray()).toEqual([
      [0, 0],
      [2, 0],
    ]);
    expect(activationDerivative(Z, activations.relu).toArray()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(applyActivation(Z, "sigmoid").get(0, 1)).toBe(0.5);
  });

  it("unknown names and bad slopes are rejected by name", () => {
    expect(activationByName("tanh")).toBe(activations.tanh);
    expect(() => activationByName("swish")).toThrow(
      /unknown activation "swish" \(known: step, linear, sigmoid, tanh, relu, leakyRelu\)/,
    );
    expect(() => applyActivation(Matrix.zeros(1, 1), "Relu" as never)).toThrow(
      /unknown activation "Relu"/,
    );
    expect(() => leakyRelu(-0.1)).toThrow(/slope must be in \[0, 1\), got -0.1/);
  });
});

describe("layer activations", () => {
  // A random batch of pre-activations away from the corners at 0, and a random upstream gradient dA.
  const random = new Random("layer-activations");
  const Z = Matrix.fromFunction(4, 3, () => {
    const z = random.normal(0, 2);
    return Math.abs(z) < 0.05 ? z + 0.1 : z;
  });
  const dA = random.normalMatrix(4, 3);

  it.each(Object.entries(layerActivations).filter(([name]) => name !== "step"))(
    "%s: backward is the gradient of Σ dA ⊙ g(Z), by central differences",
    (_name, g) => {
      // L(Z) = Σ dA ⊙ g(Z) has ∂L/∂Z = g.backward(dA, Z, g(Z)), for element-wise and row-wise g alike.
      const analytic = g.backward(dA, Z, g.forward(Z));
      const L = (z: Float64Array) => {
        const A = g.forward(new Matrix(Z.rows, Z.cols, z));
        return A.data.reduce((sum, a, i) => sum + a * dA.data[i], 0);
      };
      const numeric = numericalGradient(L, Float64Array.from(Z.data), 1e-6);
      numeric.forEach((v, i) => expect(analytic.data[i]).toBeCloseTo(v, 7));
    },
  );

  it("element-wise ones apply their function entry by entry; the softmax makes rows of probabilities", () => {
    expect(layerActivations.tanh.forward(Z).data).toEqual(applyActivation(Z, "tanh").data);
    const P = layerActivations.softmax.forward(Z);
    for (let i = 0; i < P.rows; i++) expect(P.row(i).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    expect(layerActivations.softmax.minUnits).toBe(2);
    expect(() => layerActivationByName("softplus")).toThrow(
      /unknown activation "softplus" \(known: .*softmax\)/,
    );
  });
});
