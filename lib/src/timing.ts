/**
 * Measuring speed, for chapter 8 and `npm run bench`: seconds per call of a function, and floating-point
 * rates. The machine's speed swings between hours, so compare figures measured side by side, never
 * with figures from another moment.
 */
import { spawnSync } from "child_process";
import { checkFunction, checkPositive } from "./checks";

/**
 * Seconds per call of `fn`: a few warm-up calls (so that V8 has compiled it), then repetitions doubling
 * until one batch of them lasts at least `budget` seconds, and that batch's mean.
 */
export function secondsPerCall(fn: () => unknown, budget = 0.1): number {
  checkFunction("secondsPerCall", "fn", fn);
  checkPositive("secondsPerCall", "budget", budget);
  for (let i = 0; i < 3; i++) fn();
  for (let reps = 1; ; reps *= 2) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (seconds >= budget) return seconds / reps;
  }
}

/**
 * GFLOP/s of an m×k by k×n matrix product that took `seconds`: it does m·n·k multiply-adds, counted as
 * 2 floating-point operations each, whether or not a kernel skipped some (then it is an effective rate).
 */
export function productGflops(m: number, k: number, n: number, seconds: number): number {
  checkPositive("productGflops", "seconds", seconds);
  return (2 * m * k * n) / seconds / 1e9;
}

/**
 * The machine's ceiling for a float64 matrix product: GFLOP/s of numpy's `a @ b` (OpenBLAS on one thread,
 * with the widest vectors and fused multiply-adds the processor has) on `size`×`size` matrices, the best
 * of three; or null, with the reason in `why`, when Debian's /usr/bin/python3 has no numpy.
 */
export function numpyCeiling(size = 2048): { gflops: number | null; why?: string } {
  checkPositive("numpyCeiling", "size", size);
  const code = [
    "import numpy as np, time",
    `a = np.random.rand(${size}, ${size}); b = np.random.rand(${size}, ${size}); a @ b`,
    "times = []",
    "for _ in range(3):",
    "    t = time.perf_counter(); a @ b; times.append(time.perf_counter() - t)",
    `print(2 * ${size}**3 / min(times) / 1e9)`,
  ].join("\n");
  const run = spawnSync("/usr/bin/python3", ["-c", code], {
    encoding: "utf8",
    env: { ...process.env, OPENBLAS_NUM_THREADS: "1" },
  });
  const gflops = Number(run.stdout);
  if (run.status === 0 && run.stdout.trim() !== "" && Number.isFinite(gflops)) return { gflops };
  const why = run.error
    ? `/usr/bin/python3 could not run (${run.error.message})`
    : `/usr/bin/python3 has no numpy (apt-get install python3-numpy): ${(run.stderr || "").trim().split("\n").pop()}`;
  return { gflops: null, why };
}
