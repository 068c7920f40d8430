/**
 * Reference statistics of each input column on the training rows, stored in model.json so
 * that later data can be compared with what the model learned from (drift checks).
 */
import { dict } from "../utils/dict.js";
import { sortNumbers } from "../utils/sort-numbers.js";
import type { TypedTable } from "./typed.js";

/**
 * Row counts of a numeric column over bins cut at its training deciles (for drift checks): bin 0 holds values
 * ≤ `edges[0]`, bin i values in (`edges[i-1]`, `edges[i]`], the last bin values > the last edge (see `binIndex`).
 */
export interface NumericHistogram {
  /**
   * Ascending, distinct bin edges: the training deciles 0.1 … 0.9 (fewer when values repeat; none when all missing);
   * for the score, the fixed `SCORE_EDGES`.
   */
  edges: number[];
  /** Non-missing rows per bin, `edges.length + 1` of them. */
  counts: number[];
  /** Rows where the value is missing. */
  missing: number;
}

/** Row counts of a categorical column by level (for drift checks), the most frequent levels first. */
export interface LevelHistogram {
  /** The `MAX_LEVELS` most frequent levels at most, by decreasing count (ties in code-unit order). */
  levels: string[];
  /** Rows with each level, in the order of `levels`. */
  counts: number[];
  /** Rows with a level not in `levels` (0 when `levels` lists every level seen). */
  other: number;
  /** Rows where the value is missing. */
  missing: number;
}

/** Levels of a categorical column whose counts model.json keeps (the rest are counted together). */
export const MAX_LEVELS = 1000;

/**
 * Reference statistics of one input column on the training rows (for drift checks): quantiles and a decile
 * histogram for numbers, the most frequent levels and level counts for categories. `histogram` is absent in
 * files of format 1.0 (churnkit before 0.12).
 */
export type ColumnStats = NumericColumnStats | CategoricalColumnStats;

/** {@link ColumnStats} of a numeric or boolean column. */
export type NumericColumnStats = {
  /** How the column is read. */
  type: "numeric" | "boolean";
  /** Share of training rows where the value is missing, 0 to 1. */
  missing_share: number;
  /** Mean of the non-missing values. */
  mean: number;
  /** Standard deviation (population) of the non-missing values. */
  std: number;
  /** Smallest non-missing value. */
  min: number;
  /** Largest non-missing value. */
  max: number;
  /** Quantiles of the non-missing values by level ("0.01" … "0.99"), linearly interpolated. */
  quantiles: Record<string, number>;
  /** Rows per decile bin, and missing rows (absent in format 1.0). */
  histogram?: NumericHistogram;
};

/** {@link ColumnStats} of a categorical column. */
export type CategoricalColumnStats = {
  /** How the column is read. */
  type: "categorical";
  /** Share of training rows where the value is missing, 0 to 1. */
  missing_share: number;
  /** Number of distinct non-missing levels. */
  distinct: number;
  /** The 50 most frequent levels, each with its share of all training rows. */
  top: Record<string, number>;
  /** Rows per level, and missing rows (absent in format 1.0). */
  histogram?: LevelHistogram;
};

const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

/** Linear-interpolation quantile of sorted values (numpy's default). */
export function quantileSorted(s: ArrayLike<number>, q: number): number {
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/**
 * Mean and population standard deviation of finite values, NaN for none. When the plain sums
 * overflow (finite values near Number.MAX_VALUE, 1e308), they are computed again on values
 * scaled by the largest magnitude, so the result stays finite; otherwise they are the plain
 * sums, bit for bit.
 */
export function meanStd(vals: ArrayLike<number>): { mean: number; std: number } {
  const n = vals.length;
  if (n === 0) return { mean: NaN, std: NaN };
  const plain = moments(vals, 1);
  if (Number.isFinite(plain.mean) && Number.isFinite(plain.std)) return plain;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(vals[i]!));
  const scaled = moments(vals, scale);
  return { mean: scaled.mean * scale, std: scaled.std * scale };
}

function moments(vals: ArrayLike<number>, scale: number): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < vals.length; i++) sum += vals[i]! / scale;
  const mean = sum / vals.length;
  let ss = 0;
  for (let i = 0; i < vals.length; i++) ss += (vals[i]! / scale - mean) ** 2;
  return { mean, std: Math.sqrt(ss / vals.length) };
}

