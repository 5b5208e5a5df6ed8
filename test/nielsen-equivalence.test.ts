// The library's [784, 30, 10] network takes exactly the steps of Nielsen's algorithm: from the same weights, 100
// mini-batches of 10 MNIST images through his per-example backpropagation (η = 3.0, in numpy) and through
// computeGradients + SGD (η = 1.5, since our MSE has no ½ and so twice his gradient) end with every weight within
// 1e-12.
//
// His algorithm runs as the project's own reference (scripts/nielsen_reference.py, written from his equations), and
// also as his own network.py where ../shared/peers/nielsen_network.py exists beside the repository (as on CI); the
// test says which ran. It needs numpy in a Python found as Jupyter's is ($PYTHON, Jupyter's own, python3 on PATH,
// /usr/bin/python3); without one it fails and says what to install (it never skips).
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { endianness, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { Matrix, Network, Random, SGD, imagesToMatrix, loadMnist, oneHot } from "../lib/src";
import { findPython } from "../scripts/jupyter-env";

const ROOT = resolve(__dirname, "..");
const PEERS = resolve(ROOT, "..", "shared", "peers");
const HAS_NETWORK_PY = existsSync(join(PEERS, "nielsen_network.py"));
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

/** A Python with numpy, or an error saying what to install. */
function requireNumpy(): string {
  const python = findPython(["numpy"]);
  if (!python) {
    throw new Error(
      "no Python with numpy was found ($PYTHON, Jupyter's Python, python3 on PATH, /usr/bin/python3): install " +
        "numpy (Debian/Ubuntu: sudo apt-get install -y python3-numpy; elsewhere: pip install numpy), or set " +
        "PYTHON=/path/to/python3 to one that has it.",
    );
  }
  return python;
}

it("100 mini-batches of Nielsen's recipe end with every weight and bias within 1e-12 of his algorithm's", async () => {
  const PYTHON = requireNumpy();
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
    [
      DRIVER,
      scratch,
      String(BATCHES),
      String(BATCH),
      String(NIELSEN_ETA),
      ...(HAS_NETWORK_PY ? ["--peer", PEERS] : []),
    ],
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
  const { seconds, stdout } = await python;
  const { ran } = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { ran: string[] };
  expect(ran, "what scripts/nielsen_step.py ran").toEqual(
    HAS_NETWORK_PY ? ["reference", "network_py"] : ["reference"],
  );

  const oursOf = (l: number, key: "weights" | "bias") => net.layers[l][key].data;
  const theirs = (who: string, l: number, key: "weights" | "bias") =>
    readFloat64(`${key === "weights" ? "W" : "b"}${l + 1}.${who}.bin`, oursOf(l, key).length);
  const largest = (
    who: string,
    other: (l: number, key: "weights" | "bias") => Float64Array,
    label = "ours",
  ) => {
    let diff = 0;
    net.layers.forEach((_, l) => {
      for (const key of ["weights", "bias"] as const) {
        const d = maxAbsDiff(other(l, key), theirs(who, l, key));
        expect(d, `layer ${l + 1} ${key}: max |${label} − ${who}'s|`).toBeLessThan(1e-12);
        diff = Math.max(diff, d);
      }
    });
    return diff;
  };
  const diffs = ran.map((who) => `${who} ${largest(who, oursOf).toExponential(2)}`);
  if (HAS_NETWORK_PY) {
    const againstHis = largest("network_py", (l, key) => theirs("reference", l, key), "reference");
    diffs.push(`reference vs network_py ${againstHis.toExponential(2)}`);
  }
  let maxMoved = 0;
  net.layers.forEach((layer, l) => {
    for (const key of ["weights", "bias"] as const)
      maxMoved = Math.max(maxMoved, maxAbsDiff(layer[key].data, initial[l][key]));
  });
  console.log(
    `Nielsen equivalence after ${BATCHES} mini-batches of ${BATCH}, ran ${ran.join(" and ")} with ${PYTHON}` +
      `${HAS_NETWORK_PY ? "" : ` (${join(PEERS, "nielsen_network.py")} is absent: his own code was not run)`}: ` +
      `max |ours − theirs| ${diffs.join(", ")} over ${net.parameters().reduce((n, p) => n + p.value.data.length, 0)} parameters; ` +
      `max change from the start ${maxMoved.toFixed(4)}; ours ${oursSeconds.toFixed(2)} s, Python ${seconds.toFixed(2)} s (with its start-up)`,
  );
  // Not vacuous: the steps moved the weights far more than the tolerance.
  expect(maxMoved).toBeGreaterThan(1e-3);
}, 120_000);
