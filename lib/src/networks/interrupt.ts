/**
 * Stopping a long computation with Kernel ▸ Interrupt (Ctrl-C, SIGINT), in any kind of notebook cell.
 *
 * tslab runs a cell's synchronous code with Node's `breakOnSigint`, so an interrupt stops it, but not
 * code that runs after an `await`: there tslab only stops waiting, and training would go on in the
 * background. `runInterruptibly` runs its body as a script with `breakOnSigint` of its own, so that an
 * interrupt stops the body at once wherever it was called from, and turns Node's generic error into the
 * caller's own (for `fit`, a `TrainingInterrupted` saying where training stopped).
 */
import { interruptRequested, runBreakingOnInterrupt } from "../platform";
import type { History } from "./network";

/** Thrown by {@link stopIfInterrupted} and turned into the caller's error by runInterruptibly. */
class InterruptSignal extends Error {}

/**
 * Runs `body`; an interrupt during it (SIGINT: Kernel ▸ Interrupt, Ctrl-C; a page's Stop button) stops
 * it and throws `stopped()` instead. Errors thrown by `body` pass through unchanged. Calls nest. In Node
 * the interrupt stops the body at once wherever it is; in a page, where nothing can break into running
 * code, at the body's next call of {@link stopIfInterrupted} (fit calls it between batches).
 */
export function runInterruptibly(body: () => void, stopped: () => Error): void {
  let interrupted: boolean;
  try {
    interrupted = runBreakingOnInterrupt(body);
  } catch (error) {
    if (error instanceof InterruptSignal) throw stopped();
    throw error;
  }
  if (interrupted) throw stopped();
}

/**
 * Stops the body of runInterruptibly here if the reader has asked to stop (a page's Stop button): a
 * cheap check for loops to make between steps. In Node it never stops (SIGINT breaks in by itself).
 */
export function stopIfInterrupted(): void {
  if (interruptRequested()) throw new InterruptSignal("interrupted");
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
  [Symbol.for("nodejs.util.inspect.custom")](): string {
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
