/**
 * The figure payload: the one format in which a figure travels from the library to a page, and its one owner.
 *
 * A figure in an output is three elements side by side, tied together by the figure's id:
 *
 *     <div id="ID" class="gtd-figure">placeholder</div>
 *     <script type="application/json" class="gtd-figure-spec" data-figure="ID">{"figure":…,"arrays":[…]}</script>
 *     <script type="text/javascript" class="gtd-figure-draw" data-figure="ID">…draws it…</script>
 *
 * The JSON is the plotly figure made lighter by what no reader can see (`compactFigure`): numbers rounded to
 * `DIGITS` significant digits, and an array that occurs more than once (a decision boundary's heatmap and its
 * contour share their grid) stored once in `arrays`, referenced as `{ "gtdArray": i }`; `expandFigure` puts it
 * back. The drawing script is for Jupyter (JupyterLab, the classic Notebook, VS Code, nbconvert's HTML), which
 * run an output's scripts; the book drops it and draws from the JSON with its own script, since its pages run
 * no inline script (Content-Security-Policy).
 *
 * Used by the library (show.ts writes figures with `figureElements`), the book's build (scripts/book/figures.ts
 * reads them with the constants and `readFigurePayload`) and the book's and decks' browser scripts
 * (scripts/book/client/, bundled by esbuild, draw with `readFigurePayload` and `expandFigure`). It imports
 * nothing at run time, so that it bundles for the browser, and `expandFigure` uses nothing outside itself,
 * since the drawing script carries its source.
 */
import type { Figure } from "./figure";

/** The `<div>` that a figure is drawn into. */
export const FIGURE_CLASS = "gtd-figure";
/** The `<script type="application/json">` that holds a figure's payload. */
export const FIGURE_DATA_CLASS = "gtd-figure-spec";
/** The `<script>` that draws a figure in Jupyter. */
export const FIGURE_DRAW_CLASS = "gtd-figure-draw";
/** The attribute of both scripts that names the figure's `<div>` by its id. */
export const FIGURE_ATTRIBUTE = "data-figure";

/** What a figure's JSON holds: the figure with shared arrays referenced, and those arrays. */
export interface FigurePayload {
  figure: unknown;
  arrays: unknown[];
}

/** Significant digits kept of a figure's non-integers: more than a plot or a hover shows. */
export const DIGITS = 6;
/** Arrays at least this long that occur more than once in a figure are stored once. */
export const SHARED_MIN_LENGTH = 16;

/** JSON that is safe inside a `<script>` element; typed arrays become plain arrays. */
export function scriptSafeJson(value: unknown): string {
  const json = JSON.stringify(value, (_key, v) =>
    ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v,
  );
  return json
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A figure as its payload: numbers rounded to `DIGITS` digits, repeated long arrays stored once. */
export function compactFigure(figure: Figure): FigurePayload {
  const round = (value: unknown): unknown => {
    if (typeof value === "number") {
      return Number.isInteger(value) || !Number.isFinite(value)
        ? value
        : Number(value.toPrecision(DIGITS));
    }
    if (ArrayBuffer.isView(value)) return round(Array.from(value as unknown as ArrayLike<number>));
    if (Array.isArray(value)) return value.map(round);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)]));
    }
    return value;
  };
  const rounded = round(figure);
  const seen = new Map<string, number>();
  const count = (value: unknown): void => {
    if (Array.isArray(value)) {
      if (value.length >= SHARED_MIN_LENGTH) {
        const key = JSON.stringify(value);
        const times = (seen.get(key) ?? 0) + 1;
        seen.set(key, times);
        if (times > 1) return; // its insides are counted already
      }
      value.forEach(count);
    } else if (value && typeof value === "object") Object.values(value).forEach(count);
  };
  count(rounded);
  const arrays: unknown[] = [];
  const index = new Map<string, number>();
  const share = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      const key = value.length >= SHARED_MIN_LENGTH ? JSON.stringify(value) : null;
      if (key !== null && (seen.get(key) ?? 0) > 1) {
        if (!index.has(key)) index.set(key, arrays.push(value) - 1);
        return { gtdArray: index.get(key) };
      }
      return value.map(share);
    }
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, share(v)]));
    }
    return value;
  };
  return { figure: share(rounded), arrays };
}

