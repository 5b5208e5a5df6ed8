/**
 * The figure format (plain JSON that Plotly.react understands, typed with plotly's own types), the series'
 * look, and the input checks every figure builder shares.
 */
import {
  checkFitsInMemory,
  checkPositive,
  checkString,
  describeValue,
  rejectUnknownOptions,
} from "../../core/checks";
import { assertFinite } from "../../core/matrix";
import type { Config, Data, Layout } from "plotly.js";

/** A complete plotly figure: what `show()` renders and `saveFigureHtml()` writes. */
export interface Figure {
  data: Data[];
  layout: Partial<Layout>;
  config?: Partial<Config>;
}

/** Okabe–Ito: eight colours that stay distinct for the common forms of colour blindness. */
export const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#D55E00",
  "#CC79A7",
  "#56B4E9",
  "#F0E442",
  "#000000",
] as const;
/** Marker shapes paired with the palette, so classes differ in shape as well as colour (and in print). */
export const MARKERS = [
  "circle",
  "triangle-up",
  "square",
  "diamond",
  "x",
  "star",
  "cross",
  "pentagon",
] as const;

export const DEFAULT_HEIGHT = 400;

/** The look shared by every figure: readable font, white background, axis titles, a fixed height. */
export function baseLayout(options: {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  height?: number;
  width?: number;
}): Partial<Layout> {
  const axis = (title?: string) => ({
    title: { text: title ?? "" },
    zeroline: false,
    gridcolor: "#e5e5e5",
    linecolor: "#444",
    ticks: "outside" as const,
  });
  const layout: Partial<Layout> = {
    font: { family: "Helvetica, Arial, sans-serif", size: 14, color: "#222" },
    paper_bgcolor: "white",
    plot_bgcolor: "white",
    height: options.height ?? DEFAULT_HEIGHT,
    margin: { l: 64, r: 24, t: options.title ? 56 : 24, b: 56 },
    xaxis: axis(options.xTitle),
    yaxis: axis(options.yTitle),
    legend: { bgcolor: "rgba(255,255,255,0.8)" },
    hovermode: "closest",
  };
  if (options.title) layout.title = { text: options.title, x: 0.02, xanchor: "left" };
  if (options.width) layout.width = options.width;
  return layout;
}

export const DEFAULT_CONFIG: Partial<Config> = { responsive: true, displaylogo: false };

export type Range = readonly [number, number];

/** Common options of every builder. */
export interface FigureOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  height?: number;
  width?: number;
}

/** The keys every builder takes (see FigureOptions). */
export const FIGURE_OPTION_KEYS = ["title", "xTitle", "yTitle", "height", "width"] as const;

/**
 * A builder's options: an object with only the keys it knows (`extra` besides the common ones), the
 * titles strings, and the height and width positive numbers, so that nothing but text and numbers
 * reaches the page.
 */
export function checkFigureOptions(
  builder: string,
  options: object,
  extra: readonly string[],
  common: readonly string[] = FIGURE_OPTION_KEYS,
): void {
  rejectUnknownOptions(builder, options, [...extra, ...common]);
  const o = options as Record<string, unknown>;
  for (const key of ["title", "xTitle", "yTitle"])
    if (o[key] !== undefined) checkString(builder, key, o[key]);
  for (const key of ["height", "width"])
    if (o[key] !== undefined) checkPositive(builder, key, o[key] as number);
}

/** An array of strings (legend names, category labels). */
export function checkStrings(builder: string, name: string, values: unknown): void {
  if (!Array.isArray(values))
    throw new TypeError(
      `${builder}: ${name} must be an array of strings, got ${describeValue(values)}`,
    );
  values.forEach((v, i) => checkString(builder, `${name}[${i}]`, v));
}

/** A grid of resolution × resolution values that fits in memory (each point costs a few numbers). */
export function checkGridFits(builder: string, resolution: number): void {
  if (Number.isInteger(resolution))
    checkFitsInMemory(builder, `a ${resolution}×${resolution} grid`, resolution * resolution, 64);
}

export function checkRange(range: Range, what: string): void {
  assertFinite(range, what);
  if (range.length !== 2)
    throw new RangeError(`${what} must be [low, high], got ${range.length} values`);
  if (!(range[0] < range[1]))
    throw new Error(`${what} must be [low, high] with low < high, got [${range[0]}, ${range[1]}]`);
}

export function requireAxisTitles(options: FigureOptions, builder: string): void {
  // Every figure in the book labels its axes; a missing title is a mistake worth stopping for.
  if (!options.xTitle || !options.yTitle)
    throw new Error(`${builder}: xTitle and yTitle are required`);
}

/** `resolution` evenly spaced values from range[0] to range[1], both included (a plotting grid axis). */
export function gridAxis(range: Range, resolution: number, what: string): number[] {
  checkGridFits(what, resolution);
  if (!Number.isInteger(resolution) || resolution < 2)
    throw new (typeof resolution === "number" ? Error : TypeError)(
      `${what}: resolution must be an integer ≥ 2, got ${describeValue(resolution)}`,
    );
  return Array.from(
    { length: resolution },
    (_, i) => range[0] + ((range[1] - range[0]) * i) / (resolution - 1),
  );
}

/** Throws unless `values` has `length` entries. */
export function checkLength(
  values: ArrayLike<unknown>,
  length: number,
  what: string,
  against: string,
): void {
  if (values.length !== length) {
    throw new Error(`${what} has ${values.length} values but ${against} has ${length}`);
  }
}

/** Plain arrays for JSON (JSON.stringify turns a Float64Array into an object, not an array). */
export function toArray(values: ArrayLike<number>): number[] {
  return Array.from(values);
}
