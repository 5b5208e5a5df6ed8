import { describe, expect, it } from "vitest";
import { Matrix, gemm } from "../../lib/src/matrix";
import { productLoopOrder, productNaive, productTiled } from "../../lib/src/product-steps";
import { Random } from "../../lib/src/random";
import { numpyCeiling, productGflops, secondsPerCall } from "../../lib/src/timing";

describe("chapter 8's steps to a fast product", () => {
  const rng = new Random("product-steps");

  it("give the same bits as each other, and the product gemm computes to rounding", () => {
    for (const [m, k, n] of [
      [1, 1, 1],
      [3, 7, 5],
      [4, 4, 4],
      [9, 13, 2],
      [10, 784, 30],
      [0, 3, 2],
      [2, 0, 3],
    ]) {
      const A = rng.uniformMatrix(m, k, -1, 1);
      const B = rng.uniformMatrix(k, n, -1, 1);
      const results = [productNaive, productLoopOrder, productTiled].map((step) => {
        const C = new Float64Array(m * n).fill(NaN); // every entry must be written
        step(A.data, B.data, C, m, k, n);
        return Array.from(C);
      });
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
      const reference = gemm(A, B).data;
      results[0].forEach((v, q) => expect(Math.abs(v - reference[q])).toBeLessThan(1e-12));
    }
  });
});

describe("timing", () => {
  it("secondsPerCall measures a call and checks its arguments", () => {
    let calls = 0;
    const s = secondsPerCall(() => calls++, 0.01);
    expect(s).toBeGreaterThan(0);
    expect(calls).toBeGreaterThan(3);
    expect(() => secondsPerCall("f" as unknown as () => void)).toThrow(
      /secondsPerCall: fn must be a function/,
    );
    expect(() => secondsPerCall(() => 0, 0)).toThrow(/secondsPerCall: budget/);
  });

  it("productGflops counts 2·m·k·n operations", () => {
    expect(productGflops(10, 784, 30, 1e-4)).toBeCloseTo(4.704, 10);
    expect(() => productGflops(1, 1, 1, 0)).toThrow(/productGflops: seconds/);
  });

  it("numpyCeiling measures numpy's product (installed by .ci/run), far above our kernels", () => {
    const ceiling = numpyCeiling(256);
    expect(ceiling.gflops, ceiling.why).not.toBeNull();
    expect(ceiling.gflops!).toBeGreaterThan(1);
    const A = Matrix.filled(256, 256, 0.5);
    const ours = productGflops(
      256,
      256,
      256,
      secondsPerCall(() => gemm(A, A), 0.05),
    );
    expect(ceiling.gflops!).toBeGreaterThan(ours); // ordering only, with a wide margin on any machine
  }, 30_000);
});
