// The decks' and the instructor's kit's building blocks on small inputs: how slide metadata lays out a
// deck, the tagging rules, the speaker view's CSP hash, exercises and their removal from the sheets.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { figureHtml, linePlot, plotlyScriptTag } from "../../lib/src";
import * as exercises from "../../scripts/book/exercises";
import * as slides from "../../scripts/book/slides";
import { proposedSlide } from "../../scripts/book/tag-slides";
import { cellText, type Cell, type Notebook, type Output } from "../../scripts/notebook-format";
import * as notebooks from "../../scripts/notebooks";

const bundleTag = plotlyScriptTag();
const slideshow = (type: string | null, tags: string[] = []) => ({
  ...(type === null ? {} : { slideshow: { slide_type: type } }),
  ...(tags.length ? { tags } : {}),
});
const notebookOf = (cells: Cell[]): Notebook => ({
  cells,
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5,
});
const markdown = (source: string, type: string | null, tags: string[] = []): Cell => ({
  cell_type: "markdown",
  metadata: slideshow(type, tags),
  source,
});
const code = (
  source: string,
  type: string | null,
  tags: string[] = [],
  outputs: Output[] = [],
): Cell & { cell_type: "code" } => ({
  cell_type: "code",
  metadata: slideshow(type, tags),
  source,
  outputs,
  execution_count: null,
});
const printed = (text: string): Output => ({ output_type: "stream", name: "stdout", text });
const html = (text: string): Output => ({
  output_type: "display_data",
  data: { "text/html": text },
  metadata: {},
});
const figure = () =>
  html(
    figureHtml(
      linePlot({
        title: "A line",
        series: [{ name: "s", x: [0, 1, 2], y: [1, 0, 1] }],
        xTitle: "x",
        yTitle: "y",
      }),
    ),
  );

function deckOf(cells: Cell[]) {
  const notebook = notebookOf(cells);
  // The executed copy has the same cells; its metadata does not matter, the committed one's does.
  const executed = notebookOf(cells.map((c) => ({ ...c, metadata: {} })));
  return slides.deckSlides(executed, notebook, {
    plotlyBundleTag: bundleTag,
    heading: "Chapter 9 · Testing",
    goals: ["check things"],
  });
}

