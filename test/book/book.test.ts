/**
 * The book (`npm run book`) as a reader gets it: site/ copied to a fresh folder, served over http
 * on 127.0.0.1, every other request blocked, each page opened in headless Chromium.
 *
 * Builds what is stale first: after the chapter tests (vitest.config.ts runs this file last) every
 * chapter has a fresh run in build/executed/, so nothing is executed again; run alone, it executes
 * the chapters whose runs are missing or stale.
 */
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFragment, parse, type DefaultTreeAdapterMap } from "parse5";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectAllFiguresRendered,
  inspectFigures,
  launchBrowser,
  openGuardedPage,
  screenshotPath,
  type GuardedPage,
} from "../browser/render";
import { BOOK, buildBook, type BuiltBook } from "../../scripts/book/build";
import { serveFolder } from "../../scripts/book/serve";
import type { Chapter } from "../../scripts/book/types";
import { ExecutedChapter, readNotebook } from "../notebooks/harness";

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];

const MB = 1e6;
let book: BuiltBook;
let folder: string;
let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  book = await buildBook({ log: (line) => console.log(line) });
  folder = mkdtempSync(join(tmpdir(), "gtd-book-"));
  cpSync(book.out, folder, { recursive: true });
  ({ server, url: origin } = await serveFolder(folder));
  browser = await launchBrowser();
}, 20 * 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  if (folder) rmSync(folder, { recursive: true, force: true });
});

function* elements(node: Node): Generator<Element> {
  if ("tagName" in node) yield node as Element;
  for (const child of ("childNodes" in node ? node.childNodes : []) as Node[])
    yield* elements(child);
}

function filesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    return statSync(file).isDirectory() ? filesIn(file) : [file];
  });
}

