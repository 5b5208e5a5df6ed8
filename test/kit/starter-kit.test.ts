/**
 * A starter kit as a reader gets it (scripts/book/kit.ts): chapter 1's zip, made as the book's build makes it,
 * unpacked into an empty folder outside the repository, installed with `npm install` from the npm registry
 * (--prefer-offline: npm's cache, which the repository's own install filled, answers first), then run headless
 * with `npm run execute`, the kit's non-interactive `npm start`: Jupyter's nbconvert on the kit's own tslab.
 * Nothing of the repository is on the kit's path: no workspace link, no JUPYTER_PATH, no npm_* variables.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanNotebook, packLibrary, starterKit, tslabVersion } from "../../scripts/book/kit";
import { BOOK } from "../../scripts/book/build";
import { ROOT, findJupyter, INSTALL_HINT } from "../../scripts/jupyter-env";
import { outputsOf } from "../../scripts/notebook-format";
import { ExecutedChapter, readNotebook } from "../notebooks/harness";

const CHAPTER = "01-perceptron-logic-gates";
let scratch: string;
let kit: string;
let files: string[];
let chapter: ExecutedChapter;
const seconds: Record<string, number> = {};

/** The environment of a fresh shell: the suite's npm and Jupyter settings left out. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(npm_|JUPYTER_PATH$|GTD_|GATES_)/i.test(k)),
  );
  // The suite's Jupyter (scripts/jupyter-env.ts finds it), which the kit's launcher honours as $JUPYTER.
  return { ...env, JUPYTER: findJupyter() ?? "" };
}

function timed(step: string, command: string, args: string[]): string {
  const began = Date.now();
  try {
    return execFileSync(command, args, {
      cwd: kit,
      env: cleanEnv(),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 10 * 60_000,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${step} failed in ${kit}:\n${stdout ?? ""}${stderr ?? ""}`);
  } finally {
    seconds[step] = (Date.now() - began) / 1000;
  }
}

beforeAll(() => {
  if (!findJupyter()) throw new Error(INSTALL_HINT);
  const zip = starterKit({
    folder: CHAPTER,
    title: "Chapter 1 · Perceptrons and logic gates",
    notebooks: [{ file: `${CHAPTER}.ipynb`, json: cleanNotebook(CHAPTER, true) }],
    library: packLibrary(),
    book: BOOK,
    version: "test",
  });
  scratch = mkdtempSync(join(tmpdir(), "gtd-kit-"));
  const entries = unzipSync(zip);
  files = Object.keys(entries).filter((f) => !f.endsWith("/"));
  for (const [name, bytes] of Object.entries(entries)) {
    if (name.endsWith("/")) continue;
    mkdirSync(dirname(join(scratch, name)), { recursive: true });
    writeFileSync(join(scratch, name), bytes);
  }
  kit = join(scratch, CHAPTER);
  timed("npm install", "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"]);
  timed("npm run execute", "npm", ["run", "execute"]);
  const executed = join(kit, "executed", `${CHAPTER}.ipynb`);
  chapter = new ExecutedChapter(executed, readNotebook(executed));
  console.log(
    `starter kit of ${CHAPTER}: ${zip.length} bytes; ` +
      Object.entries(seconds)
        .map(([step, s]) => `${step} ${s.toFixed(1)} s`)
        .join(", "),
  );
}, 15 * 60_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("chapter 1's starter kit, unpacked outside the repository", () => {
  it("unpacks to one folder: the notebook, the library's tarball, package.json, start.js, README", () => {
    expect(relative(ROOT, kit).startsWith("..")).toBe(true);
    expect(files.map((f) => f.slice(CHAPTER.length + 1)).sort()).toEqual([
      ".gitignore",
      `${CHAPTER}.ipynb`,
      "README.md",
      "gates-to-digits-0.1.0.tgz",
      "package.json",
      "start.js",
    ]);
    const pkg = JSON.parse(readFileSync(join(kit, "package.json"), "utf8"));
    expect(pkg.dependencies).toEqual({
      "gates-to-digits": "file:gates-to-digits-0.1.0.tgz",
      tslab: tslabVersion(),
    });
    expect(pkg.scripts.start).toBe("node start.js");
    const readme = readFileSync(join(kit, "README.md"), "utf8");
    expect(readme).toMatch(/```sh\nnpm install\nnpm start\n```/);
    expect(readme).toContain("Node.js 20.19 or newer");
    expect(readme).toContain("Python 3 with Jupyter");
  });

  it("installs the library from its tarball into the kit, not a link to the repository", () => {
    const installed = realpathSync(join(kit, "node_modules", "gates-to-digits"));
    expect(installed).toBe(join(realpathSync(kit), "node_modules", "gates-to-digits"));
    const lib = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    expect(lib.name).toBe("gates-to-digits");
    for (const file of ["build/index.js", "build/index.d.ts", "build/kernels.wasm"])
      expect(readFileSync(join(installed, file)).length, file).toBeGreaterThan(0);
  });

  it("registers its own tslab, inside the kit, as the notebook's kernel", () => {
    const spec = JSON.parse(
      readFileSync(join(kit, "jupyter", "kernels", "tslab", "kernel.json"), "utf8"),
    );
    expect(spec.argv[1]).toBe(join(kit, "node_modules", "tslab", "bin", "tslab"));
    expect(chapter.notebook.metadata.kernelspec?.name).toBe("tslab");
  });

  it("runs the chapter headless: every cell, the numbers the text states, the figures", () => {
    const errors = chapter.notebook.cells.flatMap((c) =>
      outputsOf(c).filter((o) => o.output_type === "error"),
    );
    expect(errors).toEqual([]);
    expect(chapter.stdout("check-learning")).toContain(
      "AND: learned in 11 epochs (errors per epoch: 1, 1, 3, 2, 3, 2, 2, 3, 2, 1, 0)",
    );
    expect(chapter.stdout("check-xor")).toContain("XOR after 100 epochs: converged false");
    expect(chapter.prose()).toContain("AND in 11 epochs");
    expect(chapter.figureCount()).toBeGreaterThanOrEqual(5);
  });
});
