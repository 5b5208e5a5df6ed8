/**
 * Checks in a real browser (Debian's Chromium through playwright-core) that a page's figures are drawn:
 * every `<div class="gtd-figure">` written by the library's `figureHtml()` must end up as a plotly plot with
 * at least one trace on screen, with no placeholder text left, no console or page errors, and no request that
 * would leave the machine.
 *
 *   const report = await checkFigures(pathToFileURL(html).href, { screenshot: screenshotPath("01") });
 *   expectAllFiguresRendered(report, 7);
 *
 * For a page that is already open (the live Notebook), use `openGuardedPage()` and `inspectFigures()`.
 */
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from "playwright-core";
import { PLACEHOLDER_TEXT } from "../../lib/src";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Where screenshots go (build/ is git-ignored). */
export const SCREENSHOTS = join(REPO_ROOT, "build", "screenshots");

/** `build/screenshots/<name>.png` */
export function screenshotPath(name: string): string {
  return join(SCREENSHOTS, `${name}.png`);
}

/** Debian's Chromium; set CHROMIUM to use another binary. Playwright never downloads a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const DEFAULT_TIMEOUT_MS = 30_000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** One `.gtd-figure` div, as found in the page. */
export interface FigureState {
  /** 0-based position among the page's `.gtd-figure` divs. */
  index: number;
  id: string;
  drawn: boolean;
  /** Traces in the plot's data (`el.data.length`); 0 when plotly has not drawn the div. */
  traces: number;
  /** Trace groups actually in the SVG (a heatmap counts only once its image is there). */
  marks: number;
  /** Why the figure does not count as drawn (empty when it does). */
  problem: string;
}

export interface FigureReport {
  url: string;
  /** Number of `.gtd-figure` divs. */
  figures: number;
  /** How many of them plotly has drawn. */
  rendered: number;
  /** Placeholder paragraphs (or placeholder sentences) left in the page. */
  placeholders: number;
  /** Traces per figure, in page order. */
  traces: number[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  /** Errors that matched `ignoreErrors`: listed, but not counted as problems. */
  ignoredErrors: string[];
  /** Requests that were aborted because they would have left the machine. */
  blocked: string[];
  screenshot?: string;
  details: FigureState[];
  /** How long the figures took to be drawn (or the time waited before giving up). */
  waitedMs: number;
}

export interface CheckOptions {
  /** Full-page screenshot to write, e.g. `screenshotPath("chapter-01")`; its folder is created. */
  screenshot?: string;
  /** How long to wait for every figure to be drawn; default 30 s. */
  timeoutMs?: number;
  /** Origins (`http://127.0.0.1:8888`) that may be requested besides `file:` URLs. */
  allowOrigins?: string[];
  /** Keep waiting until at least this many figures are in the page (for pages that add figures as they run). */
  minFigures?: number;
  /** Known, harmless errors of someone else's code (matched against the recorded line, e.g. "console error: …"). */
  ignoreErrors?: RegExp[];
}

/** A page whose requests are fenced in, with what it logged. */
export interface GuardedPage {
  context: BrowserContext;
  page: Page;
  errors: string[];
  ignoredErrors: string[];
  blocked: string[];
}

/** URLs that never leave the machine and are always allowed. */
const LOCAL_SCHEMES = new Set(["file:", "data:", "blob:", "about:"]);

function normaliseOrigin(origin: string): string {
  return new URL(origin).origin;
}

/**
 * A new context and page in which every request that is not `file:` (or `data:`, `blob:`) or to one of
 * `allowOrigins` is aborted and recorded, including WebSocket connections (`ws://host:port` counts as
 * `http://host:port`). Console errors and uncaught exceptions are recorded too.
 */
export async function openGuardedPage(
  browser: Browser,
  options: Pick<CheckOptions, "allowOrigins" | "ignoreErrors"> & {
    /** The screen and pointer (a phone: 390×844, hasTouch, isMobile); a 1280×900 desktop by default. */
    device?: Pick<
      BrowserContextOptions,
      "viewport" | "hasTouch" | "isMobile" | "deviceScaleFactor"
    >;
  } = {},
): Promise<GuardedPage> {
  const allowed = new Set((options.allowOrigins ?? []).map(normaliseOrigin));
  const isAllowed = (raw: string): boolean => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (LOCAL_SCHEMES.has(url.protocol)) return true;
    const protocol =
      url.protocol === "ws:" ? "http:" : url.protocol === "wss:" ? "https:" : url.protocol;
    return allowed.has(`${protocol}//${url.host}`);
  };

  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    ...options.device,
    serviceWorkers: "block",
  });
  const guarded: GuardedPage = {
    context,
    page: undefined as unknown as Page,
    errors: [],
    ignoredErrors: [],
    blocked: [],
  };
  const recordError = (line: string) => {
    if (options.ignoreErrors?.some((pattern) => pattern.test(line)))
      guarded.ignoredErrors.push(line);
    else guarded.errors.push(line);
  };
  try {
    await context.route("**/*", async (route) => {
      const url = route.request().url();
      if (isAllowed(url)) {
        await route.continue();
      } else {
        guarded.blocked.push(url);
        await route.abort("blockedbyclient");
      }
    });
    await context.routeWebSocket(/.*/, (ws) => {
      if (isAllowed(ws.url())) {
        ws.connectToServer();
      } else {
        guarded.blocked.push(ws.url());
        void ws.close({ code: 1008, reason: "blocked by the test" }).catch(() => {});
      }
    });
    const page = await context.newPage();
    guarded.page = page;
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const text = message.text();
      // The failed load of a request we aborted: already listed under `blocked`.
      if (text.includes("net::ERR_BLOCKED_BY_CLIENT")) return;
      const where = message.location().url
        ? ` (${message.location().url}:${message.location().lineNumber})`
        : "";
      recordError(`console error: ${text.slice(0, 2000)}${where}`);
    });
    page.on("pageerror", (error) => {
      recordError(`page error: ${error.name}: ${error.message.slice(0, 2000)}`);
    });
    return guarded;
  } catch (error) {
    await context.close().catch(() => {});
    throw error;
  }
}

