import { describe, expect, it } from "vitest";
import type { PlotData } from "plotly.js";
import { linePlot } from "../../lib/src/notebook/plot/builders";
import { LiveFigure, TrainingMonitor, trainingCurves } from "../../lib/src/notebook/plot/training";

const trace = (figure: { data: unknown[] }, i: number) =>
  figure.data[i] as Partial<PlotData> & Record<string, unknown>;

/** A sink that records what was written, and a clock the test moves by hand. */
function fakeOutput() {
  const writes: string[] = [];
  let t = 0;
  return {
    writes,
    sink: { html: (s: string) => writes.push(s) },
    now: () => t,
    advance: (ms: number) => (t += ms),
  };
}

describe("trainingCurves", () => {
  it("puts loss left and accuracy right, one line per split, each split in one colour and in the legend once", () => {
    const fig = trainingCurves({
      loss: { train: [1, 0.5], test: [1.2, 0.8] },
      accuracy: { test: [0.5, 0.75] },
    });
    expect(fig.data).toHaveLength(3);
    expect(trace(fig, 0)).toMatchObject({
      name: "train",
      x: [1, 2],
      y: [1, 0.5],
      xaxis: "x",
      yaxis: "y",
      showlegend: true,
    });
    expect(trace(fig, 2)).toMatchObject({
      name: "test",
      y: [50, 75],
      xaxis: "x2",
      yaxis: "y2",
      showlegend: false,
    });
    expect((trace(fig, 2).line as { color: string }).color).toBe(
      (trace(fig, 1).line as { color: string }).color,
    );
    expect(fig.layout.xaxis?.domain).toEqual([0, 0.44]);
    expect((fig.layout.yaxis2 as { title: { text: string } }).title.text).toBe("accuracy (%)");
  });

  it("with one panel uses the whole width", () => {
    const fig = trainingCurves({ accuracy: { train: [0.1] }, accuracyPercent: false });
    expect(fig.layout.xaxis?.domain).toBeUndefined();
    expect(trace(fig, 0).y).toEqual([0.1]);
  });

  it("rejects no curves and NaN values", () => {
    expect(() => trainingCurves({})).toThrow(/give loss and\/or accuracy/);
    expect(() => trainingCurves({ loss: { train: [1, NaN] } })).toThrow(
      /loss of "train" contains NaN at index 1/,
    );
  });
});

describe("LiveFigure", () => {
  const figure = linePlot({ series: [{ y: [1, 2] }], xTitle: "a", yTitle: "b" });

  it("draws at most once per interval unless forced", () => {
    const out = fakeOutput();
    const live = new LiveFigure({ sink: out.sink, now: out.now, minIntervalMs: 200 });
    let renders = 0;
    const render = () => (renders++, { figure, caption: "step" });
    expect(live.update(render)).toBe(true);
    out.advance(100);
    expect(live.update(render)).toBe(false);
    out.advance(100);
    expect(live.update(render)).toBe(true);
    expect(live.update(render, { force: true })).toBe(true);
    expect(out.writes).toHaveLength(3);
    expect(renders).toBe(3); // skipped updates do not even build the figure
  });

  it("each redraw purges the plot it replaces, under one key per live figure", () => {
    const out = fakeOutput();
    const a = new LiveFigure({ sink: out.sink, now: out.now });
    const b = new LiveFigure({ sink: out.sink, now: out.now });
    a.update(() => ({ figure }));
    b.update(() => ({ figure, caption: "<progress>" }));
    const key = (html: string) => /live\[("[^"]+")\] = el/.exec(html)?.[1];
    expect(out.writes[0]).toContain("window.Plotly.purge(previous)");
    expect(key(out.writes[0])).toBeDefined();
    expect(key(out.writes[0])).not.toBe(key(out.writes[1]));
    expect(out.writes[1]).toContain(
      '<pre class="gtd-progress" style="margin:0 0 4px">&lt;progress&gt;</pre>',
    );
  });
});

describe("TrainingMonitor", () => {
  it("records the history, throttles redraws, and keeps the final state", () => {
    const out = fakeOutput();
    const monitor = new TrainingMonitor({
      epochs: 4,
      sink: out.sink,
      now: out.now,
      minIntervalMs: 1000,
    });
    out.advance(500);
    monitor.epochEnd(1, { loss: { train: 0.9 }, accuracy: { test: 0.5 } }); // first draw
    out.advance(500);
    monitor.epochEnd(2, { loss: { train: 0.5 }, accuracy: { test: 0.7 } }); // too soon: skipped
    expect(out.writes).toHaveLength(1);
    expect(monitor.progressLine()).toBe(
      "epoch 2/4 · train loss 0.5000 · test accuracy 70.00% · elapsed 1.0 s · ETA 1.0 s",
    );
    out.advance(250);
    monitor.progress(0.5);
    // 1.25 s for 2.5 of 4 epochs: 0.75 s to go.
    expect(monitor.progressLine()).toMatch(/epoch 2\/4 .* elapsed 1.3 s · ETA 0\.8 s$/);
    const last = monitor.finish();
    expect(out.writes).toHaveLength(2);
    expect(out.writes[1]).toContain("epoch 2/4 · train loss 0.5000");
    expect(out.writes[1]).toContain('"y":[0.9,0.5]');
    expect(last).toMatch(/^epoch 2\/4/);
    expect(monitor.history).toEqual({
      loss: { train: [0.9, 0.5] },
      accuracy: { test: [0.5, 0.7] },
    });
  });

  it("formats long runs in minutes and drops the ETA when done", () => {
    const out = fakeOutput();
    const monitor = new TrainingMonitor({ epochs: 1, sink: out.sink, now: out.now });
    out.advance(125_000);
    monitor.epochEnd(1, { loss: { train: 0.1 } });
    expect(monitor.progressLine()).toBe("epoch 1/1 · train loss 0.1000 · elapsed 2 min 5 s");
  });

  it("rejects epochs out of order, non-finite metrics and bad settings", () => {
    const out = fakeOutput();
    const monitor = new TrainingMonitor({ epochs: 3, sink: out.sink, now: out.now });
    expect(() => monitor.epochEnd(2, {})).toThrow(/expected epoch 1, got 2/);
    expect(() => monitor.epochEnd(1, { loss: { train: NaN } })).toThrow(
      /train loss is NaN at epoch 1/,
    );
    expect(() => monitor.progress(1.5)).toThrow(/fraction must be in \[0, 1\], got 1.5/);
    expect(() => new TrainingMonitor({ epochs: 0, sink: out.sink })).toThrow(
      /epochs must be a positive integer/,
    );
  });
});
