// lib/src/platform/v8-math.ts against the Math of the Node running the tests (Node 20, V8 11.3, the
// Node that executes the chapters for Jupyter): the same bits, Object.is on every result, on random
// doubles over the ranges the chapters use and over every exponent, and on edge cases. The book's
// pages install these functions in their worker, so that Chromium prints the digits Node printed.
import { describe, expect, it } from "vitest";
import {
  acos,
  acosh,
  asin,
  asinh,
  atan,
  atan2,
  atanh,
  cbrt,
  cos,
  cosh,
  exp,
  expm1,
  installNodeMath,
  log,
  log1p,
  log10,
  log2,
  NODE_MATH,
  pow,
  sin,
  sinh,
  tan,
  tanh,
} from "../../lib/src/platform/v8-math";

/** Random inputs per function; a run of all of them takes a few seconds. */
const COUNT = 2_000_000;

/** A seeded xorshift32: the same inputs every run. */
function generator(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  return {
    /** Uniform in [a, b). */
    uniform: (a: number, b: number) => a + (b - a) * next(),
    /** Any double with a random sign, exponent (all of them: subnormals, ±Infinity, NaN) and fraction. */
    anyDouble: () => {
      words[1] =
        ((next() < 0.5 ? 0x80000000 : 0) |
          (Math.floor(next() * 2048) << 20) |
          Math.floor(next() * 2 ** 20)) >>>
        0;
      words[0] = Math.floor(next() * 2 ** 32);
      return bits[0];
    },
    chance: (p: number) => next() < p,
  };
}

const EDGES = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  1,
  -1,
  0.5,
  -0.5,
  2,
  -2,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  2.2250738585072014e-308,
  -2.2250738585072014e-308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.EPSILON,
  1e-300,
  -1e-300,
  2 ** -28,
  2 ** -54,
  709.782712893384,
  709.7827128933841,
  -745.1332191019411,
  -745.1332191019412,
  710.5,
  -750,
  22,
  -22,
  1e22,
  2 ** 19 * Math.PI,
  Math.PI,
  Math.PI / 2,
  Math.PI / 4,
  -Math.PI / 2,
  (3 * Math.PI) / 4,
  1e300,
  2 ** 1023,
  0.34657359027997264,
  1.0397207708399179,
  Math.LN2,
  -Math.LN2,
  56 * Math.LN2,
  1e-20,
  0.9999999999999999,
  1.0000000000000002,
  -0.9999999999999999,
];

type Unary = (x: number) => number;

/** The inputs on which f and Node's Math differ (at most 5 are kept, as [x, ours, Node's]). */
function mismatches(ours: Unary, node: Unary, inputs: Iterable<number>): number[][] {
  const found: number[][] = [];
  for (const x of inputs) {
    const a = ours(x);
    const b = node(x);
    if (!Object.is(a, b) && found.length < 5) found.push([x, a, b]);
  }
  return found;
}

function* randomInputs(seed: number, draw: (g: ReturnType<typeof generator>) => number) {
  const g = generator(seed);
  for (let i = 0; i < COUNT; i++) yield draw(g);
}

type Draw = (g: ReturnType<typeof generator>) => number;

/** Inputs from each range in turn with probability ½ (the first half, a quarter…), the rest any double at all. */
const within =
  (...ranges: [number, number][]): Draw =>
  (g) => {
    for (const [low, high] of ranges) if (g.chance(0.5)) return g.uniform(low, high);
    return g.anyDouble();
  };

const UNARY: [string, Unary, Unary, Draw][] = [
  ["exp", exp, Math.exp, within([-50, 50], [-746, 710])],
  ["expm1", expm1, Math.expm1, within([-2, 2], [-746, 710])],
  ["log", log, Math.log, within([0, 10])],
  ["log1p", log1p, Math.log1p, within([-1, 10])],
  ["tanh", tanh, Math.tanh, within([-5, 5], [-30, 30])],
  ["sin", sin, Math.sin, within([-10, 10], [-1e7, 1e7])],
  ["cos", cos, Math.cos, within([-10, 10], [-1e7, 1e7])],
  ["sinh", sinh, Math.sinh, within([-30, 30], [-712, 712])],
  ["cosh", cosh, Math.cosh, within([-30, 30], [-712, 712])],
  ["tan", tan, Math.tan, within([-10, 10], [-1e7, 1e7])],
  ["atan", atan, Math.atan, within([-5, 5])],
  ["asin", asin, Math.asin, (g) => (g.chance(0.8) ? g.uniform(-1, 1) : g.anyDouble())],
  ["acos", acos, Math.acos, (g) => (g.chance(0.8) ? g.uniform(-1, 1) : g.anyDouble())],
  ["asinh", asinh, Math.asinh, within([-5, 5])],
  ["acosh", acosh, Math.acosh, within([1, 5])],
  ["atanh", atanh, Math.atanh, (g) => (g.chance(0.8) ? g.uniform(-1, 1) : g.anyDouble())],
  ["log2", log2, Math.log2, within([0, 100])],
  ["log10", log10, Math.log10, within([0, 100])],
  ["cbrt", cbrt, Math.cbrt, within([-100, 100])],
];

describe("v8-math: Node 20's Math, bit for bit", () => {
  for (const [name, ours, node, draw] of UNARY) {
    it(`${name} on ${COUNT.toLocaleString("en")} random doubles and the edge cases`, () => {
      expect(mismatches(ours, node, EDGES)).toEqual([]);
      expect(mismatches(ours, node, randomInputs(name.length * 7919, draw))).toEqual([]);
    });
  }

  it(`pow on ${COUNT.toLocaleString("en")} random pairs and every pair of edge cases`, () => {
    const found: number[][] = [];
    const check = (x: number, y: number) => {
      if (!Object.is(pow(x, y), Math.pow(x, y)) && found.length < 5)
        found.push([x, y, pow(x, y), Math.pow(x, y)]);
    };
    for (const x of EDGES)
      for (const y of [...EDGES, 3, -3, 0.25, 1e10, -1e10, 2 ** 31 + 1, 2 ** 64]) check(x, y);
    const g = generator(4242);
    for (let i = 0; i < COUNT; i++) {
      const x = within([0, 10], [-10, 10])(g);
      const y = g.chance(0.3)
        ? Math.floor(g.uniform(-30, 30))
        : g.chance(0.5)
          ? g.uniform(-10, 10)
          : g.anyDouble();
      check(x, y);
    }
    expect(found).toEqual([]);
  });

  it(`atan2 on ${COUNT.toLocaleString("en")} random pairs and every pair of edge cases`, () => {
    const found: number[][] = [];
    const check = (y: number, x: number) => {
      if (!Object.is(atan2(y, x), Math.atan2(y, x)) && found.length < 5) found.push([y, x]);
    };
    for (const y of EDGES) for (const x of EDGES) check(y, x);
    const g = generator(2468);
    for (let i = 0; i < COUNT; i++) check(within([-5, 5])(g), within([-5, 5])(g));
    expect(found).toEqual([]);
  });

  it("installNodeMath puts them on a Math object, where ** compiled to Math.pow finds them", () => {
    const math = Object.create(Math) as Math;
    installNodeMath(math);
    for (const [name, f] of Object.entries(NODE_MATH)) expect(math[name as keyof Math]).toBe(f);
    expect(Object.keys(NODE_MATH)).toHaveLength(21);
    expect(math.sqrt).toBe(Math.sqrt);
  });
});
