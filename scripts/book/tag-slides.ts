// `npm run slides:tag -- <chapter>…`: gives every cell of a chapter that has no slide metadata a
// first one, by the README's rules (see "Slides" there), and writes the notebook back. Cells that
// already have a slide type are left as they are, so it can be run again after adding cells. It reads
// the chapter's last run in build/executed/ (run the chapter first) to know which code cells print or
// draw something. Then build the decks (`npm run slides`) and fix by hand what does not fit: the
// slides test names every slide taller than the screen.
import fs from "fs";
import path from "path";
import {
  cellText as join,
  outputsOf,
  readNotebook,
  type Cell,
  type Output,
} from "../notebook-format";
import * as nb from "../notebooks";
import { isEntryPoint } from "../entry-point";
import { OUTLINE_TAG, REMOVE_INPUT_TAG, type SlideType } from "./slides";

/** Markdown longer than this (characters) goes to the speaker notes, or shows as an outline. */
const LONG_PROSE = 320;
/** Code cells longer than this (lines) show their outputs only; a figure's code from half that. */
const LONG_CODE = 12;

/** The first `##` or `###` heading of a markdown text: its level, or 0 when there is none. */
function headingLevel(markdown: string): number {
  const match = /^(#{2,3}) /m.exec(markdown);
  return match ? match[1].length : 0;
}

function hasFigure(cell: Cell): boolean {
  return outputsOf(cell).some((o) => join(o.data?.["text/html"]).includes("gtd-figure"));
}

function hasOutput(cell: Cell): boolean {
  return outputsOf(cell).some((o) => o.output_type !== "display_data" || !isPlotlyBundle(o));
}

/** setupPlots()'s output: plotly.js itself, which shows nothing. */
function isPlotlyBundle(output: Output): boolean {
  const html = join(output.data?.["text/html"]);
  return html.includes("<script") && !html.includes("gtd-figure") && html.length > 100_000;
}

/** The slide metadata the README's rules give a cell: `{ type, tags }`. */
export function proposedSlide(
  cell: Cell,
  ran: Cell,
  { first, inSetup }: { first: boolean; inSetup: boolean },
): { type: SlideType; tags: string[] } {
  const source = join(cell.source);
  const lines = source.split("\n").length;
  if (first) return { type: "notes", tags: [] };
  if (cell.cell_type === "markdown") {
    if (/^## Setup\b/m.test(source)) return { type: "skip", tags: [] };
    const level = headingLevel(source);
    if (level) {
      const long = source.length > LONG_PROSE || /^## Exercises\b/m.test(source);
      return { type: level === 2 ? "slide" : "subslide", tags: long ? [OUTLINE_TAG] : [] };
    }
    return { type: source.length > LONG_PROSE ? "notes" : "fragment", tags: [] };
  }
  if (inSetup) return { type: "skip", tags: [] };
  if (/^\s*showSource\(/.test(source) && lines <= 3) return { type: "skip", tags: [] };
  if (!hasOutput(ran)) return { type: "skip", tags: [] };
  const limit = hasFigure(ran) ? LONG_CODE / 2 : LONG_CODE;
  return { type: "slide", tags: lines > limit ? [REMOVE_INPUT_TAG] : [] };
}

export function tagChapter(name: string): void {
  const file = nb.notebookPath(name);
  const fresh = nb.freshExecution(name);
  if (!fresh) throw new Error(`${name}: no fresh run in build/executed/; run the chapter first`);
  const notebook = readNotebook(file);
  const executed = readNotebook(fresh.path);
  let inSetup = false;
  let tagged = 0;
  notebook.cells.forEach((cell, index) => {
    const source = join(cell.source);
    if (cell.cell_type === "markdown") inSetup = /^## Setup\b/m.test(source);
    if (cell.metadata.slideshow?.slide_type) return;
    const { type, tags } = proposedSlide(cell, executed.cells[index], {
      first: index === 0,
      inSetup,
    });
    cell.metadata.slideshow = { slide_type: type };
    if (tags.length) cell.metadata.tags = [...new Set([...(cell.metadata.tags ?? []), ...tags])];
    tagged++;
  });
  fs.writeFileSync(file, JSON.stringify(notebook, null, 1) + "\n");
  console.log(`${path.basename(file)}: ${tagged} of ${notebook.cells.length} cells tagged`);
}

if (isEntryPoint(__filename)) {
  const names = process.argv.slice(2);
  if (!names.length) {
    console.error("usage: npm run slides:tag -- <chapter>…  (e.g. 08-making-it-fast)");
    process.exit(2);
  }
  try {
    names.forEach(tagChapter);
  } catch (error) {
    console.error(`slides:tag: ${(error as Error).message}`);
    process.exit(1);
  }
}
