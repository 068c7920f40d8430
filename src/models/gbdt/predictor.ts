/**
 * Prediction of a boosted ensemble on raw (un-binned) values: baseline + sum of tree outputs.
 * Leaf values already include the learning rate, so no scaling happens here.
 */
import { includesSorted } from "../trees/flat.js";
import type { FlatTree, Matrix } from "../types.js";

/** Raw scores (log-odds) of every row of `X`. */
export function predictEnsemble(trees: readonly FlatTree[], baseline: number, X: Matrix): Float64Array {
  const out = new Float64Array(X.nRows).fill(baseline);
  const cols = X.columns;
  for (const t of trees) {
    const { feature, threshold, catLeft, missingLeft, left, right, value } = t;
    for (let r = 0; r < X.nRows; r++) {
      let i = 0;
      let f = feature[0]!;
      while (f >= 0) {
        const x = cols[f]![r]!;
        let goLeft: boolean;
        if (x !== x) goLeft = missingLeft[i] === 1;
        else {
          const cats = catLeft[i];
          goLeft = cats ? includesSorted(cats, x) : x <= threshold[i]!;
        }
        i = goLeft ? left[i]! : right[i]!;
        f = feature[i]!;
      }
      out[r]! += value[i]!;
    }
  }
  return out;
}
