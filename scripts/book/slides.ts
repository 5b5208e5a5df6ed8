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
// `slide-outline` shows an outline of a markdown cell (each section's heading and lead, its labelled
// display formulas, its exercises; see outlineItems), its whole text going to the speaker notes.
// Each `##` or `###` heading in a markdown cell starts a slide of its own, a code cell too long for
// one slide goes on on the next, and a slide whose cells give it no heading gets its section's as
// its title. The metadata is read from the committed notebook (a run does not depend on it; see
// notebookForExecution in scripts/notebooks.js), the outputs from the executed one.
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

/** The lead an outline slide shows of a section's first paragraph: its sentences up to this long. */
const OUTLINE_LEAD = 280;
/** A sentence that introduces a formula ("…, as in equation 1:") is shown with it up to this long. */
const FORMULA_CONTEXT = 140;
/**
 * How much an outline slide holds before it goes on on a second slide, in lines of body text: a
 * slide of 720 px holds about 16 at the body's 28 px; the rest is room to set it larger.
 */
const OUTLINE_LINES = 13;
/** Characters of prose per line on a slide, for that estimate. */
const LINE_CHARS = 70;

/**
 * The sentences of a paragraph's markdown: it is split after ".", "!" or "?" (and any closing `**`,
 * `*`, `)` or quote) followed by a space and a capital, `*` or a backtick; never inside `code` or
 * `$maths$`.
 */