/** Runs in the page: the state of every `.gtd-figure` div and how many placeholders are left. */
function inspectInPage(placeholderText: string): { states: FigureState[]; placeholders: number } {
  const divs = Array.from(document.querySelectorAll<HTMLElement>("div.gtd-figure"));
  const states = divs.map((el, index) => {
    const data = (el as HTMLElement & { data?: unknown }).data;
    const traces = Array.isArray(data) ? data.length : 0;
    // Cartesian traces draw as one group each under a `.mlayer` (scatter, bar: `g.trace`; contour: `g.contour`;
    // heatmap: `g.hm`, which holds an <image> once drawn); other plot types mark their groups `g.trace`.
    const groups = new Set(Array.from(el.querySelectorAll(".mlayer > g, g.trace")));
    let marks = 0;
    groups.forEach((g) => {
      if (g.classList.contains("hm") && !g.querySelector("image")) return;
      marks++;
    });
    const problems: string[] = [];
    if (!el.classList.contains("js-plotly-plot"))
      problems.push("plotly has not drawn it (no js-plotly-plot class)");
    else {
      if (!el.querySelector("svg.main-svg")) problems.push("no svg.main-svg");
      if (traces < 1) problems.push("its data has no trace");
      else if (marks < 1) problems.push("no trace is drawn in the SVG");
    }
    if (el.querySelector(".gtd-placeholder")) problems.push("its placeholder is still there");
    return {
      index,
      id: el.id,
      drawn: problems.length === 0,
      traces,
      marks,
      problem: problems.join("; "),
    };
  });
  const elements = document.querySelectorAll(".gtd-placeholder").length;
  const text = document.body ? document.body.innerText : "";
  const sentences = placeholderText ? text.split(placeholderText).length - 1 : 0;
  return { states, placeholders: Math.max(elements, sentences) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until every `.gtd-figure` in an open page is drawn (and at least `minFigures` exist), or until
 * `timeoutMs` passes; then takes the screenshot if asked and reports. Does not close anything.
 */
export async function inspectFigures(
  guarded: GuardedPage,
  options: Omit<CheckOptions, "allowOrigins" | "ignoreErrors"> = {},
): Promise<FigureReport> {
  const { page } = guarded;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const minFigures = options.minFigures ?? 0;
  const started = Date.now();
  let found = await page.evaluate(inspectInPage, PLACEHOLDER_TEXT);
  while (
    !(found.states.length >= minFigures && found.states.every((s) => s.drawn)) &&
    Date.now() - started < timeoutMs
  ) {
    await sleep(200);
    found = await page.evaluate(inspectInPage, PLACEHOLDER_TEXT);
  }
  const waitedMs = Date.now() - started;
  // Let plotly finish its last relayout (responsive figures) and fonts settle before the picture.
  await page.evaluate(
    () =>
      new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
  const report: FigureReport = {
    url: page.url(),
    figures: found.states.length,
    rendered: found.states.filter((s) => s.drawn).length,
    placeholders: found.placeholders,
    traces: found.states.map((s) => s.traces),
    errors: [...guarded.errors],
    ignoredErrors: [...guarded.ignoredErrors],
    blocked: [...guarded.blocked],
    details: found.states,
    waitedMs,
  };
  if (options.screenshot) {
    mkdirSync(dirname(options.screenshot), { recursive: true });
    await page.screenshot({ path: options.screenshot, fullPage: true, timeout: 60_000 });
    report.screenshot = options.screenshot;
  }
  // Errors raised while the screenshot was taken still count.
  report.errors = [...guarded.errors];
  report.ignoredErrors = [...guarded.ignoredErrors];
  report.blocked = [...guarded.blocked];
  return report;
}

/**
 * Opens `url` (a `file://` page or a page of a local server listed in `allowOrigins`) in a fresh headless
 * Chromium, waits for its figures and reports; the browser is closed whatever happens.
 */
export async function checkFigures(url: string, options: CheckOptions = {}): Promise<FigureReport> {
  const browser = await launchBrowser();
  try {
    const guarded = await openGuardedPage(browser, {
      allowOrigins: options.allowOrigins,
      ignoreErrors: options.ignoreErrors,
    });
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      await guarded.page.goto(url, { waitUntil: "load", timeout: Math.max(timeoutMs, 10_000) });
    } catch (error) {
      const detail = [...guarded.errors, ...guarded.blocked.map((b) => `blocked: ${b}`)].join(
        "\n  ",
      );
      throw new Error(
        `could not open ${url}: ${(error as Error).message}${detail ? `\n  ${detail}` : ""}`,
      );
    }
    return await inspectFigures(guarded, options);
  } finally {
    await browser.close();
  }
}

/** What is wrong with the report, one line each; empty when every figure is drawn and nothing went wrong. */
export function figureProblems(report: FigureReport, expectedCount?: number): string[] {
  const problems: string[] = [];
  if (expectedCount !== undefined && report.figures !== expectedCount) {
    problems.push(`expected ${expectedCount} figures, found ${report.figures}`);
  }
  if (expectedCount === undefined && report.figures === 0)
    problems.push("no .gtd-figure in the page");
  for (const figure of report.details) {
    if (!figure.drawn)
      problems.push(
        `figure ${figure.index}${figure.id ? ` (#${figure.id})` : ""} not drawn: ${figure.problem}`,
      );
  }
  if (report.placeholders > 0)
    problems.push(
      `${report.placeholders} placeholder(s) left ("${PLACEHOLDER_TEXT.slice(0, 40)}…")`,
    );
  for (const error of report.errors) problems.push(error);
  for (const url of report.blocked) problems.push(`blocked request to ${url.slice(0, 300)}`);
  return problems;
}

/** Throws, listing every problem, unless all figures (exactly `expectedCount` when given) are drawn cleanly. */
export function expectAllFiguresRendered(report: FigureReport, expectedCount?: number): void {
  const problems = figureProblems(report, expectedCount);
  if (problems.length === 0) return;
  const summary = `${report.rendered} of ${report.figures} figures drawn in ${report.url}`;
  const shot = report.screenshot ? `\n(screenshot: ${report.screenshot})` : "";
  throw new Error(`${summary}:\n  - ${problems.join("\n  - ")}${shot}`);
}
