/**
 * Binning: map every feature to small integer bins (Uint8) once, before boosting, so
 * that histograms are cheap. After scikit-learn's `_hist_gradient_boosting/binning.py`.
 *
 * Numeric features: at most `maxBins` value bins plus one bin for missing (NaN).
 * - If the column has at most `maxBins` distinct values, the edges are the midpoints
 *   between consecutive distinct values (every distinct value gets its own bin).
 * - Otherwise the edges are the `maxBins - 1` inner quantiles (`linspace(0, 100, maxBins + 1)[1:-1]`,
 *   "midpoint" interpolation, as numpy's `percentile(..., method="midpoint")`); duplicate edges
 *   (heavy ties) are dropped, so a feature may get fewer bins.
 * - A value `x` goes to bin `b` = the first `b` with `x <= edges[b]` (or the last bin), so
 *   "bin <= b" is exactly "x <= edges[b]": split thresholds are stored as raw values.
 *
 * Categorical features (integer codes `0..nCategories-1`):
 * - If `nCategories <= maxBins`, code `c` goes to bin `c`.
 * - Otherwise the codes seen in training get bins in code order if there are at most `maxBins`
 *   of them; else the rule is: the `maxBins - 1` most frequent codes in the training rows
 *   (ties: smaller code first) keep a bin each, numbered in code order, and every rarer code
 *   shares the last bin `maxBins - 1`. A split then sends all of those rare codes the same way.
 * - Codes that never occur in the training rows are unseen categories: they go to the missing
 *   bin, and trees route them like missing values.
 *
 * Missing values of feature `j` go to bin `nBins[j]`, one past its last value bin (so at most 255).
 */
import type { Matrix } from "../../core/types.js";
import { Rng } from "../../utils/random.js";

/** Rows used to find quantiles; larger tables are subsampled with the seed, like scikit-learn. */
export const BINNING_SUBSAMPLE = 200_000;

/** Learned binning of one feature. */
export interface FeatureBins {
  /** The feature's kind at fit time. */
  kind: "numeric" | "categorical";
  /** Number of value bins (missing is bin `nBins`). At least 1. */
  nBins: number;
  /** Numeric: upper edge of value bins `0..nBins-2` (the last bin is unbounded). Empty for categorical. */
  edges: Float64Array;
  /** Categorical: bin of each code `0..nCategories-1`. Empty for numeric. */
  binOfCode: Int32Array;
  /** Categorical: the codes in each value bin (usually one). Empty for numeric. */
  codesOfBin: number[][];
  /** Categorical: codes that never occur in the training rows (treated like missing at split time). */
  unseenCodes: number[];
}

/**
 * Row-major binned data: `bins[r * nFeatures + j]` is the bin of row `r` for feature `j`.
 * Row-major because histograms add one row to every feature's bins at once: consecutive
 * updates then hit different features' bins, which avoids store-to-load stalls on
 * low-cardinality features (a column-at-a-time loop was 2x slower).
 */
export interface BinnedMatrix {
  /** Rows (in the order binned). */
  nRows: number;
  /** Features; the row stride of `bins`. */
  nFeatures: number;
  /** `nRows * nFeatures` bins, row-major. */
  bins: Uint8Array;
}

/** numpy `percentile(sorted, q, method="midpoint")` on a sorted array. */
function percentileMidpoint(sorted: Float64Array, q: number): number {
  const pos = (q / 100) * (sorted.length - 1);
  return 0.5 * (sorted[Math.floor(pos)]! + sorted[Math.ceil(pos)]!);
}

/** Edges for one numeric column: midpoints of distinct values, or inner quantiles. */
export function numericEdges(values: Float64Array, maxBins: number): Float64Array {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) edges.push(0.5 * (distinct[i]! + distinct[i + 1]!));
  } else {
    for (let k = 1; k < maxBins; k++) {
      const e = percentileMidpoint(sorted, (100 * k) / maxBins);
      if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
    }
  }
  return Float64Array.from(edges);
}

function checkColumn(X: Matrix, j: number, rows: ArrayLike<number> | null): void {
  const f = X.features[j]!;
  const col = X.columns[j]!;
  const n = rows ? rows.length : X.nRows;
  for (let k = 0; k < n; k++) {
    const r = rows ? rows[k]! : k;
    const v = col[r]!;
    if (Number.isNaN(v)) continue;
    if (!Number.isFinite(v))
      throw new Error(`gbdt: feature "${f.name}" row ${r} is ${v}; use a finite number or NaN for missing`);
    if (f.kind === "categorical" && (!Number.isInteger(v) || v < 0 || v >= (f.nCategories ?? Infinity))) {
      throw new Error(
        `gbdt: categorical feature "${f.name}" row ${r} holds ${v}, not a code in 0..${(f.nCategories ?? 0) - 1}; use NaN for missing or unseen`,
      );
    }
  }
}

/** Learns the bins of every feature; then turns matrices into {@link BinnedMatrix}. */
export class BinMapper {
  /** Learned bins of each feature, in column order. */
  readonly features: FeatureBins[];
  /** Cap on value bins per feature (2..255). */
  readonly maxBins: number;

  private constructor(features: FeatureBins[], maxBins: number) {
    this.features = features;
    this.maxBins = maxBins;
  }

