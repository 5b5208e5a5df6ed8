// Ends a test run with one plain line, "tests: N passed, N failed, N skipped", that CI reads regardless of the runner.
import type { Reporter } from "vitest/reporters";

type Task = { type: string; mode?: string; result?: { state?: string }; tasks?: Task[] };

export default class SummaryReporter implements Reporter {
  onFinished(files: Task[] = [], errors: unknown[] = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const visit = (task: Task) => {
      if (task.tasks) task.tasks.forEach(visit);
      if (task.type !== "test") return;
      const state = task.result?.state;
      if (state === "pass") counts.passed++;
      else if (state === "fail") counts.failed++;
      else counts.skipped++;
    };
    files.forEach(visit);
    // A file that failed to load, or a failing hook, has no failed test in it but must still fail the count.
    const brokenFiles = files.filter(
      (f) => f.result?.state === "fail" && !f.tasks?.some((t) => t.result?.state === "fail"),
    ).length;
    counts.failed += brokenFiles + errors.length;
    console.log(
      `\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
    );
  }
}
