/**
 * What the report's survival charts draw, computed from held-out rows: the Kaplan–Meier curve of
 * the data against the model's mean predicted survival, Kaplan–Meier curves by risk group, and
 * calibration at a horizon (predicted against Kaplan–Meier-observed churn within it, per bin of
 * prediction). Plain JSON-ready numbers (metrics.json can keep them, as it keeps the ROC points);
 * the charts themselves are in src/visualization/survival.ts.
 */
import { thin } from "./curves.js";
import { curveAt, kaplanMeier, type KaplanMeierCurve, type SurvivalData } from "./survival.js";

/** A survival curve as chart points: S at each time, starting at (0, 1) and drawn as steps. */
export interface SurvivalCurve {
  /** Times, ascending. */
  time: number[];
  /** Survival (share still a customer) at each time, 0–1. */
  survival: number[];
}

/** Largest time of the rows (the end of follow-up), or 0 for none. */
function lastTime(time: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < time.length; i++) if (time[i]! > m) m = time[i]!;
  return m;
}

/**
 * A Kaplan–Meier estimate as chart points: (0, 1), one point per step, and the last value carried
 * to `until` (the end of follow-up). At most `maxPoints` points, evenly thinned.
 */
export function curvePoints(km: KaplanMeierCurve, until: number, maxPoints = 200): SurvivalCurve {
  const start = Math.min(0, km.time[0] ?? 0);
  const pts: [number, number][] = [[start, 1]];
  for (let k = 0; k < km.time.length; k++) pts.push([km.time[k]!, km.survival[k]!]);
  const last = pts[pts.length - 1]!;
  if (until > last[0]) pts.push([until, last[1]]);
  const kept = thin(pts, Math.max(2, maxPoints));
  return { time: kept.map((p) => p[0]), survival: kept.map((p) => p[1]) };
}

/** The observed survival of some rows and the model's prediction for the same rows. */
export interface ObservedVsPredicted {
  /** Kaplan–Meier estimate of the rows. */
  observed: SurvivalCurve;
  /** Mean over the rows of each row's predicted S(t), at the same times as `observed`. */
  predicted: SurvivalCurve;
}

/**
 * Kaplan–Meier of the rows against the mean of their predicted survival curves (a well-calibrated
 * model's mean follows the Kaplan–Meier curve). `survivalAt(i, t)` is row i's predicted S(t); it is
 * called once per row and chart time (at most `maxPoints`).
 */
export function observedVsPredicted(
  data: SurvivalData,
  survivalAt: (row: number, t: number) => number,
  maxPoints = 100,
): ObservedVsPredicted {
  const observed = curvePoints(kaplanMeier(data), lastTime(data.time), maxPoints);
  const n = data.time.length;
  const survival = observed.time.map((t) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += survivalAt(i, t);
    return n ? s / n : NaN;
  });
  return { observed, predicted: { time: observed.time.slice(), survival } };
}

/** Row indices in ascending order of `score`, cut into `parts` runs of about equal size; equal scores stay in one run. */
function quantileRuns(score: ArrayLike<number>, parts: number): { order: Int32Array; cuts: number[] } {
  const n = score.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a]! - score[b]! || a - b);
  const cuts = [0];
  for (let k = 1; k < parts; k++) {
    let c = Math.max(Math.round((k * n) / parts), cuts[cuts.length - 1]! + 1);
    while (c > 0 && c < n && score[order[c]!] === score[order[c - 1]!]) c++;
    if (c > cuts[cuts.length - 1]! && c < n) cuts.push(c);
  }
  cuts.push(n);
  return { order, cuts };
}

/** The time and event of some rows, copied (one allocation per group, not per row). */
function subset(data: SurvivalData, order: Int32Array, from: number, to: number): SurvivalData {
  const time = new Float64Array(to - from);
  const event = new Uint8Array(to - from);
  for (let k = from; k < to; k++) {
    time[k - from] = data.time[order[k]!]!;
    event[k - from] = data.event[order[k]!] ? 1 : 0;
  }
  return { time, event };
}

