// An interrupt that lands in the middle of an optimiser step: in a fresh `node` process (SIGINT to this
// test's own process would stop the test runner), an optimiser sends SIGINT to its process half-way
// through updating the weights. fit must stop with TrainingInterrupted, put back the weights of the last
// completed step, and keep the completed epochs in net.history.
import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

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
  const result = JSON.parse(
    execFileSync(process.execPath, ["-e", SCRIPT], { cwd: ROOT, encoding: "utf8" }),
  );
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
