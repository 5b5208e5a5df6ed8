// The book's pages as HTML: the one page skeleton (the document and its head, shared with the decks),
// the book's frame around a page's text (top bar, chapter list, footer, table of contents), and the
// index, chapter, reference and instructor's pages in it. Every URL in them is relative (pages sit at
// the site's root, shared files in assets/), so the site works from any folder or static host; the
// Content-Security-Policy lets only the site's own files load. Text is escaped by the `html` tag;
// markup the build made (rendered markdown, goals, exercises) comes in as `raw`.
import { html, joinHtml, raw, type Html } from "./html";
import type { Section } from "./render";
import {
  MINUTES_PER_SLIDE,
  chapterLoad,
  courseSchedule,
  presentingMinutes,
  workshopSchedule,
} from "./schedule";
import type { Book, Chapter, Reference, Site } from "./types";

/**
 * Scripts and styles only from the site itself, no inline script (figures travel as JSON data), no
 * request anywhere else. Inline style attributes stay allowed: KaTeX positions its glyphs with them,
 * plotly styles its SVG with them, and the library's tables align their numbers with them. Workers
 * only from the site's files: the chapter pages' runner (assets/runner-worker.js), where the
 * reader's code runs; the page itself compiles no WebAssembly and evaluates no code.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/**
 * The runner's worker's own policy (a page's <meta> policy does not reach a worker: its policy comes
 * with its script, so `npm run book:serve` sends this header with assets/runner-worker.js). Scripts
 * from the site, and 'unsafe-eval': running the reader's cells is evaluating code (each cell becomes
 * a function made by the Function constructor), and it also lets the library compile its
 * WebAssembly kernels ('wasm-unsafe-eval' alone would not run the cells). Requests to the site only
 * (the library, its kernels, MNIST).
 */
export const WORKER_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-eval'",
  "connect-src 'self'",
].join("; ");

/** The head's scripts: `defer` ones run in order once the page is parsed; the others at once. */
export interface PageScript {
  src: string;
  defer?: boolean;
}

/**
 * A whole HTML document: every page of the site and every deck. `assets` is the path to the site's
 * assets/ folder from the page ("assets/" or "../assets/"), which prefixes the icon, the stylesheets
 * and the scripts.
 */
