/**
 * The shape of metrics.json, written by `ChurnKit` and read by the HTML report; alone in its file so that the
 * report imports it without importing churnkit.ts (which imports the report).
 */
import type { DetailedMetrics } from "./evaluation/detailed.js";
import type { FeatureImportance } from "./importance.js";
import type { Leaderboard } from "./select.js";
import type { Timings } from "./train.js";

/** What metrics.json holds. */
export interface MetricsFile {
  /** The model family that was trained ("logreg", "tree", "forest" or "gbdt"; the winner under `auto`). */
  family: string;
  /** Metrics on the validation split of the training rows. */
  validation: DetailedMetrics | null;
  /** Metrics on the held-out test split (`run` only). */
  test?: DetailedMetrics;
  /** The `auto` leaderboard, when the family was chosen by cross-validation. */
  leaderboard?: Leaderboard;
  /** Permutation importance on held-out rows (test split for `run`, validation split for `train`), plus gain or coefficients. */
  feature_importance?: FeatureImportance;
  /** Seconds spent in each step (load, preprocess, fit, report, total). */
  timings: Timings;
}
