// The book's one page script: draws the figures from their JSON data, switches the theme, follows
// the reader's scroll in the table of contents, adds copy buttons to code cells, and runs the
// search. Bundled by esbuild (with MiniSearch and the figure payload's reader) into assets/book.js,
// loaded with `defer` after plotly.min.js (on pages with figures).
import MiniSearch, { type Options, type SearchOptions, type AsPlainObject } from "minisearch";
import type { Figure } from "../../../lib/src/notebook/plot/figure";
import { figureDataScripts, figureIdOf, readFigure } from "./figures";
import { setupPrint } from "./print";
import { setupRunButtons } from "./run-buttons";
import { NARROW, fitConfig, fitLayout } from "./fit";

declare global {
  interface Window {
    /** The search index (assets/search-index.js, written by search.ts), once loaded. */
    GTD_SEARCH_INDEX?: {
      index: AsPlainObject;
      options: Options & { searchOptions: SearchOptions };
    };
    /** The book's figure drawing, for the runner's outputs (runner/page.ts). */
    GTD_BOOK?: BookApi;
  }
}

/** What the page's runner (assets/runner.js, loaded on the first Run) uses of this script. */
export interface BookApi {
  /**
   * Draws every figure whose payload is in `root`, as the page draws its stored figures; a figure
   * drawn before is drawn again with its new payload (the live training figure's next frame).
   */
  drawFigures(root: ParentNode): void;
  /** Forgets the figures inside `root` (outputs about to be replaced). */
  forgetFigures(root: ParentNode): void;
}

const root = document.documentElement;

// ---------------------------------------------------------------- theme
type Theme = "light" | "dark";
const systemDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
function currentTheme(): Theme {
  const chosen = root.dataset.theme;
  if (chosen === "light" || chosen === "dark") return chosen;
  return systemDark && systemDark.matches ? "dark" : "light";
}
function setTheme(theme: Theme): void {
  root.dataset.theme = theme;
  try {
    localStorage.setItem("gtd-theme", theme);
  } catch {
    // not stored: the choice lasts for this page
  }
  themeChanged();
}
function themeChanged(): void {
  const toggle = document.getElementById("theme-toggle");
  const dark = currentTheme() === "dark";
  if (toggle) {
    toggle.setAttribute("aria-pressed", dark ? "true" : "false");
    toggle.setAttribute("aria-label", dark ? "Light theme" : "Dark theme");
  }
  redrawFigures();
}
systemDark?.addEventListener?.("change", themeChanged);

// ---------------------------------------------------------------- figures
const figures: DrawnFigure[] = [];

const DARK = {
  paper: "#1d2025",
  grid: "#3b4049",
  line: "#9aa3ad",
  text: "#dde1e6",
  legend: "rgba(29,32,37,0.85)",
};

type Layout = Record<string, unknown> & { width?: number; font?: object; legend?: object };

/** The figure's own layout in the light theme; in the dark one, the same with dark colours. */
function themedLayout(layout: Figure["layout"]): Layout {
  const copy = JSON.parse(JSON.stringify(layout || {})) as Layout;
  if (currentTheme() !== "dark") return copy;
  copy.paper_bgcolor = DARK.paper;
  copy.plot_bgcolor = DARK.paper;
  copy.font = { ...copy.font, color: DARK.text };
  for (const key of Object.keys(copy)) {
    if (/^[xy]axis\d*$/.test(key)) {
      copy[key] = { ...(copy[key] as object), gridcolor: DARK.grid, linecolor: DARK.line };
    }
  }
  copy.legend = { ...copy.legend, bgcolor: DARK.legend };
  return copy;
}

