import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  fit,
  loadNetwork,
  Matrix,
  Network,
  NETWORK_FORMAT,
  networkFromJson,
  networkToJson,
  oneHot,
  Random,
  saveNetwork,
  SGD,
  type SavedNetwork,
} from "../../lib/src";

const dir = mkdtempSync(join(tmpdir(), "gtd-save-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const random = new Random("save");
const X = random.normalMatrix(40, 4);
const labels = Array.from({ length: 40 }, (_, i) => i % 3);
function trained(): Network {
  const net = new Network({
    sizes: [4, 6, 3],
    hidden: "tanh",
    output: "softmax",
    loss: "categoricalCrossEntropy",
    init: "xavier",
    l2: 0.01,
    dropout: 0.1,
    random: new Random("net"),
  });
  fit(net, X, oneHot(labels, 3), {
    epochs: 3,
    batchSize: 8,
    optimizer: new SGD({ learningRate: 0.3 }),
    random: new Random("order"),
  });
  return net;
}
const file = (name: string) => join(dir, name);
/** A saved network, changed by `tamper`, written as `name`. */
function tampered(name: string, tamper: (saved: SavedNetwork) => void): string {
  const saved = networkToJson(trained());
  tamper(saved);
  writeFileSync(file(name), JSON.stringify(saved));
  return file(name);
}

describe("saveNetwork and loadNetwork", () => {
  it("round-trip exactly: every weight and every prediction bit-identical", () => {
    const net = trained();
    saveNetwork(net, file("net.json"));
    const back = loadNetwork(file("net.json"));
    expect(back.describe()).toBe(net.describe());
    expect(back.init).toBe("xavier");
    expect(back.layers.map((l) => l.dropout)).toEqual(net.layers.map((l) => l.dropout));
    net.layers.forEach((layer, l) => {
      expect(back.layers[l].weights.data).toEqual(layer.weights.data);
      expect(back.layers[l].bias.data).toEqual(layer.bias.data);
    });
    expect(Array.from(back.predict(X).data)).toEqual(Array.from(net.predict(X).data));
  });

  it("writes a documented JSON format with the library's version", () => {
    saveNetwork(trained(), file("format.json"));
    const saved = JSON.parse(readFileSync(file("format.json"), "utf8"));
    expect(saved).toMatchObject({
      format: NETWORK_FORMAT,
      version: 1,
      library: "0.1.0",
      sizes: [4, 6, 3],
      hidden: "tanh",
      output: "softmax",
      loss: "categoricalCrossEntropy",
      init: "xavier",
      l2: 0.01,
      dropout: 0.1,
    });
    expect(saved.layers[0].weights).toMatchObject({ rows: 6, cols: 4 });
  });

  it("keeps values decimal text would round, such as 0.1 + 0.2 and the smallest subnormal", () => {
    const net = new Network([1, 2]);
    net.layers[0].weights.data.set([0.1 + 0.2, 5e-324]);
    const back = networkFromJson(JSON.parse(JSON.stringify(networkToJson(net))));
    expect(Array.from(back.layers[0].weights.data)).toEqual([0.1 + 0.2, 5e-324]);
  });

  it("writes through a temporary file and a rename: no temporary file is left, an old file is replaced", () => {
    saveNetwork(new Network([2, 1]), file("replace.json"));
    saveNetwork(trained(), file("replace.json"));
    expect(loadNetwork(file("replace.json")).sizes).toEqual([4, 6, 3]);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("makes a missing folder, as a chapter saving into ../build/ on a fresh clone needs", () => {
    saveNetwork(trained(), join(dir, "new-folder", "inner", "net.json"));
    expect(loadNetwork(join(dir, "new-folder", "inner", "net.json")).sizes).toEqual([4, 6, 3]);
  });

  it("says so when the target cannot be written, and leaves nothing behind", () => {
    writeFileSync(file("a-file.json"), "{}"); // a file where the folder would be
    expect(() => saveNetwork(trained(), join(file("a-file.json"), "net.json"))).toThrow(
      /^saveNetwork: cannot write .*a-file\.json.*net\.json/,
    );
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  const broken: Array<[string, () => string, RegExp]> = [
    [
      "a truncated file",
      () => {
        saveNetwork(trained(), file("whole.json"));
        const text = readFileSync(file("whole.json"), "utf8");
        writeFileSync(file("truncated.json"), text.slice(0, text.length / 2));
        return file("truncated.json");
      },
      /truncated\.json is not JSON, or was cut short/,
    ],
    [
      "a file that is not JSON",
      () => (writeFileSync(file("text.json"), "weights: 1, 2, 3"), file("text.json")),
      /text\.json is not JSON/,
    ],
    [
      "JSON that is not a network",
      () => (writeFileSync(file("array.json"), "[1, 2]"), file("array.json")),
      /expected a saved network \(a JSON object\), got an array of 2/,
    ],
    [
      "another format",
      () => tampered("format.json", (s) => ((s as { format: string }).format = "keras")),
      /format is "keras" \(a string\), expected "from-gates-to-digits\/network"/,
    ],
    [
      "a wrong version",
      () => tampered("version.json", (s) => (s.version = 2)),
      /format version 2; this library \(0\.1\.0\) reads version 1/,
    ],
    [
      "a tampered shape",
      () => tampered("shape.json", (s) => (s.layers[0].weights.rows = 5)),
      /layers\[0\]\.weights is 5×4, the layer sizes need 6×4/,
    ],
    [
      "tampered sizes",
      () => tampered("sizes.json", (s) => (s.sizes = [4, 7, 3])),
      /layers\[0\]\.weights is 6×4, the layer sizes need 7×4/,
    ],
    [
      "a missing layer",
      () => tampered("layers.json", (s) => s.layers.pop()),
      /layers has 1 entries, the sizes need 2/,
    ],
    [
      "too few bytes",
      () =>
        tampered(
          "bytes.json",
          (s) => (s.layers[1].bias.float64 = s.layers[1].bias.float64.slice(0, 8)),
        ),
      /layers\[1\]\.bias has 6 bytes, a 1×3 matrix needs 24/,
    ],
    [
      "a NaN weight",
      () =>
        tampered("nan.json", (s) => {
          const bytes = Buffer.from(s.layers[0].weights.float64, "base64");
          bytes.writeDoubleLE(NaN, 8 * 5);
          s.layers[0].weights.float64 = bytes.toString("base64");
        }),
      /layers\[0\]\.weights has NaN at \(1, 1\): a saved network must be finite/,
    ],
    [
      "weights as decimal numbers",
      () =>
        tampered(
          "numbers.json",
          (s) => ((s.layers[0] as unknown as { weights: number[] }).weights = [1, 2]),
        ),
      /layers\[0\]\.weights must be \{ rows, cols, float64 \}, got an array of 2/,
    ],
    [
      "an unknown activation",
      () => tampered("activation.json", (s) => (s.hidden = "swish")),
      /loadNetwork: .*activation\.json: Network: hidden: unknown activation "swish"/,
    ],
    [
      "an unknown loss",
      () => tampered("loss.json", (s) => (s.loss = "hinge")),
      /unknown loss "hinge"/,
    ],
    ["a missing file", () => file("missing.json"), /loadNetwork: cannot read .*missing\.json/],
  ];

  it.each(broken)("refuses %s, naming the file and the first problem", (_what, make, message) => {
    expect(() => loadNetwork(make())).toThrow(message);
  });

  it("refuses to save what is not a network", () => {
    expect(() => saveNetwork({} as never, file("x.json"))).toThrow(
      /saveNetwork: net must be a Network/,
    );
    expect(() => saveNetwork(trained(), 5 as never)).toThrow(/saveNetwork: file must be a string/);
  });
});

describe("a loaded network keeps training where it stopped", () => {
  it("one more epoch after loading gives the same weights as one more epoch without saving", () => {
    const more = (net: Network) =>
      fit(net, X, oneHot(labels, 3), {
        epochs: 1,
        batchSize: 8,
        optimizer: new SGD({ learningRate: 0.3 }),
        random: new Random("more"),
      });
    const original = trained();
    saveNetwork(original, file("continue.json"));
    const loaded = loadNetwork(file("continue.json"));
    // Dropout draws from each network's own generator: give both the same one.
    for (const net of [original, loaded])
      (net as unknown as { random: Random }).random = new Random("drop");
    more(original);
    more(loaded);
    expect(loaded.layers[0].weights.data).toEqual(original.layers[0].weights.data);
    expect(Matrix.fromRow(loaded.layers[1].bias.data).data).toEqual(original.layers[1].bias.data);
  });
});
