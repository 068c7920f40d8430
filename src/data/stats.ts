/**
 * Reference statistics of each input column on the training rows, stored in model.json so
 * that later data can be compared with what the model learned from (drift checks).
 */
import { dict } from "../utils/dict.js";
import type { TypedTable } from "./typed.js";

/**
 * Reference statistics of one input column on the training rows (for drift checks): quantiles for numbers,
 * the most frequent levels for categories.
 */
export type ColumnStats =
  | {
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
    }
  | {
      /** How the column is read. */
      type: "categorical";
      /** Share of training rows where the value is missing, 0 to 1. */
      missing_share: number;
      /** Number of distinct non-missing levels. */
      distinct: number;
      /** The 50 most frequent levels, each with its share of all training rows. */
      top: Record<string, number>;
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

/** The reference statistics of the given columns of a typed training table, by column name. */
export function referenceStats(t: TypedTable, columns: string[]): Record<string, ColumnStats> {
  const out = dict<ColumnStats>();
  for (const name of columns) {
    const c = t.columns.get(name)!;
    if (c.values instanceof Float64Array) {
      const vals = Float64Array.from(c.values.filter((v) => !Number.isNaN(v))).sort();
      const { mean, std } = meanStd(vals);
      const quantiles: Record<string, number> = {};
      for (const q of QUANTILES) quantiles[String(q)] = quantileSorted(vals, q);
      out[name] = {
        type: c.type as "numeric" | "boolean",
        missing_share: (t.rows - vals.length) / t.rows,
        mean,
        std,
        min: vals.length ? vals[0]! : NaN,
        max: vals.length ? vals[vals.length - 1]! : NaN,
        quantiles,
      };
    } else {
      const counts = new Map<string, number>();
      let missing = 0;
      for (const v of c.values) v === null ? missing++ : counts.set(v, (counts.get(v) ?? 0) + 1);
      const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 50);
      out[name] = {
        type: "categorical",
        missing_share: missing / t.rows,
        distinct: counts.size,
        top: Object.fromEntries(top.map(([k, n]) => [k, n / t.rows])),
      };
    }
  }
  return out;
}