describe("the book's files", () => {
  it("a chapter page weighs under 1.5 MB without the shared assets, the site under 30 MB", () => {
    const chapters = book.pages.filter(
      (p) => p.file !== "index.html" && p.file !== "instructors.html",
    );
    expect(chapters).toHaveLength(book.chapters.length + book.references.length);
    for (const page of chapters) expect(page.bytes, page.file).toBeLessThan(1.5 * MB);
    // About 22 MB of book and downloads, and 3.5 MB of slide decks (slides.test.ts weighs them).
    expect(book.bytes).toBeLessThan(30 * MB);
    console.log(book.pages.map((p) => `${p.file} ${(p.bytes / MB).toFixed(2)} MB`).join("\n"));
    console.log(`site: ${(book.bytes / MB).toFixed(2)} MB`);
  });

  it("plotly.js ships once, in assets/, and no page carries the notebooks' copy of it", () => {
    const bundle = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
    const copies = filesIn(folder).filter((f) =>
      readFileSync(f, "latin1").includes(bundle.slice(0, 4000)),
    );
    expect(copies.map((f) => f.slice(folder.length + 1))).toEqual(["assets/plotly.min.js"]);
  });

  it("every URL in the pages is relative: no CDN, no absolute path, nothing from /usr/", () => {
    for (const page of book.pages) {
      const html = readFileSync(join(folder, page.file), "utf8");
      expect(html).not.toContain("/usr/share");
      expect(html).not.toContain("file://");
      for (const el of elements(parse(html))) {
        for (const a of el.attrs.filter((x) => x.name === "src" || x.name === "href")) {
          const where = `${page.file}: <${el.tagName} ${a.name}="${a.value.slice(0, 80)}">`;
          if (a.value.startsWith("data:")) continue;
          expect(a.value, where).not.toMatch(/^([a-z][a-z0-9+.-]*:|\/)/i);
        }
      }
    }
    const css = readFileSync(join(folder, "assets", "katex", "katex.min.css"), "utf8");
    const urls = [...css.matchAll(/url\(([^)]+)\)/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u).toMatch(/^fonts\//);
  });

  it("each chapter has its notebook as committed and, zipped, with its outputs", () => {
    for (const chapter of book.chapters) {
      const clean = JSON.parse(readFileSync(join(folder, chapter.downloads.clean), "utf8"));
      expect(clean.cells.every((c: { outputs?: unknown[] }) => !c.outputs?.length)).toBe(true);
      const zip = readFileSync(join(folder, chapter.downloads.withOutputs));
      expect(zip.subarray(0, 4).toString("latin1")).toBe("PK\u0003\u0004");
      expect(zip.includes(Buffer.from(`${chapter.name}.ipynb`))).toBe(true);
    }
  });

  it("no formula failed to typeset at build time and no solution shows raw markdown", () => {
    for (const chapter of book.chapters) {
      const html = readFileSync(join(folder, chapter.page), "utf8");
      expect(html).not.toContain("katex-error");
      const details = [...elements(parse(html))].filter((el) => el.tagName === "details");
      expect(details.length, chapter.page).toBeGreaterThanOrEqual(4);
      for (const d of details) {
        const tags = new Set([...elements(d)].map((el) => el.tagName));
        // Rendered solutions hold paragraphs or code blocks, not the markdown's backticks.
        expect(tags.has("p") || tags.has("pre"), chapter.page).toBe(true);
        const text = textOutsideCode(d);
        for (const raw of ["```", "**"])
          expect(text, `${chapter.page}: ${text.slice(0, 120)}`).not.toContain(raw);
      }
    }
  });
});

function textOutsideCode(node: Node): string {
  if (node.nodeName === "#text") return (node as DefaultTreeAdapterMap["textNode"]).value;
  if ("tagName" in node && ["pre", "code", "script"].includes((node as Element).tagName)) return "";
  return (("childNodes" in node ? node.childNodes : []) as Node[]).map(textOutsideCode).join("");
}

/** What a page shows that a check needs, read in the page. */
interface PageFacts {
  rawTex: string[];
  katex: number;
  navLinks: string[];
  tocLinks: string[];
  missingAnchors: string[];
  headings: number;
  current: string | null;
}

function pageFacts(): PageFacts {
  const main = document.querySelector("main")!;
  const texts: string[] = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement?.closest("pre, code, script, .katex, .katex-display")) continue;
    texts.push(n.nodeValue ?? "");
  }
  const text = texts.join("");
  const rawTex = [...(text.match(/\$[^$]{0,40}|\\[a-zA-Z]{2,}[^ ]{0,20}/g) ?? [])];
  const hrefs = (selector: string) =>
    Array.from(document.querySelectorAll<HTMLAnchorElement>(selector)).map((a) =>
      a.getAttribute("href")!,
    );
  const tocLinks = hrefs(".toc a");
  return {
    rawTex,
    katex: document.querySelectorAll(".katex").length,
    navLinks: hrefs(".sidebar a, .prev-next a, a.brand, .chapter-card h3 a"),
    tocLinks,
    missingAnchors: tocLinks.filter(
      (h) => !document.getElementById(decodeURIComponent(h.slice(1))),
    ),
    headings: document.querySelectorAll("article h2[id], article h3[id]").length,
    current:
      document.querySelector('.sidebar a[aria-current="page"]')?.getAttribute("href") ?? null,
  };
}

async function open(name: string): Promise<GuardedPage & { failed: string[] }> {
  const guarded = await openGuardedPage(browser, { allowOrigins: [origin] });
  const failed: string[] = [];
  guarded.page.on("requestfailed", (r) => failed.push(`${r.url()} (${r.failure()?.errorText})`));
  guarded.page.on("response", (r) => {
    if (r.status() >= 400) failed.push(`${r.url()} (HTTP ${r.status()})`);
  });
  await guarded.page.goto(new URL(name, origin).href, { waitUntil: "load" });
  return { ...guarded, failed };
}

/** Every link resolves to a page of the site, and a link with a #fragment to an element there. */
async function expectLinksResolve(page: Page, hrefs: string[]): Promise<void> {
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of new Set(hrefs)) {
    const target = new URL(href, page.url());
    expect(target.origin, href).toBe(new URL(origin).origin);
    const response = await page.request.get(target.href);
    expect(response.status(), href).toBe(200);
    if (target.hash) {
      const ids = [...elements(parse(await response.text()))].flatMap((el) =>
        el.attrs.filter((a) => a.name === "id").map((a) => a.value),
      );
      expect(ids, href).toContain(decodeURIComponent(target.hash.slice(1)));
    }
  }
}

