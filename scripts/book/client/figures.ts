// The figures of a page or a deck: each is a `<div class="gtd-figure">` with its payload beside it in a
// `<script type="application/json">` (lib/src/notebook/plot/payload.ts owns that format).
import type { Figure } from "../../../lib/src/notebook/plot/figure";
import {
  FIGURE_ATTRIBUTE,
  FIGURE_DATA_CLASS,
  expandFigure,
  readFigurePayload,
} from "../../../lib/src/notebook/plot/payload";

/** The part of plotly.js the pages use (loaded from assets/plotly.min.js as window.Plotly). */
export interface PlotlyApi {
  react(el: HTMLElement, data: unknown, layout: unknown, config?: unknown): Promise<unknown>;
}

declare global {
  interface Window {
    Plotly?: PlotlyApi;
  }
}

/** Every figure's payload script in `root`. */
export function figureDataScripts(root: ParentNode = document): HTMLScriptElement[] {
  return Array.from(root.querySelectorAll<HTMLScriptElement>(`script.${FIGURE_DATA_CLASS}`));
}

/** The payload script of the figure drawn into `el`, if `root` holds it. */
export function figureDataScriptOf(
  el: HTMLElement,
  root: ParentNode = document,
): HTMLScriptElement | null {
  return root.querySelector<HTMLScriptElement>(
    `script.${FIGURE_DATA_CLASS}[${FIGURE_ATTRIBUTE}="${el.id}"]`,
  );
}

/** The id of the figure's `<div>` that a payload script names. */
export function figureIdOf(script: HTMLScriptElement): string | null {
  return script.getAttribute(FIGURE_ATTRIBUTE);
}

/** The plotly figure ({ data, layout, config }) a payload script holds. */
export function readFigure(script: HTMLScriptElement): Figure {
  return expandFigure(readFigurePayload(script.textContent ?? ""));
}
