/**
 * The chapter pages' runner in Chromium (scripts/book/client/runner/): the book as built, served on
 * 127.0.0.1 (cross-origin isolated, as `npm run book:serve` serves it, and once without isolation,
 * as a plain static host), every other request blocked.
 *
 * - the runner's semantics, on chapter 1's page with cells edited in their editors: re-running a
 *   cell that declares a `const`, top-level await, an error leaving the earlier cells' state usable,
 *   a cell run before the cell that declares what it uses, Reset, Restart, Stop during `fit`;
 * - Run all on chapters 1–6, 8 and 9, and chapter 7's live-demo cells on `?live-demo`, compared cell
 *   by cell with the notebook Jupyter executed: every line printed identical, except that each
 *   measured number (a duration, a ratio of measured times, a median and range over rounds, a share
 *   of the measured peak, a column of times: the rules under "Run all against Jupyter's run") is "#"
 *   on both sides, so its words and every other number still compare; what a page is not told or
 *   cannot start (chapter 8's processor, caches and numpy, chapter 7's MNIST folder) is turned into
 *   what the page must print by named rules (PAGE_RULES); every figure drawn; the tables' cells
 *   compared the same way. The page's worker computes Node 20's Math
 *   (lib/src/platform/v8-math.ts), so the digits are Node's.
 *
 * Builds the chapters it runs into a folder of its own, executing what is stale first, like the
 * book's test (vitest.config.ts runs both after the chapter tests, so nothing is executed again).
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  launchBrowser,
  openGuardedPage,
  screenshotPath,
  type GuardedPage,
} from "../browser/render";
import { buildBook, type BuiltBook } from "../../scripts/book/build";
import { serveFolder } from "../../scripts/book/serve";
import type { Notebook } from "../../scripts/notebook-format";
import { readNotebook } from "../notebooks/harness";
import { liveDemoRun } from "../notebooks/live-demo";
import { expectSameOutputs, storedOutputs, type CellOutputs } from "./compare";

let book: BuiltBook;
let folder: string;
const servers: Server[] = [];
let isolatedOrigin: string;
let plainOrigin: string;
let browser: Browser;

/**
 * The chapters whose Run all is compared with Jupyter's run: every chapter but 7. The pages print
 * Node's last digits because the worker installs Node 20's Math.exp, log, tanh, sin, cos, pow…
 * (lib/src/platform/v8-math.ts; Chromium 156's own differ in the last bit for up to 10% of inputs).
 * Chapter 8 prints measured speeds (GFLOP/s, ratios of kernels' times, a share of the peak): their
 * numbers are "#" on both sides; it has no shorter mode, and Jupyter's run in the suite is the full
 * chapter too (test/notebooks/08-making-it-fast.test.ts), about 85 s in the page. A page is not told
 * the processor's name, clock or caches, and cannot start Python for numpy: PAGE_RULES says what it
 * prints instead.
 */
const CHAPTERS = [
  "01-perceptron-logic-gates",
  "02-xor-with-layers",
  "03-activation-functions",
  "04-gradient-descent",
  "05-backpropagation",
  "06-softmax-and-cross-entropy",
  "08-making-it-fast",
  "09-automatic-differentiation",
];

/**
 * Chapter 7 is compared on `?live-demo` with its live-demo notebook (test/notebooks/live-demo.ts),
 * which holds 17 of the page's 35 code cells: everything up to Nielsen's run (cells 1–12), tryIdea
 * (13), the first idea (14), the ideas' table (20), the seed study (22) and the best network (26).
 * The page runs exactly those, each with its Run button, in that order, so that each sees the state
 * it saw in Jupyter (the seed study compares with the ideas run before it). Not in it, and not run
 * here: ideas 2a–5 (cells 15–19), the ideas' and the seeds' figures (21, 23), the search and its
 * figure (24, 25), the test set, confusion matrix, mistakes, weights, saving and memory (27–35). The
 * live-demo notebook leaves them out to spare the suite a second full run of the chapter (its test
 * says why); 07-mnist.test.ts checks them on the full schedule under tslab.
 */
