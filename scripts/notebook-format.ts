// The notebook as nbformat 4 stores it, the parts that the scripts and the tests read: one definition for
// the runner (notebooks.ts), the book (book/) and the tests.
import fs from "fs";

/** Jupyter keeps a text either whole or as a list of lines, each with its "\n". */
export type MultilineString = string | string[];

export interface CellMetadata {
  tags?: string[];
  slideshow?: { slide_type?: string };
  /** Timing that some front ends add. */
  execution?: unknown;
  [key: string]: unknown;
}

export interface Output {
  output_type: "stream" | "display_data" | "execute_result" | "error" | "update_display_data";
  /** stream: "stdout" or "stderr" */
  name?: string;
  text?: MultilineString;
  /** display_data and execute_result: the same output in several mime types. */
  data?: Record<string, MultilineString>;
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

interface CellBase {
  id?: string;
  source: MultilineString;
  metadata: CellMetadata;
}
export interface MarkdownCell extends CellBase {
  cell_type: "markdown";
  attachments?: Record<string, unknown>;
}
export interface CodeCell extends CellBase {
  cell_type: "code";
  outputs: Output[];
  execution_count: number | null;
}
export interface RawCell extends CellBase {
  cell_type: "raw";
}
export type Cell = MarkdownCell | CodeCell | RawCell;

export interface Notebook {
  cells: Cell[];
  metadata: {
    kernelspec?: { name?: string; display_name?: string; language?: string };
    widgets?: unknown;
    [key: string]: unknown;
  };
  nbformat: number;
  nbformat_minor: number;
}

/** A cell's source or an output's text as one string. */
export function cellText(text: MultilineString | undefined): string {
  return Array.isArray(text) ? text.join("") : (text ?? "");
}

/** A notebook file, parsed. */
export function readNotebook(file: string): Notebook {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
}

/** A cell's outputs: none for a markdown or raw cell. */
export function outputsOf(cell: Cell): Output[] {
  return cell.cell_type === "code" ? (cell.outputs ?? []) : [];
}
