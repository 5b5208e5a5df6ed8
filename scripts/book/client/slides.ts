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
/** A figure is never drawn smaller than this, even if the slide then overflows (a test catches it). */
const MIN_FIGURE_HEIGHT = 180;

/** The slide's content height without its figures, in unscaled pixels. */
function contentHeight(section: HTMLElement): number {
  const figures = Array.from(section.querySelectorAll<HTMLElement>(".gtd-figure"));
  const saved = figures.map((el) => el.style.display);
  for (const el of figures) el.style.display = "none";
  const height = section.scrollHeight;
  figures.forEach((el, i) => (el.style.display = saved[i]));
  return height;
}

/**
 * Formulas and tables wider than the slide are set in a smaller font until they fit: a slide has
 * no scrollbars.
 */
function fitWide(section: HTMLElement): void {
  const room = section.clientWidth;
  for (const el of section.querySelectorAll<HTMLElement>(
    ".katex-display > .katex, .output.html table",
  )) {
    if (el.dataset.fitted || el.scrollWidth <= room) continue;
    el.dataset.fitted = "true";
    el.style.fontSize = Math.floor((100 * room) / el.scrollWidth) + "%";
  }
}

/** Draws the figures of one slide that are not drawn yet, sharing the height the slide has left. */
function drawSlide(section: HTMLElement | null | undefined): void {
  if (!section) return;
  fitWide(section);
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
  const room = (HEIGHT - contentHeight(section)) / rows;
  for (const el of pending) {
    const script = figureDataScriptOf(el, section);
    if (!script) continue;
    const spec = readFigure(script);
    const layout = JSON.parse(JSON.stringify(spec.layout || {})) as typeof spec.layout;
    const wanted = layout.height || 400;
    layout.height = Math.round(Math.max(MIN_FIGURE_HEIGHT, Math.min(wanted, room - 8)));
    delete layout.width; // the slide's width
    el.querySelector(".gtd-placeholder")?.remove();
    el.style.minHeight = "0";
    el.style.height = layout.height + "px";
    void Plotly.react(el, spec.data, layout, { ...spec.config, responsive: false });
  }
}

function drawAll(): void {
  document.querySelectorAll<HTMLElement>(".reveal .slides section").forEach(drawSlide);
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
    drawAll();
    document.documentElement.dataset.pdfReady = "true";
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
      // One PDF page per slide: a fragment's later states are not pages of their own, and a slide
      // never spills onto a second page (reveal measures the pages before the figures are drawn,
      // when their boxes still have the notebook's heights; the slides test checks they fit).
      pdfSeparateFragments: false,
      pdfMaxPagesPerSlide: 1,
      plugins: window.RevealNotes ? [window.RevealNotes] : [],
    })
    .then(() => {
      // reveal 6 names it isPrintView (its type declarations still say isPrintingPDF).
      if (!deck.isPrintView()) drawSlide(deck.getCurrentSlide());
      deck.on("slidechanged", (event) => drawSlide(event.currentSlide));
      // For tests and tools: the deck is laid out and its first slide drawn.
      document.documentElement.dataset.deckReady = "true";
    });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
