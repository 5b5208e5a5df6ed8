// Chapter 2 runs headless; the XOR tables, the hidden-space coordinates, the nudge and sweep figures, and the
// exercise solutions it states are what it computes.
import { beforeAll, describe, expect, it } from "vitest";
import { BINARY_INPUTS, LOGIC_GATES, Matrix, layerForward } from "../../lib/src";
import {
  type ExecutedChapter,
  itShowsAndRendersFigures,
  parseHtmlTable,
  runChapter,
} from "./harness";

let chapter: ExecutedChapter;
beforeAll(async () => {
  chapter = await runChapter("02-xor-with-layers", { timeoutSec: 120 });
});

const xor = BINARY_INPUTS.map(([a, b]) => LOGIC_GATES.XOR(a, b));

describe("chapter 2: XOR with layers", () => {
  it("the composed gates give XOR, with NAND and OR as the hidden columns", () => {
    const rows = parseHtmlTable(chapter.html("check-composed")[0]);
    expect(rows.map((r) => Number(r["s1 = NAND"]))).toEqual(
      BINARY_INPUTS.map(([a, b]) => LOGIC_GATES.NAND(a, b)),
    );
    expect(rows.map((r) => Number(r["s2 = OR"]))).toEqual(
      BINARY_INPUTS.map(([a, b]) => LOGIC_GATES.OR(a, b)),
    );
    expect(rows.map((r) => Number(r["y = AND(s1, s2)"]))).toEqual(xor);
    expect(chapter.stdout("check-composed")).toContain("composed network matches XOR: true");
  });

  it("the matrix form has the stated shapes and computes XOR on the whole batch", () => {
    const stdout = chapter.stdout("check-matrix");
    expect(stdout).toContain("shapes: X 4×2, W1 2×2, b1 1×2, S 4×2, W2 1×2, b2 1×1, y 4×1");
    expect(stdout).toContain("matrix network matches XOR: true");
    const rows = parseHtmlTable(chapter.html("check-matrix")[0]);
    expect(rows.map((r) => Number(r.y))).toEqual(xor);
  });

  it("the hidden layer maps the inputs to the points the prose names", () => {
    const stdout = chapter.stdout("check-hidden-view");
    for (const line of [
      "(0, 0) -> (s1, s2) = (1, 0), XOR = 0",
      "(0, 1) -> (s1, s2) = (1, 1), XOR = 1",
      "(1, 0) -> (s1, s2) = (1, 1), XOR = 1",
      "(1, 1) -> (s1, s2) = (0, 1), XOR = 0",
    ]) {
      expect(stdout).toContain(line);
    }
    expect(chapter.prose()).toContain("$(0,1)$ and $(1,0)$, land on the same point $(1, 1)$");
  });

  it("nudging any of the nine parameters leaves the loss unchanged, as stated", () => {
    expect(chapter.stdout("check-nudge")).toContain(
      "loss of the hand-built network: 0; parameters whose nudges left the loss unchanged: 9 of 9",
    );
    const rows = parseHtmlTable(chapter.html("check-nudge")[0]);
    expect(rows).toHaveLength(9);
    expect(chapter.prose()).toContain(
      "The loss is **0** and stays exactly 0 for **9 of 9** parameters",
    );
  });

  it("the weight sweep gives a loss with two values and the stated flat interval", () => {
    const stdout = chapter.stdout("check-staircase");
    expect(stdout).toContain(
      "over 401 values of W1[0,0] from -2 to 2 the loss takes 2 different values: 0, 0.25",
    );
    expect(stdout).toContain("the loss is 0 for W1[0,0] from -0.80 to -0.31");
    const prose = chapter.prose();
    expect(prose).toContain("the loss takes only **2** different values, 0 and 0.25");
    expect(prose).toContain("between\n**−0.80** and **−0.31**");
  });

  it("the exercise solutions are right", () => {
    const X = Matrix.fromArray(BINARY_INPUTS.map(([a, b]) => [a, b]));
    // Exercise 1: the chapter's hidden layer with a NAND output unit computes XNOR.
    const S = layerForward(
      X,
      Matrix.fromArray([
        [-0.5, -0.5],
        [0.5, 0.5],
      ]),
      Matrix.fromRow([0.8, -0.3]),
      "step",
    );
    expect(
      Array.from(
        layerForward(S, Matrix.fromArray([[-0.5, -0.5]]), Matrix.fromRow([0.8]), "step").data,
      ),
    ).toEqual([1, 0, 0, 1]);
    // Exercise 2: OR and AND hidden units, output step(s1 − s2 − 0.5).
    const S2 = layerForward(
      X,
      Matrix.fromArray([
        [0.5, 0.5],
        [0.5, 0.5],
      ]),
      Matrix.fromRow([-0.3, -0.8]),
      "step",
    );
    expect(
      Array.from(
        layerForward(S2, Matrix.fromArray([[1, -1]]), Matrix.fromRow([-0.5]), "step").data,
      ),
    ).toEqual(xor);
  });

  itShowsAndRendersFigures(() => chapter, 3);
});
