// Chapter 9 runs headless; the bit-for-bit comparisons its prose states (the scalar engine against chapter 4, the
// tape against Network through one batch and one epoch), the memory the tape keeps and the exercises' figures are
// what it computes. Its timings vary with the machine, so the prose reads them "on this run"; the orderings it states
// are pinned here against the figures printed in the same run, with a margin.
import { beforeAll, describe, expect, it } from "vitest";
import {
  FOUR_PEOPLE,
  Random,
  TINY_PARAMETER_NAMES,
  TinyNetwork,
  Value,
  numericalDerivative,
  sigmoid,
  topologicalOrder,
} from "../../lib/src";
import {
  type ExecutedChapter,
  itRunsEverySolution,
  itShowsAndRendersFigures,
  numberAfter,
  parseHtmlTable,
  runChapter,
} from "./harness";

let chapter: ExecutedChapter;
beforeAll(async () => {
  chapter = await runChapter("09-automatic-differentiation", { timeoutSec: 300 });
});

const start = { ...new TinyNetwork(new Random().fork("chapter-4")).params };
const tiny = new TinyNetwork(start);
const ulp = (x: number) => 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);

/** Chapter 4's loss on one person from Values, as the chapter builds it (x1 and x2 shared by both hidden units). */
function lossOf(person: (typeof FOUR_PEOPLE)[number], params = start) {
  const p = Object.fromEntries(TINY_PARAMETER_NAMES.map((n) => [n, new Value(params[n], n)]));
  const x1 = new Value(person.weight);
  const x2 = new Value(person.height);
  const h1 = p.w1.mul(x1).add(p.w2.mul(x2)).add(p.b1).sigmoid();
  const h2 = p.w3.mul(x1).add(p.w4.mul(x2)).add(p.b2).sigmoid();
  const o = p.w5.mul(h1).add(p.w6.mul(h2)).add(p.b3).sigmoid();
  return { loss: new Value(person.female).sub(o).pow(2), p };
}

