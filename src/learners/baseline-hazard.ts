/**
 * The survival task's baseline: the cumulative baseline hazard H0(t) estimated from the training rows' durations,
 * events and log relative hazards (Breslow's estimator, or Efron's when the model was fitted with Efron's ties), and
 * what a retention team reads off the curve it gives each customer,
 * S(t) = exp(−H0(t)·exp(risk)): the chance of leaving within a horizon from now, the expected remaining time, the
 * expected revenue lost. H0 is a step function: it rises at each distinct event time and is flat after the last one
 * (nothing is known past the training rows' follow-up).
 */
import { survivalMetrics, type SurvivalMetrics } from "../evaluation/survival-summary.js";
import type { SurvivalData } from "../evaluation/survival.js";
import type { CoxTies } from "./partial-likelihood.js";

/** A cumulative baseline hazard: a right-continuous step function. */
export interface BaselineHazard {
  /**
   * Which estimator made it: "breslow", or "efron" (for a model fitted with Efron's ties). A model.json written
   * before churnkit recorded it holds Breslow's (its schema's default).
   */
  estimator: CoxTies;
  /** The distinct durations at which training rows churned, ascending. */
  times: number[];
  /** H0 at and just after each of `times` (non-decreasing, ≥ 0); H0(t) = 0 before the first time. */
  cumulative_hazard: number[];
  /** The longest duration of any training row (event or censored): the end of the restricted mean. */
  max_time: number;
}

/**
 * The cumulative baseline hazard matching the partial likelihood a model was fitted on. At each distinct event time
 * t with d events, R = Σ_{rows with duration ≥ t} exp(risk) and D = Σ_{rows with the event at t} exp(risk), H0 rises by
 * - Breslow (`ties` "breslow"): d / R;
 * - Efron ("efron"): Σ_{l=0}^{d−1} 1 / (R − (l/d)·D), as R's survival::survfit.coxph / basehaz with ties = "efron"
 *   (Efron's ties remove the tied events from the risk set gradually, so the hazard's increment does too).
 * Both are the same when no two events share a time. `risk` is the model's log relative hazard of each row; it is
 * shifted by its maximum before `exp` (and the shift undone after), so a large score cannot overflow.
 */
export function baselineHazard(
  time: Float64Array,
  event: Uint8Array,
  risk: Float64Array,
  ties: CoxTies = "breslow",
): BaselineHazard {
  const n = time.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => time[b]! - time[a]! || a - b);
  let shift = -Infinity;
  for (let i = 0; i < n; i++) if (risk[i]! > shift) shift = risk[i]!;
  if (!Number.isFinite(shift)) shift = 0;
  const times: number[] = [];
  const jumps: number[] = [];
  let atRisk = 0;
  // Longest duration first: the risk set of a time is every row already passed, ties included.
  for (let k = 0; k < n;) {
    const t = time[order[k]!]!;
    let deaths = 0;
    let tied = 0;
    for (; k < n && time[order[k]!] === t; k++) {
      const e = Math.exp(risk[order[k]!]! - shift);
      atRisk += e;
      if (event[order[k]!]) {
        deaths++;
        tied += e;
      }
    }
    if (deaths === 0) continue;
    times.push(t);
    if (ties === "breslow" || deaths === 1) jumps.push(deaths / atRisk);
    else {
      // R − (l/d)·D ≥ D/d > 0 for l < d: every term is finite.
      let j = 0;
      for (let l = 0; l < deaths; l++) j += 1 / (atRisk - (l / deaths) * tied);
      jumps.push(j);
    }
  }
  times.reverse();
  jumps.reverse();
  const scale = Math.exp(-shift);
  let h = 0;
  const cumulative = jumps.map((j) => (h += j * scale));
  let maxTime = 0;
  for (let i = 0; i < n; i++) if (time[i]! > maxTime) maxTime = time[i]!;
  return { estimator: ties, times, cumulative_hazard: cumulative, max_time: maxTime };
}

/** Breslow's estimator ({@link baselineHazard} with Breslow's ties). */
export const breslowBaseline = (time: Float64Array, event: Uint8Array, risk: Float64Array): BaselineHazard =>
  baselineHazard(time, event, risk, "breslow");

