/**
 * Choosing the decision threshold on validation predictions: the one that maximises F1, or
 * the one that maximises the expected profit of a retention campaign.
 *
 * Expected profit of contacting every customer at or above the threshold:
 *   Σ over contacted churners     (success_rate · value_saved − offer_cost)
 * + Σ over contacted non-churners (− offer_cost)
 * Customers below the threshold cost and earn nothing.
 */

/** Retention economics (config `model.economics`). */
export interface Economics {
  /** Value of keeping a customer who would have churned (e.g. margin over a year). */
  value_saved: number;
  /** Cost of one retention offer, paid for every contacted customer. */
  offer_cost: number;
  /** Share of contacted churners whom the offer keeps, 0..1. */
  success_rate: number;
}

/**
 * How {@link chooseThreshold} picks the decision threshold (config `model.threshold`): a fixed probability,
 * the best validation F1, or the most expected retention profit.
 */
export type ThresholdRule =
  | {
      /** Use `value` as it is. */
      rule: "fixed";
      /** The threshold, a probability in (0, 1). */
      value: number;
    }
  | {
      /** The validation threshold with the best F1. */
      rule: "f1";
    }
  | {
      /** The validation threshold with the highest expected profit under `economics`. */
      rule: "profit";
      /** What a saved customer is worth and what an offer costs. */
      economics: Economics;
    };

/** The decision threshold stored in model.json, with the rule that chose it. */
export interface ChosenThreshold {
  /** Rows with a probability at or above this are predicted to churn. */
  value: number;
  /** The rule that chose it (see {@link ThresholdRule}). */
  rule: "fixed" | "f1" | "profit";
  /** With the profit rule: expected profit on the validation rows at the chosen threshold, and per contacted customer. */
  expected_profit?: number;
  /** With the profit rule: the economics it was computed with. */
  economics?: Economics;
  /** Validation F1 at the chosen threshold. */
  f1?: number;
}

/** Candidate thresholds: the distinct scores, best first, with tp/fp counts at or above each. */
function sweep(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  visit: (threshold: number, tp: number, fp: number, pos: number) => void,
): void {
  const idx = Int32Array.from({ length: y.length }, (_, i) => i).sort((a, b) => p[b]! - p[a]! || a - b);
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i]!;
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < idx.length;) {
    const s = p[idx[k]!]!;
    while (k < idx.length && p[idx[k]!] === s) {
      if (y[idx[k]!]) tp++;
      else fp++;
      k++;
    }
    visit(s, tp, fp, pos);
  }
}

/** Pick the threshold by `rule` from validation labels and probabilities. */
export function chooseThreshold(y: ArrayLike<number>, p: ArrayLike<number>, rule: ThresholdRule): ChosenThreshold {
  if (rule.rule === "fixed") return { value: rule.value, rule: "fixed" };
  let best = -Infinity;
  let value = 0.5;
  let bestF1 = 0;
  if (rule.rule === "f1") {
    sweep(y, p, (th, tp, fp, pos) => {
      const f1 = pos + tp + fp === 0 ? 0 : (2 * tp) / (pos + tp + fp);
      if (f1 > best) {
        best = f1;
        value = th;
        bestF1 = f1;
      }
    });
    return { value: clampThreshold(value), rule: "f1", f1: bestF1 };
  }
  const e = rule.economics;
  const gain = e.success_rate * e.value_saved - e.offer_cost;
  sweep(y, p, (th, tp, fp, pos) => {
    const profit = tp * gain - fp * e.offer_cost;
    if (profit > best) {
      best = profit;
      value = th;
      bestF1 = (2 * tp) / (pos + tp + fp);
    }
  });
  // Contacting nobody earns 0: if no threshold beats that, contact nobody (threshold above every score).
  if (best <= 0) return { value: 1 - 1e-12, rule: "profit", expected_profit: 0, economics: e, f1: 0 };
  return { value: clampThreshold(value), rule: "profit", expected_profit: best, economics: e, f1: bestF1 };
}

/** Keep thresholds strictly inside (0, 1), as config validation requires. */
const clampThreshold = (t: number): number => Math.min(1 - 1e-12, Math.max(1e-12, t));