/**
 * The figure a payload holds, with its shared arrays put back. Self-contained (the drawing script inlines its
 * source): keep every helper inside it.
 */
export function expandFigure(payload: FigurePayload): Figure {
  function expand(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(expand);
    if (value && typeof value === "object") {
      const keys = Object.keys(value);
      const ref = (value as { gtdArray?: unknown }).gtdArray;
      if (keys.length === 1 && typeof ref === "number") return expand(payload.arrays[ref]);
      const copy: Record<string, unknown> = {};
      for (const key of keys) copy[key] = expand((value as Record<string, unknown>)[key]);
      return copy;
    }
    return value;
  }
  return expand(payload.figure) as Figure;
}

/** Parses a figure's JSON; throws, saying what is wrong, when it is not a payload. */
export function readFigurePayload(json: string): FigurePayload {
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch (error) {
    throw new Error(`a figure's data is not JSON: ${(error as Error).message}`);
  }
  const { figure, arrays } = (payload ?? {}) as Partial<FigurePayload>;
  if (!figure || typeof figure !== "object" || !Array.isArray(arrays))
    throw new Error(`a figure's data is not { "figure": {…}, "arrays": […] }`);
  return { figure, arrays };
}

/**
 * The drawing script for Jupyter: waits until the div, the payload and `window.Plotly` exist (output scripts
 * can run before the setup cell's plotly.js when a saved notebook is reopened, and the div may not be attached
 * yet), then draws with `Plotly.react`. `liveKey` names a figure that is redrawn in place (a live training
 * plot): each redraw purges the plot drawn under the same key before, which would otherwise keep its
 * window-resize listener forever. `id` and `liveKey` are checked by the caller (show.ts).
 */
function drawScript(id: string, liveKey?: string): string {
  const key = liveKey === undefined ? "" : scriptSafeJson(liveKey);
  const purgePrevious = liveKey
    ? [
        `    var live = window.__gtdLiveFigures || (window.__gtdLiveFigures = {});`,
        `    var previous = live[${key}];`,
        `    if (previous && previous !== el) { try { window.Plotly.purge(previous); } catch (e) {} }`,
        `    live[${key}] = el;`,
      ]
    : [];
  return [
    `<script type="text/javascript" class="${FIGURE_DRAW_CLASS}" ${FIGURE_ATTRIBUTE}="${id}">(function () {`,
    `  var expandFigure = ${String(expandFigure)};`,
    `  var started = Date.now();`,
    `  function draw() {`,
    `    var el = document.getElementById(${scriptSafeJson(id)});`,
    `    var data = document.querySelector(${scriptSafeJson(`script.${FIGURE_DATA_CLASS}[${FIGURE_ATTRIBUTE}="${id}"]`)});`,
    `    if (!el || !data || !window.Plotly) { if (Date.now() - started < 120000) setTimeout(draw, 50); return; }`,
    `    var spec = expandFigure(JSON.parse(data.textContent));`,
    `    var placeholder = el.querySelector(".gtd-placeholder");`,
    `    if (placeholder) placeholder.remove();`,
    ...purgePrevious,
    `    window.Plotly.react(el, spec.data, spec.layout, spec.config);`,
    `  }`,
    `  draw();`,
    `})();</script>`,
  ].join("\n");
}

/**
 * A figure's two scripts, to follow its `<div id="ID" class="gtd-figure">`: its payload as JSON data, and the
 * script that draws it in Jupyter. `id` must be safe in an attribute (letters, digits, "-", "_").
 */
export function figureScripts(figure: Figure, id: string, liveKey?: string): string {
  const data =
    `<script type="application/json" class="${FIGURE_DATA_CLASS}" ${FIGURE_ATTRIBUTE}="${id}">` +
    `${scriptSafeJson(compactFigure(figure))}</script>`;
  return `${data}\n${drawScript(id, liveKey)}`;
}
