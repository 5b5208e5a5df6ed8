// The worker pool (backends/pool.ts): a product split between threads by rows of its output gives the same
// bits as on one thread, for every form, shape and thread count; a training run too.
import { afterEach, describe, expect, it } from "vitest";
import { Matrix, gemm, type GemmOptions } from "../../lib/src/core/matrix";
import { Random } from "../../lib/src/core/random";
import { getBackend } from "../../lib/src/backends/select";
import {
  getThreads,
  setPoolMinimumWork,
  setThreads,
  threadsUnavailable,
  withThreads,
  POOL_MIN_WORK,
  sharesOnHelpers,
} from "../../lib/src/backends/pool";
import { Network } from "../../lib/src/networks/network";
import { Adam } from "../../lib/src/networks/optimizers";
import { fit } from "../../lib/src/networks/fit";
import { oneHot } from "../../lib/src/networks/metrics";

const rng = new Random("pool-test");

/** An r×c matrix with about `zeros` of its entries 0 (like an image's blank pixels), the rest in (−1, 1). */
const withZeros = (rows: number, cols: number, zeros: number) =>
  Matrix.fromFunction(rows, cols, () => (rng.uniform() < zeros ? 0 : rng.uniform(-1, 1)));

/** Every entry the same double, by Object.is (so +0 and −0 differ). */
const sameBits = (x: Matrix, y: Matrix) => x.data.every((v, i) => Object.is(v, y.data[i]));

afterEach(() => setPoolMinimumWork(POOL_MIN_WORK));

describe("the worker pool", () => {
  it("runs here, with helper threads, only on the WebAssembly backend", () => {
    expect(threadsUnavailable()).toBeNull();
    expect(getThreads()).toBeGreaterThanOrEqual(1);
  });

  it("setThreads returns the previous count and names a bad one", () => {
    const before = getThreads();
    expect(setThreads(3)).toBe(before);
    expect(setThreads(before)).toBe(3);
    expect(() => setThreads(0)).toThrow("setThreads: n must be an integer from 1 to 64, got 0");
    expect(() => setThreads(1.5)).toThrow("setThreads: n must be an integer from 1 to 64, got 1.5");
    expect(() => setThreads("2" as unknown as number)).toThrow('got "2"');
    expect(getThreads()).toBe(before);
  });

  it("gives one thread's bits on 2 and 3 threads: every form, training shapes and odd sizes", () => {
    setPoolMinimumWork(0); // split even the smallest products
    const shapes: [number, number, number][] = [
      [64, 784, 256], // chapter 7's best: X·W1ᵀ, and dZᵀ·X as k×m, k×n below
      [64, 256, 10],
      [10, 784, 30], // Nielsen's
      [10, 30, 10],
      [1, 7, 3],
      [5, 13, 9],
      [7, 33, 17],
      [13, 41, 21],
    ];
    let checked = 0;
    const sharesBefore = sharesOnHelpers();
    for (const [m, k, n] of shapes)
      for (const zeros of [0, 0.8])
        for (const form of ["AB", "ABt", "AtB"] as const) {
          const transA = form === "AtB";
          const transB = form === "ABt";
          const a = transA ? withZeros(k, m, 0.3) : withZeros(m, k, zeros);
          const b = transB ? withZeros(n, k, 0.3) : withZeros(k, n, zeros);
          const c0 = withZeros(m, n, 0);
          for (const beta of [0, 1, 0.5]) {
            const options: GemmOptions = { transA, transB, alpha: 0.75, beta };
            const one = withThreads(1, () => gemm(a, b, { ...options, out: c0.clone() }));
            for (const threads of [2, 3]) {
              const many = withThreads(threads, () => gemm(a, b, { ...options, out: c0.clone() }));
              expect(sameBits(many, one), `${form} ${m}×${k}×${n} β=${beta} on ${threads}`).toBe(
                true,
              );
              checked++;
            }
          }
        }
    expect(checked).toBe(shapes.length * 2 * 3 * 3 * 2);
    // on the WebAssembly backend the helpers did run shares (the TypeScript backend has no pool)
    if (getBackend() === "wasm") expect(sharesOnHelpers() - sharesBefore).toBeGreaterThan(checked);
  });

  it("gives one thread's Adam steps on 2 and 3 threads, odd lengths too", () => {
    setPoolMinimumWork(0);
    for (const length of [1, 2, 7, 1001, 200_960]) {
      const run = (threads: number) =>
        withThreads(threads, () => {
          const values = new Random(`adam-${length}`);
          const w = Matrix.resident(1, length);
          const g = Matrix.resident(1, length);
          const adam = new Adam({ learningRate: 0.01 });
          for (let step = 0; step < 3; step++) {
            g.data.set(values.uniformMatrix(1, length, -1, 1).data);
            adam.step([{ name: "w", value: w, grad: g }]);
          }
          return w;
        });
      const one = run(1);
      for (const threads of [2, 3])
        expect(sameBits(run(threads), one), `${length} on ${threads}`).toBe(true);
    }
  });

  it("trains chapter 7's best network to the same bits on 1, 2 and 3 threads (dropout, Adam, validation)", () => {
    setPoolMinimumWork(0);
    const data = new Random("pool-data");
    const X = Matrix.fromFunction(300, 784, () => (data.uniform() < 0.8 ? 0 : data.uniform()));
    const labels = Array.from({ length: 300 }, () => data.int(10));
    const Y = oneHot(labels, 10);
    const train = (threads: number) =>
      withThreads(threads, () => {
        const net = new Network({
          sizes: [784, 256, 10],
          hidden: "relu",
          output: "softmax",
          loss: "categoricalCrossEntropy",
          init: "he",
          dropout: 0.2,
          random: new Random("pool-net"),
        });
        fit(net, X, Y, {
          epochs: 2,
          batchSize: 64,
          optimizer: new Adam({ learningRate: 0.001 }),
          random: new Random("pool-shuffle"),
          validation: { X, Y },
        });
        return net;
      });
    const sharesBefore = sharesOnHelpers();
    const one = train(1);
    expect(sharesOnHelpers()).toBe(sharesBefore); // one thread: no helper ran anything
    for (const threads of [2, 3]) {
      const many = train(threads);
      many.layers.forEach((layer, l) => {
        expect(sameBits(layer.weights, one.layers[l].weights), `weights ${l}, ${threads}`).toBe(
          true,
        );
        expect(sameBits(layer.bias, one.layers[l].bias), `bias ${l}, ${threads}`).toBe(true);
      });
      expect(many.history!.validationLoss).toEqual(one.history!.validationLoss);
    }
    expect(getBackend()).toBe(process.env.GATES_BACKEND === "js" ? "js" : "wasm");
  });
});
