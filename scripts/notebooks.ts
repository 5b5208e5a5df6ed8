// Runs the chapters headless with nbconvert on this project's tslab kernel, and renders them to HTML.
// Used by `npm start`/`npm run notebooks:*` (scripts/jupyter.js) and by the notebook tests.
import fs from "fs";
import os from "os";
import path from "path";
import crypto from "crypto";
import { execFile } from "child_process";
import { scanMarkdown } from "./exercise-scan";
import * as env from "./jupyter-env";
import { cellText, type Notebook } from "./notebook-format";

export const NOTEBOOKS = path.join(env.ROOT, "notebooks");
export const EXECUTED = path.join(env.BUILD, "executed");
export const HTML = path.join(env.BUILD, "html");

/** The chapters in reading order (their file names start with the chapter number). */
export function listNotebooks(): string[] {
  return fs
    .readdirSync(NOTEBOOKS)
    .filter((name) => name.endsWith(".ipynb"))
    .sort();
}

/** Accepts `01-perceptron-logic-gates`, `01-perceptron-logic-gates.ipynb`, or the path of any notebook (e.g. a test fixture). */
export function notebookPath(name: string): string {
  if (name.endsWith(".ipynb") && fs.existsSync(name)) return path.resolve(name);
  const base = path.basename(name).replace(/\.ipynb$/, "");
  const file = path.join(NOTEBOOKS, `${base}.ipynb`);
  if (!fs.existsSync(file)) {
    throw new Error(
      `No notebook ${base}.ipynb in notebooks/ (have: ${listNotebooks().join(", ")})`,
    );
  }
  return file;
}

