// Interrupts (SIGINT), each in a fresh `node` process: SIGINT to this test's own process would stop the
// test runner. First networks/interrupt.ts on its own: runInterruptibly stops its body at once, in a plain
// call or after an await, nests, and lets other errors through. Then fit: an optimiser sends SIGINT to its
// process half-way through updating the weights, and fit must stop with TrainingInterrupted, put back the
// weights of the last completed step, and keep the completed epochs in net.history.
import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Runs `script` in a fresh node process in the project's folder and returns the JSON it prints last. */
function runNode(script: string): unknown {
  const output = execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
  return JSON.parse(output.trim().split("\n").pop()!);
}

const INTERRUPTIBLE = `
const { runInterruptibly } = require("./lib/build/networks/interrupt");
const globalsBefore = Object.getOwnPropertyNames(globalThis).length;
/** Busy until SIGINT stops it: at most 5 s, then it says so. */
function interruptedHere(label) {
  process.kill(process.pid, "SIGINT");
  const until = Date.now() + 5000;
  while (Date.now() < until) {}
  throw new Error(label + ": the interrupt did not stop the body");
}
const outcome = (body) => {
  try {
    runInterruptibly(body, () => new Error("stopped"));
    return "finished";
  } catch (e) {
    return e.message;
  }
};
const seen = {};
seen.finishes = outcome(() => {});
seen.plain = outcome(() => interruptedHere("plain"));
seen.ownError = outcome(() => { throw new Error("the body's own error"); });
seen.nested = outcome(() => {
  const inner = outcome(() => interruptedHere("inner"));
  if (inner !== "stopped") throw new Error("inner: " + inner);
  throw new Error("the outer body went on after the inner one stopped");
});
seen.noGlobals = Object.getOwnPropertyNames(globalThis).length === globalsBefore;
process.on("SIGINT", () => (seen.listenerAfterwards = true));
(async () => {
  await Promise.resolve();
  seen.afterAwait = outcome(() => interruptedHere("after await"));
  process.kill(process.pid, "SIGINT"); // outside runInterruptibly: the process's own listener again
  setTimeout(() => console.log(JSON.stringify(seen)), 50);
})();
`;

describe("runInterruptibly", () => {
  it("stops its body at once with the caller's error, after an await too, and nests", () => {
    expect(runNode(INTERRUPTIBLE)).toEqual({
      finishes: "finished",
      plain: "stopped",
      ownError: "the body's own error",
      nested: "the outer body went on after the inner one stopped",
      noGlobals: true,
      afterAwait: "stopped",
      listenerAfterwards: true,
    });
  });
});

const SCRIPT = `
const lib = require("./lib/build");
const data = lib.twoMoons(40, 0.1, new lib.Random("i").fork("d"));
const net = new lib.Network({ sizes: [2, 4, 1], random: new lib.Random("i") });
const sgd = new lib.SGD({ learningRate: 0.5 });
let steps = 0;
let before = null;
const halfway = {
  name: "halfway", learningRate: 0.5,
  step(parameters) {
    steps++;
    if (steps < 25) return sgd.step(parameters);
    before = parameters.map((p) => Array.from(p.value.data));
    sgd.step(parameters.slice(0, 2)); // half of the update...
    process.kill(process.pid, "SIGINT"); // ...then the interrupt arrives
    const until = Date.now() + 5000;
    while (Date.now() < until) {}
    throw new Error("the interrupt did not stop training");
  },
};
try {
  lib.fit(net, data.X, lib.Matrix.fromColumn(data.labels), { epochs: 10, batchSize: 4, optimizer: halfway });
  console.log(JSON.stringify({ error: "fit finished" }));
} catch (e) {
  console.log(JSON.stringify({
    name: e.name, message: e.message, printed: require("util").inspect(e),
    restored: JSON.stringify(net.parameters().map((p) => Array.from(p.value.data))) === JSON.stringify(before),
    epochs: net.history.epochs.length, sameHistory: e.history === net.history,
  }));
}
`;

it("an interrupt mid-step leaves the weights of the last completed step and the history so far", () => {
  const result = runNode(SCRIPT);
  const message =
    "fit: training interrupted in epoch 3, batch 5 of 10; the network keeps the weights of its last " +
    "completed step, and net.history has the 2 epochs completed so far (call fit again to continue from here)";
  expect(result).toEqual({
    name: "TrainingInterrupted",
    message,
    printed: message,
    restored: true,
    epochs: 2,
    sameHistory: true,
  });
});

// An interrupt while products are split between threads: fit stops as above, the helper threads are left
// asleep (the next product on 2 threads gives one thread's bits), and the process still exits on its own.
const POOL_SCRIPT = `
const lib = require("./lib/build");
const pool = require("./lib/build/backends/pool");
lib.setThreads(2);
pool.setPoolMinimumWork(0); // split every product
const rng = new lib.Random("pool-interrupt");
const X = lib.Matrix.fromFunction(2000, 784, () => (rng.uniform() < 0.8 ? 0 : rng.uniform()));
const Y = lib.oneHot(Array.from({ length: 2000 }, () => rng.int(10)), 10);
const net = new lib.Network({ sizes: [784, 256, 10], hidden: "relu", output: "softmax",
  loss: "categoricalCrossEntropy", init: "he", dropout: 0.2, random: new lib.Random("n") });
const sharesBefore = pool.sharesOnHelpers();
let result = {};
try {
  lib.fit(net, X, Y, { epochs: 50, batchSize: 64, optimizer: new lib.Adam({ learningRate: 0.001 }),
    onBatch: ({ epoch, batch }) => { if (epoch === 2 && batch === 10) process.kill(process.pid, "SIGINT"); } });
  result.error = "fit finished";
} catch (e) {
  result.name = e.name;
}
result.helpersRan = pool.sharesOnHelpers() > sharesBefore;
const a = lib.Matrix.fromFunction(64, 784, () => rng.uniform());
const b = lib.Matrix.fromFunction(256, 784, () => rng.uniform());
const one = lib.withThreads(1, () => lib.gemm(a, b, { transB: true }));
const two = lib.withThreads(2, () => lib.gemm(a, b, { transB: true }));
result.sameAfterwards = one.data.every((v, i) => Object.is(v, two.data[i]));
console.log(JSON.stringify(result));
`;

it("an interrupt while products run on two threads stops fit, and the pool works on and lets the process exit", () => {
  // execFileSync's timeout fails the test if a helper thread kept the process alive
  const output = execFileSync(process.execPath, ["-e", POOL_SCRIPT], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, GATES_BACKEND: "wasm" }, // the pool splits the WebAssembly kernels
  });
  expect(JSON.parse(output.trim().split("\n").pop()!)).toEqual({
    name: "TrainingInterrupted",
    helpersRan: true,
    sameAfterwards: true,
  });
});
