// The notebooks in git are sources: no outputs, no execution counts, the tslab kernel, numerical code imported from lib/.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NOTEBOOKS, listNotebooks, readNotebook } from "./harness";

const chapters = listNotebooks();
/** The notation page: prose only, linked from every chapter. */
const NOTATION = "00-notation.ipynb";
const text = (source: string | string[]) => (Array.isArray(source) ? source.join("") : source);

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
        .filter(
          ({ cell }) =>
            cell.cell_type === "code" &&
            ((cell.outputs?.length ?? 0) > 0 || cell.execution_count != null),
        )
        .map(({ index }) => index + 1);
      expect(dirty, `cells with outputs: ${dirty.join(", ")}`).toEqual([]);
    });

    it("declares the tslab kernel", () => {
      expect(notebook.metadata.kernelspec?.name).toBe("tslab");
    });

    it("imports the library rather than redefining its numerical functions (the notation page has no code)", () => {
      const code = notebook.cells
        .filter((c) => c.cell_type === "code")
        .map((c) => text(c.source))
        .join("\n");
      if (name === NOTATION) return expect(code).toBe("");
      expect(code).toMatch(/from "\.\.\/lib"/);
      expect(code).not.toMatch(
        /function (sigmoid|relu|softmax|matmul|gemm|backprop|step)\b|const (sigmoid|relu|softmax|matmul|step) *= *\(/,
      );
    });
  });

  it("the notation page has no code, maps the notation to Nielsen's and d2l's, and every chapter links to it", () => {
    const notation = readNotebook(join(NOTEBOOKS, NOTATION));
    expect(notation.cells.every((c) => c.cell_type === "markdown")).toBe(true);
    const page = notation.cells.map((c) => text(c.source)).join("\n");
    for (const needed of ["BP1", "BP2", "BP3", "BP4", "d2l", "$d_{l-1}$", "fan-in", "$\\log$"])
      expect(page).toContain(needed);
    for (const name of chapters.filter((c) => c !== NOTATION)) {
      const prose = readNotebook(join(NOTEBOOKS, name))
        .cells.filter((c) => c.cell_type === "markdown")
        .map((c) => text(c.source))
        .join("\n");
      expect(prose, name).toContain("(00-notation.ipynb)");
    }
  });
});