export function sentences(text: string): string[] {
  const found: string[] = [];
  let start = 0;
  let code = false;
  let math = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && !code) i++;
    else if (c === "`" && !math) code = !code;
    else if (c === "$" && !code) math = !math;
    else if (!code && !math && ".!?".includes(c)) {
      let end = i + 1;
      while (end < text.length && "*_)\"'’”".includes(text[end])) end++;
      const space = /^\s+/.exec(text.slice(end))?.[0].length ?? 0;
      if (space && /[A-Z*`]/.test(text[end + space] ?? "")) {
        found.push(text.slice(start, end).trim());
        start = end + space;
        i = start - 1;
      }
    }
  }
  const last = text.slice(start).trim();
  if (last) found.push(last);
  return found;
}

/** A lead shorter than this takes the next sentence too, whatever its length ("Now the check."). */
const SHORT_LEAD = 100;

/**
 * The first sentences of a text up to `limit` characters, and at least SHORT_LEAD of them; a first
 * sentence longer than twice the limit is cut at a space before it, with "…".
 */
function leadOf(text: string, limit: number): string {
  let lead = "";
  for (const sentence of sentences(text)) {
    if (lead.length >= SHORT_LEAD && lead.length + sentence.length + 1 > limit) break;
    lead = lead ? `${lead} ${sentence}` : sentence;
  }
  return lead.length > 2 * limit ? clipped(lead, limit) : lead;
}

/** A text cut at its last space before `limit` that is not inside `code` or `$maths$`, with "…". */
function clipped(text: string, limit: number): string {
  let code = false;
  let math = false;
  let cut = 0;
  for (let i = 0; i < Math.min(limit, text.length); i++) {
    const c = text[i];
    if (c === "\\" && !code) i++;
    else if (c === "`" && !math) code = !code;
    else if (c === "$" && !code) math = !math;
    else if (/\s/.test(c) && !code && !math) cut = i;
  }
  return cut ? `${text.slice(0, cut).replace(/[\s,;:]+$/, "")} …` : text;
}

/** A paragraph that opens with a bold label: "**Equation 1: the error.** …", "**2.** *(easy)* …". */
const BOLD_LEAD = /^\*\*[^*]+\*\*/;

/**
 * What an outline slide shows of a bold-led paragraph: its label, when that is a sentence of its own
 * ("**Equation 3: the bias gradient.** $b_l$ is…"), with the next sentence unless a formula follows
 * to say it; otherwise its first sentence ("**2.** *(easy)* Run a check on…").
 */
function labelOf(text: string, formulaFollows: boolean): string {
  const label = BOLD_LEAD.exec(text)![0];
  if (!/[.!?:]\*\*$/.test(label)) return sentences(text)[0];
  const next = sentences(text.slice(label.length))[0];
  return formulaFollows || !next ? label : `${label} ${next}`;
}

/** One thing an outline slide shows: its markdown, its estimated height, and where it starts. */
interface OutlineItem {
  markdown: string;
  /** Lines of body text it takes, estimated. */
  lines: number;
  /** The source line it comes from, for dividing the notes between the slides. */
  line: number;
  /** It introduces the formula after it, and stays on the same slide. */
  joinsNext: boolean;
}

/** A display formula's height in lines: more for fractions, sums, matrices. */
function formulaLines(tex: string): number {
  return /\\(frac|sum|prod|begin|int|underbrace|overbrace)/.test(tex) ? 2.3 : 1.5;
}

const textLines = (markdown: string) =>
  Math.max(1, Math.ceil(markdown.replace(/\$[^$]*\$|[*`]/g, "xx").length / LINE_CHARS));

/**
 * The items an outline slide shows of a markdown text (one section, or the text before a section):
 * its heading; the lead of its first paragraph; each bold-led paragraph's label (an equation's name,
 * an exercise's first sentence); its display formulas, each with the label or short sentence that
 * introduces it.
 */
function outlineItems(md: MarkdownIt, source: string): OutlineItem[] {
  const tokens = md.parse(source, chapterEnv()).filter((t) => t.level === 0 || t.type === "inline");
  const lines = source.split("\n");
  const items: OutlineItem[] = [];
  let paragraphs = 0;
  tokens.forEach((token, i) => {
    const line = token.map?.[0] ?? 0;
    const formulaFollows = tokens[i + 3]?.type.startsWith("math_block") ?? false;
    if (token.type === "heading_open") {
      const markdown = lines.slice(token.map![0], token.map![1]).join("\n");
      items.push({ markdown, lines: 1.6, line, joinsNext: false });
    } else if (token.type === "paragraph_open") {
      const text = tokens[i + 1].content;
      paragraphs++;
      let shown = "";
      if (BOLD_LEAD.test(text)) shown = labelOf(text, formulaFollows);
      else if (paragraphs === 1) shown = leadOf(text, OUTLINE_LEAD);
      else if (formulaFollows) {
        const last = sentences(text).at(-1) ?? "";
        if (last.length <= FORMULA_CONTEXT) shown = last;
      }
      if (shown)
        items.push({ markdown: shown, lines: textLines(shown), line, joinsNext: formulaFollows });
    } else if (token.type.startsWith("math_block")) {
      const markdown = lines.slice(token.map![0], token.map![1]).join("\n");
      items.push({ markdown, lines: formulaLines(token.content), line, joinsNext: false });
    }
  });
  return items;
}

/**
 * Outline items divided into slides of at most OUTLINE_LINES estimated lines, a formula never apart
 * from the sentence that introduces it. Each slide is `{ items, line }`, the source line it starts at.
 */
function outlineSlides(items: OutlineItem[]): OutlineItem[][] {
  const groups: OutlineItem[][] = [];
  items.forEach((item, i) => {
    if (i > 0 && items[i - 1].joinsNext) groups.at(-1)!.push(item);
    else groups.push([item]);
  });
  const slides: OutlineItem[][] = [];
  let used = Infinity;
  for (const group of groups) {
    const lines = group.reduce((sum, item) => sum + item.lines, 0);
    if (used + lines > OUTLINE_LINES && used > 0) {
      slides.push([]);
      used = 0;
    }
    slides.at(-1)!.push(...group);
    used += lines;
  }
  return slides;
}

/** A markdown text rendered, failing on a formula KaTeX cannot typeset. */
function renderMarkdown(markdown: Markdown, source: string): string {
  const env = chapterEnv();
  const rendered = markdown.render(source, env);
  if (env.mathErrors.length) throw new Error(`KaTeX cannot typeset: ${env.mathErrors.join("; ")}`);
  return rendered;
}

/**
 * A part of a cell on its way into the deck: where it goes (a slide type, as a cell's), what it shows
 * and what it adds to the speaker notes (HTML), and the heading it opens with, if any (inline HTML,
 * the title of the slides that follow it).
 */
export interface Piece {
  type: SlideType;
  slide: string;
  notes: string;
  heading?: string;
}

/** A markdown text divided at its `##` and `###` headings: the text before the first, then one each. */
function sectionsOf(md: MarkdownIt, source: string): { source: string; heading?: string }[] {
  const lines = source.split("\n");
  const headings = md
    .parse(source, chapterEnv())
    .flatMap((token, i, tokens) =>
      token.type === "heading_open" && token.level === 0 && ["h2", "h3"].includes(token.tag)
        ? [{ line: token.map![0], inline: tokens[i + 1] }]
        : [],
    );
  const starts = [0, ...headings.map((h) => h.line), lines.length];
  return starts.slice(0, -1).map((start, k) => ({
    source: lines.slice(start, starts[k + 1]).join("\n"),
    heading:
      k > 0
        ? md.renderer.renderInline(headings[k - 1].inline.children ?? [], md.options, {})
        : undefined,
  }));
}

/**
 * A markdown cell's pieces. Each `##` or `###` heading in it starts a slide of its own (a slide or a
 * subslide, as its level says; the first takes the cell's type), so a cell that goes on into the next
 * section does not put two sections on one slide. A cell tagged slide-outline shows an outline of
 * each section (outlineItems), on as many slides as it needs, its whole text going to the notes; its
 * text before the first heading, the end of the section before, adds its lead to the current slide
 * as a fragment (the result that slide shows).
 */
export function markdownPieces(
  markdown: Markdown,
  source: string,
  { type, outline }: { type: SlideType; outline: boolean },
): Piece[] {
  const sections = sectionsOf(markdown.md, source);
  const [before, ...headed] = sections;
  const pieces: Piece[] = [];
  if (before.source.trim()) {
    const continues = headed.length > 0;
    const beforeType: SlideType =
      type === "notes"
        ? "notes"
        : !continues
          ? type
          : outline
            ? "fragment"
            : type === "fragment"
              ? "fragment"
              : "-";
    const full = renderMarkdown(markdown, before.source);
    if (!outline || type === "notes") pieces.push({ type: beforeType, slide: full, notes: "" });
    else if (continues) {
      const lead = leadOf(
        markdown.md.parse(before.source, chapterEnv()).find((t) => t.type === "inline")?.content ??
          "",
        OUTLINE_LEAD,
      );
      pieces.push({ type: beforeType, slide: renderMarkdown(markdown, lead), notes: full });
    } else pieces.push(...outlinePieces(markdown, before.source, beforeType));
  }
  headed.forEach((section, k) => {
    const level = section.source.startsWith("###") ? "subslide" : "slide";
    const sectionType: SlideType =
      type === "notes"
        ? "notes"
        : k === 0 && (!before.source.trim() || type === "slide" || type === "subslide")
          ? type
          : level;
    const shown =
      outline && type !== "notes"
        ? outlinePieces(markdown, section.source, sectionType)
        : [{ type: sectionType, slide: renderMarkdown(markdown, section.source), notes: "" }];
    shown[0].heading = section.heading;
    pieces.push(...shown);
  });
  return pieces;
}

/** An outline of one section as pieces: its first slide of the given type, the rest below it. */
function outlinePieces(markdown: Markdown, source: string, type: SlideType): Piece[] {
  const lines = source.split("\n");
  const slides = outlineSlides(outlineItems(markdown.md, source));
  if (!slides.length) return [{ type, slide: "", notes: renderMarkdown(markdown, source) }];
  return slides.map((items, k) => {
    const from = k === 0 ? 0 : items[0].line;
    const to = k + 1 < slides.length ? slides[k + 1][0].line : lines.length;
    return {
      type: k === 0 ? type : "subslide",
      slide: renderMarkdown(markdown, items.map((item) => item.markdown).join("\n\n")),
      notes: renderMarkdown(markdown, lines.slice(from, to).join("\n")),
    };
  });
}

/**
 * How many lines of code or output a slide holds at the smallest size it sets them in (19 px, see
 * client/slides.ts), below its title; and how many characters such a line holds before it wraps.
 */
const CODE_LINES = 22;
const CODE_CHARS = 100;
/** A figure's share of a slide in those lines: about the smallest height it is drawn at. */
const FIGURE_LINES = 9;

/** Lines a text takes in a `<pre>` that wraps at CODE_CHARS. */
const preLines = (text: string) =>
  text
    .replace(/\n$/, "")
    .split("\n")
    .reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / CODE_CHARS)), 0);

/** Characters of a table's text a slide's width holds in one line, at the smallest size. */
const TABLE_CHARS = 110;

/**
 * The lines a table takes: its rows, each as many lines as its columns' widest cells need together
 * beyond the slide's width (then the browser wraps them), its header and caption.
 */
function tableLines(markup: string): number {
  const rows = [...markup.matchAll(/<tr[\s>][\s\S]*?<\/tr>/g)].map((row) =>
    [...row[0].matchAll(/<t[hd][\s>]([\s\S]*?)<\/t[hd]>/g)].map((cell) => textOf(cell[1]).length),
  );
  const columns = Math.max(0, ...rows.map((cells) => cells.length));
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(0, ...rows.map((cells) => cells[c] ?? 0)),
  );
  const perRow = Math.ceil(widths.reduce((sum, w) => sum + w + 2, 0) / TABLE_CHARS);
  return rows.length * 1.15 * Math.max(1, perRow) + (markup.includes("<caption") ? 1 : 0) + 0.5;
}

const textOf = (markup: string) => markup.replace(/<[^>]+>/g, "").replace(/&[a-z#0-9]+;/g, "x");

/** The lines a rendered output takes on a slide, estimated from its HTML, with its margins. */
function outputLines(markup: string): number {
  if (!markup.trim()) return 0;
  const figures = (markup.match(/class="gtd-figure"/g) ?? []).length;
  if (figures) return figures * FIGURE_LINES;
  if (/^<div class="output image"/.test(markup)) return FIGURE_LINES;
  if (/<table[\s>]/.test(markup)) return tableLines(markup);
  return preLines(textOf(markup)) + 1.1;
}

/** Lines of a narrow output, one that a slide sets beside what follows it (an image in characters). */
const NARROW_CHARS = 40;

/** A printed output of at least 10 lines, none longer than NARROW_CHARS. */
function isNarrow(markup: string): boolean {
  if (!markup.startsWith(`<pre class="output`)) return false;
  const lines = textOf(markup).split("\n");
  return lines.length >= 10 && lines.every((line) => line.length <= NARROW_CHARS);
}

/**
 * A code cell on slides: its code (unless tagged remove-input) and its outputs, as HTML, on one
 * slide, or on several when they would not fit one at the smallest size (CODE_LINES): the code with
 * the outputs that fit, the rest on the slides after, in order. None when it shows nothing.
 */
export function codeSlides(cell: Cell, tags: string[], context: OutputContext): string[] {
  if (cell.cell_type !== "code") return [];
  const blocks: { markup: string; lines: number }[] = [];
  if (!tags.includes(REMOVE_INPUT_TAG)) {
    const markup =
      html`<pre class="input"><code class="hljs language-typescript">${raw(highlight(join(cell.source)))}</code></pre>`
        .value;
    blocks.push({ markup, lines: preLines(join(cell.source)) + 1.2 });
  }
  for (const output of cell.outputs) {
    const markup = renderOutput(output, context);
    if (markup.trim()) blocks.push({ markup, lines: outputLines(markup) });
  }
  const slides: string[][] = [];
  let used = Infinity;
  let beside = 0; // lines beside a narrow output, where what follows it goes (client/slides.ts)
  for (const block of blocks) {
    const lines = Math.max(0, block.lines - beside);
    beside = Math.max(0, beside - block.lines);
    if (lines > 0 && used + lines > CODE_LINES) {
      slides.push([]);
      used = 0;
    }
    slides.at(-1)!.push(block.markup);
    used += lines;
    if (isNarrow(block.markup)) beside = block.lines;
  }
  return slides.map((markups) => `<div class="cell code">${markups.join("\n")}</div>`);
}

/** A code cell's slides as pieces: the first where the cell's type puts it, the rest below it. */
function codePieces(slides: string[], type: SlideType): Piece[] {
  if (!slides.length) return [{ type, slide: "", notes: "" }];
  return slides.map((slide, k) => ({
    type: k === 0 || type === "notes" ? type : "subslide",
    slide,
    notes: "",
  }));
}

/** Whether a slide's first part is a heading, its title. */
const startsWithHeading = (part: string | undefined) => /^\s*<h[1-3][\s>]/.test(part ?? "");

/**
 * The slides of an executed chapter, laid out by the committed notebook's slide metadata. Returns
 * `{ stacks, slides, figures, untagged }`: `stacks` the left-right slides, each a list of up-down
 * slides `{ parts, notes }` (HTML strings); `slides` their number in all; `untagged` the cells
 * without a slide type (shown as "-", continuing the current slide). The first slide is the
 * chapter's title and learning goals; the chapter's first cell, its introduction, fills its notes
 * when tagged `notes`. Every slide has a title: a slide that does not open with a heading gets the
 * one of the section it is in.
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
  let section = html`${heading}`.value;
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
    let pieces: Piece[];
    const figuresBefore = context.figures;
    try {
      pieces =
        ran.cell_type === "markdown"
          ? markdownPieces(markdown, join(ran.source), {
              type,
              outline: tagsOf(cell).includes(OUTLINE_TAG),
            })
          : codePieces(codeSlides(ran, tagsOf(cell), context), type);
    } catch (error) {
      (error as Error).message = `${where}: ${(error as Error).message}`;
      throw error;
    }
    for (const piece of pieces) {
      if (piece.heading) section = piece.heading;
      if (piece.type === "slide") stacks.push([{ parts: [], notes: [], section }]);
      if (piece.type === "subslide") stacks.at(-1)!.push({ parts: [], notes: [], section });
      const slide = current();
      if (piece.type === "notes") {
        context.figures = figuresBefore; // the notes show no figures: they are not the deck's
        slide.notes.push(piece.slide, piece.notes);
        continue;
      }
      if (piece.slide) {
        slide.parts.push(
          piece.type === "fragment" ? `<div class="fragment">${piece.slide}</div>` : piece.slide,
        );
      }
      if (piece.notes) slide.notes.push(piece.notes);
    }
  });
  for (const slide of stacks.flat()) {
    if (!slide.title && !startsWithHeading(slide.parts[0]))
      slide.parts.unshift(`<h2 class="running-title">${slide.section}</h2>`);
  }
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
  /** The heading of the section it is in (inline HTML): its title when its cells give it none. */
  section?: string;
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