const LIVE_DEMO_CHAPTER = "07-mnist";
let liveDemo: { path: string; reused: boolean };

beforeAll(async () => {
  // Only the chapters used here, into a folder of its own (site/ is the book test's).
  folder = mkdtempSync(join(tmpdir(), "gtd-runner-"));
  liveDemo = await liveDemoRun(); // `npm test` ran it in 07-mnist-live-demo.test.ts: reused
  console.log(`chapter 7's live-demo notebook: ${liveDemo.reused ? "reused" : "executed"}`);
  book = await buildBook({
    names: [...CHAPTERS, LIVE_DEMO_CHAPTER],
    out: folder,
    log: (line) => console.log(line),
  });
  const isolated = await serveFolder(folder);
  const plain = await serveFolder(folder, { isolated: false });
  servers.push(isolated.server, plain.server);
  isolatedOrigin = isolated.url;
  plainOrigin = plain.url;
  browser = await launchBrowser();
}, 20 * 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** A chapter page, opened with only its own server reachable. */
async function open(page: string, origin = isolatedOrigin): Promise<GuardedPage> {
  const guarded = await openGuardedPage(browser, { allowOrigins: [origin] });
  await guarded.page.goto(new URL(page, origin).href, { waitUntil: "load" });
  return guarded;
}

const cell = (n: number) => `#code-${n}`;

/** Waits until cell n's last run has ended; returns "ok" or "error". */
async function finished(page: Page, n: number, timeout = 60_000): Promise<string> {
  await page.waitForFunction(
    (id) => {
      const state = document.querySelector<HTMLElement>(id)?.dataset.run;
      return state === "ok" || state === "error";
    },
    cell(n),
    { timeout },
  );
  return page.$eval(cell(n), (el) => (el as HTMLElement).dataset.run!);
}

/** Clicks cell n's Run and waits for the run to end. */
async function run(page: Page, n: number, timeout?: number): Promise<string> {
  await page.$eval(cell(n), (el) => delete (el as HTMLElement).dataset.run);
  await page.click(`${cell(n)} .cell-tools button:text-is("Run")`);
  return finished(page, n, timeout);
}

/** Replaces cell n's code in its editor, as a reader types it. */
async function edit(page: Page, n: number, code: string): Promise<void> {
  const editor = `${cell(n)} .cm-content`;
  if (!(await page.$(editor))) await page.click(`${cell(n)} .input pre`);
  await page.click(editor);
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(code);
}

/** What cell n's run printed (its stdout and stderr, in order) and its error line, if any. */
function printed(page: Page, n: number): Promise<{ text: string; error: string }> {
  return page.$eval(cell(n), (el) => ({
    text: Array.from(el.querySelectorAll(".outputs.live pre.output.stream"))
      .map((p) => p.textContent)
      .join(""),
    error: el.querySelector(".outputs.live pre.output.error")?.textContent ?? "",
  }));
}

describe("the runner's semantics, on chapter 1's page (cross-origin isolated)", () => {
  it("re-running a const, top-level await, an error in cell 3, Reset, Restart, out of order", async () => {
    const guarded = await open("01-perceptron-logic-gates.html");
    const { page } = guarded;
    try {
      // Nothing of the runner before the first Run.
      const loaded = () =>
        page.evaluate(() =>
          performance
            .getEntriesByType("resource")
            .map((e) => e.name)
            .filter((n) => /runner|library\/|codemirror/.test(n)),
        );
      expect(await loaded()).toEqual([]);
      expect(await run(page, 1)).toBe("ok");
      expect((await loaded()).length).toBeGreaterThan(0);
      expect(await page.textContent(".run-status")).toMatch(/Runs on wasm with shared memory/);

      await edit(page, 2, "const x = 20;\nconsole.log(`x = ${x}`);");
      expect(await run(page, 2)).toBe("ok");
      expect(await run(page, 2)).toBe("ok"); // the same const, declared again
      expect((await printed(page, 2)).text).toBe("x = 20\n");

      await edit(
        page,
        3,
        "const y = await new Promise<number>((done) => setTimeout(() => done(x + 1), 50));\nthrow new Error(`no good after y = ${y}`);",
      );
      expect(await run(page, 3)).toBe("error");
      expect(await printed(page, 3)).toEqual({ text: "", error: "Error: no good after y = 21" });

      // Cells 1–2's state, and what cell 3 declared before it failed, are still there.
      await edit(page, 4, "console.log(x + y, typeof Perceptron);");
      expect(await run(page, 4)).toBe("ok");
      expect((await printed(page, 4)).text).toBe("41 function\n");

      // Reset puts back the book's code.
      await page.click(`${cell(4)} .cell-tools button:text-is("Reset")`);
      const text = await page.$eval(
        `${cell(4)} .cm-content`,
        (el) => (el as HTMLElement).innerText,
      );
      expect(text).toContain("const square = [-0.25, 1.25] as const;");
      expect(await page.isDisabled(`${cell(4)} .cell-tools button:text-is("Reset")`)).toBe(true);

      // Restart: a fresh worker, nothing defined. Cell 6 uses `learned`, which cell 5 declares:
      // run after cell 1 alone, it says so.
      await page.click('.run-bar button:text-is("Restart")');
      // x is declared by cell 2 as edited; no cell declares `nowhere`.
      await edit(page, 7, "console.log(x);");
      expect(await run(page, 7)).toBe("error");
      expect((await printed(page, 7)).error).toBe(
        "x is not defined yet: run cell 2 (under “1. One neuron: a weighted sum and a step”) first, which declares it",
      );
      await edit(page, 7, "console.log(nowhere);");
      expect(await run(page, 7)).toBe("error");
      expect((await printed(page, 7)).error).toBe("ReferenceError: nowhere is not defined");
      expect(await run(page, 1)).toBe("ok");
      expect(await run(page, 6)).toBe("error");
      expect((await printed(page, 6)).error).toBe(
        "learned is not defined yet: run cell 5 (under “3. Learning the weights: the perceptron rule”) first, which declares it",
      );
      expect(guarded.errors).toEqual([]);
      expect(guarded.blocked).toEqual([]);
    } finally {
      await guarded.context.close();
    }
  }, 120_000);
});

/** A cell that trains for far longer than a test waits, printing first that it started. */
const LONG_FIT = [
  'import { Matrix, Network, Random, SGD, fit } from "gates-to-digits";',
  "const X = Matrix.fromArray([[0, 0], [0, 1], [1, 0], [1, 1]]);",
  "const Y = Matrix.fromColumn([0, 1, 1, 0]);",
  'const net = new Network({ sizes: [2, 32, 1], loss: "binaryCrossEntropy", random: new Random() });',
  'console.log("training");',
  "fit(net, X, Y, { epochs: 10_000_000, batchSize: 1, optimizer: new SGD({ learningRate: 0.1 }) });",
].join("\n");

/** Runs LONG_FIT in cell 2 and presses Stop once it prints that it trains. */
async function stopDuringFit(page: Page): Promise<void> {
  await edit(page, 2, LONG_FIT);
  await page.$eval(cell(2), (el) => delete (el as HTMLElement).dataset.run);
  await page.click(`${cell(2)} .cell-tools button:text-is("Run")`);
  await page.waitForFunction(
    (id) => document.querySelector(`${id} .outputs.live`)?.textContent?.includes("training"),
    cell(2),
    { timeout: 30_000 },
  );
  await page.waitForTimeout(500);
  await page.click('.run-bar button:text-is("Stop")');
  expect(await finished(page, 2, 10_000)).toBe("error");
}

describe("a page opened as a file", () => {
  it("refuses to run, names npm run book:serve, and loads nothing of the runner", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(pathToFileURL(join(folder, "01-perceptron-logic-gates.html")).href);
      await page.click('.run-bar button:text-is("Run all")');
      expect(await page.textContent(".run-status")).toMatch(
        /^Running needs the book served over http, .*`npm run book:serve`/,
      );
      expect(await page.evaluate(() => "GTD_RUNNER" in window)).toBe(false);
    } finally {
      await page.close();
    }
  });
});

