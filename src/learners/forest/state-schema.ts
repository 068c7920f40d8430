/** The schema of a `forest` model state in model.json ({@link ForestState}). */
import { z } from "zod";
import { featureCountIssue, flatTreeSchema, type StateContext } from "../flat-tree-schema.js";

/** `forest` state: at least one flat tree of leaf probabilities; `ctx` checks the trees against the model columns. */
export function forestStateSchema(ctx?: StateContext) {
  return z
    .object({
      n_features: z.int().min(0),
      oob_auc: z.number().min(0).max(1).nullable(),
      trees: z.array(flatTreeSchema("probability", ctx)).min(1),
    })
    .superRefine((s, rc) => {
      const bad = featureCountIssue(s.n_features, ctx);
      if (bad) rc.addIssue({ code: "custom", path: ["n_features"], message: bad });
    });
}
