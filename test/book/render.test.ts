// The book's renderer on small inputs: math, solutions, figures and the reuse of executed chapters.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { figureHtml, linePlot, plotlyScriptTag } from "../../lib/src";
import { compactFigure } from "../../lib/src/notebook/plot/payload";
import { chapterRun } from "../../scripts/book/build";
import { fitConfig, fitLayout, wrapTitle } from "../../scripts/book/client/fit";
import { figureAlternative, rewriteHtmlOutput } from "../../scripts/book/figures";
import { formulaText, renderChapter } from "../../scripts/book/render";
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

describe("what a published book carries", () => {
  it("gives every heading a ¶ permalink to its anchor, kept out of the contents and the index", () => {
    const page = render(markdown("# Chapter 1 · A\n\n## 2. The rate $\\eta$\n\ntext"));
    expect(page.html).toContain(
      '<a class="permalink" href="#the-rate" aria-label="Link to this section: 2. The rate η">¶</a>',
    );
    expect(page.sections[0]).toMatchObject({ id: "the-rate", title: "2. The rate η" });
    expect(page.html).not.toContain('href="#chapter-1-a"');
    expect(page.sections[0].html).not.toContain("¶");
  });

  it("reads formulas as text for the search index instead of showing …", () => {
    expect(formulaText("\\frac{\\partial C}{\\partial w}")).toBe("∂C/∂w");
    expect(formulaText("\\sigma(z) = \\frac{1}{1+e^{-z}}")).toBe("σ(z) = 1/(1+e^(-z))");
    expect(formulaText("W^{\\top} \\odot \\delta")).toBe("Wᵀ ⊙ δ");
    const page = render(
      markdown(
        "# Chapter 1 · A\n\n## Step\n\nThe rate $\\eta$ scales $\\nabla C$.\n\n$$w' = w - \\eta g$$",
      ),
    );
    expect(page.sections[0].text.join(" ")).toBe("The rate η scales ∇C. w' = w - η g");
  });

  const figure = linePlot({
    title: "Loss while training",
    xTitle: "epoch",
    yTitle: "loss",
    series: [
      { name: "train", y: [3, 2, 1] },
      { name: "test", y: [3, 2.5, 2] },
    ],
  });
  const figureCell = (metadata: Record<string, unknown> = {}): Cell => ({
    ...code("show(plot)", [html(figureHtml(figure, { id: "gtd-figure-f1" }))]),
    metadata,
  });

  it("numbers a chapter's figures and gives each a text alternative a screen reader says", () => {
    const page = render(markdown("# Chapter 5 · Test"), figureCell(), figureCell());
    expect(page.figures).toBe(2);
    expect(page.html).toContain('<figure class="book-figure" id="figure-5-1">');
    expect(page.html).toContain('<a class="figure-number" href="#figure-5-2">Figure 5.2</a>');
    expect(page.html).toContain(
      'role="img" aria-label="Figure 5.1: Loss while training. A line plot of loss against epoch. ' +
        'Series: train, test."',
    );
  });

  it("adds the description a cell gives (metadata figure_descriptions), from the committed notebook", () => {
    const description = "The test loss stops falling after the second epoch.";
    const executed = notebookOf([markdown("# Chapter 5 · Test"), figureCell()]);
    const committed = notebookOf([
      markdown("# Chapter 5 · Test"),
      figureCell({ figure_descriptions: [description] }),
    ]);
    const page = renderChapter(executed, { plotlyBundleTag: bundleTag, committed });
    expect(page.html).toContain(`Series: train, test. ${description.slice(0, -1)}."`);
    expect(page.html).toContain(`Figure 5.1</a> ${description}</figcaption>`);
    expect(() =>
      render(markdown("# Chapter 5 · T"), figureCell({ figure_descriptions: [3] })),
    ).toThrow(
      /code cell 1, cell 2 of the notebook: metadata.figure_descriptions must be a sentence/,
    );
    // Describing a figure is not a change a chapter's run depends on.
    expect(
      figureAlternative({
        data: [{ type: "heatmap", z: [[1]] }],
        layout: {
          xaxis: { visible: false },
          yaxis: { visible: false },
        },
      }),
    ).toBe("A grid of images.");
  });

  it("lays figures out for a phone: titles wrap, panels stack, legends go below, no drag", () => {
    expect(wrapTitle("The training curves of the network with one hidden layer", 20)).toEqual([
      "The training curves",
      "of the network with",
      "one hidden layer",
    ]);
    const twoPanels = {
      data: [{ name: "train" }, { name: "test" }],
      layout: {
        title: { text: "Loss and accuracy of the network on MNIST, epoch by epoch" },
        height: 380,
        margin: { l: 64, r: 24, t: 80, b: 56 },
        xaxis: { domain: [0, 0.44] },
        yaxis: { title: { text: "loss" } },
        xaxis2: { domain: [0.56, 1], anchor: "y2" },
        yaxis2: { anchor: "x2", title: { text: "accuracy" } },
        legend: { orientation: "h", x: 0, y: 1.12 },
      },
    };
    const phone = fitLayout(twoPanels as never, twoPanels.layout, { width: 358, coarse: true });
    expect(phone.dragmode).toBe(false);
    expect((phone.title as { text: string }).text.split("<br>").length).toBeGreaterThan(1);
    expect((phone.xaxis2 as { domain: number[] }).domain).toEqual([0, 1]);
    const [low, high] = (phone.yaxis as { domain: number[] }).domain;
    const [low2, high2] = (phone.yaxis2 as { domain: number[] }).domain;
    expect(high2).toBeLessThan(low); // the second panel under the first
    expect(high).toBe(1);
    expect(low2).toBe(0);
    expect(phone.legend).toMatchObject({ orientation: "h", yanchor: "top" });
    expect((phone.legend as { y: number }).y).toBeLessThan(0);
    const desk = fitLayout(twoPanels as never, twoPanels.layout, { width: 900, coarse: false });
    expect(desk.dragmode).toBeUndefined();
    expect(desk.xaxis2).toEqual(twoPanels.layout.xaxis2);
    expect(fitConfig({ displaylogo: false }, { coarse: true, zooming: false })).toMatchObject({
      scrollZoom: false,
      displayModeBar: false,
    });
    expect(fitConfig({}, { coarse: true, zooming: true }).displayModeBar).toBeUndefined();
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
