// Runs the chapters headless with nbconvert on this project's tslab kernel, and renders them to HTML.
// Used by `npm start`/`npm run notebooks:*` (scripts/jupyter.js) and by the notebook tests.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const crypto = require("crypto");
const { execFile } = require("child_process");
const env = require("./jupyter-env");

const NOTEBOOKS = path.join(env.ROOT, "notebooks");
const EXECUTED = path.join(env.BUILD, "executed");
const HTML = path.join(env.BUILD, "html");

/** The chapters in reading order (their file names start with the chapter number). */
function listNotebooks() {
  return fs
    .readdirSync(NOTEBOOKS)
    .filter((name) => name.endsWith(".ipynb"))
    .sort();
}

/** Accepts `01-perceptron-logic-gates`, `01-perceptron-logic-gates.ipynb`, or the path of any notebook (e.g. a test fixture). */
function notebookPath(name) {
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

function run(command, args, { timeoutSec, env: extraEnv = {} }) {
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
async function executeNotebook(
  name,
  { timeoutSec = 900, cellTimeoutSec = timeoutSec, solutions = false } = {},
) {
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
async function runWithSolutions(python, args, source, results, timeoutSec) {
  const found = extractSolutions(JSON.parse(fs.readFileSync(source, "utf8")));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gtd-solutions-"));
  try {
    const cellsFile = path.join(scratch, "cells.json");
    const outFile = path.join(scratch, "results.json");
    fs.writeFileSync(cellsFile, JSON.stringify(found.map((s) => ({ source: s.code }))));
    await run(python, [...args, "--extra", cellsFile, "--extra-out", outFile], { timeoutSec });
    const ran = JSON.parse(fs.readFileSync(outFile, "utf8")).cells;
    if (ran.length !== found.length)
      throw new Error(
        `${path.basename(source)}: ran ${ran.length} of ${found.length} solution blocks`,
      );
    const merged = found.map((s, i) => {
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
function solutionsPath(executedPath) {
  return executedPath.replace(/\.ipynb$/, "") + ".solutions.json";
}

const cellText = (source) => (Array.isArray(source) ? source.join("") : source || "");

/**
 * The worked solutions' code in one markdown text: every fenced code block whose info string starts with
 * `ts` or `typescript` inside a `<details>` block, in order. Line-based, following CommonMark's fence rules: a
 * fence is a line of three or more backticks or tildes (indented by spaces only), closed by a line of at least as
 * many of the same character and nothing else; a fence left open runs to the end of the text. `<details>` tags
 * count only outside code (fences and inline code spans). Each block knows its exercise, the number of the last
 * paragraph that started with a bold `**N.**` before it (`state.exercise` carries it from one cell to the next).
 * Returns [{ exercise, solution, block, blocks, line, code }] with `solution` counting the <details> blocks that
 * hold code (from `state.solutions`) and `line` the 1-based line of the opening fence.
 */
function scanSolutionCode(markdown, state = { exercise: null, solutions: 0 }) {
  const lines = markdown.split(/\r?\n/);
  const found = [];
  let depth = 0; // <details> nesting
  let fence = null; // the open fence: { char, length, indent, code, keep, line }
  let current = null; // the code blocks of the outermost <details> being read
  let previousBlank = true;
  lines.forEach((line, i) => {
    if (fence) {
      const close = /^( *)(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close && close[2][0] === fence.char && close[2].length >= fence.length) {
        if (fence.keep) current.push({ line: fence.line, code: fence.code.join("\n") });
        fence = null;
      } else {
        fence.code.push(line.replace(new RegExp(`^ {0,${fence.indent}}`), ""));
      }
      previousBlank = false;
      return;
    }
    const open = /^( *)(`{3,}|~{3,})(.*)$/.exec(line);
    if (open && !(open[2][0] === "`" && open[3].includes("`"))) {
      const language = open[3].trim().split(/\s+/)[0].toLowerCase();
      fence = {
        char: open[2][0],
        length: open[2].length,
        indent: open[1].length,
        code: [],
        line: i + 1,
        keep: depth > 0 && (language === "ts" || language === "typescript"),
      };
      previousBlank = false;
      return;
    }
    const exercise = /^ {0,3}\*\*(\d+)\.\*\*/.exec(line);
    if (exercise && previousBlank && depth === 0) state.exercise = Number(exercise[1]);
    // Tags in the order they appear, ignoring inline code spans (`<details>` quoted in prose).
    const prose = line.replace(/(`+)[\s\S]*?\1/g, "");
    for (const tag of prose.matchAll(/<(\/?)details\b[^>]*>/gi)) {
      if (!tag[1]) {
        if (depth++ === 0) current = [];
      } else if (depth > 0 && --depth === 0) {
        finish();
      }
    }
    previousBlank = line.trim() === "";
  });
  if (fence && fence.keep) current.push({ line: fence.line, code: fence.code.join("\n") });
  if (depth > 0) finish(); // a <details> left open holds the rest of the text
  return found;

  function finish() {
    if (current.length) {
      state.solutions += 1;
      current.forEach((b, k) =>
        found.push({
          exercise: state.exercise,
          solution: state.solutions,
          block: k + 1,
          blocks: current.length,
          line: b.line,
          code: b.code,
        }),
      );
    }
    current = null;
  }
}

/**
 * The worked solutions of a notebook's exercises (a parsed .ipynb): scanSolutionCode over its markdown cells
 * in order, each block also giving its `cell` (0-based index in the notebook).
 */
function extractSolutions(notebook) {
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

function filesUnder(absolute) {
  if (!fs.existsSync(absolute)) return [];
  if (!fs.statSync(absolute).isDirectory()) return [absolute];
  return fs
    .readdirSync(absolute)
    .sort()
    .flatMap((name) => filesUnder(path.join(absolute, name)));
}

/** Cell tags that only the slide decks read (see scripts/book/slides.js). */
const SLIDE_ONLY_TAGS = new Set(["remove-input", "slide-outline"]);

/**
 * The notebook as its run sees it: without the cells' slide metadata (`slideshow` and the slide-only
 * tags), which changes how a deck shows a cell and nothing a cell computes, so that tagging slides
 * does not execute a chapter again. The decks read that metadata from the notebook itself.
 */
function notebookForExecution(file) {
  const notebook = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const cell of notebook.cells ?? []) {
    if (!cell.metadata) continue;
    delete cell.metadata.slideshow;
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
function executionInputsHash(name) {
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
function recordPath(executedPath) {
  return executedPath.replace(/\.ipynb$/, ".run.json");
}

/**
 * The last complete run of a chapter if nothing it depends on has changed since: `{ path, record }`,
 * else null (never run, failed, or stale).
 */
function freshExecution(name) {
  const target = path.join(EXECUTED, path.basename(notebookPath(name)));
  let record;
  try {
    record = JSON.parse(fs.readFileSync(recordPath(target), "utf8"));
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
async function ensureExecuted(name, options = {}) {
  const fresh = freshExecution(name);
  if (fresh) return { ...fresh, reused: true };
  const target = await executeNotebook(name, options);
  return {
    path: target,
    record: JSON.parse(fs.readFileSync(recordPath(target), "utf8")),
    reused: false,
  };
}

/** Renders an executed notebook to a self-contained HTML chapter in build/html/. */
async function exportHtml(executedPath, { timeoutSec = 120 } = {}) {
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

module.exports = {
  NOTEBOOKS,
  EXECUTED,
  HTML,
  listNotebooks,
  notebookPath,
  executeNotebook,
  solutionsPath,
  scanSolutionCode,
  extractSolutions,
  executionInputsHash,
  SLIDE_ONLY_TAGS,
  freshExecution,
  ensureExecuted,
  exportHtml,
};
