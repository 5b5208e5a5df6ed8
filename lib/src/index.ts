/**
 * From Gates to Digits: the one numerical library every chapter imports (`import { … } from "../lib"`).
 * Each module is covered by the tests in test/lib/.
 */
export * from "./matrix";
export {
  setBackend,
  getBackend,
  withBackend,
  wasmUnavailable,
  runPeakLoop,
  type BackendName,
} from "./wasm";
export * from "./checks";
export * from "./random";
export * from "./perceptron";
export * from "./gates";
export * from "./activations";
export * from "./layers";
export * from "./neuron";
export * from "./losses";
export * from "./gradients";
export * from "./tiny-network";
export * from "./network";
export * from "./optimizers";
export * from "./gradient-check";
export * from "./fit";
export * from "./persistence";
export * from "./metrics";
export * from "./datasets";
export * from "./mnist";
export * from "./display";
export * from "./source";
export * from "./timing";
export * from "./product-steps";
export * from "./plot";