async function expectThemeToggles(page: Page, name: string): Promise<void> {
  const look = () =>
    page.evaluate(() => {
      const figure = document.querySelector(".gtd-figure") as
        | (HTMLElement & {
            _fullLayout?: { paper_bgcolor: string };
          })
        | null;
      return {
        theme: document.documentElement.dataset.theme ?? null,
        background: getComputedStyle(document.body).backgroundColor,
        figure: figure?._fullLayout?.paper_bgcolor ?? null,
      };
    });
  const before = await look();
  expect(before.background).toBe("rgb(255, 255, 255)"); // Chromium's default: light
  await page.click("#theme-toggle");
  const dark = await look();
  expect(dark.theme).toBe("dark");
  expect(dark.background).toBe("rgb(22, 24, 28)");
  if (before.figure !== null) {
    expect(before.figure).toBe("white");
    expect(dark.figure).not.toBe(before.figure);
  }
  await page.screenshot({ path: screenshotPath(`book-${name}-dark`) });
  // The choice lasts across pages.
  await page.reload({ waitUntil: "load" });
  expect((await look()).theme).toBe("dark");
  await page.click("#theme-toggle");
  expect((await look()).background).toBe("rgb(255, 255, 255)");
}

describe("the book in Chromium, served from a copy of site/", () => {
  it("the index lists every chapter with its summary, goals, reading and run time", async () => {
    const guarded = await open("index.html");
    try {
      const { page } = guarded;
      const cards = await page.$$eval(".chapter-card", (els) =>
        els.map((el) => ({
          title: el.querySelector("h3")?.textContent ?? "",
          summary: el.querySelector(".summary")?.textContent ?? "",
          goals: el.querySelectorAll(".goals li").length,
          meta: el.querySelector(".chapter-meta")?.textContent ?? "",
        })),
      );
      expect(cards.map((c) => c.title)).toEqual(
        book.chapters.map((c) => `${c.number} · ${c.title}`),
      );
      for (const card of cards) {
        expect(card.summary.length).toBeGreaterThan(40);
        expect(card.goals).toBeGreaterThanOrEqual(3);
        expect(card.meta).toMatch(/about \d+ min to read ·\s+runs in \d+ (s|min)/);
      }
      const facts = await page.evaluate(pageFacts);
      expect(facts.rawTex).toEqual([]);
      await expectLinksResolve(page, facts.navLinks);
      await page.screenshot({ path: screenshotPath("book-index"), fullPage: true });
      await expectThemeToggles(page, "index");
      expect(guarded.errors).toEqual([]);
      expect(guarded.blocked).toEqual([]);
      expect(guarded.failed).toEqual([]);
    } finally {
      await guarded.context.close();
    }
  }, 120_000);

  const references = Object.keys(BOOK.references);
  const chapterNames = readdirSync(join(__dirname, "..", "..", "notebooks"))
    .filter((f) => f.endsWith(".ipynb") && !references.includes(f.replace(/\.ipynb$/, "")))
    .sort()
    .map((f) => f.replace(/\.ipynb$/, ""));

  it.each(chapterNames)(
    "%s: figures drawn, math typeset, links and contents resolve",
    async (name) => {
      const chapter = book.chapters.find((c) => c.name === name)!;
      expect(chapter, `the book has no page for ${name}`).toBeDefined();
      const executed = new ExecutedChapter(
        chapter.executedPath,
        readNotebook(chapter.executedPath),
      );
      const guarded = await open(chapter.page);
      try {
        const { page } = guarded;
        const report = await inspectFigures(guarded, {
          screenshot: screenshotPath(`book-${name}`),
        });
        expectAllFiguresRendered(report, executed.figureCount());
        const facts = await page.evaluate(pageFacts);
        expect(facts.rawTex, "raw TeX left in the text").toEqual([]);
        if (executed.prose().includes("$")) expect(facts.katex).toBeGreaterThan(0);
        expect(facts.current).toBe(chapter.page);
        expect(
          facts.navLinks.filter((h) => h.startsWith("0") || h === "index.html").length,
        ).toBeGreaterThanOrEqual(book.chapters.length + 2);
        await expectLinksResolve(page, facts.navLinks);
        expect(facts.tocLinks.length).toBe(facts.headings);
        expect(facts.missingAnchors).toEqual([]);
        await expectLinksResolve(page, [chapter.downloads.clean, chapter.downloads.withOutputs]);
        // Solutions start collapsed; every code cell has a copy button.
        expect(await page.$$eval("article details[open]", (els) => els.length)).toBe(0);
        const cells = await page.$$eval(".cell.code", (els) => els.length);
        expect(await page.$$eval(".cell.code .input .copy-button", (els) => els.length)).toBe(
          cells,
        );
        await expectThemeToggles(page, name);
        expect(guarded.errors).toEqual([]);
        expect(guarded.blocked).toEqual([]);
        expect(guarded.failed).toEqual([]);
      } finally {
        await guarded.context.close();
      }
    },
    180_000,
  );

  it("the notation page is a reference page: typeset, linked from every chapter and the index", async () => {
    expect(book.references.map((r) => r.page)).toEqual(["00-notation.html"]);
    const guarded = await open("00-notation.html");
    try {
      const { page } = guarded;
      const facts = await page.evaluate(pageFacts);
      expect(facts.rawTex, "raw TeX left in the text").toEqual([]);
      expect(facts.katex).toBeGreaterThan(50);
      expect(facts.current).toBe("00-notation.html");
      await expectLinksResolve(page, facts.navLinks);
      expect(facts.tocLinks.length).toBe(facts.headings);
      expect(facts.missingAnchors).toEqual([]);
      expect(await page.textContent("article")).toContain("BP1");
      await expectThemeToggles(page, "00-notation");
      expect(guarded.errors).toEqual([]);
      expect(guarded.failed).toEqual([]);
    } finally {
      await guarded.context.close();
    }
    // Each chapter's link to the notation notebook became a link to its page.
    for (const chapter of [...book.chapters.map((c) => c.page), "index.html"]) {
      const html = readFileSync(join(folder, chapter), "utf8");
      expect(html, chapter).toContain('href="00-notation.html"');
      expect(html, chapter).not.toContain("00-notation.ipynb");
    }
  }, 60_000);

  it("the checks above fail on a broken page: raw TeX, an inline script, dead links", async () => {
    const chapter = readFileSync(join(folder, book.chapters[0].page), "utf8");
    const head = chapter.slice(0, chapter.indexOf("<body"));
    writeFileSync(
      join(folder, "broken.html"),
      `${head}<body><main>
      <p>Untypeset $\\sigma(z)$ here.</p><script>window.inline = 1;</script>
      <aside class="toc"><a href="#nowhere">x</a></aside>
      <nav class="sidebar"><a href="no-such-page.html">y</a></nav></main></body></html>`,
    );
    const guarded = await open("broken.html");
    try {
      const facts = await guarded.page.evaluate(pageFacts);
      expect(facts.rawTex[0]).toBe("$\\sigma(z)");
      expect(facts.missingAnchors).toEqual(["#nowhere"]);
      expect(guarded.errors.join("\n")).toContain("Content Security Policy");
      expect(
        await guarded.page.evaluate(() => (window as { inline?: number }).inline),
      ).toBeUndefined();
      await expect(expectLinksResolve(guarded.page, facts.navLinks)).rejects.toThrow(
        /no-such-page/,
      );
    } finally {
      await guarded.context.close();
    }
  }, 60_000);

  it.each([
    ["backpropagation", "05-backpropagation"],
    ["softmax", "06-softmax-and-cross-entropy"],
    ["perceptron", "01-perceptron-logic-gates"],
    ["MNIST", "07-mnist"],
  ])(
    "searching %s lists %s first and jumps to the section",
    async (query, expected) => {
      if (!book.chapters.some((c) => c.name === expected))
        throw new Error(`no ${expected} in the book`);
      const guarded = await open("index.html");
      try {
        const { page } = guarded;
        await page.fill("#search", query);
        const first = page.locator("#search-results a").first();
        await first.waitFor({ timeout: 10_000 });
        const href = (await first.getAttribute("href"))!;
        expect(href.startsWith(`${expected}.html#`), href).toBe(true);
        await page.press("#search", "Enter");
        await page.waitForURL((url) => url.href.endsWith(href), { timeout: 10_000 });
        const anchor = decodeURIComponent(href.split("#")[1]);
        const top = await page.evaluate(
          (id) => document.getElementById(id)?.getBoundingClientRect().top,
          anchor,
        );
        expect(top, `#${anchor} is on the page and scrolled to`).toBeDefined();
        expect(Math.abs(top!)).toBeLessThan(200);
        expect(guarded.errors).toEqual([]);
        expect(guarded.failed).toEqual([]);
      } finally {
        await guarded.context.close();
      }
    },
    60_000,
  );
});
