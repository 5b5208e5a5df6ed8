// The messages between a chapter page and the worker that runs its cells (runner/worker.ts). Each
// output names the run it belongs to, so the page puts it under the cell that made it.
import type { CellLabel } from "./cells";

/** A Jupyter display message, as the library's browser platform hands it to setOutputHandler. */
export interface DisplayMessage {
  type: "display_data" | "update_display_data";
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  transient?: { display_id?: string };
}

/** A cell of the page: its label and its current code (as edited), to say which cell declares a name. */
export interface PageCell extends CellLabel {
  source: string;
}

export type ToWorker =
  | {
      type: "init";
      /** The site's root URL (where data/ and assets/ are). */
      siteRoot: string;
      /** The platform's environment, e.g. { GTD_LIVE_DEMO: "1" } on a page opened with ?live-demo. */
      env: Record<string, string>;
      /** A shared Int32Array's buffer (with cross-origin isolation): Stop sets its element 0. */
      interrupt: SharedArrayBuffer | null;
    }
  | { type: "run"; run: number; cell: number; source: string; cells: PageCell[] };

export type FromWorker =
  | { type: "ready"; backend: string }
  | { type: "failed"; error: string }
  | { type: "stream"; run: number; name: "stdout" | "stderr"; text: string }
  | { type: "display"; run: number; message: DisplayMessage }
  | { type: "done"; run: number; error: string | null; declares: string[] };
