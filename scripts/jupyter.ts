// Entry point of `npm start`, `npm run notebooks:run` and `npm run notebooks:html`.
//   tsx scripts/jupyter.ts start [args…]   open the chapters in JupyterLab (or the classic Notebook)
//   tsx scripts/jupyter.ts run  [names…]   execute chapters headless into build/executed/
//   tsx scripts/jupyter.ts html [names…]   execute, then render to build/html/
import { spawn, spawnSync } from "child_process";
import * as env from "./jupyter-env";
import * as nb from "./notebooks";

async function main(): Promise<void> {
  const [command, ...names] = process.argv.slice(2);
  if (command === "start") return start(names);
  if (command !== "run" && command !== "html") {
    console.error("usage: tsx scripts/jupyter.ts start | run [notebook…] | html [notebook…]");
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
function start(extraArgs: string[]): void {
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
