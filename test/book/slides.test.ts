/**
 * The slide decks and the instructor's kit as a lecturer gets them: the book built into a fresh
 * folder, served over http on 127.0.0.1 with every other request blocked, each deck opened in
 * headless Chromium and stepped through slide by slide; one deck printed to PDF through reveal's
 * print mode; the instructors' page and the exercise sheets checked against the notebooks.
 *
 * Like the book's test it runs after the chapter tests (vitest.config.ts) and reuses their runs.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  launchBrowser,
  openGuardedPage,
  screenshotPath,
  type GuardedPage,
} from "../browser/render";
import { BOOK, buildBook, type BuiltBook } from "../../scripts/book/build";
import { formatSeconds } from "../../scripts/book/layout";
import { serveFolder } from "../../scripts/book/serve";
import type { Chapter } from "../../scripts/book/types";
import { cellText, outputsOf } from "../../scripts/notebook-format";
import { NOTEBOOKS, readNotebook } from "../notebooks/harness";

/** The deck's slide size (scripts/book/client/slides.ts), and the window the decks are shown in. */
const SLIDE = { width: 1280, height: 720 };
/**
 * The smallest code, table and output text a slide may show, in pixels of a 1280×720 screen: what
 * the slide sets (getComputedStyle) times reveal's scale of the slide to the window.
 */
const MIN_SMALL_TEXT = 18;

let book: BuiltBook;
let folder: string;
let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "gtd-slides-"));
  book = await buildBook({ out: folder, log: (line) => console.log(line) });
  ({ server, url: origin } = await serveFolder(folder));
  browser = await launchBrowser();
}, 20 * 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const references = Object.keys(BOOK.references);
const chapterNames = readdirSync(NOTEBOOKS)
  .filter((f) => f.endsWith(".ipynb") && !references.includes(f.replace(/\.ipynb$/, "")))
  .sort()
  .map((f) => f.replace(/\.ipynb$/, ""));

function chapterOf(name: string): Chapter {
  const chapter = book.chapters.find((c) => c.name === name);
  if (!chapter) throw new Error(`the book has no chapter ${name}`);
  return chapter;
}

async function open(path: string): Promise<GuardedPage & { failed: string[] }> {
  const guarded = await openGuardedPage(browser, { allowOrigins: [origin] });
  const failed: string[] = [];
  guarded.page.on("requestfailed", (r) => failed.push(`${r.url()} (${r.failure()?.errorText})`));
  guarded.page.on("response", (r) => {
    if (r.status() >= 400) failed.push(`${r.url()} (HTTP ${r.status()})`);
  });
  await guarded.page.setViewportSize(SLIDE);
  await guarded.page.goto(new URL(path, origin).href, { waitUntil: "load" });
  await guarded.page.waitForFunction(
    () => document.documentElement.dataset.deckReady === "true",
    null,
    {
      timeout: 20_000,
    },
  );
  return { ...guarded, failed };
}

/** What the current slide shows, measured in the page (in the slide's own, unscaled pixels). */
interface SlideFacts {
  index: string;
  height: number;
  width: number;
  scrollbars: string[];
  figures: number;
  drawn: number;
  heading: string;
  /** Its first element is a heading (h1-h3): its title. */
  titled: boolean;
  /** It shows something besides its title: text, code, a table, a formula, a figure, an image. */
  content: boolean;
  /** The smallest code, table or output text on it, in screen pixels (Infinity when it has none). */
  smallest: number;
  smallestWhat: string;
}

