// The book's renderer on small inputs: math, solutions, figures and the reuse of executed chapters.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { figureHtml, linePlot, plotlyScriptTag } from "../../lib/src";
import { compactFigure } from "../../lib/src/notebook/plot/payload";
import { chapterRun } from "../../scripts/book/build";
import { rewriteHtmlOutput } from "../../scripts/book/figures";
import { renderChapter } from "../../scripts/book/render";
import type { Cell, Notebook, Output } from "../../scripts/notebook-format";
import * as notebooks from "../../scripts/notebooks";

const bundleTag = plotlyScriptTag();
const markdown = (source: string): Cell => ({ cell_type: "markdown", metadata: {}, source });
const code = (source: string, outputs: Output[] = []): Cell => ({
  cell_type: "code",
  metadata: {},
  source,
  outputs,
  execution_count: null,
});
const html = (markup: string): Output => ({
  output_type: "display_data",
  data: { "text/html": markup },
  metadata: {},
});
const notebookOf = (cells: Cell[]): Notebook => ({
  cells,
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5,
});
const render = (...cells: Cell[]) =>
  renderChapter(notebookOf(cells), { plotlyBundleTag: bundleTag });

describe("markdown and math", () => {
  it("typesets $…$ and $$…$$ with KaTeX at build time, leaving no TeX delimiters", () => {
    const page = render(
      markdown(
        "# Chapter 9 · Test\n\nInline $\\sigma(z) = \\frac{1}{1+e^{-z}}$ and\n\n" +
          "$$\\nabla W_l = dZ_l^{\\top}\\,A_{l-1}.$$\n\nA price in code: `$5`.",
      ),
    );
    expect(page.html).toContain('class="katex"');
    expect(page.html).toContain('class="katex-display"');
    expect(page.html).not.toContain("$\\sigma");
    expect(page.html).toContain("<code>$5</code>");
    expect(page.title).toBe("Chapter 9 · Test");
  });

  it("fails the build on a formula KaTeX cannot typeset, naming the cell", () => {
    expect(() => render(markdown("# T\n\nfine"), markdown("broken $\\frac{1}{$ formula"))).toThrow(
      /cell 2 of the notebook: KaTeX cannot typeset/,
    );
  });

  it("renders the markdown inside an exercise's <details> solution, collapsed", () => {
    const page = render(
      markdown(
        "**1.** Why?\n\n<details><summary>Solution</summary>\n\n" +
          "Because **this**:\n\n```ts\nconst x = 2 ** 3;\n```\n\n- one\n- two\n\n</details>",
      ),
    );
    expect(page.html).toContain("<details><summary>Solution</summary>");
    expect(page.html).toContain("<strong>this</strong>");
    expect(page.html).toContain('<pre><code class="language-ts">');
    expect(page.html).toContain("<li>one</li>");
    expect(page.html).not.toContain("<details open");
  });

  it("gives headings unique anchors and collects sections and learning goals", () => {
    const page = render(
      markdown(
        "# Chapter 1 · A\n\n**By the end of this chapter you will be able to**\n\n" +
          "- add $1 + 1$;\n- count.\n",
      ),
      markdown("## 1. Setup\n\ntext\n\n### Details\n\n## 2. Setup"),
    );
    expect(page.sections.map((s) => `${s.level} ${s.id}`)).toEqual([
      "2 setup",
      "3 details",
      "2 setup-2",
    ]);
    expect(page.goals).toHaveLength(2);
    expect(page.goals[0]).toContain('class="katex"');
    expect(page.html).toContain('<h2 id="setup-2">');
  });
});

