/**
 * The shape of one scored row, shared by `ChurnModel.predict` (API), `churnkit predict` (CSV and
 * JSON lines) and the server's POST /predict: the model's id column(s) present in the input (in
 * the model's order; a missing value is null), then `churn_probability`, then `churn_prediction`
 * (probability >= threshold).
 */
import { dict } from "../utils/dict.js";

/** One scored row: id columns, churn_probability, churn_prediction. */
export interface Prediction {
  /** The input's identifier columns, copied as they came (null when missing). */
  [id: string]: unknown;
  /** Probability that the customer churns, 0 to 1. */
  churn_probability: number;
  /** Whether `churn_probability` is at or above the model's decision threshold (or the one asked for). */
  churn_prediction: boolean;
}

/** The two columns every prediction has, after the id columns. */
export const SCORE_COLUMNS = ["churn_probability", "churn_prediction"] as const;

/** The model's id columns that the input has, in the model's order. */
export function presentIdColumns(idColumns: readonly string[], has: (column: string) => boolean): string[] {
  return idColumns.filter(has);
}

/**
 * Row `i` as a prediction: `ids` read from `data` (null when absent), then the probability and
 * the decision at `threshold`. The object has no prototype (id columns are user data).
 */
export function predictionRow(
  ids: readonly string[],
  data: Record<string, ArrayLike<unknown>>,
  i: number,
  probability: number,
  threshold: number,
): Prediction {
  const out = dict<unknown>() as Prediction;
  for (const c of ids) out[c] = data[c]![i] ?? null;
  out.churn_probability = probability;
  out.churn_prediction = probability >= threshold;
  return out;
}
