// The exercises' worked solutions are found in the markdown (```ts blocks inside <details>), run at the end of the
// executed notebook in its own kernel, and a broken one is reported with its exercise and error.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Cell,
  type ExecutedChapter,
  expectEverySolutionRuns,
  outputsOf,
  extractSolutions,
  runChapter,
  scanSolutionCode,
  solutionsPath,
} from "./harness";

const FIXTURE = resolve(__dirname, "..", "fixtures", "solutions.ipynb");
const codeOf = (markdown: string) =>
  scanSolutionCode(markdown).map(({ exercise, block, blocks, code }) => ({
    exercise,
    block,
    blocks,
    code,
  }));

describe("finding the solutions' code in markdown", () => {
  it("takes every ts/typescript block inside <details>, a solution's blocks in order, with its exercise number", () => {
    const markdown = [
      "## Exercises",
      "",
      "**1.** Two blocks.",
      "",
      "<details><summary>Solution</summary>",
      "",
      "```ts",
      "const a = 1;",
      "",
      "console.log(a);",
      "```",
      "",
      "Not code: ```ts in the middle of a line.",
      "",
      "```python",
      "print('not TypeScript')",
      "```",
      "",
      "~~~typescript",
      "console.log(a + 1);",
      "~~~",
      "</details>",
      "",
      "**2.** No code at all.",
      "",
      "<details><summary>Solution</summary>",
      "Only prose, and `<details>` or `</details>` quoted in inline code.",
      "</details>",
      "",
      "**3.** One block, indented by two spaces, and a closing tag at the end of a line.",
      "",
      "<details><summary>Solution</summary>",
      "",
      "  ```TS",
      "  if (true) {",
      "    console.log(3);",
      "  }",
      "  ```",
      "Done.</details>",
    ].join("\n");
    expect(codeOf(markdown)).toEqual([
      { exercise: 1, block: 1, blocks: 2, code: "const a = 1;\n\nconsole.log(a);" },
      { exercise: 1, block: 2, blocks: 2, code: "console.log(a + 1);" },
      { exercise: 3, block: 1, blocks: 1, code: "if (true) {\n  console.log(3);\n}" },
    ]);
    expect(scanSolutionCode(markdown).map((s) => [s.solution, s.line])).toEqual([
      [1, 7],
      [1, 19],
      [2, 34],
    ]);
  });

  it("ignores ts blocks outside <details>, and <details> or fences that stand inside code", () => {
    const markdown = [
      "**1.** Outside any solution:",
      "",
      "```ts",
      'const html = "<details>";',
      "```",
      "",
      "<details><summary>Solution</summary>",
      "",
      "````ts",
      "const fence = `",
      "```",
      "</details>",
      "`;",
      "````",
      "",
      "```ts",
      "console.log(fence);",
      "```",
      "",
      "</details>",
      "",
      "```ts",
      "console.log('after the solution');",
      "```",
    ].join("\n");
    expect(codeOf(markdown)).toEqual([
      { exercise: 1, block: 1, blocks: 2, code: "const fence = `\n```\n</details>\n`;" },
      { exercise: 1, block: 2, blocks: 2, code: "console.log(fence);" },
    ]);
  });

  it("a bold number starts an exercise only at the start of a paragraph, outside a solution", () => {
    const markdown = [
      "**4.** The exercise, which mentions",
      "**5.** in its second line.",
      "",
      "<details><summary>Solution</summary>",
      "",
      "**6.** is not an exercise here.",
      "",
      "```ts",
      "console.log(4);",
      "```",
      "</details>",
    ].join("\n");
    expect(codeOf(markdown).map((s) => s.exercise)).toEqual([4]);
  });

  it("numbers solutions across the notebook's markdown cells and skips code cells", () => {
    const cell = (cell_type: "markdown" | "code", source: string[]): Cell =>
      cell_type === "code"
        ? { cell_type, source, metadata: {}, outputs: [], execution_count: null }
        : { cell_type, source, metadata: {} };
    const found = extractSolutions({
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
      cells: [
        cell("markdown", ["**1.** Asked here,\n"]),
        cell("code", ["<details>\n", "```ts\n", "no();\n", "```\n", "</details>\n"]),
        cell("markdown", [
          "<details><summary>Solution</summary>\n",
          "\n",
          "```ts\n",
          "yes();\n",
          "```\n",
          "</details>\n",
        ]),
        cell("markdown", [
          "**2.** Next.\n",
          "\n",
          "<details>\n",
          "```ts\n",
          "again();\n",
          "```\n",
          "</details>",
        ]),
      ],
    });
    expect(
      found.map(({ exercise, solution, cell, code }) => ({ exercise, solution, cell, code })),
    ).toEqual([
      { exercise: 1, solution: 1, cell: 2, code: "yes();" },
      { exercise: 2, solution: 2, cell: 3, code: "again();" },
    ]);
  });
});

describe("running the solutions after the notebook, in its kernel (test/fixtures/solutions.ipynb)", () => {
  let chapter: ExecutedChapter;
  beforeAll(async () => {
    chapter = await runChapter(FIXTURE, { timeoutSec: 120 });
  });

  it("runs each code block in order and records what it printed or why it failed", () => {
    const runs = chapter.solutions();
    expect(runs.map((r) => [r.exercise, r.block, r.ok, r.status])).toEqual([
      [1, 1, true, "ok"],
      [2, 1, false, "error"],
      [3, 1, true, "ok"],
      [3, 2, true, "ok"],
      [5, 1, false, "error"],
    ]);
    // The good solution sees the notebook's variables and imports: it runs in the same kernel, after it.
    expect(runs[0].stdout).toBe("relu(-2) = 0, half = 0.5\n");
    expect(runs[0].error).toBeNull();
    // tslab's own error message is empty; the recorded error is the compiler's, from its stderr.
    expect(runs[1].error).toContain("Cannot find name 'sigmoid'");
    // A failing block does not stop the next one, and a solution's second block sees its first.
    expect(runs[3].stdout).toBe("2, 4, 6\n");
    expect(runs[4].error).toContain("RangeError: exercise 5 went wrong");
    expect(runs[4].error).not.toContain("node_modules/tslab");
  });

  it("the check names the chapter, exercise and error of each broken solution", () => {
    let message = "";
    try {
      expectEverySolutionRuns(chapter);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("2 of 5 solution code blocks failed");
    expect(message).toContain("solutions, exercise 2: error");
    expect(message).toContain("Cannot find name 'sigmoid'");
    expect(message).toContain("console.log(sigmoid(0));");
    expect(message).toContain("solutions, exercise 5: error");
    expect(message).not.toContain("exercise 1:");
  });

  it("leaves the saved executed notebook as the notebook alone would be, and writes the results beside it", () => {
    const source = JSON.parse(readFileSync(FIXTURE, "utf8")) as { cells: unknown[] };
    expect(chapter.notebook.cells).toHaveLength(source.cells.length);
    expect(chapter.notebook.cells.map((c) => c.cell_type)).toEqual([
      "markdown",
      "code",
      "markdown",
    ]);
    expect(JSON.stringify(chapter.notebook.cells.map(outputsOf))).not.toMatch(
      /relu\(-2\)|2, 4, 6|sigmoid/,
    );
    expect(outputsOf(chapter.notebook.cells[1]).map((o) => o.text)).toEqual([["notebook ran\n"]]);
    expect(existsSync(solutionsPath(chapter.file))).toBe(true);
    expect(solutionsPath(chapter.file)).toBe(
      join(resolve(chapter.file, ".."), "solutions.solutions.json"),
    );
  });
});