function currentSlideFacts(): SlideFacts {
  const reveal = (window as unknown as { Reveal: RevealApi }).Reveal;
  const slide = reveal.getCurrentSlide();
  const { h, v } = reveal.getIndices();
  const scale = reveal.getScale();
  const top = slide.getBoundingClientRect().top;
  const left = slide.getBoundingClientRect().left;
  let bottom = 0;
  let right = 0;
  const scrollbars: string[] = [];
  slide.querySelectorAll<HTMLElement>("*").forEach((el) => {
    // Not the notes, not KaTeX's hidden MathML copy, and not the shapes inside an SVG (KaTeX's
    // stretchy glyphs are long paths their SVG clips): the SVG itself is measured.
    if (el.closest("aside.notes, .katex-mathml")) return;
    if (el instanceof SVGElement && !(el instanceof SVGSVGElement)) return;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) return;
    bottom = Math.max(bottom, (rect.bottom - top) / scale);
    right = Math.max(right, (rect.right - left) / scale);
    const style = getComputedStyle(el);
    const scrollsY = /auto|scroll/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    const scrollsX = /auto|scroll/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    if (scrollsX || scrollsY) scrollbars.push(`${el.tagName.toLowerCase()}.${el.className}`);
  });
  const figures = Array.from(slide.querySelectorAll<HTMLElement>(".gtd-figure")).filter(
    (el) => !el.closest("aside.notes"),
  );
  const drawn = figures.filter(
    (el) =>
      el.classList.contains("js-plotly-plot") &&
      el.querySelector("svg.main-svg") &&
      ((el as HTMLElement & { data?: unknown[] }).data?.length ?? 0) > 0,
  );
  const shown = Array.from(slide.children).filter((el) => !el.matches("aside.notes"));
  const titled = /^H[1-3]$/.test(shown[0]?.tagName ?? "");
  const content = shown
    .slice(titled ? 1 : 0)
    .some(
      (el) => (el.textContent ?? "").trim().length > 0 || el.querySelector(".gtd-figure, img, svg"),
    );
  let smallest = Infinity;
  let smallestWhat = "";
  slide
    .querySelectorAll<HTMLElement>("pre, pre *, table, table *, .output, .output *")
    .forEach((el) => {
      if (el.closest("aside.notes, .katex, svg")) return;
      const own = Array.from(el.childNodes).some(
        (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? "").trim(),
      );
      if (!own) return;
      const size = parseFloat(getComputedStyle(el).fontSize) * scale;
      if (size < smallest) {
        smallest = size;
        smallestWhat = `${el.tagName.toLowerCase()} "${(el.textContent ?? "").trim().slice(0, 30)}"`;
      }
    });
  return {
    titled,
    content,
    smallest,
    smallestWhat,
    index: `${h + 1}.${v + 1}`,
    height: Math.round(bottom),
    width: Math.round(right),
    scrollbars,
    figures: figures.length,
    drawn: drawn.length,
    heading: slide.querySelector("h1, h2, h3")?.textContent?.slice(0, 60) ?? "",
  };
}

/** The part of reveal's API the checks use. */
interface RevealApi {
  getCurrentSlide(): HTMLElement;
  getIndices(): { h: number; v: number };
  getScale(): number;
  getTotalSlides(): number;
  isLastSlide(): boolean;
  isOverview(): boolean;
  availableFragments(): { next: boolean };
  next(): void;
}