/** The non-missing (non-NaN) values of a column, in row order (a loop: `filter`'s callback per value is slow). */
export function present(values: Float64Array): Float64Array {
  let k = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) k++;
  const out = new Float64Array(k);
  k = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) out[k++] = values[i]!;
  return out;
}

/**
 * The `k`-th smallest of numbers without NaN (k from 0), found by Hoare's selection (Wirth's form) in place: `a` is
 * reordered so that `a[k]` holds it, everything before is ≤ and everything after ≥. Linear time on average; what
 * the median needs, where a full sort of 800,000 training values per column took most of preprocessing.
 */
export function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const x = a[lo]!;
    const y = a[(lo + hi) >>> 1]!;
    const z = a[hi]!;
    // The median of three as pivot: sorted or reversed runs do not make it quadratic.
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    // Now a[lo..j] ≤ pivot ≤ a[i..hi], and a[j+1..i-1] equal the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** The median of numbers without NaN (the mean of the middle two for an even count); reorders `a`. NaN for none. */
export function medianOf(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return NaN;
  const m = n >> 1;
  const upper = kthSmallest(a, m);
  if (n % 2) return upper;
  let lower = a[0]!;
  for (let i = 1; i < m; i++) if (a[i]! > lower) lower = a[i]!;
  return lower / 2 + upper / 2; // halves first: no overflow near 1e308
}

/** Inner deciles: the edges of the reference histogram of a number. */
const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/**
 * Edges of the reference histogram of the model's score: 20 bins of width 0.05 over [0, 1]. A fixed grid, not
 * deciles: the reference scores come from the model fitted before the refit, and when scores barely vary (a model
 * that learned little), decile edges would sit inside that narrow mass, where the refit's tiny differences move
 * every row across them.
 */
export const SCORE_EDGES: readonly number[] = Array.from({ length: 19 }, (_, i) => Number(((i + 1) * 0.05).toFixed(2)));

/** The bin of `x` among ascending `edges`: the number of edges below it (so a value equal to an edge goes left). */
export function binIndex(edges: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The reference statistics of numeric values (NaN = missing): moments, quantiles and the histogram over the
 * deciles (or over the given `edges`, ascending: `SCORE_EDGES` for the model's validation scores).
 */
export function numericStats(
  values: Float64Array,
  type: "numeric" | "boolean" = "numeric",
  fixedEdges?: readonly number[],
): NumericColumnStats {
  const vals = sortNumbers(present(values));
  const { mean, std } = meanStd(vals);
  const quantiles: Record<string, number> = {};
  for (const q of QUANTILES) quantiles[String(q)] = quantileSorted(vals, q);
  const edges: number[] = fixedEdges ? [...fixedEdges] : [];
  if (!fixedEdges && vals.length > 0)
    for (const q of DECILES) {
      const e = quantileSorted(vals, q);
      if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
    }
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < vals.length; i++) counts[binIndex(edges, vals[i]!)]!++;
  return {
    type,
    missing_share: (values.length - vals.length) / values.length,
    mean,
    std,
    min: vals.length ? vals[0]! : NaN,
    max: vals.length ? vals[vals.length - 1]! : NaN,
    quantiles,
    histogram: { edges, counts, missing: values.length - vals.length },
  };
}

/** The reference statistics of category labels (null = missing): the top shares and the level counts. */
export function categoricalStats(values: readonly (string | null)[]): CategoricalColumnStats {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const v of values) v === null ? missing++ : counts.set(v, (counts.get(v) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const kept = sorted.slice(0, MAX_LEVELS);
  let other = 0;
  for (let i = MAX_LEVELS; i < sorted.length; i++) other += sorted[i]![1];
  return {
    type: "categorical",
    missing_share: missing / values.length,
    distinct: counts.size,
    top: Object.fromEntries(sorted.slice(0, 50).map(([k, n]) => [k, n / values.length])),
    histogram: { levels: kept.map(([k]) => k), counts: kept.map(([, n]) => n), other, missing },
  };
}

/** The reference statistics of the given columns of a typed training table, by column name. */
export function referenceStats(t: TypedTable, columns: string[]): Record<string, ColumnStats> {
  const out = dict<ColumnStats>();
  for (const name of columns) {
    const c = t.columns.get(name)!;
    out[name] =
      c.values instanceof Float64Array
        ? numericStats(c.values, c.type as "numeric" | "boolean")
        : categoricalStats(c.values);
  }
  return out;
}
