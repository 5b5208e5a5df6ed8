/**
 * Figure builders: each is a function of plain data that returns a `Figure`, checks its input, and
 * leaves showing it to `show()`. Chapters call these instead of writing plotly JSON by hand.
 */
import {
  checkBoolean,
  checkFunction,
  checkNonNegativeInteger,
  checkOneOf,
  checkString,
  describeValue,
  rejectUnknownOptions,
} from "../../core/checks";
import type { Data, ErrorBar } from "plotly.js";
import { Matrix, assertFinite } from "../../core/matrix";
import {
  baseLayout,
  checkFigureOptions,
  checkGridFits,
  checkStrings,
  checkLength,
  checkRange,
  gridAxis,
  MARKERS,
  PALETTE,
  requireAxisTitles,
  toArray,
  type Figure,
  type FigureOptions,
  type Range,
} from "./figure";

// ---------------------------------------------------------------------------------------------- lines

export interface Series {
  /** x values; default 0, 1, 2, … */
  x?: ArrayLike<number>;
  y: ArrayLike<number>;
  name?: string;
  /** "lines" (default), "markers" or "lines+markers". */
  mode?: "lines" | "markers" | "lines+markers";
  dash?: "solid" | "dash" | "dot" | "dashdot";
  /**
   * The range of repeated measurements around each y (y between them), drawn as error bars from
   * `low` to `high`: chapter 8 plots the median of several timings with their fastest and slowest.
   */
  low?: ArrayLike<number>;
  high?: ArrayLike<number>;
}

export interface LinePlotOptions extends FigureOptions {
  series: readonly Series[];
  xRange?: Range;
  yRange?: Range;
  /** Logarithmic y axis, for losses that span orders of magnitude. */
  logY?: boolean;
  /** Logarithmic x axis with ticks at the powers of two, for sizes that double (chapter 8's 32 … 512); every x must be positive. */
  logX?: boolean;
}

/** One or more lines on shared axes: a function and its derivative, errors per epoch, loss curves. */
export function linePlot(options: LinePlotOptions): Figure {
  checkFigureOptions("linePlot", options, ["series", "xRange", "yRange", "logY", "logX"]);
  requireAxisTitles(options, "linePlot");
  if (!Array.isArray(options.series))
    throw new TypeError(
      `linePlot: series must be an array of { y, … }, got ${describeValue(options.series)}`,
    );
  if (options.series.length === 0) throw new Error("linePlot: no series");
  options.series.forEach(checkSeries);
  const data: Data[] = options.series.map((s, k) => {
    const name = s.name ?? `series ${k + 1}`;
    const x = s.x ?? Array.from({ length: s.y.length }, (_, i) => i);
    checkLength(x, s.y.length, `linePlot: x of "${name}"`, "its y");
    assertFinite(x, `linePlot: x of "${name}"`);
    assertFinite(s.y, `linePlot: y of "${name}"`);
    return {
      type: "scatter",
      mode: s.mode ?? "lines",
      name,
      x: toArray(x),
      y: toArray(s.y),
      line: { color: PALETTE[k % PALETTE.length], width: 2.5, dash: s.dash ?? "solid" },
      marker: { color: PALETTE[k % PALETTE.length], size: 7, symbol: MARKERS[k % MARKERS.length] },
      ...errorBars(s, name, PALETTE[k % PALETTE.length]),
    };
  });
  const layout = baseLayout(options);
  if (options.logX !== undefined) checkBoolean("linePlot", "logX", options.logX);
  if (options.logX) {
    if (options.xRange) throw new Error("linePlot: xRange and logX together are not supported");
    options.series.forEach((s, k) => {
      const x = s.x ?? [0];
      for (let i = 0; i < x.length; i++)
        if (!(x[i] > 0))
          throw new RangeError(
            `linePlot: x of "${s.name ?? `series ${k + 1}`}" has ${x[i]} at index ${i}; a log axis (logX) ` +
              `shows only positive values${s.x === undefined ? " (give x: the default starts at 0)" : ""}`,
          );
    });
    // Ticks at the powers of two (tick0 and dtick are in powers of ten on a log axis).
    layout.xaxis = {
      ...layout.xaxis,
      type: "log",
      tick0: 0,
      dtick: Math.log10(2),
      tickformat: "d",
    };
  }
  if (options.xRange) {
    checkRange(options.xRange, "linePlot: xRange");
    layout.xaxis = { ...layout.xaxis, range: [...options.xRange] };
  }
  if (options.logY !== undefined) checkBoolean("linePlot", "logY", options.logY);
  if (options.logY) options.series.forEach(checkPositiveY);
  if (options.yRange) {
    checkRange(options.yRange, "linePlot: yRange");
    if (options.logY && options.yRange[0] <= 0)
      throw new RangeError(
        `linePlot: yRange must be positive on a log axis (logY), got [${options.yRange.join(", ")}]`,
      );
    // plotly takes a log axis's range as powers of ten.
    const range = options.logY ? options.yRange.map(Math.log10) : options.yRange;
    layout.yaxis = { ...layout.yaxis, range: [...range] };
  }
  // Powers of ten ("10⁻⁶") rather than plotly's default SI prefixes ("1µ"), which read badly for losses.
  if (options.logY) layout.yaxis = { ...layout.yaxis, type: "log", exponentformat: "power" };
  layout.showlegend = options.series.length > 1;
  return { data, layout };
}

