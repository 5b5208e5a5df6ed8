// Chapter 7 run in the book's page (Chromium, the runner's Web Worker) against the same chapter run by
// Jupyter on the tslab kernel: `npm run bench -- --page` (add --live-demo for the lecture schedule). Each
// round runs both once, tslab first in odd rounds and the page first in even ones, and prints the two
// wall-clock times and their ratio; the median ratio is the figure to quote. Both times start before any
// code of the chapter runs (the kernel's start, the page's first download of the runner and library) and
// end when its last cell has finished.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium } from "playwright-core";
import { buildBook } from "./book/build";
import { serveFolder } from "./book/serve";
import * as env from "./jupyter-env";
import { notebookPath } from "./notebooks";

const CHAPTER = "07-mnist";
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
// As the browser tests start it (test/browser/render.ts): no sandbox as root, no calls home.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Seconds for Jupyter to run the whole chapter on tslab, headless (into a scratch copy). */
function tslabSeconds(liveDemo: boolean): number {
  const python = env.findJupyterPython();
  if (!python) throw new Error(`bench --page: no Python with nbclient found.\n${env.INSTALL_HINT}`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gtd-bench-page-"));
  try {
    const started = Date.now();
    execFileSync(
      python,
      [
        path.join(__dirname, "execute_notebook.py"),
        notebookPath(CHAPTER),
        path.join(scratch, `${CHAPTER}.ipynb`),
        "1800",
      ],
      {
        cwd: env.ROOT,
        env: env.jupyterEnv(liveDemo ? { GTD_LIVE_DEMO: "1" } : {}),
        stdio: "ignore",
      },
    );
    return (Date.now() - started) / 1000;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Seconds from Run all on the chapter's page to its last cell's end; throws if a cell fails. */
async function pageSeconds(url: string): Promise<number> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url, { waitUntil: "load" });
    const started = Date.now();
    await page.click('.run-bar button:text-is("Run all")');
    const outcome = await page.waitForFunction(
      () => {
        const cells = Array.from(document.querySelectorAll<HTMLElement>(".chapter .cell.code"));
        if (cells.some((c) => c.dataset.run === "error")) return "error";
        return cells[cells.length - 1]?.dataset.run === "ok" ? "ok" : false;
      },
      undefined,
      { timeout: 1800_000, polling: 250 },
    );
    const seconds = (Date.now() - started) / 1000;
    if ((await outcome.jsonValue()) !== "ok")
      throw new Error(`bench --page: a cell of ${CHAPTER} failed in the page`);
    return seconds;
  } finally {
    await browser.close();
  }
}

export async function benchPage(rounds: number, liveDemo: boolean): Promise<void> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "gtd-bench-site-"));
  const { server, url } = await serveFolder(folder); // cross-origin isolated, as npm run book:serve
  try {
    await buildBook({ names: [CHAPTER], out: folder, log: () => {} });
    const address = new URL(`${CHAPTER}.html${liveDemo ? "?live-demo" : ""}`, url).href;
    const schedule = liveDemo ? "live-demo schedule" : "full schedule";
    console.log(`\nChapter 7 (${schedule}), whole chapter: the page (Chromium) against tslab`);
    const ratios: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const times: Record<string, number> = {};
      for (const where of round % 2 ? ["tslab", "page"] : ["page", "tslab"])
        times[where] = where === "tslab" ? tslabSeconds(liveDemo) : await pageSeconds(address);
      ratios.push(times.page / times.tslab);
      console.log(
        `  round ${round}: tslab ${times.tslab.toFixed(1)} s, page ${times.page.toFixed(1)} s, ` +
          `page ÷ tslab ${(times.page / times.tslab).toFixed(2)}`,
      );
    }
    const sorted = [...ratios].sort((a, b) => a - b);
    console.log(
      `  page ÷ tslab: median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} ` +
        `(${sorted[0].toFixed(2)}–${sorted[sorted.length - 1].toFixed(2)}, ` +
        `${rounds} round${rounds > 1 ? "s" : ""})`,
    );
  } finally {
    server.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
