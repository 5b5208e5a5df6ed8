/**
 * The worker pool: helper threads that run the module's kernels on their share of a large product, over
 * the same shared WebAssembly memory as the main thread, so that no operand is copied to them.
 *
 * A product is split by rows of its output (wasm.ts): each row of C is computed by the same kernel, with
 * its sums in the same order, whichever thread runs it and whatever the other rows are, so the bits do
 * not depend on the number of threads. Each helper sleeps in `Atomics.wait` until the main thread posts
 * a job in its control block and wakes it with `Atomics.notify`; it runs one kernel call, says it is done
 * and sleeps again: nothing spins. The main thread runs the first share itself, then waits for the
 * others. A job is never posted to a helper that has not finished its last one, so a notebook interrupt
 * that stops the main thread half-way (networks/interrupt.ts) leaves at most a helper finishing its share
 * of a product whose result nobody reads; the next product waits for it, and nothing is left running.
 *
 * Node's worker_threads (platform/node.ts); a browser's Worker could implement the same `Helper` (a control
 * block of shared memory, one wake-up, one done flag) later: a page runs one thread today
 * (platform/browser.ts). Where shared memory or workers are missing, one thread.
 */
import { describeValue } from "../core/checks";
import {
  availableCores,
  env,
  helperThreadsUnavailable,
  prepareHelperThreads,
  startHelperThread,
} from "../platform";

/** The most numbers a job passes to its kernel (kernels.wat's widest export, adam, takes 13). */
const MAX_ARGS = 16;

/** A helper's control block: Int32 [posted job, finished job, kernel, count of arguments], then arguments. */
const SEQ = 0;
const DONE = 1;
const KERNEL = 2;
const COUNT = 3;

/** The bytes of a control block. */
const CONTROL_BYTES = 16 + 8 * MAX_ARGS;

/**
 * What a helper runs, given `workerData` by the platform: the module, instantiated over the shared memory,
 * and a loop that waits for jobs. (A page runs it from kernels-helper.js, which library-bundle.ts writes.)
 */
export const HELPER_SOURCE = `
const { memory, bytes, names, control } = workerData;
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
const kernels = names.map((name) => instance.exports[name]);
const ints = new Int32Array(control, 0, 4);
const args = new Float64Array(control, 16, ${MAX_ARGS});
let seen = 0;
for (;;) {
  Atomics.wait(ints, ${SEQ}, seen);
  seen = Atomics.load(ints, ${SEQ});
  if (seen < 0) break;
  const a = args;
  kernels[ints[${KERNEL}]](a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12]);
  Atomics.store(ints, ${DONE}, seen);
  Atomics.notify(ints, ${DONE});
}
`;

/** One helper thread and its control block. */
interface Helper {
  ints: Int32Array;
  args: Float64Array;
  posted: number;
}

/** The module's bytes, memory and export names, given by wasm.ts when it loads. */
interface PoolSource {
  memory: WebAssembly.Memory;
  bytes: Uint8Array;
  names: readonly string[];
}

let source: PoolSource | null = null;
const helpers: Helper[] = [];
/** Why the pool cannot start helpers here (no worker_threads, no shared memory), or null. */
let poolUnavailable: string | null = helperThreadsUnavailable();

/** Threads used by default: GTD_THREADS if set, else the machine's cores (one where helpers cannot run). */
function initialThreads(): number {
  const asked = env("GTD_THREADS");
  const cores = poolUnavailable === null ? availableCores() : 1;
  if (asked === undefined || asked === "") return Math.max(1, cores);
  const n = Number(asked);
  if (!Number.isInteger(n) || n < 1) {
    console.warn(
      `GTD_THREADS must be a positive integer, got ${describeValue(asked)}: using ${cores}`,
    );
    return Math.max(1, cores);
  }
  return n;
}

let threads = initialThreads();

/** Called once by wasm.ts with the module it loaded. */
export function providePoolSource(given: PoolSource): void {
  source = given;
}

/**
 * Sets how many threads large products use (1: the main thread only) and returns the previous number.
 * The results are the same bits for every number; only the time changes.
 */
export function setThreads(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new RangeError(`setThreads: n must be an integer from 1 to 64, got ${describeValue(n)}`);
  const previous = threads;
  threads = n;
  return previous;
}

/** The number of threads large products use (see setThreads). */
export function getThreads(): number {
  return threads;
}

/** Runs `body` with `n` threads, then restores the previous number (even if it throws). */
export function withThreads<T>(n: number, body: () => T): T {
  const previous = setThreads(n);
  try {
    return body();
  } finally {
    setThreads(previous);
  }
}

