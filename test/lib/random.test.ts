import { describe, it, expect } from "vitest";
import seedrandom from "seedrandom";
import { withBackend } from "../../lib/src/backends/select";
import { DEFAULT_SEED, Random, randomSource } from "../../lib/src/core/random";
import { Matrix } from "../../lib/src/core/matrix";

/** The first `n` uniform draws of a generator. */
const draws = (r: Random, n = 20) => Array.from({ length: n }, () => r.uniform());

describe("seeding", () => {
  it("DEFAULT_SEED is the book's seed and is the default", () => {
    expect(DEFAULT_SEED).toBe("from-gates-to-digits");
    const r = new Random();
    expect(r.seed).toBe(DEFAULT_SEED);
    expect(draws(r)).toEqual(draws(new Random(DEFAULT_SEED)));
  });

  it("the same seed gives the same sequence", () => {
    expect(draws(new Random("abc"))).toEqual(draws(new Random("abc")));
    expect(draws(new Random(42))).toEqual(draws(new Random(42)));
  });

  it("different seeds give different sequences", () => {
    const a = draws(new Random("abc"));
    const b = draws(new Random("abd"));
    expect(a).not.toEqual(b);
    expect(a.filter((v, i) => v === b[i]).length).toBe(0);
    expect(draws(new Random(1))).not.toEqual(draws(new Random(2)));
  });

  it("a number seed is used as its decimal string", () => {
    expect(new Random(7).seed).toBe("7");
    expect(draws(new Random(7))).toEqual(draws(new Random("7")));
  });

  it("rejects non-finite number seeds", () => {
    expect(() => new Random(NaN)).toThrow(/seed must be a finite number, got NaN/);
  });

  it("randomSource is new Random(seed)", () => {
    const r = randomSource("xyz");
    expect(r).toBeInstanceOf(Random);
    expect(draws(r)).toEqual(draws(new Random("xyz")));
    expect(draws(randomSource())).toEqual(draws(new Random()));
  });
});

describe("uniform", () => {
  it("stays in [0, 1) by default with mean ≈ 1/2", () => {
    const r = new Random("u");
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const v = r.uniform();
      expect(v >= 0 && v < 1).toBe(true);
      sum += v;
    }
    expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(0.01);
  });

  it("stays in [low, high) and covers it", () => {
    const r = new Random("u2");
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < 10000; i++) {
      const v = r.uniform(-3, 5);
      expect(v >= -3 && v < 5).toBe(true);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeLessThan(-2.99);
    expect(max).toBeGreaterThan(4.99);
    expect(r.uniform(2, 2)).toBe(2);
  });

  it("names bad arguments", () => {
    const r = new Random();
    expect(() => r.uniform(2, 1)).toThrow("uniform: low (2) must not exceed high (1)");
    expect(() => r.uniform(0, Infinity)).toThrow(
      "uniform: high must be a finite number, got Infinity",
    );
    expect(() => r.uniform(NaN, 1)).toThrow("uniform: low must be a finite number, got NaN");
  });
});

describe("normal", () => {
  it("has mean ≈ 0 and std ≈ 1 over 100k draws", () => {
    const r = new Random("normal-test");
    const n = 100000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      sum += v;
      sumSq += v * v;
    }
    const mean = sum / n;
    const std = Math.sqrt(sumSq / n - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(std - 1)).toBeLessThan(0.02);
  });

  it("has the right share within one std (≈ 68.3%)", () => {
    const r = new Random("normal-shape");
    let inside = 0;
    for (let i = 0; i < 50000; i++) if (Math.abs(r.normal()) < 1) inside++;
    expect(Math.abs(inside / 50000 - 0.6827)).toBeLessThan(0.01);
  });

  it("shifts and scales by mean and std", () => {
    const r = new Random("normal-2");
    const n = 50000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const v = r.normal(10, 3);
      sum += v;
      sumSq += v * v;
    }
    const mean = sum / n;
    expect(Math.abs(mean - 10)).toBeLessThan(0.06);
    expect(Math.abs(Math.sqrt(sumSq / n - mean * mean) - 3)).toBeLessThan(0.06);
    expect(r.normal(4, 0)).toBe(4);
  });

  it("is seeded, including the cached second value of each pair", () => {
    const a = new Random("pairs");
    const b = new Random("pairs");
    const seqA = Array.from({ length: 7 }, () => a.normal());
    const seqB = Array.from({ length: 7 }, () => b.normal());
    expect(seqA).toEqual(seqB);
    expect(new Set(seqA).size).toBe(7);
  });

  it("names bad arguments", () => {
    const r = new Random();
    expect(() => r.normal(0, -1)).toThrow("normal: std must be ≥ 0, got -1");
    expect(() => r.normal(NaN)).toThrow("normal: mean must be a finite number, got NaN");
    expect(() => r.normal(0, Infinity)).toThrow(
      "normal: std must be a finite number, got Infinity",
    );
  });
});

