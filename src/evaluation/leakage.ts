/**
 * The leakage guard of training: eda's rule (src/eda/leakage.ts) applied to the training rows, on typed
 * arrays. Each input's single-column AUC is the ROC AUC of its value (numeric, boolean) or of its
 * category's in-sample churn rate (categorical, only with 2 to 100 levels and at most rows / 5), missing
 * values left out, folded to at least 0.5. Cost: one sort per column of at most {@link LEAK_SAMPLE} rows.
 */
import type { ColumnType } from "../data/schema.js";
import type { TypedTable } from "../data/typed.js";
import { foldAuc, leakCheckable, leakHow, leaks } from "../eda/leakage.js";
import { rocAuc } from "./metrics.js";

/**
 * Above this many rows, the AUCs are measured on this many evenly spaced rows: near the 0.99 threshold an AUC
 * from 100,000 rows is within about ±0.002 (its standard error is √(AUC·(1−AUC)/minority rows)). Measured
 * cost: 1M rows × 30 numeric columns, 0.7 s of CPU (one run, loaded 2-core machine).
 */
export const LEAK_SAMPLE = 100_000;

/** An input column that alone separates the classes almost perfectly (single-column AUC above 0.99). */
export interface LeakyColumn {
  /** The input column. */
  column: string;
  /** How it is read. */
  type: ColumnType;
  /** Its single-column AUC on the training rows, folded to at least 0.5. */
  auc: number;
  /** Whether `data.allow_leaky` lists it (then training logs nothing about it). */
  allowed: boolean;
}

/** Single-column AUC of one typed column against `y` (rows `idx`), or null when it cannot be measured. */
export function singleColumnAuc(
  values: Float64Array | (string | null)[],
  type: ColumnType,
  y: Uint8Array,
  idx: ArrayLike<number>,
): number | null {
  const ys: number[] = [];
  const score: number[] = [];
  if (type !== "categorical") {
    const v = values as Float64Array;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      if (Number.isNaN(v[i]!)) continue;
      ys.push(y[i]!);
      score.push(v[i]!);
    }
  } else {
    const v = values as (string | null)[];
    const counts = new Map<string, { n: number; pos: number }>();
    for (let k = 0; k < idx.length; k++) {
      const l = v[idx[k]!];
      if (l === null || l === undefined) continue;
      const c = counts.get(l) ?? { n: 0, pos: 0 };
      c.n++;
      c.pos += y[idx[k]!]!;
      counts.set(l, c);
    }
    let known = 0;
    for (const c of counts.values()) known += c.n;
    if (!leakCheckable(counts.size, known)) return null;
    for (let k = 0; k < idx.length; k++) {
      const l = v[idx[k]!];
      if (l === null || l === undefined) continue;
      const c = counts.get(l)!;
      ys.push(y[idx[k]!]!);
      score.push(c.pos / c.n);
    }
  }
  const auc = rocAuc(ys, score);
  return Number.isNaN(auc) ? null : foldAuc(auc);
}

/**
 * The inputs of `t` that leak by eda's rule, in input order, each marked `allowed` when `allow` lists it.
 */
export function findLeaks(
  t: TypedTable,
  inputs: { column: string; type: ColumnType }[],
  y: Uint8Array,
  allow: readonly string[] = [],
): LeakyColumn[] {
  const n = t.rows;
  const m = Math.min(n, LEAK_SAMPLE);
  const idx = Int32Array.from({ length: m }, (_, k) => Math.floor((k * n) / m));
  const out: LeakyColumn[] = [];
  for (const { column, type } of inputs) {
    const col = t.columns.get(column);
    if (!col) continue;
    const auc = singleColumnAuc(col.values, type, y, idx);
    if (leaks(auc)) out.push({ column, type, auc, allowed: allow.includes(column) });
  }
  return out;
}

/** The log line (and report text) for one leaking column: eda's wording, with the training remedies. */
export function leakMessage(l: LeakyColumn): string {
  return `column "${l.column}" may leak the target: ${leakHow(l.type, l.auc)}; check that it is known before the customer churns, else drop it (data.drop), or list it in data.allow_leaky once checked`;
}

/**
 * |Spearman ρ| with the duration at or above which a numeric input counts as a function of the duration: a total
 * charge that grows with tenure (Telco's TotalCharges ≈ tenure × MonthlyCharges has ρ 0.89 with tenure) tells the
 * model how long the customer stayed, which at predict time is the answer, not a cause.
 */
export const DURATION_RHO = 0.8;

/** An input that is (nearly) a monotone function of the survival task's duration column. */
export interface DurationLeak {
  /** The input column. */
  column: string;
  /** Its Spearman rank correlation with the duration on the training rows (missing values left out). */
  rank_correlation: number;
  /** Whether `data.allow_leaky` lists it (then training logs nothing about it). */
  allowed: boolean;
}

/** Average ranks (ties share their mean rank), 0-based. */
function averageRanks(v: Float64Array): Float64Array {
  const order = Int32Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const r = new Float64Array(v.length);
  for (let k = 0; k < order.length;) {
    let e = k;
    while (e + 1 < order.length && v[order[e + 1]!] === v[order[k]!]) e++;
    for (let q = k; q <= e; q++) r[order[q]!] = (k + e) / 2;
    k = e + 1;
  }
  return r;
}

/** Spearman's ρ of two equally long columns (NaN when either is constant). */
export function spearman(a: Float64Array, b: Float64Array): number {
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += ra[i]!;
    mb += rb[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = ra[i]! - ma;
    const y = rb[i]! - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}

/**
 * The numeric inputs of `t` whose rank correlation with `duration` is at least {@link DURATION_RHO} in magnitude,
 * in input order, measured as {@link findLeaks} does (on at most {@link LEAK_SAMPLE} evenly spaced rows).
 */
export function findDurationLeaks(
  t: TypedTable,
  inputs: { column: string; type: ColumnType }[],
  duration: Float64Array,
  allow: readonly string[] = [],
): DurationLeak[] {
  const n = t.rows;
  const m = Math.min(n, LEAK_SAMPLE);
  const out: DurationLeak[] = [];
  for (const { column, type } of inputs) {
    const col = t.columns.get(column);
    if (!col || type !== "numeric") continue;
    const v = col.values as Float64Array;
    const xs: number[] = [];
    const ds: number[] = [];
    for (let k = 0; k < m; k++) {
      const i = Math.floor((k * n) / m);
      if (Number.isNaN(v[i]!)) continue;
      xs.push(v[i]!);
      ds.push(duration[i]!);
    }
    if (xs.length < 3) continue;
    const rho = spearman(Float64Array.from(xs), Float64Array.from(ds));
    if (Math.abs(rho) >= DURATION_RHO) out.push({ column, rank_correlation: rho, allowed: allow.includes(column) });
  }
  return out;
}

/** The log line (and report text) for an input that is a function of the duration. */
export function durationLeakMessage(l: DurationLeak, duration: string): string {
  return `column "${l.column}" looks like a function of the duration column "${duration}" (Spearman ρ ${l.rank_correlation.toFixed(3)}): it tells the model how long the customer stayed; drop it (data.drop), or list it in data.allow_leaky once checked`;
}
