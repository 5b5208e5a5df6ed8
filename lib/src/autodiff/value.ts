/**
 * A scalar automatic-differentiation engine, micrograd-sized: a `Value` holds a number (`data`) and, after
 * `backward()`, the derivative of the final result with respect to it (`grad`).
 *
 * Each operation computes its result and, beside it, its local derivatives: how much the result moves per
 * unit move of each input (for a·b: b with respect to a, a with respect to b). `backward()` orders the
 * graph so that every node comes after its inputs, then walks it from the result back to the leaves,
 * adding to each input its local derivative times the gradient that reached the node (the chain rule).
 * A value used twice gets the sum of both contributions, which is why gradients are added, never set.
 *
 * `backward()` starts afresh each time: it first sets every grad in the graph to 0, so calling it twice
 * gives the same gradients instead of doubling them (micrograd's trap). To add the gradients of several
 * losses, add the losses and call `backward()` once on the sum.
 */
import { checkFinite, checkString, describeValue } from "../core/checks";
import { sigmoid } from "../networks/activations";

/** What an operation takes besides a Value: another Value, or a plain number. */
export type Operand = Value | number;

export class Value {
  /** The number this node holds; a leaf's may be changed between passes, as training does. */
  data: number;
  /** ∂(root)/∂(this node) after root.backward(); 0 before. */
  grad = 0;
  /** A name for drawing the graph ("w1", "loss"); "" unless given. */
  label: string;
  /** The operation that made this node ("add", "mul", "tanh", …), "" for a leaf. */
  readonly op: string;
  /** The nodes this one was computed from. */
  readonly inputs: readonly Value[];
  /** ∂(this)/∂(inputs[i]), computed with the forward value. */
  readonly local: readonly number[];

  /**
   * A leaf holding `data` (a finite number), with an optional label. The operations below pass the last
   * three arguments: the operation's name, its inputs, and its local derivatives.
   */
  constructor(data: number, label = "", op = "", inputs: Value[] = [], local: number[] = []) {
    checkFinite("Value", "data", data);
    checkString("Value", "label", label);
    this.data = data;
    this.label = label;
    this.op = op;
    this.inputs = inputs;
    this.local = local;
  }

  /** The node operation `op` makes from `inputs`, with its local derivatives; refused if not finite. */
  private static result(op: string, data: number, inputs: Value[], local: number[]): Value {
    checkResult(op, data, inputs, local);
    return new Value(data, "", op, inputs, local);
  }

  add(other: Operand): Value {
    const b = operand("add", other);
    return Value.result("add", this.data + b.data, [this, b], [1, 1]);
  }

  sub(other: Operand): Value {
    const b = operand("sub", other);
    return Value.result("sub", this.data - b.data, [this, b], [1, -1]);
  }

  mul(other: Operand): Value {
    const b = operand("mul", other);
    return Value.result("mul", this.data * b.data, [this, b], [b.data, this.data]);
  }

  div(other: Operand): Value {
    const b = operand("div", other);
    checkDivisor(b.data);
    const [x, y] = [this.data, b.data];
    return Value.result("div", x / y, [this, b], [1 / y, -x / (y * y)]);
  }

  /** this^n for a number n (not a Value): d/dx xⁿ = n·xⁿ⁻¹. */
  pow(n: number): Value {
    checkPower(this.data, n);
    const x = this.data;
    return Value.result("pow", x ** n, [this], [n * x ** (n - 1)]);
  }

  neg(): Value {
    return Value.result("neg", -this.data, [this], [-1]);
  }

  exp(): Value {
    const e = Math.exp(this.data);
    return Value.result("exp", e, [this], [e]);
  }

  log(): Value {
    checkLogInput(this.data);
    return Value.result("log", Math.log(this.data), [this], [1 / this.data]);
  }

  tanh(): Value {
    const t = Math.tanh(this.data);
    return Value.result("tanh", t, [this], [1 - t * t]);
  }

  sigmoid(): Value {
    const s = sigmoid(this.data);
    return Value.result("sigmoid", s, [this], [s * (1 - s)]);
  }

  /** max(x, 0); its slope at 0 is taken as 1, the right-hand value, as the library's ReLU layers do. */
  relu(): Value {
    const x = this.data;
    return Value.result("relu", Math.max(x, 0), [this], [x >= 0 ? 1 : 0]);
  }

