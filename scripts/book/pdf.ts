// The whole book as one PDF (`npm run book:pdf`, or `build.ts --pdf`): every chapter of a built site
// put into one print document (title page, contents, the notation page, the chapters, each from a
// new page), drawn in Chromium and printed by it, so figures stay vectors (plotly's SVG) and links
// stay links: between chapters they point into the PDF itself.
//
// Chromium cannot number the contents (no CSS target-counter), so the book is printed twice: the
// first print is read back with pdftotext (poppler-utils) to find the page each chapter and section
// starts on; the numbers go into the contents, which keeps its size (placeholders of the same width),
// and the second print is checked to start every chapter on the same page.
import fs from "fs";
import os from "os";
import path from "path";
import { execFileSync } from "child_process";
import { chromium, type Page } from "playwright-core";
import { PRINT_WIDTH } from "./client/print";
import { html, joinHtml, raw, type Html } from "./html";
import { CONTENT_SECURITY_POLICY, formatSeconds, pageDocument } from "./layout";
import { serveFolder } from "./serve";
import type { Chapter, Reference, Site } from "./types";

/** The PDF's file in the site. */
export const PDF_FILE = "from-gates-to-digits.pdf";
/** The print document, written into the site while it prints and removed after. */
const PRINT_PAGE = "print-book.html";
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
/** A placeholder as wide as any page number of the book, so numbering does not move a page. */
const NO_PAGE = "000";

type Part = (Chapter | Reference) & { heading: string };

/** The prefix of a page's ids in the print document, which holds every page at once. */
const prefixOf = (name: string) => `${name}--`;

/**
 * A page's HTML made to live in the print document: its ids prefixed, its links within the book
 * pointed at the print document's anchors, and links to the site's other files (downloads, decks)
 * made plain text, since the PDF has no site beside it. Links out of the book stay.
 */
export function printHtml(text: string, name: string, pages: Map<string, string>): string {
  const prefix = prefixOf(name);
  const target = (href: string): string | null => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return href;
    if (href.startsWith("#")) return `#${prefix}${href.slice(1)}`;
    const [file, fragment] = href.split("#");
    const other = pages.get(file);
    if (!other) return null;
    return fragment ? `#${other}${fragment}` : `#${other}start`;
  };
  return text
    .replace(/ (id|data-figure)="([^"]*)"/g, (_, attr, id) => ` ${attr}="${prefix}${id}"`)
    .replace(/ href="([^"]*)"/g, (_, href) => {
      const to = target(href);
      return to === null ? ` class="print-link-gone" data-href="${href}"` : ` href="${to}"`;
    });
}

function contents(parts: Part[]): Html {
  const entry = (id: string, label: Html | string, children: Html | string = "") =>
    html`<li><a href="#${id}"><span class="label">${label}</span><span class="dots"></span><span class="page" data-page-of="${id}">${NO_PAGE}</span></a>${children}</li>`;
  const items = parts.map((part) => {
    const prefix = prefixOf(part.name);
    const sections = part.sections
      .filter((s) => s.level === 2)
      .map((s) => entry(`${prefix}${s.id}`, raw(s.html)));
    const label = "number" in part ? html`${part.number} · ${part.title}` : part.title;
    return entry(`${prefix}start`, label, html`<ol>${joinHtml(sections)}</ol>`);
  });
  return html`<nav class="print-contents" id="contents" aria-label="Contents">
<h2>Contents</h2>
<ol>
${joinHtml(items)}
</ol>
</nav>`;
}

