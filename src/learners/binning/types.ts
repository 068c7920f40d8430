/**
 * The shapes the binner produces (bin-mapper.ts): learned bins per feature, gbdt's row-major byte bins,
 * and the column-by-column codes tree and forest split on.
 */

/** Learned binning of one feature. */
export interface FeatureBins {
  /** The feature's kind at fit time. */
  kind: "numeric" | "categorical";
  /** Number of value bins (missing is bin `nBins`). At least 1. */
  nBins: number;
  /** Numeric: upper edge of value bins `0..nBins-2` (the last bin is unbounded). Empty for categorical. */
  edges: Float64Array;
  /** Categorical: bin of each code `0..nCategories-1` (-1: unseen, binned as missing). Empty for numeric. */
  binOfCode: Int32Array;
  /** Categorical: the codes in each value bin (usually one). Empty for numeric. */
  codesOfBin: number[][];
  /** Categorical: codes that never occur in the training rows (treated like missing at split time). */
  unseenCodes: number[];
}

/**
 * Row-major binned data: `bins[r * nFeatures + j]` is the bin of row `r` for feature `j`.
 * Row-major because gbdt's histograms add one row to every feature's bins at once: consecutive
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

/**
 * One model column coded for split search: every row's code, and the value range each code stands for.
 * Codes are the bins of BinMapper (bin-mapper.ts); missing is `nCodes`.
 */
export interface CodedFeature {
  /** 0 = numeric (ordered codes), 1 = categorical (unordered codes). */
  kind: 0 | 1;
  /** Number of codes; codes are 0 .. nCodes-1, missing is nCodes. */
  nCodes: number;
  /** Code of each training row. */
  codes: Uint8Array | Int32Array;
  /** Smallest training value of each code (numeric only; empty for categorical). */
  lo: Float64Array;
  /** Largest training value of each code (numeric only; empty for categorical). */
  hi: Float64Array;
  /** Whether any training row is missing. */
  hasMissing: boolean;
  /** Categorical: the category codes in each bin (see categorical.ts); empty for numeric. */
  codesOfBin: number[][];
  /** Categorical: category codes absent from the training rows, routed like missing; empty for numeric. */
  unseenCodes: number[];
}
