#!/usr/bin/env node
// A starter kit's launcher (copied into each kit by the book's build, scripts/book/kit.ts):
//   npm start            registers this kit's tslab kernel inside this folder (jupyter/, nothing global) and opens
//                        the notebook in JupyterLab, or in the classic Notebook if that is what is installed
//   npm start -- ARGS    the same, passing ARGS to Jupyter (e.g. --port 9000 --no-browser)
//   npm run execute      runs every notebook of the kit headless (nbconvert) on the same kernel, into executed/
// It needs only Node.js and Jupyter: everything else came with `npm install`.
"use strict";
const fs = require("fs");
const path = require("path");
const { spawn, spawnSync } = require("child_process");

const KIT = __dirname;
const KERNELS = path.join(KIT, "jupyter");
const TSLAB = path.join(KIT, "node_modules", "tslab", "bin", "tslab");
const INSTALL_JUPYTER = [
  "Jupyter was not found (looked for `jupyter` on PATH; set JUPYTER=/path/to/jupyter to choose one).",
  "Install it with one of:",
  "  pip install jupyterlab",
  "  sudo apt-get install jupyter-notebook jupyter-nbconvert python3-ipykernel   # Debian/Ubuntu",
].join("\n");

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

function checkNode() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 19))
    fail(`Node.js ${process.versions.node} is too old: the library needs 20.19 or newer.`);
}

/** The notebooks of the kit, in its own folder (a chapter kit has one, the whole book's has them all). */
function notebooks() {
  return fs
    .readdirSync(KIT)
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
}

/** jupyter/kernels/tslab/kernel.json: this Node running this kit's tslab, by absolute paths. */
function registerKernel() {
  if (!fs.existsSync(TSLAB)) fail("tslab is not installed here: run `npm install` first.");
  const dir = path.join(KERNELS, "kernels", "tslab");
  fs.mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [process.execPath, TSLAB, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript (From Gates to Digits)",
    language: "typescript",
  };
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
}

/** Whether `jupyter <args>` answers: the command exists and has that subcommand. */
function answers(jupyter, args) {
  const probe = spawnSync(jupyter, args, { stdio: "ignore", shell: process.platform === "win32" });
  return probe.status === 0;
}

function findJupyter() {
  const candidates = [process.env.JUPYTER, "jupyter", "/usr/bin/jupyter"].filter(Boolean);
  return candidates.find((c) => answers(c, ["--version"])) || fail(INSTALL_JUPYTER);
}

/** Jupyter's environment: this kit's kernel first (it wins over a "tslab" kernel installed elsewhere). */
function jupyterEnv() {
  const jupyterPath = [KERNELS, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  return { ...process.env, JUPYTER_PATH: jupyterPath };
}

function run(jupyter, args) {
  const child = spawn(jupyter, args, {
    cwd: KIT,
    env: jupyterEnv(),
    stdio: "inherit",
    shell: process.platform === "win32",
  });
  child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
  // Ctrl+C reaches Jupyter too, which asks whether to stop; this launcher ends when Jupyter does.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => child.kill("SIGTERM"));
}

/** `npm start -- --port 9000`: what follows `--` goes to Jupyter. */
function start(extra) {
  const jupyter = findJupyter();
  const app = ["lab", "notebook"].find((a) => answers(jupyter, [a, "--version"]));
  if (!app) fail(`${jupyter} has neither JupyterLab nor the Notebook.\n${INSTALL_JUPYTER}`);
  const list = notebooks();
  console.log(
    `Opening ${list.length === 1 ? list[0] : "the chapters"} in ${app === "lab" ? "JupyterLab" : "the Jupyter Notebook"} (kernel: this kit's tslab).`,
  );
  // Jupyter refuses to run as root without --allow-root (containers, CI-like machines).
  const root = process.getuid && process.getuid() === 0 ? ["--allow-root"] : [];
  // One chapter opens at once; the whole book opens on its folder, to pick a chapter from.
  run(jupyter, [app, ...root, ...(list.length === 1 ? list : []), ...extra]);
}

function execute() {
  const jupyter = findJupyter();
  if (!answers(jupyter, ["nbconvert", "--version"]))
    fail("nbconvert is missing: pip install nbconvert (or apt-get install jupyter-nbconvert).");
  run(jupyter, [
    "nbconvert",
    "--to",
    "notebook",
    "--execute",
    "--ExecutePreprocessor.timeout=3600",
    "--output-dir",
    "executed",
    ...notebooks(),
  ]);
}

checkNode();
registerKernel();
const mode = process.argv[2];
if (mode === "--execute") execute();
else if (mode === "--kernel") console.log(`kernel registered in ${path.relative(KIT, KERNELS)}/`);
else start(process.argv.slice(2));
