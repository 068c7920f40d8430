/**
 * Split criteria for binary classification trees, on weighted class counts.
 * Functions return impurity times the node weight (W·I), so that a split's score is
 * simply `I(left) + I(right)` and its gain `I(node) − I(left) − I(right)`: the
 * weighted impurity decrease that scikit-learn's feature_importances_ sums.
 */

/** 0 = gini, 1 = entropy (a number so hot loops can branch on it cheaply). */
export type CriterionCode = 0 | 1;

/** The numeric code of a criterion name, for the split search's hot loops. */
export function criterionCode(name: "gini" | "entropy"): CriterionCode {
  return name === "entropy" ? 1 : 0;
}

/** W·gini = W·(1 − p0² − p1²) = 2·w0·w1 / W. */
export function weightedGini(w0: number, w1: number): number {
  const w = w0 + w1;
  return w > 0 ? (2 * w0 * w1) / w : 0;
}

/** x·log2(x), with 0·log 0 = 0. */
function xlog2(x: number): number {
  return x > 0 ? x * Math.log2(x) : 0;
}

/** W·entropy in bits (as scikit-learn): W·log2 W − w0·log2 w0 − w1·log2 w1. */
export function weightedEntropy(w0: number, w1: number): number {
  return xlog2(w0 + w1) - xlog2(w0) - xlog2(w1);
}

/** W·impurity under the chosen criterion. */
export function weightedImpurity(w0: number, w1: number, criterion: CriterionCode): number {
  return criterion === 1 ? weightedEntropy(w0, w1) : weightedGini(w0, w1);
}
