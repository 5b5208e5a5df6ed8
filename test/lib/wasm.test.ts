import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Matrix, gemm } from "../../lib/src/core/matrix";
import { Adam } from "../../lib/src/networks/optimizers";
import { Random } from "../../lib/src/core/random";
import { bothResident, WASM_FILE, wasmUnavailable } from "../../lib/src/backends/wasm";
import {
  getBackend,
  setBackend,
  withBackend,
  type BackendName,
} from "../../lib/src/backends/select";

const rng = new Random("wasm-test");

/** An r×c matrix with about `zeros` of its entries 0 (half of them −0), the rest uniform in (−1, 1). */
const withZeros = (rows: number, cols: number, zeros: number) =>
  Matrix.fromFunction(rows, cols, () =>
    rng.uniform() < zeros ? (rng.uniform() < 0.5 ? 0 : -0) : rng.uniform(-1, 1),
  );

type Options = { transA: boolean; transB: boolean; alpha: number; beta: number };

/** gemm on one backend, into a copy of `c0`. */
function product(backend: BackendName, a: Matrix, b: Matrix, c0: Matrix, options: Options): Matrix {
  return withBackend(backend, () => gemm(a, b, { ...options, out: c0.clone() }));
}

/** The entries as numbers, +0 and −0 alike (the zero-skipping kernels may differ in the sign of a zero). */
const bits = (m: Matrix) => Array.from(m.data, (v) => v + 0);