function checkSeries(s: Series, k: number): void {
  const owner = `linePlot: series[${k}]`;
  if (s === null || typeof s !== "object")
    throw new TypeError(`${owner} must be { y, … }, got ${describeValue(s)}`);
  rejectUnknownOptions(owner, s, ["x", "y", "name", "mode", "dash", "low", "high"]);
  if (s.name !== undefined) checkString(owner, "name", s.name);
  assertFinite(s.y, `linePlot: y of "${s.name ?? `series ${k + 1}`}"`);
  if (s.x !== undefined) assertFinite(s.x, `linePlot: x of "${s.name ?? `series ${k + 1}`}"`);
  if (s.mode !== undefined)
    checkOneOf(owner, "mode", s.mode, ["lines", "markers", "lines+markers"]);
  if (s.dash !== undefined) checkOneOf(owner, "dash", s.dash, ["solid", "dash", "dot", "dashdot"]);
}

/** A series' low–high range as plotly's asymmetric error bars, after checking that low ≤ y ≤ high. */
function errorBars(s: Series, name: string, color: string): { error_y?: ErrorBar } {
  if (s.low === undefined && s.high === undefined) return {};
  if (s.low === undefined || s.high === undefined)
    throw new Error(
      `linePlot: series "${name}" has ${s.low === undefined ? "high" : "low"} without the other`,
    );
  for (const [bound, values] of [
    ["low", s.low],
    ["high", s.high],
  ] as const) {
    checkLength(values, s.y.length, `linePlot: ${bound} of "${name}"`, "its y");
    assertFinite(values, `linePlot: ${bound} of "${name}"`);
  }
  const y = toArray(s.y);
  const low = toArray(s.low);
  const high = toArray(s.high);
  const wrong = y.findIndex((v, i) => !(low[i] <= v && v <= high[i]));
  if (wrong >= 0)
    throw new RangeError(
      `linePlot: series "${name}" at point ${wrong} has y = ${y[wrong]} outside its range [${low[wrong]}, ${high[wrong]}]`,
    );
  return {
    error_y: {
      type: "data",
      symmetric: false,
      array: y.map((v, i) => high[i] - v),
      arrayminus: y.map((v, i) => v - low[i]),
      color,
      thickness: 1.5,
      width: 4,
    },
  };
}

/** On a log axis every y (and the low end of its range, if any) must be positive: plotly would silently leave out 0 and negative values. */
function checkPositiveY(s: Series, k: number): void {
  for (const [what, values] of [
    ["y", s.y],
    ["low", s.low ?? []],
  ] as const)
    for (let i = 0; i < values.length; i++)
      if (!(values[i] > 0))
        throw new RangeError(
          `linePlot: ${what} of "${s.name ?? `series ${k + 1}`}" has ${values[i]} at index ${i}; a log axis ` +
            `(logY) shows only positive values`,
        );
}

