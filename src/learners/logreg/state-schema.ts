/** The schema of a `logreg` model state in model.json ({@link LogregState}). */
import { z } from "zod";
import type { StateContext } from "../flat-tree-schema.js";

/**
 * `logreg` state: finite coefficients, one per model column; `ctx` checks that count against
 * the preprocessing (a short `coef` would silently score with missing terms).
 */
export function logregStateSchema(ctx?: StateContext) {
  return z
    .object({
      coef: z.array(z.number()),
      intercept: z.number(),
      n_iter: z.int().min(0),
      converged: z.boolean(),
    })
    .superRefine(coefCountCheck(ctx));
}

/** A refinement of a linear state: one coefficient per model column (a short `coef` would score with terms missing). */
export function coefCountCheck(ctx?: StateContext) {
  return (s: { coef: number[] }, rc: z.RefinementCtx): void => {
    if (ctx && s.coef.length !== ctx.features.length) {
      rc.addIssue({
        code: "custom",
        path: ["coef"],
        message: `has ${s.coef.length} entries, but preprocessing makes ${ctx.features.length} model columns`,
      });
    }
  };
}
