import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import {
  findMnistFiles,
  imagesToMatrix,
  labelCounts,
  loadMnist,
  type Mnist,
  parseIdx,
  readIdx,
  readImageSet,
  sliceImageSet,
} from "../../lib/src/data/mnist";

/** An IDX file of unsigned bytes with the given dimensions and values. */
function idx(dims: number[], values: number[], type = 0x08): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  const view = new DataView(header.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return Uint8Array.from([...header, ...values]);
}

const dir = mkdtempSync(join(tmpdir(), "gtd-idx-"));
function write(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

describe("IDX reader", () => {
  it("reads dimensions and values, gzipped or not", () => {
    const bytes = idx([2, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
    const parsed = parseIdx(bytes, "x");
    expect(parsed.dims).toEqual([2, 2, 3]);
    expect(Array.from(parsed.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
    const gz = readIdx(write("x-idx3-ubyte.gz", gzipSync(bytes)));
    expect(Array.from(gz.data)).toEqual(Array.from(parsed.data));
  });

  it("names the file and the problem for corrupt files", () => {
    const good = idx([3, 2, 2], new Array(12).fill(7));
    expect(() => readIdx(write("truncated", good.subarray(0, good.length - 5)))).toThrow(
      /truncated: 7 bytes of data, but dimensions 3×2×2 need 12 \(the file is truncated\)/,
    );
    expect(() => readIdx(write("trailing", Uint8Array.from([...good, 1])))).toThrow(
      /trailing: 13 bytes of data.*trailing bytes/,
    );
    const wrongMagic = Uint8Array.from(good);
    wrongMagic[0] = 0x1a;
    expect(() => readIdx(write("magic", wrongMagic))).toThrow(
      /magic: not an IDX file \(magic number 1a 00 08 03/,
    );
    expect(() => readIdx(write("float", idx([1], [0, 0, 0, 0], 0x0d)))).toThrow(
      /float: data type code 0x0d \(float32\); this reader handles unsigned bytes/,
    );
    expect(() => readIdx(write("short", Uint8Array.from([0, 0, 8])))).toThrow(
      /short: only 3 bytes/,
    );
    expect(() => readIdx(write("header", Uint8Array.from([0, 0, 8, 3, 0, 0])))).toThrow(
      /truncated header: 6 bytes, the header of 3 dimensions needs 16/,
    );
    expect(() => readIdx(write("badgz.gz", Uint8Array.from([0x1f, 0x8b, 1, 2, 3])))).toThrow(
      /badgz.gz: corrupt gzip data/,
    );
    expect(() => readIdx(join(dir, "missing"))).toThrow(/missing: no such file/);
  });

  it("checks that images and labels belong together", () => {
    const images = write("img", idx([2, 1, 2], [0, 1, 2, 3]));
    expect(readImageSet(images, write("lab", idx([2], [3, 9])))).toMatchObject({
      count: 2,
      height: 1,
      width: 2,
    });
    expect(() => readImageSet(images, write("label11", idx([2], [3, 11])))).toThrow(
      /label11: label 11 at index 1; labels must be digits 0–9/,
    );
    expect(() => readImageSet(images, write("three", idx([3], [1, 2, 3])))).toThrow(
      /img has 2 images but .*three has 3 labels/,
    );
    expect(() =>
      readImageSet(write("flat", idx([4], [0, 1, 2, 3])), write("lab2", idx([4], [0, 1, 2, 3]))),
    ).toThrow(/flat: images need 3 dimensions \(count×height×width\), got 4/);
  });

  it("finds files in a folder under their usual names, and says where it looked when they are missing", () => {
    const mnistDir = mkdtempSync(join(tmpdir(), "gtd-mnist-"));
    for (const name of [
      "train-images-idx3-ubyte.gz",
      "train-labels.idx1-ubyte",
      "t10k-images-idx3-ubyte",
      "t10k-labels-idx1-ubyte",
    ])
      writeFileSync(join(mnistDir, name), "");
    expect(findMnistFiles(mnistDir).trainImages).toBe(join(mnistDir, "train-images-idx3-ubyte.gz"));
    expect(findMnistFiles(mnistDir).trainLabels).toBe(join(mnistDir, "train-labels.idx1-ubyte"));
    expect(() => findMnistFiles(dir)).toThrow(/MNIST files not found \(looked in .*gtd-idx-/);
  });
});

describe("MNIST (the real files)", () => {
  let mnist: Mnist;
  beforeAll(() => {
    mnist = loadMnist();
  });

  it("splits 60,000 training images into 50,000 for training and 10,000 for validation, plus 10,000 test images", () => {
    expect([mnist.train.count, mnist.validation.count, mnist.test.count]).toEqual([
      50_000, 10_000, 10_000,
    ]);
    expect([mnist.train.height, mnist.train.width]).toEqual([28, 28]);
    expect(mnist.train.pixels.length).toBe(50_000 * 784);
  });

  it("has the published number of each digit", () => {
    const training = labelCounts(mnist.train).map((n, d) => n + labelCounts(mnist.validation)[d]);
    expect(training).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(labelCounts(mnist.test)).toEqual([
      980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009,
    ]);
  });

  it("scales pixels to [0, 1] when they become a matrix", () => {
    const M = imagesToMatrix(mnist.test, 0, 3);
    expect(M.shapeString).toBe("3×784");
    expect(Math.max(...M.data)).toBeCloseTo(1, 2);
    expect(Math.min(...M.data)).toBe(0);
    expect(M.get(1, 300)).toBe(mnist.test.pixels[784 + 300] / 255);
    expect(() => sliceImageSet(mnist.test, 9_999, 2)).toThrow(
      /examples 9999…10000 are outside 0…9999/,
    );
  });
});
