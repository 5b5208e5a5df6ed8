// The browser checker can both pass and fail: small pages written with the library's own figure HTML,
// opened from file:// in headless Chromium, without Jupyter.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Figure,
  PLACEHOLDER_TEXT,
  figureHtml,
  linePlot,
  plotlyScriptTag,
  standaloneFigureHtml,
} from "../../lib/src";
import {
  checkFigures,
  expectAllFiguresRendered,
  inspectFigures,
  launchBrowser,
  openGuardedPage,
  screenshotPath,
} from "./render";

const xs = Array.from({ length: 41 }, (_, i) => -2 + i / 10);
const first = linePlot({
  title: "Step and sigmoid",
  xTitle: "z",
  yTitle: "output",
  series: [
    { x: xs, y: xs.map((z) => (z >= 0 ? 1 : 0)), name: "step" },
    { x: xs, y: xs.map((z) => 1 / (1 + Math.exp(-4 * z))), name: "sigmoid", dash: "dash" },
  ],
});
const second = linePlot({
  xTitle: "epoch",
  yTitle: "errors",
  series: [{ y: [4, 3, 3, 1, 0], name: "errors", mode: "lines+markers" }],
});

/** A heatmap, a contour and a bar chart each alone: heatmaps draw as an <image>, contours as g.contour. */
const heatmapOnly: Figure = {
  data: [
    {
      type: "heatmap",
      z: [
        [0, 1],
        [1, 0],
      ],
    },
  ],
  layout: { height: 250 },
};
const contourOnly: Figure = {
  data: [
    {
      type: "contour",
      z: [
        [0, 1, 2],
        [1, 2, 3],
        [2, 3, 4],
      ],
    },
  ],
  layout: { height: 250 },
};
const barOnly: Figure = {
  data: [{ type: "bar", x: ["a", "b"], y: [1, 2] }],
  layout: { height: 250 },
};

/** The library's standalone page for `first`, with `second` added after it. */
function twoFigurePage(extraHead = "", extraBody = ""): string {
  return standaloneFigureHtml(first, "Two figures")
    .replace("</head>", `${extraHead}</head>`)
    .replace("</body>", `${figureHtml(second)}\n${extraBody}</body>`);
}

let dir: string;
const page = (name: string, html: string): string => {
  const file = join(dir, name);
  writeFileSync(file, html);
  return pathToFileURL(file).href;
};

let server: Server;
let origin: string;
let served: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gtd-browser-"));
  served = twoFigurePage();
  server = createServer((request, response) => {
    if (request.url === "/page.html") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(served);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (server) await new Promise((resolve) => server.close(resolve));
});