export function pageDocument(page: {
  title: string;
  description?: string;
  policy: string;
  assets: string;
  /** Follows the reader's light or dark theme (the book, not the decks). */
  themed?: boolean;
  stylesheets: string[];
  scripts: PageScript[];
  body: Html;
}): string {
  const { assets } = page;
  const meta = [
    page.themed ? html`<meta name="color-scheme" content="light dark">\n` : "",
    page.description !== undefined
      ? html`<meta name="description" content="${page.description}">\n`
      : "",
  ];
  const stylesheets = page.stylesheets.map(
    (file) => html`<link rel="stylesheet" href="${assets}${file}">`,
  );
  const scripts = page.scripts.map(
    (s) => html`<script src="${assets}${s.src}"${s.defer ? raw(" defer") : ""}></script>`,
  );
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${page.policy}">
${meta}<title>${page.title}</title>
<link rel="icon" href="${assets}favicon.svg" type="image/svg+xml">
${joinHtml(stylesheets)}
${joinHtml(scripts)}
</head>
${page.body}
</html>
`.value;
}

function topbar(site: Site): Html {
  return html`<header class="topbar">
  <button type="button" class="menu-toggle" aria-controls="sidebar" aria-expanded="false"
    aria-label="Chapters">☰</button>
  <a class="brand" href="index.html">${site.book.title}</a>
  <button type="button" class="search-toggle" aria-controls="search" aria-expanded="false"
    aria-label="Search the book">⌕</button>
  <div class="search" role="search">
    <input type="search" id="search" placeholder="Search the book  ( / )" autocomplete="off"
      aria-label="Search the book" aria-controls="search-results">
    <ol id="search-results" class="search-results" hidden></ol>
  </div>
  <button type="button" id="theme-toggle" class="theme-toggle" aria-label="Dark theme"
    title="Switch between light and dark">◐</button>
</header>`;
}

function chapterLabel(chapter: Chapter): Html {
  return html`${chapter.number} · ${chapter.title}`;
}

/** Which page the sidebar marks as the current one: a chapter, a reference page, the kit, or none. */
type Current = Chapter | Reference | "instructors" | null;

const ariaCurrent = (yes: boolean) => (yes ? raw(' aria-current="page"') : "");

/**
 * The current page's sections, listed under its entry in the chapter list: the in-page contents
 * where the "On this page" column is hidden (narrower screens, and the ☰ menu on a phone).
 */
function pageContents(sections: Section[]): Html {
  const items = sections.map(
    (s) => html`      <li class="toc-${s.level}"><a href="#${s.id}">${raw(s.html)}</a></li>`,
  );
  return html`
    <ol class="page-contents" aria-label="On this page">
${joinHtml(items)}
    </ol>`;
}

function sidebar(site: Site, current: Current): Html {
  const { chapters, references } = site;
  const link = (page: Chapter | Reference, label: Html | string) =>
    html`    <li><a href="${page.page}"${ariaCurrent(page === current)}>${label}</a>${page === current && page.sections.length ? pageContents(page.sections) : ""}</li>`;
  const referenceList = references.length
    ? html`
  <h2>Reference</h2>
  <ul class="chapters references">
${joinHtml(references.map((r) => link(r, r.title)))}
  </ul>`
    : "";
  const chapter =
    current !== null && current !== "instructors" && "downloads" in current ? current : null;
  const downloads = chapter ? runItYourself(site, chapter) : "";
  return html`<nav class="sidebar" id="sidebar" aria-label="Chapters">
  <h2><a href="index.html"${ariaCurrent(current === null)}>Contents</a></h2>
  <ol class="chapters">
${joinHtml(chapters.map((c) => link(c, chapterLabel(c))))}
  </ol>${referenceList}
  <h2>Teaching</h2>
  <ul class="chapters references">
    <li><a href="instructors.html"${ariaCurrent(current === "instructors")}>Instructor's kit</a></li>
  </ul>${downloads}
</nav>`;
}

/**
 * How to run the chapter, shortest first: in the page (its Run buttons), with the starter kit (kit.ts),
 * from the source repository (book.json's address and branch); then the chapter's other downloads.
 */
function runItYourself({ book, bookKit }: Site, chapter: Chapter): Html {
  return html`
  <h2>Run it yourself</h2>
  <ol class="run-ways">
    <li><strong>In this page:</strong> press Run on any code cell, or Run all.</li>
    <li><strong>With the starter kit:</strong>
      <a href="${chapter.downloads.kit}" download>this chapter's (.zip)</a> or
      <a href="${bookKit}" download>the whole book's</a>. Unzip, then
      <code>npm install</code> and <code>npm start</code> open it in Jupyter
      (needs Node.js 20.19+ and Python 3 with Jupyter).</li>
    <li><strong>From the source repository:</strong>
      <a href="${repositoryTree(book)}">clone it</a>, run <code>bash scripts/setup.sh</code>, then
      <code>npm start</code> (its README says more).</li>
  </ol>
  <h2>Downloads</h2>
  <ul class="downloads">
    <li><a href="${chapter.downloads.clean}" download>Notebook (.ipynb)</a></li>
    <li><a href="${chapter.downloads.withOutputs}" download>With outputs (.zip)</a></li>
    <li><a href="${chapter.downloads.exercises}" download>Exercise sheet (.ipynb)</a></li>
    <li><a href="${chapter.deck.page}">Slides</a></li>
  </ul>
  <p class="hint">A notebook with outputs shows its figures once trusted
  (File ▸ Trust Notebook).</p>`;
}

/** The source repository's branch the book was built from (GitHub's address form). */
export function repositoryTree(book: Book): string {
  return `${book.repository.replace(/\/+$/, "")}/tree/${book.branch}`;
}

/** The notebook's page in the source repository (GitHub's address form). */
export function sourceUrl(book: Book, name: string): string {
  return `${book.repository.replace(/\/+$/, "")}/blob/${book.branch}/notebooks/${name}.ipynb`;
}

/** The book as BibTeX, for the index's "How to cite" (CITATION.cff at the repository's root says the same). */
export function bibtex(book: Book, version: string): string {
  return [
    `@book{from_gates_to_digits_${book.year},`,
    `  title     = {${book.title}: ${book.subtitle}},`,
    `  author    = {{${book.authors}}},`,
    `  year      = {${book.year}},`,
    `  edition   = {${version}},`,
    `  url       = {${book.repository}},`,
    `  note      = {Text under ${book.license.text.name}, code under the ${book.license.code.name} License}`,
    `}`,
  ].join("\n");
}

/**
 * Every page's footer: the licences of the text and the code, how to cite, the source repository
 * (and the page's notebook in it), and the build.
 */
function footer({ book, build }: Site, source: string | undefined): Html {
  const { text, code } = book.license;
  const sourceLink = source
    ? html` · <a class="view-source" href="${sourceUrl(book, source)}">view this page's notebook</a>`
    : "";
  return html`<footer class="footer">
  <p class="license">Text © ${book.year} ${book.authors}, under
  <a rel="license" href="${text.url}">${text.name}</a>; code under the
  <a href="${book.repository}/blob/${book.branch}/${code.file}">${code.name} License</a>.
  <a href="index.html#cite">How to cite</a> ·
  <a class="repository" href="${book.repository}">source repository</a>${sourceLink}</p>
  <p>Built ${build.date} from commit <code>${build.commit}</code>
  with library ${build.library}.</p>
</footer>`;
}

