// The notebooks in git are sources: no outputs, no execution counts, the tslab kernel, numerical code imported from lib/.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NOTEBOOKS, listNotebooks, readNotebook } from "./harness";

const chapters = listNotebooks();

describe("committed notebooks", () => {
  it("exist, numbered in reading order", () => {
    expect(chapters.length).toBeGreaterThan(0);
    for (const name of chapters) expect(name).toMatch(/^\d\d-[a-z0-9-]+\.ipynb$/);
  });

  describe.each(chapters)("%s", (name) => {
    const notebook = readNotebook(join(NOTEBOOKS, name));

    it("carries no outputs or execution counts (run `npm run notebooks:strip`)", () => {
      const dirty = notebook.cells
        .map((cell, index) => ({ cell, index }))
        .filter(({ cell }) => cell.cell_type === "code" && ((cell.outputs?.length ?? 0) > 0 || cell.execution_count != null))
        .map(({ index }) => index + 1);
      expect(dirty, `cells with outputs: ${dirty.join(", ")}`).toEqual([]);
    });

    it("declares the tslab kernel", () => {
      expect(notebook.metadata.kernelspec?.name).toBe("tslab");
    });

    it("imports the library rather than redefining its numerical functions", () => {
      const code = notebook.cells.filter((c) => c.cell_type === "code").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source)).join("\n");
      expect(code).toMatch(/from "\.\.\/lib"/);
      expect(code).not.toMatch(/function (sigmoid|relu|softmax|matmul|gemm|backprop|step)\b|const (sigmoid|relu|softmax|matmul|step) *= *\(/);
    });
  });
});