function run(
  command: string,
  args: string[],
  { timeoutSec, env: extraEnv = {} }: { timeoutSec: number; env?: Record<string, string> },
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        env: env.jupyterEnv(extraEnv),
        cwd: env.ROOT,
        timeout: timeoutSec * 1000,
        killSignal: "SIGKILL",
        maxBuffer: 64 << 20,
      },
      (error, stdout, stderr) => {
        if (error) {
          const why = error.killed
            ? `timed out after ${timeoutSec} s`
            : `exited with ${error.code}`;
          reject(
            new Error(
              `${path.basename(command)} ${args
                .slice(0, 2)
                .map((a) => path.basename(a))
                .join(" ")} … ${why}\n${stderr.slice(-8000)}`,
            ),
          );
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

/**
 * Executes a chapter top to bottom on the tslab kernel; fails on the first cell error (reporting that
 * cell's source and output) or when the whole run exceeds `timeoutSec`. The executed copy, also a
 * partial one after a failure, goes to build/executed/; its path is returned.
 *
 * With `solutions: true`, once the chapter has run, every worked solution of its exercises (see
 * extractSolutions) runs in the same kernel, one code block per extra cell, as if a reader had pasted it at
 * the end of the executed chapter. The executed notebook does not contain them. What each one did goes to
 * `solutionsPath(<executed path>)`, build/executed/<name>.solutions.json: a JSON list of
 * { exercise, solution, block, blocks, cell, code, ok, status, stdout, stderr, error, displays, seconds }
 * (error: null or the failure's text). A failing solution does not fail this call; a failing chapter cell does.
 */
export interface ExecuteOptions {
  /** The whole run's limit; 900 s by default. */
  timeoutSec?: number;
  /** One cell's limit; the whole run's by default. */
  cellTimeoutSec?: number;
  /** Run the worked solutions after the chapter. */
  solutions?: boolean;
}

export async function executeNotebook(
  name: string,
  { timeoutSec = 900, cellTimeoutSec = timeoutSec, solutions = false }: ExecuteOptions = {},
): Promise<string> {
  const source = notebookPath(name);
  const python = env.findJupyterPython();
  if (!python) throw new Error(`No Python with nbclient found.\n${env.INSTALL_HINT}`);
  fs.mkdirSync(EXECUTED, { recursive: true });
  const target = path.join(EXECUTED, path.basename(source));
  const results = solutionsPath(target);
  const record = recordPath(target);
  // Never mistake an old run for this one: the record goes first, so a run that dies leaves none.
  fs.rmSync(record, { force: true });
  fs.rmSync(target, { force: true });
  fs.rmSync(results, { force: true });
  const inputs = executionInputsHash(source); // the inputs as they are when the run starts
  const runner = path.join(__dirname, "execute_notebook.py");
  const args = [runner, source, target, String(cellTimeoutSec)];
  const began = Date.now();
  if (solutions) await runWithSolutions(python, args, source, results, timeoutSec);
  else await run(python, args, { timeoutSec });
  const seconds = Math.round((Date.now() - began) / 100) / 10;
  const entry = { inputs, seconds, finished: new Date().toISOString(), node: process.version };
  fs.writeFileSync(record, JSON.stringify(entry, null, 2) + "\n");
  return target;
}

/** Runs the notebook, then its worked solutions in the same kernel; writes what they did to `results`. */
async function runWithSolutions(
  python: string,
  args: string[],
  source: string,
  results: string,
  timeoutSec: number,
): Promise<void> {
  const found = extractSolutions(JSON.parse(fs.readFileSync(source, "utf8")));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gtd-solutions-"));
  try {
    const cellsFile = path.join(scratch, "cells.json");
    const outFile = path.join(scratch, "results.json");
    fs.writeFileSync(cellsFile, JSON.stringify(found.map((s) => ({ source: s.code }))));
    await run(python, [...args, "--extra", cellsFile, "--extra-out", outFile], { timeoutSec });
    const ran = (JSON.parse(fs.readFileSync(outFile, "utf8")) as { cells: ExtraCellRun[] }).cells;
    if (ran.length !== found.length)
      throw new Error(
        `${path.basename(source)}: ran ${ran.length} of ${found.length} solution blocks`,
      );
    const merged = found.map((s, i): SolutionRun => {
      const r = ran[i];
      return {
        ...s,
        ok: r.ok,
        status: r.status,
        stdout: r.stdout,
        stderr: r.stderr,
        error: r.error ? r.error.text : null,
        displays: r.displays,
        seconds: r.seconds,
      };
    });
    fs.writeFileSync(results, JSON.stringify(merged, null, 1) + "\n");
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Where executeNotebook(…, { solutions: true }) writes what the solutions did, for the executed notebook `executedPath`. */
export function solutionsPath(executedPath: string): string {
  return executedPath.replace(/\.ipynb$/, "") + ".solutions.json";
}

/** One ```ts code block of a worked solution (a `<details>` block of the exercises). */
export interface SolutionCode {
  /** The exercise's number (the bold `**N.**` that starts its paragraph), or null if none came before. */
  exercise: number | null;
  /** Which `<details>` block with code this is, counting from 1 in the notebook. */
  solution: number;
  /** Which code block of that solution, from 1, and how many it has. */
  block: number;
  blocks: number;
  /** 1-based line of the opening fence in its markdown cell. */
  line: number;
  code: string;
}

/** What one extra cell did in execute_notebook.py's run (--extra-out). */
interface ExtraCellRun {
  ok: boolean;
  status: string;
  stdout: string;
  stderr: string;
  error: { text: string } | null;
  displays: string[][];
  seconds: number;
}

/** What one solution code block did when run at the end of the executed chapter, in the chapter's kernel. */
export interface SolutionRun extends SolutionCode {
  /** 0-based index of the markdown cell that holds it. */
  cell: number;
  ok: boolean;
  /** ok | error | timeout | dead-kernel | not-run */
  status: string;
  stdout: string;
  stderr: string;
  /** null, or what went wrong: the compiler's or the runtime's message (tslab writes it to stderr). */
  error: string | null;
  /** The mime types of each display output (e.g. a figure's ["text/html", "text/plain"]). */
  displays: string[][];
  seconds: number;
}

const SOLUTION_LANGUAGES = new Set(["ts", "typescript"]);

/**
 * The worked solutions' code in one markdown text: every fenced code block whose info string starts with
 * `ts` or `typescript` inside a `<details>` block, in order, as exercise-scan.ts reads them. `solution`
 * counts the `<details>` blocks that hold such code (from `state.solutions`), and `state.exercise` carries
 * the exercise's number from one cell to the next.
 */
export function scanSolutionCode(
  markdown: string,
  state: { exercise: number | null; solutions: number } = { exercise: null, solutions: 0 },
): SolutionCode[] {
  return scanMarkdown(markdown, state).solutions.flatMap((solution) => {
    const blocks = solution.blocks.filter((b) => SOLUTION_LANGUAGES.has(b.language));
    if (!blocks.length) return [];
    state.solutions += 1;
    return blocks.map((b, k) => ({
      exercise: solution.exercise,
      solution: state.solutions,
      block: k + 1,
      blocks: blocks.length,
      line: b.line,
      code: b.code,
    }));
  });
}

/**
 * The worked solutions of a notebook's exercises (a parsed .ipynb): scanSolutionCode over its markdown cells
 * in order, each block also giving its `cell` (0-based index in the notebook).
 */
export function extractSolutions(notebook: Notebook): (SolutionCode & { cell: number })[] {
  const state = { exercise: null, solutions: 0 };
  return notebook.cells.flatMap((cell, index) =>
    cell.cell_type === "markdown"
      ? scanSolutionCode(cellText(cell.source), state).map((s) => ({ ...s, cell: index }))
      : [],
  );
}

/**
 * What a chapter's run depends on, besides Jupyter and Node themselves: the notebook, the library's
 * sources and build settings, the locked dependencies, the runner, and data/ (a reader's MNIST files).
 */
const EXECUTION_INPUTS = [
  "lib/src",
  "lib/package.json",
  "lib/tsconfig.json",
  "package-lock.json",
  "scripts/execute_notebook.py",
  "data",
];

function filesUnder(absolute: string): string[] {
  if (!fs.existsSync(absolute)) return [];
  if (!fs.statSync(absolute).isDirectory()) return [absolute];
  return fs
    .readdirSync(absolute)
    .sort()
    .flatMap((name) => filesUnder(path.join(absolute, name)));
}

/** Cell tags that only the slide decks read (see scripts/book/slides.js). */
export const SLIDE_ONLY_TAGS = new Set<string>(["remove-input", "slide-outline"]);
/** Cell metadata that only the book reads: its figures' descriptions (scripts/book/render.ts). */
export const BOOK_ONLY_METADATA = ["figure_descriptions"];

/**
 * The notebook as its run sees it: without the cells' slide metadata (`slideshow` and the slide-only
 * tags) and the book's figure descriptions, which change how a deck or a page shows a cell and
 * nothing a cell computes, so that tagging slides or describing figures does not execute a chapter
 * again. The decks read that metadata from the notebook itself.
 */
function notebookForExecution(file: string): Buffer {
  const notebook = JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
  for (const cell of notebook.cells ?? []) {
    if (!cell.metadata) continue;
    delete cell.metadata.slideshow;
    for (const key of BOOK_ONLY_METADATA) delete cell.metadata[key];
    if (Array.isArray(cell.metadata.tags)) {
      cell.metadata.tags = cell.metadata.tags.filter((tag) => !SLIDE_ONLY_TAGS.has(tag));
      if (!cell.metadata.tags.length) delete cell.metadata.tags;
    }
  }
  return Buffer.from(JSON.stringify(notebook));
}

/**
 * A SHA-256 over the notebook (without its slide metadata) and every execution input (paths and
 * contents), as hex.
 */
export function executionInputsHash(name: string): string {
  const source = notebookPath(name);
  const hash = crypto.createHash("sha256");
  const files = [
    source,
    ...EXECUTION_INPUTS.flatMap((input) => filesUnder(path.join(env.ROOT, input))),
  ];
  for (const file of files) {
    const relative = path.relative(env.ROOT, file).split(path.sep).join("/");
    const content = file === source ? notebookForExecution(file) : fs.readFileSync(file);
    hash.update(`${relative}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest("hex");
}

/** build/executed/<chapter>.run.json: the inputs' hash and the run time of the last complete run. */
export interface RunRecord {
  inputs: string;
  seconds: number;
  /** When the run finished (ISO 8601). */
  finished: string;
  node: string;
}

/** A chapter's run: the executed notebook, its record, and whether it was reused. */
export interface ChapterRun {
  path: string;
  record: RunRecord;
  reused: boolean;
}

function recordPath(executedPath: string): string {
  return executedPath.replace(/\.ipynb$/, ".run.json");
}

/**
 * The last complete run of a chapter if nothing it depends on has changed since: `{ path, record }`,
 * else null (never run, failed, or stale).
 */
export function freshExecution(name: string): { path: string; record: RunRecord } | null {
  const target = path.join(EXECUTED, path.basename(notebookPath(name)));
  let record: RunRecord;
  try {
    record = JSON.parse(fs.readFileSync(recordPath(target), "utf8")) as RunRecord;
  } catch {
    return null;
  }
  if (!fs.existsSync(target) || record.inputs !== executionInputsHash(name)) return null;
  return { path: target, record };
}

/**
 * Reuses the chapter's last run when it is fresh, else executes it: `{ path, record, reused }`.
 * The chapter tests execute (executeNotebook) and the book reuses their runs, so `npm test` runs each
 * chapter once.
 */
export async function ensureExecuted(
  name: string,
  options: ExecuteOptions = {},
): Promise<ChapterRun> {
  const fresh = freshExecution(name);
  if (fresh) return { ...fresh, reused: true };
  const target = await executeNotebook(name, options);
  return {
    path: target,
    record: JSON.parse(fs.readFileSync(recordPath(target), "utf8")) as RunRecord,
    reused: false,
  };
}

/** Renders an executed notebook to a self-contained HTML chapter in build/html/. */
export async function exportHtml(
  executedPath: string,
  { timeoutSec = 120 }: { timeoutSec?: number } = {},
): Promise<string> {
  const jupyter = env.findJupyter();
  if (!jupyter) throw new Error(env.INSTALL_HINT);
  fs.mkdirSync(HTML, { recursive: true });
  // nbconvert_details.py renders the markdown inside the exercises' <details> solutions (see there).
  const args = [
    "nbconvert",
    "--to",
    "html",
    "--Exporter.preprocessors=['nbconvert_details.RenderMarkdownInDetails']",
    "--output-dir",
    HTML,
    executedPath,
  ];
  await run(jupyter, args, {
    timeoutSec,
    env: { PYTHONPATH: [__dirname, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) },
  });
  return path.join(HTML, path.basename(executedPath).replace(/\.ipynb$/, ".html"));
}
