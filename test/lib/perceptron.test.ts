import { describe, expect, it } from "vitest";
import {
  BINARY_INPUTS,
  LOGIC_GATES,
  asGate,
  gateSamples,
  sameTruthTable,
  truthTable,
} from "../../lib/src/small-models/gates";
import { step } from "../../lib/src/networks/activations";
import { Perceptron, trainPerceptron } from "../../lib/src/small-models/perceptron";
import { Random } from "../../lib/src/core/random";

describe("step", () => {
  it("is 1 from zero up and 0 below", () => {
    expect([-2, -1e-12, 0, 1e-12, 3].map(step)).toEqual([0, 0, 1, 1, 1]);
    expect(step(-Infinity)).toBe(0);
    expect(step(Infinity)).toBe(1);
  });
  it("rejects NaN", () => {
    expect(() => step(NaN)).toThrow(/step: input is NaN/);
  });
});

describe("Perceptron", () => {
  const and = new Perceptron([0.5, 0.5], -0.8);

  it("computes w·x + b and steps it", () => {
    expect(and.weightedSum([1, 1])).toBeCloseTo(0.2, 12);
    expect(and.weightedSum([1, 0])).toBeCloseTo(-0.3, 12);
    expect(and.predict([1, 1])).toBe(1);
    expect(and.predict([0, 1])).toBe(0);
  });

  it("with the seed material's AND weights is the AND gate", () => {
    expect(sameTruthTable(asGate(and), LOGIC_GATES.AND)).toBe(true);
    expect(sameTruthTable(asGate(new Perceptron([0.5, 0.5], -0.3)), LOGIC_GATES.OR)).toBe(true);
    expect(sameTruthTable(asGate(new Perceptron([-0.5, -0.5], 0.8)), LOGIC_GATES.NAND)).toBe(true);
  });

  it("copies its weights, so the caller's array is not changed by training", () => {
    const weights = [1, 2];
    const p = new Perceptron(weights, 0);
    p.weights[0] = 5;
    expect(weights).toEqual([1, 2]);
  });

  it("gives its decision line as slope and intercept", () => {
    const line = and.decisionLine();
    expect(line!.slope).toBeCloseTo(-1, 12);
    expect(line!.intercept).toBeCloseTo(1.6, 12);
    expect(new Perceptron([1, 0], -0.5).decisionLine()).toBeNull();
    expect(() => new Perceptron([1, 2, 3], 0).decisionLine()).toThrow(
      /needs 2 weights, the perceptron has 3/,
    );
  });

  it("rejects bad weights and inputs with messages that name the problem", () => {
    expect(() => new Perceptron([], 0)).toThrow(/at least one weight/);
    expect(() => new Perceptron([1, NaN], 0)).toThrow(/weights contains NaN at index 1/);
    expect(() => new Perceptron([1, 1], Infinity)).toThrow(
      /Perceptron: bias must be a finite number, got Infinity/,
    );
    expect(() => and.predict([1])).toThrow(/input has 1 values, but the perceptron has 2 weights/);
    expect(() => and.predict([1, NaN])).toThrow(/input contains NaN at index 1/);
  });
});