describe("the slide decks, served from the built site", () => {
  it.each(chapterNames)(
    "%s: → reaches every slide; each has a title and more, its code and tables large enough, its figures drawn, none taller or wider than the slide",
    async (name) => {
      const chapter = chapterOf(name);
      const guarded = await open(chapter.deck.page);
      try {
        const { page } = guarded;
        const total = await page.evaluate(() =>
          (window as unknown as { Reveal: RevealApi }).Reveal.getTotalSlides(),
        );
        expect(total).toBe(chapter.deck.slides);
        expect(total).toBeGreaterThanOrEqual(5);
        const seen = new Map<string, SlideFacts>();
        for (let step = 0; step < 10 * total; step++) {
          // A slide's text is sized and its figures drawn when it is shown: wait for them (or time
          // out and report).
          await page
            .waitForFunction(
              () => {
                const slide = (window as unknown as { Reveal: RevealApi }).Reveal.getCurrentSlide();
                return (
                  slide.dataset.fitted === "true" &&
                  Array.from(slide.querySelectorAll(".gtd-figure")).every(
                    (el) => el.closest("aside.notes") || el.querySelector("svg.main-svg"),
                  )
                );
              },
              null,
              { timeout: 10_000 },
            )
            .catch(() => {});
          const facts = await page.evaluate(currentSlideFacts);
          seen.set(facts.index, facts);
          const done = await page.evaluate(() => {
            const reveal = (window as unknown as { Reveal: RevealApi }).Reveal;
            return reveal.isLastSlide() && !reveal.availableFragments().next;
          });
          if (done) break;
          // As a lecturer steps through the deck: the right arrow, for every slide and fragment.
          await page.keyboard.press("ArrowRight");
        }
        const slides = [...seen.values()];
        expect(slides.length, "slides visited").toBe(total);
        const problems = slides.flatMap((s) => [
          ...(s.height > SLIDE.height
            ? [
                `slide ${s.index} "${s.heading}" is ${s.height} px tall (the slide: ${SLIDE.height})`,
              ]
            : []),
          ...(s.width > SLIDE.width
            ? [`slide ${s.index} "${s.heading}" is ${s.width} px wide (the slide: ${SLIDE.width})`]
            : []),
          ...s.scrollbars.map((el) => `slide ${s.index} "${s.heading}" scrolls: ${el}`),
          ...(s.drawn < s.figures
            ? [`slide ${s.index}: ${s.drawn} of ${s.figures} figures drawn`]
            : []),
          ...(s.titled ? [] : [`slide ${s.index} has no title`]),
          ...(s.content ? [] : [`slide ${s.index} "${s.heading}" shows only its title`]),
          ...(s.smallest < MIN_SMALL_TEXT
            ? [
                `slide ${s.index} "${s.heading}" sets ${s.smallestWhat} in ` +
                  `${s.smallest.toFixed(1)} px (at least ${MIN_SMALL_TEXT})`,
              ]
            : []),
        ]);
        expect(problems, name).toEqual([]);
        expect(slides.reduce((sum, s) => sum + s.figures, 0)).toBe(chapter.deck.figures);
        await page.screenshot({ path: screenshotPath(`slides-${name}-last`) });
        const links = await page.$$eval(".deck-links a", (els) =>
          els.map((a) => a.getAttribute("href") ?? ""),
        );
        expect(links).toEqual([`../${chapter.page}`, "../index.html"]);
        for (const href of links) {
          const response = await page.request.get(new URL(href, page.url()).href);
          expect(response.status(), href).toBe(200);
        }
        expect(guarded.errors).toEqual([]);
        expect(guarded.blocked).toEqual([]);
        expect(guarded.failed).toEqual([]);
        const small = slides.map((s) => s.smallest).filter(Number.isFinite);
        console.log(
          `${name}: ${total} slides, ${chapter.deck.figures} figures; tallest ` +
            `${Math.max(...slides.map((s) => s.height))} px; smallest code, table or output ` +
            `${Math.min(...small).toFixed(1)} px on screen`,
        );
      } finally {
        await guarded.context.close();
      }
    },
    180_000,
  );

  it("numbers its slides, opens the overview (O) and the speaker view with the notes (S)", async () => {
    const chapter = chapterOf(chapterNames[0]);
    const guarded = await open(chapter.deck.page);
    try {
      const { page, context } = guarded;
      const number = async () =>
        ((await page.textContent(".slide-number")) ?? "").replace(/\s+/g, "");
      expect(await number()).toBe(`1/${chapter.deck.slides}`);
      await page.keyboard.press("ArrowRight");
      expect(await number()).toBe(`2/${chapter.deck.slides}`);
      const overview = () =>
        page.evaluate(() => (window as unknown as { Reveal: RevealApi }).Reveal.isOverview());
      await page.keyboard.press("o");
      expect(await overview()).toBe(true);
      await page.keyboard.press("o");
      expect(await overview()).toBe(false);
      const notes = await page.evaluate(
        () =>
          (window as unknown as { Reveal: RevealApi }).Reveal.getCurrentSlide().querySelector(
            "aside.notes",
          )?.textContent ?? "",
      );
      expect(notes.length, "the second slide has speaker notes").toBeGreaterThan(40);
      const popupErrors: string[] = [];
      const opened = context.waitForEvent("page");
      await page.keyboard.press("s");
      const speaker = await opened;
      speaker.on("console", (m) => m.type() === "error" && popupErrors.push(m.text()));
      speaker.on("pageerror", (e) => popupErrors.push(e.message));
      const shown = speaker.locator(".speaker-controls-notes");
      await expect
        .poll(async () => (await shown.textContent()) ?? "", { timeout: 15_000 })
        .toContain(notes.trim().split(/\s+/).slice(0, 4).join(" "));
      await speaker.screenshot({ path: screenshotPath("slides-speaker-view") });
      expect(popupErrors).toEqual([]);
      expect(guarded.errors).toEqual([]);
      expect(guarded.blocked).toEqual([]);
    } finally {
      await guarded.context.close();
    }
  }, 60_000);

  it("prints to PDF through reveal's print mode, one page per slide, each within its page", async () => {
    const chapter = chapterOf(chapterNames[0]);
    const guarded = await open(`${chapter.deck.page}?print-pdf`);
    try {
      const { page } = guarded;
      // reveal has laid the slides out as pages, and every figure is drawn on its page.
      await page.waitForFunction(
        () =>
          document.documentElement.dataset.pdfReady === "true" &&
          Array.from(document.querySelectorAll(".reveal .slides .gtd-figure")).every((el) =>
            el.querySelector("svg.main-svg"),
          ),
        null,
        { timeout: 20_000 },
      );
      const pagesLaidOut = await page.$$eval(".pdf-page", (els) =>
        els.map((el) => ({
          page: el.clientHeight,
          content: el.querySelector("section")?.scrollHeight ?? 0,
        })),
      );
      expect(pagesLaidOut).toHaveLength(chapter.deck.slides);
      // Each slide fits its page (reveal keeps a slide to one page, so what does not fit is cut off).
      const cut = pagesLaidOut.flatMap((p, i) => (p.content > p.page ? [`slide ${i + 1}`] : []));
      expect(cut).toEqual([]);
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page\b/g) ?? []).length;
      console.log(`${chapter.deck.page}: ${pages} PDF pages, ${(pdf.length / 1e3).toFixed(0)} KB`);
      expect(pages).toBe(chapter.deck.slides);
      expect(guarded.errors).toEqual([]);
      expect(guarded.blocked).toEqual([]);
    } finally {
      await guarded.context.close();
    }
  }, 60_000);
});

