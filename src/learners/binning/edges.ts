/**
 * The one rule for numeric bin edges, shared by `tree`, `forest` and `gbdt` (after scikit-learn's
 * `_hist_gradient_boosting/binning.py`), and the row sample edges are found on.
 *
 * - `maxBins` null (exact mode), or at most `maxBins` distinct values: every distinct value gets its
 *   own bin; the edges are the midpoints between consecutive distinct values.
 * - Otherwise the edges are the `maxBins - 1` inner quantiles (`linspace(0, 100, maxBins + 1)[1:-1]`,
 *   "midpoint" interpolation, as numpy's `percentile(..., method="midpoint")`); duplicate edges (heavy
 *   ties) are dropped, so a feature may get fewer bins.
 * - With row weights (gbdt's survival fits: the Cox hessian at the initial score, `bin_weights`), the quantiles
 *   are of the weight instead of the row count, as XGBoost's hist sketch ranks candidate cuts by hessian: the
 *   edge k of `maxBins - 1` follows the first distinct value whose cumulative weight reaches k/maxBins of the
 *   total (midway to the next distinct value), so bins are finest where the split gain has most hessian.
 * - A value `x` goes to bin `b` = the first `b` with `x <= edges[b]` (or the last bin), so "bin <= b" is
 *   exactly "x <= edges[b]".
 *
 * The rule was chosen by measurement (bench/binning.mjs): against the greedy count rule that tree and
 * forest used before, test AUC moved by at most 0.0025 either way on four tables, and this one is the rule
 * gbdt's scikit-learn reference tests pin.
 */
import { Rng } from "../../utils/random.js";
import { sortNumbers } from "../../utils/sort-numbers.js";

/**
 * Most rows edges are found on; larger tables use a sample of this many rows drawn with the fit's seed,
 * as scikit-learn's `subsample=2e5`. Exact mode never samples.
 */
export const BINNING_SUBSAMPLE = 200_000;

/** numpy `percentile(sorted, q, method="midpoint")` on a sorted array. */
function percentileMidpoint(sorted: Float64Array, q: number): number {
  const pos = (q / 100) * (sorted.length - 1);
  return 0.5 * (sorted[Math.floor(pos)]! + sorted[Math.ceil(pos)]!);
}

/**
 * Midpoint of distinct values `a < b`, kept in `[a, b)` and finite: rounding can land the midpoint of
 * adjacent doubles on `b`, and `a + b` can overflow near the largest double.
 */
function midpoint(a: number, b: number): number {
  let m = 0.5 * (a + b);
  if (!Number.isFinite(m)) m = a / 2 + b / 2;
  return m < b ? m : a;
}

/**
 * Bin of `v` (not NaN) among `edges` (ascending): the first `b` with `v <= edges[b]`, else `edges.length`
 * (the rule above), i.e. how many edges are below `v`. Branch-free (Khuong and Morin's lower bound): the
 * comparison feeds an add instead of a branch, whose direction a random value mispredicts half the time;
 * measured 2.3x faster (26 ns against 60 ns per value for 254 edges), and binning 30 M values is ~5% of a fit.
 */
export function binOf(edges: Float64Array, v: number): number {
  let n = edges.length;
  if (n === 0) return 0;
  let base = 0;
  while (n > 1) {
    const half = n >>> 1;
    // A boolean in `| 0` is 0 or 1 (TypeScript types only numbers there, hence the cast).
    const below = (edges[base + half - 1]! < v) as unknown as number;
    base += half & -(below | 0);
    n -= half;
  }
  const below = (edges[base]! < v) as unknown as number;
  return base + (below | 0);
}

/**
 * Edges of one numeric column (NaN values ignored) by the rule above; `maxBins` null = exact. `weights`
 * (same length as `values`, finite and >= 0) makes the quantiles weighted; null: every row counts 1.
 */
export function numericEdges(
  values: Float64Array,
  maxBins: number | null,
  weights: Float64Array | null = null,
): Float64Array {
  // A plain loop, not filter(callback): this runs on 200,000 values per column in every large fit.
  const kept = new Float64Array(values.length);
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) kept[m++] = v;
  }
  const sorted = sortNumbers(kept.subarray(0, m));
  let nDistinct = 0;
  for (let i = 0; i < m; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) nDistinct++;
  const edges: number[] = [];
  if (weights !== null && maxBins !== null && nDistinct > maxBins) {
    const w = weightedEdges(values, weights, sorted, nDistinct, maxBins);
    if (w) return w;
  }
  if (maxBins === null || nDistinct <= maxBins) {
    let prev = sorted[0]!;
    for (let i = 1; i < m; i++) {
      const v = sorted[i]!;
      if (v === prev) continue;
      edges.push(midpoint(prev, v));
      prev = v;
    }
  } else {
    for (let k = 1; k < maxBins; k++) {
      const e = percentileMidpoint(sorted, (100 * k) / maxBins);
      if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
    }
  }
  return Float64Array.from(edges);
}

/**
 * Weighted-quantile edges (see the rule above) of `values` with `weights`, `sorted` its non-NaN values ascending
 * with `nDistinct` distinct ones; null when the weights sum to no positive total (the count rule applies then).
 */
function weightedEdges(
  values: Float64Array,
  weights: Float64Array,
  sorted: Float64Array,
  nDistinct: number,
  maxBins: number,
): Float64Array | null {
  if (weights.length !== values.length)
    throw new Error(`bin weights: ${weights.length} weights for ${values.length} values`);
  const distinct = new Float64Array(nDistinct);
  for (let i = 0, d = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct[d++] = sorted[i]!;
  // Weight of each distinct value, added in row order (deterministic); v is one of `distinct`, so binOf finds it.
  const wd = new Float64Array(nDistinct);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    const wi = weights[i]!;
    if (!(wi >= 0) || !Number.isFinite(wi)) throw new Error(`bin weights: weight ${i} is ${wi}, expected finite >= 0`);
    wd[binOf(distinct, v)]! += wi;
  }
  let total = 0;
  for (let d = 0; d < nDistinct; d++) total += wd[d]!;
  if (!(total > 0)) return null;
  const edges: number[] = [];
  // Rounding slack of the running sum, so that equal weights cut where counting rows would.
  const slack = 1e-12 * total;
  let cum = 0;
  let k = 1;
  for (let d = 0; d < nDistinct - 1 && k < maxBins; d++) {
    cum += wd[d]!;
    if (cum + slack < (k * total) / maxBins) continue;
    edges.push(midpoint(distinct[d]!, distinct[d + 1]!));
    while (k < maxBins && cum + slack >= (k * total) / maxBins) k++;
  }
  return Float64Array.from(edges);
}

/**
 * The rows edges are found on: `rows` (null = all `n`) when there are at most `limit`, else `limit` of
 * them drawn without replacement by a shuffle seeded with `seed`, ascending.
 */
export function edgeSample(
  rows: Uint32Array | null,
  n: number,
  seed: number,
  limit = BINNING_SUBSAMPLE,
): Uint32Array | null {
  if (n <= limit) return rows;
  const all = rows ? Uint32Array.from(rows) : Uint32Array.from({ length: n }, (_, i) => i);
  new Rng(seed).shuffle(all);
  return all.subarray(0, limit).sort();
}
