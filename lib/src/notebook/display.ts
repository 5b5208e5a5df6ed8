/**
 * Rich output in a notebook: HTML tables, and the sink that figures are written to.
 * Inside the tslab kernel output goes to tslab's `display`; tests and scripts can install their own sink.
 */

/** Where HTML output goes; tslab's `display` and `newDisplay()` both fit. */
export interface HtmlSink {
  html(markup: string): void;
}

import {
  checkNonNegativeInteger,
  checkString,
  describeValue,
  rejectUnknownOptions,
} from "../core/checks";

let sinkOverride: HtmlSink | null = null;

/** Redirects all HTML output (tables, figures) to `sink`; `null` restores tslab's display. For tests and scripts. */
export function setDisplaySink(sink: HtmlSink | null): void {
  if (sink !== null && typeof sink?.html !== "function")
    throw new TypeError(
      `setDisplaySink: sink must be null or { html(markup) { … } }, got ${describeValue(sink)}`,
    );
  sinkOverride = sink;
}

interface TslabModule {
  display: HtmlSink;
  newDisplay(): HtmlSink;
}

function tslab(): TslabModule {
  let module: TslabModule;
  try {
    // Loaded lazily: the library is also used outside a kernel (tests, benchmarks), where tslab is not running.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    module = require("tslab") as TslabModule;
  } catch (error) {
    throw new Error(
      `display: cannot load tslab (${(error as Error).message}); rich output needs the tslab kernel`,
    );
  }
  letOutputFlowWithoutYielding();
  return module;
}

interface ZeroMqSocket {
  sendTimeout: number;
  send(message: unknown): Promise<void>;
}
interface ZeroMqModule {
  Socket: { prototype: ZeroMqSocket };
  Publisher: { prototype: ZeroMqSocket };
}

let outputFlowFixed = false;

/**
 * tslab sends every output (a printed line, a figure, a redraw) on a ZeroMQ publisher socket whose send()
 * finishes at most 512 sends in a row by itself; the next one waits for Node's event loop, and any send
 * while it waits throws "Socket is busy writing". The count only restarts when such a send happens, so
 * every 513th output of a session is one, and a cell that never yields (a training loop) loses the rest
 * of its printed lines and fails at its next figure. With a send timeout of 0 every send completes at
 * once; a publisher never blocks (past its queue limit it drops, and its I/O thread empties that queue
 * even while JavaScript is busy). This sets it on tslab's publisher at its next send.
 */
function letOutputFlowWithoutYielding(): void {
  if (outputFlowFixed) return;
  outputFlowFixed = true;
  let zmq: ZeroMqModule;
  try {
    // tslab's own copy of zeromq, the one whose socket carries the output.
    const tslabDir = require("path").dirname(require.resolve("tslab/package.json")) as string;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    zmq = require(require.resolve("zeromq", { paths: [tslabDir] })) as ZeroMqModule;
  } catch {
    return; // not tslab's usual layout: leave its output alone
  }
  const send = zmq.Socket.prototype.send;
  // defineProperty, since the inherited native send is read-only and plain assignment would throw.
  Object.defineProperty(zmq.Publisher.prototype, "send", {
    configurable: true,
    writable: true,
    value: function (this: ZeroMqSocket, message: unknown) {
      if (this.sendTimeout !== 0) this.sendTimeout = 0;
      return send.call(this, message);
    },
  });
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
  return sinkOverride ?? guarded(tslab().display);
}

/** A sink whose every write replaces its previous output in place (tslab's `newDisplay()`): for live figures. */
export function newUpdatableSink(): HtmlSink {
  return sinkOverride ?? guarded(tslab().newDisplay());
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