/** Black lines and markers would vanish on the dark background: they turn light grey there. */
function themedData(data: Figure["data"], layout: Figure["layout"]): unknown {
  if (currentTheme() !== "dark") return data;
  const black = new Set(["#000000", "#000", "black", "#222", "#222222"]);
  const copy = JSON.parse(JSON.stringify(data), (key, value) =>
    typeof value === "string" && black.has(value.toLowerCase()) && key === "color"
      ? DARK.text
      : value,
  ) as Array<Record<string, unknown>>;
  for (const trace of copy) {
    // Images (MNIST digits, weights: heatmaps with hidden axes) are drawn on white paper: in the
    // dark they would stay glaring white tiles, so their white turns to the dark paper and their
    // black ink to light. (A decision boundary's heatmap keeps its colours: they are its meaning.)
    const images = (layout.xaxis as { visible?: boolean } | undefined)?.visible === false;
    if (images && trace.type === "heatmap" && Array.isArray(trace.colorscale)) {
      trace.colorscale = (trace.colorscale as [number, string][]).map(([at, colour]) => [
        at,
        /^(#fff(fff)?|white)$/i.test(colour)
          ? DARK.paper
          : /^(#000(000)?|black)$/i.test(colour)
            ? DARK.text
            : colour,
      ]);
    }
  }
  return copy;
}

/** A finger, not a mouse: figures must let a swipe scroll the page. */
const coarse = window.matchMedia ? window.matchMedia("(pointer: coarse)") : null;
const isCoarse = () => Boolean(coarse?.matches);

function draw(figure: DrawnFigure): void {
  const { el, spec } = figure;
  el.querySelector(".gtd-placeholder")?.remove();
  // The width the column gives the figure (the div itself may be narrowed to a fixed-width figure).
  const column = el.parentElement?.clientWidth || el.clientWidth;
  const layout = themedLayout(spec.layout);
  // A figure made wider than the column is fitted to it (plotly then follows the column's width);
  // one narrower keeps its width, and its div shrinks to it, so no band of page shows beside it.
  if (layout.width && layout.width > column) {
    // A grid of images keeps its aspect (scaleanchor): a narrower figure is shorter too.
    const yaxis = layout.yaxis as { scaleanchor?: string } | undefined;
    if (yaxis?.scaleanchor && typeof layout.height === "number") {
      layout.height = Math.round(80 + ((layout.height - 80) * column) / layout.width);
    }
    delete layout.width;
  }
  el.style.maxWidth = layout.width ? `${layout.width}px` : "";
  const width = layout.width ?? column;
  figure.narrow = column < NARROW;
  const fitted = fitLayout(spec, layout, { width, coarse: isCoarse() && !figure.zooming });
  if (figure.zooming) fitted.dragmode = "zoom";
  const config = fitConfig(spec.config, { coarse: isCoarse(), zooming: figure.zooming });
  void window.Plotly!.react(el, themedData(spec.data, spec.layout), fitted, config);
}

/**
 * On a touch screen a figure does not take drags (they scroll the page); its "Zoom" button turns
 * zooming on (drag to zoom, the mode bar back) and "Done" turns it off and resets the axes.
 */
function addZoomButton(figure: DrawnFigure): void {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "zoom-button";
  button.textContent = "Zoom";
  button.setAttribute("aria-pressed", "false");
  button.addEventListener("click", () => {
    figure.zooming = !figure.zooming;
    button.textContent = figure.zooming ? "Done zooming" : "Zoom";
    button.setAttribute("aria-pressed", String(figure.zooming));
    draw(figure);
  });
  figure.el.insertAdjacentElement("afterend", button);
}

interface DrawnFigure {
  el: HTMLElement;
  spec: Figure;
  narrow: boolean;
  zooming: boolean;
}

/** Draws the figures whose payload is in `root` (the page, or an output the runner added). */
function drawFiguresIn(root: ParentNode): void {
  const scripts = figureDataScripts(root);
  if (!scripts.length) return;
  if (!window.Plotly) {
    console.error("book: plotly.js did not load, so the figures cannot be drawn");
    return;
  }
  for (const script of scripts) {
    const id = figureIdOf(script) ?? "";
    const el =
      (root as Element).querySelector?.<HTMLElement>(`[id="${id}"]`) ?? document.getElementById(id);
    if (!el) continue;
    // A figure drawn before gets its new data (the runner's live figure): plotly redraws in place.
    const known = figures.find((f) => f.el === el);
    if (known) {
      known.spec = readFigure(script);
      draw(known);
      continue;
    }
    const figure = { el, spec: readFigure(script), narrow: false, zooming: false };
    figures.push(figure);
    draw(figure);
    if (isCoarse()) addZoomButton(figure);
  }
}

function drawFigures(): void {
  drawFiguresIn(document);
  // A figure laid out for a narrow column is laid out again when the column widens (a phone turned
  // sideways), and the other way round; plotly itself follows the width within a layout.
  let pending = 0;
  window.addEventListener("resize", () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(() => {
      for (const figure of figures) {
        const width = figure.el.parentElement?.clientWidth ?? 0;
        if (width < NARROW !== figure.narrow) draw(figure);
      }
    }, 150);
  });
}

function redrawFigures(): void {
  figures.forEach(draw);
}

window.GTD_BOOK = {
  drawFigures: drawFiguresIn,
  forgetFigures(root) {
    for (let i = figures.length - 1; i >= 0; i--)
      if (root.contains(figures[i].el)) figures.splice(i, 1);
  },
};

// ---------------------------------------------------------------- table of contents
function followScroll(): void {
  const links = Array.from(document.querySelectorAll<HTMLAnchorElement>(".toc a[href^='#']"));
  if (!links.length) return;
  const targets = links.map((a) =>
    document.getElementById(decodeURIComponent(a.getAttribute("href")!.slice(1))),
  );
  let scheduled = false;
  function update(): void {
    scheduled = false;
    let active = 0;
    targets.forEach((t, i) => {
      if (t && t.getBoundingClientRect().top < 120) active = i;
    });
    links.forEach((a, i) => {
      if (i === active) a.setAttribute("aria-current", "location");
      else a.removeAttribute("aria-current");
    });
  }
  window.addEventListener(
    "scroll",
    () => {
      if (!scheduled) {
        scheduled = true;
        window.requestAnimationFrame(update);
      }
    },
    { passive: true },
  );
  update();
}

// ---------------------------------------------------------------- copy buttons
function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  return new Promise((resolve, reject) => {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    if (ok) resolve();
    else reject(new Error("copy refused"));
  });
}

