// Turns the library's notebook outputs into book markup: a figure keeps its `<div class="gtd-figure">`
// and its payload, the `<script type="application/json">` that the site's own script draws from
// (lib/src/notebook/plot/payload.ts owns that format), and loses the script that draws it in Jupyter
// (the page's Content-Security-Policy runs no inline script); the output that inlines plotly.js is
// dropped (the site loads it once from assets/), and the library's source listings are highlighted.
// Output HTML is parsed with parse5: no regular expression reads HTML.
import * as parse5 from "parse5";
import type { DefaultTreeAdapterMap } from "parse5";
import hljs from "highlight.js/lib/common";
import type { Figure } from "../../lib/src/notebook/plot/figure";
import {
  FIGURE_ATTRIBUTE,
  FIGURE_CLASS,
  FIGURE_DATA_CLASS,
  FIGURE_DRAW_CLASS,
  expandFigure,
  readFigurePayload,
} from "../../lib/src/notebook/plot/payload";

type Node = DefaultTreeAdapterMap["node"];
type ParentNode = DefaultTreeAdapterMap["parentNode"];
type ChildNode = DefaultTreeAdapterMap["childNode"];
type Element = DefaultTreeAdapterMap["element"];
type TextNode = DefaultTreeAdapterMap["textNode"];

const isElement = (node: Node): node is Element => "tagName" in node;

function attr(node: Element, name: string): string | undefined {
  return node.attrs.find((a) => a.name === name)?.value;
}

function setAttr(node: Element, name: string, value: string): void {
  const found = node.attrs.find((a) => a.name === name);
  if (found) found.value = value;
  else node.attrs.push({ name, value });
}

function removeAttr(node: Element, name: string): void {
  node.attrs = node.attrs.filter((a) => a.name !== name);
}

function classes(node: Element): string[] {
  return (attr(node, "class") ?? "").split(/\s+/).filter(Boolean);
}

function textOf(node: Node): string {
  if (node.nodeName === "#text") return (node as TextNode).value;
  return ("childNodes" in node ? node.childNodes : []).map(textOf).join("");
}

function* walk(node: Node): Generator<Node> {
  yield node;
  // Copy: callers replace children while walking.
  for (const child of "childNodes" in node ? [...node.childNodes] : []) yield* walk(child);
  if (isElement(node) && node.tagName === "template")
    yield* walk((node as DefaultTreeAdapterMap["template"]).content);
}

/** The elements of a tree with this tag name and class. */
function elementsOf(root: Node, tagName: string, className?: string): Element[] {
  return [...walk(root)].filter(
    (node): node is Element =>
      isElement(node) &&
      node.tagName === tagName &&
      (!className || classes(node).includes(className)),
  );
}

function fragmentOf(html: string): DefaultTreeAdapterMap["documentFragment"] {
  return parse5.parseFragment(html);
}

function replaceChildren(node: ParentNode, children: ChildNode[]): void {
  node.childNodes = children;
  for (const child of children) child.parentNode = node;
}

export const PLACEHOLDER =
  "This interactive figure is drawn by the page's script; it needs JavaScript.";

function paragraph(className: string, value: string): Element {
  const node = parse5.parseFragment(`<p class="${className}"></p>`).childNodes[0] as Element;
  replaceChildren(node, [{ nodeName: "#text", value, parentNode: node } as TextNode]);
  return node;
}

/** What numbering and describing a cell's figures needs. */
export interface FigureLabels {
  /** The chapter's number: figures are numbered "Figure 5.1", "Figure 5.2", … in it. */
  chapter?: number;
  /** How many figures of the chapter came before this output. */
  before?: number;
  /** The cell's one-line descriptions of its figures, in order (cell metadata figure_descriptions). */
  descriptions?: readonly string[];
}

