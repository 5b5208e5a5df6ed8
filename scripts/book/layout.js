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
<script src="assets/theme.js"></script>
${figures ? '<script src="assets/plotly.min.js" defer></script>\n' : ""}\
<script src="assets/minisearch.min.js" defer></script>
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
  </ul>
  <p class="hint">The notebooks need the project's library and kernel: see the README of the
  source repository. A notebook with outputs shows its figures once trusted
  (File ▸ Trust Notebook).</p>`
    : "";
  return `<nav class="sidebar" id="sidebar" aria-label="Chapters">
  <h2><a href="index.html"${current ? "" : ' aria-current="page"'}>Contents</a></h2>
  <ol class="chapters">
${items}
  </ol>${referenceList}${downloads}
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
  about ${chapter.readingMinutes} min to read · runs in ${formatSeconds(chapter.runSeconds)}</p>
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
      runs in ${formatSeconds(c.runSeconds)} · ${c.figures} interactive figure${c.figures === 1 ? "" : "s"}</p>
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

module.exports = { chapterPage, indexPage, referencePage, formatSeconds, CONTENT_SECURITY_POLICY };