describe("int", () => {
  it("draws every integer in [0, n) and nothing else", () => {
    const r = new Random("int");
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 6000; i++) {
      const v = r.int(6);
      expect(Number.isInteger(v) && v >= 0 && v < 6).toBe(true);
      counts[v]++;
    }
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
    expect(r.int(1)).toBe(0);
  });

  it("rejects n that is not a positive integer", () => {
    const r = new Random();
    expect(() => r.int(0)).toThrow("int: n must be a positive integer, got 0");
    expect(() => r.int(-3)).toThrow("int: n must be a positive integer, got -3");
    expect(() => r.int(2.5)).toThrow("int: n must be a positive integer, got 2.5");
    expect(() => r.int(NaN)).toThrow("int: n must be a positive integer, got NaN");
  });
});

describe("shuffle and permutation", () => {
  it("shuffle permutes an array in place and returns it", () => {
    const r = new Random("shuffle");
    const a = Array.from({ length: 50 }, (_, i) => i);
    const result = r.shuffle(a);
    expect(result).toBe(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("shuffle works on typed arrays and on arrays of other things", () => {
    const r = new Random("typed");
    const t = Float64Array.from({ length: 20 }, (_, i) => i);
    expect(r.shuffle(t)).toBe(t);
    expect(Array.from(t).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const words = ["a", "b", "c", "d", "e", "f"];
    r.shuffle(words);
    expect([...words].sort()).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(r.shuffle([])).toEqual([]);
    expect(r.shuffle([1])).toEqual([1]);
  });

  it("shuffle is seeded", () => {
    const base = Array.from({ length: 30 }, (_, i) => i);
    const a = new Random("s").shuffle([...base]);
    const b = new Random("s").shuffle([...base]);
    const c = new Random("t").shuffle([...base]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("shuffle makes every order of 3 items about equally likely", () => {
    const r = new Random("fy");
    const counts = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const key = r.shuffle([0, 1, 2]).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it("permutation(n) holds 0 … n−1 in a seeded random order", () => {
    const p = new Random("perm").permutation(100);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(new Random("perm").permutation(100)).toEqual(p);
    expect(new Random().permutation(0)).toEqual([]);
    expect(() => new Random().permutation(-1)).toThrow(
      "permutation: n must be a non-negative integer, got -1",
    );
  });
});

describe("random matrices", () => {
  it("uniformMatrix has the shape, the range and is seeded", () => {
    const m = new Random("um").uniformMatrix(30, 40, -2, 3);
    expect(m).toBeInstanceOf(Matrix);
    expect(m.shape).toEqual([30, 40]);
    expect(Math.min(...m.data)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...m.data)).toBeLessThan(3);
    expect(Math.abs(m.mean() - 0.5)).toBeLessThan(0.1);
    expect(new Random("um").uniformMatrix(30, 40, -2, 3).toArray()).toEqual(m.toArray());
    const d = new Random("um2").uniformMatrix(100, 100);
    expect(Math.min(...d.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...d.data)).toBeLessThan(1);
    expect(() => new Random().uniformMatrix(2, 2, 1, 0)).toThrow(
      "uniformMatrix: low (1) must not exceed high (0)",
    );
  });

  it("normalMatrix has the shape, mean and std and is seeded", () => {
    const m = new Random("nm").normalMatrix(200, 250, 1, 0.5);
    expect(m.shape).toEqual([200, 250]);
    const mean = m.mean();
    const std = Math.sqrt(m.map((v) => (v - mean) ** 2).mean());
    expect(Math.abs(mean - 1)).toBeLessThan(0.01);
    expect(Math.abs(std - 0.5)).toBeLessThan(0.01);
    expect(new Random("nm").normalMatrix(200, 250, 1, 0.5).toArray()).toEqual(m.toArray());
    const d = new Random("nm2").normalMatrix(300, 300);
    expect(Math.abs(d.mean())).toBeLessThan(0.02);
    expect(() => new Random().normalMatrix(2, 2, 0, -0.1)).toThrow(
      "normalMatrix: std must be ≥ 0, got -0.1",
    );
    expect(() => new Random().normalMatrix(-1, 2)).toThrow(/rows must be a non-negative integer/);
  });
});

describe("fork", () => {
  it("is deterministic: the same seed and label give the same stream", () => {
    expect(draws(new Random("p").fork("weights"))).toEqual(draws(new Random("p").fork("weights")));
  });

  it("does not depend on how much the parent has drawn", () => {
    const a = new Random("p");
    const b = new Random("p");
    draws(b, 1000);
    expect(draws(a.fork("x"))).toEqual(draws(b.fork("x")));
  });

  it("does not advance the parent", () => {
    const a = new Random("p");
    a.fork("x");
    expect(draws(a)).toEqual(draws(new Random("p")));
  });

  it("differs from the parent, between labels and between parent seeds", () => {
    const parent = draws(new Random("p"));
    const child = draws(new Random("p").fork("x"));
    expect(child).not.toEqual(parent);
    expect(draws(new Random("p").fork("y"))).not.toEqual(child);
    expect(draws(new Random("q").fork("x"))).not.toEqual(child);
    expect(draws(new Random("p").fork("x").fork("x"))).not.toEqual(child);
  });

  it("does not collide when seed and label split differently", () => {
    expect(draws(new Random("ab").fork("c"))).not.toEqual(draws(new Random("a").fork("bc")));
    expect(draws(new Random("a/b").fork("c"))).not.toEqual(draws(new Random("a").fork("b/c")));
    expect(draws(new Random("a").fork("b"))).not.toEqual(draws(new Random("ab")));
  });
});

describe("seedrandom's stream, drawn one at a time or in bulk (backends/arc4.ts)", () => {
  const backends = ["js", "wasm"] as const;

  it("gives seedrandom's numbers on 3 million draws per backend, in bulk and one at a time", () => {
    for (const name of backends)
      withBackend(name, () => {
        for (const seed of ["from-gates-to-digits", "7", JSON.stringify(["fork", "a", "b"])]) {
          const reference = seedrandom(seed);
          const ours = new Random(seed);
          const bulk = ours.fillUniform(new Float64Array(1_000_000 - 3));
          let differing = 0;
          for (let q = 0; q < bulk.length; q++) if (!Object.is(bulk[q], reference())) differing++;
          // then single draws from the same state: the stream goes on where the bulk draw left it
          for (let q = 0; q < 3; q++) if (!Object.is(ours.uniform(), reference())) differing++;
          expect(differing, `${name}, seed ${seed}`).toBe(0);
        }
      });
  });

  it("keeps one state whichever way it is drawn: shuffles, normals, masks and bulk interleaved", () => {
    const run = (name: "js" | "wasm", bulk: boolean) =>
      withBackend(name, () => {
        const r = new Random("mixed");
        const seen: number[] = [];
        for (let round = 0; round < 20; round++) {
          seen.push(...r.shuffle([0, 1, 2, 3, 4, 5, 6, 7]));
          seen.push(r.normal(), r.int(1000));
          const size = 1 + ((round * 37) % 300);
          if (bulk) seen.push(...r.fillUniform(new Float64Array(size)));
          else for (let q = 0; q < size; q++) seen.push(r.uniform());
        }
        return seen;
      });
    const reference = run("js", false);
    for (const name of backends) expect(run(name, true)).toEqual(reference);
  });

  it("dropoutMask is 1/keep where the same draws fall below keep, and 0 elsewhere", () => {
    for (const name of backends)
      withBackend(name, () => {
        const draws = new Random("mask").fillUniform(new Float64Array(10_001));
        for (const keep of [0.8, 0.5, 1, 0]) {
          const mask = new Random("mask").dropoutMask(new Float64Array(10_001), keep);
          const expected = Array.from(draws, (u) => (u < keep ? 1 / keep : 0));
          expect(Array.from(mask)).toEqual(expected);
        }
      });
  });

  it("names bad arguments of the bulk draws", () => {
    const r = new Random();
    expect(() => r.fillUniform([1, 2] as unknown as Float64Array)).toThrow(
      "fillUniform: out must be a Float64Array, got",
    );
    expect(() => r.dropoutMask(new Float64Array(2), 1.5)).toThrow(
      "dropoutMask: keep must be in [0, 1], got 1.5",
    );
    expect(() => r.dropoutMask(new Float64Array(2), NaN)).toThrow(
      "dropoutMask: keep must be a finite number, got NaN",
    );
  });
});
