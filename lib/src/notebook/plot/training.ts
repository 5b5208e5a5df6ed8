/**
 * Figures of training: loss and accuracy curves over epochs, and a live figure that redraws them in place
 * while a network trains, with a one-line progress report (epoch, metrics, elapsed time, ETA).
 */
import type { Data, Layout } from "plotly.js";
import { escapeHtml, newUpdatableSink, type HtmlSink } from "../display";
import {
  checkBoolean,
  checkFunction,
  checkNonNegative,
  checkNumberType,
  checkPositiveInteger,
  describeValue,
  rejectUnknownOptions,
} from "../../core/checks";
import { assertFinite } from "../../core/matrix";
import { baseLayout, checkFigureOptions, PALETTE, type Figure } from "./figure";
import { figureHtml, plotsReady, setupPlots } from "./show";
import { sessionTag } from "../../platform";

/** Curves by data split, e.g. `{ train: [...], test: [...] }`; the same split keeps its colour in every panel. */
export type CurvesBySplit = Readonly<Record<string, ArrayLike<number>>>;

export interface TrainingCurvesOptions {
  loss?: CurvesBySplit;
  accuracy?: CurvesBySplit;
  /** Show accuracy as a percentage (values given as fractions 0–1). Default true. */
  accuracyPercent?: boolean;
  title?: string;
  height?: number;
  /** x axis title; default "epoch". Points are at 1, 2, 3, … */
  xTitle?: string;
}

function splitColours(panels: CurvesBySplit[]): Map<string, string> {
  const colours = new Map<string, string>();
  for (const panel of panels)
    for (const split of Object.keys(panel))
      if (!colours.has(split)) colours.set(split, PALETTE[colours.size % PALETTE.length]);
  return colours;
}

/** Loss (left) and accuracy (right) over epochs, one line per split; either panel may be left out. */
export function trainingCurves(options: TrainingCurvesOptions): Figure {
  checkFigureOptions(
    "trainingCurves",
    options,
    ["loss", "accuracy", "accuracyPercent"],
    ["title", "height", "xTitle"],
  );
  for (const key of ["loss", "accuracy"] as const) {
    const curves = options[key];
    if (curves !== undefined && (curves === null || typeof curves !== "object"))
      throw new TypeError(
        `trainingCurves: ${key} must be curves by split, such as { train: [...] }, got ${describeValue(curves)}`,
      );
  }
  const panels: Array<{ key: "loss" | "accuracy"; curves: CurvesBySplit }> = [];
  if (options.loss && Object.keys(options.loss).length)
    panels.push({ key: "loss", curves: options.loss });
  if (options.accuracy && Object.keys(options.accuracy).length)
    panels.push({ key: "accuracy", curves: options.accuracy });
  if (panels.length === 0) throw new Error("trainingCurves: give loss and/or accuracy curves");
  const percent = options.accuracyPercent ?? true;
  const colours = splitColours(panels.map((p) => p.curves));
  const shown = new Set<string>();
  const data: Data[] = [];
  panels.forEach(({ key, curves }, p) => {
    for (const [split, values] of Object.entries(curves)) {
      assertFinite(values, `trainingCurves: ${key} of "${split}"`);
      const y = Array.from(values, (v) => (key === "accuracy" && percent ? 100 * v : v));
      data.push({
        type: "scatter",
        mode: y.length > 40 ? "lines" : "lines+markers",
        name: split,
        legendgroup: split,
        showlegend: !shown.has(split),
        x: y.map((_, i) => i + 1),
        y,
        xaxis: p === 0 ? "x" : "x2",
        yaxis: p === 0 ? "y" : "y2",
        line: { color: colours.get(split), width: 2.5, dash: split === "train" ? "solid" : "dash" },
        marker: { color: colours.get(split), size: 6 },
      });
      shown.add(split);
    }
  });
  const layout = baseLayout({
    title: options.title,
    height: options.height ?? 380,
    xTitle: options.xTitle ?? "epoch",
    yTitle: panels[0].key === "loss" ? "loss" : percent ? "accuracy (%)" : "accuracy",
  });
  if (panels.length === 2) {
    layout.xaxis = { ...layout.xaxis, domain: [0, 0.44] };
    const second: Partial<Layout> = {
      xaxis2: { ...layout.xaxis, domain: [0.56, 1], anchor: "y2" },
      yaxis2: {
        ...layout.yaxis,
        anchor: "x2",
        title: { text: percent ? "accuracy (%)" : "accuracy" },
      },
    };
    Object.assign(layout, second);
  }
  layout.legend = { ...layout.legend, orientation: "h", x: 0, y: 1.12 };
  layout.margin = { ...layout.margin, t: options.title ? 80 : 48 };
  return { data, layout };
}

