/**
 * The shape of model.json ({@link ModelArtifact}), alone in its file so that validate.ts, which checks a parsed
 * file against it, and artifact.ts, which reads and writes it, both import it without importing each other.
 */
import type { Config } from "../config/schema.js";
import type { PreprocessState } from "../data/preprocess.js";
import type { Schema } from "../data/schema.js";
import type { ColumnStats, NumericColumnStats } from "../data/stats.js";
import type { TargetInfo } from "../data/target.js";
import type { ColumnSpec } from "../data/typed.js";
import type { DerivedFeature } from "../features/derived.js";
import type { DroppedFeature } from "../features/select.js";
import type { FORMAT } from "./artifact-schema.js";
import type { CalibrationState } from "../learners/calibration.js";
import type { ChosenThreshold } from "../evaluation/threshold.js";
import type { Metrics } from "../evaluation/metrics.js";
import type { FollowUp } from "../evaluation/follow-up.js";
import type { SurvivalMetrics } from "../evaluation/survival-summary.js";
import type { BaselineHazard } from "../learners/baseline-hazard.js";

/** model.json's `survival` section: what turns a survival model's log relative hazard into predictions. */
export interface SurvivalSection {
  /** The duration column (e.g. tenure): each row's current duration t0 at predict time. */
  duration: string;
  /** Horizons, ascending, in the duration's unit: predictions have churn_within_H for each. */
  horizons: number[];
  /** The value column (revenue per duration unit) of revenue_at_risk_H, or null. */
  value: string | null;
  /** The cumulative baseline hazard from the training rows (its estimator named), and their longest duration. */
  baseline: BaselineHazard;
  /** The training rows' durations, counted: the censoring distribution that `evaluate` weights by (IPCW). */
  follow_up: FollowUp;
  /** C-index, time-dependent AUC and integrated Brier score on the validation split; null when not measured. */
  validation: SurvivalMetrics | null;
}

/** Everything in model.json. */
export interface ModelArtifact {
  /** Always "churnkit-model": marks the file as a churnkit model. */
  format: typeof FORMAT;
  /** "MAJOR.MINOR"; a newer major version is refused at load time. */
  format_version: string;
  /** The churnkit version that wrote the file. */
  churnkit_version: string;
  /** ISO time of writing; the only field that differs between two seeded runs. */
  created_at: string;
  /** The target column and which label is churn. */
  target: TargetInfo;
  /** Every column of the training file, with its type and role. */
  schema: Schema;
  /** Input columns the model needs at prediction time, with their types. */
  inputs: ColumnSpec[];
  /** Identifier columns copied into predictions when present. */
  id_columns: string[];
  /** Derived features (SQL), evaluated after typing the inputs. */
  derived: DerivedFeature[];
  /** Candidate features left out by selection, with reasons. */
  dropped: DroppedFeature[];
  /** What preprocessing learned (imputation values, category levels, scaling), applied again when scoring. */
  preprocess: PreprocessState;
  /** Mean of each model column on the training rows (the background of linear explanations). */
  feature_means?: number[];
  /** The fitted model: its family, the hyperparameters it was trained with, and its learned state. */
  model: {
    /** The family ("logreg", "tree", "forest", "gbdt"), which decides how `state` is read. */
    family: string;
    /** Hyperparameters, as checked by the family's parameter schema. */
    params: Record<string, unknown>;
    /** Version of the shape of `state` (the family's `stateVersion` when written); absent: 1, as churnkit 0.6.0 wrote. */
    state_version?: number;
    /** The learned state (coefficients, trees), validated against the family's own schema when loaded. */
    state: unknown;
  };
  /** The decision threshold and the rule that chose it. */
  threshold: ChosenThreshold;
  /** Probability calibration fitted on the validation split, or null. */
  calibration?: CalibrationState | null;
  /** Metrics of the model on the validation split of the training rows; null when none were measured. */
  validation_metrics: Metrics | null;
  /** Which data the model was trained on (see `fingerprint`). */
  data_fingerprint: {
    /** Rows of the training table. */
    rows: number;
    /** Columns of the training table. */
    columns: number;
    /** SHA-256 of every value, column by column (hex). */
    sha256: string;
  };
  /** The resolved configuration the model was trained with, every default filled in. */
  config: Config;
  /** Statistics of each input column on the training rows, by column: the reference for drift checks. */
  reference_stats: Record<string, ColumnStats>;
  /**
   * The distribution of churn probabilities on the validation split (scored by the model fitted before the refit,
   * which never saw those rows): the reference of the score's drift. Absent in format 1.0.
   */
  reference_score?: NumericColumnStats;
  /** Survival models only (format 1.2): the duration, horizons, value column and baseline hazard. */
  survival?: SurvivalSection;
}
