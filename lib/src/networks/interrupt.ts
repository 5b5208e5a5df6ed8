/**
 * Stopping a long computation with Kernel ▸ Interrupt (Ctrl-C, SIGINT), in any kind of notebook cell.
 *
 * tslab runs a cell's synchronous code with Node's `breakOnSigint`, so an interrupt stops it, but not
 * code that runs after an `await`: there tslab only stops waiting, and training would go on in the
 * background. `runInterruptibly` runs its body as a script with `breakOnSigint` of its own, so that an
 * interrupt stops the body at once wherever it was called from, and turns Node's generic error into the
 * caller's own (for `fit`, a `TrainingInterrupted` saying where training stopped).
 */
import { createContext, Script } from "vm";
import { inspect } from "util";
import type { History } from "./network";

/** The one script that runs every body: it calls `body` from the context below. */
const CALL_BODY = new Script("body()");

/** A context of its own holding the body to run, so that nothing is left on the notebook's globals. */
let slot: { body: () => void } | undefined;

/**
 * Runs `body`; an interrupt during it (SIGINT: Kernel ▸ Interrupt, Ctrl-C) stops it at once, wherever
 * it is, and throws `stopped()` instead. Errors thrown by `body` pass through unchanged. Calls nest.
 */
export function runInterruptibly(body: () => void, stopped: () => Error): void {
  slot ??= createContext({ body }) as { body: () => void };
  const outer = slot.body;
  slot.body = body;
  try {
    CALL_BODY.runInContext(slot, { breakOnSigint: true });
  } catch (error) {
    if ((error as { code?: string } | null)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED")
      throw stopped();
    throw error;
  } finally {
    slot.body = outer;
  }
}

/** Where training is when it stops: for messages. */
export interface TrainingPosition {
  /** 1-based; 0 before the first batch. */
  epoch: number;
  /** 1-based, within the epoch. */
  batch: number;
  batchCount: number;
}

/** The stopped run: what the reader sees after an interrupt, and what the network and history keep. */
export class TrainingInterrupted extends Error {
  constructor(
    message: string,
    /** The history of the epochs completed before the interrupt (also `model.history`). */
    readonly history: History,
  ) {
    super(message);
    this.name = "TrainingInterrupted";
    // One readable line in the notebook, not a stack trace through the kernel's internals.
    this.stack = message;
    Object.defineProperty(this, "history", { enumerable: false });
  }

  /** How the kernel prints it (it calls console.error on the error): the message alone. */
  [inspect.custom](): string {
    return this.message;
  }
}

/** The one line `fit` leaves after an interrupt at `at`, once it has put back the last completed step. */
export function trainingInterrupted(at: TrainingPosition, history: History): TrainingInterrupted {
  const done = history.epochs.length;
  const where =
    at.epoch === 0
      ? "before the first batch"
      : `in epoch ${at.epoch}, batch ${at.batch} of ${at.batchCount}`;
  return new TrainingInterrupted(
    `fit: training interrupted ${where}; the network keeps the weights of its last completed step, ` +
      `and net.history has the ${done} epoch${done === 1 ? "" : "s"} completed so far ` +
      `(call fit again to continue from here)`,
    history,
  );
}
