// Interrupting training through Jupyter's kernel client (scripts/interrupt_check.py): a long `fit` in a
// plain cell and one in a cell that awaits first are each interrupted after a few seconds. The kernel must
// be idle again at once, show one readable line (no stack trace), keep the completed epochs in
// net.history with finite weights, train nothing in the background, and run the next cells. A third run
// splits its products between two threads (the worker pool): it stops as fast, and the pool works on.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, findJupyterPython, jupyterEnv } from "../../scripts/jupyter-env";

interface Interrupted {
  status: string;
  stdout: string;
  stderr: string;
  secondsToIdle: number;
  after: { epochs: number; losses: number; finite: boolean };
  oneSecondLater?: { epochs: number; losses: number; finite: boolean };
}

describe("interrupting training in the kernel", () => {
  it("stops at once with one line, keeps the history and the weights, and the next cells run", () => {
    const python = findJupyterPython();
    if (!python)
      throw new Error("no Python with nbclient/jupyter_client (see README, Quick start)");
    const output = execFileSync(python, [join(ROOT, "scripts", "interrupt_check.py"), "3"], {
      env: jupyterEnv(),
      encoding: "utf8",
      timeout: 180_000,
    });
    const result = JSON.parse(output.trim().split("\n").pop()!) as {
      sync: Interrupted;
      async: Interrupted;
      pool: Interrupted & { after: { samePool: boolean } };
      nextCell: { status: string; stdout: string };
    };
    for (const [kind, run] of Object.entries({ sync: result.sync, async: result.async })) {
      console.log(
        `${kind} cell: idle ${(1000 * run.secondsToIdle).toFixed(1)} ms after the interrupt`,
      );
      expect(run.secondsToIdle, kind).toBeLessThan(1);
      expect(run.stderr.trim(), kind).toMatch(
        /^fit: training interrupted in epoch (\d+), batch \d+ of 600; the network keeps the weights of its last completed step, and net.history has the (\d+) epochs completed so far \(call fit again to continue from here\)$/,
      );
      const [, epoch, completed] = /in epoch (\d+).* has the (\d+) epochs/.exec(run.stderr)!;
      expect(Number(completed), kind).toBe(Number(epoch) - 1);
      expect(run.after, kind).toEqual({
        epochs: Number(completed),
        losses: Number(completed),
        finite: true,
      });
      expect(Number(completed), kind).toBeGreaterThan(0);
    }
    // Products split between two threads: the interrupt stops them as fast, and the pool then gives one thread's bits.
    const pool = result.pool;
    console.log(`pool cell: idle ${(1000 * pool.secondsToIdle).toFixed(1)} ms after the interrupt`);
    expect(pool.secondsToIdle).toBeLessThan(1);
    expect(pool.stderr.trim()).toMatch(
      /^fit: training interrupted in epoch (\d+), batch \d+ of 94; the network keeps the weights of its last completed step/,
    );
    expect(pool.after.finite).toBe(true);
    expect(pool.after.samePool).toBe(true);
    expect(pool.after.epochs).toBe(pool.after.losses);
    // Nothing kept training in the background after the awaiting cell was interrupted.
    expect(result.async.oneSecondLater).toEqual(result.async.after);
    expect(result.nextCell).toEqual({ status: "ok", stdout: "the next cell runs\n" });
  }, 200_000);
});
