/**
 * The one binner of the tree families (`tree`, `forest`, `gbdt`), as LightGBM's forest reuses its GBDT
 * bins: every feature is mapped once per fit to small integer bins, so split search aggregates rows per
 * bin instead of sorting doubles at every node.
 *
 * - Numeric features: edges by the rule of edges.ts (exact mode when `maxBins` is null), found on at most
 *   BINNING_SUBSAMPLE (edges.ts) training rows sampled with the fit's seed.
 * - Categorical features: categorical.ts (one bin per category up to `maxBins`, rare ones pooled above).
 * - Missing values of feature `j` go to bin `nBins[j]`, one past its last value bin.
 *
 * `max_bins` therefore means the same in every family: at most that many value bins per feature (numeric
 * or categorical), plus one bin for missing values.
 */
import type { Matrix } from "../../core/types.js";
import { categoricalBins } from "./categorical.js";
import type { BinnedMatrix, CodedFeature, FeatureBins } from "./types.js";
import { edgeSample, numericEdges } from "./edges.js";
import { BinLookup, binNumeric } from "./bin-lookup.js";

export type { BinnedMatrix, CodedFeature, FeatureBins };

/** Largest `max_bins` any family accepts (value bins; codes then fit an Int32Array with room for missing). */
export const MAX_BINS_LIMIT = 65535;

function checkColumn(X: Matrix, j: number, rows: ArrayLike<number> | null): void {
  const f = X.features[j]!;
  const col = X.columns[j]!;
  if (col.length !== X.nRows) throw new Error(`column "${f.name}" has ${col.length} values, expected ${X.nRows}`);
  const n = rows ? rows.length : X.nRows;
  const categorical = f.kind === "categorical";
  const nCat = f.nCategories ?? Infinity;
  // One plain pass that only finds whether a value is bad (this runs on every value of large fits); the
  // message then comes from the first bad row.
  let bad = false;
  for (let k = 0; k < n && !bad; k++) {
    const v = col[rows ? rows[k]! : k]!;
    // v - v is 0 for a finite v, NaN for ±Infinity and NaN (missing, which is fine).
    if (v - v !== 0) bad = v === v;
    else if (categorical) bad = !(v >= 0 && v < nCat && Math.floor(v) === v);
  }
  if (!bad) return;
  for (let k = 0; k < n; k++) {
    const r = rows ? rows[k]! : k;
    const v = col[r]!;
    if (Number.isNaN(v)) continue;
    if (!Number.isFinite(v))
      throw new Error(`feature "${f.name}" row ${r} is ${v}; use a finite number or NaN for missing`);
    if (categorical && (!Number.isInteger(v) || v < 0 || v >= nCat)) {
      throw new Error(
        `categorical feature "${f.name}" row ${r} holds ${v}, not a code in 0..${nCat - 1}; use NaN for missing or unseen`,
      );
    }
  }
}

/** `col[sample[i]]` for every `i`, into `out` (a plain loop: Float64Array.from with a callback cost ~10x). */
function gather(col: Float64Array, sample: Uint32Array, out: Float64Array): Float64Array {
  for (let i = 0; i < sample.length; i++) out[i] = col[sample[i]!]!;
  return out;
}

/** Learns the bins of every feature; then bins matrices row-major (gbdt) or column by column (tree, forest). */
export class BinMapper {
  /** Learned bins of each feature, in column order. */
  readonly features: FeatureBins[];
  /** Cap on value bins per feature (2..{@link MAX_BINS_LIMIT}); null = exact (one bin per distinct value). */
  readonly maxBins: number | null;

  private constructor(features: FeatureBins[], maxBins: number | null) {
    this.features = features;
    this.maxBins = maxBins;
  }

