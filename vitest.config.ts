import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
    globalSetup: ["./test/global-setup.ts"],
    // Notebook tests start a kernel and train networks: run test files one at a time on this 2-core machine,
    // so that a chapter's runtime is its own and not its neighbour's.
    fileParallelism: false,
    // A chapter test sets its own, larger timeout for executing the notebook (runChapter's timeoutSec).
    testTimeout: 30_000,
    hookTimeout: 20 * 60_000,
  },
});
