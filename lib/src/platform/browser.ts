/**
 * The browser side of the platform: the same functions as node.ts, for the library bundled into a
 * book page's Web Worker (scripts/book/library-bundle.ts swaps platform/index.ts for this file). No
 * Node built-in and no shim of one: files are the site's (synchronous requests, which a worker may
 * make), output goes to the page as Jupyter-shaped messages, and what a page cannot do says so.
 *
 * The page's worker calls the hooks at the end before running code: setOutputHandler (where displays
 * go), setSiteRoot (the site's address: data/ is there), setEnvironment (e.g. GTD_LIVE_DEMO from
 * the page's ?live-demo), setInterruptFlag (the Stop button's shared flag) and addFile (a file the
 * reader picked, for loadNetwork). The WebAssembly kernels load when the library is imported, from
 * kernels.wasm (or kernels-unshared.wasm without cross-origin isolation) beside the script that
 * holds the library.
 */
import { gunzipSync } from "fflate";
import { LIBRARY_SOURCES } from "./library-sources";
import type { HtmlSink, NotebookDisplay, ProgramRun, ProgressLine } from "./types";

export type { HtmlSink, NotebookDisplay, ProgramRun, ProgressLine } from "./types";

/** Workers' synchronous reader of a File or Blob (not in TypeScript's DOM library). */
declare const FileReaderSync: {
  new (): { readAsText(blob: Blob): string; readAsArrayBuffer(blob: Blob): ArrayBuffer };
};

/** Where the library runs: "node" in Node, "browser" here. */
export const platformName: "node" | "browser" = "browser";

// ------------------------------------------------------------------ the page's hooks

/** One output, as a Jupyter kernel sends it on iopub (display_data / update_display_data). */
export interface OutputMessage {
  type: "display_data" | "update_display_data";
  /** By MIME type: "text/html", "text/plain", or DOWNLOAD_MIME for a file offered to the reader. */
  data: Record<string, unknown>;
  /** `{ gtd: "progress" }` on a progress line ("Loading MNIST …"), which a page may drop once done. */
  metadata: Record<string, unknown>;
  /** Outputs that later messages replace: the live training figure, a progress line. */
  transient?: { display_id: string };
}

/** The MIME type of a file the library offers the reader (saveNetwork): `{ name, mimeType, text }`. */
export const DOWNLOAD_MIME = "application/vnd.gtd.download+json";

let outputHandler: ((message: OutputMessage) => void) | null = null;
let siteRoot: string | null = null;
let environment: Record<string, string> = {};
let interruptFlag: Int32Array | null = null;
/** Files written in this page (saveNetwork) or picked by the reader (addFile), by name. */
const pageFiles = new Map<string, string | Blob>();

/** Where every display goes (figures, tables, the live training figure, progress lines, downloads). */
export function setOutputHandler(handler: ((message: OutputMessage) => void) | null): void {
  if (handler !== null && typeof handler !== "function")
    throw new TypeError("setOutputHandler: handler must be a function of one message, or null");
  outputHandler = handler;
}

/** The site's address (ending in "/"): its data/ folder holds MNIST. */
export function setSiteRoot(url: string): void {
  if (typeof url !== "string") throw new TypeError("setSiteRoot: url must be a string");
  siteRoot = new URL(url.endsWith("/") ? url : `${url}/`, selfLocation()).href;
}

/** The variables env() reads, e.g. `{ GTD_LIVE_DEMO: "1" }` from the page's `?live-demo`. */
export function setEnvironment(vars: Record<string, string>): void {
  if (vars === null || typeof vars !== "object")
    throw new TypeError("setEnvironment: vars must be an object of strings");
  for (const [name, value] of Object.entries(vars))
    if (typeof value !== "string")
      throw new TypeError(`setEnvironment: ${name} must be a string, got ${typeof value}`);
  environment = { ...vars };
}

/**
 * The Stop button's flag, an Int32Array over a SharedArrayBuffer: the page stores 1 in its entry 0 to
 * stop `fit` at its next batch; the library puts 0 back when it stops. Null: no Stop (no shared memory).
 */
export function setInterruptFlag(flag: Int32Array | null): void {
  if (flag !== null && !(flag instanceof Int32Array && flag.length >= 1))
    throw new TypeError(
      "setInterruptFlag: flag must be an Int32Array of at least one entry, or null",
    );
  interruptFlag = flag;
}

