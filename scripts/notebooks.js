// Runs the chapters headless with nbconvert on this project's tslab kernel, and renders them to HTML.
// Used by `npm start`/`npm run notebooks:*` (scripts/jupyter.js) and by the notebook tests.
"use strict";
const fs = require("fs");
const path = require("path");
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
  fs.rmSync(target, { force: true }); // never mistake an old run for this one
  const runner = path.join(__dirname, "execute_notebook.py");
  await run(python, [runner, source, target, String(cellTimeoutSec)], { timeoutSec });
  return target;
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

module.exports = { NOTEBOOKS, EXECUTED, HTML, listNotebooks, notebookPath, executeNotebook, exportHtml };
