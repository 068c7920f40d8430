/**
 * Gradient / hessian / count histograms over the rows of a tree node, after scikit-learn's
 * `_hist_gradient_boosting/histogram.pyx`.
 *
 * One node's histogram is a single Float64Array holding, for every feature `j` and every bin
 * `b` of it (its value bins, then its missing bin), three numbers interleaved:
 * `[3 * (offsets[j] + b)] = sum of gradients`, `[+1] = sum of hessians`, `[+2] = row count`.
 * Interleaving keeps the three updates of one row in one cache line.
 *
 * The subtraction trick: a parent's histogram is the sum of its children's, so only the
 * smaller child is built from its rows and the sibling is `parent - child` (bins × features
 * work instead of rows × features).
 */
import type { BinnedMatrix } from "../binning/bin-mapper.js";

/** Where each feature's bins live in a histogram. */
export interface HistogramLayout {
  /** First slot of feature `j`; feature `j` has `nBins[j] + 1` slots (the last one is missing). */
  offsets: Int32Array;
  /** Value bins of each feature (missing is slot `nBins[j]`). */
  nBins: Int32Array;
  /** Total slots over all features; a histogram has `3 * size` numbers. */
  size: number;
}

/** The histogram layout of features with `nBins[j]` value bins each (plus one missing slot per feature). */
export function makeLayout(nBins: ArrayLike<number>): HistogramLayout {
  const offsets = new Int32Array(nBins.length);
  let size = 0;
  for (let j = 0; j < nBins.length; j++) {
    offsets[j] = size;
    size += nBins[j]! + 1;
  }
  return { offsets, nBins: Int32Array.from(nBins), size };
}

/** Reuses histogram buffers across nodes and trees (allocation would dominate small nodes). */
export class HistogramPool {
  private free: Float64Array[] = [];
  constructor(private readonly length: number) {}
  acquire(): Float64Array {
    return this.free.pop() ?? new Float64Array(this.length);
  }
  release(h: Float64Array): void {
    this.free.push(h);
  }
}

/**
 * Fill `hist` for the active `features` from rows `rows[start..end)` (or rows `start..end` when
 * `rows` is null). Slots of inactive features are left as they are.
 */
export function buildHistogram(
  hist: Float64Array,
  layout: HistogramLayout,
  binned: BinnedMatrix,
  features: Int32Array,
  rows: Uint32Array | null,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
): void {
  const nf = features.length;
  if (nf === binned.nFeatures) {
    hist.fill(0, 0, 3 * layout.size);
    addRowsAllFeatures(hist, layout.offsets, binned.bins, nf, rows, start, end, grad, hess);
    return;
  }
  for (let f = 0; f < nf; f++) {
    const j = features[f]!;
    const from = 3 * layout.offsets[j]!;
    hist.fill(0, from, from + 3 * (layout.nBins[j]! + 1));
  }
  addRowsSomeFeatures(hist, layout.offsets, binned.bins, binned.nFeatures, features, rows, start, end, grad, hess);
}

// The two hot loops live in small functions of their own: V8 optimises them better than one
// big function with both (measured ~25% faster). The `| 0` keep index arithmetic in int32.
function addRowsAllFeatures(
  hist: Float64Array,
  offsets: Int32Array,
  bins: Uint8Array,
  nf: number,
  rows: Uint32Array | null,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
): void {
  for (let k = start; k < end; k++) {
    const r = rows ? rows[k]! | 0 : k;
    const g = grad[r]!;
    const h = hess[r]!;
    const base = (r * nf) | 0;
    for (let j = 0; j < nf; j++) {
      const s = (3 * ((offsets[j]! + bins[base + j]!) | 0)) | 0;
      hist[s] = hist[s]! + g;
      hist[s + 1] = hist[s + 1]! + h;
      hist[s + 2] = hist[s + 2]! + 1;
    }
  }
}

function addRowsSomeFeatures(
  hist: Float64Array,
  offsets: Int32Array,
  bins: Uint8Array,
  stride: number,
  features: Int32Array,
  rows: Uint32Array | null,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
): void {
  const nf = features.length;
  for (let k = start; k < end; k++) {
    const r = rows ? rows[k]! | 0 : k;
    const g = grad[r]!;
    const h = hess[r]!;
    const base = (r * stride) | 0;
    for (let f = 0; f < nf; f++) {
      const j = features[f]! | 0;
      const s = (3 * ((offsets[j]! + bins[base + j]!) | 0)) | 0;
      hist[s] = hist[s]! + g;
      hist[s + 1] = hist[s + 1]! + h;
      hist[s + 2] = hist[s + 2]! + 1;
    }
  }
}

/** `out = parent - child` over the active features' slots (`out` may alias `parent`). */
export function subtractHistogram(
  parent: Float64Array,
  child: Float64Array,
  out: Float64Array,
  layout: HistogramLayout,
  features: Int32Array,
): void {
  for (let f = 0; f < features.length; f++) {
    const j = features[f]!;
    const from = 3 * layout.offsets[j]!;
    const to = from + 3 * (layout.nBins[j]! + 1);
    for (let s = from; s < to; s++) out[s] = parent[s]! - child[s]!;
  }
}
