/**
 * Measuring speed, for chapter 8 and `npm run bench`: seconds per call of a function, and floating-point
 * rates. The machine's speed swings between hours, so compare figures measured side by side, never
 * with figures from another moment.
 */
import { joinPath, listFolder, processors, readText, runProgram, startTimer } from "../platform";
import {
  checkFunction,
  checkNumbers,
  checkPositive,
  checkPositiveInteger,
  rejectUnknownOptions,
} from "../core/checks";
import { runPeakLoop } from "../backends/wasm";

/**
 * Seconds per call of `fn`: a few warm-up calls (so that V8 has compiled it), then repetitions doubling
 * until one batch of them lasts at least `budget` seconds, and that batch's mean.
 */
export function secondsPerCall(fn: () => unknown, budget = 0.1): number {
  checkFunction("secondsPerCall", "fn", fn);
  checkPositive("secondsPerCall", "budget", budget);
  for (let i = 0; i < 3; i++) fn();
  for (let reps = 1; ; reps *= 2) {
    const elapsed = startTimer();
    for (let i = 0; i < reps; i++) fn();
    const seconds = elapsed();
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

/** Repeated measurements of one quantity: their median and range, and the samples themselves. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

/** The median and range of `samples` (at least one number, none NaN). */
export function spreadOf(samples: readonly number[]): Spread {
  checkNumbers("spreadOf", "samples", samples);
  if (samples.length === 0) throw new RangeError("spreadOf: samples is empty");
  if (samples.some(Number.isNaN)) throw new RangeError("spreadOf: samples holds NaN");
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], samples: [...samples] };
}

/** "9.31 (8.12–9.90)": the median, then the range, with `digits` decimals. */
export function formatSpread(spread: Spread, digits = 2): string {
  const f = (v: number) => v.toFixed(digits);
  return `${f(spread.median)} (${f(spread.min)}–${f(spread.max)})`;
}

/**
 * Times several functions side by side: `rounds` rounds, each measuring every contender once with
 * {@link secondsPerCall} in turn, so that a change in the machine's speed during the measurement
 * falls on all of them. Returns each contender's seconds per call as a {@link Spread}; sample r of
 * one contender and sample r of another come from the same round, so their ratio is a fair one
 * ({@link ratioSpread}).
 */
export function compareTimings<K extends string>(
  contenders: Record<K, () => unknown>,
  options: { rounds?: number; budget?: number } = {},
): Record<K, Spread> {
  rejectUnknownOptions("compareTimings", options, ["rounds", "budget"]);
  const { rounds = 3, budget = 0.05 } = options;
  checkPositiveInteger("compareTimings", "rounds", rounds);
  checkPositive("compareTimings", "budget", budget);
  const names = Object.keys(contenders) as K[];
  if (names.length === 0) throw new RangeError("compareTimings: contenders is empty");
  for (const name of names) checkFunction("compareTimings", `contenders.${name}`, contenders[name]);
  const samples = new Map<K, number[]>(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of names) samples.get(name)!.push(secondsPerCall(contenders[name], budget));
  }
  return Object.fromEntries(names.map((name) => [name, spreadOf(samples.get(name)!)])) as Record<
    K,
    Spread
  >;
}

/** The spread of `top[r] / bottom[r]` over the rounds of two spreads measured side by side. */
export function ratioSpread(top: Spread, bottom: Spread): Spread {
  if (top.samples.length !== bottom.samples.length)
    throw new RangeError(
      `ratioSpread: the spreads have ${top.samples.length} and ${bottom.samples.length} samples; ` +
        "pair only measurements from the same rounds",
    );
  return spreadOf(top.samples.map((t, r) => t / bottom.samples[r]));
}

/**
 * Turns a spread of seconds into one of a rate, `work / seconds` (e.g. GFLOP/s from GFLOP): the
 * fastest time gives the highest rate.
 */
export function rateSpread(work: number, seconds: Spread): Spread {
  checkPositive("rateSpread", "work", work);
  return spreadOf(seconds.samples.map((t) => work / t));
}

/**
 * GFLOP/s of the WebAssembly module's `peak` loop (kernels.wat): float64 multiplications and additions
 * in 128-bit registers, two lanes each, no fused multiply-add and no memory access. It is the ceiling
 * of every WebAssembly kernel of the library on this core, measured rather than taken from a data
 * sheet; null when the WebAssembly backend is unavailable.
 */
export function wasmPeakGflops(budget = 0.05): number | null {
  checkPositive("wasmPeakGflops", "budget", budget);
  const rounds = 200_000;
  let flop: number | null = null;
  const loop = () => (flop = runPeakLoop(rounds));
  // The first calls may run before the engine's optimising compiler has finished with the loop.
  secondsPerCall(loop, budget);
  const seconds = secondsPerCall(loop, budget);
  return flop === null ? null : flop / seconds / 1e9;
}

/** One level of the processor's cache, as the operating system describes it. */
export interface CacheLevel {
  level: number;
  /** "Data", "Instruction" or "Unified". */
  type: string;
  bytes: number;
  /** Associativity: how many lines one set holds. */
  ways: number;
  lineBytes: number;
  sets: number;
}

/**
 * The caches of the first processor core, read from Linux's /sys/devices/system/cpu/cpu0/cache (the
 * data and unified ones; instruction caches are left out), or null with the reason where the
 * system does not describe them there (macOS, Windows, some virtual machines) or cannot be read (a
 * book's page, which cannot list a folder).
 */
