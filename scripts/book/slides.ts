// Renders one executed chapter as a reveal.js deck (site/slides/<chapter>.html), from the same
// notebook as its book page. Which cell goes where is the cells' own slide metadata, as in Jupyter's
// slideshow mode and nbconvert's slides: `metadata.slideshow.slide_type` is one of
//   slide      starts a new slide (left-right)
//   subslide   starts a new slide below the current one (up-down, a step inside a section)
//   fragment   is added to the current slide, appearing on the next key press
//   -          is added to the current slide
//   notes      goes to the current slide's speaker notes (reveal's speaker view, key S)
//   skip       is left out
// and two tags refine it: `remove-input` shows a code cell's outputs without its code, and
// `slide-outline` shows a markdown cell's headings (each with the paragraph after it, when short)
// and display formulas, its whole text going to the speaker notes. The metadata is read from the committed notebook (a run does not depend on it;
// see notebookForExecution in scripts/notebooks.js), the outputs from the executed one.
import crypto from "crypto";
import * as acorn from "acorn";
import type { MarkdownIt } from "markdown-it";
import { cellText as join, type Cell, type Notebook } from "../notebook-format";
import { html, joinHtml, raw, type Html } from "./html";
import { CONTENT_SECURITY_POLICY, pageDocument } from "./layout";
import {
  chapterEnv,
  createMarkdown,
  highlight,
  renderOutput,
  type ChapterEnv,
  type Markdown,
  type OutputContext,
} from "./render";
import type { Book, Chapter } from "./types";

export const SLIDE_TYPES = ["slide", "subslide", "fragment", "-", "notes", "skip"] as const;
export type SlideType = (typeof SLIDE_TYPES)[number];
export const OUTLINE_TAG = "slide-outline";
export const REMOVE_INPUT_TAG = "remove-input";

const tagsOf = (cell: Cell) => cell.metadata?.tags ?? [];

/** A cell's slide type, or null when it has none. Throws on a type that is not one of SLIDE_TYPES. */
export function slideType(cell: Cell, where = "a cell"): SlideType | null {
  const type = cell.metadata?.slideshow?.slide_type;
  if (type === undefined) return null;
  if (!(SLIDE_TYPES as readonly string[]).includes(type)) {
    throw new Error(`${where} has slide_type ${JSON.stringify(type)}; use one of ${SLIDE_TYPES}`);
  }
  return type as SlideType;
}

/** The 1-based numbers of the cells that carry no slide type. */
export function untaggedCells(notebook: Notebook): number[] {
  return notebook.cells.flatMap((cell, i) => (slideType(cell) === null ? [i + 1] : []));
}

/** A markdown renderer for decks: the book's, with links to the book's pages made relative to slides/. */
function deckMarkdown(): Markdown {
  const markdown = createMarkdown();
  markdown.md.core.ruler.push("gtd_deck_links", (state) => {
    for (const token of state.tokens) {
      for (const child of token.type === "inline" ? (token.children ?? []) : []) {
        const href = child.type === "link_open" ? String(child.attrGet("href") ?? "") : null;
        if (href && /^\d\d-[a-z0-9-]+\.html(#.*)?$/.test(href)) child.attrSet("href", `../${href}`);
      }
    }
  });
  return markdown;
}

/** A paragraph right after a heading is kept on an outline slide when it is at most this long. */
const OUTLINE_LEAD = 280;

/**
 * What an outline slide shows of a markdown text: its headings, each with the paragraph that follows
 * it when that is short (the section's lead), and its display formulas.
 */
function outlineHtml(md: MarkdownIt, source: string, env: ChapterEnv): string {
  const tokens = md.parse(source, env);
  const kept: typeof tokens = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type === "heading_open") {
      kept.push(tokens[i], tokens[i + 1], tokens[i + 2]);
      const [open, inline, close] = tokens.slice(i + 3, i + 6);
      if (
        open?.type === "paragraph_open" &&
        open.level === 0 &&
        inline.content.length <= OUTLINE_LEAD
      )
        kept.push(open, inline, close);
    } else if (tokens[i].type.startsWith("math_block")) kept.push(tokens[i]);
  }
  return md.renderer.render(kept, md.options, env);
}

