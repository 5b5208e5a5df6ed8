// Turns the library's notebook outputs into book markup: figures become a `<div
// class="gtd-figure">` with its plotly spec in a `<script type="application/json">` that the site's
// own script draws (the page's Content-Security-Policy runs no inline script), the output that
// inlines plotly.js is dropped (the site loads it once from assets/), and the library's source
// listings are highlighted. Output HTML is parsed with parse5 and the figure scripts with acorn: no
// regular expression reads HTML.
"use strict";
const parse5 = require("parse5");
const acorn = require("acorn");
const hljs = require("highlight.js/lib/common");

function attr(node, name) {
  return node.attrs?.find((a) => a.name === name)?.value;
}

function setAttr(node, name, value) {
  const found = node.attrs.find((a) => a.name === name);
  if (found) found.value = value;
  else node.attrs.push({ name, value });
}

function removeAttr(node, name) {
  node.attrs = node.attrs.filter((a) => a.name !== name);
}

function classes(node) {
  return (attr(node, "class") ?? "").split(/\s+/).filter(Boolean);
}

function textOf(node) {
  if (node.nodeName === "#text") return node.value;
  return (node.childNodes ?? []).map(textOf).join("");
}

function* walk(node) {
  yield node;
  // Copy: callers replace children while walking.
  for (const child of [...(node.childNodes ?? [])]) yield* walk(child);
  if (node.content) yield* walk(node.content); // <template>
}

function fragmentOf(html) {
  return parse5.parseFragment(html);
}

function replaceChildren(node, children) {
  node.childNodes = children;
  for (const child of children) child.parentNode = node;
}

/**
 * The figure spec in one of the library's figure scripts: the object literal bound to `var spec`
 * (see figureHtml in lib/src/plot/show.ts), read by parsing the script as JavaScript and the
 * literal as JSON. Returns null when the script holds no such declaration.
 */
function figureSpecOf(script) {
  let program;
  try {
    program = acorn.parse(script, { ecmaVersion: "latest" });
  } catch {
    return null;
  }
  let found = null;
  const visit = (node) => {
    if (found || !node || typeof node.type !== "string") return;
    if (node.type === "VariableDeclarator" && node.id.name === "spec" && node.init) {
      found = JSON.parse(script.slice(node.init.start, node.init.end));
      return;
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === "object") visit(value);
    }
  };
  visit(program);
  return found;
}

/** JSON that is safe inside a `<script>` element. */
function scriptSafeJson(value) {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Significant digits kept of a figure's non-integers: more than a plot or a hover shows. */
const DIGITS = 6;
/** Arrays at least this long that occur more than once in a figure are stored once. */
const SHARED_MIN_LENGTH = 16;

/**
 * A figure spec made lighter for the page, by what no reader can see: numbers rounded to `DIGITS`
 * significant digits, and an array that occurs more than once (a decision boundary's heatmap and
 * its contour share their grid) stored once in `arrays` and referenced as `{ "gtdArray": i }`. The
 * site script (assets/book.js) puts the references back before drawing.
 */
function compactSpec(spec) {
  const round = (value) => {
    if (typeof value === "number") {
      return Number.isInteger(value) || !Number.isFinite(value)
        ? value
        : Number(value.toPrecision(DIGITS));
    }
    if (Array.isArray(value)) return value.map(round);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)]));
    }
    return value;
  };
  const rounded = round(spec);
  const seen = new Map();
  const count = (value) => {
    if (Array.isArray(value)) {
      if (value.length >= SHARED_MIN_LENGTH) {
        const key = JSON.stringify(value);
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if (seen.get(key) > 1) return; // its insides are counted already
      }
      value.forEach(count);
    } else if (value && typeof value === "object") Object.values(value).forEach(count);
  };
  count(rounded);
  const arrays = [];
  const index = new Map();
  const share = (value) => {
    if (Array.isArray(value)) {
      const key = value.length >= SHARED_MIN_LENGTH ? JSON.stringify(value) : null;
      if (key && seen.get(key) > 1) {
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

const PLACEHOLDER = "This interactive figure is drawn by the page's script; it needs JavaScript.";

function element(tagName, attrs, children = []) {
  const node = { nodeName: tagName, tagName, attrs, namespaceURI: "http://www.w3.org/1999/xhtml" };
  node.childNodes = children;
  for (const child of children) child.parentNode = node;
  return node;
}

function text(value) {
  return { nodeName: "#text", value };
}

/**
 * Rewrites one `text/html` output for the book. Returns `{ html, figures, dropped }`: the markup,
 * how many figures it holds, and whether the whole output was the plotly bundle (then html is "").
 * Throws on any other script, which the page's Content-Security-Policy would refuse to run.
 */
function rewriteHtmlOutput(html, { plotlyBundleTag }) {
  if (html.trim() === plotlyBundleTag.trim()) return { html: "", figures: 0, dropped: true };
  const fragment = fragmentOf(html);
  const figures = [];
  for (const node of walk(fragment)) {
    if (node.nodeName === "div" && classes(node).includes("gtd-figure")) figures.push(node);
  }
  const unused = new Set(figures);
  for (const node of walk(fragment)) {
    if (node.nodeName !== "script") continue;
    const type = attr(node, "type");
    if (type && type !== "text/javascript" && type !== "application/javascript") continue;
    const spec = figureSpecOf(textOf(node));
    // The figure a script draws is the one whose id it names; the library writes them side by side.
    const figure =
      spec && figures.find((f) => unused.has(f) && textOf(node).includes(attr(f, "id")));
    if (!figure) {
      throw new Error(
        `an output holds a script that is not one of the library's figures:\n` +
          textOf(node).slice(0, 300),
      );
    }
    unused.delete(figure);
    const json = element(
      "script",
      [
        { name: "type", value: "application/json" },
        { name: "class", value: "gtd-figure-spec" },
        { name: "data-figure", value: attr(figure, "id") },
      ],
      [text(scriptSafeJson(compactSpec(spec)))],
    );
    const siblings = node.parentNode.childNodes;
    siblings[siblings.indexOf(node)] = json;
    json.parentNode = node.parentNode;
  }
  if (unused.size) throw new Error(`${unused.size} figure(s) in an output without their script`);
  for (const figure of figures) {
    // The notebook's placeholder asks the reader to run or trust the notebook; the book's says what
    // it needs. (The div keeps its style: full width, and the figure's height reserved while it is
    // drawn.)
    replaceChildren(figure, [
      element("p", [{ name: "class", value: "gtd-placeholder" }], [text(PLACEHOLDER)]),
    ]);
  }
  for (const node of walk(fragment)) {
    if (node.nodeName === "div" && classes(node).includes("gtd-source")) highlightSource(node);
  }
  return { html: parse5.serialize(fragment), figures: figures.length, dropped: false };
}

/** A library listing (showSource): highlighted like the code cells, styled by the stylesheet. */
function highlightSource(div) {
  for (const node of walk(div)) {
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

module.exports = { rewriteHtmlOutput, figureSpecOf, compactSpec, scriptSafeJson, PLACEHOLDER };
