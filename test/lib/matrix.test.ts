import { describe, it, expect } from "vitest";
import { Matrix, assertFinite, gemm, matmul } from "../../lib/src/core/matrix";
import {
  axpyDense,
  dotDense,
  packSparseDotRows,
  packSparseRows,
  SPARSE_AXPY_LIMIT,
  SPARSE_DOT_LIMIT,
} from "../../lib/src/backends/kernels";
import { Random } from "../../lib/src/core/random";

/** Reference product: alpha·op(A)·op(B) + beta·C0 by the textbook triple loop on get(). */
function naiveGemm(
  a: Matrix,
  b: Matrix,
  transA: boolean,
  transB: boolean,
  alpha: number,
  beta: number,
  c0?: Matrix,
): number[][] {
  const opA = transA ? a.transpose() : a;
  const opB = transB ? b.transpose() : b;
  const out: number[][] = [];
  for (let i = 0; i < opA.rows; i++) {
    const row: number[] = [];
    for (let j = 0; j < opB.cols; j++) {
      let s = 0;
      for (let p = 0; p < opA.cols; p++) s += opA.get(i, p) * opB.get(p, j);
      row.push(alpha * s + (c0 && beta !== 0 ? beta * c0.get(i, j) : 0));
    }
    out.push(row);
  }
  return out;
}

/** Asserts two nested arrays agree entry by entry to a relative/absolute tolerance. */
function expectClose(actual: number[][], expected: number[][], tol = 1e-10): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(actual[i].length).toBe(expected[i].length);
    for (let j = 0; j < expected[i].length; j++) {
      const e = expected[i][j];
      if (Math.abs(actual[i][j] - e) > tol * Math.max(1, Math.abs(e))) {
        throw new Error(`entry (${i}, ${j}): got ${actual[i][j]}, expected ${e}`);
      }
    }
  }
}

const A23 = () =>
  Matrix.fromArray([
    [1, 2, 3],
    [4, 5, 6],
  ]);

