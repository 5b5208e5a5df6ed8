/**
 * A `Network` as a plain forward function on a tape, and what the tape costs next to the network's own
 * backpropagation: the tensor engine checked against chapter 5's hand-written backward pass.
 */
import { describeValue, rejectUnknownOptions } from "../core/checks";
import { Matrix } from "../core/matrix";
import { Network } from "../networks/network";
import { compareTimings, ratioSpread, type Spread } from "../measuring/timing";
import { Tape, type Tensor } from "./tensor";

/** The loss of `network` on the batch (X, Y), recorded on `tape`, and its weights and biases as variables. */
export interface NetworkOnTape {
  loss: Tensor;
  /** W1, b1, W2, b2, …: the layers' own matrices (not copies), as `network.parameters()` orders them. */
  parameters: Tensor[];
}

/**
 * The forward pass of `network` written with the tape's operations, layer by layer A = g(A·Wᵀ + b), then
 * its loss: mean squared error, or the softmax cross-entropy from the output layer's scores. For the
 * networks of chapters 5–7 without L2 or dropout (the tape has no operations for those).
 */
export function networkLoss(tape: Tape, network: Network, X: Matrix, Y: Matrix): NetworkOnTape {
  checkNetworkOnTape(tape, network);
  network.checkData("networkLoss", X, Y);
  network.checkInputs("networkLoss", X, "inputs");
  const parameters: Tensor[] = [];
  let A = tape.constant(X, "X");
  network.layers.forEach((layer, l) => {
    const W = tape.variable(layer.weights, `W${l + 1}`);
    const b = tape.variable(layer.bias, `b${l + 1}`);
    parameters.push(W, b);
    const Z = A.matmulT(W).addRow(b);
    A = layer.activation === "softmax" ? Z : activate(Z, layer.activation);
  });
  // A softmax output layer's loss is computed from its scores, as the network computes it.
  const loss = network.loss.name === "mse" ? A.mse(Y) : A.softmaxCrossEntropy(Y);
  return { loss, parameters };
}

function activate(Z: Tensor, name: string): Tensor {
  if (name === "sigmoid") return Z.sigmoid();
  if (name === "relu") return Z.relu();
  return Z.tanh();
}

const TAPE_ACTIVATIONS = ["sigmoid", "relu", "tanh"];

/** A Tape, and a network whose every part the tape has an operation for. */
function checkNetworkOnTape(tape: unknown, network: unknown): asserts network is Network {
  if (!(tape instanceof Tape))
    throw new TypeError(`networkLoss: tape must be a Tape, got ${describeValue(tape)}`);
  if (!(network instanceof Network))
    throw new TypeError(`networkLoss: network must be a Network, got ${describeValue(network)}`);
  const problem = unsupported(network);
  if (problem)
    throw new Error(
      `networkLoss: the tape has no operation for ${problem}; it records sigmoid, relu and tanh ` +
        `layers with mse, or a softmax output with categoricalCrossEntropy, without L2 or dropout`,
    );
}

/** What of `network` the tape cannot record, or "". */
function unsupported(network: Network): string {
  const { layers, loss, l2 } = network;
  const output = layers[layers.length - 1].activation;
  if (l2 > 0) return `L2 (l2 = ${l2})`;
  if (layers.some((layer) => layer.dropout > 0)) return "dropout";
  const hidden = layers.slice(0, -1).find((layer) => !TAPE_ACTIVATIONS.includes(layer.activation));
  if (hidden) return `a hidden ${hidden.activation} layer`;
  if (loss.name === "mse" && TAPE_ACTIVATIONS.includes(output)) return "";
  if (loss.name === "categoricalCrossEntropy" && output === "softmax") return "";
  return `the loss ${loss.name} on a ${output} output layer`;
}

/** What recording and differentiating one batch on a tape costs, next to `Network.computeGradients`. */
export interface TapeCost {
  /** Seconds per batch (forward and backward) on the tape. */
  tape: Spread;
  /** Seconds per batch of `network.computeGradients`. */
  backpropagation: Spread;
  /** tape / backpropagation, round by round. */
  ratio: Spread;
  /** Float64 entries the tape keeps after backward: results of its operations, and gradients. */
  tapeEntries: { values: number; gradients: number };
  /** The same for the network: the Z and A each layer keeps, and the weight and bias gradients. */
  networkEntries: { values: number; gradients: number };
}

/**
 * Times one batch's gradients on a tape (`networkLoss`, then `backward`) against the network's own
 * backpropagation, interleaved (`compareTimings`), and counts the memory each keeps.
 */
export function tapeCost(
  network: Network,
  X: Matrix,
  Y: Matrix,
  options: { rounds?: number; budget?: number } = {},
): TapeCost {
  rejectUnknownOptions("tapeCost", options, ["rounds", "budget"]);
  if (!(network instanceof Network))
    throw new TypeError(`tapeCost: network must be a Network, got ${describeValue(network)}`);
  let lastTape = new Tape();
  const onTape = () => {
    lastTape = new Tape();
    networkLoss(lastTape, network, X, Y).loss.backward();
  };
  const timings = compareTimings(
    { tape: onTape, backpropagation: () => network.computeGradients(X, Y) },
    options,
  );
  onTape();
  let values = 0;
  let gradients = 0;
  for (const layer of network.layers) {
    const { Z, A } = layer.cached();
    values += Z.data.length + A.data.length;
    gradients += layer.gradWeights.data.length + layer.gradBias.data.length;
  }
  return {
    ...timings,
    ratio: ratioSpread(timings.tape, timings.backpropagation),
    tapeEntries: lastTape.retainedEntries(),
    networkEntries: { values, gradients },
  };
}