/** Starts helpers until there are `count`, or records why they cannot start (then one thread). */
function ensureHelpers(count: number): number {
  if (poolUnavailable !== null || source === null) return 0;
  while (helpers.length < count) {
    try {
      const control = startHelperThread(
        HELPER_SOURCE,
        { memory: source.memory, bytes: source.bytes, names: source.names },
        CONTROL_BYTES,
        (error: Error) => {
          poolUnavailable = `a helper thread failed (${error.message})`;
        },
      );
      helpers.push({
        ints: new Int32Array(control, 0, 4),
        args: new Float64Array(control, 16, MAX_ARGS),
        posted: 0,
      });
    } catch (error) {
      poolUnavailable = `this engine cannot start helper threads (${(error as Error).message})`;
      console.warn(`${poolUnavailable}: products run on one thread`);
      return helpers.length;
    }
  }
  return count;
}

/**
 * Starts up to `count` helper threads ahead of the first product where they cannot start on demand, and
 * resolves to the number of threads products then use. In a page, a worker's own workers start (and
 * hear from it) only while it waits for events, never while it computes: its runner awaits this once,
 * after importing the library and before running code; it needs cross-origin isolation (shared
 * memory), else it resolves to 1. In Node, helpers start on demand: it changes nothing.
 */
export async function prepareThreads(count = availableCores() - 1): Promise<number> {
  if (!Number.isInteger(count) || count < 0 || count > 63)
    throw new RangeError(
      `prepareThreads: count must be an integer from 0 to 63, got ${describeValue(count)}`,
    );
  if (source === null || helpers.length > 0) return threads;
  const data = { memory: source.memory, bytes: source.bytes, names: source.names };
  const ready = await prepareHelperThreads(HELPER_SOURCE, data, CONTROL_BYTES, count);
  if (ready === null) return threads; // started on demand here
  if (ready > 0) {
    poolUnavailable = null;
    threads = 1 + ready;
  }
  return threads;
}

/** Waits until `helper` has finished every job posted to it (it sleeps meanwhile, and so does this thread). */
function settle(helper: Helper): void {
  for (;;) {
    const done = Atomics.load(helper.ints, DONE);
    if (done === helper.posted) return;
    Atomics.wait(helper.ints, DONE, done, 1000);
  }
}

let helperShares = 0;

/** How many shares of products helper threads have run since the process started (for tests). */
export function sharesOnHelpers(): number {
  return helperShares;
}

/** Posts one kernel call to a helper and wakes it. */
function post(helper: Helper, kernel: number, args: readonly number[]): void {
  settle(helper);
  helperShares++;
  for (let q = 0; q < args.length; q++) helper.args[q] = args[q];
  helper.ints[KERNEL] = kernel;
  helper.ints[COUNT] = args.length;
  helper.posted = (helper.posted + 1) & 0x3fffffff;
  Atomics.store(helper.ints, SEQ, helper.posted);
  Atomics.notify(helper.ints, SEQ);
}

/**
 * The smallest product, in multiply-adds (m·k·n), that is split between threads: below it, waking a
 * helper costs more than its share saves (measured: npm run bench -- --threads).
 */
export const POOL_MIN_WORK = 1 << 20;

let minimumWork = POOL_MIN_WORK;

/**
 * Sets the smallest product split between threads (default POOL_MIN_WORK) and returns the previous one:
 * for tests, which split tiny products to check their bits, and for measuring where splitting pays.
 */
export function setPoolMinimumWork(work: number): number {
  if (!Number.isInteger(work) || work < 0)
    throw new RangeError(
      `setPoolMinimumWork: work must be a non-negative integer, got ${describeValue(work)}`,
    );
  const previous = minimumWork;
  minimumWork = work;
  return previous;
}

/** How many threads a product of `work` multiply-adds uses: 1 below the minimum, where waking costs more. */
export function threadsFor(work: number): number {
  if (threads === 1 || work < minimumWork) return 1;
  return 1 + ensureHelpers(threads - 1);
}

/**
 * Runs `shares` (one call per share: a kernel's index in wasm.ts's table and its arguments): the first on
 * this thread by `runHere`, the others on helpers, and returns when all are done.
 */
export function runShares(
  shares: readonly { kernel: number; args: readonly number[] }[],
  runHere: (kernel: number, args: readonly number[]) => void,
): void {
  for (let s = 1; s < shares.length; s++) post(helpers[s - 1], shares[s].kernel, shares[s].args);
  try {
    runHere(shares[0].kernel, shares[0].args);
  } finally {
    for (let s = 1; s < shares.length; s++) settle(helpers[s - 1]);
  }
}

/** Why products run on one thread whatever setThreads says, or null when helpers can run. */
export function threadsUnavailable(): string | null {
  return poolUnavailable;
}
