/**
 * Simple feature selection on the training rows: drop columns that cannot help
 * (a single value) or that are mostly missing. Each drop is reported with its reason.
 */
import type { ColumnType } from "../data/schema.js";
import type { TypedTable } from "../data/typed.js";

/** Settings of feature selection (config `features`), applied to the training rows only. */
export interface SelectionOptions {
  /** Drop features with one distinct value (missing not counted). Default true. */
  drop_constant: boolean;
  /** Drop features missing in more than this share of rows. Default 0.95. */
  max_missing_share: number;
}

/** A candidate feature that selection left out, and why (reported in model.json and the report). */
export interface DroppedFeature {
  /** The column left out. */
  column: string;
  /** Why, in words (e.g. "constant (one value in training)"). */
  reason: string;
}

/**
 * Choose the model's features among the candidates: drop those with all values missing, missing in more than
 * `max_missing_share` of rows, or (with `drop_constant`) a single value.
 */
export function selectFeatures(
  t: TypedTable,
  candidates: { column: string; type: ColumnType }[],
  opts: SelectionOptions,
): { kept: { column: string; type: ColumnType }[]; dropped: DroppedFeature[] } {
  const kept: { column: string; type: ColumnType }[] = [];
  const dropped: DroppedFeature[] = [];
  for (const c of candidates) {
    const values = t.columns.get(c.column)!.values;
    let missing = 0;
    const distinct = new Set<string | number>();
    for (let i = 0; i < t.rows; i++) {
      const v = values[i];
      if (v === null || (typeof v === "number" && Number.isNaN(v))) missing++;
      else if (distinct.size < 2) distinct.add(v!);
    }
    const share = t.rows ? missing / t.rows : 1;
    if (missing === t.rows) dropped.push({ column: c.column, reason: "all values missing" });
    else if (share > opts.max_missing_share)
      dropped.push({
        column: c.column,
        reason: `${(share * 100).toFixed(1)}% missing (more than features.max_missing_share ${opts.max_missing_share})`,
      });
    else if (opts.drop_constant && distinct.size < 2)
      dropped.push({ column: c.column, reason: "constant (one value in training)" });
    else kept.push(c);
  }
  return { kept, dropped };
}