/** One cell as `{ slide, notes }` HTML: what goes on the slide, and what goes to the notes. */
function renderCell(
  cell: Cell,
  tags: string[],
  markdown: Markdown,
  context: OutputContext,
): { slide: string; notes: string } {
  if (cell.cell_type === "markdown") {
    const env = chapterEnv();
    const full = markdown.render(join(cell.source), env);
    if (env.mathErrors.length)
      throw new Error(`KaTeX cannot typeset: ${env.mathErrors.join("; ")}`);
    if (!tags.includes(OUTLINE_TAG)) return { slide: full, notes: "" };
    return { slide: outlineHtml(markdown.md, join(cell.source), chapterEnv()), notes: full };
  }
  if (cell.cell_type !== "code") return { slide: "", notes: "" };
  const input = tags.includes(REMOVE_INPUT_TAG)
    ? ""
    : html`<pre class="input"><code class="hljs language-typescript">${raw(highlight(join(cell.source)))}</code></pre>`
        .value;
  const outputs = cell.outputs.map((o) => renderOutput(o, context)).join("\n");
  if (!input && !outputs.trim()) return { slide: "", notes: "" };
  return { slide: `<div class="cell code">${input}${outputs}</div>`, notes: "" };
}

/**
 * The slides of an executed chapter, laid out by the committed notebook's slide metadata. Returns
 * `{ stacks, slides, figures, untagged }`: `stacks` the left-right slides, each a list of up-down
 * slides `{ parts, notes }` (HTML strings); `slides` their number in all; `untagged` the cells
 * without a slide type (shown as "-", continuing the current slide). The first slide is the
 * chapter's title and learning goals; the chapter's first cell, its introduction, fills its notes
 * when tagged `notes`.
 */
export function deckSlides(
  executed: Notebook,
  committed: Notebook,
  {
    plotlyBundleTag,
    heading,
    goals,
  }: { plotlyBundleTag: string; heading: string; goals: string[] },
): Deck {
  if (executed.cells.length !== committed.cells.length) {
    throw new Error("the executed notebook has a different number of cells than the committed one");
  }
  const markdown = deckMarkdown();
  const context: OutputContext = { plotlyBundleTag, figures: 0 };
  const title: Slide = {
    parts: [
      html`<h1>${heading}</h1>`.value,
      `<p class="goals-lead">By the end of this chapter you will be able to</p>`,
      html`<ul class="goals">${goals.map((g) => html`<li>${raw(g)}</li>`)}</ul>`.value,
    ],
    notes: [],
    title: true,
  };
  const stacks: Slide[][] = [[title]];
  const current = () => stacks.at(-1)!.at(-1)!;
  const untagged: number[] = [];
  committed.cells.forEach((cell, index) => {
    const where = `cell ${index + 1} of the notebook`;
    const ran = executed.cells[index];
    if (join(ran.source) !== join(cell.source)) {
      throw new Error(`${where} differs from its run: execute the chapter again`);
    }
    let type = slideType(cell, where);
    if (type === null) {
      untagged.push(index + 1);
      type = "-";
    }
    if (type === "skip") return;
    let rendered: { slide: string; notes: string };
    const figuresBefore = context.figures;
    try {
      rendered = renderCell(ran, tagsOf(cell), markdown, context);
    } catch (error) {
      (error as Error).message = `${where}: ${(error as Error).message}`;
      throw error;
    }
    if (type === "slide") stacks.push([{ parts: [], notes: [] }]);
    if (type === "subslide") stacks.at(-1)!.push({ parts: [], notes: [] });
    const slide = current();
    if (type === "notes") {
      context.figures = figuresBefore; // the notes show no figures: they are not the deck's
      slide.notes.push(rendered.slide, rendered.notes);
      return;
    }
    if (rendered.slide) {
      slide.parts.push(
        type === "fragment" ? `<div class="fragment">${rendered.slide}</div>` : rendered.slide,
      );
    }
    if (rendered.notes) slide.notes.push(rendered.notes);
  });
  return {
    stacks,
    slides: stacks.reduce((sum, stack) => sum + stack.length, 0),
    figures: context.figures,
    untagged,
  };
}

