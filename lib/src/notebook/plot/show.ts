/**
 * Getting figures onto the page. Plotly cannot run in Node, so a figure travels as JSON data with a small
 * drawing script in a `text/html` output, the one kind of output that the classic Notebook, JupyterLab,
 * VS Code and nbconvert's HTML all run (the format: payload.ts). plotly.js itself is inlined once per notebook by `setupPlots()`:
 * no CDN, so chapters work offline and from `file://`.
 */
import { plotlySource, randomHex, writeText } from "../../platform";
import { checkPositive, checkString, describeValue, rejectUnknownOptions } from "../../core/checks";
import { displaySink } from "../display";
import { DEFAULT_CONFIG, type Figure } from "./figure";
import { FIGURE_CLASS, figureScripts } from "./payload";

export { scriptSafeJson } from "./payload";

/** Shown in a figure's place until plotly has drawn it. */
export const PLACEHOLDER_TEXT =
  "This figure has not been drawn: run the notebook (or, in the classic Notebook, File ▸ Trust Notebook) to see it.";

let plotlyText: string | null | undefined;
/**
 * plotly.min.js, read once; `</script` escaped so that it can sit inside a `<script>` element. Null in a
 * page, which draws with its own plotly.
 */
function plotlyBundle(): string | null {
  if (plotlyText === undefined)
    plotlyText = plotlySource()?.replace(/<\/script/gi, "<\\/script") ?? null;
  return plotlyText;
}

/**
 * The `<script>` that defines `window.Plotly`. Wrapped so that `define`, `module` and `exports` are
 * undefined inside: otherwise the classic Notebook's require.js captures plotly as an AMD module and
 * `window.Plotly` never appears.
 */
export function plotlyScriptTag(): string {
  const bundle = plotlyBundle();
  if (bundle === null)
    throw new Error("plotlyScriptTag: a page has no plotly.js to inline (it draws with its own)");
  return `<script type="text/javascript">(function(define, module, exports) {\n${bundle}\n}).call(window);</script>`;
}

let plotlyInlined = false;

/** Whether this kernel has inlined plotly.js yet (by `setupPlots()` or a first `show()`). */
export function plotsReady(): boolean {
  return plotlyInlined;
}

/** Inlines plotly.js into the notebook (about 4.8 MB of output). Call it in the first code cell of a chapter. */
export function setupPlots(): void {
  // A page draws figures with its own plotly: nothing to inline there.
  if (plotlyBundle() !== null) displaySink().html(plotlyScriptTag());
  plotlyInlined = true;
}

function uniqueId(): string {
  // Random, not a counter: outputs saved from earlier kernel sessions share the page with new ones.
  return `gtd-figure-${randomHex(6)}`;
}

/** Applies the shared config (responsive, no logo) under the figure's own. */
function withConfig(figure: Figure): Figure {
  return {
    data: figure.data,
    layout: figure.layout,
    config: { ...DEFAULT_CONFIG, ...figure.config },
  };
}

/**
 * A figure as HTML: a `<div>` that shows a placeholder line until the figure is drawn, then the figure's
 * payload and the script that draws it (payload.ts owns that format).
 *
 * `liveKey` names a figure that is redrawn in place (a live training plot): each redraw purges the plot
 * drawn under the same key before, which would otherwise keep its window-resize listener forever.
 */
export function figureHtml(
  figure: Figure,
  options: { id?: string; liveKey?: string } = {},
): string {
  checkFigureHtmlArguments(figure, options);
  const id = options.id ?? uniqueId();
  const height = figure.layout.height ?? 400;
  return [
    `<div id="${id}" class="${FIGURE_CLASS}" style="width:100%;min-height:${height}px">`,
    `<p class="gtd-placeholder" style="color:#777;font:italic 14px sans-serif;padding:1em 0">${PLACEHOLDER_TEXT}</p></div>`,
    figureScripts(withConfig(figure), id, options.liveKey),
  ].join("\n");
}

/**
 * What reaches the page besides the escaped JSON: an id made of letters, digits, "-" and "_" (it goes
 * into an attribute), a numeric height (it goes into a style), and a figure with data and layout.
 */
function checkFigureHtmlArguments(
  figure: Figure,
  options: { id?: string; liveKey?: string },
): void {
  checkFigure("figureHtml", figure);
  rejectUnknownOptions("figureHtml", options, ["id", "liveKey"]);
  if (options.id !== undefined) {
    checkString("figureHtml", "id", options.id);
    if (!/^[A-Za-z][\w-]*$/.test(options.id))
      throw new Error(
        `figureHtml: id must start with a letter and hold only letters, digits, "-" and "_", got ${JSON.stringify(options.id)}`,
      );
  }
  if (options.liveKey !== undefined) checkString("figureHtml", "liveKey", options.liveKey);
  if (figure.layout.height !== undefined)
    checkPositive("figureHtml", "layout.height", figure.layout.height);
}

/** A figure: `{ data: [...], layout: {...} }`, as the builders return. */
function checkFigure(owner: string, figure: Figure): void {
  if (
    figure === null ||
    typeof figure !== "object" ||
    !Array.isArray(figure.data) ||
    figure.layout === null ||
    typeof figure.layout !== "object"
  )
    throw new TypeError(
      `${owner}: figure must be { data: [...], layout: {...} } (e.g. from linePlot), got ${describeValue(figure)}`,
    );
}

/** Shows a figure in the notebook (inlining plotly.js first if `setupPlots()` has not run in this kernel). */
export function show(figure: Figure): void {
  checkFigure("show", figure);
  const sink = displaySink();
  if (!plotlyInlined) setupPlots();
  sink.html(figureHtml(figure));
}

/** A standalone HTML page with plotly.js inlined: opens offline, for slides and sharing. */
export function standaloneFigureHtml(figure: Figure, title = "Figure"): string {
  checkFigure("standaloneFigureHtml", figure);
  checkString("standaloneFigureHtml", "title", title);
  const escapedTitle = title.replace(/[<&]/g, (c) => (c === "<" ? "&lt;" : "&amp;"));
  return [
    "<!DOCTYPE html>",
    `<html><head><meta charset="utf-8"><title>${escapedTitle}</title>`,
    plotlyScriptTag(),
    `</head><body style="max-width:960px;margin:2em auto">`,
    figureHtml(figure),
    "</body></html>",
  ].join("\n");
}

/** Writes the figure as a standalone HTML file. */
export function saveFigureHtml(figure: Figure, file: string, title?: string): void {
  checkString("saveFigureHtml", "file", file);
  writeText(file, standaloneFigureHtml(figure, title));
}
