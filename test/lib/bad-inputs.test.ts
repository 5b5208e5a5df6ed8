/**
 * The library's bad-input suite: what a learner might type by mistake, and the one clear error each gets.
 *
 * Every row is [what was called, the call, the error class, the function the message names, the argument
 * it names, the problem it states]. The test checks the class exactly (a TypeError for a value of the
 * wrong type, a RangeError for a number or name out of range, an Error for anything else), and that the
 * message contains the function and the argument and matches the problem: never a TypeError from deep
 * inside, never a number made out of a string. To cover a new mistake, add a row to its group.
 */
import { describe, expect, it, vi } from "vitest";
import * as lib from "../../lib/src";
import {
  Adam,
  FOUR_PEOPLE,
  Matrix,
  Network,
  Neuron,
  Perceptron,
  Random,
  SGD,
  TinyNetwork,
  TrainingMonitor,
  type Figure,
} from "../../lib/src";

type Kind = typeof Error | typeof TypeError | typeof RangeError;
type Row = [
  call: string,
  run: () => unknown,
  kind: Kind,
  owner: string,
  argument: string,
  problem: RegExp,
];

// Small, valid things to be wrong around.
const X = Matrix.fromArray([
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
]);
const Y = Matrix.fromColumn([0, 1, 1, 0]);
const net = () => new Network({ sizes: [2, 3, 1], random: new Random("bad") });
const softmaxNet = () =>
  new Network({
    sizes: [2, 3, 2],
    hidden: "relu",
    output: "softmax",
    loss: "categoricalCrossEntropy",
    random: new Random("bad"),
  });
const fitOptions = { epochs: 1, batchSize: 2, optimizer: new SGD({ learningRate: 0.1 }) };
const param = (rows: number, cols: number, gradRows = rows, gradCols = cols) => ({
  name: "W1",
  value: Matrix.zeros(rows, cols),
  grad: Matrix.zeros(gradRows, gradCols),
});
const axes = { xTitle: "x", yTitle: "y" };
const box = { xRange: [0, 1] as const, yRange: [0, 1] as const };
const figure: Figure = lib.linePlot({ series: [{ y: [1, 2] }], ...axes });
const sink = { html: () => {} };

const T = TypeError;
const R = RangeError;
const E = Error;