/** A copy button on every listing: code cells, code in the prose and solutions, library code. */
function addCopyButtons(): void {
  document.querySelectorAll(".chapter pre").forEach((pre) => {
    const code = pre.querySelector("code");
    if (!code || pre.classList.contains("output")) return;
    const box = document.createElement("div");
    box.className = "code-box";
    pre.parentNode!.insertBefore(box, pre);
    box.appendChild(pre);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy the code");
    button.addEventListener("click", () => {
      copyText(code.textContent ?? "").then(
        () => flash(button, "Copied"),
        () => flash(button, "Select and copy"),
      );
    });
    box.appendChild(button);
  });
}

function flash(button: HTMLButtonElement, text: string): void {
  button.textContent = text;
  setTimeout(() => {
    button.textContent = "Copy";
  }, 1500);
}

// ---------------------------------------------------------------- search
interface Result {
  url: string;
  chapter: number | null;
  chapterTitle: string;
  title: string;
  excerpt: string;
}
let search: { engine: MiniSearch; options: SearchOptions } | null = null;
let loading: Promise<void> | null = null;

function loadIndex(): Promise<void> {
  if (loading) return loading;
  loading = new Promise<void>((resolve, reject) => {
    if (window.GTD_SEARCH_INDEX) return resolve();
    const script = document.createElement("script");
    script.src = "assets/search-index.js";
    script.onload = () => resolve();
    script.onerror = () => reject(new Error("the search index did not load"));
    document.head.appendChild(script);
  }).then(() => {
    const data = window.GTD_SEARCH_INDEX!;
    search = {
      engine: MiniSearch.loadJS(data.index, data.options),
      options: data.options.searchOptions,
    };
  });
  return loading;
}

