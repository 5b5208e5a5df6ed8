/**
 * A single neuron a = g(x·w + b) trained by full-batch gradient descent. With a linear g and the squared
 * error it is linear regression; with the sigmoid and cross-entropy it is logistic regression.
 */
import {
  type Activation,
  type ActivationName,
  activationByName,
  activationDerivative,
  applyActivation,
} from "../networks/activations";
import { affine } from "../networks/layers";
import { type Loss, type LossName, lossByName } from "../networks/losses";
import { checkPositive, checkPositiveInteger, rejectUnknownOptions } from "../core/checks";
import { stopIfNotFinite, warnIfNotLearning } from "../networks/divergence";
import { gemm, Matrix, assertFinite, checkDataMatrix, checkMatrix } from "../core/matrix";

export interface NeuronTrainingOptions {
  loss: Loss | LossName;
  learningRate: number;
  epochs: number;
}

export class Neuron {
  /** 1×inputs */
  readonly weights: Matrix;
  /** 1×1 */
  readonly bias: Matrix;
  readonly activation: Activation;

  /** Starts with all weights and the bias at zero: one neuron has no symmetry to break. */
  constructor(inputs: number, activation: Activation | ActivationName) {
    checkPositiveInteger("Neuron", "inputs", inputs);
    this.weights = Matrix.zeros(1, inputs);
    this.bias = Matrix.zeros(1, 1);
    this.activation =
      typeof activation === "object" && activation !== null
        ? activation
        : activationByName(activation, "Neuron");
  }

  /** The outputs a = g(X·wᵀ + b) for every row of X, as an n×1 matrix. */
  forward(X: Matrix): Matrix {
    checkDataMatrix("Neuron.forward", "X", X);
    return applyActivation(affine(X, this.weights, this.bias), this.activation);
  }

  /**
   * Full-batch gradient descent on (X, Y), with Y an n×1 matrix of targets. Per epoch: the forward pass,
   * dL/da from the loss, dL/dz = dL/da ⊙ g'(z), then ∇w = (dL/dz)ᵀ·X and ∇b = Σ dL/dz.
   * Returns the loss before each update and the final one (epochs + 1 values). Stops with the epoch
   * when the outputs or the loss stop being finite, and warns when the loss ends less than 1% below
   * where it started (see `warnIfNotLearning`).
   */
  train(X: Matrix, Y: Matrix, options: NeuronTrainingOptions): number[] {
    rejectUnknownOptions("Neuron.train", options, ["loss", "learningRate", "epochs"]);
    checkMatrix("Neuron.train", "inputs", X);
    checkMatrix("Neuron.train", "targets", Y);
    const loss =
      typeof options.loss === "object" && options.loss !== null
        ? options.loss
        : lossByName(options.loss, "Neuron.train");
    const { learningRate, epochs } = options;
    if (X.cols !== this.weights.cols)
      throw new Error(
        `Neuron.train: inputs have ${X.cols} features, the neuron has ${this.weights.cols} inputs`,
      );
    if (Y.rows !== X.rows || Y.cols !== 1)
      throw new Error(
        `Neuron.train: targets must be ${X.rows}×1 for ${X.rows} examples, got ${Y.shapeString}`,
      );
    checkPositive("Neuron.train", "learningRate", learningRate);
    checkPositiveInteger("Neuron.train", "epochs", epochs);
    assertFinite(X, "Neuron.train: inputs");
    assertFinite(Y, "Neuron.train: targets");
    const history: number[] = [];
    for (let epoch = 0; epoch <= epochs; epoch++) {
      const Z = affine(X, this.weights, this.bias);
      const A = applyActivation(Z, this.activation);
      stopIfNotFinite("Neuron.train", { epoch, learningRate }, { outputs: A.data });
      const value = loss.value(A, Y);
      stopIfNotFinite("Neuron.train", { epoch, learningRate }, { loss: value });
      history.push(value);
      if (epoch === epochs) break;
      const dZ = loss.gradient(A, Y).mul(activationDerivative(Z, this.activation));
      this.weights.addInPlace(gemm(dZ, X, { transA: true }), -learningRate);
      this.bias.addInPlace(dZ.sum(0), -learningRate);
    }
    warnIfNotLearning("Neuron.train", history, learningRate);
    return history;
  }
}
