// A deck's one script (site/slides/*.html): starts reveal.js with the speaker notes plugin, and draws
// each slide's figures from their JSON data when the slide is shown, sized to the room the slide
// leaves them. Bundled by esbuild (with the figure payload's reader) into assets/slides.js, loaded
// with `defer` after plotly.min.js (on decks with figures) and reveal.js.
import { figureDataScriptOf, figureDataScripts, readFigure } from "./figures";

/** The part of reveal.js the deck uses (assets/reveal/reveal.js, as window.Reveal). */
interface RevealApi {
  initialize(options: Record<string, unknown>): Promise<unknown>;
  on(event: string, listener: (event: { currentSlide: HTMLElement }) => void): void;
  isPrintView(): boolean;
  getCurrentSlide(): HTMLElement;
}

declare global {
  interface Window {
    Reveal?: RevealApi;
    RevealNotes?: unknown;
  }
}

/** The slide's size in CSS pixels before reveal scales it to the window: 16:9. */
const WIDTH = 1280;
const HEIGHT = 720;
/**
 * The height a slide's content fills: the slide's, but for a strip at the bottom where reveal puts
 * the slide number and the arrows, which nothing on the slide should run into.
 */
const ROOM = HEIGHT - 40;
/** A figure is never drawn smaller than this, even if the slide then overflows (a test catches it). */
const MIN_FIGURE_HEIGHT = 180;
/** The figures' text on a slide, in px (the book's is 14). */
const FIGURE_FONT = 18;
/** The room a row of figures keeps when the text beside them is sized. */
const FIGURE_ROOM = 330;

/**
 * The body text's size on a slide, in the slide's pixels: each slide is set as large as it fits,
 * between these. Code, tables and outputs are SMALL_TEXT of it (slides.css), so at the smallest
 * they are 0.8 × 24 = 19.2 px: 18 px on a 1280×720 screen, where reveal scales the slide by 0.96 to
 * leave its margin (the slides test measures it). A slide with figures leaves them the room, its
 * text no larger than BODY_FONT.
 */
const MIN_FONT = 24;
const BODY_FONT = 28;
const MAX_FONT = 34;
/** Code, tables and outputs, in em of the body text (slides.css says the same). */
const SMALL_TEXT = 0.8;

/** The slide's content height without its figures, in unscaled pixels. */
function contentHeight(section: HTMLElement): number {
  const figures = Array.from(section.querySelectorAll<HTMLElement>(".gtd-figure"));
  const saved = figures.map((el) => el.style.display);
  for (const el of figures) el.style.display = "none";
  const height = section.scrollHeight;
  figures.forEach((el, i) => (el.style.display = saved[i]));
  return height;
}

/** The tables and display formulas of a slide, which fitWide narrows. */
const wideElements = (section: HTMLElement) =>
  Array.from(section.querySelectorAll<HTMLElement>(".katex-display > .katex, .output.html table"));

/**
 * Formulas and tables wider than the slide are set in a smaller font until they fit: a slide has
 * no scrollbars. A table goes no smaller than code does (MIN_FONT × SMALL_TEXT); if it is still too
 * wide, the slide overflows and the slides test names it.
 */
function fitWide(section: HTMLElement): void {
  const room = section.clientWidth;
  for (const el of wideElements(section)) {
    el.style.fontSize = "";
    if (el.scrollWidth <= room) continue;
    const smallest =
      el.tagName === "TABLE"
        ? (MIN_FONT * SMALL_TEXT) / parseFloat(getComputedStyle(el).fontSize)
        : 0;
    el.style.fontSize = Math.floor(100 * Math.max(smallest, room / el.scrollWidth)) + "%";
  }
}

/** The rows of figures a slide shows: up to three side by side (drawSlide lays them out so). */
function figureRows(section: HTMLElement): number {
  const figures = section.querySelectorAll(".gtd-figure").length;
  return Math.ceil(figures / Math.min(Math.max(figures, 1), 3));
}

/**
 * Sets a slide's text as large as it fits: the largest body size between MIN_FONT and MAX_FONT (or
 * BODY_FONT beside figures) at which the slide's text, with its figures' room, is no taller than the
 * slide and its tables no wider. Long content stops at MIN_FONT (and overflows: the test names it,
 * and the cells' slide metadata splits it).
 */
