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
import { unzipSync } from "fflate";
import { BOOK, BOOK_KIT, buildBook, type BuiltBook } from "../../scripts/book/build";
import { repositoryTree, sourceUrl } from "../../scripts/book/layout";
import { serveFolder } from "../../scripts/book/serve";
import type { Chapter } from "../../scripts/book/types";
import { ExecutedChapter, readNotebook } from "../notebooks/harness";

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];

const MB = 1e6;
const libraryPackage = JSON.parse(
  readFileSync(join(__dirname, "..", "..", "lib", "package.json"), "utf8"),
);
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
  it("a chapter page weighs under 1.5 MB without the shared assets, the site under 36 MB besides MNIST", () => {
    const chapters = book.pages.filter(
      (p) => p.file !== "index.html" && p.file !== "instructors.html",
    );
    expect(chapters).toHaveLength(book.chapters.length + book.references.length);
    for (const page of chapters) expect(page.bytes, page.file).toBeLessThan(1.5 * MB);
    // With nine chapters, 33 MB: 18.4 MB of downloads (each chapter's notebook with outputs carries
    // plotly.js, 1.4 MB zipped, so that its figures show offline; the starter kits are 2.8 MB of it),
    // 6 MB of shared assets, 4 MB of slide decks (slides.test.ts weighs them) and 5 MB of pages.
    // Besides them, MNIST's four IDX files gzipped (11.4 MB) under data/mnist/, which a page downloads
    // only when a chapter it runs calls loadMnist (library-bundle.ts).
    const data = filesIn(join(folder, "data")).reduce((sum, f) => sum + statSync(f).size, 0);
    expect(data).toBeLessThan(12 * MB);
    expect(book.bytes - data).toBeLessThan(36 * MB);
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
          // Links out (not loads): the source repository and the text's licence.
          if (el.tagName === "a" && isOutsideLink(a.value)) continue;
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

  it("each chapter has a starter kit, and the whole book's holds every notebook with the library", () => {
    const tarball = `gates-to-digits-${libraryPackage.version}.tgz`;
    const kitFiles = [".gitignore", "README.md", tarball, "package.json", "start.js"];
    for (const chapter of book.chapters) {
      const names = zipEntries(join(folder, chapter.downloads.kit));
      expect(names, chapter.downloads.kit).toEqual(
        [...kitFiles, `${chapter.name}.ipynb`].map((f) => `${chapter.name}/${f}`).sort(),
      );
    }
    const pages = [...book.chapters, ...book.references].map((p) => `${p.name}.ipynb`);
    expect(zipEntries(join(folder, BOOK_KIT))).toEqual(
      [...kitFiles, ...pages].map((f) => `from-gates-to-digits/${f}`).sort(),
    );
    const bytes = (file: string) => statSync(join(folder, file)).size;
    console.log(
      `starter kits: ${book.chapters.map((c) => bytes(c.downloads.kit)).join(", ")} bytes; ` +
        `the whole book's ${bytes(BOOK_KIT)} bytes`,
    );
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

/** The files of a zip, by name, without inflating them. */
function zipEntries(file: string): string[] {
  const names: string[] = [];
  unzipSync(readFileSync(file), {
    filter: ({ name }) => {
      if (!name.endsWith("/")) names.push(name);
      return false;
    },
  });
  return names.sort();
}

/** The only addresses outside the site a page may link to: the repository and the licence. */
function isOutsideLink(href: string): boolean {
  return (
    href.startsWith(`${BOOK.repository}/`) ||
    href === BOOK.repository ||
    href === BOOK.license.text.url
  );
}

function attrOf(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

describe("what a published book carries", () => {
  const pageOf = (file: string) => [...elements(parse(readFileSync(join(folder, file), "utf8")))];

  it("every figure is numbered and has a text alternative a screen reader says", () => {
    for (const chapter of book.chapters) {
      const els = pageOf(chapter.page);
      const figures = els.filter((el) =>
        (attrOf(el, "class") ?? "").split(/\s+/).includes("gtd-figure"),
      );
      expect(figures, chapter.page).toHaveLength(chapter.figures);
      figures.forEach((figure, k) => {
        const label = attrOf(figure, "aria-label") ?? "";
        expect(attrOf(figure, "role"), chapter.page).toBe("img");
        // "Figure 5.3: <title>. A line plot of loss against epoch. Series: …"
        expect(label, chapter.page).toMatch(
          new RegExp(`^Figure ${chapter.number}\\.${k + 1}: \\S`),
        );
        expect(label.length, label).toBeGreaterThan(30);
      });
      const numbered = els.filter((el) => el.tagName === "figure").map((el) => attrOf(el, "id"));
      expect(numbered).toEqual(figures.map((_, k) => `figure-${chapter.number}-${k + 1}`));
    }
  });

  it("every section heading carries a ¶ permalink to its own anchor", () => {
    for (const page of [...book.chapters, ...book.references]) {
      const headings = pageOf(page.page).filter(
        (el) => (el.tagName === "h2" || el.tagName === "h3") && attrOf(el, "id"),
      );
      expect(headings.length, page.page).toBeGreaterThan(3);
      for (const h of headings) {
        const link = [...elements(h)].find((el) => attrOf(el, "class") === "permalink");
        expect(link && attrOf(link, "href"), `${page.page} #${attrOf(h, "id")}`).toBe(
          `#${attrOf(h, "id")}`,
        );
      }
    }
  });

  it("says its licences, how to cite it and where its source is, as CITATION.cff does", () => {
    const root = join(__dirname, "..", "..");
    const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
    const cff = readFileSync(join(root, "CITATION.cff"), "utf8");
    expect(cff).toContain(`title: "${BOOK.title}: ${BOOK.subtitle}"`);
    expect(cff).toContain(`version: "${version}"`);
    expect(cff).toContain(`repository-code: "${BOOK.repository}"`);
    expect(cff).toMatch(/license:\s*\n\s*- CC-BY-4\.0\n\s*- MIT/);
    expect(readFileSync(join(root, BOOK.license.code.file), "utf8")).toMatch(/^MIT License/);
    const index = readFileSync(join(folder, "index.html"), "utf8");
    expect(index).toContain('id="license"');
    expect(index).toContain(`<a rel="license" href="${BOOK.license.text.url}">CC BY 4.0</a>`);
    expect(index).toContain('id="cite"');
    expect(index).toMatch(new RegExp(`@book\\{[^}]*title\\s*= \\{${BOOK.title}`));
    expect(index).toContain(`edition   = {${version}}`);
    for (const page of [...book.chapters, ...book.references]) {
      const links = pageOf(page.page).filter((el) => attrOf(el, "class") === "view-source");
      expect(
        links.map((a) => attrOf(a, "href")),
        page.page,
      ).toContain(sourceUrl(BOOK, page.name));
      const html = readFileSync(join(folder, page.page), "utf8");
      expect(html, page.page).toContain(`href="${BOOK.license.text.url}"`);
      expect(html, page.page).toContain('href="index.html#cite"');
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

/** A phone as the readers held it: 390×844, a touch screen. */
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

async function open(
  name: string,
  device?: typeof PHONE,
): Promise<GuardedPage & { failed: string[] }> {
  const guarded = await openGuardedPage(browser, { allowOrigins: [origin], device });
  const failed: string[] = [];
  guarded.page.on("requestfailed", (r) => failed.push(`${r.url()} (${r.failure()?.errorText})`));
  guarded.page.on("response", (r) => {
    if (r.status() >= 400) failed.push(`${r.url()} (HTTP ${r.status()})`);
  });
  await guarded.page.goto(new URL(name, origin).href, { waitUntil: "load" });
  return { ...guarded, failed };
}

/**
 * Every link resolves to a page of the site, and a link with a #fragment to an element there. Links out
 * (the source repository, in the sidebar's "Run it yourself") are left to isOutsideLink's check.
 */
async function expectLinksResolve(page: Page, hrefs: string[]): Promise<void> {
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of new Set(hrefs.filter((h) => !isOutsideLink(h)))) {
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

/** What a phone reader meets on a chapter page, read in the page. */
function phoneFacts() {
  const column = document.querySelector("article")!.getBoundingClientRect();
  const inside = (r: DOMRect, box: DOMRect) => r.left >= box.left - 1 && r.right <= box.right + 1;
  const overlap = (a: DOMRect, b: DOMRect) =>
    a.width > 0 &&
    b.width > 0 &&
    a.left < b.right &&
    b.left < a.right &&
    a.top < b.bottom &&
    b.top < a.bottom;
  const figures = Array.from(document.querySelectorAll<HTMLElement>(".gtd-figure")).map((el) => {
    const box = el.getBoundingClientRect();
    const texts = Array.from(
      el.querySelectorAll<SVGGraphicsElement>(
        ".gtitle, .xtitle, .ytitle, [class^='x2title'], [class^='y2title']",
      ),
    );
    const title = el.querySelector(".gtitle")?.getBoundingClientRect();
    const legend = el.querySelector(".legend .bg")?.getBoundingClientRect();
    const modebar = el.querySelector(".modebar")?.getBoundingClientRect();
    const layout = (
      el as unknown as { _fullLayout?: { xaxis2?: { domain: number[] }; dragmode: unknown } }
    )._fullLayout;
    return {
      id: el.id,
      fits: inside(box, column),
      textsInside: texts.every((t) => inside(t.getBoundingClientRect(), box)),
      legendOnTitle: Boolean(title && legend && overlap(title, legend)),
      modebar: Boolean(modebar && modebar.width > 0),
      panelsSideBySide: Boolean(layout?.xaxis2 && layout.xaxis2.domain[0] > 0),
      dragmode: layout?.dragmode ?? null,
    };
  });
  const formulas = Array.from(document.querySelectorAll(".katex-display")).filter(
    (k) => k.scrollWidth > k.clientWidth + 1,
  );
  const pre = document.querySelector<HTMLElement>(".cell.code .input pre")!;
  const copy = pre.parentElement!.querySelector(".copy-button")!.getBoundingClientRect();
  const firstLine = pre.getBoundingClientRect().top + parseFloat(getComputedStyle(pre).paddingTop);
  const brand = document.querySelector<HTMLElement>(".brand")!;
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    figures,
    formulasUnmarked: formulas.filter((k) => !k.classList.contains("scrolls")).length,
    copyCoversCode: copy.bottom > firstLine + 1,
    titleTruncated: brand.scrollWidth > brand.clientWidth + 1,
  };
}

/** A finger's vertical swipe at (x, y), dragging `distance` px upwards. */
async function swipeUp(page: Page, x: number, y: number, distance: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y }] });
  for (let i = 1; i <= 10; i++) {
    const point = { x, y: Math.round(y - (distance * i) / 10) };
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [point] });
    await page.waitForTimeout(16);
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await page.waitForTimeout(500);
}

describe("the book on a phone (390×844, touch)", () => {
  it.each(["05-backpropagation", "07-mnist"])(
    "%s: figures fit and scroll under a finger, the menu lists the page, search fits",
    async (name) => {
      const chapter = book.chapters.find((c) => c.name === name)!;
      const guarded = await open(chapter.page, PHONE);
      try {
        const { page } = guarded;
        await page.waitForFunction(
          (n) => document.querySelectorAll(".gtd-figure .main-svg").length >= n,
          chapter.figures,
          { timeout: 30_000 },
        );
        const facts = await page.evaluate(phoneFacts);
        expect(facts.overflow, "the page scrolls sideways").toBeLessThanOrEqual(0);
        for (const f of facts.figures) {
          expect(f, f.id).toMatchObject({
            fits: true,
            textsInside: true,
            legendOnTitle: false,
            modebar: false,
            panelsSideBySide: false,
            dragmode: false,
          });
        }
        expect(facts.formulasUnmarked, "wide formulas without a sign that they scroll").toBe(0);
        expect(facts.copyCoversCode, "the Copy button covers the first line").toBe(false);
        expect(facts.titleTruncated, "the top bar cuts the title").toBe(false);
        await page.screenshot({ path: screenshotPath(`book-${name}-phone`) });

        // A vertical swipe over a figure scrolls the page and leaves the figure's axes alone.
        const figure = page.locator(".gtd-figure").first();
        await figure.scrollIntoViewIfNeeded();
        const box = (await figure.boundingBox())!;
        const look = () =>
          page.evaluate(() => ({
            y: window.scrollY,
            range: JSON.stringify(
              (
                document.querySelector(".gtd-figure") as unknown as {
                  _fullLayout: { xaxis: { range: number[] } };
                }
              )._fullLayout.xaxis.range,
            ),
          }));
        const before = await look();
        await swipeUp(
          page,
          Math.round(box.x + box.width / 2),
          Math.round(box.y + box.height * 0.6),
          250,
        );
        const after = await look();
        expect(after.y - before.y, "the swipe scrolled the page").toBeGreaterThan(100);
        expect(after.range, "the swipe zoomed the figure").toBe(before.range);
        expect(await page.locator(".zoom-button").count()).toBe(chapter.figures);

        // The ☰ menu lists this page's sections; Escape closes it.
        await page.click(".menu-toggle");
        const contents = page.locator("#sidebar .page-contents a");
        await expect.poll(() => contents.first().isVisible()).toBe(true);
        expect(await contents.count()).toBe(chapter.sections.length);
        // The menu ends on the screen and scrolls: its last block, how to run the chapter, comes into
        // view (a long chapter's contents push it below the fold).
        const menu = (await page.locator("#sidebar").boundingBox())!;
        expect(menu.y + menu.height).toBeLessThanOrEqual(PHONE.viewport.height + 1);
        await page.locator("#sidebar .run-ways").scrollIntoViewIfNeeded();
        const ways = (await page.locator("#sidebar .run-ways").boundingBox())!;
        expect(ways.y + ways.height).toBeLessThanOrEqual(PHONE.viewport.height);
        await page.keyboard.press("Escape");
        await expect.poll(() => page.locator("#sidebar").isVisible()).toBe(false);
        expect(await page.getAttribute(".menu-toggle", "aria-expanded")).toBe("false");

        // Search opens from its button and its results stay on the screen.
        await page.click(".search-toggle");
        await page.fill("#search", "softmax");
        await page.locator("#search-results a").first().waitFor({ timeout: 10_000 });
        const panel = (await page.locator("#search-results").boundingBox())!;
        expect(panel.x).toBeGreaterThanOrEqual(0);
        expect(panel.x + panel.width).toBeLessThanOrEqual(PHONE.viewport.width);
        await page.screenshot({ path: screenshotPath(`book-${name}-phone-search`) });
        expect(guarded.errors).toEqual([]);
        expect(guarded.failed).toEqual([]);
      } finally {
        await guarded.context.close();
      }
    },
    120_000,
  );
});

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
      // The whole book's starter kit, offered above the chapter list.
      expect(await page.getAttribute(".book-kit a", "href")).toBe(BOOK_KIT);
      await expectLinksResolve(page, [BOOK_KIT]);
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
        await expectLinksResolve(page, [
          chapter.downloads.clean,
          chapter.downloads.withOutputs,
          chapter.downloads.kit,
          BOOK_KIT,
        ]);
        // How to run it, three ways, shortest first: this page, the starter kit, the repository.
        const ways = await page.$$eval(".sidebar .run-ways > li", (items) =>
          items.map((li) => ({
            text: li.textContent ?? "",
            links: [...li.querySelectorAll("a")].map((a) => a.getAttribute("href")),
          })),
        );
        expect(ways.map((w) => w.text.split(":")[0].trim())).toEqual([
          "In this page",
          "With the starter kit",
          "From the source repository",
        ]);
        expect(ways[0].text).toContain("press Run on any code cell, or Run all");
        expect(ways[1].links).toEqual([chapter.downloads.kit, BOOK_KIT]);
        expect(ways[2].links).toEqual([repositoryTree(BOOK)]);
        // Solutions start collapsed; every code cell has a copy button.
        expect(await page.$$eval("article details[open]", (els) => els.length)).toBe(0);
        const cells = await page.$$eval(".cell.code", (els) => els.length);
        expect(await page.$$eval(".cell.code .input .copy-button", (els) => els.length)).toBe(
          cells,
        );
        // At 1280 px a listing of 100 characters (prettier's printWidth) fits its box: the
        // chapters' cells and solutions need no sideways scrolling.
        const wide = await page.$$eval(".cell.code .input pre, details pre", (els) =>
          els.filter((pre) => pre.scrollWidth > pre.clientWidth + 1).map((pre) => pre.scrollWidth),
        );
        expect(wide, "listings wider than their box").toEqual([]);
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

  it("searching learning rate lists the sections that introduce it first", async () => {
    const guarded = await open("index.html");
    try {
      const { page } = guarded;
      await page.fill("#search", "learning rate");
      await page.locator("#search-results a").first().waitFor({ timeout: 10_000 });
      const hrefs = await page.$$eval("#search-results a", (els) =>
        els.map((a) => a.getAttribute("href")),
      );
      // Chapter 1 introduces it (the perceptron rule), chapter 4 explains it (one dimension);
      // chapter 7's "Searching for a learning rate" may come between them.
      expect(hrefs[0]).toBe(
        "01-perceptron-logic-gates.html#learning-the-weights-the-perceptron-rule",
      );
      expect(hrefs.slice(0, 3)).toContain(
        "04-gradient-descent.html#walking-downhill-in-one-dimension",
      );
      const excerpts = await page.$$eval(".search-excerpt", (els) =>
        els.map((e) => e.textContent ?? ""),
      );
      // A formula reads as text (η, ∂C/∂w), not "…"; an excerpt cut short ends with " …".
      for (const excerpt of excerpts) expect(excerpt, "a formula shown as …").not.toMatch(/…\s/);
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
