/**
 * From Gates to Digits: the one numerical library every chapter imports (`import { … } from "gates-to-digits"`:
 * the npm workspace package in lib/).
 * Each module is covered by the tests in test/lib/. The folders follow the book:
 *
 * | folder        | module            | what it holds                                              | chapters   |
 * |---------------|-------------------|------------------------------------------------------------|------------|
 * | core/         | matrix            | Matrix, gemm (every matrix product)                        | all        |
 * |               | random            | Random, the seeded generator                               | all        |
 * |               | checks            | the argument checks every module shares                    | (all)      |
 * | backends/     | backend, select   | one interface for the loops over large arrays; which runs  | 8 (behind gemm everywhere) |
 * |               | js, kernels       | the TypeScript backend (gemm's loops in kernels)           |            |
 * |               | wasm, kernels.wat | the WebAssembly SIMD backend, the same bits                |            |
 * | small-models/ | perceptron, gates | the perceptron and logic gates                             | 1, 2       |
 * |               | neuron            | one sigmoid neuron trained by gradient descent             | 3          |
 * |               | tiny-network      | the 2-2-1 network differentiated by hand                   | 4, 5       |
 * | networks/     | activations       | element-wise and layer activations, softmax                | 1, 3–6     |
 * |               | layers            | affine and a layer's forward pass                          | 2, 3       |
 * |               | losses            | MSE and the cross-entropies, each owning the output error  | 2–6        |
 * |               | gradients         | numerical derivatives, gradient descent                    | 3, 4, 6    |
 * |               | network           | Dense, Network, backpropagation                            | 5–8        |
 * |               | optimizers        | SGD, Adam                                                  | 5–8        |
 * |               | fit               | the training loop                                          | 5–8        |
 * |               | guard             | fit's divergence guard: stops, undoes, warns               | 5–8        |
 * |               | interrupt         | Kernel ▸ Interrupt during fit: runInterruptibly            | 7          |
 * |               | gradient-check    | backpropagation against finite differences                 | 5, 6       |
 * |               | metrics           | accuracy, confusion matrix, one-hot                        | 5–8        |
 * |               | persistence       | saveNetwork, loadNetwork                                   | 7          |
 * |               | divergence        | what the small models' training loops say when it fails    | 3, 4       |
 * |               | conv, pooling     | Conv2D (im2col + gemm; convolve, the loops), MaxPool2D, Flatten | 10    |
 * |               | sequential        | Sequential: layers of any kind, trained by fit             | 10         |
 * |               | augment           | shiftImages: 1-pixel shifts on the fly, fit's augment hook | 10         |
 * |               | sequential-persistence | saveSequential, loadSequential                        | 10         |
 * | autodiff/     | value             | Value, the scalar engine: backward() by the chain rule     | 9          |
 * |               | tensor            | Tape and Tensor: the same over whole matrices              | 9          |
 * |               | network-tape      | a Network's forward pass on a tape; what the tape costs    | 9          |
 * |               | graph-svg         | a Value's graph drawn as an SVG, data and grad in each box | 9          |
 * | data/         | datasets          | two moons, circles, splits, standardising                  | 5, 6       |
 * |               | mnist             | loadMnist and the IDX files                                | 7, 8       |
 * | measuring/    | product-steps     | the definition, loop order and tiling of a product         | 8          |
 * |               | timing            | interleaved timings, GFLOP/s, the machine's description    | 8          |
 * | notebook/     | display, source   | tables, showSource                                         | all        |
 * |               | plot/             | figures, the live training figure                          | all        |
 * | platform/     | node, browser     | all that differs between Node and a page: files, display…  | (all)      |
 */
export * from "./core/matrix";
export * from "./core/checks";
export * from "./core/random";
export {
  setBackend,
  getBackend,
  withBackend,
  wasmUnavailable,
  setThreads,
  getThreads,
  withThreads,
  threadsUnavailable,
  prepareThreads,
  sharesOnHelpers,
  describeBackend,
  type BackendName,
} from "./backends/select";
export { env, peakMemoryMegabytes, platformName } from "./platform";
export { runPeakLoop } from "./backends/wasm";
export * from "./small-models/perceptron";
export * from "./small-models/gates";
export * from "./small-models/neuron";
export * from "./small-models/tiny-network";
export * from "./networks/activations";
export * from "./networks/layers";
export * from "./networks/losses";
export * from "./networks/gradients";
export * from "./networks/network";
export * from "./networks/optimizers";
export * from "./networks/gradient-check";
export * from "./networks/fit";
export * from "./networks/persistence";
export * from "./networks/metrics";
// chapter 10: convolutions, pooling, a sequential model of any layers, shifted images
export * from "./networks/conv";
export * from "./networks/pooling";
export * from "./networks/sequential";
export * from "./networks/augment";
export * from "./networks/sequential-persistence";
export * from "./autodiff/value";
export * from "./autodiff/tensor";
export * from "./autodiff/network-tape";
export * from "./autodiff/graph-svg";
export * from "./data/datasets";
export * from "./data/mnist";
export * from "./measuring/timing";
export * from "./measuring/product-steps";
export * from "./notebook/display";
export * from "./notebook/source";
export * from "./notebook/plot";
