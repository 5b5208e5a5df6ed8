/**
 * The two autodiff engines, operation by operation: every operation is listed once in a registry with the
 * points to try it at, its value is checked against the plain computation and its gradient against central
 * differences, and a test fails when an operation is added to an engine but not to its registry. Then the
 * engines against the hand-written derivatives they replace: chapter 4's TinyNetwork.gradients for Value,
 * Network.computeGradients for the tape.
 */
import { describe, expect, it } from "vitest";
import {
  FOUR_PEOPLE,
  Matrix,
  Network,
  type NetworkOptions,
  Random,
  SGD,
  Tape,
  Tensor,
  TINY_PARAMETER_NAMES,
  TinyNetwork,
  Value,
  graphOf,
  graphLayout,
  graphSvg,
  setDisplaySink,
  showGraph,
  networkLoss,
  numericalDerivative,
  numericalGradient,
  oneHot,
  sigmoid,
  softmaxRows,
  tapeCost,
  topologicalOrder,
} from "../../lib/src";

/** The unit roundoff of float64: a correctly rounded operation is within a factor 1 ± u of the exact result. */
const u = 2 ** -53;

/**
 * A central difference is good to about 1e−10 relative for these smooth functions (error of order h²), plus
 * rounding noise of about 1e−16·|f|/h that does not shrink with the derivative: allow 1e−7 of the derivative
 * and 1e−10 of f (ten times that noise at h = 1e−5).
 */
function expectDerivative(analytic: number, numerical: number, f: number): void {
  const allowed = 1e-7 * Math.max(Math.abs(analytic), Math.abs(numerical)) + 1e-10 * Math.abs(f);
  expect(Math.abs(analytic - numerical), `${analytic} vs ${numerical}`).toBeLessThanOrEqual(
    allowed,
  );
}

// ================================================================================= the scalar engine

interface ScalarOp {
  /** The points to try, one array of arguments each. */
  at: number[][];
  /** The operation on Values made from a point. */
  build: (v: Value[], point: number[]) => Value;
  /** The same on plain numbers. */
  plain: (x: number[]) => number;
  /** How many leading arguments are differentiated (pow's exponent is a number, not a Value). */
  differentiable?: number;
}

// Edges: log near 0, negative bases of integer powers, sigmoid and tanh far out, exp of a large number.
const scalarOps: Record<string, ScalarOp> = {
  add: {
    at: [
      [1.5, -2.25],
      [0, 3],
    ],
    build: ([a, b]) => a.add(b),
    plain: ([a, b]) => a + b,
  },
  sub: {
    at: [
      [1.5, -2.25],
      [-4, 0],
    ],
    build: ([a, b]) => a.sub(b),
    plain: ([a, b]) => a - b,
  },
  mul: {
    at: [
      [1.5, -2],
      [-3, 0.5],
      [0, 7],
    ],
    build: ([a, b]) => a.mul(b),
    plain: ([a, b]) => a * b,
  },
  div: {
    at: [
      [1, 3],
      [-2, 0.25],
      [0, -5],
    ],
    build: ([a, b]) => a.div(b),
    plain: ([a, b]) => a / b,
  },
  pow: {
    at: [
      [2, 3],
      [-2, 3],
      [-1.5, 2],
      [-2, -1],
      [4, 0.5],
      [3, -0.5],
      [-0.7, 4],
      [5, 1],
    ],
    build: ([a], [, n]) => a.pow(n),
    plain: ([a, n]) => a ** n,
    differentiable: 1,
  },
  neg: { at: [[2.5], [-1]], build: ([a]) => a.neg(), plain: ([a]) => -a },
  exp: { at: [[0.5], [-3], [20]], build: ([a]) => a.exp(), plain: ([a]) => Math.exp(a) },
  log: { at: [[2], [1e-3], [1e-8], [1e6]], build: ([a]) => a.log(), plain: ([a]) => Math.log(a) },
  tanh: { at: [[0.3], [-2], [8]], build: ([a]) => a.tanh(), plain: ([a]) => Math.tanh(a) },
  sigmoid: {
    at: [[0.3], [-4], [30], [-30]],
    build: ([a]) => a.sigmoid(),
    plain: ([a]) => sigmoid(a),
  },
  relu: { at: [[1.5], [-0.7]], build: ([a]) => a.relu(), plain: ([a]) => Math.max(a, 0) },
};