function toc(sections: Section[]): Html {
  const items = sections.map(
    (s) => html`    <li class="toc-${s.level}"><a href="#${s.id}">${raw(s.html)}</a></li>`,
  );
  return html`<aside class="toc" aria-label="On this page">
  <h2>On this page</h2>
  <ol>
${joinHtml(items)}
  </ol>
</aside>`;
}

/**
 * A page of the book: the document, the top bar, the chapter list (marking `current`), the page's
 * text and the footer in `<main>`, and the table of contents of `sections`, if given.
 */
function bookPage(
  site: Site,
  page: {
    title: string;
    description: string;
    figures: boolean;
    bodyClass: string;
    current: Current;
    main: Html;
    sections?: Section[];
    /** The page's notebook, for its "view source" link. */
    source?: string;
  },
): string {
  const { build } = site;
  const body = html`<body class="${page.bodyClass}">
<a class="skip-link" href="#content">Skip to the text</a>
${topbar(site)}
<div class="layout">
${sidebar(site, page.current)}
<main id="content">
${page.main}
${footer(site, page.source)}
</main>
${page.sections ? html`${toc(page.sections)}\n` : ""}</div>
</body>`;
  return pageDocument({
    title: page.title,
    description: page.description,
    policy: CONTENT_SECURITY_POLICY,
    assets: "assets/",
    themed: true,
    stylesheets: ["katex/katex.min.css", "book.css", "highlight.css"],
    scripts: [
      { src: "theme.js" },
      ...(page.figures ? [{ src: "plotly.min.js", defer: true }] : []),
      { src: "book.js", defer: true },
    ],
    body,
  });
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - 60 * minutes);
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

/** The links to the page before and after this one: a chapter, or the contents. */
function prevNext(prev: Chapter | undefined, next: Chapter | undefined): Html {
  const link = (rel: "prev" | "next", target: Chapter | undefined) =>
    html`<a rel="${rel}" href="${target?.page ?? "index.html"}"><span>${rel === "prev" ? "Previous" : "Next"}</span>${target ? chapterLabel(target) : "Contents"}</a>`;
  return html`<nav class="prev-next" aria-label="Chapters">
  ${link("prev", prev)}
  ${link("next", next)}
</nav>`;
}

export function chapterPage(site: Site, chapter: Chapter): string {
  const { book, chapters } = site;
  const index = chapters.indexOf(chapter);
  return bookPage(site, {
    title: `${chapter.number} · ${chapter.title} · ${book.title}`,
    description: book.summaries[chapter.name],
    figures: chapter.figures > 0,
    bodyClass: "chapter-page",
    current: chapter,
    sections: chapter.sections,
    source: chapter.name,
    main: html`<p class="chapter-meta">Chapter ${chapter.number} of ${chapters.length} ·
  about ${chapter.readingMinutes} min to read · runs in ${formatSeconds(chapter.runSeconds)} ·
  <a href="${chapter.deck.page}">slides</a> ·
  <a class="view-source" href="${sourceUrl(book, chapter.name)}">view source</a></p>
<article class="chapter">
${raw(chapter.html)}
</article>
${prevNext(chapters[index - 1], chapters[index + 1])}`,
  });
}