describe("chapter 9: automatic differentiation", () => {
  it("builds Alice's loss from Values with chapter 4's bits, a graph of 29 nodes", () => {
    const stdout = chapter.stdout("check-scalar-forward");
    expect(stdout).toContain(`Alice's loss from Values:     ${tiny.loss([FOUR_PEOPLE[0]])}`);
    expect(stdout).toContain("the same bits: true");
    expect(stdout).toContain("the graph: 29 nodes, 17 operations and 12 leaves");
    chapter.expectProseStates(["**the same bits**", "has **29** nodes, **17** of them operations"]);
  });

  it("draws the graph with every node's data and grad, the ones the prose reads off it", () => {
    const [svg] = chapter.html("check-graph");
    expect(svg).toMatch(
      /^<div class="gtd-graph-box" style="overflow-x: auto"><svg class="gtd-graph"/,
    );
    expect(svg.match(/<rect [^>]*rx="6"/g)).toHaveLength(29);
    const alice = tiny.gradients(-2, -1, 1);
    const { o } = tiny.feedforward(-2, -1);
    const shown = [alice.w1, alice.w3, alice.b1, 2 * (1 - o)].map((v) => Number(v.toPrecision(4)));
    expect(shown).toEqual([-0.08796, 0.09449, 0.04398, 1.593]);
    for (const v of shown) expect(svg).toContain(`grad ${v}<`);
    chapter.expectProseStates([
      "here **1.593**",
      "`w1` ends with **-0.08796**, `w3` with **0.09449** and `b1` with **0.04398**",
      "$-0.087962$, $0.094491$ and $0.043981$",
    ]);
  });

  it("prints backward's order: each node after its inputs, the loss last", () => {
    const order = chapter.stdout("check-order").trim().split(", ");
    expect(order).toHaveLength(29);
    expect(order[order.length - 1]).toBe("loss");
    expect(order.slice(0, 4)).toEqual(["y", "w5", "w1", "x1"]);
  });

  it("22 of the 36 gradients equal chapter 4's to the last bit, the rest 1 ulp apart, as the prose says", () => {
    let same = 0;
    let worst = 0;
    for (const person of FOUR_PEOPLE) {
      const { loss, p } = lossOf(person);
      loss.backward();
      const hand = tiny.gradients(person.weight, person.height, person.female);
      for (const n of TINY_PARAMETER_NAMES) {
        const d = Math.abs(p[n].grad - hand[n]) / ulp(hand[n]);
        if (d === 0) same++;
        worst = Math.max(worst, d);
      }
    }
    expect([same, worst]).toEqual([22, 1]);
    expect(chapter.stdout("check-vs-chapter-4")).toContain(
      "22 of 36 gradients identical to the last bit; the largest difference 1 ulp",
    );
    const rows = parseHtmlTable(chapter.html("check-vs-chapter-4")[0]);
    expect(rows.map((r) => r.parameter)).toEqual([...TINY_PARAMETER_NAMES]);
    expect(rows.map((r) => r["Alice, engine"]).slice(0, 3)).toEqual([
      "-0.087962",
      "-0.043981",
      "0.094491",
    ]);
    const ulps = rows.flatMap((r) =>
      FOUR_PEOPLE.map((p) => Number(r[`${p.name}: engine − hand, ulp`])),
    );
    expect(ulps.filter((d) => d === 0)).toHaveLength(22);
    expect(rows.find((r) => r.parameter === "b3")!["Bob: engine − hand, ulp"]).toBe("0");
    chapter.expectProseStates([
      "**22** of the 36 gradients are identical to the last bit, and the other 14 differ by **1** ulp",
      "**22** are identical and the other 14 differ by **1** ulp",
    ]);
  });

  it("reproduces every difference as the grouping of the same factors", () => {
    const stdout = chapter.stdout("check-grouping");
    expect(stdout).toContain(
      "the engine's 36 gradients are reverse mode's grouping, bit for bit: true",
    );
    expect(stdout).toContain("chapter 4's 36 gradients are its own grouping, bit for bit: true");
    expect(stdout).toContain(
      `Alice's ∂ℓ/∂w5: h1·(σ'(zo)·g) = ${lossGradW5().toPrecision(17)}, g·(h1·σ'(zo)) = ${tiny.gradients(-2, -1, 1).w5.toPrecision(17)}`,
    );
  });

  it("adds the two paths of x1, repeats backward exactly, and shows micrograd's trap inflating by depth", () => {
    const stdout = chapter.stdout("check-used-twice");
    expect(stdout).toMatch(/their sum -?[0-9.e-]+ \(same bits: true\)/);
    expect(stdout).toContain("backward() a second time: the same nine gradients: true");
    // Independently: without the reset a node n operations below the loss ends with (n + 1)× its gradient.
    const { loss, p } = lossOf(FOUR_PEOPLE[0]);
    loss.backward();
    const right = { w5: p.w5.grad, w1: p.w1.grad };
    const nodes = topologicalOrder(loss);
    loss.grad = 1;
    for (let i = nodes.length - 1; i >= 0; i--)
      nodes[i].inputs.forEach((input, k) => (input.grad += nodes[i].local[k] * nodes[i].grad));
    expect(Math.round(p.w5.grad / right.w5)).toBe(7);
    expect(Math.round(p.w1.grad / right.w1)).toBe(11);
    expect(stdout).toContain("(7× the right");
    expect(stdout).toContain("(11×)");
    chapter.expectProseStates(["**7**× the right one and $w_1$'s **11**×"]);
  });

  it("records Nielsen's forward pass as seven operations whose gradients are Network's, bit for bit", () => {
    expect(chapter.stdout("check-tape-forward")).toBe(
      [
        "matmulT(X, W1) → 10×30",
        "addRow(10×30, b1) → 10×30",
        "sigmoid(10×30) → 10×30",
        "matmulT(10×30, W2) → 10×10",
        "addRow(10×10, b2) → 10×10",
        "sigmoid(10×10) → 10×10",
        "mse(10×10) → 1×1",
        "",
      ].join("\n"),
    );
    const stdout = chapter.stdout("check-tape-one-batch");
    expect(stdout).toContain("the same bits: true");
    expect(stdout).toContain(
      "gradients: 23860 of 23860 entries identical to Network.computeGradients, bit for bit",
    );
    chapter.expectProseStates(["All **23860** entries are identical"]);
  });

  it("trains one epoch on the tape to chapter 7's weights, bit for bit, and its 91.95%", () => {
    const stdout = chapter.stdout("check-tape-training");
    expect(stdout).toContain(
      "after one epoch (5000 steps): 23860 of 23860 weights and biases identical, bit for bit",
    );
    expect(stdout).toContain("validation accuracy: fit 91.95%, tape 91.95%");
    chapter.expectProseStates([
      "all **23860** weights and biases are still identical, and both networks reach **91.95%**",
      "all 23860 weights and biases identical, and **91.95%** validation accuracy either way",
    ]);
  });

  it("counts what the tape keeps exactly, and its time against Network as the prose orders it", () => {
    const rows = parseHtmlTable(chapter.html("check-cost")[0]);
    const parameters = 784 * 30 + 30 + 30 * 10 + 10;
    expect(rows.map((r) => Number(r["batch n"]))).toEqual([1, 10, 64, 256, 1024]);
    for (const r of rows) {
      const n = Number(r["batch n"]);
      // Per unit (30 + 10) and example: the product, Z and A, and the gradients of Z and A; plus the loss and its gradient.
      expect(Number(r["numbers kept: tape"])).toBe(5 * 40 * n + 2 + parameters);
      expect(Number(r["numbers kept: Network"])).toBe(2 * 40 * n + parameters);
    }
    expect(rows.map((r) => r["intermediate results: tape ÷ Network"])).toEqual([
      "1.51",
      "1.50",
      "1.50",
      "1.50",
      "1.50",
    ]);
    const stdout = chapter.stdout("check-cost");
    expect(stdout).toContain(
      "numbers kept for a batch of 1024: tape 228662, Network 105780, 116% more",
    );
    chapter.expectProseStates([
      "the tape kept **228662** numbers and\nthe network **105780**, **116%** more",
      "**116%** more numbers kept for a batch of\n  1024",
    ]);
    // "slower … for a single image": the median ratio for one image is clearly above 1 …
    const spread = (text: string) => {
      const m = /^([0-9.]+) \(([0-9.]+)–([0-9.]+)\)$/.exec(text)!;
      return { median: Number(m[1]), min: Number(m[2]), max: Number(m[3]) };
    };
    const one = spread(rows[0]["tape ÷ Network"]);
    expect(one.median).toBeGreaterThan(1.15);
    expect(numberAfter(stdout, "the tape took")).toBe(one.median);
    // … and "for the largest batch the ranges of the two times overlapped".
    const tape = spread(rows[4]["tape, µs"]);
    const network = spread(rows[4]["Network, µs"]);
    expect(tape.min).toBeLessThanOrEqual(network.max);
    expect(network.min).toBeLessThanOrEqual(tape.max);
  });

  it("exercises 1 and 2: = keeps one path; tanh from exp is 2 ulp from tanh's rule", () => {
    const a = new Value(3);
    const f = a.mul(a).add(a);
    f.backward();
    expect(a.grad).toBe(7);
    const x = new Value(0.5);
    const e2 = x.mul(2).exp();
    const viaExp = e2.sub(1).div(e2.add(1));
    viaExp.backward();
    const xt = new Value(0.5);
    const direct = xt.tanh();
    direct.backward();
    expect(viaExp.data).toBe(direct.data);
    expect([x.grad, xt.grad].map(String)).toEqual(["0.7864477329659272", "0.7864477329659274"]);
    expect(Math.abs(x.grad - xt.grad) / ulp(xt.grad)).toBe(2);
    chapter.expectProseStates([
      "with `+=` gives **7**; with `=` it gives **3**",
      "**0.46211715726000974**",
      "**0.7864477329659272** and\n**0.7864477329659274**, **2** ulp apart",
    ]);
  });

  it("exercises 3 and 4: the broken sigmoid rule, and softplus's gradient σ(x) until exp overflows", () => {
    const broken = [0.5, -2, 3].map((z) => z * (1 - z));
    expect(broken).toEqual([0.25, -6, -6]);
    expect([0.5, -2, 3].map((z) => numericalDerivative(sigmoid, z).toFixed(6))).toEqual([
      "0.235004",
      "0.104994",
      "0.045177",
    ]);
    const v = new Value(2);
    v.exp().add(1).log().backward();
    expect([String(v.grad), String(sigmoid(2))]).toEqual([
      "0.8807970779778824",
      "0.8807970779778823",
    ]);
    expect(() => new Value(800).exp()).toThrow(
      "Value.exp: (800) gives Infinity, not a finite number",
    );
    chapter.expectProseStates([
      "**0.25**, **-6** and **-6**; the central differences are **0.235004**, **0.104994** and\n**0.045177**",
      "0.8807970779778824 against\n0.8807970779778823",
      "`Value.exp: (800) gives Infinity, not a finite number`",
    ]);
  });

  it("exercise 5: 4000 steps on the engine's gradients stay within a few ulp of chapter 4's training", () => {
    const byHand = new TinyNetwork({ ...start });
    const losses = byHand.train(FOUR_PEOPLE, { learningRate: 0.1, epochs: 1000 });
    const params = { ...start };
    for (let epoch = 0; epoch < 1000; epoch++)
      for (const person of FOUR_PEOPLE) {
        const { loss, p } = lossOf(person, params);
        loss.backward();
        for (const n of TINY_PARAMETER_NAMES) params[n] -= 0.1 * p[n].grad;
      }
    const same = TINY_PARAMETER_NAMES.filter((n) => params[n] === byHand.params[n]).length;
    const worst = Math.max(
      ...TINY_PARAMETER_NAMES.map(
        (n) => Math.abs(params[n] - byHand.params[n]) / Math.abs(byHand.params[n]),
      ),
    );
    expect([String(losses[999]), String(new TinyNetwork(params).loss(FOUR_PEOPLE))]).toEqual([
      "0.001479994385711413",
      "0.0014799943857114136",
    ]);
    expect([same, worst.toExponential(1)]).toEqual([5, "1.9e-15"]);
    chapter.expectProseStates([
      "**0.001479994385711413** and **0.0014799943857114136**, **5** of\nthe nine parameters are identical, and the largest relative difference is **1.9e-15**",
    ]);
  });

  it("runs headless in well under two minutes", () => {
    expect(numberAfter(chapter.stdout("check-runtime"), "this chapter ran for")).toBeLessThan(2);
  });

  itShowsAndRendersFigures(() => chapter, 1);

  itRunsEverySolution(() => chapter, { minimum: 5 });
});

/** Alice's ∂ℓ/∂w5 as reverse mode groups it: h1·(σ'(zo)·g). */
function lossGradW5(): number {
  const { sumO, h1, o } = tiny.feedforward(-2, -1);
  const sO = sigmoid(sumO) * (1 - sigmoid(sumO));
  return h1 * (sO * (-2 * (1 - o)));
}
