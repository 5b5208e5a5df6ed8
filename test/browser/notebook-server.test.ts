// Chapter 1 in the classic Jupyter Notebook, as a reader would run it: start `jupyter notebook` on 127.0.0.1 with
// this project's tslab kernel, open the chapter in headless Chromium, click Cell ▸ Run All, and check that every
// figure is drawn in the live page. The server works on a copy in build/notebook-server/, so its autosave never
// touches the committed notebook.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import {
  type GuardedPage,
  expectAllFiguresRendered,
  inspectFigures,
  launchBrowser,
  openGuardedPage,
  screenshotPath,
} from "./render";
import { BUILD, INSTALL_HINT, ROOT, findJupyter, jupyterEnv } from "../../scripts/jupyter-env";

const CHAPTER = "01-perceptron-logic-gates";
const FIGURES = 7;
const SERVER_DIR = join(BUILD, "notebook-server");
/** Jupyter's runtime files (server info, kernel connection files) stay inside SERVER_DIR too. */
const RUNTIME_DIR = join(SERVER_DIR, ".jupyter-runtime");
/**
 * The Notebook typesets with MathJax 2's HTML-CSS output, whose stylesheet declares
 * `@font-face { font-family: MathJax_Blank; src: url('about:blank') }`; Chromium refuses that font and logs two
 * console errors in every browser, whatever the chapter contains. Nothing else is excused.
 */
const MATHJAX_BLANK_FONT = [
  /^console error: Access to font at 'about:blank' from origin 'http:\/\/127\.0\.0\.1:\d+' has been blocked by CORS policy/,
  /^console error: Failed to load resource: net::ERR_FAILED \(about:blank:0\)$/,
];

