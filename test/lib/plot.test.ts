import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { PlotData } from "plotly.js";
import { setDisplaySink } from "../../lib/src/notebook/display";
import {
  decisionBoundary,
  linePlot,
  lineThroughBox,
  scatterByClass,
} from "../../lib/src/notebook/plot/builders";
import { PALETTE, type Figure } from "../../lib/src/notebook/plot/figure";
import {
  PLACEHOLDER_TEXT,
  figureHtml,
  plotlyScriptTag,
  saveFigureHtml,
  scriptSafeJson,
  setupPlots,
  show,
  standaloneFigureHtml,
} from "../../lib/src/notebook/plot/show";

const trace = (figure: { data: unknown[] }, i: number) => figure.data[i] as Partial<PlotData>;
const axisTitle = (axis: unknown) => (axis as { title: { text: string } }).title.text;

afterEach(() => setDisplaySink(null));

describe("linePlot", () => {
  it("makes one trace per series with plain-array data, axis titles and a legend for several series", () => {
    const fig = linePlot({
      series: [
        { y: new Float64Array([3, 1, 2]), name: "loss" },
        { x: [1, 2, 3], y: [1, 1, 1] },
      ],
      xTitle: "epoch",
      yTitle: "loss",
      title: "T",
    });
    expect(fig.data).toHaveLength(2);
    expect(trace(fig, 0).x).toEqual([0, 1, 2]);
    expect(Array.isArray(trace(fig, 0).y)).toBe(true);
    expect(trace(fig, 0).name).toBe("loss");
    expect(trace(fig, 1).name).toBe("series 2");
    expect(trace(fig, 1).line?.color).toBe(PALETTE[1]);
    expect(axisTitle(fig.layout.xaxis)).toBe("epoch");
    expect(axisTitle(fig.layout.yaxis)).toBe("loss");
    expect(fig.layout.showlegend).toBe(true);
  });

  it("applies ranges and a log axis", () => {
    const fig = linePlot({
      series: [{ y: [1, 10] }],
      xTitle: "a",
      yTitle: "b",
      yRange: [0.5, 20],
      logY: true,
    });
    // plotly reads a log axis's range in powers of ten: the figure gives it log10 of the values.
    expect(fig.layout.yaxis?.range).toEqual([Math.log10(0.5), Math.log10(20)]);
    expect(fig.layout.yaxis?.type).toBe("log");
    expect(fig.layout.yaxis?.exponentformat).toBe("power");
    expect(fig.layout.showlegend).toBe(false);
  });

  it("draws a log x axis for positive x only", () => {
    const fig = linePlot({
      series: [{ x: [32, 64], y: [1, 2] }],
      xTitle: "n",
      yTitle: "r",
      logX: true,
    });
    expect(fig.layout.xaxis?.type).toBe("log");
    expect(fig.layout.xaxis?.dtick).toBeCloseTo(Math.log10(2), 12); // ticks at 32, 64, 128, …
    expect(() =>
      linePlot({
        series: [{ x: [0, 64], y: [1, 2], name: "s" }],
        xTitle: "n",
        yTitle: "r",
        logX: true,
      }),
    ).toThrow(/x of "s" has 0 at index 0; a log axis \(logX\) shows only positive values/);
    expect(() =>
      linePlot({ series: [{ y: [1, 2] }], xTitle: "n", yTitle: "r", logX: true }),
    ).toThrow(/give x: the default starts at 0/);
    expect(() =>
      linePlot({ series: [{ y: [1] }], xTitle: "n", yTitle: "r", logX: "yes" as never }),
    ).toThrow(/linePlot: logX must be true or false/);
  });

  it("draws a series' range of repeated measurements as error bars, and checks it", () => {
    const fig = linePlot({
      series: [{ x: [1, 2], y: [2, 5], low: [1, 5], high: [4, 6], name: "timed" }],
      xTitle: "n",
      yTitle: "GFLOP/s",
    });
    expect(trace(fig, 0).error_y).toMatchObject({
      type: "data",
      symmetric: false,
      array: [2, 1],
      arrayminus: [1, 0],
    });
    const series = (extra: object) => ({
      series: [{ y: [2, 5], name: "t", ...extra }],
      xTitle: "n",
      yTitle: "r",
    });
    expect(() => linePlot(series({ low: [1, 4] }))).toThrow(/series "t" has low without the other/);
    expect(() => linePlot(series({ low: [1, 6], high: [3, 7] }))).toThrow(
      /series "t" at point 1 has y = 5 outside its range \[6, 7\]/,
    );
    expect(() => linePlot(series({ low: [1], high: [3] }))).toThrow(/low of "t" has 1 value/);
    expect(trace(linePlot(series({})), 0).error_y).toBeUndefined();
    expect(() => linePlot({ ...series({ low: [0, 4], high: [3, 6] }), logY: true })).toThrow(
      /low of "t" has 0 at index 0; a log axis \(logY\) shows only positive values/,
    );
  });

  it("rejects mismatched lengths, NaN, bad ranges and missing axis titles", () => {
    expect(() =>
      linePlot({ series: [{ x: [1, 2], y: [1, 2, 3], name: "s" }], xTitle: "a", yTitle: "b" }),
    ).toThrow(/x of "s" has 2 values but its y has 3/);
    expect(() =>
      linePlot({ series: [{ y: [1, NaN], name: "s" }], xTitle: "a", yTitle: "b" }),
    ).toThrow(/y of "s" contains NaN at index 1/);
    expect(() =>
      linePlot({ series: [{ y: [1] }], xTitle: "a", yTitle: "b", xRange: [2, 1] }),
    ).toThrow(/xRange must be \[low, high\] with low < high/);
    expect(() => linePlot({ series: [], xTitle: "a", yTitle: "b" })).toThrow(/no series/);
    expect(() => linePlot({ series: [{ y: [1] }], xTitle: "a" } as never)).toThrow(
      /xTitle and yTitle are required/,
    );
  });
});