describe("a deck, laid out by its cells' slide metadata", () => {
  const deck = deckOf([
    markdown("# Chapter 9 · Testing\n\nThe introduction.", "notes"),
    markdown("## Setup", "skip"),
    code('import { x } from "gates-to-digits";', "skip", [], [printed("set up")]),
    markdown("## 1. First idea\n\nIn short.", "slide"),
    code("console.log(1)", "-", [], [printed("one")]),
    markdown("Appears later.", "fragment"),
    markdown("What to say about it.", "notes"),
    markdown("### A step inside", "subslide"),
    code("const long = 1;\nshow(figure);", "slide", ["remove-input"], [figure()]),
    markdown(
      `## 2. Many words\n\nThe lead.\n\n$$a = b$$\n\nMore text.\n\n### 2.1 More\n\n${"long ".repeat(150)}`,
      "slide",
      ["slide-outline"],
    ),
  ]);

  it("has a title slide, then one per slide and subslide and per heading, skipped cells left out", () => {
    expect(deck.stacks.map((stack) => stack.length)).toEqual([1, 2, 1, 2]);
    expect(deck.slides).toBe(6);
    const [title] = deck.stacks[0];
    expect(title.parts.join("")).toContain("<h1>Chapter 9 · Testing</h1>");
    expect(title.parts.join("")).toContain("<li>check things</li>");
    expect(title.notes.join("")).toContain("The introduction.");
    expect(JSON.stringify(deck.stacks)).not.toContain("set up");
    expect(deck.untagged).toEqual([]);
  });

  it("adds '-' cells to the slide, fragments as fragments, notes to the speaker notes", () => {
    const first = deck.stacks[1][0];
    expect(first.parts).toHaveLength(3);
    expect(first.parts[1]).toContain('<pre class="output stream">one');
    expect(first.parts[2]).toMatch(/^<div class="fragment"><p>Appears later.<\/p>/);
    expect(first.notes.join("")).toContain("What to say about it.");
  });

  it("shows a remove-input cell's outputs only, and counts its figure", () => {
    const step = deck.stacks[1][1];
    expect(step.parts.join("")).toContain("A step inside");
    const shown = deck.stacks[2][0].parts.join("");
    expect(shown).toContain('class="gtd-figure"');
    expect(shown).not.toContain("const long");
    expect(deck.figures).toBe(1);
  });

  it("gives a slide without a heading of its own the title of its section", () => {
    const [running, figure] = deck.stacks[2][0].parts;
    expect(running).toBe('<h2 class="running-title">A step inside</h2>');
    expect(figure).toContain("gtd-figure");
    for (const slide of deck.stacks.flat())
      expect(slide.parts[0], slide.parts.join("")).toMatch(/^<h[1-3][\s>]/);
  });

  it("shows an outline cell's sections each on a slide: heading, lead, formulas; its text in the notes", () => {
    const [outline, more] = deck.stacks[3];
    const shown = outline.parts.join("");
    expect(shown).toContain("Many words");
    expect(shown).toContain("<p>The lead.</p>");
    expect(shown).toContain("katex-display");
    expect(shown).not.toContain("More text");
    expect(shown).not.toContain("2.1 More");
    expect(outline.notes.join("")).toContain("More text");
    // The next section's slide: its heading and the start of its one long sentence, cut with "…".
    const next = more.parts.join("");
    expect(next).toContain("2.1 More");
    expect(next).toMatch(/(long ){20,}…/);
    expect(next.length).toBeLessThan(900);
    expect(more.notes.join("")).toContain("long ".repeat(150).trim());
  });

  it("names the cells without slide metadata, and refuses a slide type Jupyter does not have", () => {
    const untagged = notebookOf([markdown("# T", "notes"), markdown("## A", null)]);
    expect(slides.untaggedCells(untagged)).toEqual([2]);
    expect(deckOf(untagged.cells).untagged).toEqual([2]);
    expect(() => deckOf([markdown("## A", "side")])).toThrow(/slide_type "side"/);
  });

  it("refuses an executed notebook that is not a run of the committed one", () => {
    const committed = notebookOf([markdown("# T", "notes"), code("1", "slide")]);
    const executed = notebookOf([markdown("# T", null), code("2", null)]);
    expect(() =>
      slides.deckSlides(executed, committed, {
        plotlyBundleTag: bundleTag,
        heading: "T",
        goals: [],
      }),
    ).toThrow(/cell 2 of the notebook differs from its run/);
  });

  it("a slide-only change (slide type, remove-input, slide-outline) keeps a chapter's run fresh", () => {
    const dir = mkdtempSync(join(tmpdir(), "gtd-slide-hash-"));
    try {
      const file = join(dir, "97-test.ipynb");
      const write = (cell: Cell) => writeFileSync(file, JSON.stringify(notebookOf([cell])));
      write(code("1 + 1", null, ["check-sum"]));
      const first = notebooks.executionInputsHash(file);
      write(code("1 + 1", "slide", ["check-sum", "remove-input", "slide-outline"]));
      expect(notebooks.executionInputsHash(file)).toBe(first);
      write(code("1 + 1", "slide", ["check-other"]));
      expect(notebooks.executionInputsHash(file)).not.toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("outline slides: what a slide shows of a long text", () => {
  const outlineDeck = (source: string, type = "slide") =>
    deckOf([markdown("# T", "notes"), markdown(source, type, ["slide-outline"])]);
  const shownOf = (slide: slides.Slide) => slide.parts.join("");

  it("splits sentences after a full stop and a capital, never inside code or maths", () => {
    expect(slides.sentences("One $a. B$ two. Three `x. Y` four! **Five.** six. Seven")).toEqual([
      "One $a. B$ two.",
      "Three `x. Y` four!",
      "**Five.** six.",
      "Seven",
    ]);
    expect(slides.sentences("**Equation 1: the error.** The output")).toEqual([
      "**Equation 1: the error.**",
      "The output",
    ]);
  });

  it("a cell that goes on into the next section: its end on the current slide, each heading a slide of its own", () => {
    const built = deckOf([
      markdown("# T", "notes"),
      markdown("## 1. First\n\nShort.", "slide"),
      markdown(
        [
          "The result: it works, as the table above shows for every one of the nine parameters of the small network. More words that only the notes carry, " +
            "and more ".repeat(30),
          "",
          "## 2. Second",
          "",
          "The second lead.",
          "",
          "### 2.1 Inside",
          "",
          "The third lead.",
        ].join("\n"),
        "slide",
        ["slide-outline"],
      ),
    ]);
    expect(built.stacks.map((stack) => stack.length)).toEqual([1, 1, 2]);
    const first = built.stacks[1][0];
    expect(first.parts[1]).toMatch(/^<div class="fragment"><p>The result: it works, as/);
    expect(first.parts[1]).not.toContain("only the notes");
    expect(first.notes.join("")).toContain("only the notes");
    const [second, inside] = built.stacks[2];
    expect(shownOf(second)).toContain("2. Second");
    expect(shownOf(second)).toContain("The second lead.");
    expect(shownOf(second)).not.toContain("Inside");
    expect(shownOf(inside)).toMatch(/^<h3[^>]*>2.1 Inside<\/h3>/);
    expect(shownOf(inside)).toContain("The third lead.");
  });

  it("keeps each formula with the label that names it, and a label's first sentence when no formula follows", () => {
    const built = outlineDeck(
      [
        "## 2. Equations",
        "",
        "The lead, naming the error,",
        "",
        "$$e = 1,$$",
        "",
        "a paragraph between that the slide leaves out.",
        "",
        "**Equation 1: the output.** Its derivation, which the slide leaves out.",
        "",
        "$$a = b.$$",
        "",
        "From there it is one step:",
        "",
        "$$c = d.$$",
        "",
        "**The algorithm.** Run it forwards. Then backwards, which the slide leaves out.",
      ].join("\n"),
    );
    const shown = shownOf(built.stacks[1][0]);
    const order = [
      "The lead, naming the error,",
      "katex-display",
      "<strong>Equation 1: the output.</strong>",
      "katex-display",
      "From there it is one step:",
      "katex-display",
      "<strong>The algorithm.</strong> Run it forwards.",
    ].map((text, i, all) => shown.indexOf(text, i && shown.indexOf(all[i - 1]) + 1));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect((shown.match(/katex-display/g) ?? []).length).toBe(3);
    for (const left of ["between", "derivation", "backwards"]) expect(shown).not.toContain(left);
  });

  it("an exercises section shows each exercise's first sentence", () => {
    const built = outlineDeck(
      [
        "## Exercises",
        "",
        "**1.** *(easy)* Add two numbers. Then explain why it works.",
        "",
        "<details><summary>Solution</summary>",
        "",
        "The secret answer.",
        "</details>",
        "",
        "**2.** *(hard)* Prove it. With care.",
      ].join("\n"),
    );
    const shown = shownOf(built.stacks[1][0]);
    expect(shown).toContain("Add two numbers.");
    expect(shown).toContain("Prove it.");
    for (const left of ["explain why", "secret answer", "With care"])
      expect(shown).not.toContain(left);
  });

  it("an outline too long for one slide goes on on the next, under the same title", () => {
    const equations = Array.from(
      { length: 8 },
      (_, i) =>
        `**Equation ${i + 1}: part ${i + 1}.** Words.\n\n$$\\frac{a_${i}}{b} = \\sum_i c_i.$$`,
    );
    const built = outlineDeck(
      ["## 3. Many formulas", "", "The lead.", "", ...equations].join("\n\n"),
    );
    const stack = built.stacks[1];
    expect(stack.length).toBeGreaterThan(1);
    expect(stack[1].parts[0]).toBe('<h2 class="running-title">3. Many formulas</h2>');
    const all = stack.map(shownOf).join("");
    for (let i = 1; i <= 8; i++) expect(all).toContain(`Equation ${i}: part ${i}.`);
    // Each slide's notes are the text its outline comes from: the notes together hold all of it.
    const notes = stack.map((slide) => slide.notes.join("")).join("");
    for (let i = 1; i <= 8; i++) expect(notes.split(`Equation ${i}: part`).length).toBe(2);
  });
});

describe("code cells on slides", () => {
  const context = () => ({ plotlyBundleTag: bundleTag, figures: 0 });

  it("a cell whose code and outputs are too long for one slide goes on on the next", () => {
    const cell = code("const a = 1;\n".repeat(15), "slide", [], [printed("x\n".repeat(15))]);
    const shown = slides.codeSlides(cell, [], context());
    expect(shown).toHaveLength(2);
    expect(shown[0]).toContain(`<pre class="input">`);
    expect(shown[1]).toContain('<pre class="output stream">x');
    expect(slides.codeSlides(code("1", "slide", [], [printed("1")]), [], context())).toHaveLength(
      1,
    );
  });

  it("a narrow output (an image in characters) keeps what follows it beside it", () => {
    const art = Array.from({ length: 28 }, () => "|" + " ".repeat(28) + "|").join("\n") + "\n";
    const cell = code("show(x)", "slide", ["remove-input"], [printed(art), printed("label 5\n")]);
    expect(slides.codeSlides(cell, ["remove-input"], context())).toHaveLength(1);
  });
});

describe("the tagging rules (npm run slides:tag)", () => {
  const where = { first: false, inSetup: false };
  const propose = (cell: Cell, ran: Cell = cell, at = where) => proposedSlide(cell, ran, at);

  it("the introduction to the notes, the setup skipped, a slide per section", () => {
    expect(propose(markdown("# Chapter 9", null), undefined, { ...where, first: true }).type).toBe(
      "notes",
    );
    expect(propose(markdown("## Setup\n\nImports.", null)).type).toBe("skip");
    expect(
      propose(code("import {} from 'gates-to-digits';", null), undefined, {
        ...where,
        inSetup: true,
      }),
    ).toEqual({ type: "skip", tags: [] });
    expect(propose(markdown("## 2. Idea\n\nShort.", null))).toEqual({ type: "slide", tags: [] });
    expect(propose(markdown("### A step", null)).type).toBe("subslide");
    expect(propose(markdown(`## 3. Long\n\n${"word ".repeat(100)}`, null)).tags).toEqual([
      "slide-outline",
    ]);
    expect(propose(markdown("## Exercises\n\n**1.** *(easy)* Do it.", null)).tags).toEqual([
      "slide-outline",
    ]);
  });

  it("short prose as a fragment, long prose to the notes", () => {
    expect(propose(markdown("It learned **AND** in 11 epochs.", null)).type).toBe("fragment");
    expect(propose(markdown("word ".repeat(100), null)).type).toBe("notes");
  });

  it("code by what it shows: skipped without output, its output only when long", () => {
    const short = code("console.log(1)", null);
    expect(propose(short, { ...short, outputs: [] }).type).toBe("skip");
    expect(propose(short, { ...short, outputs: [printed("1")] })).toEqual({
      type: "slide",
      tags: [],
    });
    const long = code("const a = 1;\n".repeat(13), null);
    expect(propose(long, { ...long, outputs: [printed("1")] }).tags).toEqual(["remove-input"]);
    const drawing = code("const a = 1;\n".repeat(7) + "show(f);", null);
    expect(propose(drawing, { ...drawing, outputs: [figure()] }).tags).toEqual(["remove-input"]);
    const listing = code('showSource("network.ts", "Dense");', null);
    expect(propose(listing, { ...listing, outputs: [html("<div>…</div>")] }).type).toBe("skip");
  });
});

describe("the speaker view's Content-Security-Policy hash", () => {
  it("is the SHA-256 of the one inline script the notes plugin writes", () => {
    const script = "\n  (function () { window.x = `a`; })();\n";
    const plugin = `function open() { w.document.write(\`<html><body><div></div><script>${script.replace(/`/g, "\\`")}<\\/script></body></html>\`); }`;
    const expected = createHash("sha256").update(script).digest("base64");
    expect(slides.speakerViewScriptHash(plugin)).toBe(`'sha256-${expected}'`);
  });

  it("of reveal.js 6.0.2's plugin, the hash Chromium asks for", () => {
    const notes = join(
      __dirname,
      "..",
      "..",
      "node_modules",
      "reveal.js",
      "dist",
      "plugin",
      "notes.js",
    );
    const plugin = readFileSync(notes, "utf8");
    expect(slides.speakerViewScriptHash(plugin)).toBe(
      "'sha256-GzCveToXhSIzS3M5eQeRm3McVRB7cYneYKwTkzA3wDk='",
    );
  });
});

describe("exercises and exercise sheets", () => {
  const chapter = notebookOf([
    markdown("# Chapter 9 · Testing", "notes"),
    code("const a = 1;", "slide"),
    markdown(
      [
        "## Exercises",
        "",
        "**1.** *(easy)* Add `a` to itself.",
        "",
        "<details><summary>Solution</summary>",
        "",
        "```ts",
        "console.log(a + a); // the secret answer",
        "```",
        "",
        "It prints 2, which nobody else says.",
        "</details>",
        "",
        "**2.** *(hard)* Prove that `<details>` in code does not count.",
        "",
        "```ts",
        "// <details> inside a code block stays",
        "```",
        "",
        "<details><summary>Solution</summary>",
        "<details><summary>A nested hint</summary>still hidden</details>",
        "Proof by nesting.",
        "</details>",
        "",
        "The end.",
      ].join("\n"),
      "slide",
    ),
  ]);

  it("lists each exercise with its number and difficulty", () => {
    const found = exercises.exercisesOf(chapter);
    expect(found.map((e) => [e.number, e.difficulty])).toEqual([
      [1, "easy"],
      [2, "hard"],
    ]);
    expect(found[0].html).toBe("Add <code>a</code> to itself.");
  });

  it("refuses an exercise without a difficulty label, or with an unknown one", () => {
    for (const label of ["", "*(tricky)* "]) {
      expect(() =>
        exercises.exercisesOf(notebookOf([markdown(`**3.** ${label}Do it.`, "slide")])),
      ).toThrow(/exercise 3 needs a difficulty label/);
    }
  });

  it("the sheet keeps the chapter and the exercises, drops every solution, leaves room to answer", () => {
    const sheet = exercises.exerciseSheet(chapter, {
      chapterLabel: "chapter 9, Testing",
      bookPage: "09-testing.html",
    });
    const text = sheet.cells.map((c) => cellText(c.source));
    expect(text[0]).toContain("Exercise sheet for chapter 9, Testing");
    expect(text[0]).toContain("starter kit");
    expect(text[0]).toContain("solutions are in the book (09-testing.html)");
    expect(text[2]).toBe("const a = 1;");
    // The exercises' cell, cut after each exercise for its answer cells.
    expect(text.slice(3)).toEqual([
      "## Exercises",
      "**1.** *(easy)* Add `a` to itself.",
      "*Your answer:*",
      "",
      "**2.** *(hard)* Prove that `<details>` in code does not count.\n\n" +
        "```ts\n// <details> inside a code block stays\n```\n\nThe end.",
      "*Your answer:*",
      "",
    ]);
    expect(sheet.cells.slice(3).map((c) => c.cell_type)).toEqual([
      "markdown",
      "markdown",
      "markdown",
      "code",
      "markdown",
      "markdown",
      "code",
    ]);
    expect(sheet.cells.filter((c) => c.metadata.tags?.includes("answer"))).toHaveLength(4);
    const ids = sheet.cells.flatMap((c) => (c.id ? [c.id] : []));
    expect(ids.length).toBeGreaterThanOrEqual(7);
    expect(new Set(ids).size).toBe(ids.length);
    const exercisesCell = text.join("\n");
    for (const secret of [
      "secret answer",
      "nobody else",
      "still hidden",
      "Proof by nesting",
      "<summary>",
    ])
      expect(exercisesCell).not.toContain(secret);
    expect(exercisesCell).not.toMatch(/\n\n\n/);
    // The chapter itself is unchanged.
    expect(JSON.stringify(chapter)).toContain("secret answer");
  });

  it("a sheet for a course without published solutions does not point at them", () => {
    const sheet = exercises.exerciseSheet(chapter, { chapterLabel: "chapter 9, Testing" });
    expect(cellText(sheet.cells[0].source)).not.toMatch(/solution/i);
  });

  it("the answer key holds each exercise and its worked solution alone", () => {
    const key = exercises.answerKey(chapter, { chapterLabel: "chapter 9, Testing" });
    const text = key.cells.map((c) => cellText(c.source));
    expect(text[0]).toMatch(/^# Answer key: chapter 9, Testing/);
    expect(text[1]).toBe("**1.** *(easy)* Add `a` to itself.");
    expect(text[2]).toContain("console.log(a + a); // the secret answer");
    expect(text[2]).toContain("It prints 2, which nobody else says.");
    expect(text[3]).toMatch(/^\*\*2\.\*\* \*\(hard\)\*/);
    expect(text[4]).toContain("Proof by nesting.");
    expect(text[4]).toContain("still hidden");
    expect(text.join("\n")).not.toContain("const a = 1;");
    expect(text.join("\n")).not.toMatch(/<summary>Solution/);
    expect(key.cells).toHaveLength(5);
  });

  it("without solutions, the notebook keeps its cells and loses every solution", () => {
    const bare = exercises.withoutSolutions(chapter);
    expect(bare.cells).toHaveLength(chapter.cells.length);
    const text = JSON.stringify(bare);
    expect(text).toContain("**2.** *(hard)*");
    for (const secret of ["secret answer", "still hidden", "Proof by nesting", "<summary>"])
      expect(text).not.toContain(secret);
  });
});