/** A step small next to x, so that log near 0 is differentiated on its own scale. */
const stepFor = (x: number) => 1e-5 * Math.min(1, Math.abs(x) || 1);

describe("Value: every operation", () => {
  it("the registry lists every operation of Value", () => {
    const methods = Object.getOwnPropertyNames(Value.prototype).filter(
      (name) => !["constructor", "backward", "toString"].includes(name),
    );
    expect(Object.keys(scalarOps).sort()).toEqual(methods.sort());
  });

  const cases = Object.entries(scalarOps).flatMap(([name, op]) =>
    op.at.map((point) => [`${name}(${point.join(", ")})`, op, point] as const),
  );

  it.each(cases)(
    "%s: value as computed plainly, gradient as central differences",
    (_, op, point) => {
      const { build, plain, differentiable = point.length } = op;
      const leaves = point.map((x) => new Value(x));
      const out = build(leaves, point);
      expect(Object.is(out.data, plain(point)), `${out.data} vs ${plain(point)}`).toBe(true);
      out.backward();
      expect(out.grad).toBe(1);
      for (let i = 0; i < differentiable; i++) {
        const along = (t: number) => plain(point.map((x, k) => (k === i ? t : x)));
        const numerical = numericalDerivative(along, point[i], stepFor(point[i]));
        expectDerivative(leaves[i].grad, numerical, out.data);
      }
    },
  );

  it("relu at 0 has slope 1, the right-hand value, as the library's ReLU layers (central differences give ½)", () => {
    const x = new Value(0);
    const y = x.relu();
    y.backward();
    expect(y.data).toBe(0);
    expect(x.grad).toBe(1);
  });

  it("a value used twice gets the sum of both contributions", () => {
    const a = new Value(3);
    a.mul(a).backward();
    expect(a.grad).toBe(6);
    a.add(a).add(a).backward();
    expect(a.grad).toBe(3);
  });

  // micrograd's own check, with central differences where it uses PyTorch.
  it("a longer expression: every leaf's gradient as central differences", () => {
    const f = ([x, y]: number[]) => {
      const [a, b] = [new Value(x), new Value(y)];
      let c = a.add(b);
      let d = a.mul(b).add(b.pow(3));
      c = c.add(c.add(1));
      c = c.add(c.add(1).add(a.neg()));
      d = d.add(d.mul(2).add(b.add(a).relu()));
      d = d.add(d.mul(3).add(b.sub(a).relu()));
      const e = c.sub(d);
      const g = e.pow(2).div(2).add(new Value(10).div(e)).add(a.exp().log().tanh().sigmoid());
      return { a, b, g };
    };
    const point = [-4, 2];
    const { a, b, g } = f(point);
    g.backward();
    const numerical = numericalGradient((p) => f(Array.from(p)).g.data, Float64Array.from(point));
    expectDerivative(a.grad, numerical[0], g.data);
    expectDerivative(b.grad, numerical[1], g.data);
  });

  it("backward() twice gives the same gradients (it clears the graph's grads first) instead of doubling them", () => {
    const w = new Value(0.8);
    const loss = w.mul(3).tanh().mul(w).pow(2);
    loss.backward();
    const once = graphOf(loss).nodes.map((n) => n.grad);
    loss.backward();
    expect(graphOf(loss).nodes.map((n) => n.grad)).toEqual(once);
    expect(w.grad).not.toBe(0);
  });

  it("a leaf shared by two graphs holds the gradient of the last root differentiated", () => {
    const w = new Value(2);
    const first = w.mul(5);
    const second = w.pow(2);
    first.backward();
    expect(w.grad).toBe(5);
    second.backward();
    expect(w.grad).toBe(4);
  });

  it("a chain of 100 000 additions goes back without overflowing the call stack", () => {
    const terms = Array.from({ length: 100_000 }, (_, i) => new Value(i % 7));
    const total = terms.reduce((sum, t) => sum.add(t));
    total.backward();
    expect(terms.every((t) => t.grad === 1)).toBe(true);
    expect(topologicalOrder(total)).toHaveLength(2 * 100_000 - 1);
  });

  it("graphOf gives nodes in an order where each comes after its inputs, and one edge per input", () => {
    const x = new Value(2, "x");
    const w = new Value(-3, "w");
    const y = x.mul(w).add(1).tanh();
    y.label = "y";
    y.backward();
    const { nodes, edges } = graphOf(y);
    expect(nodes.map((n) => n.op)).toEqual(["", "", "mul", "", "add", "tanh"]);
    expect(nodes.map((n) => n.label)).toEqual(["x", "w", "", "", "", "y"]);
    expect(edges).toHaveLength(5);
    for (const { from, to } of edges) expect(from).toBeLessThan(to);
    expect(nodes[5]).toMatchObject({ data: Math.tanh(-5), grad: 1 });
    expect(nodes[0].grad).toBe(-3 * (1 - Math.tanh(-5) ** 2));
  });
});

