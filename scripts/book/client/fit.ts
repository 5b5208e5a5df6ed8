// A figure laid out for the width it gets and the pointer it is used with. The library draws figures
// for a notebook's column (about 900 px, a mouse): on a phone (a 358 px column, a finger) their
// titles ran past the right edge, legends sat on the titles, a two-panel figure's axis title
// overlapped the other panel, and a vertical swipe over a figure zoomed it instead of scrolling the
// page. `fitLayout` and `fitConfig` adapt a figure's layout and config to the width and the pointer;
// they are pure (no DOM), so that they can be tested in Node.
import type { Figure } from "../../../lib/src/notebook/plot/figure";

type Layout = Record<string, unknown>;

/** Below this width (in px) a figure is laid out for a narrow screen. */
export const NARROW = 560;
/** plotly's default font size (the library's figures set 14). */
const FONT_SIZE = 14;
/** A sans-serif glyph's average width, as a fraction of the font size (Helvetica, Arial). */
const GLYPH = 0.55;

/** A deep copy of plain JSON. */
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? {})) as T;

/** The text a title shows (plotly titles may hold <sub>, <b>, <br>). */
const visible = (text: string) => text.replace(/<[^>]*>/g, "").replace(/&[a-z]+;|&#\d+;/g, "x");

/**
 * `text` broken into lines of at most `chars` visible characters at spaces (plotly's titles break
 * only at `<br>`). A word longer than a line keeps a line of its own.
 */
export function wrapTitle(text: string, chars: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/<br\s*\/?>/i)) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && visible(candidate).length > chars) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    lines.push(line);
  }
  return lines;
}

function titleText(layout: Layout): string | null {
  const title = layout.title as { text?: string } | string | undefined;
  if (typeof title === "string") return title || null;
  return title?.text || null;
}

/** The title fitted to `width`: a smaller font on a narrow figure, broken into lines, and room for them. */
function fitTitle(layout: Layout, width: number, narrow: boolean): void {
  const text = titleText(layout);
  if (!text) return;
  const title = (typeof layout.title === "object" ? layout.title : { text }) as Layout;
  // plotly's title font is 1.4 times the figure's.
  const base = Math.round(((layout.font as { size?: number })?.size ?? FONT_SIZE) * 1.4);
  const size = narrow ? Math.min(base, 15) : base;
  // The title starts 2% in from the left; keep as much free on the right.
  const chars = Math.max(12, Math.floor((width * 0.94) / (size * GLYPH)));
  const lines = wrapTitle(text, chars);
  title.text = lines.join("<br>");
  if (narrow) title.font = { ...(title.font as object), size };
  // The title sits in the top margin: each extra line needs its height there.
  const margin = { ...(layout.margin as Layout) } as { t?: number };
  margin.t = (margin.t ?? 80) + Math.round((lines.length - 1) * size * 1.25);
  layout.title = title;
  layout.margin = margin;
}

/** Axis keys of a layout: xaxis, xaxis2, …, yaxis, yaxis2, … */
const axisKeys = (layout: Layout, letter: "x" | "y") =>
  Object.keys(layout).filter((k) => new RegExp(`^${letter}axis\\d*$`).test(k));

/**
 * Panels side by side (the training curves: loss | accuracy) stacked one above the other: at phone
 * width each keeps a usable plot, and an axis title no longer reaches into the other panel.
 */
function stackPanels(layout: Layout): void {
  const xs = axisKeys(layout, "x");
  if (xs.length < 2) return;
  const panels = xs.length;
  const gap = 0.14;
  const share = (1 - gap * (panels - 1)) / panels;
  xs.sort().forEach((key, i) => {
    const x = layout[key] as Layout;
    const yKey = `yaxis${String(x.anchor ?? "y").slice(1)}`;
    layout[key] = { ...x, domain: [0, 1] };
    // The first panel on top.
    const top = 1 - i * (share + gap);
    const domain = [top - share, top].map((v) => Math.max(0, Math.round(v * 1000) / 1000));
    if (layout[yKey]) layout[yKey] = { ...(layout[yKey] as Layout), domain };
  });
  layout.height = Math.round(((layout.height as number) ?? 400) * 0.9 * panels);
}

/**
 * Axis titles for a narrow figure: a smaller font, broken into lines that fit the plot's width (x)
 * or height (y), and margins that grow to hold them and the tick labels (plotly's automargin)
 * instead of the fixed ones drawn for a wide figure.
 */
function fitAxisTitles(layout: Layout, width: number): void {
  const size = 13;
  const height = (layout.height as number) ?? 400;
  for (const key of [...axisKeys(layout, "x"), ...axisKeys(layout, "y")]) {
    const axis = { ...(layout[key] as Layout) };
    if (axis.visible === false) continue;
    axis.automargin = true;
    const title = axis.title as { text?: string } | undefined;
    if (title?.text) {
      const room = key.startsWith("x") ? width - 60 : height * 0.45;
      const chars = Math.max(10, Math.floor(room / (size * GLYPH)));
      axis.title = {
        ...title,
        text: wrapTitle(title.text, chars).join("<br>"),
        font: { ...((title as Layout).font as object), size },
      };
    }
    layout[key] = axis;
  }
}

/**
 * A legend in rows below the plot: at phone width a legend in the plot covers the data, and one
 * above it sat on the title. Plotly makes room for it in the bottom margin.
 */
function legendBelow(layout: Layout): void {
  layout.legend = {
    ...(layout.legend as Layout),
    orientation: "h",
    x: 0,
    xanchor: "left",
    y: -0.2,
    yanchor: "top",
  };
}

/** Whether the figure shows a legend (plotly shows one for two traces or more unless told not to). */
function hasLegend(figure: Figure, layout: Layout): boolean {
  if (layout.showlegend === false) return false;
  const shown = figure.data.filter((d) => (d as { showlegend?: boolean }).showlegend !== false);
  return layout.showlegend === true || shown.length > 1;
}

/**
 * The figure's layout for a column `width` px wide on a device whose pointer is `coarse` (a
 * finger): titles fit the width, narrow figures stack their panels and put their legend below the
 * plot with smaller side margins, and on a touch screen a drag scrolls the page instead of zooming.
 */
export function fitLayout(
  figure: Figure,
  layout: Layout,
  { width, coarse }: { width: number; coarse: boolean },
): Layout {
  const fitted = clone(layout);
  const narrow = width < NARROW;
  if (narrow) {
    const margin = { ...(fitted.margin as Layout) } as Record<string, number>;
    margin.l = Math.min(margin.l ?? 64, 40);
    margin.r = Math.min(margin.r ?? 24, 12);
    fitted.margin = margin;
    stackPanels(fitted);
    fitAxisTitles(fitted, width);
    if (hasLegend(figure, fitted)) legendBelow(fitted);
  }
  fitTitle(fitted, width, narrow);
  if (coarse) fitted.dragmode = false;
  return fitted;
}

/**
 * The figure's config: on a touch screen no scroll zoom and no mode bar (it covered the titles, and
 * its buttons are too small for a finger); the page's own "Zoom" button turns zooming on.
 */
export function fitConfig(
  config: Figure["config"],
  { coarse, zooming }: { coarse: boolean; zooming: boolean },
): Record<string, unknown> {
  const fitted: Record<string, unknown> = { ...clone(config), responsive: true };
  if (coarse && !zooming) {
    fitted.scrollZoom = false;
    fitted.displayModeBar = false;
    fitted.doubleClick = false;
  }
  return fitted;
}
