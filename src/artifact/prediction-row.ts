/**
 * The shape of one scored row, shared by `ChurnModel.predict` (API), `churnkit predict` (CSV and
 * JSON lines) and the server's POST /predict: the model's id column(s) present in the input (in
 * the model's order; a missing value is null), then `churn_probability`, then `churn_prediction`
 * (probability >= threshold). A survival model (one with a `survival` section) adds, per horizon H,
 * `churn_within_H`, then `expected_remaining`, then (with a value column) `revenue_at_risk_H` per
 * horizon; its `churn_probability` is `churn_within_H` of the first horizon.
 */
import { dict } from "../utils/dict.js";
import type { SurvivalScores } from "../learners/baseline-hazard.js";

/** One scored row: id columns, churn_probability, churn_prediction (and a survival model's columns). */
export interface Prediction {
  /** The input's identifier columns, copied as they came (null when missing), and a survival model's columns. */
  [id: string]: unknown;
  /** Probability that the customer churns, 0 to 1 (survival: within the first horizon from now). */
  churn_probability: number;
  /** Whether `churn_probability` is at or above the model's decision threshold (or the one asked for). */
  churn_prediction: boolean;
}

/** The two columns every prediction has, after the id columns. */
export const SCORE_COLUMNS = ["churn_probability", "churn_prediction"] as const;

/** What a survival model's rows carry besides the two score columns: its horizons and whether it has a value column. */
export interface SurvivalShape {
  /** The horizons, ascending. */
  horizons: readonly number[];
  /** Whether revenue_at_risk_H columns are written (a value column is declared). */
  value: boolean;
}

/** `churn_within_3`, `expected_remaining`, `revenue_at_risk_3`: the survival columns' names. */
export const withinColumn = (h: number): string => `churn_within_${h}`;
/** The name of the revenue-at-risk column of horizon `h`. */
export const revenueColumn = (h: number): string => `revenue_at_risk_${h}`;
/** The expected remaining duration's column. */
export const REMAINING_COLUMN = "expected_remaining";

/** The survival columns of a prediction, in order (none for a classification model). */
export function survivalColumns(s: SurvivalShape | undefined): string[] {
  if (!s) return [];
  return [...s.horizons.map(withinColumn), REMAINING_COLUMN, ...(s.value ? s.horizons.map(revenueColumn) : [])];
}

/** Every column after the id columns, in order. */
export const scoreColumns = (s: SurvivalShape | undefined): string[] => [...SCORE_COLUMNS, ...survivalColumns(s)];

/** The model's id columns that the input has, in the model's order. */
export function presentIdColumns(idColumns: readonly string[], has: (column: string) => boolean): string[] {
  return idColumns.filter(has);
}

/** The survival values of row `i`, in {@link survivalColumns} order (a missing revenue is null). */
export function survivalValues(scores: SurvivalScores, i: number): (number | null)[] {
  const out: (number | null)[] = scores.within.map((w) => w[i]!);
  out.push(scores.remaining[i]!);
  if (scores.revenue) for (const r of scores.revenue) out.push(Number.isNaN(r[i]!) ? null : r[i]!);
  return out;
}

/**
 * Row `i` as a prediction: `ids` read from `data` (null when absent), then the probability and
 * the decision at `threshold`, then a survival model's columns (`survival`: its shape and the batch's scores).
 * The object has no prototype (id columns are user data).
 */
export function predictionRow(
  ids: readonly string[],
  data: Record<string, ArrayLike<unknown>>,
  i: number,
  probability: number,
  threshold: number,
  survival?: { shape: SurvivalShape; scores: SurvivalScores },
): Prediction {
  const out = dict<unknown>() as Prediction;
  for (const c of ids) out[c] = data[c]![i] ?? null;
  out.churn_probability = probability;
  out.churn_prediction = probability >= threshold;
  if (survival) {
    const names = survivalColumns(survival.shape);
    const values = survivalValues(survival.scores, i);
    names.forEach((n, k) => (out[n] = values[k]));
  }
  return out;
}