describe("lineThroughBox", () => {
  it("clips a line to the box", () => {
    // x + y − 1 = 0 crosses the unit square from (0, 1) to (1, 0).
    expect(lineThroughBox([1, 1], -1, [0, 1], [0, 1])).toEqual({ x: [0, 1], y: [1, 0] });
    // A vertical line x = 0.5.
    expect(lineThroughBox([2, 0], -1, [0, 1], [0, 1])).toEqual({ x: [0.5, 0.5], y: [0, 1] });
  });
  it("returns null for a line that misses the box, or no line at all", () => {
    expect(lineThroughBox([1, 1], -5, [0, 1], [0, 1])).toBeNull();
    expect(lineThroughBox([0, 0], 1, [0, 1], [0, 1])).toBeNull();
  });
});

describe("scatterByClass", () => {
  const points = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ] as const;

  it("makes one trace per class, each with its own colour and marker, plus the lines", () => {
    const fig = scatterByClass({
      points,
      labels: [0, 1, 1, 0],
      classNames: ["zero", "one"],
      xTitle: "x₁",
      yTitle: "x₂",
      lines: [{ name: "l", weights: [1, 1], bias: -1 }],
    });
    expect(fig.data).toHaveLength(3);
    expect(trace(fig, 0)).toMatchObject({ name: "zero", x: [0, 1], y: [0, 1] });
    expect(trace(fig, 1)).toMatchObject({ name: "one", x: [0, 1], y: [1, 0] });
    expect(trace(fig, 0).marker?.symbol).not.toBe(trace(fig, 1).marker?.symbol);
    expect(trace(fig, 2)).toMatchObject({ name: "l", mode: "lines" });
    expect(fig.layout.xaxis?.range?.[0]).toBeLessThan(0);
  });

  it("rejects labels that do not fit the points", () => {
    expect(() => scatterByClass({ points, labels: [0, 1], xTitle: "a", yTitle: "b" })).toThrow(
      /labels has 2 values but points has 4/,
    );
    expect(() =>
      scatterByClass({ points, labels: [0, 1, 0.5, 0], xTitle: "a", yTitle: "b" }),
    ).toThrow(/label 0.5 at index 2 is not a class index/);
    expect(() =>
      scatterByClass({ points: [[0, NaN]], labels: [0], xTitle: "a", yTitle: "b" }),
    ).toThrow(/y coordinates contains NaN at index 0/);
    expect(() =>
      scatterByClass({ points: [[0, 1, 2]], labels: [0], xTitle: "a", yTitle: "b" }),
    ).toThrow(/point 0 has 3 coordinates, expected 2/);
  });
});