/** Straight lines to draw: each { name, weights: [w1, w2], bias }. */
function checkLines(builder: string, lines: readonly LineSpec[] | undefined): void {
  if (lines === undefined) return;
  if (!Array.isArray(lines))
    throw new TypeError(
      `${builder}: lines must be an array of { name, weights, bias }, got ${describeValue(lines)}`,
    );
  lines.forEach((line, k) => {
    const owner = `${builder}: lines[${k}]`;
    if (line === null || typeof line !== "object")
      throw new TypeError(`${owner} must be { name, weights, bias }, got ${describeValue(line)}`);
    rejectUnknownOptions(owner, line, ["name", "weights", "bias"]);
    checkString(owner, "name", line.name);
  });
}

// ------------------------------------------------------------------------------------------- classes

export type Point = readonly [number, number] | ArrayLike<number>;

/** A straight line w1·x + w2·y + b = 0 to draw across the plot, such as a perceptron's decision line. */
export interface LineSpec {
  name: string;
  weights: readonly [number, number];
  bias: number;
}

export interface ScatterByClassOptions extends FigureOptions {
  points: readonly Point[];
  /** Class index of each point: 0, 1, 2, … */
  labels: ArrayLike<number>;
  /** Legend names by class index; default "class 0", "class 1", … */
  classNames?: readonly string[];
  lines?: readonly LineSpec[];
  xRange?: Range;
  yRange?: Range;
}

/**
 * The part of the line w1·x + w2·y + b = 0 inside the box xRange × yRange, as its two end points,
 * or null when the line misses the box (or w1 = w2 = 0, which is no line at all).
 */
export function lineThroughBox(
  weights: readonly [number, number],
  bias: number,
  xRange: Range,
  yRange: Range,
): { x: number[]; y: number[] } | null {
  const [w1, w2] = weights;
  assertFinite([w1, w2, bias], "lineThroughBox: weights and bias");
  checkRange(xRange, "lineThroughBox: xRange");
  checkRange(yRange, "lineThroughBox: yRange");
  if (w1 === 0 && w2 === 0) return null;
  const [x0, x1] = xRange;
  const [y0, y1] = yRange;
  const eps = 1e-12 * (Math.abs(x1 - x0) + Math.abs(y1 - y0));
  const found: Array<[number, number]> = [];
  const add = (x: number, y: number) => {
    if (x < x0 - eps || x > x1 + eps || y < y0 - eps || y > y1 + eps) return;
    if (found.some(([px, py]) => Math.abs(px - x) <= eps && Math.abs(py - y) <= eps)) return;
    found.push([x + 0, y + 0]); // + 0 turns −0 into 0
  };
  if (w2 !== 0) for (const x of [x0, x1]) add(x, -(w1 * x + bias) / w2); // left and right edges
  if (w1 !== 0) for (const y of [y0, y1]) add(-(w2 * y + bias) / w1, y); // bottom and top edges
  if (found.length < 2) return null;
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const [a, b] = [found[0], found[found.length - 1]];
  return { x: [a[0], b[0]], y: [a[1], b[1]] };
}

function pointColumns(points: readonly Point[], what: string): { xs: number[]; ys: number[] } {
  if (!Array.isArray(points))
    throw new TypeError(`${what}: points must be an array of [x, y], got ${describeValue(points)}`);
  const xs: number[] = [];
  const ys: number[] = [];
  points.forEach((p, i) => {
    if (p.length !== 2)
      throw new Error(`${what}: point ${i} has ${p.length} coordinates, expected 2`);
    xs.push(p[0]);
    ys.push(p[1]);
  });
  assertFinite(xs, `${what}: x coordinates`);
  assertFinite(ys, `${what}: y coordinates`);
  return { xs, ys };
}