// ============================================================ the scalar engine against chapter 4

describe("Value against chapter 4's hand-derived gradients (TinyNetwork.gradients)", () => {
  const start = { ...new TinyNetwork(new Random().fork("chapter-4")).params }; // notebook 04's start
  const tiny = new TinyNetwork(start);

  /** Chapter 4's loss on one person, (y − o)², built from Values. */
  function lossOf(x1: number, x2: number, y: number) {
    const p = Object.fromEntries(TINY_PARAMETER_NAMES.map((n) => [n, new Value(start[n], n)]));
    const h1 = p.w1.mul(x1).add(p.w2.mul(x2)).add(p.b1).sigmoid();
    const h2 = p.w3.mul(x1).add(p.w4.mul(x2)).add(p.b2).sigmoid();
    const o = p.w5.mul(h1).add(p.w6.mul(h2)).add(p.b3).sigmoid();
    return { loss: new Value(y).sub(o).pow(2), p };
  }

  // Both multiply the same factors: g = ∂L/∂o = −2(y − o), the sigmoid slopes s' = s(1 − s), w5 or w6, and
  // the input. The hand-written code groups them from the parameter's side, (g·(w5·s'o))·(x1·s'h1); reverse
  // mode cannot: it carries one number back from the loss and multiplies each local derivative into it, so
  // its grouping is x1·(s'h1·(w5·(s'o·g))). Floating-point multiplication commutes but does not associate,
  // so the two may differ in the last bits. A product of k factors rounds k − 1 times, each time by a
  // factor within 1 ± u, so two groupings differ by a factor within (1 ± u)^(2(k−1)): at most 2(k − 1)·u
  // relative, to first order. b3 = g·s'o has two factors, and a·b = b·a exactly: it always agrees.
  it.each(FOUR_PEOPLE.map((person) => [person.name, person] as const))(
    "%s: the nine gradients are reverse mode's grouping of the hand-derived factors, within 2(k − 1)·u of them",
    (_, { weight: x1, height: x2, female: y }) => {
      const { loss, p } = lossOf(x1, x2, y);
      loss.backward();
      expect(
        Object.is(loss.data, tiny.loss([{ name: "", weight: x1, height: x2, female: y }])),
      ).toBe(true);
      const hand = tiny.gradients(x1, x2, y);
      const { sumH1, sumH2, sumO, h1, h2, o } = tiny.feedforward(x1, x2);
      const slope = (z: number) => sigmoid(z) * (1 - sigmoid(z));
      const [g, sO, sH1, sH2] = [-2 * (y - o), slope(sumO), slope(sumH1), slope(sumH2)];
      const { w5, w6 } = start;
      // [reverse mode's product, the hand-written product, the number of factors]
      const grouped: Record<string, [number, number, number]> = {
        w1: [x1 * (sH1 * (w5 * (sO * g))), g * (w5 * sO) * (x1 * sH1), 5],
        w2: [x2 * (sH1 * (w5 * (sO * g))), g * (w5 * sO) * (x2 * sH1), 5],
        b1: [sH1 * (w5 * (sO * g)), g * (w5 * sO) * sH1, 4],
        w3: [x1 * (sH2 * (w6 * (sO * g))), g * (w6 * sO) * (x1 * sH2), 5],
        w4: [x2 * (sH2 * (w6 * (sO * g))), g * (w6 * sO) * (x2 * sH2), 5],
        b2: [sH2 * (w6 * (sO * g)), g * (w6 * sO) * sH2, 4],
        w5: [h1 * (sO * g), g * (h1 * sO), 3],
        w6: [h2 * (sO * g), g * (h2 * sO), 3],
        b3: [sO * g, g * sO, 2],
      };
      for (const name of TINY_PARAMETER_NAMES) {
        const [reverse, handGrouping, k] = grouped[name];
        expect(Object.is(p[name].grad, reverse), `${name}: the engine's grouping`).toBe(true);
        expect(Object.is(hand[name], handGrouping), `${name}: the hand-written grouping`).toBe(
          true,
        );
        const relative = Math.abs(p[name].grad - hand[name]) / Math.abs(hand[name]);
        expect(relative, name).toBeLessThanOrEqual(2 * (k - 1) * u * (1 + 1e-12));
      }
      expect(Object.is(p.b3.grad, hand.b3)).toBe(true);
    },
  );

  it("over the four people, most gradients agree to the last bit and none differs by more than 2 units in the last place", () => {
    let same = 0;
    let worstUlps = 0;
    for (const { weight, height, female } of FOUR_PEOPLE) {
      const { loss, p } = lossOf(weight, height, female);
      loss.backward();
      const hand = tiny.gradients(weight, height, female);
      for (const name of TINY_PARAMETER_NAMES) {
        if (Object.is(p[name].grad, hand[name])) same++;
        const ulp = 2 ** (Math.floor(Math.log2(Math.abs(hand[name]))) - 52);
        worstUlps = Math.max(worstUlps, Math.abs(p[name].grad - hand[name]) / ulp);
      }
    }
    expect(same).toBeGreaterThanOrEqual(18); // of 36; 22 on the chapter's start
    expect(worstUlps).toBeLessThanOrEqual(2);
  });
});