describe("the instructor's kit", () => {
  it("lists every chapter with its prerequisites, goals, run and reading time, exercises, slides", async () => {
    const guarded = await openGuardedPage(browser, { allowOrigins: [origin] });
    try {
      const { page } = guarded;
      await page.goto(new URL("index.html", origin).href, { waitUntil: "load" });
      expect(await page.locator('main a[href="instructors.html"]').count()).toBeGreaterThan(0);
      await page.goto(new URL("instructors.html", origin).href, { waitUntil: "load" });
      const listed = await page.$$eval(".kit-chapter", (els) =>
        els.map((el) => ({
          id: el.id,
          meta: el.querySelector(".chapter-meta")?.textContent?.replace(/\s+/g, " ") ?? "",
          goals: Array.from(el.querySelectorAll(".goals li")).map((li) => li.textContent ?? ""),
          maths: el.querySelectorAll(".prerequisites dd:nth-of-type(2) li").length,
          typescript: el.querySelectorAll(".prerequisites dd:nth-of-type(3) li").length,
          exercises: Array.from(el.querySelectorAll(".exercises tbody tr")).map(
            (tr) => tr.querySelector(".difficulty")?.textContent ?? "",
          ),
          links: Array.from(el.querySelectorAll<HTMLAnchorElement>(".kit-links a")).map(
            (a) => a.getAttribute("href") ?? "",
          ),
        })),
      );
      expect(listed.map((c) => c.id)).toEqual(chapterNames.map((n) => `kit-${n}`));
      for (const [i, name] of chapterNames.entries()) {
        const chapter = chapterOf(name);
        const kit = listed[i];
        expect(kit.goals.length, name).toBeGreaterThanOrEqual(3);
        expect(kit.goals.length, name).toBe(chapter.goals.length);
        expect(kit.meta).toContain(`runs in ${formatSeconds(chapter.runSeconds)}`);
        expect(kit.meta).toContain(`about ${chapter.readingMinutes} min to read`);
        expect(kit.maths, name).toBeGreaterThan(0);
        expect(kit.typescript, name).toBeGreaterThan(0);
        expect(kit.exercises, name).toEqual(chapter.exercises.map((e) => e.difficulty));
        expect(kit.exercises.length, name).toBeGreaterThanOrEqual(3);
        expect(kit.links).toEqual([
          chapter.deck.page,
          chapter.downloads.exercises,
          chapter.downloads.clean,
          chapter.downloads.answerKey,
        ]);
        for (const href of kit.links) {
          const response = await page.request.get(new URL(href, page.url()).href);
          expect(response.status(), href).toBe(200);
        }
      }
      // The notation page, linked from the kit.
      expect(await page.locator('a[href="00-notation.html"]').count()).toBeGreaterThan(0);
      expect(guarded.errors).toEqual([]);
      expect(guarded.blocked).toEqual([]);
    } finally {
      await guarded.context.close();
    }
  }, 60_000);

  it.each(chapterNames)(
    "%s: its exercise sheet is the notebook without a word of its worked solutions",
    (name) => {
      const chapter = chapterOf(name);
      const committed = readNotebook(join(NOTEBOOKS, `${name}.ipynb`));
      const sheet = readNotebook(join(folder, chapter.downloads.exercises));
      const text = (cells: typeof sheet.cells, type: string) =>
        cells.filter((c) => c.cell_type === type).map((c) => cellText(c.source));
      const sheetProse = text(sheet.cells, "markdown").join("\n");
      // Every line inside a <details> block that does not also appear outside one.
      const prose = text(committed.cells, "markdown").join("\n");
      const solutions = [...prose.matchAll(/<details>[\s\S]*?<\/details>/g)].map((m) => m[0]);
      expect(solutions.length, "solutions in the chapter").toBe(chapter.exercises.length);
      const outside = prose.replace(/<details>[\s\S]*?<\/details>/g, "");
      const solutionLines = solutions
        .flatMap((s) => s.split("\n"))
        .map((l) => l.trim())
        .filter((l) => l.length >= 12 && !outside.includes(l));
      expect(solutionLines.length).toBeGreaterThan(10);
      expect(solutionLines.filter((l) => sheetProse.includes(l))).toEqual([]);
      expect(sheetProse).not.toMatch(/<details|<\/details>|<summary/i);
      // The rest is all there: every exercise, and every code cell as committed.
      for (const e of chapter.exercises)
        expect(sheetProse).toContain(`**${e.number}.** *(${e.difficulty})*`);
      // Every code cell as committed, and after each exercise an empty one for the answer.
      const answers = sheet.cells.filter((c) => c.metadata.tags?.includes("answer"));
      expect(answers.filter((c) => c.cell_type === "code")).toHaveLength(chapter.exercises.length);
      const own = sheet.cells.filter((c) => !answers.includes(c));
      expect(text(own, "code")).toEqual(text(committed.cells, "code"));
      expect(sheet.cells.every((c) => !outputsOf(c).length)).toBe(true);
    },
  );

  it("the deck sizes: each under 1.5 MB", () => {
    for (const deck of book.decks) expect(deck.bytes, deck.file).toBeLessThan(1.5e6);
    console.log(
      book.decks
        .map((d) => `${d.file}: ${d.slides} slides, ${(d.bytes / 1e3).toFixed(0)} KB`)
        .join("\n"),
    );
    expect(readFileSync(join(folder, "assets", "reveal", "LICENSE"), "utf8")).toContain("MIT");
  });
});