export function indexPage(site: Site): string {
  const { book, chapters, references } = site;
  const cards = chapters.map(
    (c) => html`  <li class="chapter-card">
    <h3><a href="${c.page}">${chapterLabel(c)}</a></h3>
    <p class="summary">${book.summaries[c.name]}</p>
    <p class="chapter-meta">about ${c.readingMinutes} min to read ·
      runs in ${formatSeconds(c.runSeconds)} · ${c.figures} interactive figure${c.figures === 1 ? "" : "s"} ·
      <a href="${c.deck.page}">${c.deck.slides} slides</a></p>
    <p class="goals-lead">By the end of it you will be able to</p>
    <ul class="goals">
${joinHtml(c.goals.map((g) => html`      <li>${raw(g)}</li>`))}
    </ul>
  </li>`,
  );
  const totalRun = chapters.reduce((sum, c) => sum + c.runSeconds, 0);
  const totalRead = chapters.reduce((sum, c) => sum + c.readingMinutes, 0);
  // The index's list of reference pages (the notation page), after the chapters.
  const referenceCards = references.map(
    (r) => html`  <li class="reference-card">
    <h3><a href="${r.page}">${r.title}</a></h3>
    <p class="summary">${book.references[r.name]}</p>
  </li>`,
  );
  const referenceList = references.length
    ? html`
<h2 id="reference">Reference</h2>
<ul class="chapter-list references">
${joinHtml(referenceCards)}
</ul>`
    : "";
  return bookPage(site, {
    title: book.title,
    description: book.intro,
    figures: false,
    bodyClass: "index-page",
    current: null,
    main: html`<article class="index">
<h1 id="top">${book.title}</h1>
<p class="subtitle">${book.subtitle}</p>
<p class="intro">${book.intro}</p>
${site.pdf ? html`<p class="book-pdf"><a href="${site.pdf}">The whole book as one PDF</a> (A4, with contents and page numbers, for print or reading offline).</p>\n` : ""}<h2 id="chapters">The chapters</h2>
<p class="chapter-meta">${chapters.length} chapters · about ${totalRead} min to read ·
  ${formatSeconds(totalRun)} to run them all (measured when this edition was built)</p>
<p class="book-kit">Run any chapter in its page, or all of them in Jupyter on your machine with
  <a href="${site.bookKit}" download>the whole book's starter kit</a> (.zip: unzip, then
  <code>npm install</code> and <code>npm start</code>).</p>
<ol class="chapter-list">
${joinHtml(cards)}
</ol>${referenceList}
<h2 id="teaching">Teaching with the book</h2>
<p>The <a href="instructors.html">instructor's kit</a> lists, for each chapter, what it needs and
  teaches, its run and reading time, and its exercises by difficulty, with a slide deck and an
  exercise sheet without the solutions to hand out.</p>
${licenseAndCitation(site)}
</article>`,
  });
}

/** The index's sections on the licences, the source and how to cite the book. */
function licenseAndCitation({ book, build }: Site): Html {
  const { text, code } = book.license;
  return html`<h2 id="license">License and source</h2>
<p>The text and figures of this book are licensed under
  <a rel="license" href="${text.url}">${text.name}</a> (Creative Commons Attribution 4.0): share and
  adapt them, for any purpose, as long as you credit the book. Its code (the library, the notebooks'
  code cells and the tooling) is under the
  <a href="${book.repository}/blob/${book.branch}/${code.file}">${code.name} License</a>. The
  notebooks, the library and the tests are in the
  <a class="repository" href="${book.repository}">source repository</a>; every chapter links to its
  notebook there.</p>
<h2 id="cite">How to cite</h2>
<p>${book.authors}, <cite>${book.title}: ${book.subtitle}</cite>, edition ${build.version},
  ${book.year}, ${book.repository}. As BibTeX (the repository's <code>CITATION.cff</code> says the
  same, for GitHub's "Cite this repository"):</p>
<pre class="bibtex"><code>${bibtex(book, build.version)}</code></pre>`;
}

