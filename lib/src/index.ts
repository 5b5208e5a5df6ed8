/**
 * From Gates to Digits: the one numerical library every chapter imports (`import { … } from "../lib"`).
 * Each module is covered by the tests in test/lib/.
 */
export * from "./matrix";
export * from "./random";
export * from "./perceptron";
export * from "./gates";
export * from "./display";
export * from "./plot";
