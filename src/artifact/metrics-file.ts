/**
 * The shape of metrics.json, written by `ChurnKit` and read by the HTML report; alone in its file so that the
 * report imports it without importing churnkit.ts (which imports the report).
 */
import type { DetailedMetrics } from "../evaluation/detailed.js";
import type { DurationLeak, LeakyColumn } from "../evaluation/leakage.js";
import type { SurvivalMetrics } from "../evaluation/survival-summary.js";
import type { FeatureImportance } from "./importance.js";

/** What metrics.json holds. */
export interface MetricsFile {
  /** The model family that was trained ("logreg", "tree", "forest" or "gbdt"; the winner under `auto`). */
  family: string;
  /** Metrics on the validation split of the training rows (null for a survival model: see `survival`). */
  validation: DetailedMetrics | null;
  /** A survival model's C-index, time-dependent AUC and integrated Brier score (validation; test with `run`). */
  survival?: {
    /** On the validation split of the training rows. */
    validation: SurvivalMetrics;
    /** On the held-out test split (`run` only). */
    test?: SurvivalMetrics;
  };
  /** A survival task's inputs that look like functions of the duration (allowed ones marked), in input order. */
  duration_leakage?: DurationLeak[];
  /** Metrics on the held-out test split (`run` only). */
  test?: DetailedMetrics;
  /** The `auto` leaderboard, when the family was chosen by cross-validation. */
  leaderboard?: Leaderboard;
  /** Permutation importance on held-out rows (test split for `run`, validation split for `train`), plus gain or coefficients. */
  feature_importance?: FeatureImportance;
  /**
   * Inputs that alone separate the classes almost perfectly on the training rows (single-column AUC above
   * 0.99: possible target leakage), each with `allowed: true` when `data.allow_leaky` lists it. Empty when
   * none; absent in files before 0.8.
   */
  leakage?: LeakyColumn[];
  /** Seconds spent in each step (load, preprocess, fit, report, total). */
  timings: Timings;
}

/** One leaderboard line: a family's best candidate, cross-validated. */
export interface LeaderboardRow {
  /** The family compared. */
  family: string;
  /** The best of its candidate hyperparameters (by mean fold AUC). */
  params: Record<string, unknown>;
  /** Mean ROC AUC over the folds (survival: mean Harrell's C-index, see `metric`). */
  auc_mean: number;
  /** Standard deviation of the fold AUCs (survival: of the fold C-indices). */
  auc_std: number;
  /** "c_index" when `auc_mean`/`auc_std` are a survival task's C-index (the log loss and PR AUC are then NaN); absent: AUC. */
  metric?: "c_index";
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

/**
 * Which family `auto` chose, and why: the one-standard-error rule. Among the families whose mean AUC is
 * within one standard error of the best one's, the simplest and fastest (lowest registry `complexity`) wins.
 */
export interface LeaderboardChoice {
  /** The family chosen (and refitted). */
  family: string;
  /** The family with the highest mean AUC. */
  best: string;
  /** Standard error of the best family's mean fold AUC: its fold standard deviation / √(folds − 1). */
  standard_error: number;
  /** The families within one standard error of the best mean AUC, in leaderboard order. */
  within: string[];
  /** The choice in one sentence, for people (the report, `run`'s output). */
  reason: string;
}

/** The `auto` leaderboard: one row per family, best mean AUC first, and the choice. */
export interface Leaderboard {
  /** Cross-validation folds (config `split.folds`). */
  folds: number;
  /** One row per family, best mean AUC first. */
  rows: LeaderboardRow[];
  /** Training rows cross-validated (a stratified sample of at most `search.max_rows`). */
  cv_rows?: number;
  /** Training rows the winner was then fitted on. */
  of_rows?: number;
  /** Which family won and why (absent in files before 0.8, where the best mean AUC always won). */
  choice?: LeaderboardChoice;
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
