/**
 * Fold per-model-column contributions back to the original input columns: one-hot levels and
 * derived features each name their `source`, and contributions are additive, so a source's
 * contribution is the sum over its model columns.
 */
import type { FeatureInfo } from "../core/types.js";

/** How model columns map to input columns. */
export interface FoldPlan {
  /** Input column names, in order of first appearance among the model columns (stable). */
  columns: string[];
  /** For each model column, the index of its source in `columns`. */
  index: Int32Array;
}

/** Build the mapping from model columns to their `source` columns. */
export function foldPlan(features: readonly FeatureInfo[]): FoldPlan {
  const columns: string[] = [];
  const pos = new Map<string, number>();
  const index = new Int32Array(features.length);
  features.forEach((f, j) => {
    let k = pos.get(f.source);
    if (k === undefined) {
      k = columns.length;
      pos.set(f.source, k);
      columns.push(f.source);
    }
    index[j] = k;
  });
  return { columns, index };
}

/** Sum `contributions` (one per model column) into one value per input column, in `plan.columns` order. */
export function foldInto(plan: FoldPlan, contributions: ArrayLike<number>, out: Float64Array): Float64Array {
  if (contributions.length !== plan.index.length)
    throw new Error(`explain: ${contributions.length} contributions for ${plan.index.length} model columns`);
  out.fill(0);
  for (let j = 0; j < plan.index.length; j++) out[plan.index[j]!]! += contributions[j]!;
  return out;
}

/**
 * `{ column: value }` for one row. Keys follow `plan.columns` order (JavaScript lists
 * integer-like keys such as "7" first; use `plan.columns` when order matters).
 */
export function foldRow(plan: FoldPlan, contributions: ArrayLike<number>): Record<string, number> {
  const v = foldInto(plan, contributions, new Float64Array(plan.columns.length));
  // fromEntries defines own properties, so a column named "__proto__" is kept as data.
  return Object.fromEntries(plan.columns.map((c, k) => [c, v[k]!]));
}

/** Fold a row-major `nRows × nModelColumns` block into a row-major `nRows × plan.columns.length` block. */
export function foldBatch(plan: FoldPlan, contributions: Float64Array, nRows: number): Float64Array {
  const m = plan.index.length;
  const c = plan.columns.length;
  if (contributions.length !== nRows * m)
    throw new Error(`explain: expected ${nRows} × ${m} contributions, got ${contributions.length}`);
  const out = new Float64Array(nRows * c);
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < m; j++) out[i * c + plan.index[j]!]! += contributions[i * m + j]!;
  }
  return out;
}

/** `{ column: value }` per row of a row-major block (see {@link foldRow}). */
export function foldRows(plan: FoldPlan, contributions: Float64Array, nRows: number): Record<string, number>[] {
  const m = plan.index.length;
  const rows: Record<string, number>[] = [];
  for (let i = 0; i < nRows; i++) rows.push(foldRow(plan, contributions.subarray(i * m, (i + 1) * m)));
  return rows;
}