/** A file the reader picked (a File from an <input type="file">), which loadNetwork(name) then reads. */
export function addFile(file: Blob, name = (file as { name?: string }).name): void {
  if (!(file instanceof Blob)) throw new TypeError("addFile: file must be a File or Blob");
  if (typeof name !== "string" || name === "")
    throw new TypeError("addFile: give the name a Blob is read under");
  pageFiles.set(name, file);
}

function emit(message: OutputMessage): void {
  if (outputHandler === null)
    throw new Error("display: this page has not set an output handler (setOutputHandler)");
  outputHandler(message);
}

// ------------------------------------------------------------------ the environment

/** A variable the page set with setEnvironment (GTD_LIVE_DEMO, GATES_BACKEND), or undefined. */
export function env(name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(environment, name) ? environment[name] : undefined;
}

/** Starts a monotonic clock: the function returned gives the seconds since. */
export function startTimer(): () => number {
  const start = performance.now();
  return () => (performance.now() - start) / 1000;
}

/** `count` random bytes as hex: ids of figures. */
export function randomHex(count: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(count));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const tag = randomHex(4);
/** A tag of this page's worker for keys that must differ between runs. */
export function sessionTag(): string {
  return tag;
}

// ------------------------------------------------------------------ files: the site's, and the page's

/** data/, relative to the site root (setSiteRoot). */
export const DATA_DIR = "data";

/** The module's bytes, beside the script that holds the library (kernels-unshared.wasm: see wasm.ts). */
export const WASM_FILE = new URL("kernels.wasm", import.meta.url).href;
const WASM_UNSHARED_FILE = new URL("kernels-unshared.wasm", import.meta.url).href;

function selfLocation(): string | undefined {
  return typeof location === "object" ? location.href : undefined;
}

/** `file` as a URL: absolute as given, else under the site root. */
function urlOf(file: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(file)) return file;
  if (siteRoot === null)
    throw new Error(
      `cannot find ${file}: the page has not said where the site is (setSiteRoot) or the file is not in it`,
    );
  return new URL(file.replace(/^\/+/, ""), siteRoot).href;
}

/** A synchronous request (a worker may make them): the status and the body. */
function request(
  url: string,
  method: "GET" | "HEAD",
  binary: boolean,
): { status: number; body: unknown } {
  if (typeof XMLHttpRequest !== "function")
    throw new Error("this engine has no XMLHttpRequest to read the site's files");
  const xhr = new XMLHttpRequest();
  xhr.open(method, url, false);
  if (binary) xhr.responseType = "arraybuffer"; // allowed in a worker, where the library runs
  try {
    xhr.send();
  } catch (error) {
    const local = url.startsWith("file:")
      ? " (a page opened from file:// cannot read the site's files: serve the book with npm run book:serve)"
      : "";
    throw new Error(`${url}: the request failed${local} (${(error as Error).message})`);
  }
  return { status: xhr.status, body: xhr.response };
}

