/**
 * Chapter 4's network, small enough to differentiate by hand: two inputs, two sigmoid hidden units h1 and h2,
 * one sigmoid output o, and nine named parameters:
 *
 *   h1 = σ(w1·x1 + w2·x2 + b1)     h2 = σ(w3·x1 + w4·x2 + b2)     o = σ(w5·h1 + w6·h2 + b3)
 *
 * Every partial derivative of the loss is written out with the chain rule in `gradients()`. Chapter 5
 * replaces this by backpropagation in matrix form, which computes the same numbers for any network.
 */
import {
  checkFinite,
  checkPositive,
  checkPositiveInteger,
  describeValue,
  rejectUnknownOptions,
} from "../core/checks";
import { sigmoid } from "../networks/activations";
import { stopIfNotFinite, warnIfNotLearning } from "../networks/divergence";
import { Random } from "../core/random";

export const TINY_PARAMETER_NAMES = ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"] as const;
export type TinyParameterName = (typeof TINY_PARAMETER_NAMES)[number];
export type TinyParameters = Record<TinyParameterName, number>;

/** A labelled person: weight − 135 lb, height − 66 in, and 1 for female, 0 for male. */
export interface Person {
  name: string;
  weight: number;
  height: number;
  female: 0 | 1;
}

/** The four people the network learns from (weights and heights shifted by 135 lb and 66 in). */
export const FOUR_PEOPLE: readonly Person[] = [
  { name: "Alice", weight: -2, height: -1, female: 1 },
  { name: "Bob", weight: 25, height: 6, female: 0 },
  { name: "Charlie", weight: 17, height: 4, female: 0 },
  { name: "Diana", weight: -15, height: -6, female: 1 },
];

/** Two people the network has not seen, to predict. */
export const NEW_PEOPLE: ReadonlyArray<Omit<Person, "female">> = [
  { name: "Emily", weight: -7, height: -3 },
  { name: "Frank", weight: 20, height: 2 },
];

/** Every intermediate value of one forward pass: the chain rule needs them all. */
export interface TinyForward {
  sumH1: number;
  h1: number;
  sumH2: number;
  h2: number;
  sumO: number;
  o: number;
}

/** A non-empty array of people, each with numeric weight and height and a 0/1 label. */
function checkPeople(owner: string, people: readonly Person[]): void {
  if (!Array.isArray(people))
    throw new TypeError(
      `${owner}: people must be an array such as FOUR_PEOPLE, got ${describeValue(people)}`,
    );
  if (people.length === 0) throw new RangeError(`${owner}: no people (the array is empty)`);
  people.forEach((p, i) => {
    checkFinite(owner, `people[${i}].weight`, p?.weight);
    checkFinite(owner, `people[${i}].height`, p?.height);
    if (p.female !== 0 && p.female !== 1)
      throw new RangeError(
        `${owner}: people[${i}].female must be 0 or 1, got ${describeValue(p.female)}`,
      );
  });
}

/** σ'(z) = σ(z)(1 − σ(z)) */
function sigmoidSlope(z: number): number {
  const s = sigmoid(z);
  return s * (1 - s);
}

export class TinyNetwork {
  readonly params: TinyParameters;

  /** Starts from the given parameters, or from independent N(0, 1) draws of `random` (default seed). */
  constructor(start: TinyParameters | Random = new Random()) {
    if (start instanceof Random) {
      this.params = Object.fromEntries(
        TINY_PARAMETER_NAMES.map((name) => [name, start.normal()]),
      ) as TinyParameters;
    } else {
      if (start === null || typeof start !== "object")
        throw new TypeError(
          `TinyNetwork: start must be a Random or { w1, …, b3 }, got ${describeValue(start)}`,
        );
      rejectUnknownOptions("TinyNetwork", start, TINY_PARAMETER_NAMES);
      for (const name of TINY_PARAMETER_NAMES) checkFinite("TinyNetwork", name, start[name]);
      this.params = { ...start };
    }
  }

  feedforward(x1: number, x2: number): TinyForward {
    checkFinite("TinyNetwork.feedforward", "x1", x1);
    checkFinite("TinyNetwork.feedforward", "x2", x2);
    const p = this.params;
    const sumH1 = p.w1 * x1 + p.w2 * x2 + p.b1;
    const sumH2 = p.w3 * x1 + p.w4 * x2 + p.b2;
    const h1 = sigmoid(sumH1);
    const h2 = sigmoid(sumH2);
    const sumO = p.w5 * h1 + p.w6 * h2 + p.b3;
    return { sumH1, h1, sumH2, h2, sumO, o: sigmoid(sumO) };
  }