describe("the WebAssembly backend", () => {
  it("is available here and the default", () => {
    expect(wasmUnavailable).toBeNull();
    // The js project of vitest.config.ts runs this file with GATES_BACKEND=js.
    expect(getBackend()).toBe(process.env.GATES_BACKEND === "js" ? "js" : "wasm");
  });

  it("ships exactly kernels.wat, assembled (npm run build is not stale)", async () => {
    const wabt = await (await import("wabt")).default();
    const source = readFileSync(
      new URL("../../lib/src/backends/kernels.wat", import.meta.url),
      "utf8",
    );
    const module = wabt.parseWat("kernels.wat", source, { simd: true, threads: true });
    const { buffer } = module.toBinary({ write_debug_names: true });
    module.destroy();
    expect(Buffer.from(buffer).equals(readFileSync(WASM_FILE))).toBe(true);
  });

  it("setBackend switches, returns the previous backend and rejects unknown names", () => {
    const before = getBackend();
    expect(setBackend("js")).toBe(before);
    expect(getBackend()).toBe("js");
    expect(setBackend("wasm")).toBe("js");
    expect(getBackend()).toBe("wasm");
    setBackend(before);
    expect(() => setBackend("simd" as BackendName)).toThrow(
      'setBackend: name must be "js" or "wasm", got "simd"',
    );
    expect(getBackend()).toBe(before);
    expect(() =>
      withBackend("js", () => {
        throw new Error("inside");
      }),
    ).toThrow("inside");
    expect(getBackend()).toBe(before); // restored after a throw
  });

  it("gives the TypeScript kernels' bits on random shapes, odd sizes and edges, every form", () => {
    let products = 0;
    for (let trial = 0; trial < 600; trial++) {
      const m = 1 + rng.int(13);
      const k = rng.int(41);
      const n = 1 + rng.int(21);
      const transA = trial % 2 === 1;
      const transB = trial % 4 >= 2;
      const zeros = [0, 0.5, 0.9][trial % 3];
      const a = transA ? withZeros(k, m, zeros) : withZeros(m, k, zeros);
      const b = transB ? withZeros(n, k, zeros) : withZeros(k, n, zeros);
      const options = {
        transA,
        transB,
        alpha: [1, -1.5, 0.3][(trial % 5) % 3],
        beta: [0, 1, 0.5, -2][(trial % 7) % 4],
      };
      const c0 = rng.uniformMatrix(m, n, -1, 1);
      const expected = bits(product("js", a, b, c0, options));
      const actual = bits(product("wasm", a, b, c0, options));
      if (actual.join() !== expected.join())
        throw new Error(
          `${m}×${k}×${n} ${JSON.stringify(options)} zeros ${zeros}: backends differ`,
        );
      products++;
    }
    expect(products).toBe(600);
  });

  it("gives the same bits on the training shapes, with images' zeros", () => {
    const shapes: Array<[string, Matrix, Matrix, Partial<Options>]> = [
      ["X·W1ᵀ, batch 10", withZeros(10, 784, 0.81), rng.normalMatrix(30, 784), { transB: true }],
      ["dZ1ᵀ·X, batch 10", rng.normalMatrix(10, 30), withZeros(10, 784, 0.81), { transA: true }],
      ["dZ2·W2, batch 10", rng.normalMatrix(10, 10), rng.normalMatrix(10, 30), {}],
      ["X·W1ᵀ, batch 64", withZeros(64, 784, 0.81), rng.normalMatrix(256, 784), { transB: true }],
      ["dZ1ᵀ·X, batch 64", rng.normalMatrix(64, 256), withZeros(64, 784, 0.81), { transA: true }],
      ["a last batch of 3", withZeros(3, 784, 0.81), rng.normalMatrix(30, 784), { transB: true }],
    ];
    for (const [name, a, b, partial] of shapes) {
      const options = { transA: false, transB: false, alpha: 1, beta: 0, ...partial };
      const m = options.transA ? a.cols : a.rows;
      const n = options.transB ? b.rows : b.cols;
      const c0 = Matrix.zeros(m, n);
      expect(bits(product("wasm", a, b, c0, options)), name).toEqual(
        bits(product("js", a, b, c0, options)),
      );
      // the dense kernels (skipZeros: false) give the same bits as the zero-skipping ones
      for (const backend of ["js", "wasm"] as const)
        expect(
          bits(product(backend, a, b, c0, { ...options, skipZeros: false } as Options)),
          `${name}, ${backend}, dense`,
        ).toEqual(bits(product("js", a, b, c0, options)));
    }
    expect(() => gemm(Matrix.zeros(2, 2), Matrix.zeros(2, 2), { skipZeros: 0 as never })).toThrow(
      /gemm: skipZeros must be true or false, got 0/,
    );
  });

  it("splits a product larger than one block (a validation set) into blocks of rows, and stays right for small ones after", () => {
    const big = withZeros(3000, 784, 0.8); // 18.8 MB: more than the memory held before
    const W = rng.normalMatrix(30, 784);
    const options = { transA: false, transB: true, alpha: 1, beta: 0 };
    const c0 = Matrix.zeros(3000, 30);
    expect(bits(product("wasm", big, W, c0, options))).toEqual(
      bits(product("js", big, W, c0, options)),
    );
    const small = withZeros(4, 784, 0.8);
    const s0 = Matrix.zeros(4, 30);
    expect(bits(product("wasm", small, W, s0, options))).toEqual(
      bits(product("js", small, W, s0, options)),
    );
  });

  it("keeps NaN and ±∞ where zero-skipping meets them, like the TypeScript kernels", () => {
    const X = withZeros(6, 40, 0.9);
    X.set(2, 3, 0);
    const W = rng.normalMatrix(5, 40);
    W.set(4, 3, Infinity);
    const dZ = rng.normalMatrix(6, 5);
    dZ.set(1, 2, NaN);
    for (const [a, b, options] of [
      [X, W, { transA: false, transB: true, alpha: 1, beta: 0 }],
      [dZ, X, { transA: true, transB: false, alpha: 1, beta: 0 }],
      [dZ, X, { transA: true, transB: false, alpha: Infinity, beta: 0 }],
    ] as const) {
      const m = options.transA ? a.cols : a.rows;
      const n = options.transB ? b.rows : b.cols;
      const c0 = Matrix.zeros(m, n);
      const wasm = bits(product("wasm", a, b, c0, options));
      expect(wasm.some(Number.isNaN)).toBe(true);
      expect(wasm.map(String)).toEqual(bits(product("js", a, b, c0, options)).map(String));
    }
  });

  describe("resident matrices (parameters, gradients, optimiser state, batches)", () => {
    /** A resident copy of m. */
    const resident = (m: Matrix) => {
      const r = Matrix.resident(m.rows, m.cols);
      r.data.set(m.data);
      return r;
    };

    it("live in the module's memory, and gemm reads and writes them in place with the same bits", () => {
      for (const [m, k, n] of [
        [10, 784, 30],
        [7, 33, 5],
        [64, 50, 256],
        [3, 8, 1],
      ]) {
        const X = withZeros(m, k, 0.8);
        const W = rng.normalMatrix(n, k);
        const dZ = rng.normalMatrix(m, n);
        expect(bothResident(resident(X).data, resident(W).data)).toBe(true);
        for (const backend of ["js", "wasm"] as const) {
          const out = Matrix.resident(m, n);
          withBackend(backend, () => gemm(resident(X), resident(W), { transB: true, out }));
          expect(bits(out)).toEqual(
            bits(
              product("js", X, W, Matrix.zeros(m, n), {
                transA: false,
                transB: true,
                alpha: 1,
                beta: 0,
              }),
            ),
          );
          const grad = Matrix.resident(n, k);
          withBackend(backend, () => gemm(resident(dZ), resident(X), { transA: true, out: grad }));
          expect(bits(grad)).toEqual(
            bits(
              product("js", dZ, X, Matrix.zeros(n, k), {
                transA: true,
                transB: false,
                alpha: 1,
                beta: 0,
              }),
            ),
          );
        }
      }
    });

    it("keep their contents when the memory grows, and gemm refuses an out overlapping its input", () => {
      const W = resident(rng.normalMatrix(30, 784));
      const before = Array.from(W.data);
      const big = withZeros(4000, 784, 0.5); // 25 MB of scratch: the memory grows
      withBackend("wasm", () => gemm(big, W, { transB: true }));
      expect(Array.from(W.data)).toEqual(before);
      const inside = new Matrix(2, 2, W.data.subarray(0, 4));
      const square = new Matrix(2, 2, W.data.subarray(2, 6));
      expect(() => gemm(square, Matrix.identity(2), { out: inside })).toThrow(
        /out must not share storage/,
      );
    });

    it("leave addInPlace on partly overlapping views to the TypeScript loop, with its result", () => {
      const run = (backend: BackendName) =>
        withBackend(backend, () => {
          const storage = Matrix.resident(1, 9);
          storage.data.set([1, 2, 3, 4, 5, 6, 7, 8, 9]);
          // d[p] += 2·d[p − 1]: one at a time, each step sees the entry just written.
          new Matrix(1, 8, storage.data.subarray(1)).addInPlace(
            new Matrix(1, 8, storage.data.subarray(0, 8)),
            2,
          );
          return Array.from(storage.data);
        });
      expect(run("wasm")).toEqual(run("js"));
      expect(run("js")[2]).toBe(3 + 2 * (2 + 2 * 1));
    });

    it("take SGD's step (addInPlace) and Adam's step in the module with the TypeScript loop's bits", () => {
      for (const length of [1, 2, 7, 784 * 3 + 1]) {
        const w0 = rng.normalMatrix(1, length);
        const grads = [1, 2, 3].map(() => rng.normalMatrix(1, length));
        const run = (backend: BackendName) =>
          withBackend(backend, () => {
            const w = resident(w0);
            const g = Matrix.resident(1, length);
            const sgd = resident(w0);
            const adam = new Adam({ learningRate: 0.01 });
            for (const step of grads) {
              g.data.set(step.data);
              adam.step([{ name: "w", value: w, grad: g }]);
              sgd.addInPlace(g, -0.3);
            }
            return [bits(w), bits(sgd)];
          });
        expect(run("wasm")).toEqual(run("js"));
      }
    });
  });
});
