// assets/runner.js: runs a chapter page's cells, loaded by the page's first Run (run-buttons.ts).
// Each cell becomes a CodeMirror editor (Shift+Enter runs it, Reset puts back the book's code); the
// cells run one at a time in a worker (runner/worker.ts) that shares their scope; outputs replace
// the stored ones under the cell, drawn as the page draws its own (book.ts's figures). Stop uses a
// shared flag where the page is cross-origin isolated (fit stops between two batches and keeps its
// last step), and otherwise ends the worker, saying which cells' state was lost.
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";
import {
  FIGURE_ATTRIBUTE,
  FIGURE_CLASS,
  FIGURE_DATA_CLASS,
} from "../../../../lib/src/notebook/plot/payload";
import type { RunnerApi } from "../run-buttons";
import type { CellLabel } from "./cells";
import type { DisplayMessage, FromWorker, PageCell, ToWorker } from "./protocol";

/** How long Stop waits for a cell to stop by itself (at fit's next batch) before ending the worker. */
const STOP_GRACE_MS = 3000;

interface Cell extends CellLabel {
  el: HTMLElement;
  /** The book's code, for Reset. */
  book: string;
  editor: EditorView | null;
  outputs: HTMLElement | null;
}

interface Run {
  id: number;
  cell: Cell;
}

const bar = document.querySelector<HTMLElement>(".run-bar")!;
const status = bar.querySelector<HTMLElement>(".run-status")!;
const stopButton = bar.querySelector<HTMLButtonElement>(".run-stop")!;

function say(text: string, kind: "info" | "error" = "info"): void {
  status.textContent = text;
  status.classList.toggle("run-refused", kind === "error");
}

/** The heading a cell stands under (the nearest before it), for messages that name a cell. */
function headingOf(el: HTMLElement): string {
  const all = Array.from(document.querySelectorAll<HTMLElement>(".chapter :is(h1, h2, h3)"));
  let heading = "";
  for (const h of all) {
    if (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
      heading = (h.textContent ?? "").replace(/[#¶]\s*$/, "").trim();
  }
  return heading;
}

const cells: Cell[] = Array.from(document.querySelectorAll<HTMLElement>(".chapter .cell.code")).map(
  (el, i) => ({
    el,
    number: Number(/^code-(\d+)$/.exec(el.id)?.[1] ?? i + 1),
    heading: headingOf(el),
    book: el.querySelector(".input pre code")?.textContent ?? "",
    editor: null,
    outputs: null,
  }),
);
const cellOf = (el: HTMLElement) => cells.find((c) => c.el === el)!;
const sourceOf = (cell: Cell) => cell.editor?.state.doc.toString() ?? cell.book;
const pageCells = (): PageCell[] =>
  cells.map((c) => ({ number: c.number, heading: c.heading, source: sourceOf(c) }));

// ---------------------------------------------------------------- editors
function resetButton(cell: Cell): HTMLButtonElement {
  const reset = document.createElement("button");
  reset.type = "button";
  reset.className = "reset-cell";
  reset.textContent = "Reset";
  reset.title = "Put back the book's code";
  reset.disabled = true;
  reset.addEventListener("click", () => {
    const editor = cell.editor!;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: cell.book } });
  });
  cell.el.querySelector(".cell-tools")!.append(reset);
  return reset;
}

