/** Two-input logic gates: their truth tables, and the samples a perceptron learns them from. */
import { checkFunction, describeValue } from "../core/checks";
import type { Sample } from "./perceptron";

export type Bit = 0 | 1;
/** Anything that maps two bits to a bit: a boolean formula, a perceptron, later a network. */
export type Gate = (x1: Bit, x2: Bit) => Bit;

/** The four inputs of a two-input gate, in truth-table order. */
export const BINARY_INPUTS: ReadonlyArray<readonly [Bit, Bit]> = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];

/** The textbook definitions, used as the targets to learn and the answers to check against. */
export const LOGIC_GATES = {
  AND: (a: Bit, b: Bit): Bit => (a && b ? 1 : 0),
  OR: (a: Bit, b: Bit): Bit => (a || b ? 1 : 0),
  NAND: (a: Bit, b: Bit): Bit => (a && b ? 0 : 1),
  XOR: (a: Bit, b: Bit): Bit => (a !== b ? 1 : 0),
} as const;
export type GateName = keyof typeof LOGIC_GATES;

export interface TruthRow {
  x1: Bit;
  x2: Bit;
  y: Bit;
}

/** Anything with a `predict([x1, x2])`, e.g. a Perceptron, seen as a gate. */
export function asGate(model: { predict(input: readonly number[]): number }): Gate {
  if (model === null || typeof model !== "object" || typeof model.predict !== "function")
    throw new TypeError(
      `asGate: model must have a predict([x1, x2]) method (e.g. a Perceptron), got ${describeValue(model)}`,
    );
  return (x1, x2) => {
    const y = model.predict([x1, x2]);
    if (y !== 0 && y !== 1)
      throw new Error(
        `asGate: the model predicted ${y} for (${x1}, ${x2}); a gate must output 0 or 1`,
      );
    return y;
  };
}

/** The gate evaluated on all four inputs. */
export function truthTable(gate: Gate): TruthRow[] {
  checkFunction("truthTable", "gate", gate);
  return BINARY_INPUTS.map(([x1, x2]) => ({ x1, x2, y: gate(x1, x2) }));
}

/** True when both gates give the same output on every input. */
export function sameTruthTable(a: Gate, b: Gate): boolean {
  checkFunction("sameTruthTable", "a", a);
  checkFunction("sameTruthTable", "b", b);
  return BINARY_INPUTS.every(([x1, x2]) => a(x1, x2) === b(x1, x2));
}

/** A gate's truth table as training samples for the perceptron rule. */
export function gateSamples(gate: Gate): Sample[] {
  checkFunction("gateSamples", "gate", gate);
  return truthTable(gate).map(({ x1, x2, y }) => ({ input: [x1, x2], target: y }));
}
