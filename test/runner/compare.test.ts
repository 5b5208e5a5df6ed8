// The rules by which runner.test.ts compares a chapter page's outputs with Jupyter's (compare.ts).
import { describe, expect, it } from "vitest";
import {
  isDurationLine,
  isRatioListLine,
  isTimeColumn,
  isTimeRatioLine,
  measurementShape,
  tableOf,
  tableShape,
} from "./compare";

describe("the comparison's rules", () => {
  it("durations: a number with a unit of time, and only that number", () => {
    for (const line of ["epoch 3: 12 ms", "trained in 3.4 s", "took 2 min", "1,204 ms per epoch"])
      expect(isDurationLine(line), line).toBe(true);
    for (const line of [
      "10 steps",
      "loss 0.25 after 3 epochs",
      "w = (0.5, 0.5), b = -0.8",
      "95.1 %",
      "64 sets",
    ])
      expect(isDurationLine(line), line).toBe(false);
    expect(
      measurementShape(
        "epoch 3/3 · train loss 0.1203 · validation accuracy 93.79% · elapsed 2.7 s",
      ),
    ).toBe("epoch 3/3 · train loss 0.1203 · validation accuracy 93.79% · elapsed # s");
    expect(measurementShape("1,204 ms per epoch, 30 epochs")).toBe("# ms per epoch, 30 epochs");
  });

  it("ratios of measured times: after 'took', the numbers before ×", () => {
    const took = "on this run: the tape took 1.79× the Network's time, 0.94× for 1024";
    expect(isTimeRatioLine(took)).toBe(true);
    expect(measurementShape(took)).toBe(
      "on this run: the tape took #× the Network's time, #× for 1024",
    );
    for (const line of [
      "numbers kept: tape 228662, Network 105780, 116% more",
      "2× the loss",
      "took 3 steps",
      "∂ℓ/∂w5 = -1.38853 (7× the right -0.19836)",
    ]) {
      expect(isTimeRatioLine(line), line).toBe(false);
      expect(measurementShape(line), line).toBe(line);
    }
  });

  it("chapter 8's measurements: spreads over rounds, lists of ratios, shares of the peak", () => {
    expect(
      measurementShape(
        "Nielsen's network: wasm 1.66 (1.55–1.72)× as fast as js; the same weights in every bit in all 6 runs: true; validation accuracy 91.95%",
      ),
    ).toBe(
      "Nielsen's network: wasm #× as fast as js; the same weights in every bit in all 6 runs: true; validation accuracy 91.95%",
    );
    expect(
      measurementShape(
        "one epoch on 10,000 images: 0.74 (0.72–0.90) s on one thread, 0.72 (0.72–0.75) s on two",
      ),
    ).toBe("one epoch on 10,000 images: # s on one thread, # s on two");
    expect(isRatioListLine("  tiled ÷ loop order: 2.07, 2.41, 2.32, 2.34, 2.01")).toBe(true);
    expect(measurementShape("  tiled ÷ loop order: 2.07, 2.41, 2.32, 2.34, 2.01")).toBe(
      "  tiled ÷ loop order: #, #, #, #, #",
    );
    expect(measurementShape("at n = 512, library wasm reaches 54% of the WebAssembly peak")).toBe(
      "at n = 512, library wasm reaches #% of the WebAssembly peak",
    );
    for (const line of [
      "one epoch: 5.03 GFLOP, 95.3% of it in products",
      "17.6% of this batch's pixels are non-zero",
      "dZᵀX is 256×784; the library's four versions give the same bits in every entry: true",
      "mean 91.53%, standard deviation 0.48 points, from 90.78% to 91.96%: a spread of 1.18 points",
      "2 → 2 (relu) → 1 (sigmoid), binaryCrossEntropy, 9 parameters",
    ])
      expect(measurementShape(line), line).toBe(line);
  });

  it("tables: measured numbers in any cell, every number in a column of times", () => {
    for (const header of ["seconds", "tape, µs", "one step, µs"])
      expect(isTimeColumn(header), header).toBe(true);
    for (const header of [
      "tape ÷ Network",
      "cross-entropy ÷ squared error",
      "seconds per epoch",
      "w1",
    ])
      expect(isTimeColumn(header), header).toBe(false);
    const shape = tableShape({
      caption: "Ideas",
      rows: [
        ["step", "validation accuracy", "seconds", "tape ÷ Network"],
        ["0", "91.95%", "0.9", "1.74 (1.13–2.43)"],
      ],
    });
    expect(shape.rows[1]).toEqual(["0", "91.95%", "#", "#"]);
  });

  it("tables written by the library read the same as a browser reads them", () => {
    expect(
      tableOf(
        '<table class="gtd-table"><caption>Chapter 7&#39;s</caption><thead><tr><th>a</th><th>b &amp; c</th></tr></thead>\n<tbody>\n<tr><td style="text-align:right">1</td><td>x</td></tr>\n</tbody></table>',
      ),
    ).toEqual({
      caption: "Chapter 7's",
      rows: [
        ["a", "b & c"],
        ["1", "x"],
      ],
    });
  });
});
