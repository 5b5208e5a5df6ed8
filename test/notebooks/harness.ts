/**
 * Runs a chapter headless and reads what it printed and showed, so that a test can check the numbers the
 * chapter's prose states. Cells a test reads are found by tag (cell metadata `tags: ["check-…"]`), so that
 * adding or moving cells does not break the test.
 */
import { existsSync, readFileSync } from "node:fs";
import {
  cellText as join,
  outputsOf,
  readNotebook,
  type Cell,
  type Notebook,
} from "../../scripts/notebook-format";
import {
  NOTEBOOKS,
  executeNotebook,
  exportHtml,
  extractSolutions,
  listNotebooks,
  scanSolutionCode,
  solutionsPath,
  type SolutionCode,
  type SolutionRun,
} from "../../scripts/notebooks";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import {
  checkFigures,
  expectAllFiguresRendered,
  screenshotPath,
  type FigureReport,
} from "../browser/render";

// The notebook format and the runner, for the chapter tests.
export {
  NOTEBOOKS,
  exportHtml,
  extractSolutions,
  listNotebooks,
  outputsOf,
  readNotebook,
  scanSolutionCode,
  solutionsPath,
};
export type { Cell, Notebook, SolutionCode, SolutionRun };
export type { Output } from "../../scripts/notebook-format";

/** An executed chapter, with accessors for its outputs. */
export class ExecutedChapter {
  constructor(
    readonly file: string,
    readonly notebook: Notebook,
    /** What the worked solutions did, if they were run (runChapter runs them unless told not to). */
    readonly solutionRuns?: SolutionRun[],
  ) {}

  /** The chapter's name, e.g. `04-gradient-descent`. */
  get name(): string {
    return basename(this.file, ".ipynb");
  }

  /** Every code block of the exercises' worked solutions, with what it did when run after the chapter. */
  solutions(): SolutionRun[] {
    if (!this.solutionRuns)
      throw new Error(
        `${this.name}: the solutions were not run (runChapter(…, { solutions: false }))`,
      );
    return this.solutionRuns;
  }

  /** The one code cell with this tag. */
  cell(tag: string): Cell {
    const found = this.notebook.cells.filter((c) => c.metadata.tags?.includes(tag));
    if (found.length !== 1)
      throw new Error(`${this.file}: expected one cell tagged "${tag}", found ${found.length}`);
    return found[0];
  }

  /** Everything the tagged cell printed to stdout. */
  stdout(tag: string): string {
    return outputsOf(this.cell(tag))
      .filter((o) => o.output_type === "stream" && o.name === "stdout")
      .map((o) => join(o.text))
      .join("");
  }

  /** The tagged cell's `text/html` outputs. */
  html(tag: string): string[] {
    return outputsOf(this.cell(tag)).flatMap((o) =>
      o.data?.["text/html"] !== undefined ? [join(o.data["text/html"])] : [],
    );
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
    return this.notebook.cells.flatMap((c) =>
      outputsOf(c).flatMap((o) =>
        o.data?.["text/html"] !== undefined ? [join(o.data["text/html"])] : [],
      ),
    );
  }
}

/**
 * Executes `notebooks/<name>.ipynb` (or a notebook path, e.g. a fixture) on the tslab kernel, failing on any cell
 * error, and reads the result. Then, unless `solutions: false`, runs the worked solutions of its exercises in the
 * same kernel (see scripts/notebooks.ts); a failing solution does not fail this, `chapter.solutions()` reports it.
 */
export async function runChapter(
  name: string,
  options: { timeoutSec?: number; cellTimeoutSec?: number; solutions?: boolean } = {},
): Promise<ExecutedChapter> {
  const solutions = options.solutions ?? true;
  const file = await executeNotebook(name, { ...options, solutions });
  const results = solutionsPath(file);
  if (solutions && !existsSync(results))
    throw new Error(`${basename(file)}: the solutions' results ${results} were not written`);
  return new ExecutedChapter(
    file,
    readNotebook(file),
    solutions ? (JSON.parse(readFileSync(results, "utf8")) as SolutionRun[]) : undefined,
  );
}

/** "exercise 3", or "exercise 3 (code block 2 of 2)": where a solution's code stands, for messages. */
export function solutionLabel(run: SolutionCode): string {
  const exercise =
    run.exercise === null
      ? `solution ${run.solution} (no **N.** exercise before it)`
      : `exercise ${run.exercise}`;
  return run.blocks > 1 ? `${exercise} (code block ${run.block} of ${run.blocks})` : exercise;
}