describe("trainPerceptron", () => {
  it("learns AND, OR and NAND: converges with zero errors in its last epoch and the right truth table", () => {
    for (const name of ["AND", "OR", "NAND"] as const) {
      const result = trainPerceptron(gateSamples(LOGIC_GATES[name]), {
        random: new Random(`test-${name}`),
      });
      expect(result.converged).toBe(true);
      expect(result.errorsPerEpoch.at(-1)).toBe(0);
      expect(result.errorsPerEpoch.slice(0, -1).every((e) => e > 0)).toBe(true);
      expect(result.epochs).toBe(result.errorsPerEpoch.length);
      expect(sameTruthTable(asGate(result.perceptron), LOGIC_GATES[name])).toBe(true);
    }
  });

  it("never separates XOR and stops at maxEpochs", () => {
    const result = trainPerceptron(gateSamples(LOGIC_GATES.XOR), {
      maxEpochs: 50,
      random: new Random("test-xor"),
    });
    expect(result.converged).toBe(false);
    expect(result.epochs).toBe(50);
    expect(Math.min(...result.errorsPerEpoch)).toBeGreaterThan(0);
  });

  it("applies the rule w += η(t − y)x, b += η(t − y) exactly", () => {
    // One sample, target 1; whatever the start, if the first prediction is wrong the update is +η·x and +η.
    const random = new Random("rule");
    const result = trainPerceptron([{ input: [2, -1], target: 1 }], {
      learningRate: 0.25,
      maxEpochs: 1,
      random,
      initialRange: 0.01,
    });
    const start = new Random("rule");
    const w0 = [start.uniform(-0.01, 0.01), start.uniform(-0.01, 0.01)];
    const b0 = start.uniform(-0.01, 0.01);
    expect(result.initialWeights).toEqual(w0);
    expect(result.initialBias).toBe(b0);
    const wrong = 2 * w0[0] - w0[1] + b0 < 0;
    expect(result.errorsPerEpoch).toEqual([wrong ? 1 : 0]);
    if (wrong) {
      expect(result.perceptron.weights[0]).toBeCloseTo(w0[0] + 0.5, 12);
      expect(result.perceptron.weights[1]).toBeCloseTo(w0[1] - 0.25, 12);
      expect(result.perceptron.bias).toBeCloseTo(b0 + 0.25, 12);
    }
  });

  it("is reproducible from the seed and differs between seeds", () => {
    const run = (seed: string) =>
      trainPerceptron(gateSamples(LOGIC_GATES.AND), { random: new Random(seed) });
    expect(run("a")).toEqual(run("a"));
    expect(run("a").initialWeights).not.toEqual(run("b").initialWeights);
  });

  it("rejects bad data and options with clear errors", () => {
    const ok = gateSamples(LOGIC_GATES.AND);
    expect(() => trainPerceptron([])).toThrow(/no samples/);
    expect(() =>
      trainPerceptron([
        { input: [0, 1], target: 1 },
        { input: [1], target: 0 },
      ]),
    ).toThrow(/sample 1 has 1 inputs, sample 0 has 2/);
    expect(() => trainPerceptron([{ input: [0, NaN], target: 1 }])).toThrow(
      /sample 0 input contains NaN at index 1/,
    );
    expect(() => trainPerceptron([{ input: [0, 1], target: 2 as 1 }])).toThrow(
      /target 2; targets must be 0 or 1/,
    );
    expect(() => trainPerceptron(ok, { learningRate: 0 })).toThrow(
      /learningRate must be a positive number, got 0/,
    );
    expect(() => trainPerceptron(ok, { learningRate: NaN })).toThrow(
      /learningRate must be a positive number/,
    );
    expect(() => trainPerceptron(ok, { maxEpochs: 1.5 })).toThrow(
      /maxEpochs must be a positive integer/,
    );
    expect(() => trainPerceptron(ok, { initialRange: -1 })).toThrow(/initialRange must be ≥ 0/);
    expect(() => trainPerceptron(ok, { learningrate: 0.1 } as never)).toThrow(
      /unknown option "learningrate"/,
    );
  });
});

describe("gates", () => {
  it("BINARY_INPUTS are the four inputs in truth-table order", () => {
    expect(BINARY_INPUTS).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
  });

  it("the reference gates have their textbook truth tables", () => {
    const outputs = (name: keyof typeof LOGIC_GATES) =>
      truthTable(LOGIC_GATES[name]).map((r) => r.y);
    expect(outputs("AND")).toEqual([0, 0, 0, 1]);
    expect(outputs("OR")).toEqual([0, 1, 1, 1]);
    expect(outputs("NAND")).toEqual([1, 1, 1, 0]);
    expect(outputs("XOR")).toEqual([0, 1, 1, 0]);
    expect(truthTable(LOGIC_GATES.AND)[3]).toEqual({ x1: 1, x2: 1, y: 1 });
  });

  it("sameTruthTable tells gates apart", () => {
    expect(sameTruthTable(LOGIC_GATES.AND, LOGIC_GATES.AND)).toBe(true);
    expect(sameTruthTable(LOGIC_GATES.AND, LOGIC_GATES.OR)).toBe(false);
  });

  it("gateSamples turns a truth table into training samples", () => {
    expect(gateSamples(LOGIC_GATES.XOR)).toEqual([
      { input: [0, 0], target: 0 },
      { input: [0, 1], target: 1 },
      { input: [1, 0], target: 1 },
      { input: [1, 1], target: 0 },
    ]);
  });

  it("asGate rejects a model whose output is not a bit", () => {
    const gate = asGate({ predict: () => 0.7 });
    expect(() => gate(0, 1)).toThrow(/predicted 0.7 for \(0, 1\); a gate must output 0 or 1/);
  });
});
