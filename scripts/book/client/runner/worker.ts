// The worker that runs a chapter page's cells: one shared scope, the cells compiled by cells.ts and
// run one at a time in the order the page sends them; console lines and the library's displays go
// back to the page as messages naming the run. The page stays responsive while a cell trains.
import {
  LIBRARY,
  SCOPE,
  cellFunctionBody,
  compileCell,
  missingName,
  missingNameMessage,
  type CompiledCell,
} from "./cells";
import { formatLine } from "./format";
import type { DisplayMessage, FromWorker, PageCell, ToWorker } from "./protocol";

/** What the worker needs from the library's browser platform (lib/src/platform/browser.ts). */
export interface PlatformHooks {
  setOutputHandler(handler: (message: DisplayMessage) => void): void;
  setInterruptFlag(flag: Int32Array): void;
  setEnvironment(vars: Record<string, string>): void;
  setSiteRoot(url: string): void;
  describeBackend(): string;
  /** Starts the kernels' helper threads ahead of time (a page's worker cannot start them later). */
  prepareThreads?(): Promise<number>;
}

interface WorkerScope {
  postMessage(message: FromWorker): void;
  addEventListener(type: "message", listener: (event: MessageEvent<ToWorker>) => void): void;
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (scope: object, library: object) => Promise<unknown>;

/** The one line a failed cell shows: the error's name and message, no stack through the runner. */
export function errorLine(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== "Error" ? `${error.name}: ` : "Error: ";
    return error.name === "CellError" ? error.message : `${name}${error.message}`;
  }
  return `Error: ${formatLine([error])}`;
}

/** The names each of the page's cells declares (cells that do not compile declare nothing). */
function declarers(cells: PageCell[]) {
  return cells.map((cell) => {
    let declares: string[] = [];
    try {
      declares = compileCell(cell.source).declares;
    } catch {
      // a cell with a syntax error declares nothing
    }
    return { ...cell, declares };
  });
}

/**
 * Starts the worker's side: listens at once (messages that come while the library loads wait in
 * the queue), then runs the cells one at a time in the order they arrive, as a kernel runs its
 * queue. `load` gives the library and its platform's hooks.
 */
export function startWorker(
  self: WorkerScope,
  load: () => Promise<{ hooks: PlatformHooks; library: Record<string, unknown> }>,
): void {
  const scope: Record<string, unknown> = Object.create(null);
  let current = 0;
  const post = (message: FromWorker) => self.postMessage(message);
  const stream = (name: "stdout" | "stderr") =>
    function (...args: unknown[]) {
      post({ type: "stream", run: current, name, text: `${formatLine(args)}\n` });
    };
  // Printed lines go to the cell, as in Jupyter: log and info to stdout, warn and error to stderr.
  console.log = console.info = console.debug = stream("stdout");
  console.warn = console.error = stream("stderr");

  const loaded = load();
  let queue: Promise<unknown> = loaded;

  async function run(
    message: Extract<ToWorker, { type: "run" }>,
    library: Record<string, unknown>,
  ): Promise<void> {
    current = message.run;
    let compiled: CompiledCell | null = null;
    let error: string | null = null;
    try {
      compiled = compileCell(message.source);
      for (const name of compiled.declares) if (!(name in scope)) scope[name] = undefined;
      const body = new AsyncFunction(SCOPE, LIBRARY, cellFunctionBody(compiled));
      await body(scope, library);
    } catch (caught) {
      const name = missingName(caught);
      error = name
        ? missingNameMessage(name, message.cell, declarers(message.cells))
        : errorLine(caught);
    }
    post({ type: "done", run: message.run, error, declares: compiled?.declares ?? [] });
  }

  self.addEventListener("message", (event) => {
    const message = event.data;
    queue = queue.then(async () => {
      const { hooks, library } = await loaded;
      if (message.type === "init") {
        hooks.setSiteRoot(message.siteRoot);
        hooks.setEnvironment(message.env);
        if (message.interrupt) hooks.setInterruptFlag(new Int32Array(message.interrupt));
        hooks.setOutputHandler((display) =>
          post({ type: "display", run: current, message: display }),
        );
        await hooks.prepareThreads?.();
        post({ type: "ready", backend: hooks.describeBackend() });
      } else if (message.type === "run") await run(message, library);
    });
  });
  loaded.catch((error: Error) =>
    post({ type: "failed", error: `the library did not load: ${errorLine(error)}` }),
  );
}
