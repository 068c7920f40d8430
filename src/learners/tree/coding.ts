/**
 * Turns a {@link Matrix} into integer codes once per fit, so split search can
 * aggregate rows per code instead of sorting doubles at every node.
 *
 * - numeric: code = rank of the value among the distinct training values (exact mode,
 *   `maxBins === null`, as scikit-learn's exact splitter), or a quantile bin when there
 *   are more than `maxBins` distinct values. `lo[c]`/`hi[c]` keep the smallest/largest
 *   training value in code `c`; a split between codes `a < b` gets the threshold
 *   `(hi[a] + lo[b]) / 2`, which routes every training row exactly as its code does.
 * - categorical: code = the category code itself.
 * - missing (NaN): code `nCodes` (one past the last), so histograms need no branch for it.
 *
 * Codes are bytes when they fit (most features), to keep the hot loops in cache.
 */
import type { Matrix } from "../../core/types.js";

/**
 * One model column coded for split search (see the file comment): every row's code, and the value range
 * each code stands for.
 */
export interface CodedFeature {
  /** 0 = numeric (ordered codes), 1 = categorical (unordered codes). */
  kind: 0 | 1;
  /** Number of codes; codes are 0 .. nCodes-1, missing is nCodes. */
  nCodes: number;
  /** Code of each training row. */
  codes: Uint8Array | Int32Array;
  /** Smallest and largest training value of each code (numeric only; empty for categorical). */
  lo: Float64Array;
  hi: Float64Array;
  /** Whether any training row is missing. */
  hasMissing: boolean;
}

/** Code every column of `X`. `maxBins`: null = one code per distinct value (exact thresholds). */
export function codeMatrix(X: Matrix, maxBins: number | null): CodedFeature[] {
  if (X.columns.length !== X.features.length) {
    throw new Error(`matrix has ${X.columns.length} columns but ${X.features.length} feature descriptions`);
  }
  return X.columns.map((col, j) => {
    if (col.length !== X.nRows)
      throw new Error(`column "${X.features[j]!.name}" has ${col.length} values, expected ${X.nRows}`);
    return X.features[j]!.kind === "categorical"
      ? codeCategorical(col, X.features[j]!.name, X.features[j]!.nCategories)
      : codeNumeric(col, maxBins);
  });
}

function codeCategorical(col: Float64Array, name: string, nCategories: number | undefined): CodedFeature {
  const n = col.length;
  let maxCode = -1;
  for (let r = 0; r < n; r++) {
    const v = col[r]!;
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v) || v < 0 || (nCategories !== undefined && v >= nCategories)) {
      throw new Error(
        `categorical feature "${name}" row ${r}: code ${v} is not an integer in 0..${(nCategories ?? Infinity) - 1}`,
      );
    }
    if (v > maxCode) maxCode = v;
  }
  const nCodes = Math.max(nCategories ?? 0, maxCode + 1);
  const codes = codeArray(n, nCodes);
  let hasMissing = false;
  for (let r = 0; r < n; r++) {
    const v = col[r]!;
    if (Number.isNaN(v)) {
      codes[r] = nCodes;
      hasMissing = true;
    } else codes[r] = v;
  }
  return { kind: 1, nCodes, codes, lo: new Float64Array(0), hi: new Float64Array(0), hasMissing };
}

function codeNumeric(col: Float64Array, maxBins: number | null): CodedFeature {
  const n = col.length;
  // Sorted non-missing values.
  const sorted = new Float64Array(n);
  let m = 0;
  for (let r = 0; r < n; r++) if (!Number.isNaN(col[r]!)) sorted[m++] = col[r]!;
  const vals = sorted.subarray(0, m).sort();
  // Distinct values and their counts.
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < m; i++) {
    if (i > 0 && vals[i] === vals[i - 1]) counts[counts.length - 1]!++;
    else {
      distinct.push(vals[i]!);
      counts.push(1);
    }
  }
  const nd = distinct.length;
  // upper[c] = largest distinct value in code c; codes are ranges of distinct values.
  let upper: number[];
  if (maxBins === null || nd <= maxBins) {
    upper = distinct;
  } else {
    // Greedy quantile bins: close a bin once the running count passes the next
    // multiple of m/maxBins (integer arithmetic, so never more than maxBins bins).
    upper = [];
    let cum = 0;
    for (let i = 0; i < nd; i++) {
      cum += counts[i]!;
      if (i === nd - 1 || cum * maxBins >= (upper.length + 1) * m) upper.push(distinct[i]!);
    }
  }
  const nCodes = upper.length;
  const up = Float64Array.from(upper);
  const codes = codeArray(n, nCodes);
  const lo = new Float64Array(nCodes).fill(Infinity);
  const hi = new Float64Array(nCodes).fill(-Infinity);
  let hasMissing = false;
  for (let r = 0; r < n; r++) {
    const v = col[r]!;
    if (Number.isNaN(v)) {
      codes[r] = nCodes;
      hasMissing = true;
      continue;
    }
    // First code whose upper value is >= v.
    let a = 0;
    let b = nCodes - 1;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (up[mid]! >= v) b = mid;
      else a = mid + 1;
    }
    codes[r] = a;
    if (v < lo[a]!) lo[a] = v;
    if (v > hi[a]!) hi[a] = v;
  }
  return { kind: 0, nCodes, codes, lo, hi, hasMissing };
}

/** Room for codes 0..nCodes (nCodes = missing). */
function codeArray(n: number, nCodes: number): Uint8Array | Int32Array {
  return nCodes < 256 ? new Uint8Array(n) : new Int32Array(n);
}

/**
 * Threshold between codes `a < b` of a numeric feature: the midpoint of the largest value
 * in `a` and the smallest in `b` (scikit-learn's rule), kept strictly below `lo[b]` and
 * finite so that it survives JSON.
 */
export function splitThreshold(f: CodedFeature, a: number, b: number): number {
  const x = f.hi[a]!;
  const z = f.lo[b]!;
  let t = x / 2 + z / 2;
  if (!(t < z) || t < x) t = x; // rounding pushed the midpoint onto z (adjacent doubles)
  if (t === Infinity) t = Number.MAX_VALUE;
  if (t === -Infinity) t = -Number.MAX_VALUE;
  return t;
}