/** A page that is not a chapter (the notation page): the chapter layout without number or downloads. */
export function referencePage(site: Site, reference: Reference): string {
  const { book, chapters } = site;
  return bookPage(site, {
    title: `${reference.title} · ${book.title}`,
    description: book.references[reference.name],
    figures: false,
    bodyClass: "chapter-page reference-page",
    current: reference,
    sections: reference.sections,
    source: reference.name,
    main: html`<p class="chapter-meta">Reference · about ${reference.readingMinutes} min to read ·
  <a class="view-source" href="${sourceUrl(book, reference.name)}">view source</a></p>
<article class="chapter">
${raw(reference.html)}
</article>
${prevNext(undefined, chapters[0])}`,
  });
}

const list = (items: string[]) => html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>`;

/** One chapter in the instructor's kit: what it needs, what it teaches, what it takes, its exercises. */
function kitChapter(site: Site, chapter: Chapter): Html {
  const needs = site.book.prerequisites[chapter.name];
  const earlier = needs.chapters.flatMap((name) => site.chapters.filter((c) => c.name === name));
  const chapterLinks = earlier.length
    ? joinHtml(
        earlier.map((c) => html`<a href="${c.page}">${chapterLabel(c)}</a>`),
        ", ",
      )
    : "none: it starts from scratch";
  const rows = chapter.exercises.map(
    (e) =>
      html`      <tr><td>${e.number}</td><td class="difficulty difficulty-${e.difficulty}">${e.difficulty}</td><td>${raw(e.html)}</td></tr>`,
  );
  const id = `kit-${chapter.name}`;
  return html`<section class="kit-chapter" id="${id}">
<h2><a href="${chapter.page}">${chapterLabel(chapter)}</a></h2>
<p class="chapter-meta">about ${chapter.readingMinutes} min to read · runs in
  ${formatSeconds(chapter.runSeconds)} (measured for this edition) · ${chapter.deck.slides} slides,
  about ${presentingMinutes(chapter)} min to present · ${chapter.exercises.length} exercises</p>
<p class="kit-links"><a href="${chapter.deck.page}">Slides</a> ·
  <a href="${chapter.downloads.exercises}" download>Exercise sheet (.ipynb, no solutions)</a> ·
  <a href="${chapter.downloads.clean}" download>Notebook (.ipynb)</a>${
    chapter.downloads.answerKey
      ? html` ·
  <a href="${chapter.downloads.answerKey}" download>Answer key (.ipynb)</a>`
      : ""
  }</p>
<h3 id="${id}-needs">What it needs</h3>
<dl class="prerequisites">
  <dt>Chapters</dt><dd>${chapterLinks}</dd>
  <dt>Maths</dt><dd>${list(needs.maths)}</dd>
  <dt>TypeScript</dt><dd>${list(needs.typescript)}</dd>
</dl>
<h3 id="${id}-goals">Learning goals</h3>
<ul class="goals">
${joinHtml(chapter.goals.map((g) => html`  <li>${raw(g)}</li>`))}
</ul>
<h3 id="${id}-exercises">Exercises</h3>
<table class="exercises">
  <thead><tr><th>#</th><th>difficulty</th><th>exercise</th></tr></thead>
  <tbody>
${joinHtml(rows)}
  </tbody>
</table>
</section>`;
}

/** A heading of the kit's own, for its contents and the page's "On this page" list. */
function kitSection(id: string, level: number, title: string): Section {
  return { id, level, title, html: html`${title}`.value, text: [], code: [], terms: [] };
}

const minutes = (n: number) => (n >= 90 ? `${Math.floor(n / 60)} h ${n % 60} min` : `${n} min`);

/** A chapter's sections as a short list: "Setup – 4. XOR: …" or the sections' titles. */
function sectionRange(sections: Section[]): Html {
  if (!sections.length) return html`the exercises, and what is left of the week's reading`;
  const first = raw(sections[0].html);
  if (sections.length === 1) return html`${first}`;
  return html`${first} … ${raw(sections[sections.length - 1].html)} (${sections.length} sections)`;
}

