// A chapter's exercises, for the instructor's kit: the list of them with their difficulty, and the
// exercise sheet, the chapter's notebook with every worked solution removed. An exercise is a
// paragraph that starts with its number and difficulty, `**3.** *(medium)* Train AND again…`, and its
// worked solution follows in `<details><summary>Solution</summary> … </details>` (see the README).
"use strict";
const { createMarkdown, chapterEnv } = require("./render");

const DIFFICULTIES = ["easy", "medium", "hard"];
const EXERCISE = /^\*\*(\d+)\.\*\*\s*(?:\*\((\w+)\)\*)?\s*/;

const join = (text) => (Array.isArray(text) ? text.join("") : (text ?? ""));

/**
 * The exercises of a notebook, in order: `{ number, difficulty, html }` with `html` the exercise's
 * first paragraph without its number and label, rendered inline. Throws, naming the exercise, when
 * one has no difficulty label or an unknown one.
 */
function exercisesOf(notebook) {
  const { md } = createMarkdown();
  const found = [];
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "markdown") continue;
    const tokens = md.parse(join(cell.source), chapterEnv());
    tokens.forEach((token, i) => {
      if (token.type !== "inline" || tokens[i - 1]?.type !== "paragraph_open") return;
      const match = EXERCISE.exec(token.content);
      if (!match) return;
      const [, number, difficulty] = match;
      if (!DIFFICULTIES.includes(difficulty)) {
        throw new Error(
          `exercise ${number} needs a difficulty label after its number, one of ` +
            `${DIFFICULTIES.map((d) => `*(${d})*`).join(", ")} (it starts "${token.content.slice(0, 60)}")`,
        );
      }
      const task = md.renderInline(token.content.slice(match[0].length), chapterEnv());
      found.push({ number: Number(number), difficulty, html: task });
    });
  }
  return found;
}

/**
 * A markdown text without its `<details>` blocks, the worked solutions. Line-based, with the rules
 * scanSolutionCode (scripts/notebooks.js) reads them by: a tag counts outside fenced code and
 * inline code spans, blocks may nest, a block left open runs to the end. A line holding a tag goes
 * with the block. Runs of blank lines left behind become one.
 */
function removeSolutions(markdown) {
  const kept = [];
  let depth = 0;
  let fence = null;
  for (const line of markdown.split("\n")) {
    if (fence) {
      const close = /^ *(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) fence = null;
      if (depth === 0) kept.push(line);
      continue;
    }
    const open = /^ *(`{3,}|~{3,})(.*)$/.exec(line);
    if (open && !(open[1][0] === "`" && open[2].includes("`"))) {
      fence = open[1];
      if (depth === 0) kept.push(line);
      continue;
    }
    const prose = line.replace(/(`+)[\s\S]*?\1/g, "");
    const tags = [...prose.matchAll(/<(\/?)details\b[^>]*>/gi)];
    const inside = depth > 0 || tags.length > 0;
    for (const tag of tags) depth = Math.max(0, depth + (tag[1] ? -1 : 1));
    if (!inside) kept.push(line);
  }
  return kept
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/\n+$/, "\n");
}

/**
 * The exercise sheet of a chapter (a committed notebook, no outputs): the same notebook with every
 * worked solution removed and a note at the top saying so.
 */
function exerciseSheet(notebook, { chapterLabel, bookPage }) {
  const sheet = JSON.parse(JSON.stringify(notebook));
  for (const cell of sheet.cells) {
    if (cell.cell_type !== "markdown") continue;
    const text = join(cell.source);
    if (!/<details\b/i.test(text)) continue;
    const lines = removeSolutions(text).replace(/\n$/, "").split("\n");
    cell.source = lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line));
  }
  sheet.cells.unshift({
    cell_type: "markdown",
    metadata: {},
    source: [
      `*Exercise sheet for ${chapterLabel}: the chapter's notebook with the worked solutions of its ` +
        `exercises removed. Run it from the top, then work the exercises at the end; the solutions ` +
        `are in the book (${bookPage}).*`,
    ],
  });
  return sheet;
}

module.exports = { exercisesOf, removeSolutions, exerciseSheet, DIFFICULTIES };