describe("outputs", () => {
  const series = [{ name: "s", x: [1, 2, 3], y: [0.1, 0.2, 1 / 3] }];
  const figure = linePlot({ title: "t", series, xTitle: "x", yTitle: "y" });

  it("a library figure keeps its JSON data and loses its drawing script", () => {
    const out = rewriteHtmlOutput(figureHtml(figure, { id: "gtd-figure-abc" }), {
      plotlyBundleTag: bundleTag,
    });
    expect(out.figures).toBe(1);
    expect(out.html).toContain('<div id="gtd-figure-abc" class="gtd-figure"');
    expect(out.html).toContain(
      '<script type="application/json" class="gtd-figure-spec" data-figure="gtd-figure-abc">',
    );
    expect(out.html).not.toContain("text/javascript");
    expect(out.html).not.toContain("Plotly.react");
    const json = out.html.slice(out.html.indexOf('">{') + 2, out.html.lastIndexOf("</script>"));
    const payload = JSON.parse(json);
    expect(payload.figure.data[0].y).toEqual([0.1, 0.2, 0.333333]);
    expect(payload.figure.layout.title.text).toBe("t");
  });

  it("drops the setupPlots() output that carries plotly.js, and refuses any other script", () => {
    const page = render(markdown("# T"), code("setupPlots();", [html(bundleTag)]));
    expect(page.html.length).toBeLessThan(2000);
    expect(() =>
      render(markdown("# T"), code("x", [html("<b>hi</b><script>alert(1)</script>")])),
    ).toThrow(
      /code cell 1, cell 2 of the notebook: an output holds a script that is not one of the library/,
    );
  });

  it("stores an array that a figure repeats once, and rounds to 6 significant digits", () => {
    const grid = Array.from({ length: 20 }, (_, i) => i / 7);
    const { figure, arrays } = compactFigure({
      data: [{ z: [grid] }, { z: [grid], x: [1, 2] }],
      layout: {},
    });
    expect(arrays).toHaveLength(1);
    expect((arrays[0] as number[])[1]).toBe(0.142857);
    expect(figure).toEqual({
      data: [{ z: [{ gtdArray: 0 }] }, { z: [{ gtdArray: 0 }], x: [1, 2] }],
      layout: {},
    });
  });

  it("prints streams and errors as text, escaped", () => {
    const page = render(
      markdown("# T"),
      code("x", [
        { output_type: "stream", name: "stdout", text: ["a < b\n"] },
        {
          output_type: "error",
          ename: "E",
          evalue: "v",
          traceback: ["\u001b[31mError\u001b[0m: <bad>"],
        },
      ]),
    );
    expect(page.html).toContain('<pre class="output stream">a &lt; b\n</pre>');
    expect(page.html).toContain('<pre class="output error">Error: &lt;bad&gt;</pre>');
  });
});

describe("reusing executed chapters", () => {
  it("the inputs' hash changes with the notebook, and only with it", () => {
    const dir = mkdtempSync(join(tmpdir(), "gtd-hash-"));
    try {
      const file = join(dir, "99-test.ipynb");
      writeFileSync(file, JSON.stringify({ cells: [markdown("# one")] }));
      const first = notebooks.executionInputsHash(file);
      expect(notebooks.executionInputsHash(file)).toBe(first);
      writeFileSync(file, JSON.stringify({ cells: [markdown("# two")] }));
      expect(notebooks.executionInputsHash(file)).not.toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a failing cell stops the build, naming the chapter, the cell and its error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gtd-fails-"));
    const file = join(dir, "98-fails.ipynb");
    const cell = (source: string) => ({
      cell_type: "code",
      execution_count: null,
      metadata: {},
      outputs: [],
      source,
    });
    const notebook = {
      cells: [
        { cell_type: "markdown", metadata: {}, source: "# Chapter 98 · Fails" },
        cell("1 + 1"),
        cell('throw new Error("boom in the second cell");'),
      ],
      metadata: {
        kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" },
      },
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(file, JSON.stringify(notebook));
    try {
      await expect(chapterRun(file, { step: "[1/1] 98-fails", log: () => {} })).rejects.toThrow(
        /\[1\/1\] 98-fails failed[\s\S]*Cell 2 \(code cell; cell 3 of the notebook\) failed[\s\S]*boom/,
      );
      // A failed run leaves no record, so the next build executes the chapter again.
      expect(notebooks.freshExecution(file)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      for (const suffix of [".ipynb", ".run.json"]) {
        rmSync(join(notebooks.EXECUTED, `98-fails${suffix}`), { force: true });
      }
    }
  }, 120_000);
});