/**
 * Rewrites one `text/html` output for the book. Returns `{ html, figures, dropped }`: the markup,
 * how many figures it holds, and whether the whole output was the plotly bundle (then html is "").
 * Throws on any other script, which the page's Content-Security-Policy would refuse to run, and on a
 * figure without its payload or a payload that is not one. Each figure gets a text alternative
 * (`role="img"` and an `aria-label` from its title, axes, series and the cell's description); with a
 * chapter number it is also wrapped in a `<figure>` with its number as caption and anchor.
 */
export function rewriteHtmlOutput(
  html: string,
  {
    plotlyBundleTag,
    chapter,
    before = 0,
    descriptions = [],
  }: { plotlyBundleTag: string } & FigureLabels,
): { html: string; figures: number; dropped: boolean } {
  if (html.trim() === plotlyBundleTag.trim()) return { html: "", figures: 0, dropped: true };
  const fragment = fragmentOf(html);
  const figures = elementsOf(fragment, "div", FIGURE_CLASS);
  const ids = new Set(figures.map((f) => attr(f, "id")));
  const drawn = new Set<string>();
  const specs = new Map<string, Figure>();
  for (const script of elementsOf(fragment, "script")) {
    const type = attr(script, "type");
    const figure = attr(script, FIGURE_ATTRIBUTE);
    if (classes(script).includes(FIGURE_DATA_CLASS) && type === "application/json") {
      if (!figure || !ids.has(figure))
        throw new Error(`a figure's data names no figure of its output (${figure})`);
      // Throws, saying why, on data that is not a figure.
      specs.set(figure, expandFigure(readFigurePayload(textOf(script))));
      drawn.add(figure);
      continue;
    }
    if (type && type !== "text/javascript" && type !== "application/javascript") continue;
    // The library's drawing script is for Jupyter: the site's own script draws from the data.
    if (!classes(script).includes(FIGURE_DRAW_CLASS) || !figure || !ids.has(figure)) {
      throw new Error(
        `an output holds a script that is not one of the library's figures:\n` +
          textOf(script).slice(0, 300),
      );
    }
    const siblings = script.parentNode!.childNodes;
    siblings.splice(siblings.indexOf(script), 1);
  }
  const missing = figures.filter((f) => !drawn.has(attr(f, "id") ?? ""));
  if (missing.length)
    throw new Error(`${missing.length} figure(s) in an output without their data`);
  for (const figure of figures) {
    // The notebook's placeholder asks the reader to run or trust the notebook; the book's says what
    // it needs. (The div keeps its style: full width, and the figure's height reserved while it is
    // drawn.)
    replaceChildren(figure, [paragraph("gtd-placeholder", PLACEHOLDER)]);
  }
  figures.forEach((figure, k) => {
    const description = descriptions[k];
    const label = chapter === undefined ? null : `Figure ${chapter}.${before + k + 1}`;
    const alt = figureAlternative(specs.get(attr(figure, "id") ?? "")!, description);
    setAttr(figure, "role", "img");
    setAttr(figure, "aria-label", label ? `${label}: ${alt}` : alt);
    if (label)
      numberFigure(figure, label, description ?? figureTitle(specs.get(attr(figure, "id")!)!));
  });
  for (const div of elementsOf(fragment, "div", "gtd-source")) highlightSource(div);
  return { html: parse5.serialize(fragment), figures: figures.length, dropped: false };
}