describe("Stop during fit", () => {
  it("with cross-origin isolation: fit stops at once, the network and net.history stay", async () => {
    const guarded = await open("01-perceptron-logic-gates.html");
    const { page } = guarded;
    try {
      const started = Date.now();
      await stopDuringFit(page);
      console.log(`Stop ended fit in ${Date.now() - started} ms from the run's start`);
      expect((await printed(page, 2)).error).toMatch(
        /^TrainingInterrupted: fit: training interrupted in epoch \d+, batch \d of 4; the network keeps/,
      );
      await edit(page, 3, "console.log(net.history.epochs.length > 0, net.predict(X).rows);");
      expect(await run(page, 3)).toBe("ok");
      expect((await printed(page, 3)).text).toBe("true 4\n");
      expect(guarded.errors).toEqual([]);
    } finally {
      await guarded.context.close();
    }
  }, 120_000);

  it("without it: Stop ends the worker and says which cells' state was lost", async () => {
    const guarded = await open("01-perceptron-logic-gates.html", plainOrigin);
    const { page } = guarded;
    try {
      expect(await run(page, 1)).toBe("ok");
      expect(await page.textContent(".run-status")).toMatch(/Runs on wasm(?! with shared)/);
      await stopDuringFit(page);
      expect((await printed(page, 2)).error).toBe(
        "Stopped: the worker running the cells was ended, and with it everything cell 1 had computed; run them again (Run all) to go on",
      );
      expect(await page.textContent(".run-status")).toMatch(/the state of cell 1 was lost/);
      // The next Run starts a fresh worker: cell 1's imports are gone.
      await edit(page, 3, "console.log(Perceptron.name);");
      expect(await run(page, 3)).toBe("error");
      expect((await printed(page, 3)).error).toMatch(/^Perceptron is not defined yet: run cell 1/);
      expect(guarded.errors).toEqual([]);
    } finally {
      await guarded.context.close();
    }
  }, 120_000);
});

