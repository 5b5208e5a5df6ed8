/**
 * The book on paper and for a course that grades its exercises: a chapter printed from Chromium, the
 * whole-book PDF (`npm run book:pdf`), the site built `--no-solutions`, the kit's schedules.
 *
 * Lean on purpose: it builds a book of two chapters (reusing their runs in build/executed/, so it
 * runs after the chapter tests, see vitest.config.ts) with its PDF, and the same two without
 * solutions. The full book's PDF takes about 40 s more and is built by `npm run book:pdf`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openGuardedPage, screenshotPath } from "../browser/render";
import { answerKeyFolder, buildBook, type BuiltBook } from "../../scripts/book/build";
import { PRINT_WIDTH } from "../../scripts/book/client/print";
import { solutionsOf } from "../../scripts/book/exercises";
import { pdfPageTexts } from "../../scripts/book/pdf";
import {
  courseSchedule,
  presentingMinutes,
  splitSections,
  workshopSchedule,
} from "../../scripts/book/schedule";
import { serveFolder } from "../../scripts/book/serve";
import type { Chapter } from "../../scripts/book/types";
import { readNotebook } from "../../scripts/notebook-format";
import { expandFigure, readFigurePayload } from "../../lib/src/notebook/plot/payload";

const CHAPTERS = ["01-perceptron-logic-gates", "02-xor-with-layers"];
let scratch: string;
let withPdf: BuiltBook;
let bare: BuiltBook;
let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "gtd-print-"));
  const log = (line: string) => console.log(line);
  withPdf = await buildBook({ names: CHAPTERS, out: join(scratch, "site"), pdf: true, log });
  bare = await buildBook({ names: CHAPTERS, out: join(scratch, "bare"), solutions: false, log });
  ({ server, url: origin } = await serveFolder(withPdf.out));
  browser = await launchBrowser();
}, 10 * 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Text without spaces and hyphens: pdftotext joins words hyphenated at a line's end. */
const flat = (s: string) => s.replace(/[\s\u00ad-]+/g, "");

describe("the whole book as one PDF", () => {
  it("has a title page, a contents whose page numbers are right, every chapter", () => {
    const pdf = withPdf.pdf!;
    expect(pdf).not.toBeNull();
    const texts = pdfPageTexts(pdf.file);
    expect(texts.length).toBe(pdf.pages);
    console.log(`${pdf.pages} pages, ${(pdf.bytes / 1e6).toFixed(2)} MB, ${pdf.seconds} s`);
    // Two chapters of about ten printed pages each, a title page and a contents.
    expect(pdf.pages).toBeGreaterThan(10);
    expect(pdf.pages).toBeLessThan(60);
    expect(texts[0]).toContain("From Gates to Digits");
    expect(texts[1]).toMatch(/^Contents/);
    for (const chapter of withPdf.chapters) {
      const heading = `Chapter ${chapter.number} · ${chapter.title}`;
      const start = texts.findIndex((t) => flat(t).startsWith(flat(heading)));
      expect(start, heading).toBeGreaterThan(1);
      // The contents gives the page the chapter starts on, and the footer prints it there.
      const entry = new RegExp(`${chapter.number} · ${chapter.title} (\\d+)`);
      expect(Number(entry.exec(texts[1])?.[1]), heading).toBe(start + 1);
      expect(texts[start]).toMatch(new RegExp(`\\b${start + 1}[\\s\\u200b]*$`));
    }
  });

  it("links within the book land in it, and its figures are vectors that fit the page", () => {
    const pdf = withPdf.pdf!;
    const raw = readFileSync(pdf.file, "latin1");
    const used = new Set([...raw.matchAll(/\/Dest \/([^\s/>\]]+)/g)].map((m) => m[1]));
    expect(used.size).toBeGreaterThan(withPdf.chapters.length * 4);
    for (const name of used) expect(raw, name).toContain(`/${name} [`);
    // No figure wider than the printed column, as printed (and so than the page).
    expect(pdf.widestFigure).toBeGreaterThan(PRINT_WIDTH / 2);
    expect(pdf.widestFigure).toBeLessThanOrEqual(PRINT_WIDTH + 0.5);
    const sizes = execFileSync("pdfinfo", ["-f", "1", "-l", String(pdf.pages), pdf.file], {
      encoding: "utf8",
    }).match(/size:\s+[\d.]+ x [\d.]+/g)!;
    expect(new Set(sizes.map((s) => s.replace(/\s+/g, " "))).size).toBe(1);
    // Vectors: the figures' titles are text in the PDF (a picture of a figure would have none).
    const text = flat(pdfPageTexts(pdf.file).join(" "));
    const page = readFileSync(join(withPdf.out, withPdf.chapters[0].page), "utf8");
    const payloads = [
      ...page.matchAll(/<script type="application\/json" class="gtd-figure-spec"[^>]*>([^<]*)</g),
    ];
    expect(payloads.length).toBe(withPdf.chapters[0].figures);
    const titles = payloads
      .map((m) => expandFigure(readFigurePayload(m[1])).layout as { title?: { text?: string } })
      .map((layout) => layout.title?.text)
      .filter((t): t is string => Boolean(t) && !/[<$]/.test(t!));
    expect(titles.length).toBeGreaterThan(2);
    for (const title of titles) expect(text, title).toContain(flat(title));
  });

  it("is linked from the index", () => {
    const index = readFileSync(join(withPdf.out, "index.html"), "utf8");
    expect(index).toContain(`href="${withPdf.pdf!.file.split("/").pop()}"`);
    expect(readFileSync(join(bare.out, "index.html"), "utf8")).not.toContain(".pdf");
  });
});