let server: ChildProcess | undefined;
let serverLog = "";
let serverExited: string | undefined;
let origin = "";
let token = "";
let browser: Browser | undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${origin}${path}`, {
    ...init,
    headers: { Authorization: `token ${token}`, ...init.headers },
  });
}

async function waitForServer(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (serverExited !== undefined)
      throw new Error(
        `jupyter notebook exited (${serverExited}) before answering:\n${serverLog.slice(-4000)}`,
      );
    try {
      const response = await api("/api/status");
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(
        `jupyter notebook did not answer on ${origin} within ${timeoutMs / 1000} s:\n${serverLog.slice(-4000)}`,
      );
    await sleep(250);
  }
}

/** Processes whose command line names our runtime folder: the kernels the server started in their own sessions. */
function kernelPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(RUNTIME_DIR))
        pids.push(Number(entry));
    } catch {
      // gone already
    }
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopServer(): Promise<void> {
  const child = server;
  server = undefined;
  if (!child?.pid) return;
  // Shut the kernels down through the server first, so that none outlives it.
  if (serverExited === undefined) {
    try {
      const kernels = (await (
        await api("/api/kernels", { signal: AbortSignal.timeout(5000) })
      ).json()) as { id: string }[];
      await Promise.all(
        kernels.map((k) =>
          api(`/api/kernels/${k.id}`, { method: "DELETE", signal: AbortSignal.timeout(10_000) }),
        ),
      );
    } catch {
      // the server may be gone or hung; the signals below still apply
    }
  }
  const group = -child.pid;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(group, signal);
    } catch {
      // the group is gone
    }
  };
  signalGroup("SIGTERM");
  for (let i = 0; i < 50 && alive(child.pid); i++) await sleep(100);
  signalGroup("SIGKILL");
  for (const pid of kernelPids()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // exited meanwhile
    }
  }
}

beforeAll(async () => {
  const jupyter = findJupyter();
  if (!jupyter) throw new Error(INSTALL_HINT);

  rmSync(SERVER_DIR, { recursive: true, force: true });
  mkdirSync(join(SERVER_DIR, "notebooks"), { recursive: true });
  copyFileSync(
    join(ROOT, "notebooks", `${CHAPTER}.ipynb`),
    join(SERVER_DIR, "notebooks", `${CHAPTER}.ipynb`),
  );
  // The chapter imports "gates-to-digits": SERVER_DIR is inside the repository (build/), so Node finds the
  // workspace's link in the root's node_modules.

  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  token = randomBytes(24).toString("hex");
  const args = [
    "notebook",
    "--no-browser",
    "--ip=127.0.0.1",
    `--port=${port}`,
    "--port-retries=0",
    `--NotebookApp.token=${token}`,
    `--notebook-dir=${SERVER_DIR}`,
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
  ];
  const env = jupyterEnv({
    // Keep the server's own state (secrets, signatures, kernel connection files) out of the home folder,
    // and its configuration free of the user's.
    JUPYTER_RUNTIME_DIR: RUNTIME_DIR,
    JUPYTER_DATA_DIR: join(SERVER_DIR, ".jupyter-data"),
    JUPYTER_CONFIG_DIR: join(SERVER_DIR, ".jupyter-config"),
  });
  // Its own process group, so that afterAll can stop the server and everything it started at once.
  server = spawn(jupyter, args, {
    cwd: SERVER_DIR,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    serverLog = (serverLog + chunk.toString()).slice(-200_000);
  };
  server.stdout?.on("data", keep);
  server.stderr?.on("data", keep);
  server.on("exit", (code, signal) => {
    serverExited = signal ?? String(code);
  });
  server.on("error", (error) => {
    serverExited = error.message;
  });
  await waitForServer(60_000);
}, 90_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await stopServer();
  rmSync(SERVER_DIR, { recursive: true, force: true });
}, 60_000);

/** The part of the classic Notebook's page API that the test reads. */
interface NotebookCell {
  cell_type: string;
  input_prompt_number?: number | string | null;
  get_text(): string;
  output_area?: { outputs: { output_type: string; ename?: string; evalue?: string }[] };
}
interface JupyterWindow {
  Jupyter?: {
    notebook?: {
      kernel_busy?: boolean;
      get_cells(): NotebookCell[];
      kernel?: { is_connected(): boolean; info_reply?: { language_info?: unknown } };
    };
  };
}

/** Describes the page when something does not come: open dialogs, the kernel indicator, the server's log. */
async function pageState(guarded: GuardedPage): Promise<string> {
  const state = await guarded.page
    .evaluate(() => {
      const dialogs = Array.from(document.querySelectorAll(".modal"))
        .map((m) => (m as HTMLElement).innerText.trim())
        .filter(Boolean);
      const indicator = document.querySelector("#kernel_indicator_icon");
      return `dialogs: ${JSON.stringify(dialogs)}; kernel indicator: ${indicator?.className} (${indicator?.getAttribute("title")})`;
    })
    .catch((error: Error) => `page not readable: ${error.message}`);
  return `${state}\nerrors: ${JSON.stringify(guarded.errors)}\nblocked: ${JSON.stringify(guarded.blocked)}\nserver log:\n${serverLog.slice(-3000)}`;
}

it(`chapter 1 runs in the classic Notebook (Cell ▸ Run All) and draws its ${FIGURES} figures`, async () => {
  browser = await launchBrowser();
  const guarded = await openGuardedPage(browser, {
    allowOrigins: [origin],
    ignoreErrors: MATHJAX_BLANK_FONT,
  });
  const { page } = guarded;
  // notebook-dir is SERVER_DIR, so the copy is at notebooks/<chapter>.ipynb under the /notebooks/ handler.
  await page.goto(`${origin}/notebooks/notebooks/${CHAPTER}.ipynb?token=${token}`, {
    waitUntil: "load",
    timeout: 60_000,
  });

  // The kernel is ready once its websocket is open and it has answered kernel_info (tslab's reply has no `status`).
  try {
    await page.waitForFunction(
      () => {
        const kernel = (window as unknown as JupyterWindow).Jupyter?.notebook?.kernel;
        return !!kernel && kernel.is_connected() && kernel.info_reply?.language_info !== undefined;
      },
      undefined,
      { timeout: 60_000, polling: 250 },
    );
  } catch (error) {
    throw new Error(
      `the tslab kernel did not become ready: ${(error as Error).message}\n${await pageState(guarded)}`,
    );
  }

  // Cell ▸ Run All, through the menu as a reader would.
  await page.click("#celllink");
  await page.click("#run_all_cells > a");

  // Done when every non-empty code cell has an execution count and the kernel is idle; fail on the first error output.
  const deadline = Date.now() + 150_000;
  for (;;) {
    const progress = await page.evaluate(() => {
      const notebook = (window as unknown as JupyterWindow).Jupyter!.notebook!;
      const code = notebook
        .get_cells()
        .filter((c) => c.cell_type === "code" && c.get_text().trim() !== "");
      const errors = code.flatMap((c, i) =>
        (c.output_area?.outputs ?? [])
          .filter((o) => o.output_type === "error")
          .map((o) => `code cell ${i + 1}: ${o.ename}: ${o.evalue}`),
      );
      const done = code.filter((c) => typeof c.input_prompt_number === "number").length;
      return {
        cells: code.length,
        done,
        busy: !!notebook.kernel_busy || document.querySelector(".cell.running") !== null,
        errors,
      };
    });
    if (progress.errors.length > 0)
      throw new Error(`a cell failed in the Notebook:\n${progress.errors.join("\n")}`);
    if (progress.cells > 0 && progress.done === progress.cells && !progress.busy) break;
    if (Date.now() > deadline) {
      throw new Error(
        `Run All did not finish: ${progress.done} of ${progress.cells} code cells executed\n${await pageState(guarded)}`,
      );
    }
    await sleep(500);
  }

  // The Notebook scrolls inside #site; let it grow to its content so that the screenshot shows every cell.
  await page.addStyleTag({
    content:
      "html, body { height: auto !important; overflow: visible !important; } #site { height: auto !important; overflow: visible !important; }",
  });

  const report = await inspectFigures(guarded, {
    timeoutMs: 30_000,
    minFigures: FIGURES,
    screenshot: screenshotPath(`notebook-server-${CHAPTER.slice(0, 2)}`),
  });
  expectAllFiguresRendered(report, FIGURES);
  expect(report.placeholders).toBe(0);
  expect(report.traces.every((n) => n >= 1)).toBe(true);
}, 180_000);
