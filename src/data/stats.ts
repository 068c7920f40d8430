/**
 * Reference statistics of each input column on the training rows, stored in model.json so
 * that later data can be compared with what the model learned from (drift checks).
 */
import { dict } from "../utils/dict.js";
import type { TypedTable } from "./typed.js";

export type ColumnStats =
  | { type: "numeric" | "boolean"; missing_share: number; mean: number; std: number; min: number; max: number; quantiles: Record<string, number> }
  | { type: "categorical"; missing_share: number; distinct: number; top: Record<string, number> };

const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

/** Linear-interpolation quantile of sorted values (numpy's default). */
export function quantileSorted(s: ArrayLike<number>, q: number): number {
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export function referenceStats(t: TypedTable, columns: string[]): Record<string, ColumnStats> {
  const out = dict<ColumnStats>();
  for (const name of columns) {
    const c = t.columns.get(name)!;
    if (c.values instanceof Float64Array) {
      const vals = Float64Array.from(c.values.filter((v) => !Number.isNaN(v))).sort();
      let sum = 0;
      for (const v of vals) sum += v;
      const mean = vals.length ? sum / vals.length : NaN;
      let ss = 0;
      for (const v of vals) ss += (v - mean) ** 2;
      const quantiles: Record<string, number> = {};
      for (const q of QUANTILES) quantiles[String(q)] = quantileSorted(vals, q);
      out[name] = {
        type: c.type as "numeric" | "boolean",
        missing_share: (t.rows - vals.length) / t.rows,
        mean,
        std: vals.length ? Math.sqrt(ss / vals.length) : NaN,
        min: vals.length ? vals[0]! : NaN,
        max: vals.length ? vals[vals.length - 1]! : NaN,
        quantiles,
      };
    } else {
      const counts = new Map<string, number>();
      let missing = 0;
      for (const v of c.values) v === null ? missing++ : counts.set(v, (counts.get(v) ?? 0) + 1);
      const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 50);
      out[name] = { type: "categorical", missing_share: missing / t.rows, distinct: counts.size, top: Object.fromEntries(top.map(([k, n]) => [k, n / t.rows])) };
    }
  }
  return out;
}
