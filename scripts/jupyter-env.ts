// Where this project keeps its Jupyter kernel and how it finds Jupyter.
import fs from "fs";
import path from "path";
import { spawnSync } from "child_process";

export const ROOT = path.resolve(__dirname, "..");
export const BUILD = path.join(ROOT, "build");
/** Project-local Jupyter data folder: Jupyter finds our kernelspec here through JUPYTER_PATH. */
export const JUPYTER_DATA = path.join(BUILD, "jupyter");
export const KERNEL_NAME = "tslab";
const TSLAB_BIN = path.join(ROOT, "node_modules", "tslab", "bin", "tslab");

export const INSTALL_HINT = [
  "Jupyter was not found (looked for `jupyter` on PATH and at /usr/bin/jupyter).",
  "Install it with one of:",
  "  pip install jupyterlab          # or: pip install notebook",
  "  sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel   # Debian/Ubuntu",
].join("\n");

/** The kernelspec: absolute paths to this Node and this project's tslab, so nothing global is needed. */
export function kernelSpec(): { argv: string[]; display_name: string; language: string } {
  if (!fs.existsSync(TSLAB_BIN)) {
    throw new Error(`tslab is not installed at ${TSLAB_BIN}; run \`npm install\` first.`);
  }
  return {
    // tslab wants the connection file as a separate argument after --config-path.
    argv: [process.execPath, TSLAB_BIN, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript (From Gates to Digits)",
    language: "typescript",
  };
}

/** Writes the kernelspec into `dataDir/kernels/tslab/kernel.json` and returns that folder. */
export function writeKernelSpec(dataDir: string): string {
  const dir = path.join(dataDir, "kernels", KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(kernelSpec(), null, 2) + "\n");
  return dir;
}

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

let cachedJupyter: string | null | undefined;
/**
 * The `jupyter` command to use, or null. A pyenv/virtualenv shim can sit on PATH without Jupyter
 * behind it, so each candidate must answer `--version` before it is chosen.
 */
export function findJupyter(): string | null {
  if (cachedJupyter !== undefined) return cachedJupyter;
  const candidates = [process.env.JUPYTER, onPath("jupyter"), "/usr/bin/jupyter"].filter(
    (c): c is string => Boolean(c),
  );
  cachedJupyter = null;
  for (const candidate of new Set(candidates)) {
    const probe = spawnSync(candidate, ["--version"], { encoding: "utf8" });
    if (probe.status === 0) {
      cachedJupyter = candidate;
      break;
    }
  }
  return cachedJupyter;
}

/**
 * The first Python that can import every one of `modules`, or null. Tried in order: $PYTHON (the reader's
 * choice), the interpreter in the `jupyter` script's shebang (the one Jupyter runs on), `python3` on PATH,
 * and Debian's /usr/bin/python3. Each is probed, since a pyenv or virtualenv python3 can sit first on PATH
 * without the packages the system's Jupyter has.
 */
export function findPython(modules: string[]): string | null {
  const key = modules.join(",");
  if (pythonFor.has(key)) return pythonFor.get(key) ?? null;
  const candidates = [
    process.env.PYTHON,
    jupyterShebangPython(),
    onPath("python3"),
    "/usr/bin/python3",
  ];
  let found: string | null = null;
  for (const candidate of new Set(candidates.filter((c): c is string => Boolean(c)))) {
    const probe = spawnSync(candidate, ["-c", `import ${key}`], { encoding: "utf8" });
    if (probe.status === 0) {
      found = candidate;
      break;
    }
  }
  pythonFor.set(key, found);
  return found;
}
const pythonFor = new Map<string, string | null>();

function jupyterShebangPython(): string | null {
  const jupyter = findJupyter();
  if (!jupyter) return null;
  const firstLine = fs.readFileSync(jupyter, "utf8").split("\n", 1)[0];
  return /^#!\s*(\S*python[\d.]*)\s*$/.exec(firstLine)?.[1] ?? null;
}

/** A Python that has nbclient: the one Jupyter runs on (see findPython for the order tried). */
export function findJupyterPython(): string | null {
  return findPython(["nbclient", "nbformat"]);
}

export function requireJupyter(): string {
  const jupyter = findJupyter();
  if (!jupyter) {
    console.error(INSTALL_HINT);
    process.exit(1);
  }
  return jupyter;
}

/** Environment for every Jupyter process we start: our kernelspec first, our node_modules/.bin on PATH. */
export function jupyterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  writeKernelSpec(JUPYTER_DATA);
  const jupyterPath = [JUPYTER_DATA, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  const binPath = [path.join(ROOT, "node_modules", ".bin"), process.env.PATH].join(path.delimiter);
  return { ...process.env, JUPYTER_PATH: jupyterPath, PATH: binPath, ...extra };
}