// -------------------------------------------------------------------------------------------- live

export interface LiveFigureOptions {
  /** Redraw at most this often (default 200 ms, i.e. five times a second); `force` always redraws. */
  minIntervalMs?: number;
  /** Where to write; default a new in-place tslab display. */
  sink?: HtmlSink;
  /** Milliseconds clock, replaceable in tests. */
  now?: () => number;
}

let liveCounter = 0;

const LIVE_FIGURE_OPTIONS = ["minIntervalMs", "sink", "now"];

function checkLiveFigureOptions(owner: string, options: LiveFigureOptions): void {
  if (options.minIntervalMs !== undefined)
    checkNonNegative(owner, "minIntervalMs", options.minIntervalMs);
  if (options.sink !== undefined && typeof options.sink?.html !== "function")
    throw new TypeError(
      `${owner}: sink must be { html(markup) { … } }, got ${describeValue(options.sink)}`,
    );
  if (options.now !== undefined) checkFunction(owner, "now", options.now);
}

/**
 * One output that is overwritten in place, at most every `minIntervalMs`. Training loops run
 * synchronously, so a skipped update is not deferred: the next one that is due draws the newest state,
 * and `update(…, { force: true })` at the end makes the final state the one the notebook keeps.
 */
export class LiveFigure {
  private readonly sink: HtmlSink;
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private readonly liveKey = `live-${sessionTag()}-${Date.now().toString(36)}-${liveCounter++}`;
  private lastDraw = -Infinity;
  /** How many times it has drawn. */
  draws = 0;

  constructor(options: LiveFigureOptions = {}) {
    rejectUnknownOptions("LiveFigure", options, LIVE_FIGURE_OPTIONS);
    checkLiveFigureOptions("LiveFigure", options);
    this.minIntervalMs = options.minIntervalMs ?? 200;
    this.now = options.now ?? (() => Date.now());
    if (!options.sink && !plotsReady()) setupPlots();
    this.sink = options.sink ?? newUpdatableSink();
  }

  /** Redraws with `render()` if a redraw is due (or forced); returns whether it drew. */
  update(
    render: () => { figure: Figure; caption?: string },
    options: { force?: boolean } = {},
  ): boolean {
    checkFunction("LiveFigure.update", "render", render);
    rejectUnknownOptions("LiveFigure.update", options, ["force"]);
    if (options.force !== undefined) checkBoolean("LiveFigure.update", "force", options.force);
    const t = this.now();
    if (!options.force && t - this.lastDraw < this.minIntervalMs) return false;
    this.lastDraw = t;
    this.draws++;
    const { figure, caption } = render();
    const captionHtml = caption
      ? `<pre class="gtd-progress" style="margin:0 0 4px">${escapeHtml(caption)}</pre>`
      : "";
    this.sink.html(captionHtml + figureHtml(figure, { liveKey: this.liveKey }));
    return true;
  }
}

function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}

export interface TrainingMonitorOptions extends LiveFigureOptions {
  /** Total epochs, for the progress line and the ETA. */
  epochs: number;
  title?: string;
  height?: number;
  /** Also print the progress line to stdout at the end of each epoch (default false). */
  log?: boolean;
}

/** Metrics at the end of one epoch, by kind and split: `{ loss: { train: 0.31 }, accuracy: { test: 0.92 } }`. */
export interface EpochMetrics {
  loss?: Readonly<Record<string, number>>;
  accuracy?: Readonly<Record<string, number>>;
}

/**
 * A live view of training: loss and accuracy curves redrawn in place as epochs end, above a progress
 * line "epoch 3/30 · train loss 0.2300 · test accuracy 91.20% · elapsed 12.3 s · ETA 1 min 51 s".
 * Feed it with `epochEnd()` (and optionally `progress()` within an epoch); call `finish()` at the end.
 */