/** The 12-week course and the 3-day workshop, from this edition's reading and presenting times. */
function schedules(site: Site): Html {
  const { chapters } = site;
  // Twelve weeks, or a week a chapter for a longer book.
  const courseWeeks = Math.max(12, chapters.length);
  const workshop = workshopSchedule(chapters, 3);
  const weeks = courseSchedule(chapters, courseWeeks).map((w) => {
    const label = w.parts > 1 ? html` (${w.part} of ${w.parts})` : "";
    const last = w.part === w.parts;
    const deck =
      w.parts > 1
        ? html`<a href="${w.chapter.deck.page}">its slides</a> for these sections`
        : html`<a href="${w.chapter.deck.page}">${w.chapter.deck.slides} slides</a>, ~${presentingMinutes(w.chapter)} min`;
    return html`    <tr><td>${w.week}</td><td><a href="${w.chapter.page}">${chapterLabel(w.chapter)}</a>${label}</td><td>${w.parts === 1 ? html`all ${w.sections.length} sections` : sectionRange(w.sections)}</td><td>${deck}</td><td>${last ? html`<a href="${w.chapter.downloads.exercises}" download>exercise sheet</a> (${w.chapter.exercises.length})` : "reading"}</td></tr>`;
  });
  const days = workshop.map((day, i) => {
    const presenting = day.reduce((sum, c) => sum + presentingMinutes(c), 0);
    const reading = day.reduce((sum, c) => sum + c.readingMinutes, 0);
    const items = day.map(
      (c) =>
        html`<a href="${c.deck.page}">${chapterLabel(c)}</a> (${c.deck.slides} slides, ~${presentingMinutes(c)} min)`,
    );
    return html`    <tr><td>Day ${i + 1}</td><td>${joinHtml(items, "<br>")}</td><td>~${minutes(presenting)}</td><td>${reading} min</td></tr>`;
  });
  const load = chapters.map((c) => `${c.number}: ${chapterLoad(c)} min`).join(", ");
  return html`<h2 id="schedule">Suggested schedules</h2>
<p>Both schedules are worked out by the build from this edition's chapters: a chapter's weight is
  its reading time (its words at 200 a minute) plus its deck's presenting time, estimated at
  ${MINUTES_PER_SLIDE} minutes a slide (${load}). Adjust to your pace: they are a starting point,
  not a measurement of a class.</p>
<h3 id="schedule-course">A ${courseWeeks}-week course</h3>
<p>One chapter a week at least; the weeks left go to the heaviest chapters, split at their sections.
  Each week: the lecture (the deck), the reading, and the notebook run in the lab; the exercise sheet
  is the homework of a chapter's last week.</p>
<div class="kit-table"><table class="schedule">
  <thead><tr><th>week</th><th>chapter</th><th>sections</th><th>lecture</th><th>homework</th></tr></thead>
  <tbody>
${joinHtml(weeks)}
  </tbody>
</table></div>
<h3 id="schedule-workshop">A ${workshop.length}-day workshop</h3>
<p>The chapters in order, cut into the ${workshop.length} most even days. Each day alternates presenting a deck
  with running its notebook; the reading time is what a participant needs to go through the
  chapter's text on their own.</p>
<div class="kit-table"><table class="schedule">
  <thead><tr><th>day</th><th>chapters and decks</th><th>presenting</th><th>reading</th></tr></thead>
  <tbody>
${joinHtml(days)}
  </tbody>
</table></div>`;
}

/** Each deck's slides and presenting time (an estimate), the kit's table. */
function presentingTimes(site: Site): Html {
  const rows = site.chapters.map(
    (c) =>
      html`    <tr><td><a href="${c.deck.page}">${chapterLabel(c)}</a></td><td class="number">${c.deck.slides}</td><td class="number">~${presentingMinutes(c)} min</td></tr>`,
  );
  const total = site.chapters.reduce((sum, c) => sum + presentingMinutes(c), 0);
  return html`<h2 id="presenting">Presenting times</h2>
<p>Estimated at ${MINUTES_PER_SLIDE} minutes a slide (figures and live code take longer, title
  slides less): ${minutes(total)} for all the decks.</p>
<div class="kit-table"><table class="presenting">
  <thead><tr><th>deck</th><th>slides</th><th>presenting</th></tr></thead>
  <tbody>
${joinHtml(rows)}
  </tbody>
</table></div>`;
}

/**
 * The instructor's kit (instructors.html): its contents, how to use it, suggested schedules, the
 * decks' presenting times, then per chapter its prerequisites (book.json), learning goals (the
 * chapter's own list), run time (this build's), reading time, exercises by difficulty, and links
 * to its deck, exercise sheet and answer key.
 */
