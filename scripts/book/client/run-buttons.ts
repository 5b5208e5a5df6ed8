// The chapter page's Run buttons, as the page loads: a Run button on every code cell and the page's
// Run all, Stop and Restart. Only the buttons: the runner itself (the editor, the worker, the library,
// assets/runner.js) loads on the first Run or the first click into a cell, so that a reader who only
// reads downloads nothing more. Opened from a file (file://), where a browser runs no worker from the
// page's folder, the buttons say how to serve the book instead.

/** What assets/runner.js gives the page once loaded (runner/page.ts). */
export interface RunnerApi {
  run(cell: HTMLElement): void;
  runAll(): void;
  stop(): void;
  restart(): void;
  /** Makes the cell editable (if it is not yet) and puts the cursor in it. */
  edit(cell: HTMLElement, at?: { x: number; y: number }): void;
}

declare global {
  interface Window {
    GTD_RUNNER?: RunnerApi;
  }
}

export const FILE_MESSAGE =
  "Running needs the book served over http, not opened as a file: in the book's folder run " +
  "`npm run book:serve` and open the address it prints.";

let loading: Promise<RunnerApi> | null = null;

/** Loads assets/runner.js once; resolves to its API. */
function loadRunner(status: HTMLElement): Promise<RunnerApi> {
  if (!loading) {
    status.textContent = "Loading the runner (the editor, the library and its worker)…";
    loading = new Promise<RunnerApi>((resolve, reject) => {
      if (window.GTD_RUNNER) return resolve(window.GTD_RUNNER);
      const script = document.createElement("script");
      script.src = "assets/runner.js";
      script.onload = () =>
        window.GTD_RUNNER
          ? resolve(window.GTD_RUNNER)
          : reject(new Error("assets/runner.js loaded but set up no runner"));
      script.onerror = () => reject(new Error("assets/runner.js did not load"));
      document.head.appendChild(script);
    });
    loading.catch((error: Error) => {
      status.textContent = `The runner could not start: ${error.message}`;
      loading = null;
    });
  }
  return loading;
}

function button(label: string, className: string, title?: string): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.className = className;
  b.textContent = label;
  if (title) b.title = title;
  return b;
}

/** The bar above the chapter: Run all, Stop, Restart and the runner's status line. */
function runBar(): { bar: HTMLElement; status: HTMLElement; buttons: HTMLButtonElement[] } {
  const bar = document.createElement("div");
  bar.className = "run-bar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Run the chapter's code");
  const runAll = button("Run all", "run-all", "Run every code cell of the page, in order");
  const stop = button("Stop", "run-stop", "Stop the running cell (as Kernel ▸ Interrupt)");
  const restart = button("Restart", "run-restart", "Forget everything the cells computed");
  stop.disabled = true;
  const status = document.createElement("p");
  status.className = "run-status";
  status.setAttribute("role", "status");
  status.textContent = "The code cells run in this page: Run one, or Run all.";
  bar.append(runAll, stop, restart, status);
  return { bar, status, buttons: [runAll, stop, restart] };
}

/** Adds the buttons to a chapter page (a page with code cells); does nothing on other pages. */
export function setupRunButtons(): void {
  const cells = Array.from(document.querySelectorAll<HTMLElement>(".chapter .cell.code"));
  if (!cells.length) return;
  const { bar, status, buttons } = runBar();
  const [runAll, stop, restart] = buttons;
  document.querySelector(".chapter")!.insertAdjacentElement("beforebegin", bar);
  const fromFile = location.protocol === "file:";
  const withRunner = (action: (runner: RunnerApi) => void) => {
    if (fromFile) {
      status.textContent = FILE_MESSAGE;
      status.classList.add("run-refused");
      return;
    }
    loadRunner(status).then(action, () => {});
  };
  runAll.addEventListener("click", () => withRunner((r) => r.runAll()));
  stop.addEventListener("click", () => window.GTD_RUNNER?.stop());
  restart.addEventListener("click", () => withRunner((r) => r.restart()));
  for (const cell of cells) {
    const tools = document.createElement("div");
    tools.className = "cell-tools";
    const run = button("Run", "run-cell", "Run this cell (Shift+Enter in its editor)");
    run.setAttribute("aria-label", "Run");
    tools.append(run);
    cell.insertBefore(tools, cell.firstChild);
    run.addEventListener("click", () => withRunner((r) => r.run(cell)));
    // The first click into a cell's code makes it editable, and loads the runner for it.
    const listing = cell.querySelector<HTMLElement>(".input pre");
    listing?.addEventListener("click", (event) => {
      if (window.getSelection()?.toString()) return; // selecting text to copy it
      withRunner((r) => r.edit(cell, { x: event.clientX, y: event.clientY }));
    });
  }
}
