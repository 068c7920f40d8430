/**
 * Gain (mean decrease in impurity, or loss reduction) feature importances: the one computation behind
 * the tree models' `featureImportances()` and metrics.json's `feature_importance.gain`.
 */

/** The parts of a flat tree (in memory or as stored JSON) that gain importance reads. */
export interface GainTree {
  /** Split feature per node, -1 at leaves. */
  readonly feature: ArrayLike<number>;
  /** Split gain per node, 0 at leaves. */
  readonly gain: ArrayLike<number>;
}

/**
 * Total split gain per model column over all the trees, divided by the total over all columns (so the
 * shares sum to 1; all 0 when no tree has a split). As scikit-learn's DecisionTree and GradientBoosting
 * `feature_importances_`; its RandomForest normalises each tree first, which lets a tree with little gain
 * weigh as much as one with much, so we do not.
 */
export function gainImportances(trees: readonly GainTree[], nFeatures: number): Float64Array {
  const out = new Float64Array(nFeatures);
  let total = 0;
  for (const t of trees)
    for (let i = 0; i < t.feature.length; i++) {
      const f = t.feature[i]!;
      if (f >= 0) {
        out[f]! += t.gain[i]!;
        total += t.gain[i]!;
      }
    }
  if (total > 0) for (let j = 0; j < nFeatures; j++) out[j]! /= total;
  return out;
}
