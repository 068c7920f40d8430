/** The schema of a `cox` model state in model.json ({@link CoxState}). */
import { z } from "zod";
import type { StateContext } from "../flat-tree-schema.js";
import { coefCountCheck } from "../logreg/state-schema.js";

/**
 * `cox` state: finite coefficients, one per model column; `ctx` checks that count against the preprocessing
 * (a short `coef` would silently score with missing terms).
 */
export function coxStateSchema(ctx?: StateContext) {
  return z
    .object({
      coef: z.array(z.number()),
      log_partial_likelihood: z.number(),
      n_iter: z.int().min(0),
      converged: z.boolean(),
    })
    .superRefine(coefCountCheck(ctx));
}
