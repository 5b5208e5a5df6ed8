// Printing a page of the book (and the whole-book PDF, pdf.ts): plotly draws a figure at a fixed
// pixel width, which print cannot scale, so a figure wider than the printed column is laid out again
// at the column's width before printing and put back after; the worked solutions (closed
// <details>) are opened, so that a printed "Solution" has its text under it; and a page shown in
// the dark theme prints light, figures included. Print fires `beforeprint`, and a print-emulating
// browser (page.emulateMedia) the `print` media query: either one prepares the page, once.
import type { PlotlyApi } from "./figures";

/**
 * The printed column in CSS pixels: an A4 page less book.css's @page margins of 15 mm each side
 * (180 mm = 680 px); a US letter page is wider.
 */
export const PRINT_WIDTH = 680;

type PlotElement = HTMLElement & {
  _fullLayout?: { width: number };
  layout?: { width?: number };
};

interface Prepared {
  opened: HTMLDetailsElement[];
  resized: { el: PlotElement; width: number | undefined }[];
  theme: string | undefined;
  /** Shown dark: drawn light for print, and dark again after. */
  dark: boolean;
}

function relayout(el: HTMLElement, update: Record<string, unknown>): void {
  const plotly = window.Plotly as
    (PlotlyApi & { relayout?: (el: HTMLElement, update: object) => Promise<unknown> }) | undefined;
  void plotly?.relayout?.(el, update);
}

/**
 * Sets printing up on this page. `redraw` draws every figure again in the current theme (book.ts's,
 * so that a dark page's figures print light).
 */
export function setupPrint(redraw: () => void): void {
  let prepared: Prepared | null = null;
  const root = document.documentElement;

  function before(): void {
    if (prepared) return;
    const theme = root.dataset.theme;
    const dark =
      theme === "dark" ||
      (theme === undefined && Boolean(window.matchMedia?.("(prefers-color-scheme: dark)").matches));
    prepared = { opened: [], resized: [], theme, dark };
    if (dark) {
      root.dataset.theme = "light";
      redraw();
    }
    document.querySelectorAll<HTMLDetailsElement>("details:not([open])").forEach((details) => {
      details.open = true;
      prepared!.opened.push(details);
    });
    document.querySelectorAll<PlotElement>(".gtd-figure.js-plotly-plot").forEach((el) => {
      const width = el._fullLayout?.width ?? 0;
      if (width <= PRINT_WIDTH) return;
      prepared!.resized.push({ el, width: el.layout?.width });
      relayout(el, { width: PRINT_WIDTH });
    });
  }

  function after(): void {
    if (!prepared) return;
    const { opened, resized, theme, dark } = prepared;
    prepared = null;
    opened.forEach((details) => (details.open = false));
    for (const { el, width } of resized) relayout(el, { width: width ?? null });
    if (dark) {
      if (theme === undefined) delete root.dataset.theme;
      else root.dataset.theme = theme;
      redraw();
    }
  }

  window.addEventListener("beforeprint", before);
  window.addEventListener("afterprint", after);
  const media = window.matchMedia?.("print");
  media?.addEventListener?.("change", (event) => (event.matches ? before() : after()));
  if (media?.matches) before();
}