/** A figure's title as text (plotly titles may hold <br>, <sub>, <b>). */
function plainText(markup: string): string {
  return markup
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function titleOf(value: unknown): string {
  if (typeof value === "string") return plainText(value);
  const text = (value as { text?: unknown } | undefined)?.text;
  return typeof text === "string" ? plainText(text) : "";
}

/** The figure's title, or "" if it has none. */
export function figureTitle(figure: Figure): string {
  return titleOf(figure.layout.title);
}

/** What kind of plot a trace is, in words. */
function kindOf(trace: Record<string, unknown>, axesHidden: boolean): string {
  const type = String(trace.type ?? "scatter");
  if (type === "heatmap") return axesHidden ? "a grid of images" : "a heatmap";
  if (type === "contour") return "a contour plot";
  if (type === "bar") return "a bar chart";
  if (type === "scatter" || type === "scattergl") {
    const mode = String(trace.mode ?? "lines+markers");
    return mode.includes("lines") ? "a line plot" : "a scatter plot";
  }
  return `a ${type} plot`;
}

/**
 * A figure's text alternative, what a screen reader says for it: its title, what it plots against
 * what (per panel), its series, and the one-line description its chapter gives.
 *   "Training curves. A line plot of loss against epoch, and of accuracy (%) against epoch.
 *    Series: train, test. The test accuracy levels off after 10 epochs."
 */
export function figureAlternative(figure: Figure, description?: string): string {
  const layout = figure.layout as Record<string, unknown>;
  const data = figure.data as unknown as Record<string, unknown>[];
  const axis = (key: string) => (layout[key] ?? {}) as { title?: unknown; visible?: boolean };
  const axesHidden = axis("xaxis").visible === false && axis("yaxis").visible === false;
  const kinds = [...new Set(data.map((trace) => kindOf(trace, axesHidden)))];
  const panels = Object.keys(layout)
    .filter((key) => /^xaxis\d*$/.test(key))
    .sort()
    .map((key) => {
      const y = `yaxis${key.slice(5)}`;
      const xTitle = titleOf(axis(key).title);
      const yTitle = titleOf(axis(y).title);
      return xTitle && yTitle ? `${yTitle} against ${xTitle}` : "";
    })
    .filter(Boolean);
  const series = [
    ...new Set(
      data
        .filter((trace) => trace.showlegend !== false && typeof trace.name === "string")
        .map((trace) => plainText(trace.name as string))
        .filter(Boolean),
    ),
  ];
  const sentences = [figureTitle(figure)];
  const what = kinds.join(" with ");
  sentences.push(
    `${what.charAt(0).toUpperCase()}${what.slice(1)}` +
      (panels.length ? ` of ${panels.join(", and of ")}` : ""),
  );
  if (series.length) sentences.push(`Series: ${series.join(", ")}`);
  if (description) sentences.push(description.trim().replace(/[.]$/, ""));
  return sentences.filter(Boolean).join(". ") + ".";
}

/**
 * Wraps a figure's div in `<figure id="figure-5-3">` with its caption: the number (a link to the
 * figure itself) and the chapter's description of it, or its title.
 */
function numberFigure(div: Element, label: string, caption: string): void {
  const id = label.toLowerCase().replace(/[ .]/g, "-");
  const wrapper = parse5.parseFragment(
    `<figure class="book-figure" id="${id}"><figcaption><a class="figure-number" href="#${id}"></a></figcaption></figure>`,
  ).childNodes[0] as Element;
  const figcaption = wrapper.childNodes[0] as Element;
  const link = figcaption.childNodes[0] as Element;
  replaceChildren(link, [{ nodeName: "#text", value: label, parentNode: link } as TextNode]);
  if (caption) {
    figcaption.childNodes.push({
      nodeName: "#text",
      value: ` ${caption}`,
      parentNode: figcaption,
    } as TextNode);
  }
  const siblings = div.parentNode!.childNodes;
  siblings.splice(siblings.indexOf(div), 1, wrapper);
  wrapper.parentNode = div.parentNode;
  replaceChildren(wrapper, [div, figcaption]);
}

/** A library listing (showSource): highlighted like the code cells, styled by the stylesheet. */
function highlightSource(div: Element): void {
  for (const node of walk(div)) {
    if (!isElement(node)) continue;
    if (node.nodeName === "div" && node !== div) {
      removeAttr(node, "style");
      setAttr(node, "class", "gtd-source-where");
    }
    if (node.nodeName === "pre") removeAttr(node, "style");
    if (node.nodeName === "code") {
      const highlighted = hljs.highlight(textOf(node), { language: "typescript" }).value;
      setAttr(node, "class", "hljs language-typescript");
      replaceChildren(node, fragmentOf(highlighted).childNodes);
    }
  }
}