describe("Matrix constructor", () => {
  it("allocates zeros of the given shape", () => {
    const m = new Matrix(2, 3);
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(m.data).toBeInstanceOf(Float64Array);
    expect(Array.from(m.data)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("uses the given data without copying", () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    const m = new Matrix(2, 3, data);
    expect(m.data).toBe(data);
    data[4] = 50;
    expect(m.get(1, 1)).toBe(50);
  });

  it("rejects data of the wrong length with a clear message", () => {
    expect(() => new Matrix(2, 3, new Float64Array(5))).toThrow(
      "Matrix: data has 5 values, but a 2×3 matrix needs 6",
    );
  });

  it("rejects negative or fractional dimensions", () => {
    expect(() => new Matrix(-1, 3)).toThrow(/rows must be a non-negative integer, got -1/);
    expect(() => new Matrix(2, 1.5)).toThrow(/cols must be a non-negative integer, got 1.5/);
    expect(() => new Matrix(NaN, 1)).toThrow(/rows must be a non-negative integer/);
  });

  it("allows 0-sized matrices", () => {
    expect(new Matrix(0, 3).shape).toEqual([0, 3]);
    expect(new Matrix(3, 0).data.length).toBe(0);
  });
});

describe("static constructors", () => {
  it("zeros", () => {
    const m = Matrix.zeros(3, 2);
    expect(m.shape).toEqual([3, 2]);
    expect(m.toArray()).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it("filled", () => {
    expect(Matrix.filled(2, 2, 7).toArray()).toEqual([
      [7, 7],
      [7, 7],
    ]);
  });

  it("identity", () => {
    expect(Matrix.identity(3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(Matrix.identity(0).shape).toEqual([0, 0]);
  });

  it("fromArray copies a nested array row by row", () => {
    const nested = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const m = Matrix.fromArray(nested);
    expect(m.shape).toEqual([2, 3]);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    nested[0][0] = 100;
    expect(m.get(0, 0)).toBe(1);
  });

  it("fromArray rejects ragged rows naming the row and the lengths", () => {
    expect(() => Matrix.fromArray([[1, 2], [3, 4], [5]])).toThrow(
      "Matrix.fromArray: row 2 has 1 values, but row 0 has 2",
    );
  });

  it("fromArray of an empty array is 0×0; of [[]] is 1×0", () => {
    expect(Matrix.fromArray([]).shape).toEqual([0, 0]);
    expect(Matrix.fromArray([[]]).shape).toEqual([1, 0]);
  });

  it("fromRow and fromColumn copy their values", () => {
    const values = new Float64Array([1, 2, 3]);
    const r = Matrix.fromRow(values);
    const c = Matrix.fromColumn([1, 2, 3]);
    expect(r.shape).toEqual([1, 3]);
    expect(c.shape).toEqual([3, 1]);
    expect(r.toArray()).toEqual([[1, 2, 3]]);
    expect(c.toArray()).toEqual([[1], [2], [3]]);
    values[0] = 9;
    expect(r.get(0, 0)).toBe(1);
  });

  it("fromFunction fills entry (i, j) with fn(i, j)", () => {
    const m = Matrix.fromFunction(2, 3, (i, j) => 10 * i + j);
    expect(m.toArray()).toEqual([
      [0, 1, 2],
      [10, 11, 12],
    ]);
  });
});

describe("access", () => {
  it("get and set address entry (i, j) in row-major order", () => {
    const m = new Matrix(2, 3);
    expect(m.set(1, 2, 5)).toBe(m);
    expect(m.get(1, 2)).toBe(5);
    expect(m.data[1 * 3 + 2]).toBe(5);
    expect(A23().get(0, 2)).toBe(3);
  });

  it("get and set are bounds-checked with the index and shape in the message", () => {
    const m = A23();
    expect(() => m.get(2, 0)).toThrow("get: index (2, 0) is outside a 2×3 matrix");
    expect(() => m.get(0, 3)).toThrow("get: index (0, 3) is outside a 2×3 matrix");
    expect(() => m.set(-1, 0, 1)).toThrow("set: index (-1, 0) is outside a 2×3 matrix");
    expect(() => m.get(0.5, 0)).toThrow(/outside a 2×3 matrix/);
  });

  it("shape, shapeString and toString", () => {
    const m = Matrix.zeros(4, 2);
    expect(m.shape).toEqual([4, 2]);
    expect(m.shapeString).toBe("4×2");
    expect(A23().toString()).toBe("Matrix 2×3 [[1, 2, 3], [4, 5, 6]]");
    expect(Matrix.fromArray([[1 / 3, -2.5e-7]]).toString()).toBe("Matrix 1×2 [[0.3333, -2.5e-7]]");
    expect(`${Matrix.zeros(0, 2)}`).toBe("Matrix 0×2 []");
  });

  it("toString elides rows and columns of large matrices", () => {
    const s = Matrix.zeros(7, 9).toString();
    expect(s.startsWith("Matrix 7×9 [[0, 0, 0, 0, 0, 0, 0, 0, …], ")).toBe(true);
    expect(s.endsWith(", …]")).toBe(true);
    expect(s.split("[0,").length - 1).toBe(6);
  });

  it("toArray is the inverse of fromArray", () => {
    const nested = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    expect(Matrix.fromArray(nested).toArray()).toEqual(nested);
  });

  it("row and column return copies", () => {
    const m = A23();
    const r = m.row(1);
    const c = m.column(2);
    expect(Array.from(r)).toEqual([4, 5, 6]);
    expect(Array.from(c)).toEqual([3, 6]);
    r[0] = 99;
    c[0] = 99;
    expect(m.get(1, 0)).toBe(4);
    expect(m.get(0, 2)).toBe(3);
    expect(() => m.row(2)).toThrow("row: index 2 is outside a 2×3 matrix");
    expect(() => m.column(3)).toThrow("column: index 3 is outside a 2×3 matrix");
  });

  it("clone has its own storage", () => {
    const m = A23();
    const c = m.clone();
    expect(c.data).not.toBe(m.data);
    expect(c.toArray()).toEqual(m.toArray());
    c.set(0, 0, 42);
    expect(m.get(0, 0)).toBe(1);
  });
});

describe("operations returning new matrices", () => {
  it("transpose", () => {
    const t = A23().transpose();
    expect(t.shape).toEqual([3, 2]);
    expect(t.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(new Matrix(0, 3).transpose().shape).toEqual([3, 0]);
  });

  it("map passes value, row and column and leaves the original alone", () => {
    const m = A23();
    const r = m.map((v, i, j) => v * 100 + i * 10 + j);
    expect(r.toArray()).toEqual([
      [100, 201, 302],
      [410, 511, 612],
    ]);
    expect(m.get(0, 0)).toBe(1);
  });

  it("add, sub and mul are elementwise", () => {
    const a = A23();
    const b = Matrix.fromArray([
      [10, 20, 30],
      [40, 50, 60],
    ]);
    expect(a.add(b).toArray()).toEqual([
      [11, 22, 33],
      [44, 55, 66],
    ]);
    expect(b.sub(a).toArray()).toEqual([
      [9, 18, 27],
      [36, 45, 54],
    ]);
    expect(a.mul(b).toArray()).toEqual([
      [10, 40, 90],
      [160, 250, 360],
    ]);
    expect(a.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it("binary elementwise ops name the operation and both shapes", () => {
    const a = Matrix.zeros(4, 2);
    const b = Matrix.zeros(3, 1);
    expect(() => a.add(b)).toThrow("add: shapes 4×2 and 3×1 differ");
    expect(() => a.sub(b)).toThrow("sub: shapes 4×2 and 3×1 differ");
    expect(() => a.mul(b)).toThrow("mul: shapes 4×2 and 3×1 differ");
    expect(() => a.add(a.transpose())).toThrow("add: shapes 4×2 and 2×4 differ");
  });

  it("scale", () => {
    expect(A23().scale(-2).toArray()).toEqual([
      [-2, -4, -6],
      [-8, -10, -12],
    ]);
  });

  it("addRowVector adds the bias to every row", () => {
    const x = A23();
    const b = Matrix.fromRow([10, 20, 30]);
    expect(x.addRowVector(b).toArray()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect(x.get(0, 0)).toBe(1);
  });

  it("addRowVector checks the bias shape", () => {
    const x = Matrix.zeros(4, 2);
    expect(() => x.addRowVector(Matrix.zeros(1, 3))).toThrow(
      "addRowVector: bias must be 1×2, got 1×3",
    );
    expect(() => x.addRowVector(Matrix.zeros(2, 1))).toThrow(
      "addRowVector: bias must be 1×2, got 2×1",
    );
  });

  it("sum: total, column sums (axis 0), row sums (axis 1)", () => {
    const m = A23();
    expect(m.sum()).toBe(21);
    const s0 = m.sum(0);
    expect(s0.shape).toEqual([1, 3]);
    expect(s0.toArray()).toEqual([[5, 7, 9]]);
    const s1 = m.sum(1);
    expect(s1.shape).toEqual([2, 1]);
    expect(s1.toArray()).toEqual([[6], [15]]);
    expect(Matrix.zeros(0, 3).sum()).toBe(0);
    expect(Matrix.zeros(0, 3).sum(0).toArray()).toEqual([[0, 0, 0]]);
    expect(() => m.sum(2 as 0)).toThrow("sum: axis must be 0, 1 or omitted, got 2");
  });

  it("mean: overall, per column, per row", () => {
    const m = A23();
    expect(m.mean()).toBe(3.5);
    expect(m.mean(0).toArray()).toEqual([[2.5, 3.5, 4.5]]);
    expect(m.mean(1).toArray()).toEqual([[2], [5]]);
  });

  it("mean over nothing is an error", () => {
    expect(() => Matrix.zeros(0, 3).mean()).toThrow("mean: a 0×3 matrix has no entries to average");
    expect(() => Matrix.zeros(0, 3).mean(0)).toThrow(/no entries to average/);
    expect(Matrix.zeros(0, 3).mean(1).shape).toEqual([0, 1]);
    expect(() => A23().mean(3 as 0)).toThrow("mean: axis must be 0, 1 or omitted, got 3");
  });

  it("argmaxRows picks each row's largest entry, the first on ties", () => {
    const m = Matrix.fromArray([
      [0.1, 0.7, 0.2],
      [5, 5, 1],
      [-3, -2, -1],
      [-Infinity, -Infinity, -Infinity],
    ]);
    expect(m.argmaxRows()).toEqual([1, 0, 2, 0]);
    // A row with NaN has no largest entry: refused with where, not answered with 0 or by skipping it.
    expect(() =>
      Matrix.fromArray([
        [0, 1],
        [NaN, 1],
      ]).argmaxRows(),
    ).toThrow("argmaxRows: the matrix contains NaN at (1, 0)");
    expect(Matrix.zeros(0, 0).argmaxRows()).toEqual([]);
    expect(() => Matrix.zeros(2, 0).argmaxRows()).toThrow(
      "argmaxRows: a 2×0 matrix has no columns",
    );
  });

  it("maxAbs", () => {
    expect(
      Matrix.fromArray([
        [1, -7],
        [3, 2],
      ]).maxAbs(),
    ).toBe(7);
    expect(Matrix.zeros(0, 0).maxAbs()).toBe(0);
    expect(Matrix.fromArray([[1, NaN, 5]]).maxAbs()).toBeNaN();
    expect(Matrix.fromArray([[1, -Infinity]]).maxAbs()).toBe(Infinity);
  });

  it("isFinite", () => {
    expect(A23().isFinite()).toBe(true);
    expect(Matrix.fromArray([[1, NaN]]).isFinite()).toBe(false);
    expect(Matrix.fromArray([[Infinity, 1]]).isFinite()).toBe(false);
    expect(Matrix.fromArray([[1], [-Infinity]]).isFinite()).toBe(false);
  });
});

describe("in-place operations", () => {
  it("fill", () => {
    const m = new Matrix(2, 2);
    expect(m.fill(3)).toBe(m);
    expect(m.toArray()).toEqual([
      [3, 3],
      [3, 3],
    ]);
  });

  it("scaleInPlace keeps the same storage", () => {
    const m = A23();
    const data = m.data;
    expect(m.scaleInPlace(2)).toBe(m);
    expect(m.data).toBe(data);
    expect(m.toArray()).toEqual([
      [2, 4, 6],
      [8, 10, 12],
    ]);
  });

  it("addInPlace is this += scale·other", () => {
    const m = A23();
    const o = Matrix.filled(2, 3, 1);
    expect(m.addInPlace(o)).toBe(m);
    expect(m.toArray()).toEqual([
      [2, 3, 4],
      [5, 6, 7],
    ]);
    m.addInPlace(o, -0.5);
    expect(m.toArray()).toEqual([
      [1.5, 2.5, 3.5],
      [4.5, 5.5, 6.5],
    ]);
    expect(o.toArray()).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ]);
    expect(() => m.addInPlace(Matrix.zeros(3, 2))).toThrow("addInPlace: shapes 2×3 and 3×2 differ");
  });

  it("mapInPlace", () => {
    const m = A23();
    expect(m.mapInPlace((v, i, j) => v + i - j)).toBe(m);
    expect(m.toArray()).toEqual([
      [1, 1, 1],
      [5, 5, 5],
    ]);
  });
});

describe("matmul", () => {
  it("multiplies a small example", () => {
    const a = A23();
    const b = Matrix.fromArray([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    expect(matmul(a, b).toArray()).toEqual([
      [4, 5],
      [10, 11],
    ]);
    expect(a.matmul(b).toArray()).toEqual([
      [4, 5],
      [10, 11],
    ]);
    expect(b.matmul(a).toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [5, 7, 9],
    ]);
  });

  it("identity is neutral", () => {
    const a = A23();
    expect(Matrix.identity(2).matmul(a).toArray()).toEqual(a.toArray());
    expect(a.matmul(Matrix.identity(3)).toArray()).toEqual(a.toArray());
  });

  it("names both shapes and the inner dimensions on mismatch", () => {
    const a = Matrix.zeros(4, 2);
    const b = Matrix.zeros(3, 1);
    expect(() => matmul(a, b)).toThrow("matmul: (4×2)·(3×1): inner dimensions 2 and 3 differ");
    expect(() => a.matmul(b)).toThrow(/inner dimensions 2 and 3 differ/);
  });
});

describe("gemm", () => {
  const rng = new Random("gemm-test");
  const combos: Array<[boolean, boolean]> = [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ];

  /** Stores A (m×k) in the layout gemm expects: k×m when transposed. */
  const operand = (rows: number, cols: number, trans: boolean) =>
    trans ? rng.uniformMatrix(cols, rows, -1, 1) : rng.uniformMatrix(rows, cols, -1, 1);

  for (const [transA, transB] of combos) {
    const label = `transA=${transA}, transB=${transB}`;

    it(`matches the triple loop on random shapes (${label})`, () => {
      for (let trial = 0; trial < 40; trial++) {
        const m = 1 + rng.int(9);
        const k = 1 + rng.int(13);
        const n = 1 + rng.int(9);
        const a = operand(m, k, transA);
        const b = operand(k, n, transB);
        const c = gemm(a, b, { transA, transB });
        expect(c.shape).toEqual([m, n]);
        expectClose(c.toArray(), naiveGemm(a, b, transA, transB, 1, 0));
      }
    });

    it(`applies alpha and beta and writes into out (${label})`, () => {
      for (let trial = 0; trial < 40; trial++) {
        const m = 1 + rng.int(8);
        const k = 1 + rng.int(12);
        const n = 1 + rng.int(8);
        const a = operand(m, k, transA);
        const b = operand(k, n, transB);
        const alpha = rng.uniform(-2, 2);
        const beta = [0, 1, rng.uniform(-2, 2)][trial % 3];
        const out = rng.uniformMatrix(m, n, -1, 1);
        const before = out.clone();
        const data = out.data;
        const r = gemm(a, b, { transA, transB, alpha, beta, out });
        expect(r).toBe(out);
        expect(r.data).toBe(data);
        expectClose(r.toArray(), naiveGemm(a, b, transA, transB, alpha, beta, before));
      }
    });

    it(`handles degenerate shapes 1×n, n×1 and 0-sized (${label})`, () => {
      const shapes: Array<[number, number, number]> = [
        [1, 7, 1],
        [1, 1, 9],
        [9, 1, 1],
        [1, 5, 6],
        [6, 5, 1],
        [5, 1, 6],
        [0, 3, 4],
        [3, 0, 4],
        [3, 4, 0],
        [0, 0, 0],
      ];
      for (const [m, k, n] of shapes) {
        const a = operand(m, k, transA);
        const b = operand(k, n, transB);
        const c = gemm(a, b, { transA, transB });
        expect(c.shape).toEqual([m, n]);
        expectClose(c.toArray(), naiveGemm(a, b, transA, transB, 1, 0));
        // With k = 0 the product is zero, so C becomes beta·C.
        const out = Matrix.filled(m, n, 2);
        gemm(a, b, { transA, transB, alpha: 3, beta: 0.5, out });
        expectClose(out.toArray(), naiveGemm(a, b, transA, transB, 3, 0.5, Matrix.filled(m, n, 2)));
      }
    });
  }

  it("computes the layer products Z = X·Wᵀ, dW = dZᵀ·X, dX = dZ·W", () => {
    const X = rng.normalMatrix(10, 784);
    const W = rng.normalMatrix(30, 784);
    const dZ = rng.normalMatrix(10, 30);
    expectClose(gemm(X, W, { transB: true }).toArray(), X.matmul(W.transpose()).toArray(), 1e-12);
    expectClose(gemm(dZ, X, { transA: true }).toArray(), dZ.transpose().matmul(X).toArray(), 1e-12);
    expectClose(gemm(dZ, W).toArray(), naiveGemm(dZ, W, false, false, 1, 0), 1e-12);
  });

  it("ignores the old contents of out when beta is 0, even NaN", () => {
    const out = Matrix.filled(2, 2, NaN);
    gemm(
      Matrix.identity(2),
      Matrix.fromArray([
        [1, 2],
        [3, 4],
      ]),
      { out },
    );
    expect(out.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const outT = Matrix.filled(2, 2, NaN);
    gemm(
      Matrix.identity(2),
      Matrix.fromArray([
        [1, 2],
        [3, 4],
      ]),
      { out: outT, transB: true },
    );
    expect(outT.toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  describe("sparse operands (images are mostly zeros)", () => {
    /** An r×c matrix in which about `density` of the entries are non-zero, some of them −0. */
    const sparse = (rows: number, cols: number, density: number) =>
      Matrix.fromFunction(rows, cols, () =>
        rng.uniform() < density ? rng.uniform(-1, 1) : rng.uniform() < 0.5 ? 0 : -0,
      );
    /** Same bits, except that +0 and −0 count as equal. */
    const sameBits = (actual: Matrix, expected: Float64Array) =>
      expect(Array.from(actual.data, (v) => v + 0)).toEqual(Array.from(expected, (v) => v + 0));
    // Shapes with every kind of edge: k not a multiple of 4, m of 2 or 4, n of 4 or 8.
    const shapes: Array<[number, number, number]> = [
      [10, 784, 30],
      [7, 301, 13],
      [5, 66, 9],
      [1, 300, 1],
      [64, 50, 256],
    ];

    it("skips zeros in the forward product X·Wᵀ and gives the dense kernel's exact bits", () => {
      for (const [m, k, n] of shapes) {
        const X = sparse(m, k, 0.2);
        const W = rng.normalMatrix(n, k);
        expect(packSparseDotRows(X.data, m, k)).toBeLessThan(SPARSE_DOT_LIMIT); // the sparse kernel is used
        const dense = rng.uniformMatrix(m, n, -1, 1);
        const out = dense.clone();
        dotDense(X.data, W.data, dense.data, m, k, n, 0.7, 0.3);
        sameBits(gemm(X, W, { transB: true, alpha: 0.7, beta: 0.3, out }), dense.data);
        expectClose(gemm(X, W, { transB: true }).toArray(), naiveGemm(X, W, false, true, 1, 0));
      }
    });

    it("skips zeros in the weight gradient dZᵀ·X (and in A·X) and gives the dense kernel's exact bits", () => {
      for (const [m, k, n] of shapes) {
        for (const transA of [true, false]) {
          const X = sparse(k, n, 0.2);
          const dZ = transA ? rng.normalMatrix(k, m) : rng.normalMatrix(m, k);
          expect(packSparseRows(X.data, k, n)).toBeLessThan(SPARSE_AXPY_LIMIT);
          const dense = rng.uniformMatrix(m, n, -1, 1);
          const out = dense.clone();
          for (let q = 0; q < dense.data.length; q++) dense.data[q] *= 0.3; // C = beta·C, then the products
          axpyDense(
            { A: dZ.data, rowStep: transA ? 1 : k, colStep: transA ? m : 1 },
            X.data,
            dense.data,
            m,
            k,
            n,
            -1.5,
          );
          sameBits(gemm(dZ, X, { transA, alpha: -1.5, beta: 0.3, out }), dense.data);
          expectClose(gemm(dZ, X, { transA }).toArray(), naiveGemm(dZ, X, transA, false, 1, 0));
        }
      }
    });

    it("still propagates NaN and ∞ from the other operand where it meets a zero", () => {
      const X = sparse(10, 784, 0.2);
      X.set(3, 5, 0);
      const W = rng.normalMatrix(30, 784);
      W.set(7, 5, NaN); // meets only zeros of X's column 5 in row 3
      expect(gemm(X, W, { transB: true }).get(3, 7)).toBeNaN();
      const dZ = rng.normalMatrix(10, 30);
      dZ.set(2, 4, Infinity); // row 4 of dZᵀ·X: ±∞ where X's row 2 is non-zero, ∞·0 = NaN where it is zero
      const grad = gemm(dZ, X, { transA: true });
      for (let q = 0; q < 784; q++) {
        if (X.get(2, q) === 0) expect(grad.get(4, q)).toBeNaN();
        else expect(Math.abs(grad.get(4, q))).toBe(Infinity);
      }
      expect(Number.isFinite(gemm(dZ, X, { transA: true, alpha: Infinity }).get(0, 0))).toBe(false);
    });
  });

  it("propagates NaN from its inputs (no zero-skipping)", () => {
    const a = Matrix.fromArray([[0, 1]]);
    const b = Matrix.fromArray([[NaN], [1]]);
    expect(gemm(a, b).get(0, 0)).toBeNaN();
    expect(gemm(a, b.transpose(), { transB: true }).get(0, 0)).toBeNaN();
  });

  it("names op shapes (with ᵀ) and inner dimensions on mismatch", () => {
    const a = Matrix.zeros(4, 2);
    const b = Matrix.zeros(3, 1);
    expect(() => gemm(a, b)).toThrow("gemm: (4×2)·(3×1): inner dimensions 2 and 3 differ");
    expect(() => gemm(a, b, { transA: true })).toThrow(
      "gemm: (4×2)ᵀ·(3×1): inner dimensions 4 and 3 differ",
    );
    expect(() => gemm(a, b, { transB: true })).toThrow(
      "gemm: (4×2)·(3×1)ᵀ: inner dimensions 2 and 1 differ",
    );
    expect(() => gemm(a, Matrix.zeros(1, 2), { transB: true })).not.toThrow();
  });

  it("checks the shape of out", () => {
    const a = Matrix.zeros(4, 2);
    const b = Matrix.zeros(2, 1);
    expect(() => gemm(a, b, { out: Matrix.zeros(2, 2) })).toThrow("gemm: out must be 4×1, got 2×2");
  });

  it("refuses an out that shares storage with an input", () => {
    const a = Matrix.fromArray([
      [1, 2],
      [3, 4],
    ]);
    expect(() => gemm(a, Matrix.identity(2), { out: a })).toThrow(/out must not share storage/);
    const buffer = new Float64Array(8);
    const x = new Matrix(2, 2, buffer.subarray(0, 4));
    const y = new Matrix(2, 2, buffer.subarray(4, 8));
    const z = new Matrix(2, 2, buffer.subarray(2, 6));
    expect(() => gemm(x, Matrix.identity(2), { out: y })).not.toThrow();
    expect(() => gemm(Matrix.identity(2), x, { out: z })).toThrow(/out must not share storage/);
  });
});

describe("assertFinite", () => {
  it("passes finite matrices and arrays", () => {
    expect(() => assertFinite(A23(), "x")).not.toThrow();
    expect(() => assertFinite([1, 2, 3], "x")).not.toThrow();
    expect(() => assertFinite(new Float64Array(0), "x")).not.toThrow();
  });

  it("names what, the value and the matrix position", () => {
    const m = Matrix.zeros(3, 2);
    m.set(2, 1, NaN);
    expect(() => assertFinite(m, "activations")).toThrow("activations contains NaN at (2, 1)");
    const n = Matrix.zeros(1, 4);
    n.set(0, 3, Infinity);
    expect(() => assertFinite(n, "input")).toThrow("input contains Infinity at (0, 3)");
    n.set(0, 1, -Infinity);
    expect(() => assertFinite(n, "input")).toThrow("input contains -Infinity at (0, 1)");
  });

  it("names the index for a plain array", () => {
    expect(() => assertFinite([0, 1, 2, 3, 4, NaN], "loss")).toThrow(
      "loss contains NaN at index 5",
    );
    expect(() => assertFinite(new Float64Array([Infinity]), "grad")).toThrow(
      "grad contains Infinity at index 0",
    );
  });
});
