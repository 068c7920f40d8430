/**
 * Class weights for a binary target: the one computation of scikit-learn's `class_weight`,
 * shared by every family that accepts it (logreg, tree, forest).
 */

/** `null`: every row weighs 1; `"balanced"`: class c weighs n / (2·n_c); or explicit weights per class. */
export type ClassWeightOption = null | "balanced" | { "0": number; "1": number };

/**
 * Weight of the negative and positive class for 0/1 labels `y`. `"balanced"` gives class c the
 * weight n / (2·n_c), as scikit-learn; a class with no rows gets weight 1 (it has no rows to weigh,
 * and n / 0 would put Infinity, or NaN for n = 0, into the model's arithmetic).
 */
export function classWeights(y: ArrayLike<number>, cw: ClassWeightOption): [number, number] {
  if (cw === null) return [1, 1];
  if (cw !== "balanced") return [cw["0"], cw["1"]];
  let n1 = 0;
  for (let i = 0; i < y.length; i++) n1 += y[i]!;
  const n0 = y.length - n1;
  return [n0 > 0 ? y.length / (2 * n0) : 1, n1 > 0 ? y.length / (2 * n1) : 1];
}
