/**
 * Figures of values on a grid: labelled heatmaps (confusion matrices), grids of small images (digits,
 * hidden units' weights), and a loss surface with gradient-descent paths over its contours.
 */
import {
  checkFunction,
  checkNonNegativeInteger,
  checkNumberType,
  checkOneOf,
  checkPositive,
  checkPositiveInteger,
  checkString,
  describeValue,
  rejectUnknownOptions,
} from "../../core/checks";
import { assertFinite } from "../../core/matrix";
import type { Data } from "plotly.js";
import {
  baseLayout,
  checkFigureOptions,
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

function checkRows(z: ReadonlyArray<ArrayLike<number>>, what: string): number {
  if (!Array.isArray(z))
    throw new TypeError(`${what} must be an array of rows, got ${describeValue(z)}`);
  if (z.length === 0) throw new Error(`${what}: no rows`);
  const cols = z[0].length;
  z.forEach((row, i) => {
    if (row.length !== cols)
      throw new Error(`${what}: row ${i} has ${row.length} values, row 0 has ${cols}`);
    assertFinite(row, `${what}: row ${i}`);
  });
  return cols;
}

// ------------------------------------------------------------------------------------------- heatmap

export interface HeatmapOptions extends FigureOptions {
  /** Values by row (drawn top to bottom) and column. */
  z: ReadonlyArray<ArrayLike<number>>;
  xLabels?: readonly string[];
  yLabels?: readonly string[];
  /** Write each value in its cell (default true) with this many decimals (default 0). */
  annotate?: boolean;
  digits?: number;
  /** A plotly colour scale name; default "Blues". */
  colorscale?: string;
}

/** A heatmap with labelled rows and columns and the values written in the cells. */
export function heatmap(options: HeatmapOptions): Figure {
  checkFigureOptions("heatmap", options, [
    "z",
    "xLabels",
    "yLabels",
    "annotate",
    "digits",
    "colorscale",
  ]);
  if (options.xLabels !== undefined) checkStrings("heatmap", "xLabels", options.xLabels);
  if (options.yLabels !== undefined) checkStrings("heatmap", "yLabels", options.yLabels);
  if (options.colorscale !== undefined) checkString("heatmap", "colorscale", options.colorscale);
  if (options.digits !== undefined) checkNonNegativeInteger("heatmap", "digits", options.digits);
  requireAxisTitles(options, "heatmap");
  const cols = checkRows(options.z, "heatmap: z");
  const xLabels = options.xLabels ?? Array.from({ length: cols }, (_, j) => String(j));
  const yLabels = options.yLabels ?? options.z.map((_, i) => String(i));
  checkLength(xLabels, cols, "heatmap: xLabels", "each row of z");
  checkLength(yLabels, options.z.length, "heatmap: yLabels", "z");
  const z = options.z.map((row) => toArray(row));
  const digits = options.digits ?? 0;
  const trace: Data = {
    type: "heatmap",
    x: [...xLabels],
    y: [...yLabels],
    z,
    colorscale: options.colorscale ?? "Blues",
    // plotly's named scales run dark to light; a count should darken as it grows.
    reversescale: true,
    hovertemplate: "%{y} / %{x}: %{z}<extra></extra>",
  };
  if (options.annotate ?? true) {
    Object.assign(trace, {
      text: z.map((row) => row.map((v) => v.toFixed(digits))),
      texttemplate: "%{text}",
      textfont: { size: 12 },
    });
  }
  const layout = baseLayout(options);
  layout.xaxis = { ...layout.xaxis, type: "category", side: "bottom" };
  // Row 0 at the top, as in a table.
  layout.yaxis = { ...layout.yaxis, type: "category", autorange: "reversed" };
  return { data: [trace], layout };
}

/**
 * A confusion matrix: `counts[t][p]` is how many examples of true class t were predicted as p.
 * Rows are true classes, columns predicted ones, so the diagonal holds the correct answers.
 */
export function confusionMatrixFigure(
  counts: ReadonlyArray<ArrayLike<number>>,
  options: { classNames?: readonly string[]; title?: string; height?: number; width?: number } = {},
): Figure {
  checkFigureOptions(
    "confusionMatrixFigure",
    options,
    ["classNames"],
    ["title", "height", "width"],
  );
  checkRows(counts, "confusionMatrixFigure: counts");
  const n = counts.length;
  if (options.classNames !== undefined) {
    checkStrings("confusionMatrixFigure", "classNames", options.classNames);
    if (options.classNames.length !== n)
      throw new Error(
        `confusionMatrixFigure: classNames has ${options.classNames.length} names for ${n} classes`,
      );
  }
  counts.forEach((row, i) => {
    if (row.length !== n)
      throw new Error(
        `confusionMatrixFigure: needs a square matrix, row ${i} has ${row.length} values for ${n} classes`,
      );
    for (let j = 0; j < n; j++)
      if (row[j] < 0)
        throw new RangeError(
          `confusionMatrixFigure: counts has ${row[j]} at (${i}, ${j}); a count cannot be negative`,
        );
  });
  const names = options.classNames ?? Array.from({ length: n }, (_, i) => String(i));
  return heatmap({
    z: counts,
    xLabels: names,
    yLabels: names,
    xTitle: "predicted class",
    yTitle: "true class",
    title: options.title,
    height: options.height ?? Math.max(320, 40 * n + 120),
    width: options.width,
  });
}

// ---------------------------------------------------------------------------------------- image grid

export interface ImageGridOptions {
  /** Images as flat row-major pixel arrays, all `width × height`. */
  images: ReadonlyArray<ArrayLike<number>>;
  width: number;
  height: number;
  /** A caption above each image (e.g. "7" or "pred 3 / true 5"). */
  labels?: readonly string[];
  /** Images per row; default up to 10. */
  columns?: number;
  /** Pixel value range; default [0, 1], dark for high values (ink on paper). */
  range?: Range;
  /** "ink" (default): 0 white, 1 black. "diverging": negative blue, zero white, positive orange (for weights). */
  style?: "ink" | "diverging";
  title?: string;
  /** Screen pixels per image pixel; default 3. */
  scale?: number;
}

/**
 * Small images side by side, such as MNIST digits or a hidden unit's 784 input weights seen as 28×28.
 * All images go into one heatmap with blank gaps between them, which stays fast for a hundred images.
 */
export function imageGrid(options: ImageGridOptions): Figure {
  checkFigureOptions(
    "imageGrid",
    options,
    ["images", "width", "height", "labels", "columns", "range", "style", "scale"],
    ["title"],
  );
  const { images, width, height, labels, style = "ink", scale = 3 } = options;
  if (!Array.isArray(images))
    throw new TypeError(
      `imageGrid: images must be an array of pixel arrays, got ${describeValue(images)}`,
    );
  if (images.length === 0) throw new Error("imageGrid: no images");
  if (labels !== undefined) checkStrings("imageGrid", "labels", labels);
  checkOneOf("imageGrid", "style", style, ["ink", "diverging"]);
  checkPositive("imageGrid", "scale", scale);
  if (options.columns !== undefined) checkPositiveInteger("imageGrid", "columns", options.columns);
  checkNumberType("imageGrid", "width", width);
  checkNumberType("imageGrid", "height", height);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(
      `imageGrid: width and height must be positive integers, got ${width}×${height}`,
    );
  }
  images.forEach((image, i) => {
    if (image.length !== width * height)
      throw new Error(
        `imageGrid: image ${i} has ${image.length} pixels, expected ${width}×${height} = ${width * height}`,
      );
    assertFinite(image, `imageGrid: image ${i}`);
  });
  if (labels) checkLength(labels, images.length, "imageGrid: labels", "images");
  const columns = Math.min(options.columns ?? 10, images.length);
  const rows = Math.ceil(images.length / columns);
  const gap = Math.max(1, Math.round(width / 7));
  const top = labels ? Math.round(height / 3) : 0; // room for the caption above each image
  const cellW = width + gap;
  const cellH = height + gap + top;
  // null pixels are the gaps: plotly leaves them transparent.
  const z: Array<Array<number | null>> = Array.from({ length: rows * cellH }, () =>
    new Array(columns * cellW).fill(null),
  );
  images.forEach((image, k) => {
    const r0 = Math.floor(k / columns) * cellH + top;
    const c0 = (k % columns) * cellW;
    for (let i = 0; i < height; i++)
      for (let j = 0; j < width; j++) z[r0 + i][c0 + j] = image[i * width + j];
  });
  let range = options.range;
  if (!range) {
    if (style === "diverging") {
      const m = Math.max(...images.map((img) => Math.max(...Array.from(img, Math.abs)))) || 1;
      range = [-m, m];
    } else {
      range = [0, 1];
    }
  }
  checkRange(range, "imageGrid: range");
  const colorscale: Array<[number, string]> =
    style === "diverging"
      ? [
          [0, PALETTE[0]],
          [0.5, "#ffffff"],
          [1, PALETTE[3]],
        ]
      : [
          [0, "#ffffff"],
          [1, "#000000"],
        ];
  const trace: Data = {
    type: "heatmap",
    z: z as number[][],
    zmin: range[0],
    zmax: range[1],
    colorscale,
    showscale: style === "diverging",
    hoverinfo: "skip",
  };
  const plotWidth = columns * cellW * scale;
  const plotHeight = rows * cellH * scale;
  const margin = { l: 10, r: style === "diverging" ? 70 : 10, t: options.title ? 44 : 10, b: 10 };
  const hidden = { visible: false, fixedrange: true };
  const layout = {
    ...baseLayout({ title: options.title }),
    width: plotWidth + margin.l + margin.r,
    height: plotHeight + margin.t + margin.b,
    margin,
    xaxis: { ...hidden, range: [-0.5, columns * cellW - 0.5] },
    yaxis: { ...hidden, range: [rows * cellH - 0.5, -0.5], scaleanchor: "x" as const },
    annotations: (labels ?? []).map((text, k) => ({
      text,
      x: (k % columns) * cellW + (width - 1) / 2,
      y: Math.floor(k / columns) * cellH + top / 2,
      xref: "x" as const,
      yref: "y" as const,
      showarrow: false,
      font: { size: 11 },
    })),
  };
  return { data: [trace], layout };
}