describe("decisionBoundary", () => {
  it("evaluates the model on the grid and draws the regions under the points", () => {
    const fig = decisionBoundary({
      predict: (x) => (x > 0.5 ? 1 : 0),
      xRange: [0, 1],
      yRange: [0, 1],
      resolution: 3,
      points: [[0, 0]],
      labels: [0],
      xTitle: "a",
      yTitle: "b",
    });
    const regions = trace(fig, 0) as { z: number[][]; x: number[]; zmin: number; zmax: number };
    expect(regions.x).toEqual([0, 0.5, 1]);
    expect(regions.z).toEqual([
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
    ]);
    expect([regions.zmin, regions.zmax]).toEqual([-0.5, 1.5]);
    expect(trace(fig, 1)).toMatchObject({ mode: "markers", x: [0], y: [0] });
  });

  it("evaluates a batch model once on the whole grid, giving the same regions", () => {
    let calls = 0;
    const batch = decisionBoundary({
      predictPoints: (P) => (
        calls++,
        Array.from({ length: P.rows }, (_, i) => (P.get(i, 0) > 0.5 ? 1 : 0))
      ),
      xRange: [0, 1],
      yRange: [0, 1],
      resolution: 3,
      xTitle: "a",
      yTitle: "b",
    });
    expect(calls).toBe(1);
    expect((trace(batch, 0) as unknown as { z: number[][] }).z).toEqual([
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
    ]);
    expect(() =>
      decisionBoundary({
        predictPoints: () => [0],
        xRange: [0, 1],
        yRange: [0, 1],
        resolution: 2,
        xTitle: "a",
        yTitle: "b",
      }),
    ).toThrow(/returned 1 values for 4 points/);
    expect(() =>
      decisionBoundary({ xRange: [0, 1], yRange: [0, 1], xTitle: "a", yTitle: "b" }),
    ).toThrow(/exactly one of predict and predictPoints/);
  });

  it("rejects a model that does not return a class index, and points without labels", () => {
    expect(() =>
      decisionBoundary({
        predict: () => 0.3,
        xRange: [0, 1],
        yRange: [0, 1],
        xTitle: "a",
        yTitle: "b",
      }),
    ).toThrow(/returned 0.3 at \(0, 0\), not a class index/);
    expect(() =>
      decisionBoundary({
        predict: () => 0,
        xRange: [0, 1],
        yRange: [0, 1],
        points: [[0, 0]],
        xTitle: "a",
        yTitle: "b",
      }),
    ).toThrow(/points need labels/);
    expect(() =>
      decisionBoundary({
        predict: () => 0,
        xRange: [0, 1],
        yRange: [0, 1],
        resolution: 1,
        xTitle: "a",
        yTitle: "b",
      }),
    ).toThrow(/resolution must be an integer ≥ 2/);
  });
});