describe("checkFigures", () => {
  it("passes a standalone page with plotly inlined and two figures", async () => {
    const shot = screenshotPath("render-check-standalone");
    const report = await checkFigures(page("ok.html", twoFigurePage()), { screenshot: shot });
    expect(report).toMatchObject({
      figures: 2,
      rendered: 2,
      placeholders: 0,
      traces: [2, 1],
      errors: [],
      blocked: [],
      screenshot: shot,
    });
    expect(() => expectAllFiguresRendered(report, 2)).not.toThrow();
    expect(() => expectAllFiguresRendered(report, 3)).toThrow(/expected 3 figures, found 2/);
  });

  it("counts heatmaps (drawn as images), contours and bar charts as drawn", async () => {
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8">${plotlyScriptTag()}</head><body>${[heatmapOnly, contourOnly, barOnly].map((f) => figureHtml(f)).join("\n")}</body></html>`;
    const report = await checkFigures(page("types.html", html));
    expect(report.details.map((d) => [d.drawn, d.traces, d.marks >= 1])).toEqual([
      [true, 1, true],
      [true, 1, true],
      [true, 1, true],
    ]);
    expectAllFiguresRendered(report, 3);
  });

  it("fails when plotly is missing: nothing drawn, placeholders left, each figure named", async () => {
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${figureHtml(first)}\n${figureHtml(second)}</body></html>`;
    const report = await checkFigures(page("no-plotly.html", html), {
      timeoutMs: 3000,
      screenshot: screenshotPath("render-check-no-plotly"),
    });
    expect(report).toMatchObject({
      figures: 2,
      rendered: 0,
      placeholders: 2,
      traces: [0, 0],
      errors: [],
      blocked: [],
    });
    expect(report.waitedMs).toBeGreaterThanOrEqual(3000);
    let message = "";
    try {
      expectAllFiguresRendered(report, 2);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/0 of 2 figures drawn/);
    expect(message).toMatch(
      /figure 0 \(#gtd-figure-[0-9a-f]+\) not drawn: plotly has not drawn it/,
    );
    expect(message).toMatch(/figure 1 \(#gtd-figure-[0-9a-f]+\) not drawn/);
    expect(message).toContain("2 placeholder(s) left");
    expect(PLACEHOLDER_TEXT.startsWith("This figure has not been drawn")).toBe(true);
  });

  it("blocks and reports a request that would leave the machine", async () => {
    const report = await checkFigures(
      page("cdn.html", twoFigurePage(`<script src="https://cdn.example.invalid/x.js"></script>`)),
    );
    expect(report.blocked).toEqual(["https://cdn.example.invalid/x.js"]);
    // The figures themselves are fine (plotly is inlined); the page still fails the check.
    expect(report.rendered).toBe(2);
    expect(() => expectAllFiguresRendered(report, 2)).toThrow(
      /blocked request to https:\/\/cdn\.example\.invalid\/x\.js/,
    );
  });

  it("blocks WebSocket connections to other hosts", async () => {
    const browser = await launchBrowser();
    try {
      const guarded = await openGuardedPage(browser);
      await guarded.page.goto(
        page(
          "ws.html",
          twoFigurePage(`<script>new WebSocket("wss://socket.example.invalid/feed");</script>`),
        ),
      );
      await expect
        .poll(() => guarded.blocked, { timeout: 10_000 })
        .toEqual(["wss://socket.example.invalid/feed"]);
      const report = await inspectFigures(guarded);
      expect(report.rendered).toBe(2);
      expect(() => expectAllFiguresRendered(report)).toThrow(
        /blocked request to wss:\/\/socket\.example\.invalid\/feed/,
      );
    } finally {
      await browser.close();
    }
  });

  it("reports uncaught page errors and console errors", async () => {
    const script = `<script>console.error("console complaint from the test page"); throw new Error("boom from the test page");</script>`;
    const report = await checkFigures(page("throws.html", twoFigurePage("", script)));
    expect(report.rendered).toBe(2);
    expect(report.errors).toHaveLength(2);
    expect(report.errors.join("\n")).toMatch(/page error: Error: boom from the test page/);
    expect(report.errors.join("\n")).toMatch(/console error: console complaint from the test page/);
    expect(() => expectAllFiguresRendered(report, 2)).toThrow(/boom from the test page/);

    // Errors one names as known and harmless are listed apart and no longer fail the check; the others still do.
    const excused = await checkFigures(page("throws.html", twoFigurePage("", script)), {
      ignoreErrors: [/^console error: console complaint/],
    });
    expect(excused.ignoredErrors).toEqual([
      expect.stringMatching(/console complaint from the test page/),
    ]);
    expect(() => expectAllFiguresRendered(excused, 2)).toThrow(/boom from the test page/);
  });

  it("lets through only the origins it is told to allow", async () => {
    const allowed = await checkFigures(`${origin}/page.html`, { allowOrigins: [origin] });
    expect(allowed).toMatchObject({ figures: 2, rendered: 2, errors: [], blocked: [] });
    expectAllFiguresRendered(allowed, 2);
    await expect(checkFigures(`${origin}/page.html`)).rejects.toThrow(
      /could not open[\s\S]*blocked: http:\/\/127\.0\.0\.1:\d+\/page\.html/,
    );
  });
});