/** The cell's listing replaced by an editor of the same code (the listing stays, hidden, for Copy). */
function makeEditor(cell: Cell): EditorView {
  if (cell.editor) return cell.editor;
  const pre = cell.el.querySelector<HTMLElement>(".input pre")!;
  const code = pre.querySelector("code")!;
  const reset = resetButton(cell);
  const editor = new EditorView({
    state: EditorState.create({
      doc: cell.book,
      extensions: [
        history(),
        keymap.of([
          { key: "Shift-Enter", run: () => (run(cell), true) },
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        javascript({ typescript: true }),
        syntaxHighlighting(classHighlighter),
        EditorView.contentAttributes.of({ "aria-label": `Code of cell ${cell.number}` }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          const text = update.state.doc.toString();
          code.textContent = text; // what Copy copies
          reset.disabled = text === cell.book;
          cell.el.classList.toggle("edited", text !== cell.book);
        }),
      ],
    }),
  });
  pre.hidden = true;
  pre.insertAdjacentElement("afterend", editor.dom);
  cell.editor = editor;
  return editor;
}

// ---------------------------------------------------------------- outputs
/** The cell's outputs area, emptied: the stored outputs go, the run's come. */
function freshOutputs(cell: Cell): HTMLElement {
  const old = cell.el.querySelector<HTMLElement>(".outputs");
  if (old) window.GTD_BOOK?.forgetFigures(old);
  const outputs = document.createElement("div");
  outputs.className = "outputs live";
  if (old) old.replaceWith(outputs);
  else cell.el.append(outputs);
  cell.outputs = outputs;
  return outputs;
}

function appendStream(outputs: HTMLElement, name: "stdout" | "stderr", text: string): void {
  const last = outputs.lastElementChild;
  const cls = name === "stderr" ? "stderr" : "stdout";
  if (last?.matches(`pre.output.stream.${cls}`)) last.textContent += text;
  else {
    const pre = document.createElement("pre");
    pre.className = `output stream ${cls}`;
    pre.textContent = text;
    outputs.append(pre);
  }
}

/**
 * An HTML output as markup the page may hold: the figures' JSON payloads stay (the book draws from
 * them); every other script goes (the library's drawing script is for Jupyter, plotly is loaded).
 */
function htmlFragment(markup: string): DocumentFragment {
  const template = document.createElement("template");
  template.innerHTML = markup;
  template.content
    .querySelectorAll(`script:not(.${FIGURE_DATA_CLASS})`)
    .forEach((script) => script.remove());
  return template.content;
}

/** One display message's element (null for an output with nothing to show, e.g. plotly itself). */
function displayElement(data: Record<string, unknown>): HTMLElement | null {
  const text = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v));
  if (data["text/html"] !== undefined) {
    const fragment = htmlFragment(text(data["text/html"]));
    if (!fragment.textContent?.trim() && !fragment.querySelector("*:not(script)")) return null;
    const div = document.createElement("div");
    div.className = "output html";
    div.append(fragment);
    return div;
  }
  if (data["image/png"] !== undefined) {
    const div = document.createElement("div");
    div.className = "output image";
    const img = document.createElement("img");
    img.alt = "";
    img.src = `data:image/png;base64,${text(data["image/png"])}`;
    div.append(img);
    return div;
  }
  if (data["text/plain"] !== undefined) {
    const pre = document.createElement("pre");
    pre.className = "output text";
    pre.textContent = text(data["text/plain"]);
    return pre;
  }
  return null;
}

/** Displays that later messages update in place (the live training figure), by display id. */
const displays = new Map<string, HTMLElement>();
/** The latest pending update of each display: updates are drawn at most once a frame. */
const pendingUpdates = new Map<string, Record<string, unknown>>();

function updateDisplay(id: string, data: Record<string, unknown>): void {
  if (!pendingUpdates.size) requestAnimationFrame(flushUpdates);
  pendingUpdates.set(id, data);
}

function flushUpdates(): void {
  for (const [id, data] of pendingUpdates) {
    const old = displays.get(id);
    const next = displayElement(data);
    if (!old || !next || !old.isConnected) continue;
    // Each figure already drawn takes the place of its successor, with the successor's data, so
    // that plotly redraws it in place instead of building a new plot for every frame.
    const oldFigures = Array.from(old.querySelectorAll<HTMLElement>(`.${FIGURE_CLASS}`));
    const newFigures = Array.from(next.querySelectorAll<HTMLElement>(`.${FIGURE_CLASS}`));
    newFigures.forEach((figure, i) => {
      const previous = oldFigures[i];
      const payload = next.querySelector(
        `script.${FIGURE_DATA_CLASS}[${FIGURE_ATTRIBUTE}="${figure.id}"]`,
      );
      if (!previous || !payload) return;
      payload.setAttribute(FIGURE_ATTRIBUTE, previous.id);
      figure.replaceWith(previous);
    });
    const gone = document.createElement("div");
    gone.append(...oldFigures.filter((f) => !next.contains(f)));
    window.GTD_BOOK?.forgetFigures(gone);
    old.replaceChildren(...Array.from(next.childNodes));
    window.GTD_BOOK?.drawFigures(old);
  }
  pendingUpdates.clear();
}

