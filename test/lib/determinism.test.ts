// The same seed gives bit-identical weights after training: twice in this process, and once in a fresh
// `node` process that loads the compiled library (lib/build, which the notebooks use).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as src from "../../lib/src";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * A short training run, written once as source so that this process and a fresh one run the same code:
 * a ReLU/softmax network with dropout (so the dropout masks' generator counts too), Adam, mini-batches
 * shuffled by a seeded generator. Returns the SHA-256 of every weight's float64 bytes.
 */
const TRAIN = `(lib, createHash) => {
  const data = lib.spirals(60, 3, 0.2, new lib.Random("determinism").fork("data"));
  const net = new lib.Network({
    sizes: [2, 16, 3], hidden: "relu", output: "softmax", loss: "categoricalCrossEntropy",
    init: "he", dropout: 0.2, l2: 0.001, random: new lib.Random("determinism"),
  });
  lib.fit(net, data.X, lib.oneHot(data.labels, 3), {
    epochs: 5, batchSize: 16, optimizer: new lib.Adam({ learningRate: 0.01 }),
    random: new lib.Random("determinism").fork("order"),
  });
  const hash = createHash("sha256");
  for (const p of net.parameters()) hash.update(new Uint8Array(p.value.data.buffer, p.value.data.byteOffset, p.value.data.byteLength));
  return hash.digest("hex");
}`;

// eslint-disable-next-line @typescript-eslint/no-implied-eval
const train = new Function(`return ${TRAIN}`)() as (
  lib: typeof src,
  h: typeof createHash,
) => string;

describe("determinism", () => {
  it("the same seed gives bit-identical weights, run to run and in a fresh process", () => {
    const first = train(src, createHash);
    const second = train(src, createHash);
    expect(second).toBe(first);
    const fresh = execFileSync(
      process.execPath,
      ["-e", `console.log((${TRAIN})(require("./lib/build"), require("crypto").createHash))`],
      { cwd: ROOT, encoding: "utf8" },
    ).trim();
    expect(fresh).toBe(first);
  });

  it("another seed gives other weights (the hash sees them)", () => {
    const other = TRAIN.replace(/"determinism"\)/, '"other")');
    const trainOther = new Function(`return ${other}`)() as typeof train;
    expect(trainOther(src, createHash)).not.toBe(train(src, createHash));
  });
});
