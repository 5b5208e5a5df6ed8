// What the book's build hands its pages, and what its tests read back: one definition of a chapter.
import type { Exercise } from "./exercises";
import type { RenderedChapter } from "./render";
import type { Deck } from "./slides";

/** scripts/book/book.json */
export interface Book {
  title: string;
  subtitle: string;
  intro: string;
  /** Who wrote it (as a citation names them) and the year of this edition. */
  authors: string;
  year: number;
  /**
   * The source repository's web address (GitHub's form: pages link to
   * `<repository>/blob/<branch>/notebooks/<name>.ipynb`). The publisher sets it; a placeholder
   * holds `OWNER`, and the build warns about it.
   */
  repository: string;
  branch: string;
  /** The text's licence (Creative Commons) and the code's (the repository's LICENSE file). */
  license: {
    text: { name: string; spdx: string; url: string };
    code: { name: string; spdx: string; file: string };
  };
  /** A chapter's one-line summary, by its name (`01-perceptron-logic-gates`). */
  summaries: Record<string, string>;
  /** The pages that are not chapters (the notation page), with their summaries, by name. */
  references: Record<string, string>;
  /** What each chapter needs: earlier chapters (by name), maths and TypeScript. */
  prerequisites: Record<string, { chapters: string[]; maths: string[]; typescript: string[] }>;
}

/** A page that is not a chapter (the notation page): no number, no learning goals, listed apart. */
export interface Reference extends RenderedChapter {
  name: string;
  title: string;
  /** Its file in the site, `00-notation.html`. */
  page: string;
  runSeconds: number;
}

/** A chapter as the build has made it: rendered, with its deck, exercises and downloads. */
export interface Chapter extends RenderedChapter {
  name: string;
  number: number;
  /** The title without "Chapter N · ". */
  title: string;
  page: string;
  runSeconds: number;
  /** Its run in build/executed/. */
  executedPath: string;
  /** Files in the site: as committed, zipped with the outputs of the run, and the exercise sheet. */
  downloads: {
    clean: string;
    withOutputs: string;
    exercises: string;
    /** The worked solutions alone; null in a site built without solutions (they go beside it). */
    answerKey: string | null;
    /** The starter kit (kit.ts): the notebook, the library's tarball, run by `npm install`, `npm start`. */
    kit: string;
  };
  deck: { page: string; slides: number; figures: number; content: Deck };
  exercises: Exercise[];
}

/** Where a site was built from: the date, the commit, the library's name and version. */
export interface BuildInfo {
  date: string;
  /** The book's edition: package.json's version. */
  version: string;
  commit: string;
  library: string;
}

/** What every page of the book is made with: the book, its chapters and reference pages, the build. */
export interface Site {
  book: Book;
  chapters: Chapter[];
  references: Reference[];
  build: BuildInfo;
  /** Whether the exercises' worked solutions are published (`--no-solutions` makes it false). */
  solutions: boolean;
  /** The whole book's PDF in the site, when built with it (`npm run book:pdf`). */
  pdf: string | null;
  /** The whole book's starter kit: every notebook of the site, with the library (kit.ts). */
  bookKit: string;
}
