/**
 * Prediction of a boosted ensemble on raw (un-binned) values: baseline + sum of tree outputs.
 * Leaf values already include the learning rate, so no scaling happens here.
 */
import { accumulateTree } from "../../core/flat-tree.js";
import type { FlatTree, Matrix } from "../../core/types.js";

/** Raw scores (log-odds) of every row of `X`. Routing is core/flat-tree's, shared with tree and forest. */
export function predictEnsemble(trees: readonly FlatTree[], baseline: number, X: Matrix): Float64Array {
  const out = new Float64Array(X.nRows).fill(baseline);
  for (const t of trees) accumulateTree(t, X, out);
  return out;
}
