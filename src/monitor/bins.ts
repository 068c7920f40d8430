/**
 * The bins a column's drift is measured over, taken from its reference statistics in model.json, and the
 * counting of current values into them. Numbers: the training deciles, plus a bin for missing values. Categories:
 * each level with at least {@link MIN_LEVEL_SHARE} of the training rows (the {@link MAX_LEVEL_BINS} most frequent
 * at most), one bin for every other level (unseen ones included) and one for missing values.
 */
import { binIndex, type LevelHistogram, type NumericHistogram } from "../data/stats.js";

/** A level with a smaller share of the training rows shares the "other levels" bin (its own PSI term would be noise). */
export const MIN_LEVEL_SHARE = 0.01;
/** Levels with a bin of their own at most. */
export const MAX_LEVEL_BINS = 20;
/** Label of the bin of missing values. */
export const MISSING_BIN = "(missing)";
/** Label of the bin of the levels without a bin of their own. */
export const OTHER_BIN = "(other levels)";

/** Bins with their labels and reference row counts; the last bin holds the missing values. */
export interface Bins {
  /** One label per bin, e.g. "≤ 12", "12 – 29", "> 69", "Month-to-month", "(missing)". */
  labels: string[];
  /** Reference rows per bin. */
  reference: number[];
}

/** A number as a short bin label (4 significant digits, no trailing zeros). */
const num = (v: number): string => String(Number(v.toPrecision(4)));

/** The bins of a numeric column: one per decile interval, then missing. */
export function numericBins(h: NumericHistogram): Bins {
  const e = h.edges;
  const labels =
    e.length === 0
      ? ["(any value)"]
      : [`≤ ${num(e[0]!)}`, ...e.slice(1).map((x, i) => `${num(e[i]!)} – ${num(x)}`), `> ${num(e[e.length - 1]!)}`];
  return { labels: [...labels, MISSING_BIN], reference: [...h.counts, h.missing] };
}

/** Add the current values (NaN = missing) to `counts`, over the bins of {@link numericBins}. */
export function countNumeric(h: NumericHistogram, values: Float64Array, counts: number[]): void {
  const missing = counts.length - 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    counts[Number.isNaN(v) ? missing : binIndex(h.edges, v)]!++;
  }
}

/** The bins of a categorical column, and which bin each binned level has. */
export interface LevelBins extends Bins {
  /** The bin of each level that has one of its own. */
  binOf: Map<string, number>;
}

/** The bins of a categorical column: its frequent levels, then the other levels, then missing. */
export function levelBins(h: LevelHistogram): LevelBins {
  let rows = h.other + h.missing;
  for (const c of h.counts) rows += c;
  const binOf = new Map<string, number>();
  const labels: string[] = [];
  const reference: number[] = [];
  let other = h.other;
  h.levels.forEach((level, i) => {
    const n = h.counts[i]!;
    if (labels.length < MAX_LEVEL_BINS && n >= MIN_LEVEL_SHARE * rows) {
      binOf.set(level, labels.length);
      labels.push(level);
      reference.push(n);
    } else other += n;
  });
  return { labels: [...labels, OTHER_BIN, MISSING_BIN], reference: [...reference, other, h.missing], binOf };
}

/** Add the current level counts (by level; missing values under `null`) to `counts`, over the bins of {@link levelBins}. */
export function countLevels(b: LevelBins, levels: Map<string | null, number>, counts: number[]): void {
  const other = counts.length - 2;
  for (const [level, n] of levels) counts[level === null ? other + 1 : (b.binOf.get(level) ?? other)]! += n;
}
