// The book's pages as HTML: the index and the chapter pages around the rendered chapters. Every URL
// in them is relative (pages sit at the site's root, shared files in assets/), so the site works
// from any folder or static host; the Content-Security-Policy lets only the site's own files load.
"use strict";
const { escapeHtml } = require("./render");

/**
 * Scripts and styles only from the site itself, no inline script (figure specs travel as JSON
 * data), no request anywhere else. Inline style attributes stay allowed: KaTeX positions its glyphs
 * with them, plotly styles its SVG with them, and the library's tables align their numbers with
 * them.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

function head({ title, description, figures }) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="color-scheme" content="light dark">
<meta name="description" content="${escapeHtml(description)}">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="assets/katex/katex.min.css">
<link rel="stylesheet" href="assets/book.css">
<link rel="stylesheet" href="assets/highlight.css">
<script src="assets/theme.js"></script>
${figures ? '<script src="assets/plotly.min.js" defer></script>\n' : ""}\
<script src="assets/minisearch.min.js" defer></script>
<script src="assets/figure-spec.js" defer></script>
<script src="assets/book.js" defer></script>
</head>`;
}

function topbar(book) {
  return `<header class="topbar">
  <button type="button" class="menu-toggle" aria-controls="sidebar" aria-expanded="false"
    aria-label="Chapters">☰</button>
  <a class="brand" href="index.html">${escapeHtml(book.title)}</a>
  <div class="search" role="search">
    <input type="search" id="search" placeholder="Search the book  ( / )" autocomplete="off"
      aria-label="Search the book" aria-controls="search-results">
    <ol id="search-results" class="search-results" hidden></ol>
  </div>
  <button type="button" id="theme-toggle" class="theme-toggle" aria-label="Dark theme"
    title="Switch between light and dark">◐</button>
</header>`;
}

function chapterLabel(chapter) {
  return `${chapter.number} · ${escapeHtml(chapter.title)}`;
}

function sidebar(book, chapters, current, references = []) {
  const link = (c, label) => {
    const mark = c === current ? ' aria-current="page"' : "";
    return `    <li><a href="${c.page}"${mark}>${label}</a></li>`;
  };
  const items = chapters.map((c) => link(c, chapterLabel(c))).join("\n");
  const referenceList = references.length
    ? `
  <h2>Reference</h2>
  <ul class="chapters references">
${references.map((r) => link(r, escapeHtml(r.title))).join("\n")}
  </ul>`
    : "";
  const downloads = current?.downloads
    ? `
  <h2>Run it yourself</h2>
  <ul class="downloads">
    <li><a href="${current.downloads.clean}" download>Notebook (.ipynb)</a></li>
    <li><a href="${current.downloads.withOutputs}" download>With outputs (.zip)</a></li>
    <li><a href="${current.downloads.exercises}" download>Exercise sheet (.ipynb)</a></li>
    <li><a href="${current.deck.page}">Slides</a></li>
  </ul>
  <p class="hint">The notebooks need the project's library and kernel: see the README of the
  source repository. A notebook with outputs shows its figures once trusted
  (File ▸ Trust Notebook).</p>`
    : "";
  return `<nav class="sidebar" id="sidebar" aria-label="Chapters">
  <h2><a href="index.html"${current ? "" : ' aria-current="page"'}>Contents</a></h2>
  <ol class="chapters">
${items}
  </ol>${referenceList}
  <h2>Teaching</h2>
  <ul class="chapters references">
    <li><a href="instructors.html"${current?.instructors ? ' aria-current="page"' : ""}>Instructor's kit</a></li>
  </ul>${downloads}
</nav>`;
}

function footer(build) {
  return `<footer class="footer">
  <p>Built ${escapeHtml(build.date)} from commit <code>${escapeHtml(build.commit)}</code>
  with library ${escapeHtml(build.library)}.</p>
</footer>`;
}

function toc(sections) {
  const items = sections
    .map((s) => `    <li class="toc-${s.level}"><a href="#${escapeHtml(s.id)}">${s.html}</a></li>`)
    .join("\n");
  return `<aside class="toc" aria-label="On this page">
  <h2>On this page</h2>
  <ol>
${items}
  </ol>
</aside>`;
}

function formatSeconds(seconds) {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - 60 * minutes);
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

function chapterPage({ book, chapters, references = [], chapter, build }) {
  const index = chapters.indexOf(chapter);
  const prev = chapters[index - 1];
  const next = chapters[index + 1];
  const prevLink = prev
    ? `<a rel="prev" href="${prev.page}"><span>Previous</span>${chapterLabel(prev)}</a>`
    : `<a rel="prev" href="index.html"><span>Previous</span>Contents</a>`;
  const nextLink = next
    ? `<a rel="next" href="${next.page}"><span>Next</span>${chapterLabel(next)}</a>`
    : `<a rel="next" href="index.html"><span>Next</span>Contents</a>`;
  return `${head({
    title: `${chapter.number} · ${chapter.title} · ${book.title}`,
    description: book.summaries[chapter.name],
    figures: chapter.figures > 0,
  })}
<body class="chapter-page">
<a class="skip-link" href="#content">Skip to the text</a>
${topbar(book)}
<div class="layout">
${sidebar(book, chapters, chapter, references)}
<main id="content">
<p class="chapter-meta">Chapter ${chapter.number} of ${chapters.length} ·
  about ${chapter.readingMinutes} min to read · runs in ${formatSeconds(chapter.runSeconds)} ·
  <a href="${chapter.deck.page}">slides</a></p>
<article class="chapter">
${chapter.html}
</article>
<nav class="prev-next" aria-label="Chapters">
  ${prevLink}
  ${nextLink}
</nav>
${footer(build)}
</main>
${toc(chapter.sections)}
</div>
</body>
</html>
`;
}

function indexPage({ book, chapters, references = [], build }) {
  const cards = chapters
    .map((c) => {
      const goals = c.goals.map((g) => `      <li>${g}</li>`).join("\n");
      return `  <li class="chapter-card">
    <h3><a href="${c.page}">${chapterLabel(c)}</a></h3>
    <p class="summary">${escapeHtml(book.summaries[c.name])}</p>
    <p class="chapter-meta">about ${c.readingMinutes} min to read ·
      runs in ${formatSeconds(c.runSeconds)} · ${c.figures} interactive figure${c.figures === 1 ? "" : "s"} ·
      <a href="${c.deck.page}">${c.deck.slides} slides</a></p>
    <p class="goals-lead">By the end of it you will be able to</p>
    <ul class="goals">
${goals}
    </ul>
  </li>`;
    })
    .join("\n");
  const totalRun = chapters.reduce((sum, c) => sum + c.runSeconds, 0);
  const totalRead = chapters.reduce((sum, c) => sum + c.readingMinutes, 0);
  return `${head({ title: book.title, description: book.intro, figures: false })}
<body class="index-page">
<a class="skip-link" href="#content">Skip to the text</a>
${topbar(book)}
<div class="layout">
${sidebar(book, chapters, null, references)}
<main id="content">
<article class="index">
<h1 id="top">${escapeHtml(book.title)}</h1>
<p class="subtitle">${escapeHtml(book.subtitle)}</p>
<p class="intro">${escapeHtml(book.intro)}</p>
<h2 id="chapters">The chapters</h2>
<p class="chapter-meta">${chapters.length} chapters · about ${totalRead} min to read ·
  ${formatSeconds(totalRun)} to run them all (measured when this edition was built)</p>
<ol class="chapter-list">
${cards}
</ol>${referenceCards(book, references)}
<h2 id="teaching">Teaching with the book</h2>
<p>The <a href="instructors.html">instructor's kit</a> lists, for each chapter, what it needs and
  teaches, its run and reading time, and its exercises by difficulty, with a slide deck and an
  exercise sheet without the solutions to hand out.</p>
</article>
${footer(build)}
</main>
</div>
</body>
</html>
`;
}

/** The index's list of reference pages (the notation page), after the chapters. */
function referenceCards(book, references) {
  if (!references.length) return "";
  const items = references
    .map(
      (r) => `  <li class="reference-card">
    <h3><a href="${r.page}">${escapeHtml(r.title)}</a></h3>
    <p class="summary">${escapeHtml(book.references[r.name])}</p>
  </li>`,
    )
    .join("\n");
  return `
<h2 id="reference">Reference</h2>
<ul class="chapter-list references">
${items}
</ul>`;
}

