import { describe, expect, it } from "vitest";
import type { PlotData } from "plotly.js";
import { barChart, decisionBoundary } from "../../lib/src/notebook/plot/builders";
import {
  confusionMatrixFigure,
  heatmap,
  imageGrid,
  lossSurface,
} from "../../lib/src/notebook/plot/grids";

const trace = (figure: { data: unknown[] }, i: number) =>
  figure.data[i] as Partial<PlotData> & Record<string, unknown>;
const axisTitle = (axis: unknown) => (axis as { title: { text: string } }).title.text;

describe("heatmap and confusionMatrixFigure", () => {
  it("labels rows and columns, writes the values in the cells, and puts row 0 at the top", () => {
    const fig = heatmap({
      z: [
        [1, 2],
        [3, 4.5],
      ],
      xLabels: ["a", "b"],
      yLabels: ["r0", "r1"],
      digits: 1,
      xTitle: "x",
      yTitle: "y",
    });
    expect(trace(fig, 0)).toMatchObject({
      type: "heatmap",
      x: ["a", "b"],
      y: ["r0", "r1"],
      z: [
        [1, 2],
        [3, 4.5],
      ],
    });
    expect(trace(fig, 0).text).toEqual([
      ["1.0", "2.0"],
      ["3.0", "4.5"],
    ]);
    expect(fig.layout.yaxis?.autorange).toBe("reversed");
  });

  it("a confusion matrix has true classes as rows and predicted as columns", () => {
    const fig = confusionMatrixFigure(
      [
        [5, 1],
        [0, 7],
      ],
      { classNames: ["cat", "dog"] },
    );
    expect(axisTitle(fig.layout.xaxis)).toBe("predicted class");
    expect(axisTitle(fig.layout.yaxis)).toBe("true class");
    expect(trace(fig, 0).text).toEqual([
      ["5", "1"],
      ["0", "7"],
    ]);
  });

  it("rejects ragged, non-finite or mislabelled input", () => {
    expect(() => heatmap({ z: [[1, 2], [3]], xTitle: "x", yTitle: "y" })).toThrow(
      /row 1 has 1 values, row 0 has 2/,
    );
    expect(() => heatmap({ z: [[1, NaN]], xTitle: "x", yTitle: "y" })).toThrow(
      /row 0 contains NaN at index 1/,
    );
    expect(() => heatmap({ z: [[1, 2]], xLabels: ["a"], xTitle: "x", yTitle: "y" })).toThrow(
      /xLabels has 1 values but each row of z has 2/,
    );
    expect(() =>
      confusionMatrixFigure([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toThrow(/needs a square matrix, row 0 has 3 values for 2 classes/);
  });
});

describe("imageGrid", () => {
  const image = (v: number) => Float64Array.from({ length: 4 }, () => v); // 2×2

  it("tiles the images into one heatmap with blank gaps and captions", () => {
    const fig = imageGrid({
      images: [image(0.1), image(0.5), image(0.9)],
      width: 2,
      height: 2,
      columns: 2,
      labels: ["a", "b", "c"],
    });
    const z = trace(fig, 0).z as Array<Array<number | null>>;
    // 2 columns × (2 px + 1 gap) wide; 2 rows × (2 px + 1 gap + 1 caption row) high.
    expect(z[0].length).toBe(6);
    expect(z.length).toBe(8);
    expect(z[1].slice(0, 2)).toEqual([0.1, 0.1]);
    expect(z[1][2]).toBeNull();
    expect(z[1].slice(3, 5)).toEqual([0.5, 0.5]);
    expect(z[5].slice(0, 2)).toEqual([0.9, 0.9]);
    expect((fig.layout.annotations ?? []).map((a) => a.text)).toEqual(["a", "b", "c"]);
    expect([trace(fig, 0).zmin, trace(fig, 0).zmax]).toEqual([0, 1]);
  });

  it("a diverging grid is symmetric around zero", () => {
    const fig = imageGrid({
      images: [Float64Array.from([-2, 1, 0, 0.5])],
      width: 2,
      height: 2,
      style: "diverging",
    });
    expect([trace(fig, 0).zmin, trace(fig, 0).zmax]).toEqual([-2, 2]);
  });

  it("rejects images of the wrong size, NaN pixels and mismatched captions", () => {
    expect(() => imageGrid({ images: [new Float64Array(5)], width: 2, height: 2 })).toThrow(
      /image 0 has 5 pixels, expected 2×2 = 4/,
    );
    expect(() =>
      imageGrid({ images: [Float64Array.from([0, NaN, 0, 0])], width: 2, height: 2 }),
    ).toThrow(/image 0 contains NaN at index 1/);
    expect(() =>
      imageGrid({ images: [image(0)], width: 2, height: 2, labels: ["a", "b"] }),
    ).toThrow(/labels has 2 values but images has 1/);
    expect(() => imageGrid({ images: [], width: 2, height: 2 })).toThrow(/no images/);
  });
});

describe("lossSurface", () => {
  it("evaluates the loss on the grid and draws each path with a larger start marker", () => {
    const fig = lossSurface({
      loss: (x, y) => x * x + y * y,
      xRange: [-1, 1],
      yRange: [-1, 1],
      resolution: 3,
      paths: [
        {
          name: "gd",
          points: [
            [1, 1],
            [0.5, 0.5],
            [0, 0],
          ],
        },
      ],
      xTitle: "w₁",
      yTitle: "w₂",
    });
    expect(trace(fig, 0).z).toEqual([
      [2, 1, 2],
      [1, 0, 1],
      [2, 1, 2],
    ]);
    expect(trace(fig, 1)).toMatchObject({ name: "gd", x: [1, 0.5, 0], y: [1, 0.5, 0] });
    expect((trace(fig, 1).marker as { size: number[] }).size).toEqual([12, 6, 6]);
  });

  it("contours log10 of the loss on request", () => {
    const fig = lossSurface({
      loss: () => 100,
      xRange: [0, 1],
      yRange: [0, 1],
      resolution: 2,
      logScale: true,
      xTitle: "a",
      yTitle: "b",
    });
    expect(trace(fig, 0).z).toEqual([
      [2, 2],
      [2, 2],
    ]);
  });

  it("rejects a loss that is not finite, a log scale of a non-positive loss, and empty paths", () => {
    expect(() =>
      lossSurface({
        loss: () => Infinity,
        xRange: [0, 1],
        yRange: [0, 1],
        xTitle: "a",
        yTitle: "b",
      }),
    ).toThrow(/loss\(0, 0\) is Infinity/);
    expect(() =>
      lossSurface({
        loss: () => 0,
        xRange: [0, 1],
        yRange: [0, 1],
        logScale: true,
        xTitle: "a",
        yTitle: "b",
      }),
    ).toThrow(/logScale needs a positive loss/);
    expect(() =>
      lossSurface({
        loss: () => 1,
        xRange: [0, 1],
        yRange: [0, 1],
        paths: [{ name: "p", points: [] }],
        xTitle: "a",
        yTitle: "b",
      }),
    ).toThrow(/path "p" has no points/);
  });
});

describe("barChart", () => {
  it("draws one bar per category, the highlighted one in the accent colour, with value labels", () => {
    const fig = barChart({
      categories: ["0", "1", "2"],
      values: [0.2, 0.7, 0.1],
      highlight: 1,
      labelDigits: 2,
      xTitle: "class",
      yTitle: "p",
    });
    expect(trace(fig, 0)).toMatchObject({
      type: "bar",
      x: ["0", "1", "2"],
      y: [0.2, 0.7, 0.1],
      text: ["0.20", "0.70", "0.10"],
    });
    const colours = (trace(fig, 0).marker as { color: string[] }).color;
    expect(colours[1]).not.toBe(colours[0]);
    expect(colours[2]).toBe(colours[0]);
  });

  it("rejects values that do not match the categories", () => {
    expect(() => barChart({ categories: ["a"], values: [1, 2], xTitle: "x", yTitle: "y" })).toThrow(
      /values has 2 values but categories has 1/,
    );
    expect(() => barChart({ categories: ["a"], values: [NaN], xTitle: "x", yTitle: "y" })).toThrow(
      /values contains NaN at index 0/,
    );
  });
});

describe("decisionBoundary with probabilities", () => {
  it("shades P(class 1) from 0 to 1 and adds the 0.5 contour", () => {
    const fig = decisionBoundary({
      output: "probability",
      predict: (x) => x,
      xRange: [0, 1],
      yRange: [0, 1],
      resolution: 2,
      xTitle: "a",
      yTitle: "b",
    });
    expect(trace(fig, 0)).toMatchObject({
      type: "heatmap",
      zmin: 0,
      zmax: 1,
      z: [
        [0, 1],
        [0, 1],
      ],
    });
    expect(trace(fig, 1)).toMatchObject({ type: "contour", contours: { start: 0.5, end: 0.5 } });
  });

  it("rejects values outside [0, 1] and unknown output kinds", () => {
    expect(() =>
      decisionBoundary({
        output: "probability",
        predict: () => 1.5,
        xRange: [0, 1],
        yRange: [0, 1],
        xTitle: "a",
        yTitle: "b",
      }),
    ).toThrow(/returned 1.5 at \(0, 0\), not a probability in \[0, 1\]/);
    expect(() =>
      decisionBoundary({
        output: "odds" as never,
        predict: () => 0,
        xRange: [0, 1],
        yRange: [0, 1],
        xTitle: "a",
        yTitle: "b",
      }),
    ).toThrow(/unknown output "odds"/);
  });
});