function ok(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The folders where loadMnist looks: the site's data/mnist/ (the book build copies the gzipped IDX files there). */
export function mnistFolders(): string[] {
  return [`${DATA_DIR}/mnist`];
}

/**
 * The names to try for an IDX file: gzipped first, as the site serves them (so that loadMnist asks for
 * nothing the site lacks), then as named.
 */
export function idxSpellings(names: readonly string[]): string[] {
  return names.flatMap((name) => [`${name}.gz`, name]);
}

export function joinPath(folder: string, file: string): string {
  return `${folder.replace(/\/+$/, "")}/${file}`;
}

/** A file of the page (written or picked), or of the site (asked with a HEAD request). */
export function fileExists(file: string): boolean {
  return pageFiles.has(file) || ok(request(urlOf(file), "HEAD", false).status);
}

/** A site serves files, not folders. */
export function isFolder(file: string): boolean {
  void file;
  return false;
}

/** The bytes of a page's file or of the site's `file` (a path under the site root, or a URL). */
export function readBytes(file: string): Uint8Array {
  const own = pageFiles.get(file);
  if (own !== undefined)
    return typeof own === "string"
      ? new TextEncoder().encode(own)
      : new Uint8Array(new FileReaderSync().readAsArrayBuffer(own));
  const url = urlOf(file);
  const { status, body } = request(url, "GET", true);
  if (!ok(status)) throw new Error(`${url}: HTTP ${status}`);
  return new Uint8Array(body as ArrayBuffer);
}

/** The text of a File or Blob, a page's file, or a site's file or URL. */
export function readText(file: string | Blob): string {
  if (typeof file !== "string") return new FileReaderSync().readAsText(file);
  const own = pageFiles.get(file);
  if (typeof own === "string") return own;
  if (own !== undefined) return new FileReaderSync().readAsText(own);
  let url: string;
  try {
    url = urlOf(file);
  } catch {
    throw new Error(
      `no file ${file} in this page (save it first, or pick it with the page's file button)`,
    );
  }
  const { status, body } = request(url, "GET", false);
  if (!ok(status))
    throw new Error(
      `not saved in this page, and ${url} answers HTTP ${status} (pick the file, or give its URL)`,
    );
  return body as string;
}

export function listFolder(folder: string): string[] {
  throw new Error(`a page cannot list the folder ${folder}`);
}

/** Keeps `text` as the page's file `file` (loadNetwork reads it back) and offers it to the reader as a download. */
export function writeText(file: string, text: string): void {
  const name = file.split("/").pop() || "download.txt";
  pageFiles.set(file, text);
  const mimeType = name.endsWith(".json")
    ? "application/json"
    : name.endsWith(".html")
      ? "text/html"
      : "text/plain";
  const kilobytes = (new TextEncoder().encode(text).length / 1000).toFixed(1);
  emit({
    type: "display_data",
    data: {
      [DOWNLOAD_MIME]: { name, mimeType, text },
      "text/plain": `${name} (${kilobytes} kB) is ready to download`,
    },
    metadata: {},
  });
}

/** As writeText: a page's file is written whole at once. */
/** A page cannot read its own peak memory in every browser (Chromium's performance.memory is its own). */
export function peakMemoryMegabytes(): number | null {
  return null;
}

export function writeTextAtomically(file: string, text: string): void {
  writeText(file, text);
}

export function gunzip(bytes: Uint8Array): Uint8Array {
  return gunzipSync(bytes);
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// ------------------------------------------------------------------ the library's own files

function sources(): Readonly<Record<string, string>> {
  if (LIBRARY_SOURCES === null)
    throw new Error(
      "showSource: this bundle of the library was built without its sources (library-bundle.ts embeds them)",
    );
  return LIBRARY_SOURCES;
}

/** The source of lib/src/`file` as embedded when the library was bundled, or null. */
export function librarySourceText(file: string): string | null {
  return Object.prototype.hasOwnProperty.call(sources(), file) ? sources()[file] : null;
}

export function librarySourceFiles(): string[] {
  return Object.keys(sources());
}

/** None: the page draws figures with its own plotly. */
export function plotlySource(): string | null {
  return null;
}

/** The kernels' bytes, fetched from beside the library's script. */
export function wasmBytes(shared: boolean): Uint8Array {
  const url = shared ? WASM_FILE : WASM_UNSHARED_FILE;
  const { status, body } = request(url, "GET", true);
  if (!ok(status)) throw new Error(`${url}: HTTP ${status}`);
  return new Uint8Array(body as ArrayBuffer);
}

/** Shared memory needs a cross-origin isolated page (COOP and COEP headers, as npm run book:serve sends). */
export function sharedMemoryAllowed(): boolean {
  return typeof SharedArrayBuffer === "function" && globalThis.crossOriginIsolated === true;
}

// ------------------------------------------------------------------ threads and programs

export function processors(): { model: string; speed: number }[] {
  const count = typeof navigator === "object" ? (navigator.hardwareConcurrency ?? 1) : 1;
  return Array.from({ length: count }, () => ({ model: "unknown (a page is not told)", speed: 0 }));
}

export function availableCores(): number {
  return typeof navigator === "object" ? (navigator.hardwareConcurrency ?? 1) : 1;
}

/** Until prepareThreads has started them, a page runs the kernels on its worker's one thread. */
export function helperThreadsUnavailable(): string | null {
  return sharedMemoryAllowed()
    ? "a page starts helper threads with prepareThreads(), which has not run"
    : "helper threads need cross-origin isolation (shared memory)";
}

/** Helper workers started by prepareHelperThreads, each with its control block, not yet in use. */
const preparedHelpers: { worker: Worker; control: SharedArrayBuffer }[] = [];

/**
 * Starts `count` workers from kernels-helper.js (beside the library's script: `loop`, written by
 * library-bundle.ts), gives each `data` and a control block, and resolves once each has them: a worker's
 * own workers start and hear from it only while it waits for events. Resolves to how many are ready.
 */
export async function prepareHelperThreads(
  loop: string,
  data: Record<string, unknown>,
  controlBytes: number,
  count: number,
): Promise<number | null> {
  void loop;
  if (!sharedMemoryAllowed() || typeof Worker !== "function") return 0;
  const url = new URL("kernels-helper.js", import.meta.url).href;
  for (let i = 0; i < count; i++) {
    const worker = new Worker(url);
    const control = new SharedArrayBuffer(controlBytes);
    await new Promise<void>((resolve, reject) => {
      worker.onmessage = ({ data: said }) =>
        said === "ready" ? resolve() : reject(new Error(`${url} said ${String(said)}`));
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`${url} could not start (${event.message || "no message"})`));
      };
      worker.postMessage({ ...data, control });
    });
    preparedHelpers.push({ worker, control });
  }
  return preparedHelpers.length;
}