  /**
   * Fit on the given rows of `X` (all rows when `rows` is null).
   * `maxBins` (2..255) caps the value bins; `seed` drives the subsample above {@link BINNING_SUBSAMPLE} rows.
   */
  static fit(X: Matrix, maxBins: number, rows: Uint32Array | null = null, seed = 0): BinMapper {
    if (!(maxBins >= 2 && maxBins <= 255)) throw new Error(`gbdt: max_bins must be in 2..255, got ${maxBins}`);
    const n = rows ? rows.length : X.nRows;
    let sample: Uint32Array | null = rows;
    if (n > BINNING_SUBSAMPLE) {
      const all = rows ? Uint32Array.from(rows) : Uint32Array.from({ length: n }, (_, i) => i);
      new Rng(seed).shuffle(all);
      sample = all.subarray(0, BINNING_SUBSAMPLE).sort();
    }
    const features = X.features.map((f, j): FeatureBins => {
      checkColumn(X, j, rows);
      const col = X.columns[j]!;
      if (f.kind === "numeric") {
        const vals = sample ? Float64Array.from(sample, (r) => col[r]!) : col;
        const edges = numericEdges(vals, maxBins);
        return {
          kind: "numeric",
          nBins: edges.length + 1,
          edges,
          binOfCode: new Int32Array(0),
          codesOfBin: [],
          unseenCodes: [],
        };
      }
      let nCat = f.nCategories;
      if (nCat === undefined) {
        // No declared vocabulary size: codes seen in the training rows define it.
        nCat = 0;
        for (let k = 0; k < n; k++) {
          const v = col[rows ? rows[k]! : k]!;
          if (v + 1 > nCat) nCat = v + 1;
        }
      }
      return categoricalBins(col, nCat, maxBins, rows);
    });
    return new BinMapper(features, maxBins);
  }

  /** Bin every column of `X` (optionally only the given rows, in that order). */
  transform(X: Matrix, rows: Uint32Array | null = null): BinnedMatrix {
    if (X.columns.length !== this.features.length)
      throw new Error(`gbdt: expected ${this.features.length} features, got ${X.columns.length}`);
    const n = rows ? rows.length : X.nRows;
    const nf = this.features.length;
    const out = new Uint8Array(n * nf);
    this.features.forEach((fb, j) => {
      const col = X.columns[j]!;
      const missing = fb.nBins;
      if (fb.kind === "numeric") {
        const e = fb.edges;
        const ne = e.length;
        for (let k = 0; k < n; k++) {
          const v = col[rows ? rows[k]! : k]!;
          if (v !== v) {
            out[k * nf + j] = missing;
            continue;
          }
          // Binary search: first edge >= v.
          let lo = 0;
          let hi = ne;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (v <= e[mid]!) hi = mid;
            else lo = mid + 1;
          }
          out[k * nf + j] = lo;
        }
      } else {
        const boc = fb.binOfCode;
        for (let k = 0; k < n; k++) {
          const v = col[rows ? rows[k]! : k]!;
          // Codes out of range or absent from training are unseen categories: like missing.
          const b = v >= 0 && v < boc.length && Number.isInteger(v) ? boc[v]! : -1;
          out[k * nf + j] = b >= 0 ? b : missing;
        }
      }
    });
    return { nRows: n, nFeatures: nf, bins: out };
  }
}

function categoricalBins(
  col: Float64Array,
  nCategories: number,
  maxBins: number,
  rows: Uint32Array | null,
): FeatureBins {
  const counts = new Float64Array(nCategories);
  const n = rows ? rows.length : col.length;
  for (let k = 0; k < n; k++) {
    const v = col[rows ? rows[k]! : k]!;
    if (v === v) counts[v]!++;
  }
  const seen: number[] = [];
  const unseenCodes: number[] = [];
  for (let c = 0; c < nCategories; c++) (counts[c]! > 0 ? seen : unseenCodes).push(c);
  // Codes never seen in training map to the missing bin (-1 here), so they are routed like missing.
  const binOfCode = new Int32Array(nCategories).fill(-1);
  const codesOfBin: number[][] = [];
  if (nCategories <= maxBins) {
    for (let c = 0; c < nCategories; c++) codesOfBin.push(counts[c]! > 0 ? [c] : []);
    for (const c of seen) binOfCode[c] = c;
  } else if (seen.length <= maxBins) {
    seen.forEach((c, b) => {
      binOfCode[c] = b;
      codesOfBin.push([c]);
    });
  } else {
    // Too many categories: the maxBins-1 most frequent keep a bin, the rest share the last one.
    const kept = [...seen]
      .sort((a, b) => counts[b]! - counts[a]! || a - b)
      .slice(0, maxBins - 1)
      .sort((a, b) => a - b);
    kept.forEach((c, b) => {
      binOfCode[c] = b;
      codesOfBin.push([c]);
    });
    const other: number[] = [];
    for (const c of seen)
      if (binOfCode[c] === -1) {
        binOfCode[c] = maxBins - 1;
        other.push(c);
      }
    codesOfBin.push(other);
  }
  return {
    kind: "categorical",
    nBins: Math.max(1, codesOfBin.length),
    edges: new Float64Array(0),
    binOfCode,
    codesOfBin,
    unseenCodes,
  };
}
