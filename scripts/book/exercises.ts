// A chapter's exercises, for the instructor's kit: the list of them with their difficulty, and the
// exercise sheet, the chapter's notebook with every worked solution removed. Both read the chapter's
// markdown with the one scanner of exercises and solutions (../exercise-scan.ts); the README says how
// an exercise and its solution are written.
import { scanMarkdown } from "../exercise-scan";
import { cellText, type Notebook } from "../notebook-format";
import { chapterEnv, createMarkdown } from "./render";

export const DIFFICULTIES = ["easy", "medium", "hard"] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];
const LABEL = /^\*\*(\d+)\.\*\*\s*(?:\*\((\w+)\)\*)?\s*/;

export interface Exercise {
  number: number;
  difficulty: Difficulty;
  /** The exercise's paragraph without its number and label, rendered inline. */
  html: string;
}

/**
 * The exercises of a notebook, in order. Throws, naming the exercise, when one has no difficulty label
 * or an unknown one.
 */
export function exercisesOf(notebook: Notebook): Exercise[] {
  const { md } = createMarkdown();
  const state = { exercise: null };
  return notebook.cells.flatMap((cell) => {
    if (cell.cell_type !== "markdown") return [];
    return scanMarkdown(cellText(cell.source), state).exercises.map(({ paragraph }) => {
      const [label, number, difficulty] = LABEL.exec(paragraph)!;
      if (!DIFFICULTIES.includes(difficulty as Difficulty)) {
        throw new Error(
          `exercise ${number} needs a difficulty label after its number, one of ` +
            `${DIFFICULTIES.map((d) => `*(${d})*`).join(", ")} (it starts "${paragraph.slice(0, 60)}")`,
        );
      }
      const html = md.renderInline(paragraph.slice(label.length), chapterEnv());
      return { number: Number(number), difficulty: difficulty as Difficulty, html };
    });
  });
}

/**
 * A markdown text without its `<details>` blocks, the worked solutions (a line holding a tag goes with
 * the block). Runs of blank lines left behind become one.
 */
export function removeSolutions(markdown: string): string {
  return scanMarkdown(markdown)
    .lines.filter((line) => line.outsideSolutions)
    .map((line) => line.text)
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/\n+$/, "\n");
}

/**
 * The exercise sheet of a chapter (a committed notebook, no outputs): the same notebook with every
 * worked solution removed and a note at the top saying so.
 */
export function exerciseSheet(
  notebook: Notebook,
  { chapterLabel, bookPage }: { chapterLabel: string; bookPage: string },
): Notebook {
  const sheet = structuredClone(notebook);
  for (const cell of sheet.cells) {
    if (cell.cell_type !== "markdown") continue;
    const text = cellText(cell.source);
    if (!/<details\b/i.test(text)) continue;
    const lines = removeSolutions(text).replace(/\n$/, "").split("\n");
    cell.source = lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line));
  }
  sheet.cells.unshift({
    cell_type: "markdown",
    metadata: {},
    source: [
      `*Exercise sheet for ${chapterLabel}: the chapter's notebook with the worked solutions of its ` +
        `exercises removed. Run it from the top, then work the exercises at the end; the solutions ` +
        `are in the book (${bookPage}).*`,
    ],
  });
  return sheet;
}