// ================================================================================= the tensor engine

interface TensorOp {
  /** The inputs, as fresh matrices (the gradient check moves their entries in place). */
  inputs: () => Matrix[];
  build: (t: Tensor[]) => Tensor;
  /** The same computed plainly, entry by entry. */
  plain: (m: Matrix[]) => Matrix;
}

const random = new Random("autodiff");
const normal = (rows: number, cols: number) => random.normalMatrix(rows, cols);
const naiveProduct = (A: Matrix, B: Matrix) =>
  Matrix.fromFunction(A.rows, B.cols, (i, j) => {
    let s = 0;
    for (let k = 0; k < A.cols; k++) s += A.get(i, k) * B.get(k, j);
    return s;
  });
const entrywise = (f: (z: number) => number) => (m: Matrix[]) => m[0].map(f);
const targets = oneHot([2, 0, 1, 2], 3);
const softTargets = Matrix.fromArray([
  [0.2, 0.5, 0.3],
  [1, 0, 0],
  [0, 0.5, 0.5],
  [0.1, 0.1, 0.8],
]);
const one = (v: number) => Matrix.filled(1, 1, v);
// Scores kept away from 0 where relu's kink would spoil a central difference.
const awayFromZero = (rows: number, cols: number) =>
  normal(rows, cols).map((z) => (Math.abs(z) < 0.05 ? z + 0.2 * Math.sign(z || 1) : z));

