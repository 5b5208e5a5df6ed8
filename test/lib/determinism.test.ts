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

/**
 * fit's loop works in matrices each layer keeps from batch to batch (Network.backpropagate with reuse);
 * computeGradients allocates fresh ones. Replaying fit's shuffles, batches and steps by hand with
 * computeGradients must give the same bits in every weight: the buffers change where numbers are
 * written, never which operations run on which values in which order.
 */
describe("fit's reused buffers", () => {
  const setUps: [string, Partial<src.NetworkOptions>][] = [
    [
      "ReLU + dropout + L2, softmax + cross-entropy",
      {
        hidden: "relu",
        output: "softmax",
        loss: "categoricalCrossEntropy",
        init: "he",
        dropout: 0.3,
        l2: 0.001,
      },
    ],
    ["sigmoid + dropout, mean squared error", { hidden: "sigmoid", dropout: 0.2 }],
    [
      "tanh, sigmoid + binary cross-entropy",
      {
        hidden: "tanh",
        output: "sigmoid",
        loss: "binaryCrossEntropy",
        init: "xavier",
      },
    ],
  ];

  for (const [name, options] of setUps) {
    it(`give the bits of a hand-written loop of computeGradients (${name}, short last batch)`, () => {
      const data = src.spirals(35, 3, 0.2, new src.Random("reuse").fork("data")); // 105 rows
      const Y = src.oneHot(data.labels, 3);
      const make = () =>
        new src.Network({ sizes: [2, 12, 9, 3], random: new src.Random("reuse"), ...options });
      const [batchSize, epochs] = [16, 3]; // 6 full batches and one of 9 rows per epoch
      const fitted = make();
      src.fit(fitted, data.X, Y, {
        epochs,
        batchSize,
        optimizer: new src.Adam({ learningRate: 0.01 }),
        random: new src.Random("reuse").fork("order"),
      });

      const byHand = make();
      const optimizer = new src.Adam({ learningRate: 0.01 });
      const random = new src.Random("reuse").fork("order");
      const n = data.X.rows;
      const order = Uint32Array.from({ length: n }, (_, i) => i);
      const rows = (M: src.Matrix, from: number, count: number) =>
        src.Matrix.fromArray(Array.from(order.subarray(from, from + count), (r) => [...M.row(r)]));
      for (let epoch = 0; epoch < epochs; epoch++) {
        random.shuffle(order);
        for (let start = 0; start < n; start += batchSize) {
          const count = Math.min(batchSize, n - start);
          byHand.computeGradients(rows(data.X, start, count), rows(Y, start, count), {
            trainingSize: n,
          });
          optimizer.step(byHand.parameters());
        }
      }

      const [a, b] = [fitted.parameters(), byHand.parameters()];
      let compared = 0;
      for (let p = 0; p < a.length; p++)
        a[p].value.data.forEach((w, i) => {
          if (!Object.is(w, b[p].value.data[i]))
            throw new Error(`${a[p].name}[${i}]: fit ${w}, by hand ${b[p].value.data[i]}`);
          compared++;
        });
      expect(compared).toBe(2 * 12 + 12 + 12 * 9 + 9 + 9 * 3 + 3);
      expect(fitted.parameters()[0].value.data[0]).not.toBe(make().parameters()[0].value.data[0]);
    });
  }
});
