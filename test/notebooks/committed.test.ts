// The notebooks in git are sources: no outputs, no execution counts, the tslab kernel, numerical code imported from lib/.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exercisesOf } from "../../scripts/book/exercises";
import { cellText as text } from "../../scripts/notebook-format";
import { slideType, untaggedCells } from "../../scripts/book/slides";
import { NOTEBOOKS, listNotebooks, readNotebook } from "./harness";

const chapters = listNotebooks();
/** The notation page: prose only, linked from every chapter. */
const NOTATION = "00-notation.ipynb";

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

    it("gives every cell a slide type, for its deck (see Slides in the README; not the notation page)", () => {
      if (name === NOTATION) return;
      const untagged = untaggedCells(notebook);
      expect(
        untagged,
        `cells without metadata.slideshow.slide_type: ${untagged.join(", ")}`,
      ).toEqual([]);
      const starts = notebook.cells.filter((c) => slideType(c) === "slide").length;
      expect(starts, "slides that start a section").toBeGreaterThanOrEqual(5);
    });

    it("labels every exercise with its difficulty (not the notation page)", () => {
      if (name === NOTATION) return;
      const found = exercisesOf(notebook);
      expect(found.length).toBeGreaterThanOrEqual(3);
      expect(found.map((e) => e.number)).toEqual(found.map((_, i) => i + 1));
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
      // By the package's name, as a reader who installed it writes it (a starter kit, npm), not by a path.
      expect(code).toMatch(/from "gates-to-digits"/);
      expect(code).not.toMatch(/from "\.\.?\/[^"]*lib"/);
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
    // Our dZ is his δ/n only where our per-example loss is his C_x; for the quadratic cost ℓ = 2C_x (issue 18).
    expect(page).toContain("$\\ell = 2C_x$ and row $i$ of $dZ_l$ is $2\\delta^l/n$");
    for (const name of chapters.filter((c) => c !== NOTATION)) {
      const prose = readNotebook(join(NOTEBOOKS, name))
        .cells.filter((c) => c.cell_type === "markdown")
        .map((c) => text(c.source))
        .join("\n");
      expect(prose, name).toContain("(00-notation.ipynb)");
    }
  });
});
