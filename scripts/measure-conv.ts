/**
 * Measures chapter 10's LeNet-like model ([1×28×28] → conv 5×5, 20 maps, ReLU → max-pool 2×2 → dense 100,
 * ReLU → dense 10, softmax; batches of 10, SGD) on this machine: the seconds an epoch of 50,000 MNIST
 * images would take, extrapolated from `fit` on a slice of a few hundred batches, on 1 and 2 threads
 * in interleaved rounds (so that both see the same machine); and how far the im2col + gemm gradients
 * are from the reference loops'. Not a test: a measurement, run under the shared lock:
 *
 *   flock /work/heavy.lock npx tsx scripts/measure-conv.ts [batches per run = 300] [rounds = 3] [two]
 */
import * as os from "node:os";
import {
  Conv2D,
  Random,
  SGD,
  Sequential,
  convolve,
  convolveBackward,
  fit,
  formatSpread,
  imagesToMatrix,
  loadMnist,
  oneHot,
  spreadOf,
  timeInProducts,
  withThreads,
} from "../lib/src";

const batches = Number(process.argv[2] ?? 300);
const rounds = Number(process.argv[3] ?? 3);
/** "two": Nielsen's second network instead, with a second conv-pool layer (40 maps of 5×5 over 20 channels). */
const twoConvLayers = process.argv[4] === "two";
const BATCH = 10;
const EPOCH = 50_000;

const mnist = loadMnist();
const count = batches * BATCH;
const X = imagesToMatrix(mnist.train, 0, count);
const Y = oneHot(Array.from(mnist.train.labels.subarray(0, count)), 10);

function lenet(): Sequential {
  return new Sequential({
    input: [1, 28, 28],
    layers: [
      { type: "conv2d", filters: 20, kernel: 5, activation: "relu" },
      { type: "maxPool2d" },
      ...(twoConvLayers
        ? ([
            { type: "conv2d", filters: 40, kernel: 5, activation: "relu" },
            { type: "maxPool2d" },
          ] as const)
        : []),
      { type: "flatten" },
      { type: "dense", units: 100, activation: "relu" },
      { type: "dense", units: 10, activation: "softmax" },
    ],
    random: new Random("lenet"),
  });
}

/** Seconds for one epoch of 50,000 images, from one `fit` over `count` images, and those in gemm's products. */
function epochSeconds(threads: number): number {
  return withThreads(threads, () => {
    const model = lenet();
    const optimizer = new SGD({ learningRate: 0.03 });
    const cpu = process.cpuUsage();
    const run = timeInProducts(() => fit(model, X, Y, { epochs: 1, batchSize: BATCH, optimizer }));
    const used = process.cpuUsage(cpu);
    productShare[threads].push(run.productSeconds / run.seconds);
    cpuSeconds[threads].push(((used.user + used.system) / 1e6) * (EPOCH / count));
    return run.seconds * (EPOCH / count);
  });
}
const productShare: Record<number, number[]> = { 1: [], 2: [] };
/** The process's CPU seconds (all its threads) per epoch: what the work costs, whatever else runs. */
const cpuSeconds: Record<number, number[]> = { 1: [], 2: [] };

epochSeconds(1); // warm-up: the WebAssembly module, the helpers, the JIT
epochSeconds(2);
productShare[1].length = productShare[2].length = cpuSeconds[1].length = cpuSeconds[2].length = 0;
const samples: Record<number, number[]> = { 1: [], 2: [] };
for (let r = 0; r < rounds; r++)
  for (const threads of r % 2 === 0 ? [1, 2] : [2, 1]) samples[threads].push(epochSeconds(threads));
console.log(
  `${twoConvLayers ? "Two conv-pool layers" : "LeNet-like"}, batches of ${BATCH}, ${batches} batches per run, ${rounds} interleaved rounds (load average ${os.loadavg()[0].toFixed(1)} at the end):`,
);
for (const threads of [1, 2])
  console.log(
    `  ${threads} thread(s): ${formatSpread(spreadOf(samples[threads]))} s per epoch of 50,000 (samples: ${samples[threads].map((s) => s.toFixed(1)).join(", ")})`,
  );
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`  1 thread / 2 threads: ${(median(samples[1]) / median(samples[2])).toFixed(2)}×`);
for (const threads of [1, 2])
  console.log(
    `  CPU seconds per epoch on ${threads} thread(s), all threads together: ${formatSpread(spreadOf(cpuSeconds[threads]))}`,
  );
for (const threads of [1, 2])
  console.log(
    `  share of the time in gemm's products on ${threads} thread(s): ${formatSpread(spreadOf(productShare[threads].map((s) => 100 * s)), 0)}%`,
  );

// im2col + gemm against the loops, on 10 MNIST digits and He filters.
const digits = imagesToMatrix(mnist.train, 0, 10);
const layer = new Conv2D([1, 28, 28], {
  filters: 20,
  kernel: 5,
  activation: "linear",
  random: new Random("d"),
});
const same = (a: Float64Array, b: Float64Array) => a.every((v, i) => Object.is(v, b[i]));
const Z = layer.forward(digits);
console.log(
  `forward, im2col + gemm against convolve: same bits: ${same(Z.data, convolve(digits, layer.weights, layer.bias, [1, 28, 28], 5).data)}`,
);
const dZ = new Random("dZ").normalMatrix(10, Z.cols);
const dX = layer.backward({ dA: dZ })!;
const loops = convolveBackward(digits, layer.weights, dZ, [1, 28, 28], 5);
for (const [name, ours, theirs] of [
  ["dW", layer.gradWeights.data, loops.dW.data],
  ["db", layer.gradBias.data, loops.db.data],
  ["dX", dX.data, loops.dX.data],
] as const) {
  let [worst, scale, differ] = [0, 0, 0];
  ours.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - theirs[i]));
    scale = Math.max(scale, Math.abs(theirs[i]));
    if (!Object.is(v, theirs[i])) differ++;
  });
  console.log(
    `backward ${name}: ${differ} of ${ours.length} entries differ; largest difference ${worst.toExponential(2)}, ${(worst / scale).toExponential(2)} of the largest entry`,
  );
}