/** A page that is not a chapter (the notation page): the chapter layout without number or downloads. */
function referencePage({ book, chapters, references, reference, build }) {
  return `${head({
    title: `${reference.title} · ${book.title}`,
    description: book.references[reference.name],
    figures: false,
  })}
<body class="chapter-page reference-page">
<a class="skip-link" href="#content">Skip to the text</a>
${topbar(book)}
<div class="layout">
${sidebar(book, chapters, reference, references)}
<main id="content">
<p class="chapter-meta">Reference · about ${reference.readingMinutes} min to read</p>
<article class="chapter">
${reference.html}
</article>
<nav class="prev-next" aria-label="Chapters">
  <a rel="prev" href="index.html"><span>Previous</span>Contents</a>
  <a rel="next" href="${chapters[0]?.page ?? "index.html"}"><span>Next</span>${chapters[0] ? chapterLabel(chapters[0]) : "Contents"}</a>
</nav>
${footer(build)}
</main>
${toc(reference.sections)}
</div>
</body>
</html>
`;
}

function list(items) {
  return `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>`;
}

/** One chapter in the instructor's kit: what it needs, what it teaches, what it takes, its exercises. */
function kitChapter(book, chapters, chapter) {
  const needs = book.prerequisites[chapter.name];
  const earlier = needs.chapters.map((name) => chapters.find((c) => c.name === name));
  const chapterLinks = earlier.length
    ? earlier.map((c) => `<a href="${c.page}">${chapterLabel(c)}</a>`).join(", ")
    : "none: it starts from scratch";
  const rows = chapter.exercises
    .map(
      (e) =>
        `      <tr><td>${e.number}</td><td class="difficulty difficulty-${e.difficulty}">` +
        `${e.difficulty}</td><td>${e.html}</td></tr>`,
    )
    .join("\n");
  return `<section class="kit-chapter" id="kit-${chapter.name}">
<h2><a href="${chapter.page}">${chapterLabel(chapter)}</a></h2>
<p class="chapter-meta">about ${chapter.readingMinutes} min to read · runs in
  ${formatSeconds(chapter.runSeconds)} (measured for this edition) · ${chapter.deck.slides} slides ·
  ${chapter.exercises.length} exercises</p>
<p class="kit-links"><a href="${chapter.deck.page}">Slides</a> ·
  <a href="${chapter.downloads.exercises}" download>Exercise sheet (.ipynb, no solutions)</a> ·
  <a href="${chapter.downloads.clean}" download>Notebook (.ipynb)</a></p>
<h3 id="kit-${chapter.name}-needs">What it needs</h3>
<dl class="prerequisites">
  <dt>Chapters</dt><dd>${chapterLinks}</dd>
  <dt>Maths</dt><dd>${list(needs.maths)}</dd>
  <dt>TypeScript</dt><dd>${list(needs.typescript)}</dd>
</dl>
<h3 id="kit-${chapter.name}-goals">Learning goals</h3>
<ul class="goals">
${chapter.goals.map((g) => `  <li>${g}</li>`).join("\n")}
</ul>
<h3 id="kit-${chapter.name}-exercises">Exercises</h3>
<table class="exercises">
  <thead><tr><th>#</th><th>difficulty</th><th>exercise</th></tr></thead>
  <tbody>
${rows}
  </tbody>
</table>
</section>`;
}