function fitText(section: HTMLElement): void {
  const rows = figureRows(section);
  const room = ROOM - rows * FIGURE_ROOM;
  const fits = (px: number) => {
    section.style.fontSize = px + "px";
    const tablesFit = Array.from(
      section.querySelectorAll<HTMLElement>(".output.html table, .table-halves"),
    ).every((el) => el.scrollWidth <= section.clientWidth);
    return tablesFit && contentHeight(section) <= room;
  };
  // What does not fit at the smallest size is laid out tighter, one way after another.
  for (const tighten of TIGHTER) if (!fits(MIN_FONT)) tighten(section);
  let low = MIN_FONT;
  let high = rows ? BODY_FONT : MAX_FONT;
  if (fits(high)) low = high;
  while (high - low > 0.5) {
    const middle = (low + high) / 2;
    if (fits(middle)) low = middle;
    else high = middle;
  }
  section.style.fontSize = Math.floor(low * 2) / 2 + "px";
  fitWide(section);
}

/** Rows of a table's body from which it may be set in two halves side by side. */
const HALVED_ROWS = 12;

/**
 * Ways to lay out a slide tighter when it does not fit at the smallest size, tried in turn: code
 * and output lines closer together; a long table in two halves side by side, each with its header;
 * a narrow output (an image in characters) beside the text that follows it.
 */
const TIGHTER: ((section: HTMLElement) => void)[] = [
  (section) => section.classList.add("tight"),
  (section) => {
    const tables = Array.from(section.querySelectorAll<HTMLTableElement>(".output.html table"));
    const long = tables.find((t) => (t.tBodies[0]?.rows.length ?? 0) >= HALVED_ROWS);
    if (long) halveTable(long);
  },
  (section) => {
    for (const pre of section.querySelectorAll<HTMLElement>("pre.output")) {
      pre.style.width = "max-content";
      if (pre.offsetWidth < section.clientWidth * 0.45) pre.classList.add("beside");
      else pre.style.width = "";
    }
  },
  // A drawing with a viewBox (chapter 9's graph) scales as a whole: shorter by what overflows, down to
  // 60% of its height, its width following.
  (section) => {
    const room = ROOM - figureRows(section) * FIGURE_ROOM;
    for (const svg of section.querySelectorAll<SVGSVGElement>(".output svg[viewBox]")) {
      const over = contentHeight(section) - room;
      if (over <= 0) return;
      svg.style.minWidth = "0";
      svg.style.width = "auto";
      svg.style.height = Math.max(svg.clientHeight - over, 0.6 * svg.clientHeight) + "px";
    }
  },
];

/** Sets a table as two tables side by side, each with the header and half the rows. */
function halveTable(table: HTMLTableElement): void {
  const body = table.tBodies[0];
  const second = table.cloneNode(true) as HTMLTableElement;
  const half = Math.ceil(body.rows.length / 2);
  Array.from(body.rows)
    .slice(half)
    .forEach((row) => row.remove());
  Array.from(second.tBodies[0].rows)
    .slice(0, half)
    .forEach((row) => row.remove());
  second.querySelector("caption")?.remove();
  const caption = table.querySelector("caption");
  const halves = document.createElement("div");
  halves.className = "table-halves";
  table.replaceWith(halves);
  if (caption) {
    const title = document.createElement("p");
    title.className = "table-caption";
    title.append(...Array.from(caption.childNodes));
    caption.remove();
    halves.before(title);
  }
  halves.append(table, second);
}

/**
 * Waits for what sets a slide's size once it is shown: the fonts it uses (KaTeX's load when a
 * formula is first shown) and its images.
 */
async function settled(section: HTMLElement): Promise<void> {
  void section.offsetHeight; // laid out, so that its fonts start loading
  await document.fonts.ready;
  await Promise.all(
    Array.from(section.querySelectorAll("img")).map((img) => img.decode().catch(() => {})),
  );
}

/**
 * Sets a slide's text to its size (fitText) once, then draws its figures that are not drawn yet,
 * sharing the height the slide has left. Marks the slide `data-fitted` when its text is set, for
 * the tests.
 */