/** Hands out a helper that prepareHelperThreads started (a page cannot start one while it computes). */
export function startHelperThread(
  loop: string,
  data: Record<string, unknown>,
  controlBytes: number,
  onError: (error: Error) => void,
): SharedArrayBuffer {
  void loop;
  void data;
  const helper = preparedHelpers.shift();
  if (helper === undefined)
    throw new Error("no more helper threads were prepared (prepareThreads)");
  if (helper.control.byteLength !== controlBytes)
    throw new Error(
      `a prepared helper's control block has ${helper.control.byteLength} bytes, not ${controlBytes}`,
    );
  helper.worker.onerror = (event) => onError(new Error(event.message || "a helper thread failed"));
  return helper.control;
}

/** A page cannot start programs: the run says so in its error. */
export function runProgram(
  file: string,
  args: readonly string[],
  extraEnv: Record<string, string>,
): ProgramRun {
  void args;
  void extraEnv;
  return {
    status: null,
    stdout: "",
    stderr: "",
    error: new Error(
      `a page cannot start programs such as ${file}: run this chapter in Jupyter to measure it`,
    ),
  };
}

// ------------------------------------------------------------------ interrupts

/** Runs `body`; a page cannot break into running code, so the body checks interruptRequested() itself. */
export function runBreakingOnInterrupt(body: () => void): boolean {
  body();
  return false;
}

/** True once after the page's Stop set the flag (which this puts back to 0). */
export function interruptRequested(): boolean {
  if (interruptFlag === null || Atomics.load(interruptFlag, 0) === 0) return false;
  Atomics.store(interruptFlag, 0, 0);
  return true;
}

// ------------------------------------------------------------------ the notebook's display

/** A display: one-off (display_data), or with an id, whose later writes replace it (update_display_data). */
function display(id?: string): HtmlSink {
  let shown = false;
  return {
    html(markup: string) {
      const update = id !== undefined && shown;
      shown = true;
      emit({
        type: update ? "update_display_data" : "display_data",
        data: { "text/html": markup },
        metadata: {},
        ...(id === undefined ? {} : { transient: { display_id: id } }),
      });
    },
  };
}

/** The page's display: messages to the output handler. */
export function notebookDisplay(): NotebookDisplay {
  return { display: display(), newDisplay: () => display(`gtd-${randomHex(8)}`) };
}

/** A line the page shows while a slow step runs ("Loading MNIST …"), replaced as it goes. */
export function progressLine(text: string): ProgressLine {
  if (outputHandler === null) return { update() {}, done() {} };
  const id = `gtd-progress-${randomHex(8)}`;
  const send = (line: string, update: boolean) =>
    emit({
      type: update ? "update_display_data" : "display_data",
      data: { "text/plain": line },
      metadata: { gtd: "progress" },
      transient: { display_id: id },
    });
  send(text, false);
  return { update: (line) => send(line, true), done: (line) => send(line, true) };
}