  /**
   * Fit on the given rows of `X` (all rows when `rows` is null). `maxBins` caps the value bins per
   * feature (null: exact); `seed` draws the edge sample above BINNING_SUBSAMPLE (edges.ts) rows.
   * `weights` (one per row of `X`, read at the fitted rows): numeric edges are weighted quantiles (edges.ts);
   * null: every row counts 1. Categorical bins always count rows.
   */
  static fit(
    X: Matrix,
    maxBins: number | null,
    rows: Uint32Array | null = null,
    seed = 0,
    weights: Float64Array | null = null,
  ): BinMapper {
    if (maxBins !== null && !(Number.isInteger(maxBins) && maxBins >= 2 && maxBins <= MAX_BINS_LIMIT))
      throw new Error(`max_bins must be an integer in 2..${MAX_BINS_LIMIT} or null, got ${maxBins}`);
    if (X.columns.length !== X.features.length)
      throw new Error(`matrix has ${X.columns.length} columns but ${X.features.length} feature descriptions`);
    const n = rows ? rows.length : X.nRows;
    if (weights !== null && weights.length !== X.nRows)
      throw new Error(`bin weights: ${weights.length} weights for ${X.nRows} rows`);
    const sample = maxBins === null ? rows : edgeSample(rows, n, seed);
    const w = weights && (sample ? gather(weights, sample, new Float64Array(sample.length)) : weights);
    // One buffer for every column's sampled values (numericEdges copies what it keeps).
    const values = sample ? new Float64Array(sample.length) : null;
    const features = X.features.map((f, j): FeatureBins => {
      checkColumn(X, j, rows);
      const col = X.columns[j]!;
      if (f.kind === "numeric") {
        const edges = numericEdges(sample && values ? gather(col, sample, values) : col, maxBins, w);
        const none = new Int32Array(0);
        return { kind: "numeric", nBins: edges.length + 1, edges, binOfCode: none, codesOfBin: [], unseenCodes: [] };
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

  /** Bin every column of `X` row-major (optionally only the given rows, in that order); needs every nBins < 255. */
  transform(X: Matrix, rows: Uint32Array | null = null): BinnedMatrix {
    if (X.columns.length !== this.features.length)
      throw new Error(`expected ${this.features.length} features, got ${X.columns.length}`);
    const n = rows ? rows.length : X.nRows;
    const nf = this.features.length;
    const out = new Uint8Array(n * nf);
    this.features.forEach((fb, j) => {
      if (fb.nBins > 255) throw new Error(`feature ${j} has ${fb.nBins} bins; byte bins need max_bins <= 255`);
    });
    // Chunks of rows, all features of a chunk at once: the chunk's output (CHUNK × nf bytes) stays in cache
    // instead of each column's pass touching every cache line of the whole output.
    const CHUNK = 4096;
    const lookups = this.features.map((fb) => (fb.kind === "numeric" ? new BinLookup(fb.edges) : null));
    for (let k0 = 0; k0 < n; k0 += CHUNK) {
      const k1 = Math.min(n, k0 + CHUNK);
      for (let j = 0; j < nf; j++) {
        const fb = this.features[j]!;
        const col = X.columns[j]!;
        const lookup = lookups[j];
        if (lookup) binNumeric(lookup, col, rows, k0, k1, out, nf, j, fb.nBins);
        else for (let k = k0; k < k1; k++) out[k * nf + j] = binValue(fb, col[rows ? rows[k]! : k]!, fb.nBins);
      }
    }
    return { nRows: n, nFeatures: nf, bins: out };
  }

  /**
   * Bin every column of `X` (the training rows, all of them, in order) column by column, with each
   * numeric bin's smallest and largest training value: the {@link CodedFeature}s tree and forest split on.
   */
  codeColumns(X: Matrix): CodedFeature[] {
    if (X.columns.length !== this.features.length)
      throw new Error(`expected ${this.features.length} features, got ${X.columns.length}`);
    return this.features.map((fb, j) => {
      const col = X.columns[j]!;
      const nCodes = fb.nBins;
      // Bytes when they fit (most features), to keep split search's loops in cache.
      const codes = nCodes < 256 ? new Uint8Array(X.nRows) : new Int32Array(X.nRows);
      const numeric = fb.kind === "numeric";
      const lookup = numeric ? new BinLookup(fb.edges) : null;
      const lo = new Float64Array(numeric ? nCodes : 0).fill(Infinity);
      const hi = new Float64Array(numeric ? nCodes : 0).fill(-Infinity);
      let hasMissing = false;
      for (let r = 0; r < X.nRows; r++) {
        const v = col[r]!;
        const b = lookup ? (v === v ? lookup.bin(v) : nCodes) : binValue(fb, v, nCodes);
        codes[r] = b;
        if (b === nCodes) hasMissing = true;
        else if (numeric) {
          if (v < lo[b]!) lo[b] = v;
          if (v > hi[b]!) hi[b] = v;
        }
      }
      return {
        kind: numeric ? 0 : 1,
        nCodes,
        codes,
        lo,
        hi,
        hasMissing,
        codesOfBin: fb.codesOfBin,
        unseenCodes: fb.unseenCodes,
      };
    });
  }
}

/** Bin of one categorical code: `missing` for NaN and for unseen or out-of-range codes. */
function binValue(fb: FeatureBins, v: number, missing: number): number {
  if (v !== v) return missing;
  const boc = fb.binOfCode;
  const b = v >= 0 && v < boc.length && Number.isInteger(v) ? boc[v]! : -1;
  return b >= 0 ? b : missing;
}