  /** Fills `grad` of every node in this graph with ∂(this)/∂(node), this node's own grad being 1. */
  backward(): void {
    const order = topologicalOrder(this);
    for (const node of order) node.grad = 0; // afresh: a second call gives the same gradients
    this.grad = 1;
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i];
      node.inputs.forEach((input, k) => (input.grad += node.local[k] * node.grad));
    }
  }

  toString(): string {
    return `Value(${this.label ? `${this.label} = ` : ""}${this.data}, grad ${this.grad})`;
  }
}

/**
 * Every node of the graph that ends at `root`, each after all of its inputs. An explicit stack instead of
 * recursion, so that a long chain (a sum of 100 000 terms) does not overflow the call stack.
 */
export function topologicalOrder(root: Value): Value[] {
  checkValue("topologicalOrder", "root", root);
  const order: Value[] = [];
  const seen = new Set<Value>();
  const stack: Array<[Value, boolean]> = [[root, false]];
  while (stack.length > 0) {
    const [node, inputsDone] = stack.pop()!;
    if (inputsDone) {
      order.push(node);
    } else if (!seen.has(node)) {
      seen.add(node);
      stack.push([node, true]); // comes out again once every input below it is in the order
      // Reversed, so that inputs come out first-first, as micrograd's recursion orders them.
      for (let i = node.inputs.length - 1; i >= 0; i--) stack.push([node.inputs[i], false]);
    }
  }
  return order;
}

/** One node of a graph as a chapter draws it; `id` is its index in `nodes`. */
export interface GraphNode {
  id: number;
  label: string;
  op: string;
  data: number;
  grad: number;
}

/** The graph ending at `root`: its nodes, inputs first, and one edge from each input to each result. */
export function graphOf(root: Value): {
  nodes: GraphNode[];
  edges: Array<{ from: number; to: number }>;
} {
  checkValue("graphOf", "root", root);
  const order = topologicalOrder(root);
  const id = new Map(order.map((node, i) => [node, i]));
  const nodes = order.map(({ label, op, data, grad }, i) => ({ id: i, label, op, data, grad }));
  const edges = order.flatMap((node) =>
    node.inputs.map((input) => ({ from: id.get(input)!, to: id.get(node)! })),
  );
  return { nodes, edges };
}

// ---------------------------------------------------------------- checks

function checkValue(owner: string, name: string, value: unknown): asserts value is Value {
  if (!(value instanceof Value))
    throw new TypeError(`${owner}: ${name} must be a Value, got ${describeValue(value)}`);
}

/** A Value, or a finite number made into a leaf; anything else (a string, NaN) is refused. */
function operand(op: string, other: unknown): Value {
  if (other instanceof Value) return other;
  if (typeof other !== "number")
    throw new TypeError(
      `Value.${op}: other must be a Value or a number, got ${describeValue(other)}`,
    );
  checkFinite(`Value.${op}`, "other", other);
  return new Value(other);
}

function checkDivisor(y: number): void {
  if (y === 0) throw new RangeError("Value.div: other is 0, and division by 0 has no value");
}

function checkPower(x: number, n: unknown): void {
  checkFinite("Value.pow", "n", n);
  if (x < 0 && !Number.isInteger(n))
    throw new RangeError(
      `Value.pow: a negative base (${x}) to the non-integer power ${n} is not a real number`,
    );
  if (x === 0 && n < 1)
    throw new RangeError(`Value.pow: 0 to the power ${n} has no finite derivative`);
}

function checkLogInput(x: number): void {
  if (!(x > 0))
    throw new RangeError(
      `Value.log: the input must be positive, got ${x} (log is undefined there)`,
    );
}

/** A result and local derivatives that are numbers: an overflow (exp(1000)) stops where it happens. */
function checkResult(op: string, data: number, inputs: Value[], local: number[]): void {
  if (Number.isFinite(data) && local.every(Number.isFinite)) return;
  const args = inputs.map((v) => v.data).join(", ");
  const what = Number.isFinite(data) ? `its derivative (${local.join(", ")})` : `${data}`;
  throw new RangeError(`Value.${op}: (${args}) gives ${what}, not a finite number`);
}
