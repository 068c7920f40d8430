/**
 * The shape of metrics.json, written by `ChurnKit` and read by the HTML report; alone in its file so that the
 * report imports it without importing churnkit.ts (which imports the report).
 */
import type { DetailedMetrics } from "../evaluation/detailed.js";
import type { FeatureImportance } from "./importance.js";

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

/** One leaderboard line: a family's best candidate, cross-validated. */
export interface LeaderboardRow {
  /** The family compared. */
  family: string;
  /** The best of its candidate hyperparameters (by mean fold AUC). */
  params: Record<string, unknown>;
  /** Mean ROC AUC over the folds. */
  auc_mean: number;
  /** Standard deviation of the fold AUCs. */
  auc_std: number;
  /** Mean log loss over the folds. */
  log_loss_mean: number;
  /** Standard deviation of the fold log losses. */
  log_loss_std: number;
  /** Mean PR AUC (average precision) over the folds. */
  pr_auc_mean: number;
  /** Standard deviation of the fold PR AUCs. */
  pr_auc_std: number;
  /** Mean seconds to fit one fold. */
  fit_s_mean: number;
  /** Standard deviation of the fold fitting times. */
  fit_s_std: number;
  /** Candidates tried for this family (defaults included). */
  candidates: number;
}

/** The `auto` leaderboard: one row per family, best mean AUC first. */
export interface Leaderboard {
  /** Cross-validation folds (config `split.folds`). */
  folds: number;
  /** One row per family, best mean AUC first. */
  rows: LeaderboardRow[];
  /** Training rows cross-validated (a stratified sample of at most `search.max_rows`). */
  cv_rows?: number;
  /** Training rows the winner was then fitted on. */
  of_rows?: number;
}

/** Seconds spent in each step. */
export interface Timings {
  /** Reading the data file. */
  load_s: number;
  /** Schema inference, typing, derived features and selection. */
  preprocess_s: number;
  /** Fitting the model (and the refit on all training rows). */
  fit_s: number;
  /** The whole command, end to end. */
  total_s: number;
  [step: string]: number;
}