function classCount(labels: ArrayLike<number>, what: string): number {
  if (!Array.isArray(labels) && !ArrayBuffer.isView(labels))
    throw new TypeError(
      `${what}: labels must be an array of class indices, got ${describeValue(labels)}`,
    );
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0)
      throw new Error(`${what}: label ${label} at index ${i} is not a class index (0, 1, 2, …)`);
    max = Math.max(max, label);
  }
  return max + 1;
}

/** One scatter trace per class: a colour and a marker shape each. */
function classTraces(
  points: readonly Point[],
  labels: ArrayLike<number>,
  classNames: readonly string[] | undefined,
  what: string,
  classes = 0,
): Data[] {
  const { xs, ys } = pointColumns(points, what);
  checkLength(labels, points.length, `${what}: labels`, "points");
  const count = Math.max(classes, classCount(labels, what));
  const traces: Data[] = [];
  for (let k = 0; k < count; k++) {
    const idx = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === k) idx.push(i);
    if (idx.length === 0) continue;
    traces.push({
      type: "scatter",
      mode: "markers",
      name: classNames?.[k] ?? `class ${k}`,
      x: idx.map((i) => xs[i]),
      y: idx.map((i) => ys[i]),
      marker: {
        color: PALETTE[k % PALETTE.length],
        symbol: MARKERS[k % MARKERS.length],
        size: 11,
        line: { color: "white", width: 1 },
      },
    });
  }
  return traces;
}

function lineTraces(lines: readonly LineSpec[] | undefined, xRange: Range, yRange: Range): Data[] {
  return (lines ?? []).flatMap((line, k) => {
    const segment = lineThroughBox(line.weights, line.bias, xRange, yRange);
    if (!segment) return [];
    return [
      {
        type: "scatter",
        mode: "lines",
        name: line.name,
        ...segment,
        line: { color: "#333", width: 2, dash: (["solid", "dash", "dot"] as const)[k % 3] },
      } as Data,
    ];
  });
}

/** Padded bounds of the points, for a default plot range. */
function paddedRange(values: readonly number[], pad = 0.1): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || 1;
  return [lo - pad * span, hi + pad * span];
}

/** Points coloured (and shaped) by class, optionally with straight lines such as decision lines. */
export function scatterByClass(options: ScatterByClassOptions): Figure {
  checkFigureOptions("scatterByClass", options, [
    "points",
    "labels",
    "classNames",
    "lines",
    "xRange",
    "yRange",
  ]);
  if (options.classNames !== undefined)
    checkStrings("scatterByClass", "classNames", options.classNames);
  checkLines("scatterByClass", options.lines);
  requireAxisTitles(options, "scatterByClass");
  const traces = classTraces(options.points, options.labels, options.classNames, "scatterByClass");
  const { xs, ys } = pointColumns(options.points, "scatterByClass");
  const xRange = options.xRange ?? paddedRange(xs);
  const yRange = options.yRange ?? paddedRange(ys);
  checkRange(xRange, "scatterByClass: xRange");
  checkRange(yRange, "scatterByClass: yRange");
  const layout = baseLayout(options);
  layout.xaxis = { ...layout.xaxis, range: [...xRange] };
  layout.yaxis = { ...layout.yaxis, range: [...yRange] };
  return { data: [...traces, ...lineTraces(options.lines, xRange, yRange)], layout };
}

// --------------------------------------------------------------------------------- decision regions

export interface DecisionBoundaryOptions extends FigureOptions {
  /**
   * The model at the point (x, y): its predicted class (0, 1, …) when `output` is "class", or its
   * probability of class 1 when `output` is "probability". Give this or `predictPoints`.
   */
  predict?: (x: number, y: number) => number;
  /**
   * The model on many points at once (an n×2 matrix, one point per row), returning one value per row:
   * a network evaluates the whole grid as one batch, which is much faster than point by point.
   */
  predictPoints?: (points: Matrix) => ArrayLike<number>;
  /** "class" (default): tinted regions per class. "probability": a shaded map of P(class 1) with the 0.5 contour. */
  output?: "class" | "probability";
  xRange: Range;
  yRange: Range;
  /** Grid points along each axis. Default 101. */
  resolution?: number;
  points?: readonly Point[];
  labels?: ArrayLike<number>;
  classNames?: readonly string[];
  lines?: readonly LineSpec[];
}

