/** Gain (mean decrease in impurity) feature importances, normalised as scikit-learn's feature_importances_. */
import type { FlatTree } from "../types.js";

/** Per-tree importances sum to 1 (when the tree has a split) and are averaged over trees. */
export function gainImportances(trees: FlatTree[], nFeatures: number): Float64Array {
  const out = new Float64Array(nFeatures);
  const per = new Float64Array(nFeatures);
  let nTrees = 0;
  for (const t of trees) {
    per.fill(0);
    let total = 0;
    for (let i = 0; i < t.feature.length; i++) {
      const f = t.feature[i]!;
      if (f >= 0) {
        per[f]! += t.gain[i]!;
        total += t.gain[i]!;
      }
    }
    nTrees++;
    if (total > 0) for (let j = 0; j < nFeatures; j++) out[j]! += per[j]! / total;
  }
  if (nTrees > 0) {
    let s = 0;
    for (let j = 0; j < nFeatures; j++) s += out[j]!;
    if (s > 0) for (let j = 0; j < nFeatures; j++) out[j]! /= s;
  }
  return out;
}
