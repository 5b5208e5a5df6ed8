// Chapter 7's live-demo mode (GTD_LIVE_DEMO=1 in the kernel's environment): its three training runs
// take 3, 1 and 3 epochs instead of 30, 5 and 12, and each says what the full run reaches; the seed
// study trains each seed for 1 epoch instead of 5.
//
// Running the whole chapter a second time in demo mode would add about a minute and a half to every
// test run for cells the full run already checks. So this runs the chapter's own cells, unchanged,
// up to and including each kind of training run (Nielsen's network, the first of the five ideas, the
// seed study, the best network) and nothing else, about 45 seconds on the 2-core machine; the full
// run is 07-mnist.test.ts's.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cellText as text } from "../../scripts/notebook-format";
import { NOTEBOOKS, readNotebook, runChapter, type ExecutedChapter } from "./harness";
import { withLiveDemo, writeLiveDemoNotebook } from "./live-demo";

let chapter: ExecutedChapter;
const committed = readNotebook(join(NOTEBOOKS, "07-mnist.ipynb"));
const prose = committed.cells
  .filter((c) => c.cell_type === "markdown")
  .map((c) => text(c.source))
  .join("\n");
let seconds = 0;

beforeAll(async () => {
  // The cells it keeps: live-demo.ts (the page runner's test compares chapter 7's page with this run).
  const file = writeLiveDemoNotebook();
  const began = Date.now();
  chapter = await withLiveDemo(() => runChapter(file, { timeoutSec: 300, solutions: false }));
  seconds = (Date.now() - began) / 1000;
}, 360_000);

afterAll(() => console.log(`chapter 7's training in live-demo mode: ${seconds.toFixed(0)} s`));

describe("chapter 7 in live-demo mode", () => {
  it("trains Nielsen's network for 3 of its 30 epochs and states what the 30 reach", () => {
    const stdout = chapter.stdout("check-nielsen");
    expect(stdout).toMatch(/^epoch 3\/3 · train loss [0-9.]+ · validation accuracy [0-9.]+% · /m);
    expect(stdout).toMatch(/^validation accuracy after each epoch: [0-9.]+%, [0-9.]+%, [0-9.]+%$/m);
    expect(stdout).not.toMatch(/epoch [4-9]\/|epoch 30/);
    expect(stdout).toMatch(
      /^live demo: 3 of 30 epochs in \d+ s, test accuracy [0-9.]+%; the full run reaches 94\.81% after 30 epochs$/m,
    );
  });

  it("trains each idea for 1 of its 5 epochs and states what the 5 reach", () => {
    expect(chapter.stdout("check-step-1").trim()).toMatch(
      /^step 1 \(softmax \+ cross-entropy\): validation accuracy after each epoch [0-9.]+% \(live demo: 1 of 5 epochs; the full run reaches 94\.85%\)$/,
    );
  });

  it("trains each of the five seeds for 1 of its 5 epochs", () => {
    const stdout = chapter.stdout("check-seeds");
    expect(stdout).toMatch(
      /^Nielsen's recipe from 5 seeds, validation accuracy after 1 epoch: ([0-9.]+%, ){4}[0-9.]+%$/m,
    );
    expect(stdout).toMatch(/^the 4 new runs took \d+ s$/m);
  });

  it("trains the best network for 3 of its 12 epochs and states what the 12 reach", () => {
    const stdout = chapter.stdout("check-best");
    expect(stdout).toMatch(/^epoch 3\/3 · train loss [0-9.]+ · validation accuracy [0-9.]+% · /m);
    expect(stdout).toMatch(/the full run reaches 98\.13% after 12 epochs$/m);
  });

  it("the full-run figures it states are the ones the chapter's text gives (and 07-mnist.test.ts checks)", () => {
    const setup = committed.cells.map((c) => text(c.source)).join("\n");
    const stated = [...setup.matchAll(/"(\w+)": "([0-9.]+%)"/g)].map((m) => m[2]);
    expect(stated).toHaveLength(6);
    for (const value of [...stated, "94.81%", "98.13%"]) expect(prose).toContain(`**${value}**`);
  });

  it("reads the environment, and no training cell keeps a fixed number of epochs", () => {
    const setup = text(committed.cells[2].source);
    expect(setup).toContain('const LIVE_DEMO: boolean = env("GTD_LIVE_DEMO") === "1";');
    expect(setup).toContain("{ nielsen: 30, idea: 5, best: 12 }");
    const full = readFileSync(join(NOTEBOOKS, "07-mnist.ipynb"), "utf8");
    expect(full).not.toMatch(/epochs: (30|5|12)\b/);
  });
});