/** The Kaplan–Meier curve of one risk group. */
export interface RiskGroupCurve {
  /** 1 = the lowest-risk group, up to the number of groups. */
  group: number;
  /** Legend label, e.g. "low risk" or "risk quartile 4 (highest)". */
  label: string;
  /** Rows in the group. */
  rows: number;
  /** Events (churns) among them. */
  events: number;
  /** Lowest risk score in the group. */
  risk_min: number;
  /** Highest risk score in the group. */
  risk_max: number;
  /** The group's Kaplan–Meier curve. */
  curve: SurvivalCurve;
}

function groupLabel(g: number, groups: number): string {
  if (groups === 3) return ["low risk", "medium risk", "high risk"][g - 1]!;
  const name = groups === 4 ? "quartile" : groups === 5 ? "quintile" : "group";
  return `risk ${name} ${g}${g === 1 ? " (lowest)" : g === groups ? " (highest)" : ""}`;
}

/**
 * Kaplan–Meier curves of the rows split by risk score into `groups` groups of about equal size
 * (tertiles by default; rows with equal risk stay in one group, so there can be fewer groups).
 * A model that ranks well separates the curves: the high-risk group's falls fastest.
 */
export function riskGroupCurves(
  data: SurvivalData,
  risk: ArrayLike<number>,
  groups = 3,
  maxPoints = 200,
): RiskGroupCurve[] {
  if (risk.length !== data.time.length)
    throw new Error(`risk groups: ${risk.length} risks for ${data.time.length} rows`);
  if (risk.length === 0) return [];
  const { order, cuts } = quantileRuns(risk, groups);
  const until = lastTime(data.time);
  const out: RiskGroupCurve[] = [];
  for (let g = 0; g + 1 < cuts.length; g++) {
    const part = subset(data, order, cuts[g]!, cuts[g + 1]!);
    let events = 0;
    for (let k = 0; k < part.event.length; k++) events += part.event[k]!;
    out.push({
      group: g + 1,
      label: groupLabel(g + 1, cuts.length - 1),
      rows: part.time.length,
      events,
      risk_min: risk[order[cuts[g]!]!]!,
      risk_max: risk[order[cuts[g + 1]! - 1]!]!,
      curve: curvePoints(kaplanMeier(part), until, maxPoints),
    });
  }
  return out;
}

/** One bin of a calibration at a horizon. */
export interface HorizonCalibrationBin {
  /** Rows in the bin. */
  rows: number;
  /** Mean predicted probability of churning within the horizon of those rows. */
  mean_predicted: number;
  /** Observed probability of churning within the horizon: 1 − their Kaplan–Meier estimate at it (censoring-aware). */
  observed: number;
}

/** Calibration of the predicted churn within one horizon. */
export interface HorizonCalibration {
  /** The horizon, in the duration's unit. */
  horizon: number;
  /** Bins of about equal size, in increasing order of prediction. */
  bins: HorizonCalibrationBin[];
  /** Row-weighted mean |observed − mean_predicted| over the bins (the expected calibration error). */
  error: number;
}

/**
 * Predicted against observed churn within `horizon`, by bins of about equal size (deciles by
 * default) of the prediction: `predicted[i]` is row i's predicted P(T ≤ horizon), i.e. 1 − S_i(horizon)
 * from time 0; the observed rate of a bin is 1 − its Kaplan–Meier estimate at the horizon, so rows
 * censored before it count for what they tell (kept constant after a bin's last time).
 */
export function horizonCalibration(
  data: SurvivalData,
  predicted: ArrayLike<number>,
  horizon: number,
  bins = 10,
): HorizonCalibration {
  if (predicted.length !== data.time.length)
    throw new Error(`calibration: ${predicted.length} predictions for ${data.time.length} rows`);
  const out: HorizonCalibrationBin[] = [];
  if (predicted.length === 0) return { horizon, bins: out, error: NaN };
  const { order, cuts } = quantileRuns(predicted, bins);
  let error = 0;
  for (let b = 0; b + 1 < cuts.length; b++) {
    const part = subset(data, order, cuts[b]!, cuts[b + 1]!);
    let sum = 0;
    for (let k = cuts[b]!; k < cuts[b + 1]!; k++) sum += predicted[order[k]!]!;
    const rows = part.time.length;
    const bin = { rows, mean_predicted: sum / rows, observed: 1 - curveAt(kaplanMeier(part), horizon) };
    error += rows * Math.abs(bin.observed - bin.mean_predicted);
    out.push(bin);
  }
  return { horizon, bins: out, error: error / predicted.length };
}