/** One slide: its parts and its speaker notes, HTML made by the renderer. */
export interface Slide {
  parts: string[];
  notes: string[];
  /** The deck's first slide: the chapter's title and goals. */
  title?: boolean;
}

/** A chapter's deck: left-right stacks of up-down slides, with counts. */
export interface Deck {
  stacks: Slide[][];
  slides: number;
  figures: number;
  /** The 1-based numbers of the cells without a slide type. */
  untagged: number[];
}

function sectionHtml(slide: Slide): Html {
  const notes = slide.notes.filter((n) => n.trim());
  return html`<section${slide.title ? raw(' class="title-slide"') : ""}>
${joinHtml(slide.parts.map(raw))}
${notes.length ? html`<aside class="notes">\n${joinHtml(notes.map(raw))}\n</aside>\n` : ""}</section>`;
}

/**
 * The CSP source of the one inline script of reveal's speaker view: the notes plugin writes the view
 * into a new window, which inherits the deck's policy, so the policy names that script by its hash.
 * Read from the plugin itself (`source`, dist/plugin/notes.js): the template literal it passes to
 * document.write, cooked as the browser gets it.
 */
export function speakerViewScriptHash(source: string): string {
  type AcornNode = { type?: unknown; [key: string]: unknown };
  type Template = {
    quasis: { value: { cooked: string } }[];
    expressions: unknown[];
  };
  const templates: Template[] = [];
  const visit = (node: AcornNode | null | undefined): void => {
    if (!node || typeof node.type !== "string") return;
    if (
      node.type === "TemplateLiteral" &&
      (node as unknown as Template).quasis.some((q) => q.value.cooked.includes("<script>"))
    )
      templates.push(node as unknown as Template);
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === "object") visit(value as AcornNode);
    }
  };
  visit(acorn.parse(source, { ecmaVersion: "latest" }) as unknown as AcornNode);
  if (templates.length !== 1 || templates[0].expressions.length) {
    throw new Error(
      "reveal's notes plugin no longer writes its speaker view as one plain template",
    );
  }
  const html = templates[0].quasis[0].value.cooked;
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  if (scripts.length !== 1)
    throw new Error(`the speaker view has ${scripts.length} inline scripts`);
  return `'sha256-${crypto.createHash("sha256").update(scripts[0]).digest("base64")}'`;
}

/**
 * The decks' Content-Security-Policy: the book's (figure specs travel as JSON data; nothing is
 * loaded from outside the site), with what the speaker view needs besides: its inline script, by
 * hash, and the deck itself in its frames (the current and the next slide).
 */
export function deckContentSecurityPolicy(speakerViewHash: string): string {
  return CONTENT_SECURITY_POLICY.replace(
    "script-src 'self'",
    `script-src 'self' ${speakerViewHash}`,
  ).concat("; frame-src 'self'");
}

/**
 * The deck's page, in site/slides/: reveal.js and its notes plugin, KaTeX's stylesheet and plotly.js
 * from the site's shared assets (../assets/), the deck's own script and style. `policy` is
 * deckContentSecurityPolicy's.
 */
export function deckPage({
  book,
  chapter,
  deck,
  policy,
}: {
  book: Book;
  chapter: Chapter;
  deck: Deck;
  policy: string;
}): string {
  const sections = deck.stacks.map((stack) =>
    stack.length === 1
      ? sectionHtml(stack[0])
      : html`<section>\n${joinHtml(stack.map(sectionHtml))}\n</section>`,
  );
  return pageDocument({
    title: `Slides: ${chapter.number} · ${chapter.title} · ${book.title}`,
    policy,
    assets: "../assets/",
    stylesheets: ["katex/katex.min.css", "reveal/reveal.css", "slides.css"],
    scripts: [
      ...(deck.figures ? [{ src: "plotly.min.js", defer: true }] : []),
      { src: "reveal/reveal.js", defer: true },
      { src: "reveal/plugin/notes.js", defer: true },
      { src: "slides.js", defer: true },
    ],
    body: html`<body>
<div class="reveal">
<div class="slides">
${joinHtml(sections)}
</div>
</div>
<nav class="deck-links" aria-label="Book">
  <a href="../${chapter.page}">Chapter ${chapter.number} in the book</a>
  <a href="../index.html">Contents</a>
</nav>
</body>`,
  });
}