function softmaxCE(Z: Matrix, Y: Matrix): number {
  const P = softmaxRows(Z);
  let sum = 0;
  for (let p = 0; p < P.data.length; p++) if (Y.data[p]) sum -= Y.data[p] * Math.log(P.data[p]);
  return sum / Z.rows;
}

const tensorOps: Record<string, TensorOp> = {
  matmulT: {
    inputs: () => [normal(4, 3), normal(5, 3)],
    build: ([X, W]) => X.matmulT(W),
    plain: ([X, W]) => naiveProduct(X, W.transpose()),
  },
  matmul: {
    inputs: () => [normal(4, 3), normal(3, 2)],
    build: ([A, B]) => A.matmul(B),
    plain: ([A, B]) => naiveProduct(A, B),
  },
  addRow: {
    inputs: () => [normal(5, 3), normal(1, 3)],
    build: ([Z, b]) => Z.addRow(b),
    plain: ([Z, b]) => Z.map((z, _, j) => z + b.get(0, j)),
  },
  add: {
    inputs: () => [normal(3, 2), normal(3, 2)],
    build: ([a, b]) => a.add(b),
    plain: ([a, b]) => a.map((v, i, j) => v + b.get(i, j)),
  },
  scale: {
    inputs: () => [normal(2, 3)],
    build: ([a]) => a.scale(-2.5),
    plain: entrywise((v) => -2.5 * v),
  },
  sigmoid: {
    inputs: () => [normal(3, 4).scale(3)],
    build: ([a]) => a.sigmoid(),
    plain: entrywise(sigmoid),
  },
  relu: {
    inputs: () => [awayFromZero(3, 4)],
    build: ([a]) => a.relu(),
    plain: entrywise((z) => Math.max(z, 0)),
  },
  tanh: { inputs: () => [normal(3, 4)], build: ([a]) => a.tanh(), plain: entrywise(Math.tanh) },
  sum: {
    inputs: () => [normal(3, 4)],
    build: ([a]) => a.sum(),
    plain: ([a]) => one(a.data.reduce((s, v) => s + v, 0)),
  },
  mean: {
    inputs: () => [normal(3, 4)],
    build: ([a]) => a.mean(),
    plain: ([a]) => one(a.data.reduce((s, v) => s + v, 0) / 12),
  },
  mse: {
    inputs: () => [random.uniformMatrix(4, 3)],
    build: ([A]) => A.mse(targets),
    plain: ([A]) => one(A.data.reduce((s, a, p) => s + (a - targets.data[p]) ** 2, 0) / 4),
  },
  softmaxCrossEntropy: {
    inputs: () => [normal(4, 3).scale(2)],
    build: ([Z]) => Z.softmaxCrossEntropy(targets),
    plain: ([Z]) => one(softmaxCE(Z, targets)),
  },
};

/** Entries equal to within a few rounding errors of their size (gemm may add in another order). */
function expectClose(actual: Matrix, expected: Matrix): void {
  expect(actual.shape).toEqual(expected.shape);
  actual.data.forEach((v, p) =>
    expect(Math.abs(v - expected.data[p])).toBeLessThanOrEqual(
      1e-14 * (1 + Math.abs(expected.data[p])),
    ),
  );
}

/**
 * Checks op on `inputs`: its value against `plain`, then the gradient of Σ R⊙output (R random, the seed)
 * with respect to each input against central differences.
 */
function checkTensorOp(op: TensorOp, inputs: Matrix[]): void {
  const tape = new Tape();
  const leaves = inputs.map((m) => tape.variable(m));
  const out = op.build(leaves);
  expectClose(out.value, op.plain(inputs));
  const R = normal(out.rows, out.cols);
  out.backward(R);
  const f = () => op.plain(inputs).data.reduce((s, v, p) => s + R.data[p] * v, 0);
  inputs.forEach((m, i) => {
    const numerical = numericalGradient(f, m.data);
    const grad = leaves[i].grad!;
    expect(grad.shape).toEqual(m.shape);
    numerical.forEach((n, p) => expectDerivative(grad.data[p], n, f()));
  });
}

