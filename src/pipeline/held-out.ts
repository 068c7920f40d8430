/**
 * The held-out rows (validation or test split) that permutation importance and the report read as text, bounded:
 * past `maxRows`, a stratified sample of them for importance, and the same sample plus the highest-risk rows for the
 * report (which explains a spread of its rows and lists the highest-risk customers). So that the text read back does
 * not grow with the table: every other use of held-out rows (metrics, curves, calibration) reads them typed.
 */
import type { RawTable } from "../data/load.js";
import { takeRows } from "../data/load.js";
import type { TrainingSource } from "../data/source.js";
import { stratifiedSample } from "../data/split.js";

/** The rows the report lists as highest-risk (model-report.ts); always in its sample. */
export const TOP_RISK_ROWS = 5;

/** What {@link heldOutText} reads. */
export interface HeldOutText {
  /** The rows permutation importance measures on: all held-out rows, or a stratified sample of `maxRows`. */
  importance: RawTable;
  /** The rows the report explains: `importance`'s, plus the highest-risk rows when those were sampled. */
  report: RawTable;
  /** How many held-out rows `importance` was drawn from. */
  of: number;
}

/**
 * Read held-out rows `rows` of `source` (0/1 labels `y` and churn probabilities `p` of the saved model, one per
 * entry of `rows`) back as text, bounded by `maxRows` as described above; the sample is seeded by `seed`, as
 * permutation importance's own sample is, so a table under the bound is read whole, as before.
 */
export async function heldOutText(
  source: TrainingSource,
  rows: ArrayLike<number>,
  y: Uint8Array,
  p: Float64Array,
  maxRows: number,
  seed: number,
): Promise<HeldOutText> {
  const sample = stratifiedSample(y, maxRows, seed);
  if (!sample) {
    const all = await source.rawRows(rows);
    return { importance: all, report: all, of: rows.length };
  }
  const order = Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[b]! - p[a]! || a - b);
  const picked = new Set<number>(sample);
  for (const i of order.slice(0, TOP_RISK_ROWS)) picked.add(i);
  const union = Int32Array.from(picked).sort();
  const report = await source.rawRows(Int32Array.from(union, (i) => rows[i]!));
  const inSample = new Set<number>(sample);
  const positions: number[] = [];
  for (let k = 0; k < union.length; k++) if (inSample.has(union[k]!)) positions.push(k);
  return { importance: takeRows(report, positions), report, of: rows.length };
}
