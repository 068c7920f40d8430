/**
 * gbdt's survival objective (gbdt.ts): the Cox partial likelihood's gradients over the training rows sorted by
 * duration once, the validation rows' loss, and the initial hessian `bin_weights: "hessian"` weighs bin edges by.
 */
import type { RowGradients } from "./parallel.js";
import { coxGradients, coxLossPerEvent, coxScratchLength, riskOrder, type CoxTies } from "../partial-likelihood.js";

/** The survival objective of a fit: the training rows' Cox gradients, the validation rows' loss. */
export interface CoxObjective {
  /** Gradients and hessians of the training rows (their risk order computed once). */
  gradients: RowGradients;
  /** Negative partial log-likelihood per event of the validation rows (their risk order computed once). */
  validationLoss: (yVal: Uint8Array, rawVal: Float64Array) => number;
}

/** Sort the training (and validation) rows by duration once, for every iteration's gradients and loss. */
export function coxObjective(
  event: Uint8Array,
  duration: Float64Array,
  eventVal: Uint8Array | null,
  durationVal: Float64Array | undefined,
  ties: CoxTies,
): CoxObjective {
  const ro = riskOrder(duration);
  const scratch = new Float64Array(coxScratchLength(ro));
  const roVal = eventVal && durationVal ? riskOrder(durationVal) : null;
  return {
    gradients: (raw, grad, hess) => coxGradients(ro, event, raw, grad, hess, scratch, ties),
    validationLoss: (yVal, rawVal) => {
      if (!roVal) throw new Error("gbdt: survival validation rows need their durations");
      return coxLossPerEvent(roVal, yVal, rawVal, ties);
    },
  };
}

/**
 * Bin weights of `bin_weights: "hessian"`, one per row of the fit's matrix (`n` rows, the training ones `trainRows`,
 * null: all): the hessian of the loss at the initial score, which is what the first tree's split gains weigh
 * rows by, and is fixed before any tree (deterministic). Survival: the Cox hessian at score 0; log loss: p(1 − p)
 * at the training prior, the same for every row. Rows outside the training ones weigh 0 (never read).
 */
export function initialHessian(
  n: number,
  trainRows: Uint32Array | null,
  yTrain: Uint8Array,
  cox: CoxObjective | null,
): Float64Array {
  const m = yTrain.length;
  const hess = new Float64Array(m);
  if (cox) cox.gradients(new Float64Array(m), new Float64Array(m), hess);
  else {
    let pos = 0;
    for (let i = 0; i < m; i++) pos += yTrain[i]!;
    hess.fill((pos / m) * (1 - pos / m));
  }
  if (!trainRows) return hess;
  const out = new Float64Array(n);
  for (let k = 0; k < m; k++) out[trainRows[k]!] = hess[k]!;
  return out;
}