function tint(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/** The model evaluated on a resolution × resolution grid over the box, row by row (y outer, x inner). */
function evaluateGrid(options: DecisionBoundaryOptions): {
  gx: number[];
  gy: number[];
  z: number[][];
} {
  const { xRange, yRange, resolution = 101, output = "class" } = options;
  checkGridFits("decisionBoundary", resolution);
  checkRange(xRange, "decisionBoundary: xRange");
  checkRange(yRange, "decisionBoundary: yRange");
  const gx = gridAxis(xRange, resolution, "decisionBoundary");
  const gy = gridAxis(yRange, resolution, "decisionBoundary");
  if (output !== "class" && output !== "probability")
    throw new Error(`decisionBoundary: unknown output "${output}" (use "class" or "probability")`);
  if ((options.predict === undefined) === (options.predictPoints === undefined)) {
    throw new Error("decisionBoundary: give exactly one of predict and predictPoints");
  }
  checkFunction(
    "decisionBoundary",
    options.predict ? "predict" : "predictPoints",
    options.predict ?? options.predictPoints,
  );
  let values: ArrayLike<number>;
  if (options.predictPoints) {
    const points = Matrix.fromFunction(resolution * resolution, 2, (k, j) =>
      j === 0 ? gx[k % resolution] : gy[Math.floor(k / resolution)],
    );
    values = options.predictPoints(points);
    if (values.length !== points.rows)
      throw new Error(
        `decisionBoundary: predictPoints returned ${values.length} values for ${points.rows} points`,
      );
  } else {
    const predict = options.predict!;
    values = gy.flatMap((y) => gx.map((x) => predict(x, y)));
  }
  const z = gy.map((y, i) =>
    gx.map((x, j) => {
      const v = values[i * resolution + j];
      if (output === "class" && (!Number.isInteger(v) || v < 0))
        throw new Error(
          `decisionBoundary: the model returned ${v} at (${x}, ${y}), not a class index`,
        );
      if (output === "probability" && !(v >= 0 && v <= 1))
        throw new Error(
          `decisionBoundary: the model returned ${v} at (${x}, ${y}), not a probability in [0, 1]`,
        );
      return v;
    }),
  );
  return { gx, gy, z };
}

/**
 * A model's decision regions over a box: its predicted class drawn as lightly tinted areas in the classes'
 * colours (or, with `output: "probability"`, its probability of class 1 as shading with the 0.5 contour),
 * with the data points (and any lines) on top.
 */
export function decisionBoundary(options: DecisionBoundaryOptions): Figure {
  checkFigureOptions("decisionBoundary", options, [
    "predict",
    "predictPoints",
    "output",
    "xRange",
    "yRange",
    "resolution",
    "points",
    "labels",
    "classNames",
    "lines",
  ]);
  if (options.classNames !== undefined)
    checkStrings("decisionBoundary", "classNames", options.classNames);
  checkLines("decisionBoundary", options.lines);
  requireAxisTitles(options, "decisionBoundary");
  const { gx, gy, z } = evaluateGrid(options);
  const data: Data[] = [];
  let classes = options.labels ? classCount(options.labels, "decisionBoundary") : 0;
  if (options.output === "probability") {
    classes = Math.max(classes, 2);
    data.push(
      {
        type: "heatmap",
        x: gx,
        y: gy,
        z,
        zmin: 0,
        zmax: 1,
        hoverinfo: "skip",
        name: "P(class 1)",
        colorscale: [
          [0, tint(PALETTE[0], 0.45)],
          [0.5, "rgba(255,255,255,1)"],
          [1, tint(PALETTE[1], 0.45)],
        ],
        colorbar: { title: { text: "P(class 1)" }, thickness: 14 },
      },
      {
        type: "contour",
        x: gx,
        y: gy,
        z,
        name: "P = 0.5",
        showscale: false,
        hoverinfo: "skip",
        showlegend: true,
        contours: { start: 0.5, end: 0.5, size: 1, coloring: "none" },
        line: { color: "#333", width: 2 },
      } as Data,
    );
  } else {
    const predicted = Math.max(...z.map((row) => Math.max(...row))) + 1;
    classes = Math.max(classes, predicted, 2);
    // A discrete colour scale: class k fills [k − ½, k + ½].
    const colorscale: Array<[number, string]> = [];
    for (let k = 0; k < classes; k++) {
      const colour = tint(PALETTE[k % PALETTE.length], 0.22);
      colorscale.push([k / classes, colour], [(k + 1) / classes, colour]);
    }
    data.push({
      type: "heatmap",
      x: gx,
      y: gy,
      z,
      zmin: -0.5,
      zmax: classes - 0.5,
      colorscale,
      showscale: false,
      hoverinfo: "skip",
      name: "predicted class",
    });
  }
  if (options.points) {
    if (!options.labels) throw new Error("decisionBoundary: points need labels");
    data.push(
      ...classTraces(
        options.points,
        options.labels,
        options.classNames,
        "decisionBoundary",
        classes,
      ),
    );
  }
  data.push(...lineTraces(options.lines, options.xRange, options.yRange));
  const layout = baseLayout(options);
  layout.xaxis = { ...layout.xaxis, range: [...options.xRange] };
  layout.yaxis = { ...layout.yaxis, range: [...options.yRange] };
  if (options.output === "probability") {
    // The colour bar takes the right-hand side: put the legend in a row above the plot.
    layout.legend = { ...layout.legend, orientation: "h", x: 0, y: 1.02, yanchor: "bottom" };
    layout.margin = { ...layout.margin, t: (layout.margin?.t ?? 24) + 28 };
  }
  return { data, layout };
}

// ------------------------------------------------------------------------------------------------ bars

export interface BarChartOptions extends FigureOptions {
  categories: readonly string[];
  values: ArrayLike<number>;
  /** Index of a bar to draw in the accent colour (e.g. the predicted class). */
  highlight?: number;
  yRange?: Range;
  /** Print each value above its bar with this many decimals. Default: no labels. */
  labelDigits?: number;
}

/** Bars for categories: softmax probabilities per class, class counts. */
export function barChart(options: BarChartOptions): Figure {
  checkFigureOptions("barChart", options, [
    "categories",
    "values",
    "highlight",
    "yRange",
    "labelDigits",
  ]);
  checkStrings("barChart", "categories", options.categories);
  if (options.highlight !== undefined) {
    checkNonNegativeInteger("barChart", "highlight", options.highlight);
    if (options.highlight >= options.categories.length)
      throw new RangeError(
        `barChart: highlight must be the index of a bar, 0…${options.categories.length - 1}, ` +
          `got ${options.highlight}`,
      );
  }
  if (options.labelDigits !== undefined) {
    checkNonNegativeInteger("barChart", "labelDigits", options.labelDigits);
    if (options.labelDigits > 20)
      throw new RangeError(`barChart: labelDigits must be at most 20, got ${options.labelDigits}`);
  }
  requireAxisTitles(options, "barChart");
  checkLength(options.values, options.categories.length, "barChart: values", "categories");
  assertFinite(options.values, "barChart: values");
  const values = toArray(options.values);
  const colours = values.map((_, i) => (i === options.highlight ? PALETTE[1] : PALETTE[0]));
  const bar: Data = {
    type: "bar",
    x: [...options.categories],
    y: values,
    marker: { color: colours },
    name: "",
  };
  if (options.labelDigits !== undefined) {
    Object.assign(bar, {
      text: values.map((v) => v.toFixed(options.labelDigits)),
      textposition: "outside",
      cliponaxis: false,
    });
  }
  const layout = baseLayout(options);
  layout.xaxis = { ...layout.xaxis, type: "category" };
  if (options.yRange) {
    checkRange(options.yRange, "barChart: yRange");
    layout.yaxis = { ...layout.yaxis, range: [...options.yRange] };
  }
  layout.showlegend = false;
  return { data: [bar], layout };
}