function showDisplay(outputs: HTMLElement, message: DisplayMessage): void {
  const id = message.transient?.display_id;
  if (message.type === "update_display_data") {
    if (id) updateDisplay(id, message.data);
    return;
  }
  const el = displayElement(message.data);
  if (!el) return;
  outputs.append(el);
  if (id) displays.set(id, el);
  window.GTD_BOOK?.drawFigures(el);
}

function showError(outputs: HTMLElement, line: string): void {
  const pre = document.createElement("pre");
  pre.className = "output error";
  pre.textContent = line;
  outputs.append(pre);
}

// ---------------------------------------------------------------- the worker
/** The page's environment for the library: ?live-demo runs chapter 7 on its short schedule. */
function environment(): Record<string, string> {
  const params = new URLSearchParams(location.search);
  return params.has("live-demo") ? { GTD_LIVE_DEMO: "1" } : {};
}

/** With cross-origin isolation, a flag the worker's fit reads between batches; else null. */
const interrupt: Int32Array | null =
  typeof SharedArrayBuffer === "function" && self.crossOriginIsolated
    ? new Int32Array(new SharedArrayBuffer(4))
    : null;

let worker: Worker | null = null;
let backend = "";
let nextRun = 1;
/** The cells still to run (Run all), the one running, and the numbers of the cells run so far. */
let queue: Cell[] = [];
let running: Run | null = null;
let ranCells: number[] = [];
let stopTimer = 0;

function startWorker(): Worker {
  // A module worker: it imports the library's bundle (an ES module) beside it.
  const w = new Worker(new URL("assets/runner-worker.js", document.baseURI), { type: "module" });
  w.addEventListener("message", (event: MessageEvent<FromWorker>) => receive(event.data));
  w.addEventListener("error", (event) => {
    event.preventDefault();
    say(`The runner's worker failed: ${event.message || "it did not load"}`, "error");
    finishRun(`Error: the runner's worker failed (${event.message || "it did not load"})`);
  });
  const init: ToWorker = {
    type: "init",
    siteRoot: new URL(".", document.baseURI).href,
    env: environment(),
    interrupt: interrupt ? (interrupt.buffer as SharedArrayBuffer) : null,
  };
  w.postMessage(init);
  say("Starting the runner…");
  return w;
}

function receive(message: FromWorker): void {
  if (message.type === "ready") {
    backend = message.backend;
    if (!running) showIdle();
    return;
  }
  if (message.type === "failed") {
    clearQueue();
    finishRun(`Error: ${message.error}`);
    endWorker();
    say(`The runner could not start: ${message.error}`, "error");
    return;
  }
  if (!running || message.run !== running.id) return;
  const outputs = running.cell.outputs!;
  if (message.type === "stream") appendStream(outputs, message.name, message.text);
  else if (message.type === "display") showDisplay(outputs, message.message);
  else if (message.type === "done") {
    if (message.error === null) ranCells.push(running.cell.number);
    finishRun(message.error);
  }
}

/** The backend in a few words (the library's full line goes in the status's tooltip). */
export function backendLabel(description: string): string {
  if (!description.startsWith("wasm")) return description.startsWith("js") ? "js" : description;
  const threads = Number(/; (\d+) threads?\b/.exec(description)?.[1] ?? 1);
  const shared = !/not shared/.test(description);
  return (
    (shared ? "wasm with shared memory" : "wasm") + (threads > 1 ? `, ${threads} threads` : "")
  );
}

function showIdle(): void {
  const demo = environment().GTD_LIVE_DEMO ? " · chapter 7's live-demo schedule (?live-demo)" : "";
  const ran = ranCells.length ? ` · ran ${cellList([...new Set(ranCells)])}` : "";
  say(`Runs on ${backendLabel(backend) || "the library"}${demo}${ran}`);
  status.title = backend;
}