// -------------------------------------------------------------------------------------- loss surface

export interface DescentPath {
  name: string;
  /** The visited points (x, y), in order. */
  points: ReadonlyArray<readonly [number, number]>;
}

export interface LossSurfaceOptions extends FigureOptions {
  /** The loss as a function of two parameters. */
  loss: (x: number, y: number) => number;
  xRange: Range;
  yRange: Range;
  /** Grid points along each axis; default 81. */
  resolution?: number;
  /** Gradient-descent paths drawn over the contours, each starting with a larger marker. */
  paths?: readonly DescentPath[];
  /** Contour the logarithm of the loss, for surfaces whose valleys are much flatter than their walls. */
  logScale?: boolean;
}

/** Contours of a loss over two parameters, with the paths that gradient descent took across them. */
export function lossSurface(options: LossSurfaceOptions): Figure {
  checkFigureOptions("lossSurface", options, [
    "loss",
    "xRange",
    "yRange",
    "resolution",
    "paths",
    "logScale",
  ]);
  checkFunction("lossSurface", "loss", options.loss);
  (options.paths ?? []).forEach((path, k) => {
    if (path === null || typeof path !== "object")
      throw new TypeError(
        `lossSurface: paths[${k}] must be { name, points }, got ${describeValue(path)}`,
      );
    rejectUnknownOptions(`lossSurface: paths[${k}]`, path, ["name", "points"]);
    checkString("lossSurface", `paths[${k}].name`, path.name);
    if (!Array.isArray(path.points))
      throw new TypeError(
        `lossSurface: paths[${k}].points must be an array of [x, y], got ${describeValue(path.points)}`,
      );
  });
  requireAxisTitles(options, "lossSurface");
  const { xRange, yRange, resolution = 81, logScale = false } = options;
  checkRange(xRange, "lossSurface: xRange");
  checkRange(yRange, "lossSurface: yRange");
  const gx = gridAxis(xRange, resolution, "lossSurface");
  const gy = gridAxis(yRange, resolution, "lossSurface");
  const z = gy.map((y) =>
    gx.map((x) => {
      const v = options.loss(x, y);
      if (!Number.isFinite(v)) throw new Error(`lossSurface: loss(${x}, ${y}) is ${v}`);
      if (logScale && v <= 0)
        throw new Error(`lossSurface: logScale needs a positive loss, loss(${x}, ${y}) is ${v}`);
      return logScale ? Math.log10(v) : v;
    }),
  );
  const data: Data[] = [
    {
      type: "contour",
      x: gx,
      y: gy,
      z,
      colorscale: "Viridis",
      reversescale: true,
      ncontours: 25,
      contours: { coloring: "heatmap", showlines: true },
      line: { width: 0.5, color: "rgba(255,255,255,0.5)" },
      colorbar: { title: { text: logScale ? "log₁₀ loss" : "loss" }, thickness: 14 },
      name: "loss",
      hovertemplate: "(%{x:.3f}, %{y:.3f}): %{z:.4g}<extra></extra>",
    } as Data,
  ];
  (options.paths ?? []).forEach((path, k) => {
    if (path.points.length === 0) throw new Error(`lossSurface: path "${path.name}" has no points`);
    const xs = path.points.map((p) => p[0]);
    const ys = path.points.map((p) => p[1]);
    assertFinite(xs, `lossSurface: path "${path.name}" x`);
    assertFinite(ys, `lossSurface: path "${path.name}" y`);
    const colour = ["#ffffff", PALETTE[1], PALETTE[3], PALETTE[4], PALETTE[2]][k % 5];
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: path.name,
      x: xs,
      y: ys,
      line: { color: colour, width: 2 },
      marker: {
        color: colour,
        size: xs.map((_, i) => (i === 0 ? 12 : 6)),
        symbol: MARKERS[k % MARKERS.length],
        line: { color: "#222", width: 1 },
      },
    });
  });
  const layout = baseLayout(options);
  layout.xaxis = { ...layout.xaxis, range: [...xRange] };
  layout.yaxis = { ...layout.yaxis, range: [...yRange] };
  layout.legend = { ...layout.legend, x: 0, y: -0.2, orientation: "h" };
  layout.margin = { ...layout.margin, b: 90 };
  return { data, layout };
}
