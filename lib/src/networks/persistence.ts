/**
 * Saving a trained network and loading it back, exactly: `saveNetwork(net, "best.json")`,
 * `loadNetwork("best.json")`.
 *
 * The file is JSON (format version 1):
 *
 *   {
 *     "format": "from-gates-to-digits/network", "version": 1, "library": "0.1.0",
 *     "sizes": [784, 30, 10], "hidden": "sigmoid", "output": "softmax",
 *     "loss": "categoricalCrossEntropy", "init": "normal", "l2": 0, "dropout": 0,
 *     "layers": [ { "weights": { "rows": 30, "cols": 784, "float64": "…" }, "bias": { … } }, … ]
 *   }
 *
 * Each matrix's entries are its row-major float64 values as little-endian bytes in base64, so every
 * weight comes back bit for bit (decimal text would round some of them). Saving writes a temporary file
 * beside the target and renames it over the target, so that a crash never leaves a half-written model;
 * loading checks the format, version, names, shapes and values and names the first thing that is wrong.
 */
import { fromBase64, readText, toBase64, writeTextAtomically } from "../platform";
import { checkString, describeValue } from "../core/checks";
import { Matrix, entryPosition } from "../core/matrix";
import { Network, type NetworkOptions } from "./network";

export const NETWORK_FORMAT = "from-gates-to-digits/network";
export const NETWORK_FORMAT_VERSION = 1;

/** A matrix in a saved network: its shape and its float64 entries, little-endian, in base64. */
export interface SavedMatrix {
  rows: number;
  cols: number;
  float64: string;
}

/** A network as saved: everything that `new Network(…)` needs, and every weight. */
export interface SavedNetwork {
  format: typeof NETWORK_FORMAT;
  version: number;
  /** The version of this library that saved it. */
  library: string;
  sizes: number[];
  hidden: string;
  output: string;
  loss: string;
  init: string;
  l2: number;
  dropout: number;
  layers: Array<{ weights: SavedMatrix; bias: SavedMatrix }>;
}

/** The library's version, which a saved file records. */
export function libraryVersion(): string {
  // lib/package.json, one folder above both lib/src and lib/build.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../../package.json") as { version: string }).version;
}

function encodeMatrix(M: Matrix): SavedMatrix {
  const bytes = new Uint8Array(M.data.length * 8);
  const view = new DataView(bytes.buffer);
  M.data.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return { rows: M.rows, cols: M.cols, float64: toBase64(bytes) };
}

/** The network as a plain object, ready for JSON. */
export function networkToJson(net: Network): SavedNetwork {
  if (!(net instanceof Network))
    throw new TypeError(`saveNetwork: net must be a Network, got ${describeValue(net)}`);
  const hiddenLayers = net.layers.slice(0, -1);
  return {
    format: NETWORK_FORMAT,
    version: NETWORK_FORMAT_VERSION,
    library: libraryVersion(),
    sizes: [...net.sizes],
    hidden: hiddenLayers[0]?.activation ?? "sigmoid",
    output: net.layers[net.layers.length - 1].activation,
    loss: net.loss.name,
    init: net.init,
    l2: net.l2,
    dropout: hiddenLayers[0]?.dropout ?? 0,
    layers: net.layers.map((layer) => ({
      weights: encodeMatrix(layer.weights),
      bias: encodeMatrix(layer.bias),
    })),
  };
}

/**
 * Writes `net` to `file` as JSON: first to a temporary file beside it, then renamed over `file`, so that
 * the file is either the old one or the complete new one, never half of it.
 */
export function saveNetwork(net: Network, file: string): void {
  checkString("saveNetwork", "file", file);
  const json = JSON.stringify(networkToJson(net));
  try {
    writeTextAtomically(file, json);
  } catch (error) {
    throw new Error(`saveNetwork: cannot write ${file} (${(error as Error).message})`);
  }
}

/**
 * Reads a network written by `saveNetwork`; an error names the file and the first thing wrong with it.
 * In a page, `file` is a name saved earlier in the page, a URL, or a File the reader picked.
 */
export function loadNetwork(file: string | Blob): Network {
  if (typeof Blob === "undefined" || !(file instanceof Blob))
    checkString("loadNetwork", "file", file);
  const name = typeof file === "string" ? file : ((file as { name?: string }).name ?? "the file");
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    throw new Error(`loadNetwork: cannot read ${name} (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `loadNetwork: ${name} is not JSON, or was cut short (${(error as Error).message})`,
    );
  }
  return networkFromJson(parsed, `loadNetwork: ${name}`);
}

/** The network described by `saved` (as `networkToJson` makes it), after checking every part of it. */
export function networkFromJson(saved: unknown, owner = "networkFromJson"): Network {
  const s = saved as SavedNetwork;
  if (s === null || typeof s !== "object" || Array.isArray(s))
    throw new Error(`${owner}: expected a saved network (a JSON object), got ${describeValue(s)}`);
  if (s.format !== NETWORK_FORMAT)
    throw new Error(
      `${owner}: format is ${describeValue(s.format)}, expected "${NETWORK_FORMAT}" (not a network saved by saveNetwork)`,
    );
  if (s.version !== NETWORK_FORMAT_VERSION)
    throw new Error(
      `${owner}: format version ${describeValue(s.version)}; this library (${libraryVersion()}) reads version ${NETWORK_FORMAT_VERSION}`,
    );
  let net: Network;
  try {
    const { sizes, hidden, output, loss, init, l2, dropout } = s;
    net = new Network({ sizes, hidden, output, loss, init, l2, dropout } as NetworkOptions);
  } catch (error) {
    throw new Error(`${owner}: ${(error as Error).message}`);
  }
  if (!Array.isArray(s.layers) || s.layers.length !== net.layers.length)
    throw new Error(
      `${owner}: layers has ${Array.isArray(s.layers) ? s.layers.length : describeValue(s.layers)} entries, the sizes need ${net.layers.length}`,
    );
  net.layers.forEach((layer, l) => {
    decodeInto(layer.weights, s.layers[l]?.weights, `${owner}: layers[${l}].weights`);
    decodeInto(layer.bias, s.layers[l]?.bias, `${owner}: layers[${l}].bias`);
  });
  return net;
}

/** Checks a saved matrix against the shape `target` has and copies its values into it. */
function decodeInto(target: Matrix, saved: SavedMatrix | undefined, what: string): void {
  if (saved === null || typeof saved !== "object" || typeof saved.float64 !== "string")
    throw new Error(`${what} must be { rows, cols, float64 }, got ${describeValue(saved)}`);
  if (saved.rows !== target.rows || saved.cols !== target.cols)
    throw new Error(
      `${what} is ${saved.rows}×${saved.cols}, the layer sizes need ${target.shapeString}`,
    );
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(saved.float64))
    throw new Error(`${what}: float64 is not base64`);
  const bytes = fromBase64(saved.float64);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length !== target.data.length * 8)
    throw new Error(
      `${what} has ${bytes.length} bytes, a ${target.shapeString} matrix needs ${target.data.length * 8}`,
    );
  for (let i = 0; i < target.data.length; i++) {
    const v = view.getFloat64(i * 8, true);
    if (!Number.isFinite(v))
      throw new Error(
        `${what} has ${v} at ${entryPosition(target, i)}: a saved network must be finite`,
      );
    target.data[i] = v;
  }
}
