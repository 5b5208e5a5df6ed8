/**
 * The perceptron: a weighted sum of the inputs plus a bias, passed through a step.
 * Chapter 1 builds logic gates from it, then lets the perceptron learning rule find the weights.
 */
import { step } from "../networks/activations";
import {
  checkFinite,
  checkNonNegative,
  checkPositive,
  checkPositiveInteger,
  describeValue,
  rejectUnknownOptions,
} from "../core/checks";
import { assertFinite } from "../core/matrix";
import { Random, checkRandom } from "../core/random";

/** One neuron with a step activation: y = step(w·x + b). */
export class Perceptron {
  readonly weights: number[];
  bias: number;

  constructor(weights: readonly number[], bias: number) {
    assertFinite(weights, "Perceptron: weights");
    if (weights.length === 0) throw new RangeError("Perceptron: needs at least one weight");
    checkFinite("Perceptron", "bias", bias);
    this.weights = [...weights];
    this.bias = bias;
  }

  /** The pre-activation z = w·x + b. */
  weightedSum(input: readonly number[]): number {
    assertFinite(input, "Perceptron: input");
    if (input.length !== this.weights.length) {
      throw new Error(
        `Perceptron: input has ${input.length} values, but the perceptron has ${this.weights.length} weights`,
      );
    }
    assertFinite(input, "Perceptron: input");
    let sum = this.bias;
    for (let i = 0; i < input.length; i++) sum += this.weights[i] * input[i];
    return sum;
  }

  predict(input: readonly number[]): 0 | 1 {
    return step(this.weightedSum(input));
  }

  /**
   * For two inputs, the decision line w1·x1 + w2·x2 + b = 0 written as x2 = slope·x1 + intercept,
   * or null when w2 = 0 (the line is vertical, x1 = −b/w1).
   */
  decisionLine(): { slope: number; intercept: number } | null {
    if (this.weights.length !== 2)
      throw new Error(`decisionLine: needs 2 weights, the perceptron has ${this.weights.length}`);
    const [w1, w2] = this.weights;
    if (w2 === 0) return null;
    return { slope: -w1 / w2, intercept: -this.bias / w2 };
  }
}

/** A labelled example: an input vector and its target, 0 or 1. */
export interface Sample {
  input: readonly number[];
  target: 0 | 1;
}

export interface PerceptronTrainingOptions {
  /** η in w ← w + η(t − y)x. Default 0.1. */
  learningRate?: number;
  /** Stop after this many passes over the data even if errors remain. Default 100. */
  maxEpochs?: number;
  /** Source of the random starting weights and bias. Default: a `Random` with the library's default seed. */
  random?: Random;
  /** Starting weights and bias are drawn uniformly from [−initialRange, initialRange]. Default 1. */
  initialRange?: number;
}

export interface PerceptronTrainingResult {
  perceptron: Perceptron;
  /** Misclassified samples in each epoch (each one caused an update). */
  errorsPerEpoch: number[];
  /** True when the last epoch made no mistake: the data are separated. */
  converged: boolean;
  /** Epochs run; when converged, the last of them was the first error-free pass. */
  epochs: number;
  /** The random starting point, for showing where learning began. */
  initialWeights: number[];
  initialBias: number;
}

/**
 * The perceptron learning rule (Rosenblatt): visit the samples in order; for each mistake move the weights
 * by η(t − y)x and the bias by η(t − y). Stops after the first epoch without a mistake, or after maxEpochs.
 * It reaches zero errors whenever a separating line exists; for XOR it never does.
 */
export function trainPerceptron(
  samples: readonly Sample[],
  options: PerceptronTrainingOptions = {},
): PerceptronTrainingResult {
  rejectUnknownOptions("trainPerceptron", options, [
    "learningRate",
    "maxEpochs",
    "random",
    "initialRange",
  ]);
  const { learningRate = 0.1, maxEpochs = 100, random = new Random(), initialRange = 1 } = options;
  if (!Array.isArray(samples))
    throw new TypeError(
      `trainPerceptron: samples must be an array of { input, target }, got ${describeValue(samples)}`,
    );
  if (samples.length === 0) throw new RangeError("trainPerceptron: no samples");
  checkRandom("trainPerceptron", "random", random);
  checkPositive("trainPerceptron", "learningRate", learningRate);
  checkPositiveInteger("trainPerceptron", "maxEpochs", maxEpochs);
  checkNonNegative("trainPerceptron", "initialRange", initialRange);
  samples.forEach((s, i) => assertFinite(s?.input, `trainPerceptron: sample ${i} input`));
  const n = samples[0].input.length;
  samples.forEach((s, i) => {
    if (s.input.length !== n)
      throw new Error(
        `trainPerceptron: sample ${i} has ${s.input.length} inputs, sample 0 has ${n}`,
      );
    assertFinite(s.input, `trainPerceptron: sample ${i} input`);
    if (s.target !== 0 && s.target !== 1)
      throw new Error(
        `trainPerceptron: sample ${i} has target ${s.target}; targets must be 0 or 1`,
      );
  });

  const initialWeights = Array.from({ length: n }, () =>
    random.uniform(-initialRange, initialRange),
  );
  const initialBias = random.uniform(-initialRange, initialRange);
  const perceptron = new Perceptron(initialWeights, initialBias);
  const errorsPerEpoch: number[] = [];
  for (let epoch = 0; epoch < maxEpochs; epoch++) {
    let errors = 0;
    for (const { input, target } of samples) {
      const delta = target - perceptron.predict(input);
      if (delta === 0) continue;
      errors++;
      for (let i = 0; i < n; i++) perceptron.weights[i] += learningRate * delta * input[i];
      perceptron.bias += learningRate * delta;
    }
    errorsPerEpoch.push(errors);
    if (errors === 0) break;
  }
  const converged = errorsPerEpoch[errorsPerEpoch.length - 1] === 0;
  return {
    perceptron,
    errorsPerEpoch,
    converged,
    epochs: errorsPerEpoch.length,
    initialWeights,
    initialBias,
  };
}