/**
 * The instructor's kit (instructors.html): per chapter its prerequisites (book.json), learning goals
 * (the chapter's own list), run time (this build's), reading time, exercises by difficulty, and links
 * to its deck and exercise sheet.
 */
function instructorsPage({ book, chapters, references = [], build }) {
  const notation = references.find((r) => r.name === "00-notation");
  const totalRun = chapters.reduce((sum, c) => sum + c.runSeconds, 0);
  return `${head({
    title: `Instructor's kit · ${book.title}`,
    description: `Teaching ${book.title}: prerequisites, goals, times, slides and exercise sheets.`,
    figures: false,
  })}
<body class="chapter-page instructors-page">
<a class="skip-link" href="#content">Skip to the text</a>
${topbar(book)}
<div class="layout">
${sidebar(book, chapters, { instructors: true }, references)}
<main id="content">
<article class="chapter instructors">
<h1 id="instructors">Instructor's kit</h1>
<p>Everything here is built from the same notebooks as the book, so it cannot drift from it: the
  learning goals are each chapter's own list, the run times were measured when this edition was built
  (${formatSeconds(totalRun)} for all ${chapters.length} chapters), and the slides and exercise sheets
  are made from the notebooks themselves.</p>
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
  <li><strong>Exercise sheets.</strong> Each chapter's notebook without the worked solutions, to hand
    out as homework; the solutions stay in the book. Difficulty: <em>easy</em> applies the chapter
    directly, <em>medium</em> changes an experiment or needs a short derivation, <em>hard</em> needs a
    proof or a derivation by hand.</li>
  ${notation ? `<li><strong>Notation.</strong> The <a href="${notation.page}">notation page</a> maps every symbol of the book to Nielsen's and d2l's.</li>` : ""}
</ul>
${chapters.map((c) => kitChapter(book, chapters, c)).join("\n")}
</article>
${footer(build)}
</main>
</div>
</body>
</html>
`;
}

module.exports = {
  chapterPage,
  indexPage,
  referencePage,
  instructorsPage,
  formatSeconds,
  CONTENT_SECURITY_POLICY,
};