/** Throws, naming the chapter, exercise and error of each, unless every solution ran without error (and there are at least `minimum`). */
export function expectEverySolutionRuns(
  chapter: ExecutedChapter,
  { minimum = 1 }: { minimum?: number } = {},
): void {
  const runs = chapter.solutions();
  if (runs.length < minimum) {
    throw new Error(
      `${chapter.name}: expected at least ${minimum} worked solution(s) with a \`\`\`ts block inside <details>, found ${runs.length}`,
    );
  }
  const failures = runs
    .filter((r) => !r.ok)
    .map((r) => {
      const code = r.code
        .split("\n")
        .map((l) => `    ${l}`)
        .join("\n");
      const error = (r.error ?? "(no error text)")
        .split("\n")
        .map((l) => `    ${l}`)
        .join("\n");
      return `${chapter.name}, ${solutionLabel(r)}: ${r.status}\n${error}\n  code (markdown cell ${r.cell + 1}, line ${r.line}):\n${code}`;
    });
  if (failures.length)
    throw new Error(
      `${failures.length} of ${runs.length} solution code blocks failed:\n\n${failures.join("\n\n")}`,
    );
}

/**
 * The test every chapter shares: each worked solution of its exercises runs without error when pasted at the
 * end of the executed chapter. `chapter` is read when the test runs (after the chapter's beforeAll). Pass
 * `{ minimum: 0 }` for a chapter whose solutions hold no code.
 */
export function itRunsEverySolution(
  chapter: () => ExecutedChapter,
  options: { minimum?: number } = {},
): void {
  it("every worked solution of the exercises runs at the end of the chapter, in its kernel", () => {
    expectEverySolutionRuns(chapter(), options);
  });
}

/** The number after `label` in `text` (first match), failing the test if there is none. */
export function numberAfter(text: string, label: string | RegExp): number {
  const source =
    typeof label === "string" ? label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : label.source;
  const match = new RegExp(`${source}\\s*(-?[0-9.]+(?:e[-+]?\\d+)?)`).exec(text);
  expect(match, `no number after ${String(label)} in:\n${text}`).not.toBeNull();
  return Number(match![1]);
}

/** Rows of the first HTML table in `html` (as written by the library's `tableHtml`), headers as keys. */
export function parseHtmlTable(html: string): Record<string, string>[] {
  const table = /<table[\s\S]*?<\/table>/.exec(html)?.[0];
  if (!table) throw new Error("no <table> in the output");
  const cells = (row: string, tag: "th" | "td") =>
    [...row.matchAll(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, "g"))].map((m) =>
      m[1].trim(),
    );
  const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]);
  const headers = cells(rows[0], "th");
  return rows
    .slice(1)
    .map((row) => Object.fromEntries(cells(row, "td").map((value, i) => [headers[i], value])));
}

/** Throws if a `<details>` block (an exercise solution) of the HTML chapter still holds raw markdown. */
export function expectSolutionsRendered(html: string): number {
  const blocks = [...html.matchAll(/<details>([\s\S]*?)<\/details>/g)].map((m) => m[1]);
  blocks.forEach((block, i) => {
    // Rendered code may hold `**` (TypeScript's power operator): look at the prose only.
    const prose = block.replace(/<pre[\s\S]*?<\/pre>|<code>[\s\S]*?<\/code>/g, "");
    const raw = ["```", "**", "\n- ", "\n1. "].filter((marker) => prose.includes(marker));
    if (raw.length)
      throw new Error(
        `solution ${i + 1} of the HTML chapter shows raw markdown (${raw.join(", ")}): ${block.slice(0, 200)}`,
      );
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
  if (expectSolutionsRendered(readFileSync(html, "utf8")) !== detailsInNotebook)
    throw new Error("the HTML chapter lost some <details> blocks");
  const name = basename(html, ".html");
  const report = await checkFigures(pathToFileURL(html).href, {
    screenshot: screenshotPath(`html-${name}`),
  });
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
    expect(
      chapter()
        .allHtml()
        .filter((h) => h.includes("window.Plotly = Plotly")),
    ).toHaveLength(1);
    expect(chapter().figureCount()).toBe(count);
  });

  it("every figure renders in the exported HTML chapter, opened offline in Chromium", async () => {
    const report = await expectFiguresRenderInHtml(chapter());
    expect(report.rendered).toBe(count);
  }, 120_000);
}
