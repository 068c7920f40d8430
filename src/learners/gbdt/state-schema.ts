/** The schema of a `gbdt` model state in model.json ({@link GbdtState}). */
import { z } from "zod";
import { featureCountIssue, flatTreeSchema, type StateContext } from "../flat-tree-schema.js";

/**
 * `gbdt` state: a finite baseline and flat trees of finite raw-score increments, `n_iter` of
 * them; `ctx` checks the trees and `feature_kinds` against the model columns.
 */
export function gbdtStateSchema(ctx?: StateContext) {
  return z
    .object({
      version: z.literal(1),
      baseline: z.number(),
      objective: z.literal("cox").optional(),
      learning_rate: z.number().gt(0),
      n_iter: z.int().min(0),
      n_features: z.int().min(0),
      feature_kinds: z.array(z.enum(["numeric", "categorical"])),
      trees: z.array(flatTreeSchema("score", ctx)),
      validation_loss: z.array(z.number()).nullable(),
    })
    .superRefine((s, rc) => {
      const bad = featureCountIssue(s.n_features, ctx);
      if (bad) rc.addIssue({ code: "custom", path: ["n_features"], message: bad });
      if (s.trees.length !== s.n_iter) {
        rc.addIssue({
          code: "custom",
          path: ["n_iter"],
          message: `${s.n_iter}, but there are ${s.trees.length} trees`,
        });
      }
      if (s.feature_kinds.length !== s.n_features) {
        rc.addIssue({
          code: "custom",
          path: ["feature_kinds"],
          message: `has ${s.feature_kinds.length} entries, n_features is ${s.n_features}`,
        });
      }
      const k = ctx?.features.findIndex((f, j) => f.kind !== s.feature_kinds[j]) ?? -1;
      if (k >= 0 && k < s.feature_kinds.length) {
        rc.addIssue({
          code: "custom",
          path: ["feature_kinds", k],
          message: `"${s.feature_kinds[k]}", but model column ${k} is ${ctx!.features[k]!.kind}`,
        });
      }
    });
}