describe("showing figures", () => {
  const figure = linePlot({ series: [{ y: [1, 2] }], xTitle: "a", yTitle: "b" });

  it("figureHtml is a div with a placeholder, the figure as JSON data, and a script that waits for it and Plotly, then draws", () => {
    const html = figureHtml(figure, { id: "fig-1" });
    expect(html).toContain('<div id="fig-1" class="gtd-figure"');
    expect(html).toContain(PLACEHOLDER_TEXT);
    expect(html).toContain(
      '<script type="application/json" class="gtd-figure-spec" data-figure="fig-1">',
    );
    expect(html).toMatch(/if \(!el \|\| !data \|\| !window\.Plotly\) \{[^}]*setTimeout\(draw/);
    expect(html).toContain("window.Plotly.react(el, spec.data, spec.layout, spec.config)");
    expect(html).toContain('"responsive":true');
    expect(figureHtml(figure)).not.toBe(figureHtml(figure)); // unique ids
  });

  it("the drawing script draws the figure its JSON holds, shared arrays put back", () => {
    const grid = Array.from({ length: 20 }, (_, i) => i / 3);
    const shared: Figure = {
      data: [
        { type: "heatmap", x: grid, y: grid },
        { type: "contour", x: grid, y: grid },
      ],
      layout: { height: 300 },
    };
    const html = figureHtml(shared, { id: "fig-2" });
    const json = /<script type="application\/json"[^>]*>([^<]*)<\/script>/.exec(html)![1];
    expect(JSON.parse(json).arrays).toHaveLength(1);
    const script = /<script type="text\/javascript"[^>]*>([\s\S]*?)<\/script>/.exec(html)![1];
    const el = { querySelector: () => null };
    const drawn: unknown[][] = [];
    const document = {
      getElementById: (id: string) => (id === "fig-2" ? el : null),
      querySelector: (selector: string) =>
        selector === 'script.gtd-figure-spec[data-figure="fig-2"]' ? { textContent: json } : null,
    };
    const window = { Plotly: { react: (...args: unknown[]) => drawn.push(args) } };
    new Function("window", "document", script)(window, document);
    expect(drawn).toHaveLength(1);
    expect(drawn[0][0]).toBe(el);
    const data = drawn[0][1] as { x: number[] }[];
    expect(data[0].x).toEqual(grid.map((v) => Number(v.toPrecision(6))));
    expect(data[1].x).toEqual(data[0].x);
    expect(drawn[0][2]).toEqual({ height: 300 });
  });

  it("scriptSafeJson cannot close the script element and turns typed arrays into arrays", () => {
    const json = scriptSafeJson({ text: "</script><b>", values: new Float64Array([1, 2]) });
    expect(json).not.toContain("</script");
    expect(JSON.parse(json)).toEqual({ text: "</script><b>", values: [1, 2] });
  });

  it("inlines plotly.js once, wrapped against require.js, with no '</script' inside", () => {
    const tag = plotlyScriptTag();
    expect(
      tag.startsWith('<script type="text/javascript">(function(define, module, exports) {'),
    ).toBe(true);
    expect(tag.endsWith("}).call(window);</script>")).toBe(true);
    expect(tag.slice(8, -9).toLowerCase()).not.toContain("</script");
    expect(tag.length).toBeGreaterThan(4_000_000);
  });

  it("show() inlines plotly before the first figure only", () => {
    const written: string[] = [];
    setDisplaySink({ html: (s) => written.push(s) });
    show(figure);
    show(figure);
    expect(written).toHaveLength(3);
    expect(written[0]).toContain("window.Plotly = Plotly");
    expect(written[1]).toContain("gtd-figure");
    setupPlots();
    expect(written).toHaveLength(4);
  });

  it("saves a standalone HTML page with plotly inlined and no external scripts", () => {
    const file = join(mkdtempSync(join(tmpdir(), "gtd-")), "fig.html");
    saveFigureHtml(figure, file, "A <title>");
    const page = readFileSync(file, "utf8");
    expect(page).toBe(page.replace(/<script[^>]+src=/g, "")); // no <script src=…>
    expect(page).toContain("<title>A &lt;title></title>");
    expect(page).toContain("window.Plotly = Plotly");
    expect(page.length).toBe(standaloneFigureHtml(figure, "A <title>").length);
  });
});
