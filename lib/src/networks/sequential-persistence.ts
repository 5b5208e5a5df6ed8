/**
 * Saving a `Sequential` model and loading it back, exactly, as persistence.ts does for `Network`:
 * `saveSequential(model, "lenet.json")`, `loadSequential("lenet.json")`.
 *
 * The file is JSON (format version 1): what `new Sequential(…)` needs, and every parameter in the order
 * of `model.parameters()`, each as its row-major float64 values, little-endian bytes in base64:
 *
 *   {
 *     "format": "from-gates-to-digits/sequential", "version": 1, "library": "0.1.0",
 *     "input": [1, 28, 28], "layers": [ { "type": "conv2d", "filters": 20, "kernel": 5, … }, … ],
 *     "loss": "categoricalCrossEntropy", "init": "he", "l2": 0,
 *     "parameters": [ { "name": "W1", "rows": 20, "cols": 25, "float64": "…" }, … ]
 *   }
 */
import { fromBase64, readText, toBase64, writeTextAtomically } from "../platform";
import { checkString, describeValue } from "../core/checks";
import { type Matrix, entryPosition } from "../core/matrix";
import { libraryVersion } from "./persistence";
import { type LayerSpec, Sequential, type SequentialOptions } from "./sequential";

export const SEQUENTIAL_FORMAT = "from-gates-to-digits/sequential";
export const SEQUENTIAL_FORMAT_VERSION = 1;

export interface SavedSequential {
  format: typeof SEQUENTIAL_FORMAT;
  version: number;
  library: string;
  input: number | number[];
  layers: LayerSpec[];
  loss: string;
  init: string;
  l2: number;
  parameters: { name: string; rows: number; cols: number; float64: string }[];
}

/** The model as a plain object, ready for JSON. */
export function sequentialToJson(model: Sequential): SavedSequential {
  if (!(model instanceof Sequential))
    throw new TypeError(`saveSequential: model must be a Sequential, got ${describeValue(model)}`);
  const input = model.shapes[0];
  return {
    format: SEQUENTIAL_FORMAT,
    version: SEQUENTIAL_FORMAT_VERSION,
    library: libraryVersion(),
    input: input.length === 1 ? input[0] : [...input],
    layers: model.specs.map((spec) => ({ ...spec })),
    loss: model.loss.name,
    init: model.init,
    l2: model.l2,
    parameters: model.parameters().map(({ name, value }) => {
      const bytes = new Uint8Array(value.data.length * 8);
      const view = new DataView(bytes.buffer);
      value.data.forEach((v, i) => view.setFloat64(i * 8, v, true)); // little-endian
      return { name, rows: value.rows, cols: value.cols, float64: toBase64(bytes) };
    }),
  };
}

/** Writes `model` to `file` as JSON, through a temporary file renamed over it (never half a file). */
export function saveSequential(model: Sequential, file: string): void {
  checkString("saveSequential", "file", file);
  const json = JSON.stringify(sequentialToJson(model));
  try {
    writeTextAtomically(file, json);
  } catch (error) {
    throw new Error(`saveSequential: cannot write ${file} (${(error as Error).message})`);
  }
}

/** Reads a model written by `saveSequential`; an error names the file and the first thing wrong with it. */
export function loadSequential(file: string): Sequential {
  checkString("loadSequential", "file", file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readText(file));
  } catch (error) {
    throw new Error(`loadSequential: cannot read ${file} as JSON (${(error as Error).message})`);
  }
  return sequentialFromJson(parsed, `loadSequential: ${file}`);
}

/** The model `saved` describes (as `sequentialToJson` makes it), after checking every part of it. */
export function sequentialFromJson(saved: unknown, owner = "sequentialFromJson"): Sequential {
  const s = saved as SavedSequential;
  if (s === null || typeof s !== "object" || Array.isArray(s))
    throw new Error(`${owner}: expected a saved model (a JSON object), got ${describeValue(s)}`);
  if (s.format !== SEQUENTIAL_FORMAT)
    throw new Error(
      `${owner}: format is ${describeValue(s.format)}, expected "${SEQUENTIAL_FORMAT}" (not a model saved by saveSequential)`,
    );
  if (s.version !== SEQUENTIAL_FORMAT_VERSION)
    throw new Error(
      `${owner}: format version ${describeValue(s.version)}; this library reads version ${SEQUENTIAL_FORMAT_VERSION}`,
    );
  let model: Sequential;
  try {
    const { input, layers, loss, init, l2 } = s;
    model = new Sequential({ input, layers, loss, init, l2 } as SequentialOptions);
  } catch (error) {
    throw new Error(`${owner}: ${(error as Error).message}`);
  }
  const parameters = model.parameters();
  if (!Array.isArray(s.parameters) || s.parameters.length !== parameters.length)
    throw new Error(
      `${owner}: parameters has ${Array.isArray(s.parameters) ? s.parameters.length : describeValue(s.parameters)} entries, the layers need ${parameters.length}`,
    );
  parameters.forEach(({ name, value }, i) =>
    decodeInto(value, s.parameters[i], `${owner}: parameters[${i}] (${name})`),
  );
  return model;
}

/** Checks a saved matrix against `target`'s shape and copies its values into it. */
function decodeInto(
  target: Matrix,
  saved: SavedSequential["parameters"][number],
  what: string,
): void {
  if (saved === null || typeof saved !== "object" || typeof saved.float64 !== "string")
    throw new Error(`${what} must be { name, rows, cols, float64 }, got ${describeValue(saved)}`);
  if (saved.rows !== target.rows || saved.cols !== target.cols)
    throw new Error(
      `${what} is ${saved.rows}×${saved.cols}, the layers need ${target.shapeString}`,
    );
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(saved.float64))
    throw new Error(`${what}: float64 is not base64`);
  const bytes = fromBase64(saved.float64);
  if (bytes.length !== target.data.length * 8)
    throw new Error(
      `${what} has ${bytes.length} bytes, ${target.shapeString} needs ${target.data.length * 8}`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < target.data.length; i++) {
    const v = view.getFloat64(i * 8, true);
    if (!Number.isFinite(v))
      throw new Error(
        `${what} has ${v} at ${entryPosition(target, i)}: a saved model must be finite`,
      );
    target.data[i] = v;
  }
}