describe("Tensor: every operation", () => {
  it("the registry lists every operation of Tensor", () => {
    const methods = Object.getOwnPropertyNames(Tensor.prototype).filter(
      (name) => !["constructor", "backward", "rows", "cols", "elementwise"].includes(name),
    );
    expect(Object.keys(tensorOps).sort()).toEqual(methods.sort());
  });

  it.each(Object.entries(tensorOps))(
    "%s: value as computed plainly, gradient as central differences",
    (_, op) => checkTensorOp(op, op.inputs()),
  );

  // Edges.
  it("addRow broadcasts over one row and over many; the bias gradient sums the rows", () => {
    for (const rows of [1, 7]) checkTensorOp(tensorOps.addRow, [normal(rows, 3), normal(1, 3)]);
    const tape = new Tape();
    const b = tape.variable(Matrix.fromRow([1, 2]));
    tape.constant(Matrix.zeros(3, 2)).addRow(b).sum().backward();
    expect(b.grad!.toArray()).toEqual([[3, 3]]);
  });

  it("relu at exactly 0 passes the gradient (slope 1), as a ReLU layer does, and keeps the sign of a zero", () => {
    const tape = new Tape();
    const Z = tape.variable(Matrix.fromRow([0, -1, 2]));
    Z.relu().backward(Matrix.fromRow([-3, -4, 5]));
    expect(Z.grad!.data[0]).toBe(-3);
    expect(Object.is(Z.grad!.data[1], -0)).toBe(true); // −4 · 0, as dA ⊙ g'(Z) gives it
    expect(Z.grad!.data[2]).toBe(5);
  });

  it("the softmax cross-entropy of huge scores neither overflows nor loses its gradient p − y", () => {
    const Z = Matrix.fromArray([[1000, 0, -1000]]);
    const tape = new Tape();
    const z = tape.variable(Z);
    const loss = z.softmaxCrossEntropy(Matrix.fromRow([0, 1, 0]));
    loss.backward();
    expect(loss.value.data[0]).toBe(1000);
    expect(z.grad!.toArray()).toEqual([[1, -1, 0]]);
  });

  it("soft targets: the cross-entropy's gradient is p·Σy − y per row", () =>
    checkTensorOp(
      {
        ...tensorOps.softmaxCrossEntropy,
        build: ([Z]) => Z.softmaxCrossEntropy(softTargets),
        plain: ([Z]) => one(softmaxCE(Z, softTargets)),
      },
      [normal(4, 3)],
    ));

  it("a tensor used twice gets the sum of both gradients; a constant gets none, and its product is skipped", () => {
    const tape = new Tape();
    const W = tape.variable(normal(2, 3));
    const X = tape.constant(normal(4, 3));
    const Z = X.matmulT(W);
    Z.add(Z).sum().backward();
    expect(Z.grad!.data.every((v) => v === 2)).toBe(true);
    expect(X.grad).toBeNull();
    const dW = Matrix.filled(4, 2, 2).transpose().matmul(X.value);
    expectClose(W.grad!, dW);
  });

  it("backward twice gives the same gradients; a later backward from another root replaces them", () => {
    const tape = new Tape();
    const W = tape.variable(normal(3, 2));
    const loss = tape.constant(normal(4, 2)).matmulT(W).sigmoid().mean();
    loss.backward();
    const once = W.grad!.clone();
    loss.backward();
    expect(W.grad!.data).toEqual(once.data);
    W.scale(3).sum().backward();
    expect(W.grad!.data.every((v) => v === 3)).toBe(true);
  });

  it("operations() reads the forward pass back", () => {
    const tape = new Tape();
    const W = tape.variable(normal(2, 3), "W");
    tape.constant(normal(4, 3), "X").matmulT(W).relu().sum();
    expect(tape.operations()).toEqual(["matmulT(X, W) → 4×2", "relu(4×2) → 4×2", "sum(4×2) → 1×1"]);
  });
});

