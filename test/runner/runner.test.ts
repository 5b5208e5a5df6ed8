/**
 * The chapter pages' runner in Chromium (scripts/book/client/runner/): the book as built, served on
 * 127.0.0.1 (cross-origin isolated, as `npm run book:serve` serves it, and once without isolation,
 * as a plain static host), every other request blocked.
 *
 * - the runner's semantics, on chapter 1's page with cells edited in their editors: re-running a
 *   cell that declares a `const`, top-level await, an error leaving the earlier cells' state usable,
 *   a cell run before the cell that declares what it uses, Reset, Restart, Stop during `fit`;
 * - Run all on chapters 1–3, compared cell by cell with the notebook Jupyter executed: the printed
 *   text identical except lines that report a duration (`isDurationLine`), every figure drawn, the
 *   tables' text identical.
 *
 * Builds the chapters it runs into a folder of its own, executing what is stale first, like the
 * book's test (vitest.config.ts runs both after the chapter tests, so nothing is executed again).
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
import { cellText, type Notebook } from "../../scripts/notebook-format";
import { readNotebook } from "../notebooks/harness";

let book: BuiltBook;
let folder: string;
const servers: Server[] = [];
let isolatedOrigin: string;
let plainOrigin: string;
let browser: Browser;

/** The chapters these tests run in their pages. */
const CHAPTERS = ["01-perceptron-logic-gates", "02-xor-with-layers", "03-activation-functions"];

beforeAll(async () => {
  // Only the chapters used here, into a folder of its own (site/ is the book test's).
  folder = mkdtempSync(join(tmpdir(), "gtd-runner-"));
  book = await buildBook({ names: CHAPTERS, out: folder, log: (line) => console.log(line) });
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
