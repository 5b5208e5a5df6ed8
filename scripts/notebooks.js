// Runs the chapters headless with nbconvert on this project's tslab kernel, and renders them to HTML.
// Used by `npm start`/`npm run notebooks:*` (scripts/jupyter.js) and by the notebook tests.
"use strict";
const fs = require("fs");
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
    throw new Error(`No notebook ${base}.ipynb in notebooks/ (have: ${listNotebooks().join(", ")})`);
  }
  return file;
}

function run(command, args, { timeoutSec, env: extraEnv = {} }) {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env: env.jupyterEnv(extraEnv), cwd: env.ROOT, timeout: timeoutSec * 1000, killSignal: "SIGKILL", maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          const why = error.killed ? `timed out after ${timeoutSec} s` : `exited with ${error.code}`;
          reject(new Error(`${path.basename(command)} ${args.slice(0, 2).map((a) => path.basename(a)).join(" ")} … ${why}\n${stderr.slice(-8000)}`));
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
 */
async function executeNotebook(name, { timeoutSec = 900, cellTimeoutSec = timeoutSec } = {}) {
  const source = notebookPath(name);
  const python = env.findJupyterPython();
  if (!python) throw new Error(`No Python with nbclient found.\n${env.INSTALL_HINT}`);
  fs.mkdirSync(EXECUTED, { recursive: true });
  const target = path.join(EXECUTED, path.basename(source));
  const record = recordPath(target);
  // Never mistake an old run for this one: the record goes first, so a run that dies leaves none.
  fs.rmSync(record, { force: true });
  fs.rmSync(target, { force: true });
  const inputs = executionInputsHash(source); // the inputs as they are when the run starts
  const runner = path.join(__dirname, "execute_notebook.py");
  const began = Date.now();
  await run(python, [runner, source, target, String(cellTimeoutSec)], { timeoutSec });
  const seconds = Math.round((Date.now() - began) / 100) / 10;
  const entry = { inputs, seconds, finished: new Date().toISOString(), node: process.version };
  fs.writeFileSync(record, JSON.stringify(entry, null, 2) + "\n");
  return target;
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

/** A SHA-256 over the notebook and every execution input (paths and contents), as hex. */
function executionInputsHash(name) {
  const source = notebookPath(name);
  const hash = crypto.createHash("sha256");
  const files = [source, ...EXECUTION_INPUTS.flatMap((input) => filesUnder(path.join(env.ROOT, input)))];
  for (const file of files) {
    const relative = path.relative(env.ROOT, file).split(path.sep).join("/");
    hash.update(`${relative}\0${fs.statSync(file).size}\0`);
    hash.update(fs.readFileSync(file));
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
  return { path: target, record: JSON.parse(fs.readFileSync(recordPath(target), "utf8")), reused: false };
}

/** Renders an executed notebook to a self-contained HTML chapter in build/html/. */
async function exportHtml(executedPath, { timeoutSec = 120 } = {}) {
  const jupyter = env.findJupyter();
  if (!jupyter) throw new Error(env.INSTALL_HINT);
  fs.mkdirSync(HTML, { recursive: true });
  // nbconvert_details.py renders the markdown inside the exercises' <details> solutions (see there).
  const args = ["nbconvert", "--to", "html", "--Exporter.preprocessors=['nbconvert_details.RenderMarkdownInDetails']", "--output-dir", HTML, executedPath];
  await run(jupyter, args, { timeoutSec, env: { PYTHONPATH: [__dirname, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) } });
  return path.join(HTML, path.basename(executedPath).replace(/\.ipynb$/, ".html"));
}

module.exports = {
  NOTEBOOKS,
  EXECUTED,
  HTML,
  listNotebooks,
  notebookPath,
  executeNotebook,
  executionInputsHash,
  freshExecution,
  ensureExecuted,
  exportHtml,
};
