/**
 * Permutation importance, for every family: shuffle one original input column of labelled rows, score the rows
 * again and measure how much the model's metric drops (ROC AUC of the churn probabilities; a survival model's
 * Harrell's C-index of its log hazards). The caller's scorer recomputes derived features and encodings from the
 * typed input columns, so the result is per input column, with derived and one-hot features folded back by
 * construction. The model-level importance (this plus gain or coefficients) is artifact/importance.ts.
 */
import { takeColumn, type TypedTable } from "../data/typed.js";
import { Rng } from "../utils/random.js";
import { rocAuc } from "./metrics.js";

/** Permutation importance of one input column over the repeats. */
export interface ImportanceStat {
  /** Mean drop in the metric (ROC AUC; a survival model's C-index) over the repeats (higher = more important). */
  mean: number;
  /** Standard deviation of the drop over the repeats. */
  std: number;
}

/** Options of permutation importance. */
export interface PermutationOptions {
  /** Shuffles per column. Default 5. */
  repeats?: number;
  /** Seed of the shuffles. Default 0. */
  seed?: number;
}

/** Scores typed input rows: one score per row, in row order (a churn probability, or a survival model's log hazard). */
export type TypedScorer = (rows: TypedTable) => Promise<Float64Array>;

/** How good the scores of the rows are (higher is better): ROC AUC against labels, or a C-index. */
export type ScoreMetric = (scores: Float64Array) => number;

/** ROC AUC against 0/1 labels `y`: classification's metric of permutation importance. */
export const aucMetric =
  (y: Uint8Array): ScoreMetric =>
  (p) =>
    rocAuc(y, p);

/**
 * Permutation importance of each of `columns` of `typed` (labelled rows measured by `metric`, e.g.
 * {@link aucMetric}), sorted by mean drop, largest first (ties by name).
 */
export async function permutationDrops(
  score: TypedScorer,
  typed: TypedTable,
  metric: ScoreMetric,
  columns: readonly string[],
  opts: PermutationOptions = {},
): Promise<Record<string, ImportanceStat>> {
  const repeats = opts.repeats ?? 5;
  const rng = new Rng(opts.seed ?? 0);
  const base = metric(await score(typed));
  const out: [string, ImportanceStat][] = [];
  for (const name of columns) {
    const drops: number[] = [];
    const col = typed.columns.get(name)!;
    for (let r = 0; r < repeats; r++) {
      const order = rng.shuffle(Int32Array.from({ length: typed.rows }, (_, i) => i));
      const shuffled = new Map(typed.columns);
      shuffled.set(name, takeColumn(col, order));
      drops.push(base - metric(await score({ ...typed, columns: shuffled })));
    }
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    const std = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats);
    out.push([name, { mean, std }]);
  }
  out.sort((a, b) => b[1].mean - a[1].mean || (a[0] < b[0] ? -1 : 1));
  return Object.fromEntries(out);
}
