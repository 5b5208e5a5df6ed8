// Turns the library's notebook outputs into book markup: a figure keeps its `<div class="gtd-figure">`
// and its payload, the `<script type="application/json">` that the site's own script draws from
// (lib/src/notebook/plot/payload.ts owns that format), and loses the script that draws it in Jupyter
// (the page's Content-Security-Policy runs no inline script); the output that inlines plotly.js is
// dropped (the site loads it once from assets/), and the library's source listings are highlighted.
// Output HTML is parsed with parse5: no regular expression reads HTML.
import * as parse5 from "parse5";
import type { DefaultTreeAdapterMap } from "parse5";
import hljs from "highlight.js/lib/common";
import {
  FIGURE_ATTRIBUTE,
  FIGURE_CLASS,
  FIGURE_DATA_CLASS,
  FIGURE_DRAW_CLASS,
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

/**
 * Rewrites one `text/html` output for the book. Returns `{ html, figures, dropped }`: the markup,
 * how many figures it holds, and whether the whole output was the plotly bundle (then html is "").
 * Throws on any other script, which the page's Content-Security-Policy would refuse to run, and on a
 * figure without its payload or a payload that is not one.
 */
export function rewriteHtmlOutput(
  html: string,
  { plotlyBundleTag }: { plotlyBundleTag: string },
): { html: string; figures: number; dropped: boolean } {
  if (html.trim() === plotlyBundleTag.trim()) return { html: "", figures: 0, dropped: true };
  const fragment = fragmentOf(html);
  const figures = elementsOf(fragment, "div", FIGURE_CLASS);
  const ids = new Set(figures.map((f) => attr(f, "id")));
  const drawn = new Set<string>();
  for (const script of elementsOf(fragment, "script")) {
    const type = attr(script, "type");
    const figure = attr(script, FIGURE_ATTRIBUTE);
    if (classes(script).includes(FIGURE_DATA_CLASS) && type === "application/json") {
      if (!figure || !ids.has(figure))
        throw new Error(`a figure's data names no figure of its output (${figure})`);
      readFigurePayload(textOf(script)); // throws, saying why, on data that is not a figure
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
  for (const div of elementsOf(fragment, "div", "gtd-source")) highlightSource(div);
  return { html: parse5.serialize(fragment), figures: figures.length, dropped: false };
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