describe("a chapter printed from the browser", () => {
  it("fits its figures to the printed column and prints its solutions open, then restores both", async () => {
    const guarded = await openGuardedPage(browser, { allowOrigins: [origin] });
    try {
      const { page } = guarded;
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(new URL(withPdf.chapters[0].page, origin).href, { waitUntil: "load" });
      await page.waitForSelector(".gtd-figure .main-svg");
      // A reader's window wide enough to draw a figure 1000 px wide, as a wide screen does.
      const widths = () =>
        page.$$eval(".gtd-figure .main-svg", (els) =>
          els.map((el) => Math.round(el.getBoundingClientRect().width)),
        );
      await page.evaluate(() => {
        const el = document.querySelector(".gtd-figure.js-plotly-plot") as HTMLElement;
        return (
          window as unknown as { Plotly: { relayout(e: HTMLElement, u: object): Promise<void> } }
        ).Plotly.relayout(el, { width: 1000 });
      });
      expect(Math.max(...(await widths()))).toBe(1000);
      const closed = await page.$$eval("details:not([open])", (els) => els.length);
      expect(closed).toBe(withPdf.chapters[0].exercises.length);
      await page.emulateMedia({ media: "print" });
      await page.waitForFunction(
        (limit) =>
          Array.from(document.querySelectorAll(".gtd-figure .main-svg")).every(
            (el) => el.getBoundingClientRect().width <= limit,
          ),
        PRINT_WIDTH,
        { timeout: 10_000 },
      );
      expect(await page.$$eval("details:not([open])", (els) => els.length)).toBe(0);
      const pdf = await page.pdf({ format: "A4" });
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      await page.emulateMedia({ media: "screen" });
      await page.waitForFunction(() =>
        Array.from(document.querySelectorAll(".gtd-figure .main-svg")).some(
          (el) => Math.round(el.getBoundingClientRect().width) === 1000,
        ),
      );
      expect(await page.$$eval("details:not([open])", (els) => els.length)).toBe(closed);
      // A page read in the dark theme prints light, figures included, and turns dark again after.
      const paper = () =>
        page.$eval(
          ".gtd-figure.js-plotly-plot",
          (el) =>
            (el as unknown as { _fullLayout: { paper_bgcolor: string } })._fullLayout.paper_bgcolor,
        );
      await page.click("#theme-toggle");
      await expect.poll(paper).not.toBe("white");
      await page.emulateMedia({ media: "print" });
      await expect.poll(paper).toBe("white");
      await page.emulateMedia({ media: "screen" });
      await expect.poll(paper).not.toBe("white");
      await page.screenshot({ path: screenshotPath("print-chapter-after") });
      expect(guarded.errors).toEqual([]);
      expect(guarded.blocked).toEqual([]);
    } finally {
      await guarded.context.close();
    }
  }, 60_000);
});

function filesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    return statSync(file).isDirectory() ? filesIn(file) : [file];
  });
}

/** A file of the site as text; a zip as the text of the files in it. */
function textOf(file: string): string {
  const bytes = readFileSync(file);
  if (!file.endsWith(".zip")) return bytes.toString("utf8");
  return Object.values(unzipSync(bytes))
    .map((b) => Buffer.from(b).toString("utf8"))
    .join("\n");
}

