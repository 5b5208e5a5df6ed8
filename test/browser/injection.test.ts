// No figure, table or live view can inject HTML: every string option of every figure builder (titles,
// axis titles, names, ids, keys, class names, labels, hover text) carries a script-breaking payload, the
// page is opened in headless Chromium, and nothing may be injected, no script may run, and every figure
// must still be drawn (a payload that broke out of its <script> would leave its figure undrawn).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  barChart,
  confusionMatrixFigure,
  decisionBoundary,
  type Figure,
  figureHtml,
  heatmap,
  imageGrid,
  librarySource,
  LiveFigure,
  linePlot,
  lossSurface,
  plotlyScriptTag,
  scatterByClass,
  standaloneFigureHtml,
  tableHtml,
  TrainingMonitor,
  trainingCurves,
} from "../../lib/src";
import { expectAllFiguresRendered, inspectFigures, launchBrowser, openGuardedPage } from "./render";

/** The payloads: out of a <script>, out of an attribute, and a plain tag. */
const PAYLOADS = [
  "</script><img src=x onerror=alert(1)>",
  `"'><img src=x onerror=alert(2)><svg onload=alert(3)>`,
  "<script>alert(4)</script><a href=javascript:alert(5)>link</a>",
];

function figuresWith(p: string): Figure[] {
  const titles = { title: p, xTitle: p, yTitle: p };
  const box = { xRange: [0, 1] as const, yRange: [0, 1] as const };
  const line = { name: p, weights: [1, -1] as const, bias: 0 };
  return [
    linePlot({
      ...titles,
      series: [
        { y: [1, 2, 3], name: p },
        { y: [3, 1, 2], name: `${p} 2` },
      ],
    }),
    scatterByClass({
      ...titles,
      points: [
        [0.2, 0.3],
        [0.7, 0.8],
      ],
      labels: [0, 1],
      classNames: [p, `${p}!`],
      lines: [line],
    }),
    decisionBoundary({
      ...titles,
      ...box,
      resolution: 5,
      predict: (x) => (x > 0.5 ? 1 : 0),
      points: [[0.2, 0.3]],
      labels: [0],
      classNames: [p, p],
      lines: [line],
    }),
    decisionBoundary({
      ...titles,
      ...box,
      resolution: 5,
      output: "probability",
      predict: (x) => x,
    }),
    barChart({
      ...titles,
      categories: [p, `${p}b`],
      values: [0.3, 0.7],
      highlight: 1,
      labelDigits: 2,
    }),
    heatmap({ ...titles, z: [[1, 2]], xLabels: [p, `${p}x`], yLabels: [p], colorscale: p }),
    confusionMatrixFigure(
      [
        [3, 1],
        [0, 4],
      ],
      { classNames: [p, `${p}c`], title: p },
    ),
    imageGrid({ images: [[0, 1, 1, 0]], width: 2, height: 2, labels: [p], title: p }),
    lossSurface({
      ...titles,
      ...box,
      resolution: 5,
      loss: (x, y) => x * x + y * y + 1,
      paths: [{ name: p, points: [[0.5, 0.5]] }],
    }),
    trainingCurves({
      title: p,
      xTitle: p,
      loss: { [p]: [1, 0.5] },
      accuracy: { [p]: [0.5, 0.9] },
    }),
  ];
}

/** The HTML a live figure and a training monitor write, through a sink that keeps the last output. */
function liveOutputs(p: string): string[] {
  let live = "";
  const figure = new LiveFigure({ sink: { html: (m) => (live = m) } });
  figure.update(() => ({ figure: figuresWith(p)[0], caption: p }), { force: true });
  let monitored = "";
  const monitor = new TrainingMonitor({
    epochs: 2,
    title: p,
    sink: { html: (m) => (monitored = m) },
  });
  monitor.epochEnd(1, { loss: { [p]: 0.5 }, accuracy: { [p]: 0.9 } });
  monitor.finish();
  return [live, monitored];
}

