// A chapter's exercises, for the instructor's kit: the list of them with their difficulty, and the
// exercise sheet, the chapter's notebook with every worked solution removed. Both read the chapter's
// markdown with the one scanner of exercises and solutions (../exercise-scan.ts); the README says how
// an exercise and its solution are written.
import { scanMarkdown } from "../exercise-scan";
import { cellText, type Cell, type MarkdownCell, type Notebook } from "../notebook-format";
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

/** A markdown cell with `text` (split into Jupyter's lines), its id unique in the notebook. */
function markdownCell(text: string, id: string, tags: string[] = []): MarkdownCell {
  return { cell_type: "markdown", id, metadata: tags.length ? { tags } : {}, source: lines(text) };
}

function lines(text: string): string[] {
  const all = text.replace(/\n$/, "").split("\n");
  return all.map((line, i) => (i < all.length - 1 ? `${line}\n` : line));
}

/** Lines joined, runs of blank lines made one, no blank lines at either end. */
function tidy(textLines: string[]): string {
  return textLines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * A markdown cell's text cut where each exercise starts (and where a heading after it starts
 * something else), without its solutions: the text before the first exercise, then each exercise's
 * part. Parts left empty by removing a solution are dropped.
 */
function partsAtExercises(
  text: string,
  state: { exercise: number | null },
): { text: string; exercise: number | null }[] {
  const scan = scanMarkdown(text, state);
  const starts = new Set(scan.exercises.map((e) => e.line - 1));
  const parts: { text: string[]; exercise: number | null }[] = [{ text: [], exercise: null }];
  scan.lines.forEach((line, i) => {
    const exercise = scan.exercises.find((e) => e.line - 1 === i);
    if (starts.has(i)) parts.push({ text: [], exercise: exercise!.number });
    else if (/^ {0,3}#{1,6}\s/.test(line.text) && parts.at(-1)!.exercise !== null)
      parts.push({ text: [], exercise: null });
    if (line.outsideSolutions) parts.at(-1)!.text.push(line.text);
  });
  return parts
    .map((part) => ({ text: tidy(part.text), exercise: part.exercise }))
    .filter((part) => part.text !== "");
}

/**
 * The exercise sheet of a chapter (a committed notebook, no outputs): the same notebook with every
 * worked solution removed, and after each exercise a cell "Your answer:" and an empty code cell
 * (both tagged `answer`), with a note at the top. `bookPage` names where the worked solutions
 * are (the book's page), or is left out when they are not published (`--no-solutions`): the note
 * then says nothing of them.
 */
export function exerciseSheet(
  notebook: Notebook,
  { chapterLabel, bookPage }: { chapterLabel: string; bookPage?: string },
): Notebook {
  const sheet = structuredClone(notebook);
  const state = { exercise: null };
  sheet.cells = notebook.cells.flatMap((cell, index): Cell[] => {
    if (cell.cell_type !== "markdown") return [structuredClone(cell)];
    const text = cellText(cell.source);
    const parts = partsAtExercises(text, state);
    if (parts.length === 1 && parts[0].exercise === null && !/<details\b/i.test(text))
      return [structuredClone(cell)];
    const id = cell.id ?? `cell-${index + 1}`;
    return parts.flatMap((part, i): Cell[] => {
      const partId = i === 0 ? id : `${id}-${i}`;
      const prose: MarkdownCell = { ...markdownCell(part.text, partId), metadata: cell.metadata };
      if (part.exercise === null) return [prose];
      return [
        prose,
        markdownCell("*Your answer:*", `${partId}-answer`, ["answer"]),
        {
          cell_type: "code",
          id: `${partId}-answer-code`,
          metadata: { tags: ["answer"] },
          source: [],
          outputs: [],
          execution_count: null,
        },
      ];
    });
  });
  // Without published solutions the note does not mention them at all.
  const what = bookPage
    ? "the chapter's notebook without the worked solutions of its exercises"
    : "the chapter's notebook, to work its exercises in";
  const where = bookPage ? ` The worked solutions are in the book (${bookPage}).` : "";
  // The sheet imports the library by name, like the chapter: the chapter's starter kit provides it.
  const run =
    " To run it, put it in the folder of the chapter's starter kit (a download on the chapter's " +
    "page, with the library and the kernel) and open it there after `npm install` and `npm start`.";
  sheet.cells.unshift(
    markdownCell(
      `*Exercise sheet for ${chapterLabel}: ${what}. Run it from the top, then work the ` +
        `exercises at the end, each in the empty cells after it.${where}${run}*`,
      "exercise-sheet-note",
    ),
  );
  return sheet;
}

/**
 * The notebook without its worked solutions, cell for cell (a cell left empty stays, so that cells
 * keep their places): what a site built with `--no-solutions` shows and offers for download.
 */
export function withoutSolutions(notebook: Notebook): Notebook {
  const copy = structuredClone(notebook);
  for (const cell of copy.cells) {
    if (cell.cell_type !== "markdown") continue;
    const text = cellText(cell.source);
    if (/<details\b/i.test(text)) cell.source = lines(removeSolutions(text));
  }
  return copy;
}

/** Each worked solution's markdown without its `<details>`/`<summary>` wrapper, by exercise. */
export function solutionsOf(notebook: Notebook): { exercise: number | null; markdown: string }[] {
  const state = { exercise: null };
  const found: { exercise: number | null; markdown: string }[] = [];
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "markdown") continue;
    const scan = scanMarkdown(cellText(cell.source), state);
    // The lines inside solutions, cut into blocks where one outermost block ends and the next
    // starts; scan.solutions lists the same blocks in the same order.
    const blocks: string[][] = [];
    let previousInside = false;
    let depth = 0;
    for (const line of scan.lines) {
      const inside = !line.outsideSolutions;
      if (inside && (!previousInside || depth === 0)) blocks.push([]);
      if (inside) blocks.at(-1)!.push(line.text);
      const tags = inside
        ? line.text.replace(/(`+)[\s\S]*?\1/g, "").matchAll(/<(\/?)details\b/gi)
        : [];
      for (const tag of tags) depth = Math.max(0, depth + (tag[1] ? -1 : 1));
      previousInside = inside;
    }
    blocks.forEach((block, i) => {
      const markdown = block
        .join("\n")
        .replace(/^\s*<details\b[^>]*>\s*(<summary\b[^>]*>[\s\S]*?<\/summary>)?/i, "")
        .replace(/<\/details>\s*$/i, "")
        .trim();
      found.push({ exercise: scan.solutions[i]?.exercise ?? null, markdown });
    });
  }
  return found;
}

/**
 * The answer key of a chapter: a notebook of its exercises, each followed by its worked solution and
 * nothing else, for the instructor (a separate download of the kit).
 */
export function answerKey(
  notebook: Notebook,
  { chapterLabel }: { chapterLabel: string },
): Notebook {
  const solutions = solutionsOf(notebook);
  const cells: Cell[] = [
    markdownCell(
      `# Answer key: ${chapterLabel}\n\n*The worked solutions of the chapter's exercises, for the ` +
        `instructor. The code in them runs in the chapter's notebook, after its last cell.*`,
      "answer-key",
    ),
  ];
  for (const exercise of exercisesMarkdown(notebook)) {
    const worked = solutions.filter((s) => s.exercise === exercise.number);
    const answer = worked.length
      ? worked.map((s) => s.markdown).join("\n\n")
      : "*(no worked solution in the chapter)*";
    cells.push(
      markdownCell(exercise.paragraph, `exercise-${exercise.number}`),
      markdownCell(`**Solution.**\n\n${answer}`, `solution-${exercise.number}`, ["solution"]),
    );
  }
  return { ...structuredClone(notebook), cells };
}

/** The exercises' paragraphs as written (markdown), in order. */
function exercisesMarkdown(notebook: Notebook): { number: number; paragraph: string }[] {
  const state = { exercise: null };
  return notebook.cells.flatMap((cell) =>
    cell.cell_type === "markdown" ? scanMarkdown(cellText(cell.source), state).exercises : [],
  );
}