// ======================================================== the tape against Network's backpropagation

/** n examples like MNIST's: 81% of the pixels 0, the rest in (0, 1]; one-hot targets. */
function batch(n: number, seed: string): { X: Matrix; Y: Matrix } {
  const r = new Random(seed);
  const X = Matrix.fromFunction(n, 784, () => (r.uniform() < 0.81 ? 0 : 1 - r.uniform()));
  const Y = oneHot(
    Array.from({ length: n }, () => r.int(10)),
    10,
  );
  return { X, Y };
}

const nielsen: NetworkOptions = { sizes: [784, 30, 10] };
const reluSoftmax: NetworkOptions = {
  sizes: [784, 32, 16, 10],
  hidden: "relu",
  output: "softmax",
  loss: "categoricalCrossEntropy",
  init: "he",
};

describe("the tape against Network.computeGradients: the same bits", () => {
  // The tape's rules do the network's arithmetic in the same order (see tensor.ts), so nothing is left to
  // differ: every entry is compared with Object.is, which tells −0 from +0.
  it.each([
    ["[784, 30, 10] sigmoid + MSE, batch 10", nielsen, 10],
    ["[784, 30, 10] sigmoid + MSE, batch 64", nielsen, 64],
    ["[784, 32, 16, 10] ReLU + softmax cross-entropy, batch 10", reluSoftmax, 10],
    ["[784, 32, 16, 10] ReLU + softmax cross-entropy, batch 64", reluSoftmax, 64],
  ] as const)("%s", (_, options, n) => {
    const network = new Network({ ...options, random: new Random("same-start") });
    const { X, Y } = batch(n, `batch-${n}`);
    const { loss: expectedLoss } = network.computeGradients(X, Y);
    const tape = new Tape();
    const { loss, parameters } = networkLoss(tape, network, X, Y);
    loss.backward();
    expect(Object.is(loss.value.data[0], expectedLoss)).toBe(true);
    const expected = network.parameters();
    expect(parameters.map((t) => t.label)).toEqual(expected.map((p) => p.name));
    let differing = 0;
    expected.forEach(({ grad }, i) =>
      grad.data.forEach((v, p) => {
        if (!Object.is(v, parameters[i].grad!.data[p])) differing++;
      }),
    );
    expect(differing).toBe(0);
    const zeros = expected.reduce((s, { grad }) => s + grad.data.filter((v) => v === 0).length, 0);
    // In a batch of 10, 0.81¹⁰ ≈ 12% of the pixels are 0 in every row: their weights' gradients are zeros,
    // whose signs matched too. (In a batch of 64, 0.81⁶⁴ ≈ 1e−6: none.)
    if (n === 10) expect(zeros).toBeGreaterThan(0);
  });

  it("five SGD steps with the tape's gradients leave the weights of computeGradients + SGD, bit for bit", () => {
    const byNetwork = new Network({ ...nielsen, random: new Random("train") });
    const byTape = new Network({ ...nielsen, random: new Random("train") });
    const sgd = new SGD({ learningRate: 1.5 });
    for (let step = 0; step < 5; step++) {
      const { X, Y } = batch(10, `step-${step}`);
      byNetwork.computeGradients(X, Y);
      sgd.step(byNetwork.parameters());
      const { loss, parameters } = networkLoss(new Tape(), byTape, X, Y);
      loss.backward();
      sgd.step(parameters.map((t) => ({ name: t.label, value: t.value, grad: t.grad! })));
    }
    byNetwork.parameters().forEach(({ value }, i) => {
      const other = byTape.parameters()[i].value;
      expect(value.data.every((v, p) => Object.is(v, other.data[p]))).toBe(true);
    });
  });

  it("tapeCost counts what each keeps: per layer of u units and a batch of n, the tape 3·n·u results, the network 2·n·u", () => {
    const network = new Network({ ...nielsen, random: new Random("cost") });
    const n = 10;
    const { X, Y } = batch(n, "cost");
    const cost = tapeCost(network, X, Y, { rounds: 1, budget: 0.001 });
    const units = 30 + 10;
    const parameters = 784 * 30 + 30 + 30 * 10 + 10;
    // The product X·Wᵀ, Z and A per layer, and the loss; gradients for the loss, A, Z (shared with the product's) and the parameters.
    expect(cost.tapeEntries).toEqual({
      values: 3 * n * units + 1,
      gradients: 1 + 2 * n * units + parameters,
    });
    expect(cost.networkEntries).toEqual({ values: 2 * n * units, gradients: parameters });
    expect(cost.tape.samples).toHaveLength(1);
    expect(cost.ratio.median).toBeGreaterThan(0);
  });
});

