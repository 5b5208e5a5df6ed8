/**
 * Runs a chapter headless and reads what it printed and showed, so that a test can check the numbers the
 * chapter's prose states. Cells a test reads are found by tag (cell metadata `tags: ["check-…"]`), so that
 * adding or moving cells does not break the test.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import { checkFigures, expectAllFiguresRendered, screenshotPath, type FigureReport } from "../browser/render";

const require = createRequire(import.meta.url);
const notebooks = require("../../scripts/notebooks.js") as {
  executeNotebook(name: string, options?: { timeoutSec?: number }): Promise<string>;
  exportHtml(executedPath: string): Promise<string>;
  NOTEBOOKS: string;
  listNotebooks(): string[];
};
export const { NOTEBOOKS, listNotebooks, exportHtml } = notebooks;

export interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
}
export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: { tags?: string[] };
  outputs?: Output[];
  execution_count?: number | null;
}
export interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name?: string } };
}

const join = (text: string | string[] | undefined): string => (Array.isArray(text) ? text.join("") : (text ?? ""));

export function readNotebook(file: string): Notebook {
  return JSON.parse(readFileSync(file, "utf8")) as Notebook;
}

/** An executed chapter, with accessors for its outputs. */
export class ExecutedChapter {
  constructor(
    readonly file: string,
    readonly notebook: Notebook,
  ) {}

  /** The one code cell with this tag. */
  cell(tag: string): Cell {
    const found = this.notebook.cells.filter((c) => c.metadata.tags?.includes(tag));
    if (found.length !== 1) throw new Error(`${this.file}: expected one cell tagged "${tag}", found ${found.length}`);
    return found[0];
  }

  /** Everything the tagged cell printed to stdout. */
  stdout(tag: string): string {
    return (this.cell(tag).outputs ?? [])
      .filter((o) => o.output_type === "stream" && o.name === "stdout")
      .map((o) => join(o.text))
      .join("");
  }

  /** The tagged cell's `text/html` outputs. */
  html(tag: string): string[] {
    return (this.cell(tag).outputs ?? []).flatMap((o) => (o.data?.["text/html"] !== undefined ? [join(o.data["text/html"])] : []));
  }

  /** All markdown of the chapter, as one string: the prose whose numbers the tests check. */
  prose(): string {
    return this.notebook.cells
      .filter((c) => c.cell_type === "markdown")
      .map((c) => join(c.source))
      .join("\n\n");
  }

  /** Checks that the prose contains each of `statements` verbatim: the numbers the text states, as a cell printed them. */
  expectProseStates(statements: readonly string[]): void {
    const prose = this.prose();
    for (const stated of statements) expect(prose).toContain(stated);
  }

  /** How many figures (`<div class="gtd-figure">`) the chapter's outputs hold. */
  figureCount(): number {
    return this.allHtml().filter((html) => html.includes('class="gtd-figure"')).length;
  }

  /** Every `text/html` output of the chapter, in order. */
  allHtml(): string[] {
    return this.notebook.cells.flatMap((c) => (c.outputs ?? []).flatMap((o) => (o.data?.["text/html"] !== undefined ? [join(o.data["text/html"])] : [])));
  }
}

/** Executes `notebooks/<name>.ipynb` on the tslab kernel (failing on any cell error) and reads the result. */
export async function runChapter(name: string, options: { timeoutSec?: number } = {}): Promise<ExecutedChapter> {
  const file = await notebooks.executeNotebook(name, options);
  return new ExecutedChapter(file, readNotebook(file));
}

/** The number after `label` in `text` (first match), failing the test if there is none. */
export function numberAfter(text: string, label: string | RegExp): number {
  const source = typeof label === "string" ? label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : label.source;
  const match = new RegExp(`${source}\\s*(-?[0-9.]+(?:e[-+]?\\d+)?)`).exec(text);
  expect(match, `no number after ${String(label)} in:\n${text}`).not.toBeNull();
  return Number(match![1]);
}

/** Rows of the first HTML table in `html` (as written by the library's `tableHtml`), headers as keys. */
export function parseHtmlTable(html: string): Record<string, string>[] {
  const table = /<table[\s\S]*?<\/table>/.exec(html)?.[0];
  if (!table) throw new Error("no <table> in the output");
  const cells = (row: string, tag: "th" | "td") => [...row.matchAll(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => m[1].trim());
  const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]);
  const headers = cells(rows[0], "th");
  return rows.slice(1).map((row) => Object.fromEntries(cells(row, "td").map((value, i) => [headers[i], value])));
}

/** Throws if a `<details>` block (an exercise solution) of the HTML chapter still holds raw markdown. */
export function expectSolutionsRendered(html: string): number {
  const blocks = [...html.matchAll(/<details>([\s\S]*?)<\/details>/g)].map((m) => m[1]);
  blocks.forEach((block, i) => {
    // Rendered code may hold `**` (TypeScript's power operator): look at the prose only.
    const prose = block.replace(/<pre[\s\S]*?<\/pre>|<code>[\s\S]*?<\/code>/g, "");
    const raw = ["```", "**", "\n- ", "\n1. "].filter((marker) => prose.includes(marker));
    if (raw.length) throw new Error(`solution ${i + 1} of the HTML chapter shows raw markdown (${raw.join(", ")}): ${block.slice(0, 200)}`);
  });
  return blocks.length;
}

/**
 * Renders the executed chapter to HTML with nbconvert, checks that its exercise solutions are rendered,
 * opens it from file:// in headless Chromium with the network blocked, and throws unless every figure was
 * drawn (screenshot in build/screenshots/).
 */
export async function expectFiguresRenderInHtml(chapter: ExecutedChapter): Promise<FigureReport> {
  const html = await exportHtml(chapter.file);
  const detailsInNotebook = (chapter.prose().match(/<details>/g) ?? []).length;
  if (expectSolutionsRendered(readFileSync(html, "utf8")) !== detailsInNotebook) throw new Error("the HTML chapter lost some <details> blocks");
  const name = basename(html, ".html");
  const report = await checkFigures(pathToFileURL(html).href, { screenshot: screenshotPath(`html-${name}`) });
  expectAllFiguresRendered(report, chapter.figureCount());
  return report;
}

/**
 * The figure tests every chapter shares: plotly.js inlined exactly once, `count` figures in the outputs, and
 * all of them drawn when the HTML chapter is opened offline in Chromium. `chapter` is read when the tests run
 * (after the chapter's beforeAll has executed it).
 */
export function itShowsAndRendersFigures(chapter: () => ExecutedChapter, count: number): void {
  it(`shows its ${count} figures through the library, with plotly inlined once`, () => {
    expect(chapter().allHtml().filter((h) => h.includes("window.Plotly = Plotly"))).toHaveLength(1);
    expect(chapter().figureCount()).toBe(count);
  });

  it("every figure renders in the exported HTML chapter, opened offline in Chromium", async () => {
    const report = await expectFiguresRenderInHtml(chapter());
    expect(report.rendered).toBe(count);
  }, 120_000);
}
