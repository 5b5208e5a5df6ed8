// The one reader of exercises and their worked solutions in a chapter's markdown (see the README): an
// exercise is a paragraph that starts with its bold number, `**3.** *(medium)* Train AND again…`, and its
// worked solution follows in `<details><summary>Solution</summary> … </details>`, the code in fenced `ts`
// blocks. The runner (notebooks.ts) runs the solutions' code, the book lists the exercises and writes the
// exercise sheets without the solutions (book/exercises.ts): all from this scan.
//
// Line-based, following CommonMark's fence rules: a fence is a line of three or more backticks or tildes
// (indented by spaces only), closed by a line of at least as many of the same character and nothing else; a
// fence left open runs to the end of the text. `<details>` tags count only outside code (fences and inline
// code spans), blocks may nest, and one left open holds the rest of the text.

/** One outermost `<details>` block, with its fenced code blocks in order. */
export interface ScannedSolution {
  /** The exercise it belongs to: the number of the last exercise paragraph before it, or null. */
  exercise: number | null;
  blocks: { line: number; language: string; code: string }[];
}

/** One exercise paragraph: its number, its text from the number on, and its 1-based first line. */
export interface ScannedExercise {
  number: number;
  line: number;
  paragraph: string;
}

export interface MarkdownScan {
  /** Every line, and whether it stands outside every `<details>` block (a line holding a tag does not). */
  lines: { text: string; outsideSolutions: boolean }[];
  exercises: ScannedExercise[];
  solutions: ScannedSolution[];
}

const FENCE = /^( *)(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^( *)(`{3,}|~{3,})[ \t]*$/;
const EXERCISE_START = /^ {0,3}\*\*(\d+)\.\*\*/;
const DETAILS_TAG = /<(\/?)details\b[^>]*>/gi;
/** What ends a paragraph besides a blank line: a fence, a heading, an HTML block, a list item. */
const PARAGRAPH_END =
  /^ {0,3}(`{3,}|~{3,}|#{1,6}(\s|$)|<\/?(details|summary|div|p|pre|table)\b|[-*+]\s)/i;

/**
 * Scans one markdown text. `state.exercise` carries the current exercise's number from one cell to the next
 * (a solution may sit in the cell after its exercise).
 */
export function scanMarkdown(
  markdown: string,
  state: { exercise: number | null } = { exercise: null },
): MarkdownScan {
  const lines = markdown.split(/\r?\n/);
  const result: MarkdownScan = { lines: [], exercises: [], solutions: [] };
  let depth = 0; // <details> nesting
  let fence: {
    char: string;
    length: number;
    indent: number;
    line: number;
    language: string;
    code: string[];
  } | null = null;
  let current: ScannedSolution | null = null; // the outermost <details> being read
  let previousBlank = true;
  let paragraph: { exercise: ScannedExercise; lines: string[] } | null = null;

  const endParagraph = () => {
    if (paragraph) paragraph.exercise.paragraph = paragraph.lines.join("\n").trimEnd();
    paragraph = null;
  };
  const endFence = () => {
    if (fence && current)
      current.blocks.push({
        line: fence.line,
        language: fence.language,
        code: fence.code.join("\n"),
      });
    fence = null;
  };

  lines.forEach((text, i) => {
    if (fence) {
      const close = FENCE_CLOSE.exec(text);
      if (close && close[2][0] === fence.char && close[2].length >= fence.length) endFence();
      else fence.code.push(text.replace(new RegExp(`^ {0,${fence.indent}}`), ""));
      result.lines.push({ text, outsideSolutions: depth === 0 });
      previousBlank = false;
      return;
    }
    const open = FENCE.exec(text);
    if (open && !(open[2][0] === "`" && open[3].includes("`"))) {
      endParagraph();
      fence = {
        char: open[2][0],
        length: open[2].length,
        indent: open[1].length,
        line: i + 1,
        language: open[3].trim().split(/\s+/)[0].toLowerCase(),
        code: [],
      };
      result.lines.push({ text, outsideSolutions: depth === 0 });
      previousBlank = false;
      return;
    }
    const blank = text.trim() === "";
    if (blank || PARAGRAPH_END.test(text)) endParagraph();
    const exercise = EXERCISE_START.exec(text);
    if (exercise && previousBlank && depth === 0) {
      state.exercise = Number(exercise[1]);
      paragraph = { exercise: { number: state.exercise, line: i + 1, paragraph: "" }, lines: [] };
      result.exercises.push(paragraph.exercise);
    }
    if (paragraph && !blank) paragraph.lines.push(paragraph.lines.length ? text : text.trimStart());
    // Tags in the order they appear, ignoring inline code spans (`<details>` quoted in prose).
    const tags = [...text.replace(/(`+)[\s\S]*?\1/g, "").matchAll(DETAILS_TAG)];
    result.lines.push({ text, outsideSolutions: depth === 0 && tags.length === 0 });
    for (const tag of tags) {
      if (!tag[1]) {
        if (depth++ === 0) current = { exercise: state.exercise, blocks: [] };
      } else if (depth > 0 && --depth === 0) {
        result.solutions.push(current!);
        current = null;
      }
    }
    previousBlank = blank;
  });
  endParagraph();
  endFence(); // a fence left open runs to the end
  if (current) result.solutions.push(current); // so does a <details> left open
  return result;
}