/** The print document: the title page, the contents, and every page of the book after it. */
export function printDocument(site: Site): { html: string; parts: Part[] } {
  const { book, build, chapters, references } = site;
  const parts: Part[] = [
    ...references.map((r) => ({ ...r, heading: r.title })),
    ...chapters.map((c) => ({ ...c, heading: `Chapter ${c.number} · ${c.title}` })),
  ];
  const pages = new Map(parts.map((p) => [p.page, prefixOf(p.name)]));
  const totalRun = chapters.reduce((sum, c) => sum + c.runSeconds, 0);
  const articles = parts.map(
    (part) =>
      html`<article class="chapter print-chapter" id="${prefixOf(part.name)}start">
${raw(printHtml(part.html, part.name, pages))}
</article>`,
  );
  const body = html`<body class="chapter-page print-book">
<main id="content">
<section class="print-title-page">
<h1 id="top">${book.title}</h1>
<p class="subtitle">${book.subtitle}</p>
<p class="edition">This edition was built ${build.date} from commit ${build.commit} with library
${build.library}; its ${chapters.length} chapters ran in ${formatSeconds(totalRun)}.
${site.solutions ? "" : "It leaves out the exercises' worked solutions."}</p>
</section>
${contents(parts)}
${joinHtml(articles)}
</main>
</body>`;
  return {
    parts,
    html: pageDocument({
      title: book.title,
      policy: CONTENT_SECURITY_POLICY,
      assets: "assets/",
      stylesheets: ["katex/katex.min.css", "book.css", "highlight.css"],
      scripts: [
        { src: "theme.js" },
        { src: "plotly.min.js", defer: true },
        { src: "book.js", defer: true },
      ],
      body,
    }),
  };
}

/** The text of each page of a PDF (pdftotext), whitespace made single spaces. */
export function pdfPageTexts(file: string): string[] {
  let text: string;
  try {
    text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], {
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new Error(
      "the book's PDF needs pdftotext to number its contents: install poppler-utils " +
        "(apt-get install poppler-utils, brew install poppler)",
    );
  }
  return text
    .split("\f")
    .slice(0, -1)
    .map((page) => page.replace(/\s+/g, " ").trim());
}

/**
 * The page (1-based) each part and each of its sections starts on: a part on the first page that
 * starts with its heading, a section on the first page from its part's that holds its title. A
 * section whose title pdftotext does not give back as written (a formula in it) gets none.
 */
export function locate(pageTexts: string[], parts: Part[]): Map<string, number> {
  const found = new Map<string, number>();
  // pdftotext joins a word hyphenated at a line's end ("cross-" "entropy" -> "crossentropy"):
  // compared without spaces and hyphens.
  const flat = (s: string) => s.replace(/[\s\u00ad-]+/g, "");
  const texts = pageTexts.map(flat);
  let from = 0;
  for (const part of parts) {
    const start = texts.findIndex((t, i) => i >= from && t.startsWith(flat(part.heading)));
    if (start < 0) throw new Error(`the printed book has no page starting with "${part.heading}"`);
    found.set(`${prefixOf(part.name)}start`, start + 1);
    let page = start;
    for (const section of part.sections.filter((s) => s.level === 2)) {
      const at = texts.findIndex((t, i) => i >= page && t.includes(flat(section.title)));
      if (at < 0) continue;
      page = at;
      found.set(`${prefixOf(part.name)}${section.id}`, at + 1);
    }
    from = start + 1;
  }
  return found;
}

/** Waits until every figure is drawn, then prepares the page for print and measures it. */
async function prepareForPrint(page: Page, figures: number): Promise<number> {
  await page.waitForFunction(
    (n) => document.querySelectorAll(".gtd-figure.js-plotly-plot .main-svg").length >= n,
    figures,
    { timeout: 120_000, polling: 500 },
  );
  await page.emulateMedia({ media: "print", colorScheme: "light" });
  // client/print.ts lays the wide figures out again at PRINT_WIDTH: wait for it.
  await page.waitForFunction(
    (limit) =>
      Array.from(document.querySelectorAll(".gtd-figure .main-svg")).every(
        (svg) => svg.getBoundingClientRect().width <= limit + 0.5,
      ),
    PRINT_WIDTH,
    { timeout: 30_000, polling: 200 },
  );
  return page.evaluate(() =>
    Math.max(
      0,
      ...Array.from(document.querySelectorAll(".gtd-figure")).map(
        (el) => el.getBoundingClientRect().right,
      ),
    ),
  );
}