describe("a site built --no-solutions", () => {
  /** Lines of the chapters' worked solutions that nothing else in the chapter says. */
  const distinctive = (chapter: Chapter) => {
    const notebook = readNotebook(chapter.executedPath);
    const solutions = solutionsOf(notebook);
    const all = JSON.stringify(notebook);
    const solutionText = solutions.map((s) => s.markdown).join("\n");
    return solutionText
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.length >= 25)
      .filter((l) => all.split(JSON.stringify(l).slice(1, -1)).length === 2);
  };

  it("carries no line of a worked solution: pages, downloads, decks, search", () => {
    const files = filesIn(bare.out);
    const texts = files.map((f) => ({ f, text: textOf(f) }));
    for (const chapter of bare.chapters) {
      const lines = distinctive(chapter);
      expect(lines.length, chapter.name).toBeGreaterThan(5);
      for (const line of lines) {
        const leaks = texts.filter(
          (t) => t.text.includes(line) || t.text.includes(JSON.stringify(line).slice(1, -1)),
        );
        expect(
          leaks.map((t) => t.f),
          line,
        ).toEqual([]);
      }
      // The site built with them has them (so the check above can fail).
      const page = readFileSync(join(withPdf.out, chapter.page), "utf8");
      expect(page).toContain("<details>");
    }
    for (const { f, text } of texts.filter((t) => t.f.endsWith(".html")))
      expect(text, f).not.toMatch(/<details|answer-key/);
  });

  it("writes the answer keys beside the site, and the sheets do not point at solutions", () => {
    const folder = answerKeyFolder(bare.out);
    for (const chapter of bare.chapters) {
      const key = readFileSync(join(folder, `${chapter.name}-answer-key.ipynb`), "utf8");
      for (const line of distinctive(chapter).slice(0, 5))
        expect(key).toContain(JSON.stringify(line).slice(1, -1));
      const sheet = readNotebook(join(bare.out, chapter.downloads.exercises));
      expect(JSON.stringify(sheet.cells[0].source)).not.toMatch(/solution/i);
      expect(chapter.downloads.answerKey).toBeNull();
    }
    // With solutions, the kit links each chapter's answer key, in the site.
    const kit = readFileSync(join(withPdf.out, "instructors.html"), "utf8");
    for (const chapter of withPdf.chapters) {
      expect(kit).toContain(`href="${chapter.downloads.answerKey}"`);
      statSync(join(withPdf.out, chapter.downloads.answerKey!));
    }
  });
});

describe("the kit's schedules", () => {
  const section = (id: string, words: number) => ({
    id,
    level: 2,
    title: id,
    html: id,
    text: [Array(words).fill("w").join(" ")],
    code: [],
    terms: [],
  });
  const fake = (number: number, slides: number, reading: number, sections: number) =>
    ({
      number,
      name: `0${number}`,
      readingMinutes: reading,
      deck: { slides },
      sections: Array.from({ length: sections }, (_, i) => section(`s${i}`, 100)),
    }) as unknown as Chapter;
  const chapters = [
    fake(1, 15, 8, 5),
    fake(2, 12, 7, 5),
    fake(3, 24, 15, 6),
    fake(4, 27, 21, 7),
    fake(5, 36, 30, 9),
    fake(6, 31, 21, 6),
    fake(7, 50, 31, 8),
    fake(8, 23, 26, 8),
  ];

  it("a 12-week course: every chapter in order, the extra weeks to the heaviest", () => {
    const weeks = courseSchedule(chapters, 12);
    expect(weeks.map((w) => w.week)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect([...new Set(weeks.map((w) => w.chapter.number))]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const weeksOf = (n: number) => weeks.filter((w) => w.chapter.number === n);
    expect(weeksOf(7)).toHaveLength(2); // the heaviest: 100 min of slides and 31 of reading
    expect(weeksOf(1)).toHaveLength(1);
    for (const n of [5, 7]) {
      const split = weeksOf(n).flatMap((w) => w.sections.map((s) => s.id));
      expect(split).toEqual(chapters[n - 1].sections.map((s) => s.id));
    }
    expect(() => courseSchedule(chapters, 5)).toThrow(/cannot give each of the 8 chapters/);
  });

  it("a 3-day workshop: contiguous, every chapter once, the heaviest day as light as can be", () => {
    const days = workshopSchedule(chapters, 3);
    expect(days.flat()).toEqual(chapters);
    const load = (day: Chapter[]) =>
      day.reduce((sum, c) => sum + presentingMinutes(c) + c.readingMinutes, 0);
    const heaviest = Math.max(...days.map(load));
    // Every other cut into three contiguous days has a day at least as heavy.
    for (let i = 1; i < chapters.length - 1; i++)
      for (let j = i + 1; j < chapters.length; j++) {
        const cut = [chapters.slice(0, i), chapters.slice(i, j), chapters.slice(j)];
        expect(Math.max(...cut.map(load))).toBeGreaterThanOrEqual(heaviest);
      }
    expect(workshopSchedule(chapters.slice(0, 2), 3)).toHaveLength(2);
  });

  it("splits a chapter's sections into runs of about equal weight, none left empty", () => {
    const sections = [10, 10, 10, 70].map((w, i) => section(`s${i}`, w));
    expect(splitSections(sections, 2).map((run) => run.map((s) => s.id))).toEqual([
      ["s0", "s1", "s2"],
      ["s3"],
    ]);
    expect(splitSections(sections.slice(0, 2), 2).map((r) => r.length)).toEqual([1, 1]);
  });
});
