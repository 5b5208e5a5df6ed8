/** The types both sides of the platform share (node.ts, browser.ts). */

/** Where HTML output goes; tslab's `display` and `newDisplay()` both fit. */
export interface HtmlSink {
  html(markup: string): void;
}

/** The notebook's display: one-off output, and outputs that later writes replace in place. */
export interface NotebookDisplay {
  display: HtmlSink;
  newDisplay(): HtmlSink;
}

/** A program run to completion (numpy's measured rate in chapter 8). */
export interface ProgramRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Why it could not start at all. */
  error?: Error;
}

/** A progress line shown while a slow step runs, replaced as it goes and when it ends. */
export interface ProgressLine {
  update(text: string): void;
  done(text: string): void;
}