export function instructorsPage(site: Site): string {
  const { book, chapters, references } = site;
  const notation = references.find((r) => r.name === "00-notation");
  const totalRun = chapters.reduce((sum, c) => sum + c.runSeconds, 0);
  const notationItem = notation
    ? html`<li><strong>Notation.</strong> The <a href="${notation.page}">notation page</a> maps every symbol of the book to Nielsen's and d2l's.</li>`
    : "";
  const sections = [
    kitSection("kit-using", 2, "Using the kit"),
    kitSection("schedule", 2, "Suggested schedules"),
    kitSection("schedule-course", 3, `A ${Math.max(12, chapters.length)}-week course`),
    kitSection("schedule-workshop", 3, `A ${Math.min(3, chapters.length)}-day workshop`),
    kitSection("presenting", 2, "Presenting times"),
    ...chapters.map((c) => kitSection(`kit-${c.name}`, 2, `${c.number} · ${c.title}`)),
  ];
  const contents = html`<nav class="kit-contents" aria-label="Contents of the kit">
<h2 id="kit-contents">Contents</h2>
<ol>
${joinHtml(
  sections
    .filter((s) => s.level === 2 && !s.id.startsWith("kit-0"))
    .map((s) => html`  <li><a href="#${s.id}">${s.title}</a></li>`),
)}
  <li>The chapters: <ol class="kit-contents-chapters">
${joinHtml(chapters.map((c) => html`    <li><a href="#kit-${c.name}">${chapterLabel(c)}</a></li>`))}
  </ol></li>
</ol>
</nav>`;
  const sheets = site.solutions
    ? html`<li><strong>Exercise sheets and answer keys.</strong> Each chapter's notebook without the
    worked solutions, with an empty answer cell after each exercise, to hand out as homework; the
    answer key holds the worked solutions alone. A course that grades the exercises can build a
    site without any solution: <code>npm run book -- --no-solutions</code> (the answer keys then go
    to a folder beside the site, not into it).</li>`
    : html`<li><strong>Exercise sheets.</strong> Each chapter's notebook with an empty answer cell
    after each exercise, to hand out as homework. This edition was built without the worked
    solutions (<code>--no-solutions</code>): the answer keys are not part of the site.</li>`;
  return bookPage(site, {
    title: `Instructor's kit · ${book.title}`,
    description: `Teaching ${book.title}: prerequisites, goals, times, schedules, slides and exercise sheets.`,
    figures: false,
    bodyClass: "chapter-page instructors-page",
    current: "instructors",
    sections,
    main: html`<article class="chapter instructors">
<h1 id="instructors">Instructor's kit</h1>
<p>Everything here is built from the same notebooks as the book, so it cannot drift from it: the
  learning goals are each chapter's own list, the run times were measured when this edition was built
  (${formatSeconds(totalRun)} for all ${chapters.length} chapters), and the slides and exercise sheets
  are made from the notebooks themselves.</p>
${contents}
<h2 id="kit-using">Using the kit</h2>
<ul>
  <li><strong>Slides.</strong> One deck per chapter, with its interactive figures. Keys: arrows or
    space to advance, <kbd>S</kbd> the speaker view with the notes and a timer, <kbd>O</kbd> the
    overview of all slides, <kbd>F</kbd> full screen. To print a deck or save it as PDF, open it with
    <code>?print-pdf</code> after <code>.html</code> and print it from the browser (one page per
    slide).</li>
  <li><strong>Live demo.</strong> Chapter 7 trains for about three minutes. For a lecture, start
    Jupyter with <code>GTD_LIVE_DEMO=1 npm start</code> (or set <code>LIVE_DEMO</code> to
    <code>true</code> in its first code cell): its training runs take 3, 1 and 3 epochs instead of 30,
    5 and 12, and each says what the full run reaches.</li>
  ${sheets}
  <li><strong>Difficulty.</strong> <em>easy</em> applies the chapter directly, <em>medium</em>
    changes an experiment or needs a short derivation, <em>hard</em> needs a proof or a derivation
    by hand.</li>
  <li><strong>Print.</strong> A chapter prints with its figures fitted to the page${
    site.solutions ? " and its worked solutions open (on paper they cannot be clicked open)" : ""
  }${site.pdf ? html`; the <a href="${site.pdf}">whole book as one PDF</a> has a contents with page numbers` : ""}.</li>
  ${notationItem}
</ul>
${schedules(site)}
${presentingTimes(site)}
${joinHtml(chapters.map((c) => kitChapter(site, c)))}
</article>`,
  });
}
