/**
 * Data augmentation (chapter 10): more training examples made from the ones there are. Nielsen expands
 * MNIST with copies shifted by one pixel up, down, left and right (five times the data, stored). Here
 * the shifts are made on the fly: `fit`'s `augment` hook gives each example of each batch one of the five
 * versions (unshifted, up, down, left, right), drawn from a seeded generator, so every epoch sees new
 * variations of the 50,000 images and nothing is stored. Over five epochs an image is seen, on average,
 * once in each version: five of these epochs cost what one of Nielsen's expanded epochs does.
 *
 *   fit(model, X, Y, { ..., augment: shiftImages({ shape: [1, 28, 28], random: new Random("shifts") }) })
 */
import { rejectUnknownOptions } from "../core/checks";
import { Matrix, checkMatrix } from "../core/matrix";
import { Random, checkRandom } from "../core/random";
import { checkImageShape, imageShapeString, imageSize, type ImageShape } from "./conv";

/** The five versions of an image, as [rows down, columns right] the content moves: none, up, down, left, right. */
export const PIXEL_SHIFTS: readonly (readonly [number, number])[] = [
  [0, 0],
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
];

/**
 * Moves the content of image `index` of X (a row of C·H·W entries) by `dy` rows down and `dx` columns
 * right, one pixel at most each way, in place: what leaves the picture is lost, what comes in is 0.
 */
export function shiftImage(
  X: Matrix,
  index: number,
  shape: ImageShape,
  dy: number,
  dx: number,
): void {
  const [C, H, W] = shape;
  const d = X.data;
  for (let c = 0; c < C; c++) {
    const map = index * X.cols + c * H * W; // where this channel's map starts
    if (dy === -1) d.copyWithin(map, map + W, map + H * W).fill(0, map + (H - 1) * W, map + H * W);
    if (dy === 1) d.copyWithin(map + W, map, map + (H - 1) * W).fill(0, map, map + W);
    for (let y = 0; y < H && dx !== 0; y++) {
      const row = map + y * W;
      if (dx === -1) d.copyWithin(row, row + 1, row + W).fill(0, row + W - 1, row + W);
      else d.copyWithin(row + 1, row, row + W - 1).fill(0, row, row + 1);
    }
  }
}

/**
 * A batch hook for `fit`'s `augment` option: each image of the batch becomes one of the five versions of
 * `PIXEL_SHIFTS`, chosen uniformly by `random` (one draw per image). Seeded, so a run is reproducible.
 */
export function shiftImages(options: { shape: ImageShape; random: Random }): (X: Matrix) => void {
  rejectUnknownOptions("shiftImages", options, ["shape", "random"]);
  const { shape, random } = options;
  checkImageShape("shiftImages", "shape", shape);
  checkRandom("shiftImages", "random", random);
  if (shape[1] < 2 || shape[2] < 2)
    throw new RangeError(`shiftImages: ${imageShapeString(shape)} images are too small to shift`);
  const image: ImageShape = [shape[0], shape[1], shape[2]];
  return (X: Matrix) => {
    checkMatrix("shiftImages", "X", X);
    if (X.cols !== imageSize(image))
      throw new Error(
        `shiftImages: the batch has ${X.cols} entries per example, ${imageShapeString(image)} images have ${imageSize(image)}`,
      );
    for (let r = 0; r < X.rows; r++) {
      const [dy, dx] = PIXEL_SHIFTS[random.int(PIXEL_SHIFTS.length)];
      shiftImage(X, r, image, dy, dx);
    }
  };
}