/** Index of the last of `times` at or before `t` (−1 when `t` is before the first). */
function stepIndex(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** H0(t). */
export function cumulativeHazardAt(b: BaselineHazard, t: number): number {
  const k = stepIndex(b.times, t);
  return k < 0 ? 0 : b.cumulative_hazard[k]!;
}

/** S(t) = exp(−H0(t)·exp(risk)) of a customer with log relative hazard `risk`. */
export function survivalAt(b: BaselineHazard, risk: number, t: number): number {
  return Math.exp(-cumulativeHazardAt(b, t) * Math.exp(risk));
}

/**
 * The chance of leaving within `horizon` of `t0`, having stayed until `t0`: 1 − S(t0 + H)/S(t0), computed as
 * 1 − exp(−(H0(t0 + H) − H0(t0))·exp(risk)) so that it is exact when S is tiny. In [0, 1], non-decreasing in H.
 */
export function churnWithin(b: BaselineHazard, risk: number, t0: number, horizon: number): number {
  const dh = cumulativeHazardAt(b, t0 + horizon) - cumulativeHazardAt(b, t0);
  return -Math.expm1(-dh * Math.exp(risk));
}

/**
 * ∫_{t0}^{end} S(u)/S(t0) du: the expected time a customer who has stayed until `t0` stays within [t0, end]
 * (0 when end ≤ t0). S is a step function, so the integral is a sum over the event times between t0 and end.
 */
export function meanResidual(b: BaselineHazard, risk: number, t0: number, end: number): number {
  if (!(end > t0)) return 0;
  const e = Math.exp(risk);
  const h0 = cumulativeHazardAt(b, t0);
  let k = stepIndex(b.times, t0) + 1; // the first event time after t0
  let from = t0;
  let ratio = 1;
  let sum = 0;
  for (; k < b.times.length && b.times[k]! < end; k++) {
    sum += ratio * (b.times[k]! - from);
    from = b.times[k]!;
    ratio = Math.exp(-(b.cumulative_hazard[k]! - h0) * e);
  }
  return sum + ratio * (end - from);
}

/**
 * Expected remaining duration, restricted to the training follow-up: ∫_{t0}^{max_time} S(u)/S(t0) du. A customer
 * already at or past the longest duration seen in training gets 0: the model knows nothing beyond it.
 */
export function expectedRemaining(b: BaselineHazard, risk: number, t0: number): number {
  return meanResidual(b, risk, t0, b.max_time);
}

/**
 * The expected share of the next `horizon` lost to churn: ∫_{t0}^{t0+H} (1 − S(u)/S(t0)) du, in duration units.
 * Times a value per duration unit (e.g. MonthlyCharges), it is the revenue expected to be lost over the horizon.
 */
export function expectedTimeLost(b: BaselineHazard, risk: number, t0: number, horizon: number): number {
  return Math.max(0, horizon - meanResidual(b, risk, t0, t0 + horizon));
}

/** What a survival model predicts for a batch of customers, column by column (row i of each array is row i). */
export interface SurvivalScores {
  /** Log relative hazard of each row (higher: leaves sooner). */
  risk: Float64Array;
  /** churn_within_H of each row, one array per horizon, in the horizons' order. */
  within: Float64Array[];
  /** expected_remaining of each row. */
  remaining: Float64Array;
  /** revenue_at_risk_H of each row, one array per horizon; null without a value column. */
  revenue: Float64Array[] | null;
}

/**
 * Score a batch: `t0` is each row's current duration (≥ 0), `value` its value per duration unit (a missing value
 * gives a missing revenue, NaN).
 */
export function survivalScores(
  b: BaselineHazard,
  horizons: readonly number[],
  risk: Float64Array,
  t0: Float64Array,
  value?: Float64Array,
): SurvivalScores {
  const n = risk.length;
  const within = horizons.map(() => new Float64Array(n));
  const revenue = value ? horizons.map(() => new Float64Array(n)) : null;
  const remaining = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = risk[i]!;
    const t = t0[i]!;
    remaining[i] = expectedRemaining(b, r, t);
    horizons.forEach((h, k) => {
      within[k]![i] = churnWithin(b, r, t, h);
      if (revenue) revenue[k]![i] = value![i]! * expectedTimeLost(b, r, t, h);
    });
  }
  return { risk, within, remaining, revenue };
}

/** Measure risk scores of `test` rows with `baseline`'s survival curves, the censoring weights from `train`. */
export function measureWithBaseline(
  train: SurvivalData,
  test: SurvivalData,
  risk: Float64Array,
  baseline: BaselineHazard,
  horizons: readonly number[],
): SurvivalMetrics {
  return survivalMetrics({ train, test, risk, survivalAt: (i, t) => survivalAt(baseline, risk[i]!, t), horizons });
}
