// `npm run book`: builds the offline HTML edition in site/ from the executed chapters.
//   tsx scripts/book/build.ts [chapter…] [--reuse-only] [--out DIR] [--no-solutions] [--pdf]
// Each chapter is executed only when it has no fresh run in build/executed/ (a hash of the
// notebook, lib/ and the lock file decides; see ensureExecuted in scripts/notebooks.ts). Besides the
// pages it writes each chapter's slide deck (slides/, see slides.ts), its exercise sheet
// (downloads/, see exercises.ts) and the instructor's kit (instructors.html), and bundles the pages'
// scripts (client/) with esbuild.
// --reuse-only fails instead of executing: CI uses it after `npm test` to prove that the tests'
// runs were reused. Naming chapters builds a book of just those (for a quick preview).
// --no-solutions builds a site without the exercises' worked solutions (pages, downloads, decks and
// search carry none), for a course that grades them; the answer keys then go to a folder beside the
// site (DIR-answer-key/), not into it. --pdf also prints the whole book into one PDF (pdf.ts),
// linked from the index: `npm run book:pdf`.
import fs from "fs";
import path from "path";
import { execFileSync } from "child_process";
import { buildSync } from "esbuild";
import { zipSync, type Zippable } from "fflate";
import { plotlyScriptTag } from "../../lib/src/notebook/plot/show";
import { ROOT } from "../jupyter-env";
import { isEntryPoint } from "../entry-point";
import { readNotebook, type Notebook } from "../notebook-format";
import * as nb from "../notebooks";
import bookJson from "./book.json";
import {
  answerKey,
  exerciseSheet,
  exercisesOf,
  withoutSolutions,
  type Exercise,
} from "./exercises";
import { cleanNotebook, packLibrary, writeStarterKits } from "./kit";
import { chapterPage, indexPage, instructorsPage, referencePage } from "./layout";
import { bookPdf, PDF_FILE, type BookPdf } from "./pdf";
import { renderChapter, type RenderedChapter } from "./render";
import { writeLibraryForBrowser, writeMnistData } from "./library-bundle";
import { searchIndexScript } from "./search";
import {
  deckContentSecurityPolicy,
  deckPage,
  deckSlides,
  speakerViewScriptHash,
  type Deck,
} from "./slides";
import type { Book, BuildInfo, Chapter, Reference, Site } from "./types";

export const SITE = path.join(ROOT, "site");
/** The whole book's starter kit, in the site. */
export const BOOK_KIT = "downloads/from-gates-to-digits-starter-kit.zip";
export const BOOK: Book = bookJson;
/**
 * The pages' scripts, TypeScript in client/, bundled into assets/ by esbuild: assets/NAME.js from
 * client/FILE.ts.
 */
const CLIENT_SCRIPTS: Record<string, string> = {
  book: "book",
  slides: "slides",
  theme: "theme",
};

function gitCommit(): string {
  try {
    const run = (args: string[]) =>
      execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: "pipe" }).trim();
    const commit = run(["rev-parse", "--short=10", "HEAD"]);
    const dirty = run(["status", "--porcelain", "--untracked-files=no"]) !== "";
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return "unknown (not a git checkout)";
  }
}

function bookVersion(): string {
  return (readJson(path.join(ROOT, "package.json")) as { version: string }).version;
}

function libraryVersion(): string {
  const lib = JSON.parse(fs.readFileSync(path.join(ROOT, "lib", "package.json"), "utf8"));
  return `${lib.name} ${lib.version}`;
}

function copy(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true });
}

/** The folder of an installed package (some packages do not export their package.json). */
function packageDir(name: string): string {
  let dir = path.dirname(require.resolve(name, { paths: [ROOT] }));
  while (
    !fs.existsSync(path.join(dir, "package.json")) ||
    (readJson(path.join(dir, "package.json")) as { name?: string }).name !== name
  ) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the folder of the package ${name}`);
    dir = parent;
  }
  return dir;
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** How esbuild bundles a script for the pages: one classic script per entry, for current browsers. */
const PAGE_SCRIPT = {
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2020",
  charset: "utf8",
  legalComments: "inline",
  logLevel: "silent",
} as const;

/**
 * The pages' scripts (client/*.ts, with what they import: the figure payload of lib/, MiniSearch),
 * bundled by esbuild into `assets`, one file each, to run as classic scripts.
 */
function bundleClientScripts(assets: string): void {
  const result = buildSync({
    ...PAGE_SCRIPT,
    entryPoints: Object.entries(CLIENT_SCRIPTS).map(([out, file]) => ({
      out,
      in: path.join(__dirname, "client", `${file}.ts`),
    })),
    outdir: assets,
  });
  if (result.errors.length) {
    throw new Error(
      `bundling the pages' scripts failed: ${result.errors.map((e) => e.text).join("; ")}`,
    );
  }
}