const dir = mkdtempSync(join(tmpdir(), "gtd-injection-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("no option of any figure, table or live view can inject HTML", () => {
  it("rejects ids that could leave their attribute, and sources outside lib/src", () => {
    for (const p of PAYLOADS) {
      expect(() => figureHtml(figuresWith(p)[0], { id: p })).toThrow(/figureHtml: id must start/);
      expect(() => librarySource(p, "fit")).toThrow(/librarySource: file must name a file/);
    }
  });

  it("in Chromium: nothing injected, no script run, every figure drawn", async () => {
    const parts: string[] = [];
    let figures = 0;
    for (const p of PAYLOADS) {
      // A live key names one redrawn figure (a redraw purges the plot drawn under the same key).
      for (const [k, figure] of figuresWith(p).entries()) {
        parts.push(figureHtml(figure, { liveKey: `${p}${k}` }));
        figures++;
      }
      parts.push(...liveOutputs(p));
      figures += 2;
      parts.push(
        tableHtml([{ [p]: p, n: 1.5 }], { caption: p, headers: { [p]: p } }),
        tableHtml([{ a: p }], { columns: ["a", p] }),
      );
    }
    const page = join(dir, "page.html");
    writeFileSync(
      page,
      `<!DOCTYPE html><html><head><meta charset="utf-8">${plotlyScriptTag()}</head><body>${parts.join("\n")}</body></html>`,
    );
    // The standalone page puts the title into <title> as well.
    const standalone = join(dir, "standalone.html");
    writeFileSync(
      standalone,
      standaloneFigureHtml(figuresWith(PAYLOADS[0])[0], PAYLOADS.join(" ")),
    );

    const browser = await launchBrowser();
    try {
      for (const [file, expected] of [
        [page, figures],
        [standalone, 1],
      ] as const) {
        const guarded = await openGuardedPage(browser);
        const dialogs: string[] = [];
        guarded.page.on("dialog", (dialog) => {
          dialogs.push(dialog.message());
          void dialog.dismiss();
        });
        await guarded.page.goto(pathToFileURL(file).href, { waitUntil: "load" });
        const report = await inspectFigures(guarded);
        expectAllFiguresRendered(report, expected);
        // Give any injected handler (an image's onerror) time to fire.
        await guarded.page.waitForTimeout(300);
        const injected = await guarded.page.evaluate(() => ({
          images: document.querySelectorAll("img").length,
          handlers: document.querySelectorAll("[onerror], [onload]").length,
          links: Array.from(document.querySelectorAll("a")).filter((a) =>
            (
              a.getAttributeNS("http://www.w3.org/1999/xlink", "href") ??
              a.getAttribute("href") ??
              ""
            )
              .trim()
              .toLowerCase()
              .startsWith("javascript:"),
          ).length,
          // Every script in the page is the library's own: plotly's bundle, a figure's drawing code, or
          // a figure's data (JSON, which the page never runs).
          scripts: Array.from(document.scripts).filter(
            (s) =>
              !s.textContent?.trimStart().startsWith("(function") &&
              !(s.type === "application/json" && s.classList.contains("gtd-figure-spec")),
          ).length,
          // Every <svg> is plotly's: inside a figure, or its text-measuring tester.
          svgs: Array.from(document.querySelectorAll("svg")).filter(
            (svg) => !svg.closest(".gtd-figure") && svg.id !== "js-plotly-tester",
          ).length,
        }));
        expect(dialogs, `${file}: scripts ran`).toEqual([]);
        expect(injected, file).toEqual({ images: 0, handlers: 0, links: 0, scripts: 0, svgs: 0 });
        expect(guarded.errors, file).toEqual([]);
        expect(guarded.blocked, file).toEqual([]);
        await guarded.context.close();
      }
    } finally {
      await browser.close();
    }
  }, 120_000);
});