function setupSearch(): void {
  const input = document.getElementById("search") as HTMLInputElement | null;
  const list = document.getElementById("search-results");
  if (!input || !list) return;
  let selected = -1;

  function span(className: string, text: string): HTMLSpanElement {
    const el = document.createElement("span");
    el.className = className;
    el.textContent = text;
    return el;
  }

  function render(query: string): void {
    list!.textContent = "";
    selected = -1;
    if (!query.trim()) {
      list!.hidden = true;
      return;
    }
    // Every word of the query first; any of them when no section has them all.
    let found = search!.engine.search(query, search!.options);
    if (!found.length)
      found = search!.engine.search(query, { ...search!.options, combineWith: "OR" });
    const results = found.slice(0, 8) as unknown as Result[];
    if (!results.length) {
      const none = document.createElement("li");
      none.className = "search-empty";
      none.textContent = "Nothing found for “" + query + "”";
      list!.appendChild(none);
    }
    for (const r of results) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = r.url;
      link.appendChild(
        span(
          "search-where",
          r.chapter == null ? r.chapterTitle : r.chapter + " · " + r.chapterTitle,
        ),
      );
      link.appendChild(span("search-title", r.title));
      link.appendChild(span("search-excerpt", r.excerpt));
      item.appendChild(link);
      list!.appendChild(item);
    }
    list!.hidden = false;
  }

  function choose(index: number): void {
    const links = list!.querySelectorAll("a");
    if (!links.length) return;
    selected = (index + links.length) % links.length;
    links.forEach((a, i) => a.classList.toggle("selected", i === selected));
    links[selected].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("focus", () => {
    loadIndex().catch(reportSearchError);
  });
  input.addEventListener("input", () => {
    loadIndex().then(() => render(input.value), reportSearchError);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      choose(selected + 1);
      event.preventDefault();
    } else if (event.key === "ArrowUp") {
      choose(selected - 1);
      event.preventDefault();
    } else if (event.key === "Escape") {
      list.hidden = true;
      input.blur();
    } else if (event.key === "Enter") {
      const links = list.querySelectorAll("a");
      if (links.length) window.location.href = links[Math.max(selected, 0)].href;
    }
  });
  document.addEventListener("keydown", (event) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName ?? "");
    if (event.key === "/" && !typing) {
      input.focus();
      event.preventDefault();
    }
  });
  document.addEventListener("click", (event) => {
    if (!(event.target as Element).closest(".search")) list.hidden = true;
  });
}

function reportSearchError(error: Error): void {
  console.error("book: " + error.message);
}

// ---------------------------------------------------------------- menu (narrow screens)
function setupMenu(): void {
  const button = document.querySelector<HTMLButtonElement>(".menu-toggle");
  const sidebar = document.getElementById("sidebar");
  if (!button || !sidebar) return;
  const setOpen = (open: boolean) => {
    sidebar.classList.toggle("open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  };
  button.addEventListener("click", () => setOpen(!sidebar.classList.contains("open")));
  // Escape closes it (and gives the focus back to its button); so does choosing a section of
  // this page in it, which would otherwise stay covered by the menu.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !sidebar.classList.contains("open")) return;
    setOpen(false);
    button.focus();
  });
  sidebar.addEventListener("click", (event) => {
    if ((event.target as Element).closest(".page-contents a")) setOpen(false);
  });
}

// ---------------------------------------------------------------- search box (phones)
/** On a phone the search box hides behind a button; opened, it takes the title's place. */
function setupSearchToggle(): void {
  const toggle = document.querySelector<HTMLButtonElement>(".search-toggle");
  const bar = document.querySelector(".topbar");
  const input = document.getElementById("search") as HTMLInputElement | null;
  if (!toggle || !bar || !input) return;
  const setOpen = (open: boolean) => {
    bar.classList.toggle("searching", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  };
  toggle.addEventListener("click", () => {
    setOpen(true);
    input.focus();
  });
  input.addEventListener("focus", () => setOpen(true));
  input.addEventListener("blur", () => {
    // After a tap on a result the page changes anyway; an empty box closes.
    if (!input.value) setOpen(false);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") setOpen(false);
  });
}

// ---------------------------------------------------------------- wide formulas and listings
/**
 * Marks the display formulas and listings wider than their box, which scroll sideways: the
 * stylesheet shades the edge they continue past (phones show no scroll bar), and the keyboard can
 * scroll them (tabindex).
 */
function markScrolling(): void {
  const mark = () => {
    document.querySelectorAll<HTMLElement>(".katex-display, .chapter pre").forEach((el) => {
      const scrolls = el.scrollWidth > el.clientWidth + 1;
      el.classList.toggle("scrolls", scrolls);
      if (scrolls && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
    });
  };
  mark();
  let pending = 0;
  window.addEventListener("resize", () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(mark, 200);
  });
}

function start(): void {
  document.getElementById("theme-toggle")?.addEventListener("click", () => {
    setTheme(currentTheme() === "dark" ? "light" : "dark");
  });
  themeChanged();
  drawFigures();
  followScroll();
  addCopyButtons();
  setupRunButtons();
  setupSearch();
  setupSearchToggle();
  setupMenu();
  setupPrint(redrawFigures);
  markScrolling();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