async function drawSlide(section: HTMLElement | null | undefined): Promise<void> {
  if (!section || section.querySelector("section")) return; // a stack: its slides are drawn
  if (!section.dataset.fitted) {
    section.dataset.fitted = "pending";
    await settled(section);
    // reveal animates every property of a fragment: its size must change at once to be measured.
    section.classList.add("fitting");
    fitText(section);
    section.classList.remove("fitting");
    section.dataset.fitted = "true";
  }
  if (section.dataset.fitted !== "true") return;
  const Plotly = window.Plotly;
  if (!Plotly) return;
  const pending = Array.from(section.querySelectorAll<HTMLElement>(".gtd-figure")).filter(
    (el) => !el.classList.contains("js-plotly-plot"),
  );
  if (!pending.length) return;
  // Several figures share the slide in a grid of up to three columns.
  const columns = Math.min(pending.length, 3);
  const rows = Math.ceil(pending.length / columns);
  if (columns > 1) {
    for (const el of pending) {
      const box = el.closest<HTMLElement>(".output") || el;
      box.style.display = "inline-block";
      box.style.verticalAlign = "top";
      box.style.width = Math.floor(100 / columns) - 1 + "%";
    }
  }
  const room = (ROOM - contentHeight(section)) / rows;
  for (const el of pending) {
    const script = figureDataScriptOf(el, section);
    if (!script) continue;
    const spec = readFigure(script);
    const layout = JSON.parse(JSON.stringify(spec.layout || {})) as typeof spec.layout;
    // As tall as the slide leaves room for, and no taller than three quarters of its width; its
    // text as large as a lecture hall needs.
    const tallest = 0.75 * (el.clientWidth || WIDTH);
    layout.height = Math.round(Math.max(MIN_FIGURE_HEIGHT, Math.min(tallest, room - 20)));
    layout.font = { ...layout.font, size: FIGURE_FONT };
    delete layout.width; // the slide's width
    el.querySelector(".gtd-placeholder")?.remove();
    el.style.minHeight = "0";
    el.style.height = layout.height + "px";
    void Plotly.react(el, spec.data, layout, { ...spec.config, responsive: false });
  }
}

function drawAll(): Promise<unknown> {
  const sections = document.querySelectorAll<HTMLElement>(".reveal .slides section");
  return Promise.all(Array.from(sections).map(drawSlide));
}

function start(): void {
  const deck = window.Reveal;
  if (!deck) {
    console.error("slides: reveal.js did not load");
    return;
  }
  if (figureDataScripts().length && !window.Plotly) {
    console.error("slides: plotly.js did not load, so the figures cannot be drawn");
  }
  // In print mode (?print-pdf) reveal lays the slides out as pages, then says so: the figures are
  // drawn on their pages then.
  deck.on("pdf-ready", () => {
    void drawAll().then(() => (document.documentElement.dataset.pdfReady = "true"));
  });
  void deck
    .initialize({
      width: WIDTH,
      height: HEIGHT,
      margin: 0.04,
      center: false,
      hash: true,
      slideNumber: "c/t",
      showSlideNumber: "all",
      transition: "none",
      // → and ← step through every slide, the ones below a section's first too (reveal's default
      // mode leaves those to ↓ and Space: a lecturer pressing → would skip them).
      navigationMode: "linear",
      // One PDF page per slide: a fragment's later states are not pages of their own, and a slide
      // never spills onto a second page (reveal measures the pages before the figures are drawn,
      // when their boxes still have the notebook's heights; the slides test checks they fit).
      pdfSeparateFragments: false,
      pdfMaxPagesPerSlide: 1,
      plugins: window.RevealNotes ? [window.RevealNotes] : [],
    })
    .then(() => {
      // reveal 6 names it isPrintView (its type declarations still say isPrintingPDF).
      if (!deck.isPrintView()) void drawSlide(deck.getCurrentSlide());
      deck.on("slidechanged", (event) => void drawSlide(event.currentSlide));
      // For tests and tools: the deck is laid out and its first slide drawn.
      document.documentElement.dataset.deckReady = "true";
    });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
