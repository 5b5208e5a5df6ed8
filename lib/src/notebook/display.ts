/**
 * Rich output in a notebook: HTML tables, and the sink that figures are written to.
 * Inside the tslab kernel output goes to tslab's `display` (in a page, to the page's output handler: the
 * platform decides); tests and scripts can install their own sink.
 */

import {
  checkNonNegativeInteger,
  checkString,
  describeValue,
  rejectUnknownOptions,
} from "../core/checks";
import { notebookDisplay, type HtmlSink } from "../platform";

export type { HtmlSink } from "../platform";

let sinkOverride: HtmlSink | null = null;

/** Redirects all HTML output (tables, figures) to `sink`; `null` restores tslab's display. For tests and scripts. */
export function setDisplaySink(sink: HtmlSink | null): void {
  if (sink !== null && typeof sink?.html !== "function")
    throw new TypeError(
      `setDisplaySink: sink must be null or { html(markup) { … } }, got ${describeValue(sink)}`,
    );
  sinkOverride = sink;
}

function guarded(sink: HtmlSink): HtmlSink {
  return {
    html(markup: string) {
      try {
        sink.html(markup);
      } catch (error) {
        if ((error as Error).message === "Not ready") {
          throw new Error(
            "display: not running inside a tslab notebook; call setDisplaySink() to send output elsewhere",
          );
        }
        throw error;
      }
    },
  };
}

/** The sink for one-off output: the override if set, else tslab's display. */
export function displaySink(): HtmlSink {
  return sinkOverride ?? guarded(notebookDisplay().display);
}

/** A sink whose every write replaces its previous output in place (tslab's `newDisplay()`): for live figures. */
export function newUpdatableSink(): HtmlSink {
  return sinkOverride ?? guarded(notebookDisplay().newDisplay());
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
/** Escapes text for use inside HTML. */
export function escapeHtml(text: string): string {
  checkString("escapeHtml", "text", text);
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export interface TableOptions {
  /** Column keys in display order; default: the keys of the first row. */
  columns?: string[];
  /** Column headers to show instead of the keys, by key. */
  headers?: Record<string, string>;
  caption?: string;
  /** Decimal places for non-integer numbers. Default 4. */
  digits?: number;
}

function formatCell(value: unknown, digits: number): string {
  if (typeof value === "number") {
    if (Number.isInteger(value)) return String(value);
    return Number.isFinite(value) ? value.toFixed(digits) : String(value);
  }
  return escapeHtml(String(value ?? ""));
}

/** An HTML table of `rows` (one object per row). Numbers are right-aligned and rounded to `digits` places. */
export function tableHtml(rows: readonly object[], options: TableOptions = {}): string {
  checkTableArguments(rows, options);
  const { digits = 4, caption, headers = {} } = options;
  const columns = options.columns ?? (rows.length > 0 ? Object.keys(rows[0]) : []);
  if (columns.length === 0) throw new Error("tableHtml: no columns (pass rows or options.columns)");
  const head = columns.map((c) => `<th>${escapeHtml(headers[c] ?? c)}</th>`).join("");
  const body = rows
    .map((item) => {
      const row = item as Record<string, unknown>;
      const cells = columns.map((c) => {
        const align = typeof row[c] === "number" ? ' style="text-align:right"' : "";
        return `<td${align}>${formatCell(row[c], digits)}</td>`;
      });
      return `<tr>${cells.join("")}</tr>`;
    })
    .join("\n");
  const captionHtml = caption ? `<caption>${escapeHtml(caption)}</caption>` : "";
  return `<table class="gtd-table">${captionHtml}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

function checkTableArguments(rows: readonly object[], options: TableOptions): void {
  if (!Array.isArray(rows))
    throw new TypeError(`tableHtml: rows must be an array of objects, got ${describeValue(rows)}`);
  rows.forEach((row, i) => {
    if (row === null || typeof row !== "object")
      throw new TypeError(`tableHtml: row ${i} must be an object, got ${describeValue(row)}`);
  });
  rejectUnknownOptions("tableHtml", options, ["columns", "headers", "caption", "digits"]);
  const { columns, headers, caption, digits } = options;
  if (columns !== undefined) {
    if (!Array.isArray(columns))
      throw new TypeError(
        `tableHtml: columns must be an array of keys, got ${describeValue(columns)}`,
      );
    columns.forEach((c, i) => checkString("tableHtml", `columns[${i}]`, c));
  }
  if (headers !== undefined) {
    if (headers === null || typeof headers !== "object")
      throw new TypeError(`tableHtml: headers must be an object, got ${describeValue(headers)}`);
    for (const [key, text] of Object.entries(headers))
      checkString("tableHtml", `headers.${key}`, text);
  }
  if (caption !== undefined) checkString("tableHtml", "caption", caption);
  if (digits !== undefined) {
    checkNonNegativeInteger("tableHtml", "digits", digits);
    if (digits > 20) throw new RangeError(`tableHtml: digits must be at most 20, got ${digits}`);
  }
}

/** Shows `rows` as a table in the notebook. */
export function showTable(rows: readonly object[], options: TableOptions = {}): void {
  displaySink().html(tableHtml(rows, options));
}