  /** The output o: the predicted probability that the person is female. */
  predict(x1: number, x2: number): number {
    return this.feedforward(x1, x2).o;
  }

  /** Mean squared error over the people: (1/n) Σ (y − o)². */
  loss(people: readonly Person[]): number {
    checkPeople("TinyNetwork.loss", people);
    let sum = 0;
    for (const { weight, height, female } of people)
      sum += (female - this.predict(weight, height)) ** 2;
    return sum / people.length;
  }

  /**
   * ∂L/∂θ for one example with L = (y − o)², every partial written out by the chain rule:
   * ∂L/∂θ = ∂L/∂o · ∂o/∂θ for the output layer, and ∂L/∂o · ∂o/∂h · ∂h/∂θ for a hidden unit's parameters.
   */
  gradients(x1: number, x2: number, y: number): TinyParameters {
    const { w5, w6 } = this.params;
    const { sumH1, h1, sumH2, h2, sumO, o } = this.feedforward(x1, x2);
    const dL_do = -2 * (y - o);

    // Output unit: o = σ(w5·h1 + w6·h2 + b3).
    const do_dsumO = sigmoidSlope(sumO);
    const do_dw5 = h1 * do_dsumO;
    const do_dw6 = h2 * do_dsumO;
    const do_db3 = do_dsumO;
    const do_dh1 = w5 * do_dsumO;
    const do_dh2 = w6 * do_dsumO;

    // Hidden unit h1 = σ(w1·x1 + w2·x2 + b1).
    const dh1_dsum = sigmoidSlope(sumH1);
    const dh1_dw1 = x1 * dh1_dsum;
    const dh1_dw2 = x2 * dh1_dsum;
    const dh1_db1 = dh1_dsum;

    // Hidden unit h2 = σ(w3·x1 + w4·x2 + b2).
    const dh2_dsum = sigmoidSlope(sumH2);
    const dh2_dw3 = x1 * dh2_dsum;
    const dh2_dw4 = x2 * dh2_dsum;
    const dh2_db2 = dh2_dsum;

    return {
      w1: dL_do * do_dh1 * dh1_dw1,
      w2: dL_do * do_dh1 * dh1_dw2,
      b1: dL_do * do_dh1 * dh1_db1,
      w3: dL_do * do_dh2 * dh2_dw3,
      w4: dL_do * do_dh2 * dh2_dw4,
      b2: dL_do * do_dh2 * dh2_db2,
      w5: dL_do * do_dw5,
      w6: dL_do * do_dw6,
      b3: dL_do * do_db3,
    };
  }

  /**
   * Online (per-example) gradient descent: for each person in turn, in the given order, move every
   * parameter against its own partial derivative of that person's loss, θ ← θ − η·∂L/∂θ.
   * Returns the mean squared error over all people after each epoch. Stops when the loss or a parameter
   * stops being finite, and warns when the last epoch's loss is not 1% below the first's.
   */
  train(
    people: readonly Person[],
    options: { learningRate?: number; epochs?: number } = {},
  ): number[] {
    rejectUnknownOptions("TinyNetwork.train", options, ["learningRate", "epochs"]);
    checkPeople("TinyNetwork.train", people);
    const { learningRate = 0.1, epochs = 1000 } = options;
    checkPositive("TinyNetwork.train", "learningRate", learningRate);
    checkPositiveInteger("TinyNetwork.train", "epochs", epochs);
    const lossPerEpoch: number[] = [];
    for (let epoch = 1; epoch <= epochs; epoch++) {
      for (const { weight, height, female } of people) {
        const grad = this.gradients(weight, height, female);
        for (const name of TINY_PARAMETER_NAMES) this.params[name] -= learningRate * grad[name];
      }
      const loss = this.loss(people);
      stopIfNotFinite("TinyNetwork.train", { epoch, learningRate }, { loss, ...this.params });
      lossPerEpoch.push(loss);
    }
    warnIfNotLearning("TinyNetwork.train", lossPerEpoch, learningRate);
    return lossPerEpoch;
  }
}
