/**
 * Everything `evaluate` reports: the headline metrics at the model's threshold plus curves,
 * calibration, lift, KS and (optionally) a bootstrap confidence interval for AUC.
 */
import { computeMetrics, type Metrics } from "../metrics.js";
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

export interface DetailedMetrics extends Metrics {
  /** Kolmogorov–Smirnov statistic between the score distributions of churners and stayers. */
  ks: number;
  roc: RocPoint[];
  pr: PrPoint[];
  calibration: { bins: CalibrationBin[]; ece: number };
  lift: { deciles: LiftRow[]; top_decile: number };
  /** 95% percentile-bootstrap interval for AUC, when asked for. */
  auc_ci?: { low: number; high: number; resamples: number; level: number };
}

export interface DetailOptions {
  /** Bootstrap resamples for the AUC interval; 0 (default) skips it. */
  bootstrap?: number;
  seed?: number;
}

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