export class TrainingMonitor {
  readonly history: { loss: Record<string, number[]>; accuracy: Record<string, number[]> } = {
    loss: {},
    accuracy: {},
  };
  private readonly live: LiveFigure;
  private readonly started: number;
  private readonly now: () => number;
  private epochsDone = 0;
  private withinEpoch = 0;

  constructor(private readonly options: TrainingMonitorOptions) {
    checkFigureOptions(
      "TrainingMonitor",
      options,
      ["epochs", "log", ...LIVE_FIGURE_OPTIONS],
      ["title", "height"],
    );
    checkPositiveInteger("TrainingMonitor", "epochs", options.epochs);
    if (options.log !== undefined) checkBoolean("TrainingMonitor", "log", options.log);
    this.now = options.now ?? (() => Date.now());
    this.started = this.now();
    const { minIntervalMs, sink, now } = options;
    this.live = new LiveFigure({ minIntervalMs, sink, now });
  }

  /** Fraction of the current epoch done (0–1), for the ETA during long epochs; redraws if due. */
  progress(fractionOfEpoch: number): void {
    checkNumberType("TrainingMonitor.progress", "fraction", fractionOfEpoch);
    if (!(fractionOfEpoch >= 0 && fractionOfEpoch <= 1))
      throw new Error(
        `TrainingMonitor.progress: fraction must be in [0, 1], got ${fractionOfEpoch}`,
      );
    this.withinEpoch = fractionOfEpoch;
    this.live.update(() => this.render());
  }

  /** Records one epoch's metrics and redraws if due. `epoch` counts from 1. */
  epochEnd(epoch: number, metrics: EpochMetrics): void {
    checkNumberType("TrainingMonitor.epochEnd", "epoch", epoch);
    if (epoch !== this.epochsDone + 1)
      throw new Error(
        `TrainingMonitor.epochEnd: expected epoch ${this.epochsDone + 1}, got ${epoch}`,
      );
    rejectUnknownOptions("TrainingMonitor.epochEnd", metrics, ["loss", "accuracy"]);
    for (const kind of ["loss", "accuracy"] as const) {
      for (const [split, value] of Object.entries(metrics[kind] ?? {})) {
        if (!Number.isFinite(value))
          throw new (typeof value === "number" ? Error : TypeError)(
            `TrainingMonitor.epochEnd: ${split} ${kind} is ${describeValue(value)} at epoch ${epoch}`,
          );
        (this.history[kind][split] ??= []).push(value);
      }
    }
    this.epochsDone = epoch;
    this.withinEpoch = 0;
    this.live.update(() => this.render());
    if (this.options.log) console.log(this.progressLine());
  }

  /** Draws the final state (what the saved notebook keeps) and returns the last progress line. */
  finish(): string {
    this.live.update(() => this.render(), { force: true });
    return this.progressLine();
  }

  /** "epoch k/N · <latest metrics> · elapsed … · ETA …". */
  progressLine(): string {
    const { epochs } = this.options;
    const elapsed = this.now() - this.started;
    const done = (this.epochsDone + this.withinEpoch) / epochs;
    const parts = [`epoch ${this.epochsDone}/${epochs}`];
    for (const [split, values] of Object.entries(this.history.loss))
      parts.push(`${split} loss ${values[values.length - 1].toFixed(4)}`);
    for (const [split, values] of Object.entries(this.history.accuracy))
      parts.push(`${split} accuracy ${(100 * values[values.length - 1]).toFixed(2)}%`);
    parts.push(`elapsed ${formatDuration(elapsed)}`);
    if (done > 0 && done < 1) parts.push(`ETA ${formatDuration((elapsed * (1 - done)) / done)}`);
    return parts.join(" · ");
  }

  private render(): { figure: Figure; caption: string } {
    const { loss, accuracy } = this.history;
    const hasCurves = Object.keys(loss).length + Object.keys(accuracy).length > 0;
    const figure = hasCurves
      ? trainingCurves({ loss, accuracy, title: this.options.title, height: this.options.height })
      : {
          data: [],
          layout: baseLayout({
            title: this.options.title ?? "waiting for the first epoch…",
            height: this.options.height ?? 380,
            xTitle: "epoch",
            yTitle: "loss",
          }),
        };
    return { figure, caption: this.progressLine() };
  }
}
