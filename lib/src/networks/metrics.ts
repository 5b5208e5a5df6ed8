/** Measures of a classifier: accuracy, the confusion matrix, and one-hot targets. */
import { checkNumbers, checkPositiveInteger } from "../core/checks";
import { Matrix, assertFinite, checkDataMatrix } from "../core/matrix";

function checkLabels(values: ArrayLike<number>, classes: number, what: string): void {
  const [owner, name] = what.split(": ");
  checkNumbers(owner, `${name}s`, values);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= classes)
      throw new Error(`${what}: ${v} at index ${i} is not a class in 0…${classes - 1}`);
  }
}

/**
 * The class each row of network outputs (or one-hot targets) stands for: the arg-max column, or, for a
 * single output unit, 1 when the output is ≥ 0.5. An output that is NaN or ±Infinity stands for no
 * class: it is refused with its row and column (class 0 would be a silent wrong answer).
 */
export function classesOf(P: Matrix): number[] {
  checkDataMatrix("classesOf", "P", P);
  return P.cols === 1 ? Array.from(P.data, (p) => (p >= 0.5 ? 1 : 0)) : P.argmaxRows();
}

/** One row per label with a 1 in the label's column: the targets of a softmax network. */
export function oneHot(labels: ArrayLike<number>, classes: number): Matrix {
  checkPositiveInteger("oneHot", "classes", classes);
  checkLabels(labels, classes, "oneHot: label");
  const Y = Matrix.zeros(labels.length, classes);
  for (let i = 0; i < labels.length; i++) Y.data[i * classes + labels[i]] = 1;
  return Y;
}

/** Fraction of predictions equal to their labels. */
export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkNumbers("accuracy", "predicted", predicted);
  checkNumbers("accuracy", "labels", labels);
  assertFinite(predicted, "accuracy: predicted");
  assertFinite(labels, "accuracy: labels");
  if (predicted.length !== labels.length)
    throw new Error(`accuracy: ${predicted.length} predictions for ${labels.length} labels`);
  if (labels.length === 0) throw new Error("accuracy: no labels");
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

/** counts[t][p]: how many examples of true class t were predicted as class p. */
export function confusionMatrix(
  predicted: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes: number,
): number[][] {
  checkNumbers("confusionMatrix", "predicted", predicted);
  checkNumbers("confusionMatrix", "labels", labels);
  checkPositiveInteger("confusionMatrix", "classes", classes);
  if (predicted.length !== labels.length)
    throw new Error(`confusionMatrix: ${predicted.length} predictions for ${labels.length} labels`);
  checkLabels(labels, classes, "confusionMatrix: label");
  checkLabels(predicted, classes, "confusionMatrix: prediction");
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) counts[labels[i]][predicted[i]]++;
  return counts;
}