// ================================================================================= drawing the graph

describe("graphSvg: the graph a chapter draws", () => {
  function smallGraph() {
    const x = new Value(2, "x");
    const w = new Value(-3, "w");
    const b = new Value(0.5, "b");
    const y = x.mul(w).add(b).tanh().mul(x); // x used twice; b used one row below x·w
    y.label = "y";
    y.backward();
    return { x, w, b, y };
  }

  it("puts every input in a row above its result, and a leaf in the row just above its first use", () => {
    const { y } = smallGraph();
    const { nodes, edges } = graphOf(y);
    const rows = graphLayout(nodes, edges);
    const rowOf = new Map(rows.flatMap((ids, r) => ids.map((id) => [id, r] as const)));
    expect([...rowOf.keys()].sort((a, b) => a - b)).toEqual(nodes.map((n) => n.id));
    for (const { from, to } of edges) expect(rowOf.get(from)!).toBeLessThan(rowOf.get(to)!);
    const b = nodes.find((n) => n.label === "b")!;
    const add = nodes.find((n) => n.op === "add")!;
    expect(rowOf.get(b.id)).toBe(rowOf.get(add.id)! - 1);
    expect(rows[rows.length - 1]).toEqual([nodes.length - 1]); // the root alone at the bottom
  });

  it("draws one box per node with its name, data and grad, and one arrow per edge", () => {
    const { x, y } = smallGraph();
    const svg = graphSvg(y, { title: "a <small> graph", digits: 3 });
    const { nodes, edges } = graphOf(y);
    expect(svg.match(/<rect [^>]*rx="6"/g)).toHaveLength(nodes.length);
    expect(svg.match(/<line /g)).toHaveLength(edges.length);
    expect(svg).toContain(`grad ${Number(x.grad.toPrecision(3))}`);
    expect(svg).toContain(">y = mul<");
    expect(svg).toContain("a &lt;small&gt; graph"); // text is escaped
    expect(svg.startsWith("<svg") && svg.endsWith("</svg>")).toBe(true);
  });

  it("showGraph writes the drawing in a box that scrolls sideways; a small graph is never stretched", () => {
    const { y } = smallGraph();
    const written: string[] = [];
    setDisplaySink({ html: (markup) => written.push(markup) });
    try {
      showGraph(y);
    } finally {
      setDisplaySink(null);
    }
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^<div class="gtd-graph-box" style="overflow-x: auto"><svg /);
    const width = Number(/ width="(\d+(?:\.\d+)?)"/.exec(written[0])![1]);
    expect(written[0]).toContain(`min-width: ${Math.min(width, 600)}px`);
  });

  it("refuses what is not a Value, an unknown option and a digit count that is not a positive integer", () => {
    const { y } = smallGraph();
    expect(() => graphSvg(3 as unknown as Value)).toThrow(/graphOf: root must be a Value, got/);
    expect(() => graphSvg(y, { colour: "red" } as never)).toThrow(/graphSvg.*colour/);
    expect(() => graphSvg(y, { digits: 0 })).toThrow(/graphSvg: digits/);
  });
});