function finishRun(error: string | null): void {
  if (!running) return;
  const { cell } = running;
  window.clearTimeout(stopTimer);
  if (error !== null) {
    showError(cell.outputs!, error);
    clearQueue(); // as Jupyter's Run All, stop at the first error
  }
  cell.el.classList.remove("running");
  cell.el.setAttribute("aria-busy", "false");
  // The cell's last run: "ok" or "error" (tests and styles read it).
  cell.el.dataset.run = error === null ? "ok" : "error";
  running = null;
  runNext();
}

function runNext(): void {
  if (running) return;
  const cell = queue.shift();
  if (!cell) {
    stopButton.disabled = true;
    cells.forEach((c) => c.el.classList.remove("queued"));
    if (worker) showIdle();
    return;
  }
  worker ??= startWorker();
  if (interrupt) Atomics.store(interrupt, 0, 0);
  const id = nextRun++;
  cell.el.classList.remove("queued");
  cell.el.classList.add("running");
  cell.el.setAttribute("aria-busy", "true");
  cell.el.dataset.run = "running";
  freshOutputs(cell);
  stopButton.disabled = false;
  running = { id, cell };
  say(`Running cell ${cell.number}${backend ? ` on ${backendLabel(backend)}` : ""}…`);
  const message: ToWorker = {
    type: "run",
    run: id,
    cell: cell.number,
    source: sourceOf(cell),
    cells: pageCells(),
  };
  worker.postMessage(message);
}

function enqueue(list: Cell[]): void {
  for (const cell of list) {
    if (queue.includes(cell) || running?.cell === cell) continue;
    queue.push(cell);
    cell.el.classList.add("queued");
    cell.el.dataset.run = "queued";
  }
  runNext();
}

function run(cell: Cell): void {
  enqueue([cell]);
}

/** Ends the worker: every name the cells declared goes with it. */
function endWorker(): void {
  worker?.terminate();
  worker = null;
  backend = "";
}

/** The cells waiting to run leave the queue, as they were. */
function clearQueue(): void {
  for (const cell of queue) {
    cell.el.classList.remove("queued");
    delete cell.el.dataset.run;
  }
  queue = [];
}

function stop(): void {
  clearQueue();
  if (!running) return;
  if (interrupt) {
    // fit stops at its next batch and the cell ends with fit's own message; a cell that never
    // checks the flag (a loop of its own) is ended with the worker after a grace period.
    Atomics.store(interrupt, 0, 1);
    say("Stopping at the next training step…");
    stopTimer = window.setTimeout(() => killRunning(), STOP_GRACE_MS);
  } else killRunning();
}

/** "cell 3" or "cells 1, 2, 5". */
const cellList = (numbers: number[]) =>
  `${numbers.length === 1 ? "cell" : "cells"} ${numbers.join(", ")}`;

/** Stop without shared memory: the worker ends, and the page says which cells' state went with it. */
function killRunning(): void {
  const cell = running?.cell;
  const lost = [...new Set(ranCells)];
  endWorker();
  ranCells = [];
  finishRun(
    `Stopped: the worker running the cells was ended` +
      (lost.length ? `, and with it everything ${cellList(lost)} had computed` : "") +
      `; run them again (Run all) to go on`,
  );
  say(
    `Stopped cell ${cell?.number}: ` +
      (lost.length
        ? `the state of ${cellList(lost)} was lost (no shared memory to signal the worker)`
        : "nothing else had run") +
      `. The next Run starts a fresh worker.`,
  );
}

function restart(): void {
  clearQueue();
  if (running) finishRun("Restarted: the run was ended");
  endWorker();
  ranCells = [];
  cells.forEach((c) => c.el.classList.remove("queued", "running"));
  worker = startWorker();
  say("Restarted: a fresh worker, nothing defined yet.");
}

const api: RunnerApi = {
  run: (el) => run(cellOf(el)),
  runAll: () => enqueue(cells),
  stop,
  restart,
  edit(el, at) {
    const editor = makeEditor(cellOf(el));
    const pos = at ? editor.posAtCoords(at) : null;
    editor.focus();
    if (pos !== null) editor.dispatch({ selection: { anchor: pos } });
  },
};

// Every cell editable from now on: Shift+Enter works in each, Tab moves between them.
cells.forEach(makeEditor);
say(
  "Every cell is editable: Shift+Enter runs the cell you are in, Reset puts back the book's code.",
);
window.GTD_RUNNER = api;
