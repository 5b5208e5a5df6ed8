// The library's [784, 30, 10] network takes exactly the steps of Nielsen's network.py: from the same weights, 100
// mini-batches of 10 MNIST images through his update_mini_batch (η = 3.0, run by numpy) and through computeGradients
// + SGD (η = 1.5, since our MSE has no ½ and so twice his gradient) end with every weight within 1e-12.
//
// Needs ../shared/peers/nielsen_network.py beside the repository and Debian's python3-numpy; without either the
// test fails and says what is missing (it never skips).
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { endianness, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { Matrix, Network, Random, SGD, imagesToMatrix, loadMnist, oneHot } from "../lib/src";

const ROOT = resolve(__dirname, "..");
const PEERS = resolve(ROOT, "..", "shared", "peers");
const PYTHON = "/usr/bin/python3";
const DRIVER = join(ROOT, "scripts", "nielsen_step.py");
const SIZES = [784, 30, 10];
const EXAMPLES = 1000;
const BATCH = 10;
const BATCHES = 100;
const NIELSEN_ETA = 3.0;
const OUR_ETA = NIELSEN_ETA / 2;

const scratch = mkdtempSync(join(tmpdir(), "gtd-nielsen-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const writeFloat64 = (name: string, data: Float64Array) =>
  writeFileSync(join(scratch, name), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
function readFloat64(name: string, length: number): Float64Array {
  const bytes = readFileSync(join(scratch, name));
  if (bytes.length !== length * 8)
    throw new Error(`${name}: ${bytes.length} bytes, expected ${length} float64 values`);
  const copy = new Uint8Array(bytes); // aligned
  return new Float64Array(copy.buffer);
}
const maxAbsDiff = (a: Float64Array, b: Float64Array) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/** Throws, saying what to install or where shared/ belongs, unless network.py and numpy are there. */
function requirePeer(): void {
  if (!existsSync(join(PEERS, "nielsen_network.py"))) {
    throw new Error(
      `Nielsen's network.py is not at ${join(PEERS, "nielsen_network.py")}: this test needs the shared/ folder beside the ` +
        `repository (${resolve(ROOT, "..", "shared")}, holding peers/nielsen_network.py), as CI puts a copy of shared/ beside the clone.`,
    );
  }
  const probe = spawnSync(PYTHON, ["-c", "import numpy"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${PYTHON} cannot import numpy (${probe.error?.message ?? probe.stderr.trim().split("\n").pop()}): install Debian's python3-numpy ` +
        "(sudo apt-get install -y python3-numpy; .ci/run installs it).",
    );
  }
}

it("100 mini-batches of Nielsen's recipe end with every weight and bias within 1e-12 of network.py's", async () => {
  requirePeer();
  expect(endianness(), "the driver reads little-endian float64 bytes").toBe("LE");
  const net = new Network({ sizes: SIZES, random: new Random().fork("nielsen-equivalence") });
  const initial = net.layers.map((l) => ({
    weights: Float64Array.from(l.weights.data),
    bias: Float64Array.from(l.bias.data),
  }));
  net.layers.forEach((layer, l) => {
    expect([layer.weights.rows, layer.weights.cols, layer.bias.rows, layer.bias.cols]).toEqual([
      SIZES[l + 1],
      SIZES[l],
      1,
      SIZES[l + 1],
    ]);
    writeFloat64(`W${l + 1}.bin`, layer.weights.data);
    writeFloat64(`b${l + 1}.bin`, layer.bias.data);
  });
  const { train } = loadMnist();
  const X = imagesToMatrix(train, 0, EXAMPLES);
  const Y = oneHot(train.labels.subarray(0, EXAMPLES), 10);
  writeFloat64("X.bin", X.data);
  writeFloat64("Y.bin", Y.data);
  writeFileSync(join(scratch, "meta.json"), JSON.stringify({ sizes: SIZES, examples: EXAMPLES }));

  const started = performance.now();
  const python = promisify(execFile)(
    PYTHON,
    [DRIVER, PEERS, scratch, String(BATCHES), String(BATCH), String(NIELSEN_ETA)],
    {
      env: { ...process.env, OPENBLAS_NUM_THREADS: "1" },
    },
  ).then(
    (r) => ({ ...r, seconds: (performance.now() - started) / 1000 }),
    (error: Error & { stderr?: string }) => {
      throw new Error(
        `${PYTHON} scripts/nielsen_step.py failed: ${error.message}\n${error.stderr ?? ""}`,
      );
    },
  );

  const ours = performance.now();
  const sgd = new SGD({ learningRate: OUR_ETA });
  const rows = (M: Matrix, k: number) =>
    new Matrix(BATCH, M.cols, M.data.slice(k * BATCH * M.cols, (k + 1) * BATCH * M.cols));
  for (let k = 0; k < BATCHES; k++) {
    net.computeGradients(rows(X, k), rows(Y, k));
    sgd.step(net.parameters());
  }
  const oursSeconds = (performance.now() - ours) / 1000;
  const { seconds } = await python;

  let maxDiff = 0;
  let maxMoved = 0;
  net.layers.forEach((layer, l) => {
    const theirs = {
      weights: readFloat64(`W${l + 1}.out.bin`, layer.weights.data.length),
      bias: readFloat64(`b${l + 1}.out.bin`, layer.bias.data.length),
    };
    for (const key of ["weights", "bias"] as const) {
      const diff = maxAbsDiff(layer[key].data, theirs[key]);
      expect(diff, `layer ${l + 1} ${key}: max |ours − network.py's|`).toBeLessThan(1e-12);
      maxDiff = Math.max(maxDiff, diff);
      maxMoved = Math.max(maxMoved, maxAbsDiff(layer[key].data, initial[l][key]));
    }
  });
  console.log(
    `Nielsen equivalence after ${BATCHES} mini-batches of ${BATCH}: max |ours − network.py's| = ${maxDiff.toExponential(2)} ` +
      `over ${net.parameters().reduce((n, p) => n + p.value.data.length, 0)} parameters; max change from the start ${maxMoved.toFixed(4)}; ` +
      `ours ${oursSeconds.toFixed(2)} s, network.py ${seconds.toFixed(2)} s (with Python's start-up)`,
  );
  // Not vacuous: the steps moved the weights far more than the tolerance.
  expect(maxMoved).toBeGreaterThan(1e-3);
}, 120_000);
