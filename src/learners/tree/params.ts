/**
 * Hyperparameter pieces shared by the `tree` and `forest` families (zod schemas and
 * their interpretation), named and defaulted as in scikit-learn.
 */
import { z } from "zod";
import { classWeights } from "../class-weights.js";

/**
 * `null`: every row weighs 1; `"balanced"`: class c weighs n / (2·n_c);
 * `{0: w0, 1: w1}`: explicit weights of the negative and positive class.
 */
export const classWeightSchema = z
  .union([
    z.null(),
    z.literal("balanced"),
    z
      .object({
        /** Weight of each negative (non-churn) row. */
        "0": z.number().positive(),
        /** Weight of each positive (churn) row. */
        "1": z.number().positive(),
      })
      .strict(),
  ])
  .default(null);
/** A checked `class_weight` (see {@link classWeightSchema}). */
export type ClassWeight = z.output<typeof classWeightSchema>;

/**
 * Features tried at each split: `"sqrt"` / `"log2"` of the feature count, a fraction in (0, 1),
 * an integer count >= 1, or `null` for all features. (JavaScript cannot tell 1 from 1.0, so
 * 1 means one feature; use null for all.)
 */
export const maxFeaturesSchema = z.union([
  z.enum(["sqrt", "log2"]),
  z.number().int().min(1),
  z.number().gt(0).lt(1),
  z.null(),
]);
/** A checked `max_features` (see {@link maxFeaturesSchema}); {@link resolveMaxFeatures} turns it into a count. */
export type MaxFeatures = z.output<typeof maxFeaturesSchema>;

/** The impurity measure of tree splits: "gini" (Gini impurity) or "entropy" (information gain). */
export const criterionSchema = z.enum(["gini", "entropy"]);

/** Number of features to evaluate per split (at least 1, at most nFeatures), as scikit-learn. */
export function resolveMaxFeatures(mf: MaxFeatures, nFeatures: number): number {
  let k: number;
  if (mf === null) k = nFeatures;
  else if (mf === "sqrt") k = Math.floor(Math.sqrt(nFeatures));
  else if (mf === "log2") k = Math.floor(Math.log2(nFeatures));
  else if (Number.isInteger(mf)) k = mf;
  else k = Math.floor(mf * nFeatures);
  return Math.min(nFeatures, Math.max(1, k));
}

/** Check the labels are 0/1 and match the matrix; returns per-row class weights. */
export function rowWeights(y: Uint8Array, nRows: number, cw: ClassWeight): Float64Array {
  if (y.length !== nRows) throw new Error(`y has ${y.length} labels but the matrix has ${nRows} rows`);
  if (nRows === 0) throw new Error("cannot fit a tree on 0 rows");
  const [c0, c1] = classWeights(y, cw);
  const w = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    const v = y[i]!;
    if (v !== 0 && v !== 1) throw new Error(`y[${i}] is ${v}; labels must be 0 or 1`);
    w[i] = v === 1 ? c1 : c0;
  }
  return w;
}

/** Check a matrix has the feature count a model was trained on. */
export function checkFeatureCount(nRowsCols: number, expected: number, family: string): void {
  if (nRowsCols !== expected) throw new Error(`${family} model expects ${expected} feature columns, got ${nRowsCols}`);
}
