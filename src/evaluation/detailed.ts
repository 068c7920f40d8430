/**
 * Everything `evaluate` reports: the headline metrics at the model's threshold plus curves,
 * calibration, lift, KS and (optionally) a bootstrap confidence interval for AUC.
 */
import { computeMetrics, type Metrics } from "./metrics.js";
import {
  bootstrapAuc,
  calibration,
  ksStatistic,
  liftTable,
  prCurve,
  rocCurve,
  type CalibrationBin,
  type LiftRow,
  type PrPoint,
  type RocPoint,
} from "./curves.js";

/** The threshold metrics of {@link Metrics} plus curves, calibration and lift: what metrics.json and the report show. */
export interface DetailedMetrics extends Metrics {
  /** Kolmogorov–Smirnov statistic between the score distributions of churners and stayers. */
  ks: number;
  /** ROC curve, from (0, 0) to (1, 1), at most 200 points. */
  roc: RocPoint[];
  /** Precision-recall curve, at most 200 points. */
  pr: PrPoint[];
  /** Reliability of the probabilities in 10 equal-width bins. */
  calibration: {
    /** The bins that hold at least one row, in increasing probability. */
    bins: CalibrationBin[];
    /** Expected calibration error: row-weighted mean of |observed rate − mean predicted| over the bins. */
    ece: number;
  };
  /** Lift and cumulative gains by decile of score. */
  lift: {
    /** One row per decile, highest scores first. */
    deciles: LiftRow[];
    /** Lift of the first decile (its churn rate over the overall rate). */
    top_decile: number;
  };
  /** 95% percentile-bootstrap interval for AUC, when asked for. */
  auc_ci?: {
    /** Lower end of the interval. */
    low: number;
    /** Upper end of the interval. */
    high: number;
    /** Bootstrap resamples drawn. */
    resamples: number;
    /** Confidence level (0.95). */
    level: number;
  };
}

/** Options of `detailedMetrics`: the optional bootstrap interval of AUC. */
export interface DetailOptions {
  /** Bootstrap resamples for the AUC interval; 0 (default) skips it. */
  bootstrap?: number;
  /** Seed of the bootstrap resampling (default 0), so the interval is reproducible. */
  seed?: number;
}

/** All evaluation metrics of probabilities `p` against 0/1 labels `y` at a decision threshold (see {@link DetailedMetrics}). */
export function detailedMetrics(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  threshold: number,
  opts: DetailOptions = {},
): DetailedMetrics {
  const m: DetailedMetrics = {
    ...computeMetrics(y, p, threshold),
    ks: ksStatistic(y, p),
    roc: rocCurve(y, p),
    pr: prCurve(y, p),
    calibration: calibration(y, p),
    lift: liftTable(y, p),
  };
  if (opts.bootstrap && opts.bootstrap > 0) m.auc_ci = bootstrapAuc(y, p, opts.bootstrap, 0.95, opts.seed ?? 0);
  return m;
}