/**
 * The chapter pages' runner, loaded on a page's first Run (client/run-buttons.ts), not with the
 * page: assets/runner.js (the editor, the outputs; client/runner/page.ts) and the worker that runs
 * the cells (client/runner/worker-entry.ts), which imports the library's browser bundle
 * (assets/library/, written by buildBook). Minified: their bytes are what a reader's first Run
 * downloads.
 */
function bundleRunner(assets: string): void {
  const result = buildSync({
    ...PAGE_SCRIPT,
    entryPoints: [{ out: "runner", in: path.join(__dirname, "client", "runner", "page.ts") }],
    outdir: assets,
    minify: true,
  });
  const worker = buildSync({
    ...PAGE_SCRIPT,
    entryPoints: [
      { out: "runner-worker", in: path.join(__dirname, "client", "runner", "worker-entry.ts") },
    ],
    outdir: assets,
    format: "esm", // a module worker: it imports the library's bundle
    target: "es2022",
    minify: true,
  });
  const errors = [...result.errors, ...worker.errors];
  if (errors.length)
    throw new Error(`bundling the runner failed: ${errors.map((e) => e.text).join("; ")}`);
}

function writeAssets(out: string, chapters: Chapter[], references: Reference[]): void {
  const assets = path.join(out, "assets");
  copy(path.join(__dirname, "assets"), assets);
  bundleClientScripts(assets);
  bundleRunner(assets);
  // The plotly.js the notebooks inline (setupPlots), so the figures are drawn by the same version.
  copy(
    path.join(packageDir("plotly.js-dist-min"), "plotly.min.js"),
    path.join(assets, "plotly.min.js"),
  );
  const katex = path.join(packageDir("katex"), "dist");
  copy(path.join(katex, "katex.min.css"), path.join(assets, "katex", "katex.min.css"));
  // Only the woff2 fonts: every browser that runs the site reads them, and never asks for the
  // others.
  fs.mkdirSync(path.join(assets, "katex", "fonts"), { recursive: true });
  for (const font of fs
    .readdirSync(path.join(katex, "fonts"))
    .filter((f) => f.endsWith(".woff2"))) {
    fs.copyFileSync(path.join(katex, "fonts", font), path.join(assets, "katex", "fonts", font));
  }
  fs.writeFileSync(path.join(assets, "search-index.js"), searchIndexScript(chapters, references));
  // MNIST's IDX files, gzipped, for loadMnist when a chapter runs in its page (library-bundle.ts).
  writeMnistData(out);
  // reveal.js for the decks: the script, its stylesheet (the decks' theme is slides.css), the
  // speaker notes plugin, and its licence.
  const reveal = packageDir("reveal.js");
  for (const file of ["dist/reveal.js", "dist/reveal.css", "dist/plugin/notes.js", "LICENSE"]) {
    copy(path.join(reveal, file), path.join(assets, "reveal", file.replace(/^dist\//, "")));
  }
}

const notebookJson = (notebook: Notebook) => JSON.stringify(notebook, null, 1) + "\n";

/** Where a build without solutions puts the answer keys: a folder beside the site, not in it. */
export const answerKeyFolder = (out: string) =>
  path.join(path.dirname(out), `${path.basename(out)}-answer-key`);

/**
 * The chapter's notebook as committed (no outputs), zipped with the outputs of the run, its exercise
 * sheet and its answer key. Without solutions the first two lose them too, and the answer key goes
 * beside the site.
 */
function writeDownloads(out: string, chapter: Chapter, solutions: boolean): void {
  const downloads = path.join(out, "downloads");
  fs.mkdirSync(downloads, { recursive: true });
  const committed = readNotebook(nb.notebookPath(chapter.name));
  const label = `chapter ${chapter.number}, ${chapter.title}`;
  fs.writeFileSync(path.join(out, chapter.downloads.clean), cleanNotebook(chapter.name, solutions));
  const key = solutions
    ? path.join(out, chapter.downloads.answerKey!)
    : path.join(answerKeyFolder(out), `${chapter.name}-answer-key.ipynb`);
  fs.mkdirSync(path.dirname(key), { recursive: true });
  fs.writeFileSync(key, notebookJson(answerKey(committed, { chapterLabel: label })));
  // Zipped: the outputs carry plotly.js (4.8 MB) that figures need in Jupyter; it compresses to a
  // third.
  const executed = solutions
    ? fs.readFileSync(chapter.executedPath)
    : Buffer.from(notebookJson(withoutSolutions(readNotebook(chapter.executedPath))));
  const files: Zippable = {
    [`${chapter.name}.ipynb`]: [executed, { mtime: new Date("2000-01-01T00:00:00Z") }],
  };
  fs.writeFileSync(path.join(out, chapter.downloads.withOutputs), zipSync(files, { level: 9 }));
  const sheet = exerciseSheet(committed, {
    chapterLabel: label,
    bookPage: solutions ? chapter.page : undefined,
  });
  fs.writeFileSync(
    path.join(out, chapter.downloads.exercises),
    JSON.stringify(sheet, null, 1) + "\n",
  );
}

function sizeOf(target: string): number {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.size;
  return fs.readdirSync(target).reduce((sum, name) => sum + sizeOf(path.join(target, name)), 0);
}

/**
 * The chapter's run: reused when fresh, else executed (with a progress line). `step` names the chapter
 * in messages; a failing cell fails with the chapter, the cell and its output. With `reuseOnly` a
 * chapter without a fresh run is an error instead.
 */
export async function chapterRun(
  name: string,
  {
    step = name,
    reuseOnly = false,
    log = console.log,
  }: { step?: string; reuseOnly?: boolean; log?: (line: string) => void } = {},
): Promise<nb.ChapterRun> {
  if (reuseOnly) {
    const fresh = nb.freshExecution(name);
    if (!fresh)
      throw new Error(`${step}: no fresh run in build/executed/ and --reuse-only was given`);
    return { ...fresh, reused: true };
  }
  if (!nb.freshExecution(name)) log(`${step}: executing …`);
  try {
    return await nb.ensureExecuted(name);
  } catch (error) {
    throw new Error(
      `${step} failed (its partial run is in build/executed/):\n${(error as Error).message}`,
    );
  }
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const kilobytes = (bytes: number) => `${Math.round(bytes / 1e3)} kB`;

export interface BuildOptions {
  /** The chapters to build (all by default): names or notebook paths. */
  names?: string[];
  /** The site's folder; site/ by default. */
  out?: string;
  /** Fail instead of executing a chapter without a fresh run. */
  reuseOnly?: boolean;
  /** Publish the exercises' worked solutions (true by default); see --no-solutions above. */
  solutions?: boolean;
  /** Also print the whole book into one PDF (pdf.ts). */
  pdf?: boolean;
  log?: (line: string) => void;
}

/** What a build made: the chapters and pages, the decks, the site's size and time, what it executed. */
export interface BuiltBook {
  out: string;
  chapters: Chapter[];
  references: Reference[];
  pages: { file: string; bytes: number }[];
  decks: { file: string; slides: number; bytes: number }[];
  bytes: number;
  seconds: number;
  executed: string[];
  /** The book's PDF, when asked for: its file, pages, size, build time, widest figure. */
  pdf: BookPdf | null;
}

/** Builds the book into `out` (default site/). */
export async function buildBook({
  names,
  out = SITE,
  reuseOnly = false,
  solutions = true,
  pdf = false,
  log = console.log,
}: BuildOptions = {}): Promise<BuiltBook> {
  const began = Date.now();
  const all = nb.listNotebooks().map((file) => file.replace(/\.ipynb$/, ""));
  const chosen = names?.length ? names.map((n) => path.basename(n).replace(/\.ipynb$/, "")) : all;
  for (const name of chosen) nb.notebookPath(name); // fails early, listing the chapters there are
  const isReference = (name: string) => Boolean(BOOK.references?.[name]);
  const missing = chosen.filter((name) => !BOOK.summaries[name] && !isReference(name));
  if (missing.length)
    throw new Error(`scripts/book/book.json has no summary for ${missing.join(", ")}`);
  const unprepared = chosen.filter((name) => !isReference(name) && !BOOK.prerequisites?.[name]);
  if (unprepared.length) {
    throw new Error(
      `scripts/book/book.json has no prerequisites for ${unprepared.join(", ")} ` +
        `(chapters, maths, typescript: see the README)`,
    );
  }
  // setupPlots()'s output, which the book replaces by assets/plotly.min.js.
  const bundleTag = plotlyScriptTag();
  const chapters: Chapter[] = [];
  // Pages that are not chapters (the notation page): no number, no learning goals, listed apart.
  const references: Reference[] = [];
  const executed: string[] = [];
  for (const [i, name] of chosen.entries()) {
    const step = `[${i + 1}/${chosen.length}] ${name}`;
    const run = await chapterRun(name, { step, reuseOnly, log });
    if (!run.reused) executed.push(name);
    // Without solutions, the chapter is rendered, searched and made into slides without them.
    const shown = (notebook: Notebook) => (solutions ? notebook : withoutSolutions(notebook));
    const executedNotebook = readNotebook(run.path);
    const notebook = shown(executedNotebook);
    let rendered: RenderedChapter;
    try {
      rendered = renderChapter(notebook, {
        plotlyBundleTag: bundleTag,
        committed: readNotebook(nb.notebookPath(name)),
      });
    } catch (error) {
      throw new Error(`${step}: cannot render ${(error as Error).message}`);
    }
    if (isReference(name)) {
      const title = rendered.title;
      if (!title) throw new Error(`${step}: it needs a "# Title" heading`);
      log(`${step}: ${run.reused ? "up to date" : "executed"}; a reference page`);
      references.push({
        ...rendered,
        title,
        name,
        page: `${name}.html`,
        runSeconds: run.record.seconds,
      });
      continue;
    }
    const heading = /^Chapter (\d+) · (.+)$/.exec(rendered.title ?? "");
    if (!heading) throw new Error(`${step}: its first heading should read "# Chapter N · Title"`);
    if (!rendered.goals.length) {
      throw new Error(
        `${step}: no "By the end of this chapter you will be able to" list in its opening`,
      );
    }
    const when = run.reused
      ? `up to date (run of ${run.record.finished.slice(0, 16)})`
      : "executed";
    const number = Number(heading[1]);
    let deck: Deck;
    let exercises: Exercise[];
    try {
      deck = deckSlides(notebook, shown(readNotebook(nb.notebookPath(name))), {
        plotlyBundleTag: bundleTag,
        heading: heading[0],
        goals: rendered.goals,
      });
      exercises = exercisesOf(executedNotebook);
    } catch (error) {
      throw new Error(
        `${step}: cannot make its slides or exercise list: ${(error as Error).message}`,
      );
    }
    log(
      `${step}: ${when}, ${run.record.seconds} s; ${rendered.figures} figures, ` +
        `${deck.slides} slides, ${exercises.length} exercises`,
    );
    if (deck.untagged.length) {
      log(
        `${step}: warning: cells ${deck.untagged.join(", ")} have no slide type ` +
          `(metadata.slideshow.slide_type; see the README), so they continue the slide before them`,
      );
    }
    chapters.push({
      ...rendered,
      name,
      number,
      title: heading[2],
      page: `${name}.html`,
      runSeconds: run.record.seconds,
      executedPath: run.path,
      downloads: {
        clean: `downloads/${name}.ipynb`,
        withOutputs: `downloads/${name}-with-outputs.zip`,
        exercises: `downloads/${name}-exercises.ipynb`,
        answerKey: solutions ? `downloads/${name}-answer-key.ipynb` : null,
        kit: `downloads/${name}-starter-kit.zip`,
      },
      deck: {
        page: `slides/${name}.html`,
        slides: deck.slides,
        figures: deck.figures,
        content: deck,
      },
      exercises,
    });
  }
  const build: BuildInfo = {
    date: new Date().toISOString().slice(0, 10),
    commit: gitCommit(),
    version: bookVersion(),
    library: libraryVersion(),
  };
  if (BOOK.repository.includes("/OWNER/")) {
    log(
      `warning: scripts/book/book.json's repository is a placeholder (${BOOK.repository}): ` +
        `set the source repository's address before publishing`,
    );
  }
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  writeAssets(out, chapters, references);
  // The library for the runner's worker, with its WebAssembly kernels beside it.
  await writeLibraryForBrowser(path.join(out, "assets", "library"));
  const site: Site = {
    book: BOOK,
    chapters,
    references,
    build,
    solutions,
    pdf: pdf ? PDF_FILE : null,
    bookKit: BOOK_KIT,
  };
  const library = packLibrary();
  const kits = writeStarterKits(out, site, library);
  log(
    `starter kits: the library ${library.file} ${kilobytes(library.bytes.length)}; ` +
      `chapters' kits up to ${kilobytes(Math.max(0, ...kits.chapters))}, ` +
      `the whole book's ${kilobytes(kits.book)}`,
  );
  const pages: BuiltBook["pages"] = [];
  const page = (file: string, html: string) => {
    fs.writeFileSync(path.join(out, file), html);
    pages.push({ file, bytes: Buffer.byteLength(html) });
  };
  page("index.html", indexPage(site));
  for (const chapter of chapters) {
    page(chapter.page, chapterPage(site, chapter));
    writeDownloads(out, chapter, solutions);
  }
  for (const reference of references) page(reference.page, referencePage(site, reference));
  page("instructors.html", instructorsPage(site));
  fs.mkdirSync(path.join(out, "slides"), { recursive: true });
  const notesPlugin = path.join(packageDir("reveal.js"), "dist", "plugin", "notes.js");
  const policy = deckContentSecurityPolicy(
    speakerViewScriptHash(fs.readFileSync(notesPlugin, "utf8")),
  );
  const decks = chapters.map((chapter) => {
    const html = deckPage({ book: BOOK, chapter, deck: chapter.deck.content, policy });
    fs.writeFileSync(path.join(out, chapter.deck.page), html);
    return { file: chapter.deck.page, slides: chapter.deck.slides, bytes: Buffer.byteLength(html) };
  });
  if (!solutions) log(`answer keys (not in the site): ${answerKeyFolder(out)}`);
  const printed = pdf ? await bookPdf(site, out, { log }) : null;
  const bytes = sizeOf(out);
  const seconds = (Date.now() - began) / 1000;
  for (const p of pages) log(`  ${p.file.padEnd(42)} ${megabytes(p.bytes)}`);
  for (const d of decks)
    log(`  ${d.file.padEnd(42)} ${megabytes(d.bytes)}, ${String(d.slides).padStart(3)} slides`);
  log(`  ${"assets/".padEnd(42)} ${megabytes(sizeOf(path.join(out, "assets")))}`);
  log(`  ${"downloads/".padEnd(42)} ${megabytes(sizeOf(path.join(out, "downloads")))}`);
  log(`  ${"data/".padEnd(42)} ${megabytes(sizeOf(path.join(out, "data")))}`);
  log(
    `${path.relative(ROOT, out) || out}/: ${megabytes(bytes)} in all; ` +
      `built in ${seconds.toFixed(1)} s` +
      (executed.length
        ? ` (executed ${executed.length} chapter${executed.length > 1 ? "s" : ""})`
        : ""),
  );
  return { out, chapters, references, pages, decks, bytes, seconds, executed, pdf: printed };
}

/** The command line: builds the book, or prints why not and exits with 1. */
export function main(): void {
  run(process.argv.slice(2)).catch((error) => {
    console.error(`npm run book: ${(error as Error).message}`);
    process.exit(1);
  });
}

async function run(args: string[]): Promise<void> {
  const options: BuildOptions & { names: string[] } = { names: [], reuseOnly: false };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--reuse-only") options.reuseOnly = true;
    else if (args[i] === "--no-solutions") options.solutions = false;
    else if (args[i] === "--pdf") options.pdf = true;
    else if (args[i] === "--out") {
      const dir = args[++i];
      if (!dir || dir.startsWith("--"))
        throw new Error("--out needs a folder, e.g. --out /tmp/site");
      options.out = path.resolve(dir);
    } else if (args[i].startsWith("--")) throw new Error(`unknown option ${args[i]}`);
    else options.names.push(args[i]);
  }
  await buildBook(options);
}

if (isEntryPoint(__filename)) main();
