// Registers this project's tslab kernel with Jupyter.
//   tsx scripts/kernel.ts local   project-local (build/jupyter), run by `npm install`; needs no Jupyter
//   tsx scripts/kernel.ts user    for the current user, so VS Code or a JupyterLab you already run can pick it
import path from "path";
import { spawnSync } from "child_process";
import * as env from "./jupyter-env";

const mode = process.argv[2];
if (mode === "local") {
  const dir = env.writeKernelSpec(env.JUPYTER_DATA);
  console.log(
    `tslab kernelspec written to ${path.relative(env.ROOT, dir)} (used by npm start and npm test)`,
  );
} else if (mode === "user") {
  // `jupyter --data-dir` is the user's data folder on every platform (Debian ships no `jupyter kernelspec`).
  const jupyter = env.requireJupyter();
  const probe = spawnSync(jupyter, ["--data-dir"], { encoding: "utf8" });
  if (probe.status !== 0) {
    console.error(`\`${jupyter} --data-dir\` failed:\n${probe.stderr}`);
    process.exit(1);
  }
  const dir = env.writeKernelSpec(probe.stdout.trim());
  console.log(
    `Registered the kernel "${env.kernelSpec().display_name}" (name: ${env.KERNEL_NAME}) in ${dir}.`,
  );
  console.log(
    "It runs this project's tslab; re-run `npm run kernel:install` if you move the project or change Node.",
  );
} else {
  console.error("usage: tsx scripts/kernel.ts local|user");
  process.exit(2);
}
