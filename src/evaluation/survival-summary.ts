/**
 * The survival metrics `evaluate --json` prints and metrics.json stores, in one call: Harrell's
 * C-index, time-dependent AUC at each horizon, Brier scores and the integrated Brier score, with
 * the default times of the integrated Brier score.
 */
import { brierScores, concordance, timeDependentAuc, type SurvivalData } from "./survival.js";

/** Survival metrics of a model on held-out rows. NaN where a metric is undefined (callers storing JSON turn it into null). */
export interface SurvivalMetrics {
  /** Rows scored. */
  rows: number;
  /** Events (churns) among them; the others are censored. */
  events: number;
  /** Harrell's C-index of the risk score: the share of comparable pairs the model orders right (ties ½); 0.5 is random. */
  c_index: number;
  /** Time-dependent (cumulative/dynamic, IPCW) AUC at each horizon: who leaves by the horizon against who is still there. */
  td_auc: {
    /** The horizon, in the duration's unit. */
    horizon: number;
    /** The AUC at it. */
    auc: number;
  }[];
  /** The td AUCs' mean weighted by the Kaplan–Meier drop between horizons (scikit-survival's mean_auc). */
  mean_auc: number;
  /** IPCW Brier score of the predicted S(t) at each time of the integrated Brier score; lower is better. */
  brier: {
    /** The time, in the duration's unit. */
    time: number;
    /** The Brier score at it. */
    brier: number;
  }[];
  /** Integrated Brier score over those times, per unit of time; lower is better (0.25 is predicting S = ½ throughout). */
  integrated_brier: number;
}

/** Inputs of {@link survivalMetrics}. */
export interface SurvivalMetricsInput {
  /** The training rows: their censoring distribution gives the IPCW weights. */
  train: SurvivalData;
  /** The rows scored. */
  test: SurvivalData;
  /** Each test row's risk score (log relative hazard: higher leaves sooner). */
  risk: ArrayLike<number>;
  /** Each test row's predicted S(t) (from time 0). */
  survivalAt: (row: number, t: number) => number;
  /** Horizons of the time-dependent AUC, e.g. [3, 6, 12]. */
  horizons: readonly number[];
  /** Times of the Brier scores; default {@link brierTimes} of the test rows. */
  times?: readonly number[];
}

/** Every survival metric at once. */
export function survivalMetrics(input: SurvivalMetricsInput): SurvivalMetrics {
  const { train, test, risk } = input;
  let events = 0;
  for (let i = 0; i < test.event.length; i++) if (test.event[i]) events++;
  const auc = timeDependentAuc(train, test, risk, input.horizons);
  const brier = brierScores(train, test, input.survivalAt, input.times ?? brierTimes(test));
  return {
    rows: test.time.length,
    events,
    c_index: concordance(test, risk).cIndex,
    td_auc: auc.times.map((horizon, k) => ({ horizon, auc: auc.auc[k]! })),
    mean_auc: auc.mean,
    brier: brier.times.map((time, k) => ({ time, brier: brier.brier[k]! })),
    integrated_brier: brier.integrated,
  };
}

/**
 * Default times of the integrated Brier score: `count` percentiles of the rows' times evenly from
 * the 10th to the 90th (linear interpolation, as numpy's default), distinct. Inside the follow-up,
 * where the censoring weights are stable (scikit-survival's examples take such a range).
 */
export function brierTimes(data: SurvivalData, count = 20): number[] {
  const sorted = Float64Array.from(data.time).sort();
  const n = sorted.length;
  if (n === 0) return [];
  const out = new Set<number>();
  for (let k = 0; k < count; k++) {
    // Percentile 10 + 80·k/(count − 1), in integers first so that round positions stay exact.
    const steps = Math.max(1, count - 1);
    const pos = ((n - 1) * (10 * steps + 80 * k)) / (100 * steps);
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, lo + 1);
    out.add(sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!));
  }
  return [...out].sort((a, b) => a - b);
}
