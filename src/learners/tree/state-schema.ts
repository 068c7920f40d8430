/** The schema of a `tree` (CART) model state in model.json ({@link CartState}). */
import { z } from "zod";
import { featureCountIssue, flatTreeSchema, type StateContext } from "../flat-tree-schema.js";

/** `tree` state: one flat tree whose leaves hold probabilities; `ctx` checks it against the model columns. */
export function cartStateSchema(ctx?: StateContext) {
  return z.object({ n_features: z.int().min(0), tree: flatTreeSchema("probability", ctx) }).superRefine((s, rc) => {
    const bad = featureCountIssue(s.n_features, ctx);
    if (bad) rc.addIssue({ code: "custom", path: ["n_features"], message: bad });
  });
}