// ---------------------------------------------------------------- Run all against Jupyter's run
// The rules and what a page prints instead: compare.ts.

/** What each code cell of the page printed, drew and showed as a table under its live outputs. */
function pageOutputs(page: Page): Promise<CellOutputs[]> {
  return page.$$eval(".chapter .cell.code", (cells) =>
    cells.map((c) => ({
      printed: Array.from(c.querySelectorAll(".outputs.live pre.output.stream"))
        .map((p) => p.textContent)
        .join(""),
      figures: c.querySelectorAll(".outputs.live .gtd-figure .main-svg").length
        ? c.querySelectorAll(".outputs.live .gtd-figure").length
        : 0,
      tables: Array.from(c.querySelectorAll(".outputs.live .output.html table")).map((t) => ({
        caption: t.querySelector("caption")?.textContent ?? "",
        rows: Array.from(t.querySelectorAll("tr")).map((tr) =>
          Array.from(tr.children)
            .filter((x) => x.tagName === "TH" || x.tagName === "TD")
            .map((x) => x.textContent ?? ""),
        ),
      })),
    })),
  );
}

/** Waits until code cell `last` has run, or any cell failed; then until plotly drew every figure. */
async function ranThrough(page: Page, last: number, timeout: number): Promise<void> {
  await page.waitForFunction(
    (n) =>
      Array.from(document.querySelectorAll<HTMLElement>(".chapter .cell.code")).some(
        (c) => c.dataset.run === "error",
      ) || document.querySelector<HTMLElement>(`#code-${n}`)?.dataset.run === "ok",
    last,
    { timeout, polling: 250 },
  );
  // Every figure drawn by plotly (it marks the div it draws into).
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll(".outputs.live .gtd-figure")).every((f) =>
        f.querySelector(".main-svg"),
      ),
    undefined,
    { timeout: 30_000 },
  );
}

