import { describe, expect, it } from "vitest";
import {
  gradientDescent,
  numericalDerivative,
  numericalGradient,
} from "../../lib/src/networks/gradients";

describe("numerical derivatives", () => {
  it("numericalDerivative is accurate to O(h²)", () => {
    expect(numericalDerivative(Math.sin, 1)).toBeCloseTo(Math.cos(1), 9);
    expect(numericalDerivative((x) => x ** 3, 2, 1e-3)).toBeCloseTo(12, 5);
    expect(() => numericalDerivative(Math.sin, 0, 0)).toThrow(/h must be a positive number, got 0/);
  });

  it("numericalGradient gives every partial and restores the parameters it moved", () => {
    const params = Float64Array.from([1, -2, 0.5]);
    const f = (p: Float64Array) => p[0] * p[0] + 3 * p[1] + Math.exp(p[2]);
    const g = numericalGradient(f, params);
    expect(g[0]).toBeCloseTo(2, 8);
    expect(g[1]).toBeCloseTo(3, 8);
    expect(g[2]).toBeCloseTo(Math.exp(0.5), 8);
    expect(Array.from(params)).toEqual([1, -2, 0.5]);
  });

  it("numericalGradient refuses a function that is not finite", () => {
    expect(() => numericalGradient((p) => Math.log(p[0]), Float64Array.from([0]))).toThrow(
      /not finite near parameter 0/,
    );
  });
});

describe("gradientDescent", () => {
  const bowl = {
    f: (x: readonly number[]) => x[0] ** 2 + 10 * x[1] ** 2,
    gradient: (x: readonly number[]) => [2 * x[0], 20 * x[1]],
  };

  it("takes exact steps x ← x − η∇f(x) and records the path", () => {
    const run = gradientDescent({ ...bowl, start: [1, 1], learningRate: 0.01, steps: 2 });
    expect(run.path[1]).toEqual([1 - 0.02, 1 - 0.2]);
    expect(run.path[2][0]).toBeCloseTo(0.98 * 0.98, 15);
    expect(run.values).toHaveLength(3);
    expect(run.values[0]).toBe(11);
    expect(run.diverged).toBe(false);
  });

  it("with momentum adds μ times the previous step: v ← μv − η∇f, x ← x + v", () => {
    const run = gradientDescent({
      ...bowl,
      start: [1, 1],
      learningRate: 0.01,
      steps: 2,
      momentum: 0.9,
    });
    expect(run.path[1]).toEqual([1 - 0.02, 1 - 0.2]); // v starts at 0: the first step is plain
    // Second step: v = 0.9·(−0.02) − 0.01·2·0.98 for w₁, and 0.9·(−0.2) − 0.01·20·0.8 for w₂.
    expect(run.path[2][0]).toBeCloseTo(0.98 + 0.9 * -0.02 - 0.01 * 2 * 0.98, 15);
    expect(run.path[2][1]).toBeCloseTo(0.8 + 0.9 * -0.2 - 0.01 * 20 * 0.8, 15);
    // On the flat direction momentum gets much further in the same number of steps.
    const plain = gradientDescent({ ...bowl, start: [-4, 1.5], learningRate: 0.01, steps: 50 });
    const heavy = gradientDescent({
      ...bowl,
      start: [-4, 1.5],
      learningRate: 0.01,
      steps: 50,
      momentum: 0.9,
    });
    expect(Math.abs(heavy.path[50][0])).toBeLessThan(Math.abs(plain.path[50][0]) / 2);
    expect(() =>
      gradientDescent({ ...bowl, start: [1, 1], learningRate: 0.1, steps: 1, momentum: 1 }),
    ).toThrow("gradientDescent: momentum must be in [0, 1), got 1");
    expect(() =>
      gradientDescent({
        ...bowl,
        start: [1, 1],
        learningRate: 0.1,
        steps: 1,
        momentun: 0.5,
      } as never),
    ).toThrow('gradientDescent: unknown option "momentun"');
  });

  it("converges for a small enough rate and diverges past 2/L (L = 20 here)", () => {
    const good = gradientDescent({ ...bowl, start: [1, 1], learningRate: 0.05, steps: 200 });
    expect(good.values.at(-1)).toBeLessThan(1e-8);
    const bad = gradientDescent({ ...bowl, start: [1, 1], learningRate: 0.11, steps: 1000 });
    expect(bad.diverged).toBe(true);
    expect(bad.path.length).toBeLessThan(1000);
    expect(bad.values.every(Number.isFinite)).toBe(true);
  });

  it("rejects bad arguments by name", () => {
    expect(() => gradientDescent({ ...bowl, start: [1, 1], learningRate: -1, steps: 1 })).toThrow(
      /learningRate must be a positive number, got -1/,
    );
    expect(() =>
      gradientDescent({ ...bowl, start: [1, 1], learningRate: 0.1, steps: 1.5 }),
    ).toThrow(/steps must be a non-negative integer/);
    expect(() =>
      gradientDescent({ ...bowl, start: [NaN, 1], learningRate: 0.1, steps: 1 }),
    ).toThrow("gradientDescent: start contains NaN at index 0");
    expect(() =>
      gradientDescent({
        f: bowl.f,
        gradient: () => [1],
        start: [1, 1],
        learningRate: 0.1,
        steps: 1,
      }),
    ).toThrow(/gradient has 1 components for 2 variables/);
  });
});
