import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/** The book's, the slides', the print and the page runner's tests reuse the chapter tests' runs of the notebooks, so they must come after them. */
const BOOK_TEST = /[\\/]test[\\/](book[\\/](book|slides|print)|runner[\\/]runner)\.test\.ts$/;
const isBookTest = (spec: TestSpecification) => BOOK_TEST.test(spec.moduleId);

/** Vitest's own order (failed and slow files first), except that the book's browser tests run last. */
class BookLastSequencer extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((f) => !isBookTest(f)), ...sorted.filter(isBookTest)];
  }
}

export default defineConfig({
  test: {
    // Every test on the default backend (WebAssembly); the library's own tests again on the TypeScript kernels
    // (lib/src/kernels.ts), so both backends pass the whole library suite.
    projects: [
      { extends: true, test: { name: "wasm", include: ["test/**/*.test.ts"] } },
      {
        extends: true,
        test: { name: "js", include: ["test/lib/**/*.test.ts"], env: { GATES_BACKEND: "js" } },
      },
    ],
    reporters: ["default", "./test/summary-reporter.ts"],
    globalSetup: ["./test/global-setup.ts"],
    // Notebook tests start a kernel and train networks: run test files one at a time on this 2-core machine,
    // so that a chapter's runtime is its own and not its neighbour's.
    fileParallelism: false,
    // The book's test builds site/ from the chapters the chapter tests executed: it runs after them.
    sequence: { sequencer: BookLastSequencer },
    // A chapter test sets its own, larger timeout for executing the notebook (runChapter's timeoutSec).
    testTimeout: 30_000,
    hookTimeout: 20 * 60_000,
  },
});