export function cacheLevels(folder = "/sys/devices/system/cpu/cpu0/cache"): {
  levels: CacheLevel[] | null;
  why?: string;
} {
  let entries: string[];
  try {
    entries = listFolder(folder).filter((name) => /^index\d+$/.test(name));
  } catch (error) {
    // Only a missing folder "does not exist": a page cannot list any folder and says so
    // (platform/browser.ts), which must not read as a claim about the reader's system.
    const missing = (error as { code?: unknown }).code === "ENOENT";
    return {
      levels: null,
      why: missing
        ? `${folder} does not exist (the cache sizes are read from Linux's /sys)`
        : `${(error as Error).message}, where Linux describes the caches`,
    };
  }
  const read = (entry: string, file: string) =>
    readText(joinPath(joinPath(folder, entry), file)).trim();
  const levels: CacheLevel[] = [];
  for (const entry of entries.sort()) {
    try {
      const type = read(entry, "type");
      if (type === "Instruction") continue;
      const size = /^(\d+)([KMG]?)$/.exec(read(entry, "size"));
      if (!size) throw new Error(`size is ${JSON.stringify(read(entry, "size"))}`);
      const unit = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[size[2]]!;
      levels.push({
        level: Number(read(entry, "level")),
        type,
        bytes: Number(size[1]) * unit,
        ways: Number(read(entry, "ways_of_associativity")),
        lineBytes: Number(read(entry, "coherency_line_size")),
        sets: Number(read(entry, "number_of_sets")),
      });
    } catch (error) {
      return {
        levels: null,
        why: `${folder}/${entry} could not be read (${(error as Error).message})`,
      };
    }
  }
  if (levels.length === 0) return { levels: null, why: `${folder} lists no data cache` };
  return { levels };
}

/**
 * The processor's name and which of the vector instruction sets that matter for a matrix product it
 * has (SSE2, AVX, AVX2, FMA, AVX-512 on x86; NEON on Arm), from /proc/cpuinfo's flags on Linux; the
 * extensions are null elsewhere.
 */
export function processorInfo(cpuinfo = "/proc/cpuinfo"): {
  model: string;
  cores: number;
  /** The clock the system reports for the first core, in MHz (nominal: turbo modes can exceed it); null if none. */
  megahertz: number | null;
  vectorExtensions: string[] | null;
} {
  const cpus = processors();
  const model = cpus.length > 0 ? cpus[0].model.trim() : "unknown";
  let megahertz = cpus.length > 0 && cpus[0].speed > 0 ? cpus[0].speed : null;
  let flags: Set<string> | null = null;
  try {
    const text = readText(cpuinfo);
    const line = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(text);
    if (line) flags = new Set(line[1].split(/\s+/));
    const clock = /^cpu MHz\s*:\s*([\d.]+)$/m.exec(text); // Linux on x86; often all a virtual machine gives
    if (clock) megahertz = Math.round(Number(clock[1]));
  } catch {
    flags = null;
  }
  const known: [string, string][] = [
    ["sse2", "SSE2 (128-bit)"],
    ["avx", "AVX (256-bit)"],
    ["avx2", "AVX2 (256-bit)"],
    ["fma", "FMA"],
    ["avx512f", "AVX-512 (512-bit)"],
    ["asimd", "NEON (128-bit)"],
  ];
  const vectorExtensions =
    flags === null ? null : known.filter(([flag]) => flags!.has(flag)).map(([, name]) => name);
  return { model, cores: cpus.length, megahertz, vectorExtensions };
}

/**
 * GFLOP/s of numpy's float64 matrix product `a @ b` (OpenBLAS on one thread, with the widest vectors
 * and fused multiply-adds the processor has) on square matrices of each of `sizes`, the best of three
 * calls each, in one Python process; or null, with the reason in `why`, when Debian's
 * /usr/bin/python3 has no numpy. What a tuned library achieves here: not the processor's peak.
 */
export function numpyRates(sizes: readonly number[]): { gflops: number[] | null; why?: string } {
  checkNumbers("numpyRates", "sizes", sizes);
  sizes.forEach((size, i) => checkPositiveInteger("numpyRates", `sizes[${i}]`, size));
  const code = [
    "import numpy as np, time",
    `for n in [${sizes.join(", ")}]:`,
    "    a = np.random.rand(n, n); b = np.random.rand(n, n); a @ b",
    "    reps = max(1, int(2e7 // n**3))",
    "    times = []",
    "    for _ in range(3):",
    "        t = time.perf_counter()",
    "        for _ in range(reps): a @ b",
    "        times.append((time.perf_counter() - t) / reps)",
    "    print(2 * n**3 / min(times) / 1e9)",
  ].join("\n");
  const run = runProgram("/usr/bin/python3", ["-c", code], { OPENBLAS_NUM_THREADS: "1" });
  const gflops = run.stdout.trim().split("\n").filter(Boolean).map(Number);
  if (run.status === 0 && gflops.length === sizes.length && gflops.every(Number.isFinite))
    return { gflops };
  const why = run.error
    ? `/usr/bin/python3 could not run (${run.error.message})`
    : `/usr/bin/python3 has no numpy (apt-get install python3-numpy): ${(run.stderr || "").trim().split("\n").pop()}`;
  return { gflops: null, why };
}

/**
 * GFLOP/s of numpy's float64 product on `size`×`size` matrices ({@link numpyRates}): the best a tuned
 * library reaches on this core, which `npm run bench` quotes our products against.
 */
export function numpyCeiling(size = 2048): { gflops: number | null; why?: string } {
  checkPositive("numpyCeiling", "size", size);
  const { gflops, why } = numpyRates([size]);
  return gflops === null ? { gflops: null, why } : { gflops: gflops[0] };
}