const PDF_OPTIONS = {
  format: "A4",
  printBackground: true,
  // Equal to book.css's @page margins, so the column is PRINT_WIDTH wide either way.
  margin: { top: "15mm", right: "15mm", bottom: "18mm", left: "15mm" },
  displayHeaderFooter: true,
  headerTemplate: "<span></span>",
  footerTemplate:
    '<div style="width:100%;text-align:center;font-size:8pt;color:#555;font-family:sans-serif">' +
    '<span class="pageNumber"></span></div>',
  outline: true,
  tagged: true,
} as const;

/** What building the PDF made: the file (in the site), its pages, bytes and seconds. */
export interface BookPdf {
  file: string;
  pages: number;
  bytes: number;
  seconds: number;
  /** Every chapter's and section's page, by its anchor in the print document. */
  starts: Map<string, number>;
  /** The right edge of the widest figure, in CSS pixels, as printed (at most PRINT_WIDTH). */
  widestFigure: number;
}

/** Prints the built site in `out` into out/PDF_FILE. */
export async function bookPdf(
  site: Site,
  out: string,
  { log = console.log }: { log?: (line: string) => void } = {},
): Promise<BookPdf> {
  const began = Date.now();
  const { html: printed, parts } = printDocument(site);
  fs.writeFileSync(path.join(out, PRINT_PAGE), printed);
  const figures = parts.reduce((sum, p) => sum + p.figures, 0);
  const { server, url } = await serveFolder(out);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gtd-pdf-"));
  try {
    const context = await browser.newContext({
      viewport: { width: PRINT_WIDTH, height: 960 },
      colorScheme: "light",
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (m) => (m.type() === "error" ? errors.push(m.text()) : undefined));
    await page.goto(new URL(PRINT_PAGE, url).href, { waitUntil: "load", timeout: 120_000 });
    const widestFigure = await prepareForPrint(page, figures);
    if (errors.length) throw new Error(`the print document failed: ${errors.join("; ")}`);
    if (widestFigure > PRINT_WIDTH + 0.5) {
      throw new Error(`a figure is ${widestFigure} px wide, wider than the page (${PRINT_WIDTH})`);
    }
    const first = path.join(scratch, "first.pdf");
    await page.pdf({ ...PDF_OPTIONS, path: first });
    const starts = locate(pdfPageTexts(first), parts);
    await page.evaluate((numbers) => {
      for (const el of Array.from(document.querySelectorAll<HTMLElement>("[data-page-of]"))) {
        const number = numbers[el.dataset.pageOf!];
        el.textContent = number === undefined ? "" : String(number);
      }
    }, Object.fromEntries(starts));
    const file = path.join(out, PDF_FILE);
    await page.pdf({ ...PDF_OPTIONS, path: file });
    const texts = pdfPageTexts(file);
    const again = locate(texts, parts);
    for (const part of parts) {
      const id = `${prefixOf(part.name)}start`;
      if (again.get(id) !== starts.get(id)) {
        throw new Error(
          `numbering the contents moved ${part.heading} from page ${starts.get(id)} to ${again.get(id)}`,
        );
      }
    }
    const bytes = fs.statSync(file).size;
    const seconds = (Date.now() - began) / 1000;
    log(
      `  ${PDF_FILE.padEnd(42)} ${(bytes / 1e6).toFixed(2)} MB, ${texts.length} pages, ` +
        `printed in ${seconds.toFixed(1)} s`,
    );
    return { file, pages: texts.length, bytes, seconds, starts, widestFigure };
  } finally {
    await browser.close();
    await new Promise((done) => server.close(done));
    fs.rmSync(path.join(out, PRINT_PAGE), { force: true });
    if (!process.env.GTD_KEEP_PDF_SCRATCH) fs.rmSync(scratch, { recursive: true, force: true });
    else log(`first print kept in ${scratch}`);
  }
}
