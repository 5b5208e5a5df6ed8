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

const UNARY: [string, Unary, Unary, (g: ReturnType<typeof generator>) => number][] = [
  [
    "exp",
    exp,
    Math.exp,
    (g) =>
      g.chance(0.5) ? g.uniform(-50, 50) : g.chance(0.5) ? g.uniform(-746, 710) : g.anyDouble(),
  ],
  [
    "expm1",
    expm1,
    Math.expm1,
    (g) =>
      g.chance(0.5) ? g.uniform(-2, 2) : g.chance(0.5) ? g.uniform(-746, 710) : g.anyDouble(),
  ],
  ["log", log, Math.log, (g) => (g.chance(0.5) ? g.uniform(0, 10) : g.anyDouble())],
  ["log1p", log1p, Math.log1p, (g) => (g.chance(0.5) ? g.uniform(-1, 10) : g.anyDouble())],
  [
    "tanh",
    tanh,
    Math.tanh,
    (g) => (g.chance(0.5) ? g.uniform(-5, 5) : g.chance(0.5) ? g.uniform(-30, 30) : g.anyDouble()),
  ],
  [
    "sin",
    sin,
    Math.sin,
    (g) =>
      g.chance(0.5) ? g.uniform(-10, 10) : g.chance(0.5) ? g.uniform(-1e7, 1e7) : g.anyDouble(),
  ],
  [
    "cos",
    cos,
    Math.cos,
    (g) =>
      g.chance(0.5) ? g.uniform(-10, 10) : g.chance(0.5) ? g.uniform(-1e7, 1e7) : g.anyDouble(),
  ],
  [
    "sinh",
    sinh,
    Math.sinh,
    (g) =>
      g.chance(0.5) ? g.uniform(-30, 30) : g.chance(0.5) ? g.uniform(-712, 712) : g.anyDouble(),
  ],
  [
    "cosh",
    cosh,
    Math.cosh,
    (g) =>
      g.chance(0.5) ? g.uniform(-30, 30) : g.chance(0.5) ? g.uniform(-712, 712) : g.anyDouble(),
  ],
  [
    "tan",
    tan,
    Math.tan,
    (g) =>
      g.chance(0.5) ? g.uniform(-10, 10) : g.chance(0.5) ? g.uniform(-1e7, 1e7) : g.anyDouble(),
  ],
  ["atan", atan, Math.atan, (g) => (g.chance(0.5) ? g.uniform(-5, 5) : g.anyDouble())],
  ["asin", asin, Math.asin, (g) => (g.chance(0.8) ? g.uniform(-1, 1) : g.anyDouble())],
  ["acos", acos, Math.acos, (g) => (g.chance(0.8) ? g.uniform(-1, 1) : g.anyDouble())],
  ["asinh", asinh, Math.asinh, (g) => (g.chance(0.5) ? g.uniform(-5, 5) : g.anyDouble())],
  ["acosh", acosh, Math.acosh, (g) => (g.chance(0.5) ? g.uniform(1, 5) : g.anyDouble())],
  ["atanh", atanh, Math.atanh, (g) => (g.chance(0.8) ? g.uniform(-1, 1) : g.anyDouble())],
  ["log2", log2, Math.log2, (g) => (g.chance(0.5) ? g.uniform(0, 100) : g.anyDouble())],
  ["log10", log10, Math.log10, (g) => (g.chance(0.5) ? g.uniform(0, 100) : g.anyDouble())],
  ["cbrt", cbrt, Math.cbrt, (g) => (g.chance(0.5) ? g.uniform(-100, 100) : g.anyDouble())],
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
      const x = g.chance(0.5)
        ? g.uniform(0, 10)
        : g.chance(0.5)
          ? g.uniform(-10, 10)
          : g.anyDouble();
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
    for (let i = 0; i < COUNT; i++)
      check(
        g.chance(0.5) ? g.uniform(-5, 5) : g.anyDouble(),
        g.chance(0.5) ? g.uniform(-5, 5) : g.anyDouble(),
      );
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