// ------------------------------------------------------------------------------------ wrong types
// One bad input per line, so that the table reads as a table:
// prettier-ignore
const wrongTypes: Row[] = [
  ['scale("2")', () => X.scale("2" as never), T, "scale", "k", /must be a number, got "2" \(a string\)/],
  ['sigmoid("abc")', () => lib.sigmoid("abc" as never), T, "sigmoid", "z", /must be a number, got "abc"/],
  ['relu("1")', () => lib.relu("1" as never), T, "relu", "z", /must be a number/],
  ['step("0")', () => lib.step("0" as never), T, "step", "z", /must be a number/],
  ['leakyRelu("0.1")', () => lib.leakyRelu("0.1" as never), T, "leakyRelu", "slope", /must be a number/],
  ['Matrix.fromArray([["x"]])', () => Matrix.fromArray([["x"]] as never), T, "Matrix.fromArray", "row 0", /must hold numbers, got "x"/],
  ["Matrix.fromArray([[null]])", () => Matrix.fromArray([[null]] as never), T, "Matrix.fromArray", "row 0", /must hold numbers, got null/],
  ["Matrix.fromArray(5)", () => Matrix.fromArray(5 as never), T, "Matrix.fromArray", "rows", /must be an array of rows/],
  ["Matrix.fromArray([1, 2])", () => Matrix.fromArray([1, 2] as never), T, "Matrix.fromArray", "row 0", /must be an array of numbers, got 1/],
  ['Matrix.fromRow(["1"])', () => Matrix.fromRow(["1"] as never), T, "Matrix.fromRow", "values", /must hold numbers/],
  ["Matrix.fromColumn(3)", () => Matrix.fromColumn(3 as never), T, "Matrix.fromColumn", "values", /must be an array of numbers/],
  ['new Matrix("2", 2)', () => new Matrix("2" as never, 2), T, "Matrix", "rows", /must be a number, got "2"/],
  ["new Matrix(2, 2, [1, 2, 3, 4])", () => new Matrix(2, 2, [1, 2, 3, 4] as never), T, "Matrix", "data", /must be a Float64Array/],
  ["Matrix.fromFunction(2, 2, 0)", () => Matrix.fromFunction(2, 2, 0 as never), T, "Matrix.fromFunction", "fn", /must be a function/],
  ['M.fill("1")', () => Matrix.zeros(1, 1).fill("1" as never), T, "fill", "v", /must be a number/],
  ['M.set(0, 0, "1")', () => Matrix.zeros(1, 1).set(0, 0, "1" as never), T, "set", "value", /must be a number/],
  ['M.scaleInPlace("3")', () => Matrix.zeros(1, 1).scaleInPlace("3" as never), T, "scaleInPlace", "k", /must be a number/],
  ["M.add([[1]])", () => Matrix.zeros(1, 1).add([[1]] as never), T, "add", "the other operand", /must be a Matrix/],
  ["M.sub(null)", () => Matrix.zeros(1, 1).sub(null as never), T, "sub", "the other operand", /must be a Matrix .*got null/],
  ["M.mul(2)", () => Matrix.zeros(1, 1).mul(2 as never), T, "mul", "the other operand", /must be a Matrix .*got 2/],
  ['M.addInPlace(M, "2")', () => Matrix.zeros(1, 1).addInPlace(Matrix.zeros(1, 1), "2" as never), T, "addInPlace", "scale", /must be a number/],
  ["M.addRowVector([1])", () => X.addRowVector([1, 2] as never), T, "addRowVector", "bias", /must be a Matrix/],
  ["M.map(null)", () => X.map(null as never), T, "map", "fn", /must be a function/],
  ["gemm([[1]], M)", () => lib.gemm([[1]] as never, X), T, "gemm", "A", /must be a Matrix .*got an array of 1/],
  ["gemm(M, undefined)", () => lib.gemm(X, undefined as never), T, "gemm", "B", /must be a Matrix .*got undefined/],
  ['gemm(M, M, { transB: "yes" })', () => lib.gemm(X, X, { transB: "yes" as never }), T, "gemm", "transB", /must be true or false/],
  ['gemm(M, M, { alpha: "2" })', () => lib.gemm(X, X.transpose(), { alpha: "2" as never }), T, "gemm", "alpha", /must be a number/],
  ["gemm(M, M, { out: [[0]] })", () => lib.gemm(X, X.transpose(), { out: [[0]] as never }), T, "gemm", "out", /must be a Matrix/],
  ["matmul(M, 3)", () => lib.matmul(X, 3 as never), T, "matmul", "B", /must be a Matrix/],
  ['new Network([2, "3", 1])', () => new Network([2, "3", 1] as never), T, "Network", "sizes[1]", /must be a number, got "3"/],
  ['new Network({ sizes: "2,3,1" })', () => new Network({ sizes: "2,3,1" as never }), T, "Network", "sizes", /needs at least an input and an output layer/],
  ['new Network({ sizes, l2: "0.1" })', () => new Network({ sizes: [2, 1], l2: "0.1" as never }), T, "Network", "l2", /must be a number/],
  ["new Network({ sizes, dropout: true })", () => new Network({ sizes: [2, 1], dropout: true as never }), T, "Network", "dropout", /must be a number, got true/],
  ['new Network({ sizes, random: "seed" })', () => new Network({ sizes: [2, 1], random: "seed" as never }), T, "Network", "random", /must be a Random/],
  ["new Network({ sizes, random: 42 })", () => new Network({ sizes: [2, 1], random: 42 as never }), T, "Network", "random", /must be a Random .*got 42/],
  ["new Network({ sizes, hidden: 3 })", () => new Network({ sizes: [2, 1], hidden: 3 as never }), T, "Network: hidden", "activation", /must be a name/],
  ["new Network({ sizes, loss: null })", () => new Network({ sizes: [2, 1], loss: null as never }), T, "Network", "loss", /must be a name/],
  ["net.predict([[0, 0]])", () => net().predict([[0, 0]] as never), T, "Network.predict", "input", /must be a Matrix .*got an array of 1/],
  ["net.predict(null)", () => net().predict(null as never), T, "Network.predict", "input", /must be a Matrix .*got null/],
  ["net.classify(5)", () => net().classify(5 as never), T, "Network.predict", "input", /must be a Matrix .*got 5/],
  ["net.logits({})", () => net().logits({} as never), T, "Network.logits", "input", /must be a Matrix .*got an object/],
  ["net.evaluate(X, [[1]])", () => net().evaluate(X, [[1]] as never), T, "Network.evaluate", "targets", /must be a Matrix/],
  ["net.computeGradients(null, Y)", () => net().computeGradients(null as never, Y), T, "Network.computeGradients", "inputs", /must be a Matrix/],
  ['net.computeGradients(X, Y, { training: "no" })', () => net().computeGradients(X, Y, { training: "no" as never }), T, "Network.computeGradients", "training", /must be true or false/],
  ["fit(net, [[0, 0]], Y)", () => lib.fit(net(), [[0, 0]] as never, Y, fitOptions), T, "fit", "training inputs", /must be a Matrix/],
  ["fit(net, X, [0, 1, 1, 0])", () => lib.fit(net(), X, [0, 1, 1, 0] as never, fitOptions), T, "fit", "training targets", /must be a Matrix .*got an array of 4/],
  ["fit({}, X, Y)", () => lib.fit({} as never, X, Y, fitOptions), T, "fit", "model", /must be a Network/],
  ['fit(…, { epochs: "10" })', () => lib.fit(net(), X, Y, { ...fitOptions, epochs: "10" as never }), T, "fit", "epochs", /must be a number, got "10" \(a string\)/],
  ['fit(…, { batchSize: "2" })', () => lib.fit(net(), X, Y, { ...fitOptions, batchSize: "2" as never }), T, "fit", "batchSize", /must be a number, got "2"/],
  ['fit(…, { random: "seed" })', () => lib.fit(net(), X, Y, { ...fitOptions, random: "seed" as never }), T, "fit", "random", /must be a Random/],
  ["fit(…, { random: 7 })", () => lib.fit(net(), X, Y, { ...fitOptions, random: 7 as never }), T, "fit", "random", /must be a Random .*got 7/],
  ["fit(…, { optimizer: 0.1 })", () => lib.fit(net(), X, Y, { ...fitOptions, optimizer: 0.1 as never }), T, "fit", "optimizer", /must be an optimiser/],
  ['fit(…, { optimizer: "sgd" })', () => lib.fit(net(), X, Y, { ...fitOptions, optimizer: "sgd" as never }), T, "fit", "optimizer", /must be an optimiser .*got "sgd"/],
  ["fit(…, { onEpoch: true })", () => lib.fit(net(), X, Y, { ...fitOptions, onEpoch: true as never }), T, "fit", "onEpoch", /must be a function/],
  ["fit(…, { validation: 5 })", () => lib.fit(net(), X, Y, { ...fitOptions, validation: 5 as never }), T, "fit", "validation", /must be \{ X, Y \}/],
  ["fit(…, { validation: { X, Y: [1] } })", () => lib.fit(net(), X, Y, { ...fitOptions, validation: { X, Y: [1] as never } }), T, "fit", "validation targets", /must be a Matrix/],
  ["fit(net, X, Y, 10)", () => lib.fit(net(), X, Y, 10 as never), T, "fit", "options", /must be an object/],
  ['new SGD({ learningRate: "0.1" })', () => new SGD({ learningRate: "0.1" as never }), T, "SGD", "learningRate", /must be a number, got "0.1"/],
  ['new SGD({ learningRate: 0.1, momentum: "0.9" })', () => new SGD({ learningRate: 0.1, momentum: "0.9" as never }), T, "SGD", "momentum", /must be a number/],
  ["new SGD(0.1)", () => new SGD(0.1 as never), T, "SGD", "options", /must be an object such as \{ learningRate: … \}/],
  ['new Adam({ beta1: "0.9" })', () => new Adam({ beta1: "0.9" as never }), T, "Adam", "beta1", /must be a number/],
  ["new Adam({ learningRate: null })", () => new Adam({ learningRate: null as never }), T, "Adam", "learningRate", /must be a number, got null/],
  ["sgd.step(net)", () => new SGD({ learningRate: 1 }).step(net() as never), T, "SGD.step", "parameters", /must be an array/],
  ["adam.step([{ value: [1] }])", () => new Adam().step([{ name: "w", value: [1], grad: [1] }] as never), T, "Adam.step", "parameter 0", /must have a Matrix value and grad/],
  ['new Dense(2, 3, "relu", { init: "he", random: "r" })', () => new lib.Dense(2, 3, "relu", { init: "he", random: "r" as never }), T, "Dense", "random", /must be a Random/],
  ['new Dense("2", 3, …)', () => new lib.Dense("2" as never, 3, "relu", { init: "he", random: new Random() }), T, "Dense", "inputs", /must be a number/],
  ["new Dense(2, 3, 7, …)", () => new lib.Dense(2, 3, 7 as never, { init: "he", random: new Random() }), T, "Dense", "activation", /must be a name/],
  ["dense.forward([[1, 2]])", () => new lib.Dense(2, 3, "relu", { init: "he", random: new Random() }).forward([[1, 2]] as never), T, "Dense.forward", "X", /must be a Matrix/],
  ["dense.backward(M) (not { dA })", () => { const d = new lib.Dense(2, 1, "relu", { init: "he", random: new Random() }); d.forward(X); return d.backward(Y as never); }, T, "Dense.backward", "upstream", /must be \{ dA: Matrix \} or \{ dZ: Matrix \}/],
  ["new Neuron(2, 5)", () => new Neuron(2, 5 as never), T, "Neuron", "activation", /must be a name/],
  ['new Neuron("2", "sigmoid")', () => new Neuron("2" as never, "sigmoid"), T, "Neuron", "inputs", /must be a number, got "2"/],
  ["neuron.forward([[0, 1]])", () => new Neuron(2, "sigmoid").forward([[0, 1]] as never), T, "Neuron.forward", "X", /must be a Matrix/],
  ["neuron.train([[0, 1]], Y, …)", () => new Neuron(2, "sigmoid").train([[0, 1]] as never, Y, { loss: "mse", learningRate: 1, epochs: 1 }), T, "Neuron.train", "inputs", /must be a Matrix/],
  ['neuron.train(X, Y, { learningRate: "1" })', () => new Neuron(2, "sigmoid").train(X, Y, { loss: "mse", learningRate: "1" as never, epochs: 1 }), T, "Neuron.train", "learningRate", /must be a number/],
  ['new Perceptron([1, "2"], 0)', () => new Perceptron([1, "2"] as never, 0), T, "Perceptron: weights", "index 1", /contains "2" \(a string\)/],
  ['new Perceptron([1, 1], "0")', () => new Perceptron([1, 1], "0" as never), T, "Perceptron", "bias", /must be a number, got "0"/],
  ["new Perceptron(2, 0)", () => new Perceptron(2 as never, 0), T, "Perceptron: weights", "weights", /must be an array of numbers, got 2/],
  ['perceptron.predict(["1", 0])', () => new Perceptron([1, 1], 0).predict(["1", 0] as never), T, "Perceptron: input", "index 0", /contains "1"/],
  ["perceptron.predict(1)", () => new Perceptron([1, 1], 0).predict(1 as never), T, "Perceptron: input", "input", /must be an array of numbers/],
  ["trainPerceptron(gateSamples)", () => lib.trainPerceptron(lib.gateSamples as never), T, "trainPerceptron", "samples", /must be an array of \{ input, target \}/],
  ['trainPerceptron(samples, { random: "seed" })', () => lib.trainPerceptron(lib.gateSamples(lib.LOGIC_GATES.AND), { random: "seed" as never }), T, "trainPerceptron", "random", /must be a Random/],
  ['trainPerceptron(samples, { learningRate: "0.1" })', () => lib.trainPerceptron(lib.gateSamples(lib.LOGIC_GATES.AND), { learningRate: "0.1" as never }), T, "trainPerceptron", "learningRate", /must be a number/],
  ['trainPerceptron([{ input: "01", target: 1 }])', () => lib.trainPerceptron([{ input: "01" as never, target: 1 }]), T, "trainPerceptron: sample 0 input", "input", /must be an array of numbers/],
  ["asGate(5)", () => lib.asGate(5 as never), T, "asGate", "model", /must have a predict/],
  ['truthTable("AND")', () => lib.truthTable("AND" as never), T, "truthTable", "gate", /must be a function, got "AND"/],
  ["gateSamples(null)", () => lib.gateSamples(null as never), T, "gateSamples", "gate", /must be a function/],
  ["sameTruthTable(AND, 1)", () => lib.sameTruthTable(lib.LOGIC_GATES.AND, 1 as never), T, "sameTruthTable", "b", /must be a function/],
  ["affine([[1, 2]], W, b)", () => lib.affine([[1, 2]] as never, X, Y), T, "affine", "X", /must be a Matrix/],
  ["layerForward(X, W, b, 3)", () => lib.layerForward(X, Matrix.zeros(1, 2), Matrix.zeros(1, 1), 3 as never), T, "applyActivation", "activation", /must be a name/],
  ["applyActivation([1], relu)", () => lib.applyActivation([1] as never, "relu"), T, "applyActivation", "Z", /must be a Matrix/],
  ["activationDerivative(2, relu)", () => lib.activationDerivative(2 as never, "relu"), T, "activationDerivative", "Z", /must be a Matrix/],
  ["softmaxRows([[1, 2]])", () => lib.softmaxRows([[1, 2]] as never), T, "softmaxRows", "Z", /must be a Matrix/],
  ['softmax("123")', () => lib.softmax("123" as never), T, "softmax", "scores", /must be an array of numbers/],
  ['softmax(["1", "2"])', () => lib.softmax(["1", "2"] as never), T, "Matrix.fromRow", "values", /must hold numbers/],
  ["mse.value([[0]], Y)", () => lib.mse.value([[0]] as never, Y), T, "mse", "predictions", /must be a Matrix/],
  ["binaryCrossEntropy.value(P, 1)", () => lib.binaryCrossEntropy.value(Y, 1 as never), T, "binaryCrossEntropy", "targets", /must be a Matrix/],
  ["softmaxCrossEntropy(null, Y)", () => lib.softmaxCrossEntropy(null as never, Y), T, "softmaxCrossEntropy", "scores", /must be a Matrix/],
  ["sigmoidBinaryCrossEntropy(Z, [[1]])", () => lib.sigmoidBinaryCrossEntropy(Y, [[1]] as never), T, "sigmoidBinaryCrossEntropy", "targets", /must be a Matrix/],
  ["lossByName(3)", () => lib.lossByName(3 as never), T, "lossByName", "loss", /must be a name/],
  ["activationByName(undefined)", () => lib.activationByName(undefined as never), T, "activationByName", "activation", /must be a name/],
  ["numericalDerivative(Math.sin, '1')", () => lib.numericalDerivative(Math.sin, "1" as never), T, "numericalDerivative", "x", /must be a number, got "1"/],
  ["numericalDerivative(0, 1)", () => lib.numericalDerivative(0 as never, 1), T, "numericalDerivative", "f", /must be a function/],
  ['numericalDerivative(f, 1, "1e-5")', () => lib.numericalDerivative(Math.sin, 1, "1e-5" as never), T, "numericalDerivative", "h", /must be a number/],
  ["numericalGradient(f, [1, 2])", () => lib.numericalGradient(() => 0, [1, 2] as never), T, "numericalGradient", "params", /must be a Float64Array/],
  ['relativeError("1", 1)', () => lib.relativeError("1" as never, 1), T, "relativeError", "a", /must be a number/],
  ['gradientDescent({ start: ["1"] })', () => lib.gradientDescent({ f: () => 0, gradient: () => [0], start: ["1"] as never, learningRate: 0.1, steps: 1 }), T, "gradientDescent: start", "index 0", /contains "1"/],
  ["gradientDescent({ gradient: [0] })", () => lib.gradientDescent({ f: () => 0, gradient: [0] as never, start: [1], learningRate: 0.1, steps: 1 }), T, "gradientDescent", "gradient", /must be a function/],
  ['gradientDescent({ steps: "10" })', () => lib.gradientDescent({ f: () => 0, gradient: () => [0], start: [1], learningRate: 0.1, steps: "10" as never }), T, "gradientDescent", "steps", /must be a number/],
  ["gradientCheck({}, X, Y)", () => lib.gradientCheck({} as never, X, Y), T, "gradientCheck", "model", /must be a Network/],
  ['gradientCheck(net, X, Y, { h: "0.001" })', () => lib.gradientCheck(net(), X, Y, { h: "0.001" as never }), T, "gradientCheck", "h", /must be a number/],
  ["gradientCheck(net, [[0, 0]], Y)", () => lib.gradientCheck(net(), [[0, 0]] as never, Y), T, "gradientCheck", "inputs", /must be a Matrix/],
  ['new TinyNetwork("seed")', () => new TinyNetwork("seed" as never), T, "TinyNetwork", "start", /must be a Random or \{ w1, …, b3 \}/],
  ['new TinyNetwork({ …, w1: "0.5" })', () => new TinyNetwork({ ...new TinyNetwork().params, w1: "0.5" as never }), T, "TinyNetwork", "w1", /must be a number, got "0.5"/],
  ['tiny.predict("1", 2)', () => new TinyNetwork().predict("1" as never, 2), T, "TinyNetwork.feedforward", "x1", /must be a number/],
  ["tiny.loss(FOUR_PEOPLE[0])", () => new TinyNetwork().loss(FOUR_PEOPLE[0] as never), T, "TinyNetwork.loss", "people", /must be an array/],
  ['tiny.train([{ weight: "2", … }])', () => new TinyNetwork().train([{ ...FOUR_PEOPLE[0], weight: "2" as never }]), T, "TinyNetwork.train", "people[0].weight", /must be a number/],
  ['tiny.train(people, { epochs: "5" })', () => new TinyNetwork().train(FOUR_PEOPLE, { epochs: "5" as never }), T, "TinyNetwork.train", "epochs", /must be a number/],
  ['oneHot([0, 1], "2")', () => lib.oneHot([0, 1], "2" as never), T, "oneHot", "classes", /must be a number, got "2"/],
  ['oneHot(["0", 1], 2)', () => lib.oneHot(["0", 1] as never, 2), T, "oneHot", "labels", /must hold numbers, got "0"/],
  ["oneHot(3, 2)", () => lib.oneHot(3 as never, 2), T, "oneHot", "labels", /must be an array of numbers/],
  ['accuracy("0101", [0, 1, 0, 1])', () => lib.accuracy("0101" as never, [0, 1, 0, 1]), T, "accuracy", "predicted", /must be an array of numbers/],
  ["accuracy([0, 1], null)", () => lib.accuracy([0, 1], null as never), T, "accuracy", "labels", /must be an array of numbers, got null/],
  ["confusionMatrix([0], [0], '2')", () => lib.confusionMatrix([0], [0], "2" as never), T, "confusionMatrix", "classes", /must be a number/],
  ["classesOf([[0.2, 0.8]])", () => lib.classesOf([[0.2, 0.8]] as never), T, "classesOf", "P", /must be a Matrix/],
  ['twoMoons("100", 0.1)', () => lib.twoMoons("100" as never, 0.1), T, "twoMoons", "n", /must be a number, got "100"/],
  ['twoMoons(100, "0.1")', () => lib.twoMoons(100, "0.1" as never), T, "twoMoons", "noise", /must be a number/],
  ["twoMoons(100, 0.1, 42)", () => lib.twoMoons(100, 0.1, 42 as never), T, "twoMoons", "random", /must be a Random .*got 42/],
  ["spirals(50, 3, 0.1, {})", () => lib.spirals(50, 3, 0.1, {} as never), T, "spirals", "random", /must be a Random/],
  ['blobs("0,0", 10, 1)', () => lib.blobs("0,0" as never, 10, 1), T, "blobs", "centres", /must be an array of points/],
  ['blobs([["0", 0]], 10, 1)', () => lib.blobs([["0", 0]] as never, 10, 1), T, "blobs: centre 0", "index 0", /contains "0"/],
  ["selectRows([[1]], [0])", () => lib.selectRows([[1]] as never, [0]), T, "selectRows", "M", /must be a Matrix/],
  ['selectRows(X, "0")', () => lib.selectRows(X, "0" as never), T, "selectRows", "indices", /must be an array of numbers/],
  ["trainTestSplit(X, 0.2)", () => lib.trainTestSplit(X as never, 0.2), T, "trainTestSplit", "data.X", /must be a Matrix/],
  ['trainTestSplit(data, "0.2")', () => lib.trainTestSplit({ X, labels: [0, 1, 1, 0] }, "0.2" as never), T, "trainTestSplit", "testFraction", /must be a number/],
  ["trainTestSplit(data, 0.5, 1)", () => lib.trainTestSplit({ X, labels: [0, 1, 1, 0] }, 0.5, 1 as never), T, "trainTestSplit", "random", /must be a Random/],
  ["Standardizer.fit([[1], [2]])", () => lib.Standardizer.fit([[1], [2]] as never), T, "Standardizer.fit", "X", /must be a Matrix/],
  ["standardizer.transform([[1, 2]])", () => lib.Standardizer.fit(X).transform([[1, 2]] as never), T, "Standardizer.transform", "X", /must be a Matrix/],
  ["new Random({})", () => new Random({} as never), T, "Random", "seed", /must be a string or number/],
  ['random.uniform("0", 1)', () => new Random().uniform("0" as never, 1), T, "uniform", "low", /must be a number, got "0"/],
  ['random.normal(0, "1")', () => new Random().normal(0, "1" as never), T, "normal", "std", /must be a number/],
  ["random.fork(3)", () => new Random().fork(3 as never), T, "fork", "label", /must be a string, got number/],
  ['random.shuffle("abc")', () => new Random().shuffle("abc" as never), T, "shuffle", "array", /must be an array/],
  ['random.normalMatrix("2", 2)', () => new Random().normalMatrix("2" as never, 2), T, "normalMatrix", "rows", /must be a non-negative integer, got "2"/],
  ["random.uniformMatrix(2, null)", () => new Random().uniformMatrix(2, null as never), T, "uniformMatrix", "cols", /must be a non-negative integer, got null/],
  ["readIdx(42)", () => lib.readIdx(42 as never), T, "readIdx", "file", /must be a string/],
  ['parseIdx("00 00 08 01", "x")', () => lib.parseIdx("00 00 08 01" as never, "x"), T, "parseIdx", "bytes", /must be a Uint8Array/],
  ["loadMnist({ dir: 5 })", () => lib.loadMnist({ dir: 5 as never }), T, "loadMnist", "dir", /must be a string/],
  ['loadMnist({ validationSize: "100" })', () => lib.loadMnist({ validationSize: "100" as never }), T, "loadMnist", "validationSize", /must be a number/],
  ["loadMnist('data/mnist')", () => lib.loadMnist("data/mnist" as never), T, "loadMnist", "options", /must be an object/],
  ["labelCounts([1, 2])", () => lib.labelCounts([1, 2] as never), T, "labelCounts", "set", /must be an image set/],
  ["imagesToMatrix(null)", () => lib.imagesToMatrix(null as never), T, "imagesToMatrix", "set", /must be an image set/],
  ["tableHtml({ a: 1 })", () => lib.tableHtml({ a: 1 } as never), T, "tableHtml", "rows", /must be an array of objects/],
  ["tableHtml([1, 2])", () => lib.tableHtml([1, 2] as never), T, "tableHtml", "row 0", /must be an object, got 1/],
  ['tableHtml(rows, { columns: "a" })', () => lib.tableHtml([{ a: 1 }], { columns: "a" as never }), T, "tableHtml", "columns", /must be an array of keys/],
  ["tableHtml(rows, { caption: 5 })", () => lib.tableHtml([{ a: 1 }], { caption: 5 as never }), T, "tableHtml", "caption", /must be a string/],
  ['tableHtml(rows, { digits: "2" })', () => lib.tableHtml([{ a: 1 }], { digits: "2" as never }), T, "tableHtml", "digits", /must be a number/],
  ["tableHtml(rows, { headers: { a: 1 } })", () => lib.tableHtml([{ a: 1 }], { headers: { a: 1 as never } }), T, "tableHtml", "headers.a", /must be a string/],
  ["escapeHtml(5)", () => lib.escapeHtml(5 as never), T, "escapeHtml", "text", /must be a string/],
  ['setDisplaySink("html")', () => lib.setDisplaySink("html" as never), T, "setDisplaySink", "sink", /must be null or \{ html/],
  ["librarySource(5, 'fit')", () => lib.librarySource(5 as never, "fit"), T, "librarySource", "file", /must be a string/],
  ["librarySource('fit.ts', null)", () => lib.librarySource("fit.ts", null as never), T, "librarySource", "symbol", /must be a string/],
  ["linePlot({ series: { y: [1] } })", () => lib.linePlot({ series: { y: [1] } as never, ...axes }), T, "linePlot", "series", /must be an array/],
  ['linePlot({ series: [{ y: ["1"] }] })', () => lib.linePlot({ series: [{ y: ["1"] as never }], ...axes }), T, 'linePlot: y of "series 1"', "index 0", /contains "1"/],
  ["linePlot({ title: 5 })", () => lib.linePlot({ series: [{ y: [1] }], ...axes, title: 5 as never }), T, "linePlot", "title", /must be a string/],
  ["linePlot({ xTitle: {} })", () => lib.linePlot({ series: [{ y: [1] }], yTitle: "y", xTitle: {} as never }), T, "linePlot", "xTitle", /must be a string/],
  ['linePlot({ height: "400px" })', () => lib.linePlot({ series: [{ y: [1] }], ...axes, height: "400px" as never }), T, "linePlot", "height", /must be a number, got "400px"/],
  ["linePlot({ series: [{ y, name: 3 }] })", () => lib.linePlot({ series: [{ y: [1], name: 3 as never }], ...axes }), T, "linePlot: series[0]", "name", /must be a string/],
  ['scatterByClass({ points: "1,2" })', () => lib.scatterByClass({ points: "1,2" as never, labels: [0], ...axes }), T, "scatterByClass", "points", /must be an array of \[x, y\]/],
  ["scatterByClass({ classNames: [0, 1] })", () => lib.scatterByClass({ points: [[0, 0]], labels: [0], classNames: [0, 1] as never, ...axes }), T, "scatterByClass", "classNames[0]", /must be a string/],
  ['scatterByClass({ labels: "01" })', () => lib.scatterByClass({ points: [[0, 0]], labels: "0" as never, ...axes }), T, "scatterByClass", "labels", /must be an array of class indices/],
  ["decisionBoundary({ predict: 1 })", () => lib.decisionBoundary({ predict: 1 as never, ...box, ...axes }), T, "decisionBoundary", "predict", /must be a function/],
  ['decisionBoundary({ resolution: "50" })', () => lib.decisionBoundary({ predict: () => 0, resolution: "50" as never, ...box, ...axes }), T, "decisionBoundary", "resolution", /must be an integer ≥ 2, got "50" \(a string\)/],
  ['barChart({ categories: "abc" })', () => lib.barChart({ categories: "abc" as never, values: [1, 2, 3], ...axes }), T, "barChart", "categories", /must be an array of strings/],
  ["barChart({ categories: [0, 1] })", () => lib.barChart({ categories: [0, 1] as never, values: [1, 2], ...axes }), T, "barChart", "categories[0]", /must be a string/],
  ['barChart({ highlight: "1" })', () => lib.barChart({ categories: ["a"], values: [1], highlight: "1" as never, ...axes }), T, "barChart", "highlight", /must be a number/],
  ["heatmap({ z: 5 })", () => lib.heatmap({ z: 5 as never, ...axes }), T, "heatmap: z", "z", /must be an array of rows/],
  ["heatmap({ xLabels: [1, 2] })", () => lib.heatmap({ z: [[1, 2]], xLabels: [1, 2] as never, ...axes }), T, "heatmap", "xLabels[0]", /must be a string/],
  ["confusionMatrixFigure(5)", () => lib.confusionMatrixFigure(5 as never), T, "confusionMatrixFigure: counts", "counts", /must be an array of rows/],
  ['imageGrid({ images: "digits" })', () => lib.imageGrid({ images: "digits" as never, width: 1, height: 1 }), T, "imageGrid", "images", /must be an array of pixel arrays/],
  ["imageGrid({ labels: [7] })", () => lib.imageGrid({ images: [[0]], width: 1, height: 1, labels: [7] as never }), T, "imageGrid", "labels[0]", /must be a string/],
  ["lossSurface({ loss: 0 })", () => lib.lossSurface({ loss: 0 as never, ...box, ...axes }), T, "lossSurface", "loss", /must be a function/],
  ["trainingCurves({ loss: [1, 2] })", () => lib.trainingCurves({ loss: 5 as never }), T, "trainingCurves", "loss", /must be curves by split/],
  ['new TrainingMonitor({ epochs: "5", sink })', () => new TrainingMonitor({ epochs: "5" as never, sink }), T, "TrainingMonitor", "epochs", /must be a number, got "5"/],
  ['new TrainingMonitor({ epochs: 5, log: "yes", sink })', () => new TrainingMonitor({ epochs: 5, log: "yes" as never, sink }), T, "TrainingMonitor", "log", /must be true or false/],
  ['new LiveFigure({ sink: "out" })', () => new lib.LiveFigure({ sink: "out" as never }), T, "LiveFigure", "sink", /must be \{ html/],
  ["figureHtml({ data: 1 })", () => lib.figureHtml({ data: 1 } as never), T, "figureHtml", "figure", /must be \{ data: \[\.\.\.\], layout/],
  ["show(null)", () => lib.show(null as never), T, "show", "figure", /must be \{ data/],
  ["figureHtml(figure, { id: 5 })", () => lib.figureHtml(figure, { id: 5 as never }), T, "figureHtml", "id", /must be a string/],
  ["standaloneFigureHtml(figure, 5)", () => lib.standaloneFigureHtml(figure, 5 as never), T, "standaloneFigureHtml", "title", /must be a string/],
  ["saveFigureHtml(figure, null)", () => lib.saveFigureHtml(figure, null as never), T, "saveFigureHtml", "file", /must be a string/],
];

// ------------------------------------------------------------------------- misspelt options (keys)
// One bad input per line, so that the table reads as a table:
// prettier-ignore
const misspelt: Row[] = [
  ["gemm(A, B, { transb: true })", () => lib.gemm(X, X, { transb: true } as never), E, "gemm", '"transb"', /did you mean "transB"\?/],
  ["gemm(A, B, { tranA: true })", () => lib.gemm(X, X, { tranA: true } as never), E, "gemm", '"tranA"', /did you mean "transA"\?/],
  ["new Network({ size: [2, 1] })", () => new Network({ size: [2, 1] } as never), E, "Network", '"size"', /did you mean "sizes"\?/],
  ["new Network({ sizes, activation: 'relu' })", () => new Network({ sizes: [2, 1], activation: "relu" } as never), E, "Network", '"activation"', /unknown option/],
  ["new Network({ sizes, hiden: 'relu' })", () => new Network({ sizes: [2, 1], hiden: "relu" } as never), E, "Network", '"hiden"', /did you mean "hidden"\?/],
  ["new Network({ sizes, L2: 0.1 })", () => new Network({ sizes: [2, 1], L2: 0.1 } as never), E, "Network", '"L2"', /did you mean "l2"\?/],
  ["new Network({ sizes, seed: 1 })", () => new Network({ sizes: [2, 1], seed: 1 } as never), E, "Network", '"seed"', /unknown option/],
  ["fit(…, { epoch: 1 })", () => lib.fit(net(), X, Y, { ...fitOptions, epoch: 1 } as never), E, "fit", '"epoch"', /did you mean "epochs"\?/],
  ["fit(…, { batchsize: 2 })", () => lib.fit(net(), X, Y, { ...fitOptions, batchsize: 2 } as never), E, "fit", '"batchsize"', /did you mean "batchSize"\?/],
  ["fit(…, { learningRate: 0.1 })", () => lib.fit(net(), X, Y, { ...fitOptions, learningRate: 0.1 } as never), E, "fit", '"learningRate"', /unknown option/],
  ["fit(…, { validation: { X, y } })", () => lib.fit(net(), X, Y, { ...fitOptions, validation: { X, Y, y: Y } } as never), E, "fit: validation", '"y"', /did you mean "Y"\?/],
  ["new SGD({ learningrate: 0.1 })", () => new SGD({ learningrate: 0.1 } as never), E, "SGD", '"learningrate"', /did you mean "learningRate"\?/],
  ["new SGD({ learningRate, momentun: 0.9 })", () => new SGD({ learningRate: 0.1, momentun: 0.9 } as never), E, "SGD", '"momentun"', /did you mean "momentum"\?/],
  ["new Adam({ beta_1: 0.9 })", () => new Adam({ beta_1: 0.9 } as never), E, "Adam", '"beta_1"', /did you mean "beta1"\?/],
  ["new Adam({ eps: 1e-8 })", () => new Adam({ eps: 1e-8 } as never), E, "Adam", '"eps"', /unknown option/],
  ["trainPerceptron(samples, { epochs: 10 })", () => lib.trainPerceptron(lib.gateSamples(lib.LOGIC_GATES.OR), { epochs: 10 } as never), E, "trainPerceptron", '"epochs"', /unknown option/],
  ["trainPerceptron(samples, { maxEpoch: 10 })", () => lib.trainPerceptron(lib.gateSamples(lib.LOGIC_GATES.OR), { maxEpoch: 10 } as never), E, "trainPerceptron", '"maxEpoch"', /did you mean "maxEpochs"\?/],
  ["loadMnist({ dri: 'data' })", () => lib.loadMnist({ dri: "data" } as never), E, "loadMnist", '"dri"', /did you mean "dir"\?/],
  ["loadMnist({ validation: 100 })", () => lib.loadMnist({ validation: 100 } as never), E, "loadMnist", '"validation"', /unknown option/],
  ["neuron.train(X, Y, { …, epoch: 5 })", () => new Neuron(2, "sigmoid").train(X, Y, { loss: "mse", learningRate: 1, epochs: 1, epoch: 5 } as never), E, "Neuron.train", '"epoch"', /did you mean "epochs"\?/],
  ["new Dense(2, 3, 'relu', { init, random, dropOut: 0.5 })", () => new lib.Dense(2, 3, "relu", { init: "he", random: new Random(), dropOut: 0.5 } as never), E, "Dense", '"dropOut"', /did you mean "dropout"\?/],
  ["net.computeGradients(X, Y, { train: true })", () => net().computeGradients(X, Y, { train: true } as never), E, "Network.computeGradients", '"train"', /unknown option/],
  ["net.computeGradients(X, Y, { trainingsize: 4 })", () => net().computeGradients(X, Y, { trainingsize: 4 } as never), E, "Network.computeGradients", '"trainingsize"', /did you mean "trainingSize"\?/],
  ["gradientCheck(net, X, Y, { step: 1e-3 })", () => lib.gradientCheck(net(), X, Y, { step: 1e-3 } as never), E, "gradientCheck", '"step"', /unknown option/],
  ["gradientCheck(net, X, Y, { H: 1e-3 })", () => lib.gradientCheck(net(), X, Y, { H: 1e-3 } as never), E, "gradientCheck", '"H"', /did you mean "h"\?/],
  ["gradientDescent({ …, learnRate })", () => lib.gradientDescent({ f: () => 0, gradient: () => [0], start: [1], learnRate: 0.1, learningRate: 0.1, steps: 1 } as never), E, "gradientDescent", '"learnRate"', /did you mean "learningRate"\?/],
  ["tiny.train(people, { learning_rate: 0.1 })", () => new TinyNetwork().train(FOUR_PEOPLE, { learning_rate: 0.1 } as never), E, "TinyNetwork.train", '"learning_rate"', /did you mean "learningRate"\?/],
  ["tiny.train(people, { epoch: 5 })", () => new TinyNetwork().train(FOUR_PEOPLE, { epoch: 5 } as never), E, "TinyNetwork.train", '"epoch"', /did you mean "epochs"\?/],
  ["new TinyNetwork({ …, w7: 1 })", () => new TinyNetwork({ ...new TinyNetwork().params, w7: 1 } as never), E, "TinyNetwork", '"w7"', /unknown option/],
  ["linePlot({ …, xtitle })", () => lib.linePlot({ series: [{ y: [1] }], ...axes, xtitle: "x" } as never), E, "linePlot", '"xtitle"', /did you mean "xTitle"\?/],
  ["linePlot({ …, logy: true })", () => lib.linePlot({ series: [{ y: [1] }], ...axes, logy: true } as never), E, "linePlot", '"logy"', /did you mean "logY"\?/],
  ["linePlot({ series: [{ y, colour }] })", () => lib.linePlot({ series: [{ y: [1], colour: "red" }], ...axes } as never), E, "linePlot: series[0]", '"colour"', /unknown option/],
  ["scatterByClass({ …, classnames })", () => lib.scatterByClass({ points: [[0, 0]], labels: [0], ...axes, classnames: ["a"] } as never), E, "scatterByClass", '"classnames"', /did you mean "classNames"\?/],
  ["scatterByClass({ lines: [{ …, weight }] })", () => lib.scatterByClass({ points: [[0, 0]], labels: [0], ...axes, lines: [{ name: "l", weights: [1, 1], bias: 0, weight: 1 }] } as never), E, "scatterByClass: lines[0]", '"weight"', /unknown option/],
  ["decisionBoundary({ …, resoluton: 50 })", () => lib.decisionBoundary({ predict: () => 0, ...box, ...axes, resoluton: 50 } as never), E, "decisionBoundary", '"resoluton"', /did you mean "resolution"\?/],
  ["decisionBoundary({ …, xrange })", () => lib.decisionBoundary({ predict: () => 0, ...box, ...axes, xrange: [0, 1] } as never), E, "decisionBoundary", '"xrange"', /did you mean "xRange"\?/],
  ["barChart({ …, highlite: 1 })", () => lib.barChart({ categories: ["a"], values: [1], ...axes, highlite: 1 } as never), E, "barChart", '"highlite"', /did you mean "highlight"\?/],
  ["heatmap({ …, colorScale })", () => lib.heatmap({ z: [[1]], ...axes, colorScale: "Reds" } as never), E, "heatmap", '"colorScale"', /did you mean "colorscale"\?/],
  ["confusionMatrixFigure(counts, { classnames })", () => lib.confusionMatrixFigure([[1]], { classnames: ["a"] } as never), E, "confusionMatrixFigure", '"classnames"', /did you mean "classNames"\?/],
  ["imageGrid({ …, colums: 5 })", () => lib.imageGrid({ images: [[0]], width: 1, height: 1, colums: 5 } as never), E, "imageGrid", '"colums"', /did you mean "columns"\?/],
  ["lossSurface({ …, path: [] })", () => lib.lossSurface({ loss: () => 1, ...box, ...axes, path: [] } as never), E, "lossSurface", '"path"', /did you mean "paths"\?/],
  ["trainingCurves({ losses })", () => lib.trainingCurves({ losses: { train: [1] } } as never), E, "trainingCurves", '"losses"', /unknown option/],
  ["trainingCurves({ accuracy, accuracyPercentage })", () => lib.trainingCurves({ accuracy: { train: [0.5] }, accuracyPercentage: false } as never), E, "trainingCurves", '"accuracyPercentage"', /unknown option/],
  ["new TrainingMonitor({ epoch: 5 })", () => new TrainingMonitor({ epoch: 5, sink } as never), E, "TrainingMonitor", '"epoch"', /did you mean "epochs"\?/],
  ["new TrainingMonitor({ epochs, titel })", () => new TrainingMonitor({ epochs: 5, titel: "t", sink } as never), E, "TrainingMonitor", '"titel"', /did you mean "title"\?/],
  ["new LiveFigure({ minInterval: 100 })", () => new lib.LiveFigure({ minInterval: 100, sink } as never), E, "LiveFigure", '"minInterval"', /did you mean "minIntervalMs"\?/],
  ["tableHtml(rows, { column: ['a'] })", () => lib.tableHtml([{ a: 1 }], { column: ["a"] } as never), E, "tableHtml", '"column"', /did you mean "columns"\?/],
  ["tableHtml(rows, { header: {} })", () => lib.tableHtml([{ a: 1 }], { header: {} } as never), E, "tableHtml", '"header"', /did you mean "headers"\?/],
  ["tableHtml(rows, { decimals: 2 })", () => lib.tableHtml([{ a: 1 }], { decimals: 2 } as never), E, "tableHtml", '"decimals"', /unknown option/],
  ["figureHtml(figure, { liveky: 'k' })", () => lib.figureHtml(figure, { liveky: "k" } as never), E, "figureHtml", '"liveky"', /did you mean "liveKey"\?/],
  ["new Network({ sizes, hidden: 'rleu' })", () => new Network({ sizes: [2, 3, 1], hidden: "rleu" as never }), R, "Network: hidden", '"rleu"', /did you mean "relu"\?/],
  ["new Network({ sizes, output: 'softmx' })", () => new Network({ sizes: [2, 3], output: "softmx" as never }), R, "Network: output", '"softmx"', /did you mean "softmax"\?/],
  ["new Network({ sizes, loss: 'crossEntropy' })", () => new Network({ sizes: [2, 1], loss: "crossEntropy" as never }), R, "Network", '"crossEntropy"', /unknown loss/],
  ["new Network({ sizes, loss: 'MSE' })", () => new Network({ sizes: [2, 1], loss: "MSE" as never }), R, "Network", '"MSE"', /did you mean "mse"\?/],
  ["new Network({ sizes, init: 'Xavier' })", () => new Network({ sizes: [2, 1], init: "Xavier" as never }), R, "Network", '"Xavier"', /did you mean "xavier"\?/],
  ["new Neuron(2, 'sigmod')", () => new Neuron(2, "sigmod" as never), R, "Neuron", '"sigmod"', /did you mean "sigmoid"\?/],
  ["neuron.train(X, Y, { loss: 'bce' })", () => new Neuron(2, "sigmoid").train(X, Y, { loss: "bce" as never, learningRate: 1, epochs: 1 }), R, "Neuron.train", '"bce"', /unknown loss/],
  ["applyActivation(X, 'tanhh')", () => lib.applyActivation(X, "tanhh" as never), R, "applyActivation", '"tanhh"', /did you mean "tanh"\?/],
  ["linePlot({ series: [{ y, mode: 'line' }] })", () => lib.linePlot({ series: [{ y: [1], mode: "line" as never }], ...axes }), R, "linePlot: series[0]", "mode", /did you mean "lines"\?/],
  ["imageGrid({ style: 'diverge' })", () => lib.imageGrid({ images: [[0]], width: 1, height: 1, style: "diverge" as never }), R, "imageGrid", "style", /did you mean "diverging"\?/],
];

// ----------------------------------------------------------------------- missing checks (values)
// One bad input per line, so that the table reads as a table:
// prettier-ignore
const missingChecks: Row[] = [
  ["adam.step(gradient of the wrong shape)", () => new Adam().step([param(2, 3, 3, 2)]), E, "Adam.step", "W1", /gradient of W1 is 3×2, its value is 2×3/],
  ["adam.step(gradient with too few entries)", () => new Adam().step([param(2, 3, 1, 3)]), E, "Adam.step", "W1", /gradient of W1 is 1×3/],
  ["sgd.step(gradient of the wrong shape)", () => new SGD({ learningRate: 0.1 }).step([param(2, 2, 1, 4)]), E, "SGD.step", "W1", /gradient of W1 is 1×4, its value is 2×2/],
  ["sgd.learningRate = 0, then step", () => { const o = new SGD({ learningRate: 0.1 }); o.learningRate = 0; o.step([param(1, 1)]); }, R, "SGD.step", "learningRate", /must be a positive number, got 0/],
  ["adam.learningRate = -0.01, then step", () => { const o = new Adam(); o.learningRate = -0.01; o.step([param(1, 1)]); }, R, "Adam.step", "learningRate", /must be a positive number, got -0.01/],
  ["optimizer.learningRate = NaN, then fit", () => { const o = new SGD({ learningRate: 0.1 }); o.learningRate = NaN; lib.fit(net(), X, Y, { ...fitOptions, optimizer: o }); }, R, "SGD.step", "learningRate", /got NaN/],
  ["categorical CE with target rows that do not sum to 1", () => lib.fit(softmaxNet(), X, Matrix.fromArray([[1, 1], [0, 1], [1, 0], [0, 0]]), fitOptions), R, "fit (training data)", "target row 0", /sums to 2; categoricalCrossEntropy needs each row to be probabilities summing to 1/],
  ["categorical CE with labels instead of one-hot", () => softmaxNet().evaluate(X, Matrix.fromArray([[3, 0], [1, 0], [2, 0], [0, 0]])), R, "Network.evaluate", "target 3", /outside \[0, 1\], the range of the softmax output layer/],
  ["BCE with a label of 2", () => lib.fit(new Network({ sizes: [2, 3, 1], loss: "binaryCrossEntropy" }), X, Matrix.fromColumn([0, 1, 2, 0]), fitOptions), R, "fit (training data)", "target 2 at (2, 0)", /outside \[0, 1\]/],
  ["MSE on a sigmoid output with a label of 10", () => lib.fit(net(), X, Matrix.fromColumn([0, 10, 1, 0]), fitOptions), R, "fit (training data)", "target 10", /the range of the sigmoid output layer/],
  ["MSE on a tanh output with a label of −2", () => new Network({ sizes: [2, 1], output: "tanh" }).evaluate(X, Matrix.fromColumn([0, -2, 1, 0])), R, "Network.evaluate", "target -2", /outside \[-1, 1\]/],
  ["a bad validation target (checked before the first epoch)", () => lib.fit(net(), X, Y, { ...fitOptions, validation: { X, Y: Matrix.fromColumn([0, 1, 5, 0]) } }), R, "fit (validation data)", "target 5", /outside \[0, 1\]/],
  ["a sigmoid output under categorical CE", () => new Network({ sizes: [2, 3, 2], loss: "categoricalCrossEntropy" }), E, "Network", '"categoricalCrossEntropy"', /needs output: "softmax"/],
  ["a linear output under binary CE", () => new Network({ sizes: [2, 1], output: "linear", loss: "binaryCrossEntropy" }), E, "Network", '"binaryCrossEntropy"', /needs outputs in \[0, 1\]/],
  ['hidden: "softmax"', () => new Network({ sizes: [2, 3, 2], hidden: "softmax" as never, output: "softmax" }), R, "Network", "hidden", /cannot be "softmax".*belongs to the output layer/],
  ["new Network([2])", () => new Network([2]), R, "Network", "sizes", /needs at least an input and an output layer/],
  ["new Network([2, 0, 1])", () => new Network([2, 0, 1]), R, "Network", "sizes[1]", /must be a positive integer, got 0/],
  ["new Network([2, 2.5, 1])", () => new Network([2, 2.5, 1]), R, "Network", "sizes[1]", /must be a positive integer, got 2.5/],
  ["new Network([2, -3, 1])", () => new Network([2, -3, 1]), R, "Network", "sizes[1]", /got -3/],
  ["new Network({ sizes, l2: -0.1 })", () => new Network({ sizes: [2, 1], l2: -0.1 }), R, "Network", "l2", /must be ≥ 0/],
  ["new Network({ sizes, dropout: 1 })", () => new Network({ sizes: [2, 1], dropout: 1 }), R, "Network", "dropout", /must be in \[0, 1\), got 1/],
  ["new Network({ sizes, dropout: -0.2 })", () => new Network({ sizes: [2, 1], dropout: -0.2 }), R, "Network", "dropout", /must be in \[0, 1\)/],
  ["net.l2Penalty(-5)", () => net().l2Penalty(-5), R, "Network.l2Penalty", "trainingSize", /must be a positive integer, got -5/],
  ["net.l2Penalty(0)", () => net().l2Penalty(0), R, "Network.l2Penalty", "trainingSize", /got 0/],
  ["net.computeGradients(X, Y, { trainingSize: 0 })", () => net().computeGradients(X, Y, { trainingSize: 0 }), R, "Network.computeGradients", "trainingSize", /must be a positive integer, got 0/],
  ["net.evaluate(X, Y, 0)", () => net().evaluate(X, Y, 0), R, "Network.evaluate", "trainingSize", /must be a positive integer, got 0/],
  ["net.evaluateLoss(X, Y, -1)", () => net().evaluateLoss(X, Y, -1), R, "Network.evaluate", "trainingSize", /got -1/],
  ["gradientCheck(net, X, Y, { trainingSize: 0 })", () => lib.gradientCheck(net(), X, Y, { trainingSize: 0 }), R, "gradientCheck", "trainingSize", /got 0/],
  ["gradientCheck(net, X, Y, { h: 0 })", () => lib.gradientCheck(net(), X, Y, { h: 0 }), R, "gradientCheck", "h", /must be a positive number, got 0/],
  ["gradientCheck(net, X, Y, { floor: -1 })", () => lib.gradientCheck(net(), X, Y, { floor: -1 }), R, "gradientCheck", "floor", /must be a positive number/],
  ["trainTestSplit(4 examples, 0.1): empty test set", () => lib.trainTestSplit({ X, labels: [0, 1, 1, 0] }, 0.1), R, "trainTestSplit", "testFraction", /leaves the test set empty/],
  ["trainTestSplit(4 examples, 0.9): empty training set", () => lib.trainTestSplit({ X, labels: [0, 1, 1, 0] }, 0.9), R, "trainTestSplit", "testFraction", /leaves the training set empty/],
  ["trainTestSplit(data, 0)", () => lib.trainTestSplit({ X, labels: [0, 1, 1, 0] }, 0), R, "trainTestSplit", "testFraction", /must be between 0 and 1, got 0/],
  ["trainTestSplit(data, 1.5)", () => lib.trainTestSplit({ X, labels: [0, 1, 1, 0] }, 1.5), R, "trainTestSplit", "testFraction", /got 1.5/],
  ["trainTestSplit(3 labels for 4 examples)", () => lib.trainTestSplit({ X, labels: [0, 1, 1] }, 0.5), E, "trainTestSplit", "labels", /4 examples but 3 labels/],
  ["new SGD({ learningRate: 0 })", () => new SGD({ learningRate: 0 }), R, "SGD", "learningRate", /must be a positive number, got 0/],
  ["new SGD({ learningRate: -1 })", () => new SGD({ learningRate: -1 }), R, "SGD", "learningRate", /got -1/],
  ["new SGD({ learningRate: Infinity })", () => new SGD({ learningRate: Infinity }), R, "SGD", "learningRate", /got Infinity/],
  ["new SGD({ learningRate, momentum: 1 })", () => new SGD({ learningRate: 0.1, momentum: 1 }), R, "SGD", "momentum", /must be in \[0, 1\), got 1/],
  ["new Adam({ beta2: 1 })", () => new Adam({ beta2: 1 }), R, "Adam", "beta2", /must be in \[0, 1\)/],
  ["new Adam({ epsilon: -1 })", () => new Adam({ epsilon: -1 }), R, "Adam", "epsilon", /must be a positive number/],
  ["fit(…, { epochs: 0 })", () => lib.fit(net(), X, Y, { ...fitOptions, epochs: 0 }), R, "fit", "epochs", /must be a positive integer, got 0/],
  ["fit(…, { epochs: 2.5 })", () => lib.fit(net(), X, Y, { ...fitOptions, epochs: 2.5 }), R, "fit", "epochs", /got 2.5/],
  ["fit(…, { batchSize: 0 })", () => lib.fit(net(), X, Y, { ...fitOptions, batchSize: 0 }), R, "fit", "batchSize", /must be a positive integer/],
  ["fit(no examples)", () => lib.fit(net(), Matrix.zeros(0, 2), Matrix.zeros(0, 1), fitOptions), E, "fit", "training", /no training examples/],
  ["fit(X with 3 features for a 2-input net)", () => lib.fit(net(), Matrix.zeros(4, 3), Y, fitOptions), E, "fit", "training inputs", /is 4×3, expected 2 features/],
  ["fit(Y with 2 columns for 1 output)", () => lib.fit(net(), X, Matrix.zeros(4, 2), fitOptions), E, "fit", "training targets", /is 4×2, expected 4×1/],
  ["fit(NaN in X)", () => lib.fit(net(), Matrix.fromArray([[0, NaN], [0, 1], [1, 0], [1, 1]]), Y, fitOptions), R, "fit: training inputs", "(0, 1)", /contains NaN/],
  ["fit(Infinity in Y)", () => lib.fit(net(), X, Matrix.fromColumn([0, Infinity, 1, 0]), fitOptions), R, "fit: training targets", "(1, 0)", /contains Infinity/],
  ["net.predict(3 features for 2 inputs)", () => net().predict(Matrix.zeros(1, 3)), E, "Network.predict", "input", /is 1×3 but the network expects 2 features per row/],
  ["net.evaluate(X, 3×1 targets)", () => net().evaluate(X, Matrix.zeros(3, 1)), E, "Network.evaluate", "targets", /are 3×1 but 4 examples need 4×1 targets/],
  ["new Dense(2, 1, 'softmax', …)", () => new lib.Dense(2, 1, "softmax", { init: "he", random: new Random() }), R, "Dense", "softmax layer", /needs at least 2 units/],
  ["new Dense(2, 3, 'relu', { init: 'zeros' })", () => new lib.Dense(2, 3, "relu", { init: "zeros" as never, random: new Random() }), R, "Dense", '"zeros"', /unknown init/],
  ["dense.backward before forward", () => new lib.Dense(2, 1, "relu", { init: "he", random: new Random() }).backward({ dA: Y }), E, "Dense.backward", "forward", /called before forward/],
  ["dense.backward({ dA } of the wrong shape)", () => { const d = new lib.Dense(2, 1, "relu", { init: "he", random: new Random() }); d.forward(X); return d.backward({ dA: Matrix.zeros(3, 1) }); }, E, "Dense.backward", "upstream dA", /is 3×1, expected 4×1/],
  ["new Neuron(-1, 'sigmoid')", () => new Neuron(-1, "sigmoid"), R, "Neuron", "inputs", /must be a positive integer, got -1/],
  ["new Neuron(0, 'linear')", () => new Neuron(0, "linear"), R, "Neuron", "inputs", /got 0/],
  ["neuron.train(X with 3 features)", () => new Neuron(2, "sigmoid").train(Matrix.zeros(4, 3), Y, { loss: "mse", learningRate: 1, epochs: 1 }), E, "Neuron.train", "inputs", /have 3 features, the neuron has 2 inputs/],
  ["neuron.train(…, { epochs: 0 })", () => new Neuron(2, "sigmoid").train(X, Y, { loss: "mse", learningRate: 1, epochs: 0 }), R, "Neuron.train", "epochs", /must be a positive integer/],
  ["new Perceptron([], 0)", () => new Perceptron([], 0), R, "Perceptron", "weight", /needs at least one weight/],
  ["new Perceptron([NaN, 1], 0)", () => new Perceptron([NaN, 1], 0), R, "Perceptron: weights", "index 0", /contains NaN/],
  ["perceptron.predict([1])", () => new Perceptron([1, 1], 0).predict([1]), E, "Perceptron", "input", /has 1 values, but the perceptron has 2 weights/],
  ["trainPerceptron([])", () => lib.trainPerceptron([]), R, "trainPerceptron", "samples", /no samples/],
  ["trainPerceptron(target 2)", () => lib.trainPerceptron([{ input: [0, 1], target: 2 as never }]), E, "trainPerceptron", "sample 0", /target 2; targets must be 0 or 1/],
  ["trainPerceptron(…, { maxEpochs: 0 })", () => lib.trainPerceptron(lib.gateSamples(lib.LOGIC_GATES.AND), { maxEpochs: 0 }), R, "trainPerceptron", "maxEpochs", /must be a positive integer/],
  ["trainPerceptron(…, { initialRange: -1 })", () => lib.trainPerceptron(lib.gateSamples(lib.LOGIC_GATES.AND), { initialRange: -1 }), R, "trainPerceptron", "initialRange", /must be ≥ 0/],
  ["leakyRelu(1.5)", () => lib.leakyRelu(1.5), R, "leakyRelu", "slope", /must be in \[0, 1\)/],
  ["step(NaN)", () => lib.step(NaN), R, "step", "input", /is NaN/],
  ["softmaxRows([[Infinity, 0]])", () => lib.softmaxRows(Matrix.fromArray([[Infinity, 0]])), E, "softmaxRows", "row 0", /contains Infinity/],
  ["mse.value(P, Y of another shape)", () => lib.mse.value(Matrix.zeros(2, 1), Matrix.zeros(3, 1)), E, "mse", "predictions", /are 2×1 but targets are 3×1/],
  ["binaryCrossEntropy.value(P = 1.5)", () => lib.binaryCrossEntropy.value(Matrix.fromColumn([1.5]), Matrix.fromColumn([1])), E, "binaryCrossEntropy", "prediction 1.5", /is not a probability in \[0, 1\]/],
  ["categoricalCrossEntropy.value(target −1)", () => lib.categoricalCrossEntropy.value(Matrix.fromRow([0.5, 0.5]), Matrix.fromRow([-1, 2])), E, "categoricalCrossEntropy", "target -1", /is not in \[0, 1\]/],
  ["numericalDerivative(f, x, 0)", () => lib.numericalDerivative(Math.sin, 0, 0), R, "numericalDerivative", "h", /must be a positive number, got 0/],
  ["numericalGradient(f, params, -1)", () => lib.numericalGradient(() => 0, new Float64Array(1), -1), R, "numericalGradient", "h", /got -1/],
  ["gradientDescent({ learningRate: 0 })", () => lib.gradientDescent({ f: () => 0, gradient: () => [0], start: [1], learningRate: 0, steps: 1 }), R, "gradientDescent", "learningRate", /must be a positive number/],
  ["gradientDescent({ momentum: 1 })", () => lib.gradientDescent({ f: () => 0, gradient: () => [0], start: [1], learningRate: 0.1, steps: 1, momentum: 1 }), R, "gradientDescent", "momentum", /must be in \[0, 1\)/],
  ["gradientDescent({ steps: -1 })", () => lib.gradientDescent({ f: () => 0, gradient: () => [0], start: [1], learningRate: 0.1, steps: -1 }), R, "gradientDescent", "steps", /must be a non-negative integer/],
  ["tiny.train([])", () => new TinyNetwork().train([]), R, "TinyNetwork.train", "people", /no people/],
  ["tiny.train(people, { learningRate: 0 })", () => new TinyNetwork().train(FOUR_PEOPLE, { learningRate: 0 }), R, "TinyNetwork.train", "learningRate", /must be a positive number/],
  ["tiny.train([{ female: 2 }])", () => new TinyNetwork().train([{ ...FOUR_PEOPLE[0], female: 2 as never }]), R, "TinyNetwork.train", "people[0].female", /must be 0 or 1, got 2/],
  ["new TinyNetwork({ …, w4: NaN })", () => new TinyNetwork({ ...new TinyNetwork().params, w4: NaN }), R, "TinyNetwork", "w4", /must be a finite number, got NaN/],
  ["oneHot([0, 10], 10)", () => lib.oneHot([0, 10], 10), E, "oneHot", "label", /10 at index 1 is not a class in 0…9/],
  ["oneHot([0, 1.5], 3)", () => lib.oneHot([0, 1.5], 3), E, "oneHot", "label", /1.5 at index 1/],
  ["oneHot([0, -1], 3)", () => lib.oneHot([0, -1], 3), E, "oneHot", "label", /-1 at index 1/],
  ["oneHot([0], 0)", () => lib.oneHot([0], 0), R, "oneHot", "classes", /must be a positive integer, got 0/],
  ["accuracy([0], [0, 1])", () => lib.accuracy([0], [0, 1]), E, "accuracy", "labels", /1 predictions for 2 labels/],
  ["accuracy([], [])", () => lib.accuracy([], []), E, "accuracy", "labels", /no labels/],
  ["confusionMatrix([0, 3], [0, 1], 3)", () => lib.confusionMatrix([0, 3], [0, 1], 3), E, "confusionMatrix", "prediction", /3 at index 1 is not a class in 0…2/],
  ["twoMoons(1, 0.1)", () => lib.twoMoons(1, 0.1), R, "twoMoons", "n", /must be an integer ≥ 2, got 1/],
  ["twoMoons(100, -0.1)", () => lib.twoMoons(100, -0.1), R, "twoMoons", "noise", /must be ≥ 0/],
  ["spirals(10, 1, 0.1)", () => lib.spirals(10, 1, 0.1), R, "spirals", "classes", /must be an integer ≥ 2/],
  ["blobs([], 10, 1)", () => lib.blobs([], 10, 1), R, "blobs", "centres", /no centres/],
  ["blobs([[0, 0], [1]], 10, 1)", () => lib.blobs([[0, 0], [1]], 10, 1), E, "blobs", "centre 1", /has 1 coordinates, centre 0 has 2/],
  ["selectRows(X, [4])", () => lib.selectRows(X, [4]), E, "selectRows", "row 4", /is outside 0…3/],
  ["Standardizer.fit(1 example)", () => lib.Standardizer.fit(Matrix.zeros(1, 2)), E, "Standardizer.fit", "examples", /needs at least 2 examples/],
  ["standardizer.transform(3 features)", () => lib.Standardizer.fit(X).transform(Matrix.zeros(1, 3)), E, "Standardizer.transform", "features", /have 3 features, fitted on 2/],
  ["random.int(0)", () => new Random().int(0), R, "int", "n", /must be a positive integer, got 0/],
  ['random.int("3")', () => new Random().int("3" as never), R, "int", "n", /got "3" \(a string\)/],
  ["random.uniform(1, 0)", () => new Random().uniform(1, 0), E, "uniform", "low", /must not exceed high/],
  ["random.normal(0, -1)", () => new Random().normal(0, -1), E, "normal", "std", /must be ≥ 0/],
  ["random.permutation(-1)", () => new Random().permutation(-1), R, "permutation", "n", /must be a non-negative integer/],
  ["random.normalMatrix(2.5, 2)", () => new Random().normalMatrix(2.5, 2), R, "normalMatrix", "rows", /got 2.5/],
  ["new Matrix(-1, 2)", () => new Matrix(-1, 2), R, "Matrix", "rows", /must be a non-negative integer, got -1/],
  ["new Matrix(2, 2, new Float64Array(3))", () => new Matrix(2, 2, new Float64Array(3)), E, "Matrix", "data", /has 3 values, but a 2×2 matrix needs 4/],
  ["Matrix.fromArray([[1, 2], [3]])", () => Matrix.fromArray([[1, 2], [3]]), E, "Matrix.fromArray", "row 1", /has 1 values, but row 0 has 2/],
  ["M.get(5, 0)", () => X.get(5, 0), E, "get", "index (5, 0)", /is outside a 4×2 matrix/],
  ["M.add(M of another shape)", () => X.add(Y), E, "add", "shapes", /4×2 and 4×1 differ/],
  ["gemm(4×2, 4×1)", () => lib.gemm(X, Y), E, "gemm", "inner dimensions", /\(4×2\)·\(4×1\): inner dimensions 2 and 4 differ/],
  ["gemm(…, { out } of the wrong shape)", () => lib.gemm(X, X, { transB: true, out: Matrix.zeros(2, 2) }), E, "gemm", "out", /must be 4×4, got 2×2/],
  ["gemm(…, { out: A })", () => { const A = Matrix.zeros(2, 2); return lib.gemm(A, Matrix.zeros(2, 2), { out: A }); }, E, "gemm", "out", /must not share storage/],
  ["M.sum(2)", () => X.sum(2 as never), E, "sum", "axis", /must be 0, 1 or omitted/],
  ["Matrix.zeros(0, 0).mean()", () => Matrix.zeros(0, 0).mean(), E, "mean", "entries", /has no entries to average/],
  ["parseIdx(3 bytes)", () => lib.parseIdx(new Uint8Array(3), "f"), E, "f", "bytes", /too short for an IDX header/],
  ["parseIdx(not IDX)", () => lib.parseIdx(new Uint8Array([1, 2, 8, 1, 0, 0, 0, 0]), "f"), E, "f", "magic number", /not an IDX file/],
  ["sliceImageSet(set, 0, 5) of 2", () => lib.sliceImageSet({ count: 2, height: 1, width: 1, pixels: new Uint8Array(2), labels: new Uint8Array(2) }, 0, 5), E, "sliceImageSet", "examples 0…4", /outside 0…1/],
  ["tableHtml([])", () => lib.tableHtml([]), E, "tableHtml", "columns", /no columns/],
  ["tableHtml(rows, { digits: -1 })", () => lib.tableHtml([{ a: 1.5 }], { digits: -1 }), R, "tableHtml", "digits", /must be a non-negative integer/],
  ["tableHtml(rows, { digits: 200 })", () => lib.tableHtml([{ a: 1.5 }], { digits: 200 }), R, "tableHtml", "digits", /must be at most 20/],
  ["linePlot({ series: [] })", () => lib.linePlot({ series: [], ...axes }), E, "linePlot", "series", /no series/],
  ["linePlot(without axis titles)", () => lib.linePlot({ series: [{ y: [1] }] }), E, "linePlot", "xTitle and yTitle", /are required/],
  ["linePlot({ series: [{ x: [0], y: [1, 2] }] })", () => lib.linePlot({ series: [{ x: [0], y: [1, 2] }], ...axes }), E, 'linePlot: x of "series 1"', "its y", /has 1 values but its y has 2/],
  ["linePlot({ yRange: [1, 0] })", () => lib.linePlot({ series: [{ y: [1] }], ...axes, yRange: [1, 0] }), E, "linePlot: yRange", "low < high", /must be \[low, high\] with low < high/],
  ["linePlot({ xRange: [0] })", () => lib.linePlot({ series: [{ y: [1] }], ...axes, xRange: [0] as never }), R, "linePlot: xRange", "[low, high]", /got 1 values/],
  ["linePlot({ height: -10 })", () => lib.linePlot({ series: [{ y: [1] }], ...axes, height: -10 }), R, "linePlot", "height", /must be a positive number/],
  ["scatterByClass(labels of another length)", () => lib.scatterByClass({ points: [[0, 0]], labels: [0, 1], ...axes }), E, "scatterByClass: labels", "points", /has 2 values but points has 1/],
  ["scatterByClass(label −1)", () => lib.scatterByClass({ points: [[0, 0]], labels: [-1], ...axes }), E, "scatterByClass", "label -1", /is not a class index/],
  ["scatterByClass(3-D point)", () => lib.scatterByClass({ points: [[0, 0, 0]], labels: [0], ...axes }), E, "scatterByClass", "point 0", /has 3 coordinates, expected 2/],
  ["decisionBoundary(predict and predictPoints)", () => lib.decisionBoundary({ predict: () => 0, predictPoints: () => [], ...box, ...axes }), E, "decisionBoundary", "predict and predictPoints", /exactly one of/],
  ["decisionBoundary({ output: 'probabilities' })", () => lib.decisionBoundary({ predict: () => 0, ...box, ...axes, output: "probabilities" as never }), E, "decisionBoundary", '"probabilities"', /unknown output/],
  ["decisionBoundary(a model returning 0.5 as a class)", () => lib.decisionBoundary({ predict: () => 0.5, ...box, ...axes, resolution: 3 }), E, "decisionBoundary", "0.5", /not a class index/],
  ["decisionBoundary({ resolution: 1 })", () => lib.decisionBoundary({ predict: () => 0, ...box, ...axes, resolution: 1 }), E, "decisionBoundary", "resolution", /must be an integer ≥ 2, got 1/],
  ["decisionBoundary(points without labels)", () => lib.decisionBoundary({ predict: () => 0, ...box, ...axes, resolution: 3, points: [[0, 0]] }), E, "decisionBoundary", "points", /need labels/],
  ["barChart(values of another length)", () => lib.barChart({ categories: ["a", "b"], values: [1], ...axes }), E, "barChart: values", "categories", /has 1 values but categories has 2/],
  ["barChart({ labelDigits: 50 })", () => lib.barChart({ categories: ["a"], values: [1], labelDigits: 50, ...axes }), R, "barChart", "labelDigits", /must be at most 20/],
  ["barChart({ highlight: -1 })", () => lib.barChart({ categories: ["a"], values: [1], highlight: -1, ...axes }), R, "barChart", "highlight", /must be a non-negative integer/],
  ["heatmap({ z: [] })", () => lib.heatmap({ z: [], ...axes }), E, "heatmap: z", "rows", /no rows/],
  ["heatmap(ragged z)", () => lib.heatmap({ z: [[1, 2], [3]], ...axes }), E, "heatmap: z", "row 1", /has 1 values, row 0 has 2/],
  ["heatmap(xLabels of another length)", () => lib.heatmap({ z: [[1, 2]], xLabels: ["a"], ...axes }), E, "heatmap: xLabels", "each row of z", /has 1 values but each row of z has 2/],
  ["confusionMatrixFigure(3 names for 2 classes)", () => lib.confusionMatrixFigure([[1, 0], [0, 1]], { classNames: ["a", "b", "c"] }), E, "confusionMatrixFigure", "classNames", /has 3 names for 2 classes/],
  ["confusionMatrixFigure(non-square)", () => lib.confusionMatrixFigure([[1, 0, 0], [0, 1, 0]]), E, "confusionMatrixFigure", "square", /needs a square matrix/],
  ["imageGrid(image of 3 pixels for 2×2)", () => lib.imageGrid({ images: [[0, 0, 0]], width: 2, height: 2 }), E, "imageGrid", "image 0", /has 3 pixels, expected 2×2 = 4/],
  ["imageGrid({ width: 0 })", () => lib.imageGrid({ images: [[0]], width: 0, height: 1 }), R, "imageGrid", "width", /must be a positive number, got 0/],
  ["imageGrid({ width: 2.5 })", () => lib.imageGrid({ images: [[0]], width: 2.5, height: 1 }), E, "imageGrid", "width and height", /must be positive integers/],
  ["imageGrid({ images: [] })", () => lib.imageGrid({ images: [], width: 1, height: 1 }), E, "imageGrid", "images", /no images/],
  ["imageGrid({ scale: 0 })", () => lib.imageGrid({ images: [[0]], width: 1, height: 1, scale: 0 }), R, "imageGrid", "scale", /must be a positive number/],
  ["imageGrid({ columns: 0 })", () => lib.imageGrid({ images: [[0]], width: 1, height: 1, columns: 0 }), R, "imageGrid", "columns", /must be a positive integer/],
  ["lossSurface(a loss that is NaN)", () => lib.lossSurface({ loss: () => NaN, ...box, ...axes, resolution: 3 }), E, "lossSurface", "loss(0, 0)", /is NaN/],
  ["lossSurface({ logScale } with a zero loss)", () => lib.lossSurface({ loss: () => 0, ...box, ...axes, resolution: 3, logScale: true }), E, "lossSurface", "logScale", /needs a positive loss/],
  ["lossSurface(an empty path)", () => lib.lossSurface({ loss: () => 1, ...box, ...axes, resolution: 3, paths: [{ name: "sgd", points: [] }] }), E, "lossSurface", 'path "sgd"', /has no points/],
  ["trainingCurves({})", () => lib.trainingCurves({}), E, "trainingCurves", "loss and/or accuracy", /give loss/],
  ["trainingCurves({ loss: { train: [NaN] } })", () => lib.trainingCurves({ loss: { train: [NaN] } }), R, 'trainingCurves: loss of "train"', "index 0", /contains NaN/],
  ["new TrainingMonitor({ epochs: 0 })", () => new TrainingMonitor({ epochs: 0, sink }), R, "TrainingMonitor", "epochs", /must be a positive integer/],
  ["monitor.epochEnd(2) before epoch 1", () => new TrainingMonitor({ epochs: 3, sink }).epochEnd(2, {}), E, "TrainingMonitor.epochEnd", "epoch", /expected epoch 1, got 2/],
  ["monitor.epochEnd(1, { loss: { train: NaN } })", () => new TrainingMonitor({ epochs: 3, sink }).epochEnd(1, { loss: { train: NaN } }), E, "TrainingMonitor.epochEnd", "train loss", /is NaN at epoch 1/],
  ["monitor.progress(1.5)", () => new TrainingMonitor({ epochs: 3, sink }).progress(1.5), E, "TrainingMonitor.progress", "fraction", /must be in \[0, 1\]/],
  ["new LiveFigure({ minIntervalMs: -1 })", () => new lib.LiveFigure({ minIntervalMs: -1, sink }), R, "LiveFigure", "minIntervalMs", /must be ≥ 0/],
];

// ------------------------------------------------------- messages that blame the right thing
// One bad input per line, so that the table reads as a table:
// prettier-ignore
const rightBlame: Row[] = [
  ["new Neuron(−1) blames Neuron, not Matrix", () => new Neuron(-1, "sigmoid"), R, "Neuron", "inputs", /^Neuron: /],
  ["new Network([2, 0, 1]) blames Network's sizes, not Dense", () => new Network([2, 0, 1]), R, "Network", "sizes[1]", /^Network: /],
  ["confusionMatrixFigure's class names blame confusionMatrixFigure, not heatmap", () => lib.confusionMatrixFigure([[1, 0], [0, 1]], { classNames: ["a"] }), E, "confusionMatrixFigure", "classNames", /^confusionMatrixFigure: /],
  ["readIdx(a folder) names the folder, not EISDIR", () => lib.readIdx(__dirname), E, "readIdx", __dirname, /is a folder; give the path of an IDX file/],
  ["readIdx(a missing file)", () => lib.readIdx("/no/such/file-idx1-ubyte"), E, "readIdx", "/no/such/file-idx1-ubyte", /no such file/],
  ['librarySource("matrix.ts", "gemm(") is not a regex', () => lib.librarySource("matrix.ts", "gemm("), E, "librarySource", '"gemm("', /is not a name or Class.method/],
  ['librarySource("matrix.ts", ".*")', () => lib.librarySource("matrix.ts", ".*"), E, "librarySource", '".*"', /is not a name/],
  ['librarySource("../../package.json", "x") stays inside lib/src', () => lib.librarySource("../../package.json", "x"), E, "librarySource", "file", /must name a file of lib\/src/],
  ['librarySource("/etc/passwd", "root")', () => lib.librarySource("/etc/passwd", "root"), E, "librarySource", "file", /must name a file of lib\/src/],
  ['librarySource("nope.ts", "x")', () => lib.librarySource("nope.ts", "x"), E, "librarySource", "lib/src/nope.ts", /no file/],
  ['librarySource("fit.ts", "nothing")', () => lib.librarySource("fit.ts", "nothing"), E, "librarySource", '"nothing"', /no declaration/],
  ["fit(Y of the wrong shape) blames fit, before any epoch", () => lib.fit(net(), X, Matrix.zeros(3, 1), fitOptions), E, "fit", "training targets", /^fit: /],
  ["fit(a bad validation Y) blames fit before the first epoch", () => lib.fit(net(), X, Y, { ...fitOptions, validation: { X, Y: Matrix.zeros(4, 2) } }), E, "fit", "validation targets", /is 4×2, expected 4×1/],
  ["fit(validation X with the wrong features)", () => lib.fit(net(), X, Y, { ...fitOptions, validation: { X: Matrix.zeros(4, 5), Y } }), E, "fit", "validation inputs", /is 4×5, expected 2 features/],
  ["dense.forward(wrong features) names Dense.forward", () => new lib.Dense(3, 1, "relu", { init: "he", random: new Random() }).forward(X), E, "Dense.forward", "input", /has 2 features per example, the layer expects 3/],
  ["affine(mismatched weights)", () => lib.affine(X, Matrix.zeros(1, 3), Matrix.zeros(1, 1)), E, "affine", "weights", /inputs are 4×2 \(2 features\) but weights are 1×3/],
  ["affine(bias of the wrong shape)", () => lib.affine(X, Matrix.zeros(3, 2), Matrix.zeros(1, 2)), E, "affine", "bias", /must be 1×3 for 3 units, got 1×2/],
  ["asGate(a model that predicts 0.7)", () => lib.asGate({ predict: () => 0.7 })(0, 1), E, "asGate", "0.7", /a gate must output 0 or 1/],
  ["figureHtml(figure, { id: '\"><script>' })", () => lib.figureHtml(figure, { id: '"><script>' }), E, "figureHtml", "id", /must start with a letter/],
  ["figureHtml(figure, { id: 'a b' })", () => lib.figureHtml(figure, { id: "a b" }), E, "figureHtml", "id", /only letters, digits/],
  ["figureHtml(layout.height as a string)", () => lib.figureHtml({ ...figure, layout: { ...figure.layout, height: "1px;background:red" as never } }), T, "figureHtml", "layout.height", /must be a number/],
  ["lineThroughBox(NaN weight)", () => lib.lineThroughBox([NaN, 1], 0, [0, 1], [0, 1]), R, "lineThroughBox: weights and bias", "index 0", /contains NaN/],
  ["unknown option in a non-object", () => new Adam(null as never), T, "Adam", "options", /must be an object/],
  ["softmax([]) says no values", () => lib.softmax([]), E, "softmaxRows", "row 0", /only -Infinity or no values/],
];

// --------------------------------------------------------------- sizes that cannot fit in memory
// One bad input per line, so that the table reads as a table:
// prettier-ignore
const tooLarge: Row[] = [
  ["twoMoons(1e8, 0.1)", () => lib.twoMoons(1e8, 0.1), R, "twoMoons", "n = 100000000 points", /would take about 12.0 GB of memory/],
  ["spirals(1e7, 10, 0.1)", () => lib.spirals(1e7, 10, 0.1), R, "spirals", "points", /GB of memory, more than/],
  ["blobs([[0, 0]], 1e9, 1)", () => lib.blobs([[0, 0]], 1e9, 1), R, "blobs", "points", /GB of memory/],
  ["decisionBoundary({ resolution: 1e5 })", () => lib.decisionBoundary({ predict: () => 0, ...box, ...axes, resolution: 1e5 }), R, "decisionBoundary", "a 100000×100000 grid", /would take about 640 GB/],
  ["lossSurface({ resolution: 1e5 })", () => lib.lossSurface({ loss: () => 1, ...box, ...axes, resolution: 1e5 }), R, "lossSurface", "grid", /GB of memory/],
  ["new Matrix(1e5, 1e5)", () => new Matrix(1e5, 1e5), R, "Matrix", "a 100000×100000 matrix", /would take about 80.0 GB of memory/],
  ["Matrix.zeros(60000, 1e5)", () => Matrix.zeros(60000, 1e5), R, "Matrix", "60000×100000", /48.0 GB/],
  ["random.normalMatrix(1e6, 1e4)", () => new Random().normalMatrix(1e6, 1e4), R, "Matrix", "1000000×10000", /80.0 GB/],
  ["new Network([784, 1e6, 10])", () => new Network([784, 1e6, 10]), R, "Matrix", "1000000×784", /6.27 GB/],
];

// ------------------------------------------------------------- NaN in the data, where it comes in
const withNaN = Matrix.fromArray([
  [0, 0],
  [0, NaN],
  [1, 0],
  [1, 1],
]);
const dense = () => new lib.Dense(2, 3, "relu", { init: "he", random: new Random(), dropout: 0.5 });
// One bad input per line, so that the table reads as a table:
// prettier-ignore
const nanData: Row[] = [
  ["net.predict(NaN at (1, 1))", () => net().predict(withNaN), R, "Network.predict: input", "(1, 1)", /contains NaN at \(1, 1\)$/],
  ["net.classify(NaN) does not answer class 0", () => net().classify(withNaN), R, "Network.predict: input", "(1, 1)", /contains NaN/],
  ["net.logits(NaN)", () => softmaxNet().logits(withNaN), R, "Network.logits: input", "(1, 1)", /contains NaN/],
  ["net.forward(Infinity)", () => net().forward(Matrix.fromArray([[Infinity, 0]])), R, "Network.forward: input", "(0, 0)", /contains Infinity/],
  ["net.evaluate(NaN inputs)", () => net().evaluate(withNaN, Y), R, "Network.evaluate: inputs", "(1, 1)", /contains NaN/],
  ["net.computeGradients(NaN inputs) blames the input, not the prediction", () => net().computeGradients(withNaN, Y), R, "Network.computeGradients: inputs", "(1, 1)", /contains NaN/],
  ["gradientCheck(net, NaN inputs, Y) blames the input", () => lib.gradientCheck(net(), withNaN, Y), R, "gradientCheck: inputs", "(1, 1)", /contains NaN/],
  ["dense.forward(NaN)", () => dense().forward(withNaN), R, "Dense.forward: X", "(1, 1)", /contains NaN/],
  ["neuron.forward(NaN)", () => new Neuron(2, "sigmoid").forward(withNaN), R, "Neuron.forward: X", "(1, 1)", /contains NaN/],
  ["standardizer.transform(NaN) does not pass it through", () => lib.Standardizer.fit(X).transform(withNaN), R, "Standardizer.transform: inputs", "(1, 1)", /contains NaN/],
  ["M.argmaxRows() of an all-NaN row is not 0", () => Matrix.fromArray([[0, 1], [NaN, NaN]]).argmaxRows(), R, "argmaxRows", "(1, 0)", /contains NaN/],
  ["M.argmaxRows() of a row with one NaN", () => Matrix.fromArray([[1, NaN]]).argmaxRows(), R, "argmaxRows", "(0, 1)", /contains NaN/],
  ["classesOf(all-NaN rows)", () => lib.classesOf(Matrix.fromArray([[NaN, NaN]])), R, "classesOf: P", "(0, 0)", /contains NaN/],
  ["classesOf(one output, NaN) is not class 0", () => lib.classesOf(Matrix.fromColumn([0.9, NaN])), R, "classesOf: P", "(1, 0)", /contains NaN/],
  ["accuracy([NaN], [0])", () => lib.accuracy([0, NaN], [0, 1]), R, "accuracy: predicted", "index 1", /contains NaN/],
];

// ------------------------------------------------------------ loss targets, when called directly
const half = Matrix.fromRow([0.5, 0.5]);
// One bad input per line, so that the table reads as a table:
// prettier-ignore
const lossTargets: Row[] = [
  ["categoricalCrossEntropy.value(P, a row summing to 0.7)", () => lib.categoricalCrossEntropy.value(half, Matrix.fromRow([0.7, 0])), R, "categoricalCrossEntropy", "target row 0", /sums to 0.7; categoricalCrossEntropy needs each row to be probabilities summing to 1/],
  ["categoricalCrossEntropy.value(P, two-hot)", () => lib.categoricalCrossEntropy.value(half, Matrix.fromRow([1, 1])), R, "categoricalCrossEntropy", "target row 0", /sums to 2;/],
  ["categoricalCrossEntropy.value(P, all zeros) is not 0", () => lib.categoricalCrossEntropy.value(half, Matrix.fromRow([0, 0])), R, "categoricalCrossEntropy", "target row 0", /sums to 0;/],
  ["categoricalCrossEntropy.gradient(P, all zeros)", () => lib.categoricalCrossEntropy.gradient(Matrix.fromArray([[0.5, 0.5], [0.5, 0.5]]), Matrix.fromArray([[1, 0], [0, 0]])), R, "categoricalCrossEntropy.gradient", "target row 1", /sums to 0;/],
  ["softmaxCrossEntropy(Z, a row summing to 0.7)", () => lib.softmaxCrossEntropy(half, Matrix.fromRow([0.7, 0])), R, "softmaxCrossEntropy", "target row 0", /sums to 0.7/],
  ["fromScores.gradient(Z, P, two-hot)", () => lib.categoricalCrossEntropy.fromScores!.gradient(half, half, Matrix.fromRow([1, 1])), R, "categoricalCrossEntropy.fromScores", "target row 0", /sums to 2/],
];

// ------------------------------------------------------------- divergence outside fit (errors)
// One bad input per line, so that the table reads as a table:
// prettier-ignore
const diverging: Row[] = [
  ["linear neuron.train at 10⁶", () => new Neuron(2, "linear").train(X, Matrix.fromColumn([0, 1, 1, 1]), { loss: "mse", learningRate: 1e6, epochs: 100 }), E, "Neuron.train", "the loss became Infinity", /in epoch \d+; try a lower learning rate than 1000000/],
  ["tiny.train from an infinite w5", () => { const t = new TinyNetwork(); t.params.w5 = Infinity; return t.train(FOUR_PEOPLE, { learningRate: 0.1, epochs: 2 }); }, E, "TinyNetwork.train", "the loss became NaN", /in epoch 1; try a lower learning rate than 0.1/],
];

// ------------------------------------------------------------------ wrong types, misreported before
const monitor = () => new TrainingMonitor({ epochs: 3, sink });
const imageSet = (labels: number[]) => ({
  count: labels.length,
  height: 1,
  width: 1,
  pixels: new Uint8Array(labels.length),
  labels: Uint8Array.from(labels),
});
// One bad input per line, so that the table reads as a table:
// prettier-ignore
const misreported: Row[] = [
  ['M.get("0", "0") is not "outside"', () => X.get("0" as never, "0" as never), T, "get", "index (i, j)", /must be two numbers, got \("0" \(a string\), "0" \(a string\)\)/],
  ['M.set("1", 0, 2)', () => Matrix.zeros(2, 2).set("1" as never, 0, 2), T, "set", "index (i, j)", /got \("1" \(a string\), 0\)/],
  ['M.mean("0") shows the string', () => X.mean("0" as never), T, "mean", "axis", /must be 0, 1 or omitted, got "0" \(a string\)/],
  ['M.sum("1")', () => X.sum("1" as never), T, "sum", "axis", /got "1" \(a string\)/],
  ['M.row("0")', () => X.row("0" as never), T, "row", "index", /must be a number, got "0" \(a string\)/],
  ["Matrix.fromFunction(2, 2, () => undefined)", () => Matrix.fromFunction(2, 2, (() => undefined) as never), T, "Matrix.fromFunction", "fn(0, 0)", /must return a number, got undefined/],
  ['Matrix.fromFunction(1, 1, () => "1")', () => Matrix.fromFunction(1, 1, (() => "1") as never), T, "Matrix.fromFunction", "fn(0, 0)", /got "1" \(a string\)/],
  ["dense.forward(X, true) (a boolean where { random } goes)", () => dense().forward(X, true as never), T, "Dense.forward", "training", /must be omitted or \{ random: Random \}.*got true/],
  ['dense.forward(X, { random: "r" })', () => dense().forward(X, { random: "r" } as never), T, "Dense.forward", "training", /got an object/],
  ['net.forward(X, "yes")', () => net().forward(X, "yes" as never), T, "Network.forward", "training", /must be true or false, got "yes" \(a string\)/],
  ["linePlot({ series: [{ y: null }] })", () => lib.linePlot({ series: [{ y: null as never }], ...axes }), T, 'linePlot: y of "series 1"', "y", /must be an array of numbers, got null/],
  ['linePlot({ series: [{ x: "01", y }] })', () => lib.linePlot({ series: [{ x: "01" as never, y: [1, 2] }], ...axes }), T, 'linePlot: x of "series 1"', "x", /must be an array of numbers, got "01"/],
  ['linePlot({ logY: "yes" })', () => lib.linePlot({ series: [{ y: [1] }], ...axes, logY: "yes" as never }), T, "linePlot", "logY", /must be true or false/],
  ['imageGrid({ width: "2" })', () => lib.imageGrid({ images: [[0, 0]], width: "2" as never, height: 1 }), T, "imageGrid", "width", /must be a number, got "2" \(a string\)/],
  ['monitor.progress("0.5")', () => monitor().progress("0.5" as never), T, "TrainingMonitor.progress", "fraction", /must be a number, got "0.5"/],
  ['monitor.epochEnd("1", {})', () => monitor().epochEnd("1" as never, {}), T, "TrainingMonitor.epochEnd", "epoch", /must be a number, got "1" \(a string\)/],
  ['monitor.epochEnd(1, { loss: { train: "0.5" } })', () => monitor().epochEnd(1, { loss: { train: "0.5" as never } }), T, "TrainingMonitor.epochEnd", "train loss", /is "0.5" \(a string\)/],
  ['sliceImageSet(set, "0", 1)', () => lib.sliceImageSet(imageSet([1, 2]) as never, "0" as never, 1), T, "sliceImageSet", "start", /must be a number, got "0"/],
  ["lossSurface({ paths: [null] })", () => lib.lossSurface({ loss: () => 1, ...box, ...axes, resolution: 3, paths: [null as never] }), T, "lossSurface", "paths[0]", /must be \{ name, points \}, got null/],
  ['lossSurface({ paths: [{ name, points: "ab" }] })', () => lib.lossSurface({ loss: () => 1, ...box, ...axes, resolution: 3, paths: [{ name: "p", points: "ab" as never }] }), T, "lossSurface", "paths[0].points", /must be an array of \[x, y\]/],
  ["liveFigure.update(5)", () => new lib.LiveFigure({ sink }).update(5 as never), T, "LiveFigure.update", "render", /must be a function/],
];

// ------------------------------------------------------------------------------ options and ranges
// One bad input per line, so that the table reads as a table:
// prettier-ignore
const optionsAndRanges: Row[] = [
  ["gradientDescent({ …, rate: 0.1 })", () => lib.gradientDescent({ f: () => 0, gradient: () => [0], start: [1], learningRate: 0.1, steps: 1, rate: 0.1 } as never), E, "gradientDescent", '"rate"', /unknown option "rate".*\(known: f, gradient, start, learningRate, steps, momentum\)/],
  ["liveFigure.update(render, { forse: true })", () => new lib.LiveFigure({ sink }).update(() => ({ figure }), { forse: true } as never), E, "LiveFigure.update", '"forse"', /did you mean "force"\?/],
  ["monitor.epochEnd(1, { losses })", () => monitor().epochEnd(1, { losses: { train: 1 } } as never), E, "TrainingMonitor.epochEnd", '"losses"', /did you mean "loss"\?/],
  ["lossSurface({ paths: [{ name, points, colour }] })", () => lib.lossSurface({ loss: () => 1, ...box, ...axes, resolution: 3, paths: [{ name: "p", points: [[0, 0]], colour: "red" }] } as never), E, "lossSurface: paths[0]", '"colour"', /unknown option/],
  ["labelCounts(a label of 12 in a 10-class set)", () => lib.labelCounts(imageSet([1, 12]) as never), R, "labelCounts", "label 12 at index 1", /is not a digit 0…9/],
  ["linePlot({ logY } with a 0)", () => lib.linePlot({ series: [{ y: [1, 0] }], ...axes, logY: true }), R, 'linePlot: y of "series 1"', "0 at index 1", /a log axis \(logY\) shows only positive values/],
  ["linePlot({ logY } with a negative value)", () => lib.linePlot({ series: [{ y: [1, 2] }, { name: "b", y: [-1] }], ...axes, logY: true }), R, 'linePlot: y of "b"', "-1 at index 0", /only positive values/],
  ["linePlot({ logY, yRange: [0, 1] })", () => lib.linePlot({ series: [{ y: [1] }], ...axes, logY: true, yRange: [0, 1] }), R, "linePlot", "yRange", /must be positive on a log axis \(logY\), got \[0, 1\]/],
  ["barChart({ highlight } past the last bar)", () => lib.barChart({ categories: ["a", "b"], values: [1, 2], highlight: 2, ...axes }), R, "barChart", "highlight", /must be the index of a bar, 0…1, got 2/],
  ["confusionMatrixFigure(a negative count)", () => lib.confusionMatrixFigure([[1, -1], [0, 1]]), R, "confusionMatrixFigure", "counts", /has -1 at \(0, 1\); a count cannot be negative/],
  ["lineThroughBox(a reversed xRange)", () => lib.lineThroughBox([1, 1], 0, [1, 0], [0, 1]), E, "lineThroughBox: xRange", "low < high", /got \[1, 0\]/],
  ["lineThroughBox(an empty yRange)", () => lib.lineThroughBox([1, 1], 0, [0, 1], [2, 2]), E, "lineThroughBox: yRange", "low < high", /got \[2, 2\]/],
  ["scatterByClass({ xRange: [1, -1] })", () => lib.scatterByClass({ points: [[0, 0]], labels: [0], ...axes, xRange: [1, -1] }), E, "scatterByClass: xRange", "low < high", /got \[1, -1\]/],
  ["barChart({ yRange: [1, 0] })", () => lib.barChart({ categories: ["a"], values: [1], ...axes, yRange: [1, 0] }), E, "barChart: yRange", "low < high", /got \[1, 0\]/],
  ["imageGrid({ range: [1, 0] })", () => lib.imageGrid({ images: [[0]], width: 1, height: 1, range: [1, 0] }), E, "imageGrid: range", "low < high", /got \[1, 0\]/],
  ["random.uniformMatrix(1, 1, 2, 1)", () => new Random().uniformMatrix(1, 1, 2, 1), E, "uniformMatrix", "low (2)", /must not exceed high \(1\)/],
];

// ------------------------------------------------------------------------- the autodiff engines
const v = () => new lib.Value(2);
const tape = () => new lib.Tape();
const onTape = (m: Matrix) => tape().variable(m);
const l2Net = () => new Network({ sizes: [2, 3, 1], l2: 0.1, random: new Random("bad") });
// One bad input per line, so that the table reads as a table:
// prettier-ignore
const autodiff: Row[] = [
  ['new Value("2")', () => new lib.Value("2" as never), T, "Value", "data", /must be a number, got "2" \(a string\)/],
  ["new Value(1, 2) (a label that is not a string)", () => new lib.Value(1, 2 as never), T, "Value", "label", /must be a string, got 2/],
  ["new Value(NaN)", () => new lib.Value(NaN), R, "Value", "data", /must be a finite number, got NaN/],
  ['v.add("1") (a string mixed in)', () => v().add("1" as never), T, "Value.add", "other", /must be a Value or a number, got "1" \(a string\)/],
  ["v.mul(NaN)", () => v().mul(NaN), R, "Value.mul", "other", /must be a finite number, got NaN/],
  ["v.sub(a Matrix)", () => v().sub(X as never), T, "Value.sub", "other", /must be a Value or a number, got a 4×2 Matrix/],
  ["v.div(0)", () => v().div(0), R, "Value.div", "other is 0", /division by 0 has no value/],
  ["new Value(-1).log()", () => new lib.Value(-1).log(), R, "Value.log", "input", /must be positive, got -1/],
  ["new Value(0).log()", () => new lib.Value(0).log(), R, "Value.log", "input", /must be positive, got 0/],
  ["new Value(-2).pow(0.5)", () => new lib.Value(-2).pow(0.5), R, "Value.pow", "a negative base (-2)", /to the non-integer power 0.5 is not a real number/],
  ["new Value(0).pow(-1)", () => new lib.Value(0).pow(-1), R, "Value.pow", "0 to the power -1", /has no finite derivative/],
  ["v.pow(new Value(2)) (the exponent is a number)", () => v().pow(new lib.Value(2) as never), T, "Value.pow", "n", /must be a number, got a Value/],
  ["new Value(1000).exp() overflows", () => new lib.Value(1000).exp(), R, "Value.exp", "(1000)", /gives Infinity, not a finite number/],
  ["graphOf(3)", () => lib.graphOf(3 as never), T, "graphOf", "root", /must be a Value, got 3/],
  ["tape.variable([[1]])", () => tape().variable([[1]] as never), T, "Tape.variable", "value", /must be a Matrix/],
  ['t.matmulT("W")', () => onTape(X).matmulT("W" as never), T, "Tensor.matmulT", "W", /must be a Tensor or a Matrix, got "W" \(a string\)/],
  ["t.matmulT(W with 3 columns for X with 2)", () => onTape(X).matmulT(Matrix.zeros(5, 3)), E, "Tensor.matmulT", "4×2 and 5×3", /do not fit: X·Wᵀ needs W with one column per column of X/],
  ["t.matmul(B with 3 rows for A with 2 columns)", () => onTape(X).matmul(Matrix.zeros(3, 1)), E, "Tensor.matmul", "4×2 and 3×1", /A·B needs B with one row per column of A/],
  ["t.addRow(a 2×2 bias)", () => onTape(X).addRow(Matrix.zeros(2, 2)), E, "Tensor.addRow", "bias", /must be 1×2 \(one entry per column\), got 2×2/],
  ["t.add(a tensor of another tape)", () => onTape(X).add(onTape(X)), E, "Tensor.add", "other", /belongs to another tape; record the whole forward pass on one Tape/],
  ["t.add(another shape)", () => onTape(X).add(Matrix.zeros(2, 2)), E, "Tensor.add", "4×2 and 2×2", /differ/],
  ['t.scale("2")', () => onTape(X).scale("2" as never), T, "Tensor.scale", "k", /must be a number, got "2"/],
  ["t.mse(targets of another shape)", () => onTape(X).mse(Y), E, "Tensor.mse", "targets are 4×1", /outputs are 4×2/],
  ["t.mse([[1]])", () => onTape(X).mse([[1]] as never), T, "Tensor.mse", "targets", /must be a Matrix/],
  ["t.softmaxCrossEntropy(two-hot targets)", () => onTape(half).softmaxCrossEntropy(Matrix.fromRow([1, 1])), R, "softmaxCrossEntropy", "target row 0", /sums to 2/],
  ["t.backward() on a 4×2 result without a seed", () => onTape(X).sigmoid().backward(), E, "Tensor.backward", "the result is 4×2", /not a single number; give the seed gradient \(a 4×2 Matrix\)/],
  ["t.backward(a seed of another shape)", () => onTape(X).sigmoid().backward(Matrix.zeros(1, 1)), E, "Tensor.backward", "seed is 1×1", /but the result is 4×2/],
  ['t.backward("1")', () => onTape(X).sum().backward("1" as never), T, "Tensor.backward", "seed", /must be a Matrix/],
  ["tape.backward(3)", () => tape().backward(3 as never), T, "Tape.backward", "root", /must be a Tensor, got 3/],
  ["networkLoss(tape, a network with L2, X, Y)", () => lib.networkLoss(tape(), l2Net(), X, Y), E, "networkLoss", "L2 (l2 = 0.1)", /the tape has no operation for/],
  ["networkLoss(tape, a binary cross-entropy network, X, Y)", () => lib.networkLoss(tape(), new Network({ sizes: [2, 1], loss: "binaryCrossEntropy" }), X, Y), E, "networkLoss", "binaryCrossEntropy", /on a sigmoid output layer/],
  ["networkLoss({}, net, X, Y)", () => lib.networkLoss({} as never, net(), X, Y), T, "networkLoss", "tape", /must be a Tape/],
  ["networkLoss(tape, net, 3 features, Y)", () => lib.networkLoss(tape(), net(), Matrix.zeros(4, 3), Y), E, "networkLoss", "inputs", /is 4×3 but the network expects 2 features/],
  ["tapeCost({}, X, Y)", () => lib.tapeCost({} as never, X, Y), T, "tapeCost", "network", /must be a Network/],
  ["tapeCost(net, X, Y, { round: 1 })", () => lib.tapeCost(net(), X, Y, { round: 1 } as never), E, "tapeCost", '"round"', /did you mean "rounds"\?/],
];

// -------------------------------------------------------- training gone wrong that still finishes
// Each row must print exactly one warning, naming the function, what it measured and the problem.
type WarningRow = [
  call: string,
  run: () => unknown,
  owner: string,
  argument: string,
  problem: RegExp,
];
const moons = lib.twoMoons(200, 0.1, new Random("moons"));
const moonsFit = (
  options: Omit<lib.NetworkOptions, "random">,
  Y: Matrix,
  optimizer: lib.Optimizer,
) =>
  lib.fit(new Network({ ...options, random: new Random("n") }), moons.X, Y, {
    epochs: 20,
    batchSize: 10,
    optimizer,
  });
const moonsSoftmax = {
  sizes: [2, 5, 2],
  hidden: "relu",
  output: "softmax",
  loss: "categoricalCrossEntropy",
} as const;
// One bad input per line, so that the table reads as a table:
// prettier-ignore
const warnings: WarningRow[] = [
  ["sigmoid neuron.train at 10⁶: the loss freezes at its start", () => new Neuron(2, "sigmoid").train(X, Matrix.fromColumn([0, 1, 1, 1]), { loss: "mse", learningRate: 1e6, epochs: 100 }), "Neuron.train: warning", "the loss went from 0.2500 to 0.2500 in 100 epochs", /not even 1% lower: training has not worked\. A learning rate far too high \(this one is 1000000\)/],
  ["logistic neuron.train at 10⁶: the loss rises", () => new Neuron(2, "sigmoid").train(X, Matrix.fromColumn([0, 1, 1, 1]), { loss: "binaryCrossEntropy", learningRate: 1e6, epochs: 100 }), "Neuron.train: warning", "the loss went from 0.6931 to 6.908", /not even 1% lower/],
  ["tiny.train at 10⁶: every output saturated", () => new TinyNetwork().train(FOUR_PEOPLE, { learningRate: 1e6, epochs: 100 }), "TinyNetwork.train: warning", "the loss went from 0.5000 to 0.5000 in 99 epochs", /not even 1% lower/],
  ["fit at 10⁶ with a saturating sigmoid: accuracy 0.5, the loss only a little up", () => moonsFit({ sizes: [2, 5, 1] }, Matrix.fromColumn(moons.labels), new SGD({ learningRate: 1e6 })), "fit: warning", "the network does no better than guessing", /training accuracy 50\.0%, no better than always answering the most common class \(50\.0%\), with a loss of 0\.5000, above 1\.25× the loss of giving every example the targets' mean \(0\.2500\), while its largest weight grew \d.*-fold: training has gone wrong.*try a lower learning rate than 1000000$/],
  ["fit with ReLU + softmax at η = 10: stuck at chance", () => moonsFit({ ...moonsSoftmax, init: "he" }, lib.oneHot(moons.labels, 2), new SGD({ learningRate: 10 })), "fit: warning", "the network does no better than guessing", /above 1\.25× the loss of giving every example the targets' mean \(0\.6931\)/],
  ["fit whose loss is enormous from the first batch on (unscaled inputs, Adam at 10⁶)", () => lib.fit(new Network({ ...moonsSoftmax, random: new Random("n") }), moons.X.scale(1000), lib.oneHot(moons.labels, 2), { epochs: 3, batchSize: 10, optimizer: new Adam({ learningRate: 1e6 }) }), "fit: warning", "is more than 1000× the loss of giving every example the targets' mean (0.6931)", /^fit: warning: the loss of epoch 2 \(.*\) .*training has diverged; try a lower learning rate than 1000000$/],
];

const groups: Array<[string, Row[]]> = [
  ["wrong types are rejected with the argument, what was expected and what was given", wrongTypes],
  ["misspelt options and names are rejected with the closest valid one", misspelt],
  ["values that cannot work are refused before any work", missingChecks],
  ["messages blame the function the user called", rightBlame],
  ["NaN in the data is refused where it comes in, with the argument, row and column", nanData],
  ["loss functions called directly refuse targets that are not probabilities", lossTargets],
  ["training loops outside fit stop on values that are not finite", diverging],
  ["wrong types are reported as what they are, strings quoted", misreported],
  ["options reject unknown keys, and counts, labels and ranges their bounds", optionsAndRanges],
  ["the autodiff engines refuse what they cannot differentiate, naming the operation", autodiff],
  [
    "sizes that cannot fit are refused before allocating, with the memory they would take",
    tooLarge,
  ],
];

describe("bad inputs: each gets one clear error", () => {
  for (const [group, rows] of groups) {
    describe(group, () => {
      it.each(rows)("%s", (_call, run, kind, owner, argument, problem) => {
        let thrown: unknown;
        try {
          run();
        } catch (error) {
          thrown = error;
        }
        expect(thrown, "it must throw").toBeInstanceOf(Error);
        const error = thrown as Error;
        expect(error.constructor.name, error.message).toBe(kind.name);
        expect(error.message).toContain(owner);
        expect(error.message).toContain(argument);
        expect(error.message).toMatch(problem);
      });
    });
  }

  describe("training that has gone wrong but finishes says so, once", () => {
    it.each(warnings)("%s", (_call, run, owner, argument, problem) => {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      try {
        run();
        expect(warn, "it must warn once").toHaveBeenCalledTimes(1);
        const message = String(warn.mock.calls[0][0]);
        expect(message).toContain(owner);
        expect(message).toContain(argument);
        expect(message).toMatch(problem);
      } finally {
        warn.mockRestore();
      }
    });

    it("healthy runs like the chapters' say nothing", () => {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      try {
        const xs = Array.from({ length: 30 }, (_, i) => -3 + i / 5);
        const line = Matrix.fromColumn(xs.map((x) => 2 * x + 1));
        new Neuron(1, "linear").train(Matrix.fromColumn(xs), line, {
          loss: "mse",
          learningRate: 0.05,
          epochs: 500,
        });
        for (const learningRate of [0.01, 0.1, 1])
          new TinyNetwork(new Random().fork("chapter-4")).train(FOUR_PEOPLE, {
            learningRate,
            epochs: 1000,
          });
        // Chapter 5's XOR runs: a late one (a long plateau at the loss of guessing) and one stuck for good.
        for (const seed of ["xor-1", "xor-11", "xor-19"])
          lib.fit(
            new Network({
              sizes: [2, 2, 1],
              loss: "binaryCrossEntropy",
              random: new Random().fork(seed),
            }),
            X,
            Y,
            {
              epochs: 4000,
              batchSize: 4,
              optimizer: new SGD({ learningRate: 1 }),
              random: new Random().fork("xor-order"),
            },
          );
        moonsFit(moonsSoftmax, lib.oneHot(moons.labels, 2), new SGD({ learningRate: 0.1 }));
        // Chapter 6: the squared error learns slowly from the confident mistakes of an N(0, 1) start, at
        // chance for epochs with a loss twice that of guessing, but with a sound learning rate.
        const blobs = lib.blobs(
          [
            [0, 0],
            [3, 0],
            [1.5, 2.5],
          ],
          100,
          0.6,
          new Random().fork("blobs"),
        );
        const scaled = lib.Standardizer.fit(blobs.X).transform(blobs.X);
        const mseNet = new Network({
          sizes: [2, 32, 32, 3],
          hidden: "relu",
          output: "softmax",
          loss: "mse",
          random: new Random().fork("mse-vs-ce"),
        });
        const h = lib.fit(mseNet, scaled, lib.oneHot(blobs.labels, 3), {
          epochs: 10,
          batchSize: 10,
          optimizer: new SGD({ learningRate: 0.05 }),
          random: new Random().fork("mse-vs-ce-fit"),
        });
        expect(Math.min(...h.accuracy)).toBeLessThanOrEqual(1 / 3); // it does sit at chance
        expect(warn).not.toHaveBeenCalled();
      } finally {
        warn.mockRestore();
      }
    });
  });

  it("tries at least 200 bad inputs", () => {
    expect(groups.reduce((n, [, rows]) => n + rows.length, 0)).toBeGreaterThanOrEqual(200);
  });

  it("fit with batchSize 1e9 trains on the whole set instead of allocating 1e9 rows", () => {
    const history = lib.fit(net(), X, Y, { ...fitOptions, batchSize: 1e9 });
    expect(history.loss).toHaveLength(1);
  });
});
