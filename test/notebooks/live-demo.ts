/**
 * Chapter 7's live-demo notebook: the chapter's own cells, unchanged, up to and including each kind of
 * training run (Nielsen's network, the first of the five ideas, the seed study, the best network) and
 * nothing else, run with GTD_LIVE_DEMO=1 in the kernel's environment. 07-mnist-live-demo.test.ts
 * executes it and checks what it prints; the page runner's test (test/runner/) runs the same cells in
 * chapter 7's page on `?live-demo` and compares them with this run.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cellText as text, type Cell, type Notebook } from "../../scripts/notebook-format";
import { executeNotebook, freshExecution } from "../../scripts/notebooks";
import { REPO_ROOT } from "../browser/render";
import { NOTEBOOKS, readNotebook } from "./harness";

/** Where the live-demo notebook is written (build/executed/ then holds its run under the same name). */
export const LIVE_DEMO_NOTEBOOK = join(REPO_ROOT, "build", "live-demo", "07-mnist-live-demo.ipynb");

/** The index of the cell whose metadata carries `tag`. */
function cellTagged(cells: Cell[], tag: string): number {
  const index = cells.findIndex((c) => c.metadata?.tags?.includes(tag));
  if (index < 0) throw new Error(`chapter 7 has no cell tagged ${tag}`);
  return index;
}

/**
 * The chapter's cells up to Nielsen's run, the cell defining tryIdea and its first use, the table
 * (which names the epochs) and the seed study, and the best network's run.
 */
export function liveDemoCells(chapter: Notebook): Cell[] {
  const cells = chapter.cells;
  const ideas = cells.findIndex((c) => text(c.source).includes("function tryIdea("));
  if (ideas < 0) throw new Error("chapter 7 has no cell defining tryIdea");
  return [
    ...cells.slice(0, cellTagged(cells, "check-nielsen") + 1),
    cells[ideas],
    cells[cellTagged(cells, "check-step-1")],
    cells[cellTagged(cells, "check-ideas")],
    cells[cellTagged(cells, "check-seeds")],
    cells[cellTagged(cells, "check-best")],
  ];
}

/**
 * Writes the live-demo notebook from notebooks/07-mnist.ipynb; returns its path. The import needs no
 * change in build/live-demo/: "gates-to-digits" resolves from any folder of the repository.
 */
export function writeLiveDemoNotebook(): string {
  const chapter = readNotebook(join(NOTEBOOKS, "07-mnist.ipynb"));
  mkdirSync(join(LIVE_DEMO_NOTEBOOK, ".."), { recursive: true });
  const notebook = { ...chapter, cells: liveDemoCells(chapter) };
  writeFileSync(LIVE_DEMO_NOTEBOOK, JSON.stringify(notebook, null, 1) + "\n");
  return LIVE_DEMO_NOTEBOOK;
}

/** Runs `body` with GTD_LIVE_DEMO=1 in this process's environment, which the kernel inherits. */
export async function withLiveDemo<T>(body: () => Promise<T>): Promise<T> {
  const before = process.env.GTD_LIVE_DEMO;
  process.env.GTD_LIVE_DEMO = "1";
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.GTD_LIVE_DEMO;
    else process.env.GTD_LIVE_DEMO = before;
  }
}

/**
 * The executed live-demo notebook: the last run if nothing it depends on changed since (as
 * 07-mnist-live-demo.test.ts leaves it when `npm test` runs it first), else a new run.
 */
export async function liveDemoRun(): Promise<{ path: string; reused: boolean }> {
  const file = writeLiveDemoNotebook();
  const fresh = freshExecution(file);
  if (fresh) return { path: fresh.path, reused: true };
  const path = await withLiveDemo(() => executeNotebook(file, { timeoutSec: 300 }));
  return { path, reused: false };
}