describe("Run all on a chapter page prints what Jupyter printed, and draws every figure", () => {
  it.each(CHAPTERS)(
    "%s",
    async (name) => {
      const chapter = book.chapters.find((c) => c.name === name)!;
      const expected = storedOutputs(readNotebook(chapter.executedPath) as Notebook);
      const guarded = await open(chapter.page);
      const { page } = guarded;
      try {
        const started = Date.now();
        await page.click('.run-bar button:text-is("Run all")');
        await ranThrough(page, expected.length, 240_000);
        console.log(`${name}: Run all took ${((Date.now() - started) / 1000).toFixed(1)} s`);
        const actual = await pageOutputs(page);
        expect(actual.length).toBe(expected.length);
        expectSameOutputs(
          name,
          actual.map((got, i) => ({ label: `code cell ${i + 1}`, got, want: expected[i] })),
        );
        await page.screenshot({ path: screenshotPath(`runner-${name}`) });
        expect(guarded.errors).toEqual([]);
        expect(guarded.blocked).toEqual([]);
      } finally {
        await guarded.context.close();
      }
    },
    300_000,
  );
});

describe("chapter 7 on ?live-demo: the live-demo notebook's cells, run in the page, print what Jupyter printed", () => {
  it(
    LIVE_DEMO_CHAPTER,
    async () => {
      const chapter = book.chapters.find((c) => c.name === LIVE_DEMO_CHAPTER)!;
      const pageCells = storedOutputs(readNotebook(chapter.executedPath) as Notebook);
      const demo = storedOutputs(readNotebook(liveDemo.path) as Notebook);
      // Each of the live-demo notebook's cells is one of the page's, the same source (live-demo.ts
      // copies the chapter's cells unchanged): its place on the page, 1-based as the cells' ids.
      const places = demo.map((cell, i) => {
        const found = pageCells.flatMap((c, j) => (c.source === cell.source ? [j + 1] : []));
        expect(found, `live-demo cell ${i + 1} on the page`).toHaveLength(1);
        return found[0];
      });
      // The cells the comment above LIVE_DEMO_CHAPTER lists.
      expect(places).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 20, 22, 26]);
      const guarded = await open(`${chapter.page}?live-demo`);
      const { page } = guarded;
      try {
        const started = Date.now();
        for (const n of places) {
          const state = await run(page, n, 180_000);
          expect(state === "ok" ? state : (await printed(page, n)).error, `page cell ${n}`).toBe(
            "ok",
          );
        }
        await ranThrough(page, places[places.length - 1], 30_000);
        console.log(
          `${LIVE_DEMO_CHAPTER}: its ${places.length} live-demo cells took ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        expect(await page.textContent(".run-status")).toContain("live-demo schedule");
        const actual = await pageOutputs(page);
        expect(actual.length).toBe(pageCells.length);
        expectSameOutputs(
          LIVE_DEMO_CHAPTER,
          places.map((n, i) => ({
            label: `code cell ${n} (live-demo cell ${i + 1})`,
            got: actual[n - 1],
            want: demo[i],
          })),
        );
        await page.screenshot({ path: screenshotPath(`runner-${LIVE_DEMO_CHAPTER}-live-demo`) });
        expect(guarded.errors).toEqual([]);
        expect(guarded.blocked).toEqual([]);
      } finally {
        await guarded.context.close();
      }
    },
    300_000,
  );
});
