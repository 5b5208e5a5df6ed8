// A live training figure, redrawn in place by TrainingMonitor in a real tslab kernel, keeps only its final
// state in the saved notebook, and that state renders in the exported HTML.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type ExecutedChapter, expectFiguresRenderInHtml, runChapter } from "../notebooks/harness";
import { REPO_ROOT } from "./render";

let run: ExecutedChapter;
beforeAll(async () => {
  run = await runChapter(join(REPO_ROOT, "test", "fixtures", "live-figure.ipynb"), {
    timeoutSec: 120,
  });
});

describe("live training figure", () => {
  it("leaves one output: the final curves under the final progress line", () => {
    const outputs = run.html("check-live");
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toMatch(
      /<pre class="gtd-progress"[^>]*>epoch 12\/12 · train loss 0\.0833 · test loss 0\.1000 · test accuracy 95\.83% · elapsed \d+\.\d s<\/pre>/,
    );
    // The final figure holds all twelve epochs.
    expect(outputs[0]).toContain('"x":[1,2,3,4,5,6,7,8,9,10,11,12]');
    expect(run.stdout("check-live")).toMatch(/^epoch 12\/12 · train loss 0\.0833/);
  });

  it("survives a cell that sends 1,400 outputs without yielding (tslab alone stops after 512)", () => {
    const lines = run.stdout("check-burst").trimEnd().split("\n");
    expect(lines).toHaveLength(701);
    lines
      .slice(0, 700)
      .forEach((line, i) => expect(line).toMatch(new RegExp(`^epoch ${i + 1}/700 · train loss `)));
    expect(lines[700]).toMatch(/^last: epoch 700\/700 · train loss 0\.0014 · elapsed /);
    const outputs = run.html("check-burst");
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toContain("epoch 700/700 · train loss 0.0014");
  });

  it("renders in the exported HTML", async () => {
    const report = await expectFiguresRenderInHtml(run);
    expect(report.rendered).toBe(2);
  }, 120_000);
});
