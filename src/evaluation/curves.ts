/**
 * Curves and rank statistics for a retention team: ROC and precision-recall points,
 * reliability (calibration) bins with the expected calibration error, lift and cumulative
 * gains by decile, the KS statistic, and a bootstrap confidence interval for AUC.
 */
import { Rng } from "../utils/random.js";
import { rocAuc } from "./metrics.js";

/** One point of a ROC curve: the rates of true and false positives at one threshold. */
export interface RocPoint {
  /** False positive rate: share of non-churners predicted to churn. */
  fpr: number;
  /** True positive rate (recall): share of churners predicted to churn. */
  tpr: number;
  /** Rows with probability >= threshold are predicted positive. */
  threshold: number;
}

/** One point of a precision-recall curve. */
export interface PrPoint {
  /** Share of churners predicted to churn. */
  recall: number;
  /** Share of predicted churners who did churn. */
  precision: number;
  /** Rows with probability >= threshold are predicted positive. */
  threshold: number;
}

/** Counts of positives and negatives at or above each distinct score, highest score first. */
function cumulative(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
): { thresholds: number[]; tp: number[]; fp: number[]; pos: number; neg: number } {
  const idx = Int32Array.from({ length: y.length }, (_, i) => i).sort((a, b) => p[b]! - p[a]! || a - b);
  const thresholds: number[] = [];
  const tp: number[] = [];
  const fp: number[] = [];
  let t = 0;
  let f = 0;
  for (let k = 0; k < idx.length;) {
    const s = p[idx[k]!]!;
    while (k < idx.length && p[idx[k]!] === s) {
      if (y[idx[k]!]) t++;
      else f++;
      k++;
    }
    thresholds.push(s);
    tp.push(t);
    fp.push(f);
  }
  return { thresholds, tp, fp, pos: t, neg: f };
}

/** Keep at most `max` points, evenly spread, always keeping the first and last (chart curves). */
export function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round((i * (points.length - 1)) / (max - 1))]!);
  return out;
}

/** ROC curve from (0,0) to (1,1), one point per distinct score (thinned to `max`). */
export function rocCurve(y: ArrayLike<number>, p: ArrayLike<number>, max = 200): RocPoint[] {
  const c = cumulative(y, p);
  const pts: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  c.thresholds.forEach((th, i) =>
    pts.push({ fpr: c.neg ? c.fp[i]! / c.neg : 0, tpr: c.pos ? c.tp[i]! / c.pos : 0, threshold: th }),
  );
  return thin(pts, max);
}

/** Precision-recall curve, one point per distinct score (thinned to `max`). */
export function prCurve(y: ArrayLike<number>, p: ArrayLike<number>, max = 200): PrPoint[] {
  const c = cumulative(y, p);
  const pts = c.thresholds.map((th, i) => ({
    recall: c.pos ? c.tp[i]! / c.pos : 0,
    precision: c.tp[i]! / (c.tp[i]! + c.fp[i]!),
    threshold: th,
  }));
  return thin(pts, max);
}

/** Largest gap between the cumulative score distributions of positives and negatives. */
export function ksStatistic(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const c = cumulative(y, p);
  let ks = 0;
  c.thresholds.forEach((_, i) => (ks = Math.max(ks, Math.abs(c.tp[i]! / c.pos - c.fp[i]! / c.neg))));
  return ks;
}

/** One reliability bin: rows whose predicted probability falls in the bin, and how often they churned. */
export interface CalibrationBin {
  /** Bin range of predicted probability: [lower, upper). */
  lower: number;
  /** Upper end of the bin (the last bin includes 1). */
  upper: number;
  /** Rows in the bin. */
  rows: number;
  /** Mean predicted probability of those rows. */
  mean_predicted: number;
  /** Share of those rows that churned. */
  observed_rate: number;
}

/** Reliability bins of equal width and the expected calibration error (row-weighted |observed − predicted|). */
export function calibration(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  bins = 10,
): { bins: CalibrationBin[]; ece: number } {
  const n = new Float64Array(bins);
  const sp = new Float64Array(bins);
  const sy = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const b = Math.min(bins - 1, Math.floor(p[i]! * bins));
    n[b]!++;
    sp[b]! += p[i]!;
    sy[b]! += y[i]!;
  }
  const out: CalibrationBin[] = [];
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (n[b] === 0) continue;
    const mp = sp[b]! / n[b]!;
    const or = sy[b]! / n[b]!;
    ece += (n[b]! / y.length) * Math.abs(or - mp);
    out.push({ lower: b / bins, upper: (b + 1) / bins, rows: n[b]!, mean_predicted: mp, observed_rate: or });
  }
  return { bins: out, ece };
}

/** One decile of the lift table: how concentrated churners are among the highest scores. */
export interface LiftRow {
  /** 1 = the 10% of customers with the highest scores. */
  decile: number;
  /** Rows in the decile. */
  rows: number;
  /** Churners in the decile. */
  positives: number;
  /** Churn rate within the decile. */
  rate: number;
  /** rate / overall churn rate. */
  lift: number;
  /** Share of all churners found in deciles 1..this one. */
  cumulative_gain: number;
  /** Cumulative churn rate / overall rate. */
  cumulative_lift: number;
}

/** Lift and cumulative gains by decile of score (ties keep input order, as a ranked list would). */
export function liftTable(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  groups = 10,
): { deciles: LiftRow[]; top_decile: number } {
  const n = y.length;
  const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b]! - p[a]! || a - b);
  let total = 0;
  for (let i = 0; i < n; i++) total += y[i]!;
  const overall = total / n;
  const deciles: LiftRow[] = [];
  let cumRows = 0;
  let cumPos = 0;
  for (let g = 0; g < groups; g++) {
    const start = Math.round((g * n) / groups);
    const end = Math.round(((g + 1) * n) / groups);
    let pos = 0;
    for (let k = start; k < end; k++) pos += y[idx[k]!]!;
    const rows = end - start;
    cumRows += rows;
    cumPos += pos;
    const rate = rows ? pos / rows : 0;
    deciles.push({
      decile: g + 1,
      rows,
      positives: pos,
      rate,
      lift: overall ? rate / overall : 0,
      cumulative_gain: total ? cumPos / total : 0,
      cumulative_lift: overall && cumRows ? cumPos / cumRows / overall : 0,
    });
  }
  return { deciles, top_decile: deciles[0]?.lift ?? 0 };
}

/** Percentile bootstrap confidence interval for ROC AUC. */
export function bootstrapAuc(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  resamples = 200,
  level = 0.95,
  seed = 0,
): { low: number; high: number; resamples: number; level: number } {
  const rng = new Rng(seed);
  const n = y.length;
  const ys = new Uint8Array(n);
  const ps = new Float64Array(n);
  const aucs: number[] = [];
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) {
      const j = rng.int(n);
      ys[i] = y[j]!;
      ps[i] = p[j]!;
    }
    const a = rocAuc(ys, ps);
    if (!Number.isNaN(a)) aucs.push(a);
  }
  aucs.sort((a, b) => a - b);
  const q = (x: number) => aucs[Math.min(aucs.length - 1, Math.max(0, Math.floor(x * aucs.length)))]!;
  return { low: q((1 - level) / 2), high: q(1 - (1 - level) / 2), resamples, level };
}
