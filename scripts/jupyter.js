#!/usr/bin/env node
// Entry point of `npm start`, `npm run notebooks:run` and `npm run notebooks:html`.
//   node scripts/jupyter.js start [args…]   open the chapters in JupyterLab (or the classic Notebook)
//   node scripts/jupyter.js run  [names…]   execute chapters headless into build/executed/
//   node scripts/jupyter.js html [names…]   execute, then render to build/html/
"use strict";
const { spawn, spawnSync } = require("child_process");
const env = require("./jupyter-env");
const nb = require("./notebooks");

async function main() {
  const [command, ...names] = process.argv.slice(2);
  if (command === "start") return start(names);
  if (command !== "run" && command !== "html") {
    console.error("usage: node scripts/jupyter.js start | run [notebook…] | html [notebook…]");
    process.exit(2);
  }
  env.requireJupyter();
  for (const name of names.length ? names : nb.listNotebooks()) {
    const began = Date.now();
    const executed = await nb.executeNotebook(name);
    let line = `${name}: executed in ${((Date.now() - began) / 1000).toFixed(1)} s -> ${executed}`;
    if (command === "html") line += `\n  html -> ${await nb.exportHtml(executed)}`;
    console.log(line);
  }
}

/** Extra arguments go to Jupyter, e.g. `npm start -- --port 9999 --no-browser`. */
function start(extraArgs) {
  const jupyter = env.requireJupyter();
  const hasLab = spawnSync(jupyter, ["lab", "--version"], { encoding: "utf8" }).status === 0;
  const app = hasLab ? "lab" : "notebook";
  console.log(
    `Opening the chapters in ${hasLab ? "JupyterLab" : "the classic Jupyter Notebook"} (kernel: tslab).`,
  );
  // Jupyter refuses to run as root without --allow-root (containers, CI-like machines).
  const args = [
    app,
    ...(process.getuid && process.getuid() === 0 ? ["--allow-root"] : []),
    ...extraArgs,
  ];
  const child = spawn(jupyter, args, {
    cwd: nb.NOTEBOOKS,
    env: env.jupyterEnv(),
    stdio: "inherit",
  });
  child.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
