/**
 * Gradient / hessian / count histograms over the rows of a tree node, after scikit-learn's
 * `_hist_gradient_boosting/histogram.pyx`.
 *
 * One node's histogram is a single Float64Array of `3 * size` numbers. For every feature `j` and every bin
 * `b` of it (its value bins, then its missing bin), slot `t = offsets[j] + b` holds the sum of gradients at
 * `[2 * t]` and the sum of hessians at `[2 * t + 1]` (interleaved: one row's two updates share a cache line),
 * and its row count as an int32 in the last third of the buffer ({@link histogramCounts}). An integer count is
 * exact, like the float one it replaced, and an integer add in a separate array costs less than a third
 * float load-add-store (measured ~10% of a histogram build).
 *
 * The subtraction trick: a parent's histogram is the sum of its children's, so only the
 * smaller child is built from its rows and the sibling is `parent - child` (bins × features
 * work instead of rows × features).
 *
 * A large node's histogram is built in blocks of rows, each into a buffer of its own, then summed in
 * block order ({@link histogramBlocks}): the unit of work of one thread (parallel.ts).
 */
import type { BinnedMatrix } from "../binning/bin-mapper.js";
import { addAllRange, addRowsList, addRowsRange } from "./histogram-loops.js";

/** Where each feature's bins live in a histogram. */
export interface HistogramLayout {
  /** First slot of feature `j`; feature `j` has `nBins[j] + 1` slots (the last one is missing). */
  offsets: Int32Array;
  /** Value bins of each feature (missing is slot `nBins[j]`). */
  nBins: Int32Array;
  /** Total slots over all features; a histogram has `3 * size` Float64 numbers (sums, then the counts). */
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
  constructor(protected readonly length: number) {}
  acquire(): Float64Array {
    return this.free.pop() ?? this.allocate();
  }
  /** A new buffer of `length` numbers (split-kernel.ts: in the scan kernel's memory). */
  protected allocate(): Float64Array {
    return new Float64Array(this.length);
  }
  release(h: Float64Array): void {
    this.free.push(h);
  }
}

/**
 * Rows per block of a node's histogram (see {@link histogramBlocks}). Each block costs a zeroed buffer and one
 * more add per slot when the blocks are summed: at 4,096 rows that is a few % of the block's own work.
 */
export const ROWS_PER_BLOCK = 4096;
/** Most blocks of one histogram (more cost a zeroed buffer and a sum each for little balance: measured). */
export const MAX_BLOCKS = 8;
/** Most Float64 numbers all block buffers of a fit may hold together (32 MB), for tables of many features. */
const BLOCK_BUDGET = 4 << 20;

/** Block buffers a fit with this layout needs: at most {@link MAX_BLOCKS}, within {@link BLOCK_BUDGET}. */
export function maxBlocks(layout: HistogramLayout): number {
  return Math.max(1, Math.min(MAX_BLOCKS, Math.floor(BLOCK_BUDGET / (3 * layout.size))));
}

/**
 * How many row blocks the histogram of a node of `m` rows is built in: one per {@link ROWS_PER_BLOCK} rows,
 * at most `max` ({@link maxBlocks}). It depends on the node and the layout only, never on the thread count:
 * each block sums its rows in row order into a buffer of its own, and the blocks are then added in block
 * order ({@link sumBlocks}), so the histogram is bit-for-bit the same on any number of threads, and threads
 * that claim blocks as they go keep each other busy on a loaded machine.
 */
export function histogramBlocks(m: number, max: number): number {
  return Math.max(1, Math.min(max, Math.floor(m / ROWS_PER_BLOCK)));
}

/**
 * The row counts of histogram `hist` (`3 * layout.size` numbers): an int32 view of its last third,
 * slot `offsets[j] + b` for bin `b` of feature `j`.
 */
export function histogramCounts(hist: Float64Array, layout: HistogramLayout): Int32Array {
  return new Int32Array(hist.buffer, hist.byteOffset + 16 * layout.size, layout.size);
}

/**
 * Fill `hist` for the active `features` from rows `rows[start..end)` (or rows `start..end` when
 * `rows` is null), in one piece and in row order. Slots of inactive features are left as they are.
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
  buildRows(hist, layout, binned.bins, binned.nFeatures, features, rows, start, end, grad, hess);
}

/**
 * {@link buildHistogram} on raw bins (`bins[r * stride + j]`): zero the active features' slots of `hist`,
 * then add rows `start..end` (of `rows`, when given) in row order. One block's work (parallel.ts).
 * The WebAssembly kernel's counterpart, bit-for-bit the same: kernel-histogram.ts, buildWide.
 */
export function buildRows(
  hist: Float64Array,
  layout: HistogramLayout,
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
  if (nf === 0) return;
  const { offsets, nBins } = layout;
  const cnt = histogramCounts(hist, layout);
  // Active features that are a contiguous run of columns (always so without colsample) skip the indirection.
  const j0 = features[0]!;
  const last = features[nf - 1]!;
  if (last - j0 === nf - 1) {
    const from = offsets[j0]!;
    const to = offsets[last]! + nBins[last]! + 1;
    hist.fill(0, 2 * from, 2 * to);
    cnt.fill(0, from, to);
    if (rows) addRowsRange(hist, cnt, offsets, bins, stride, j0, last + 1, rows, start, end, grad, hess);
    else addAllRange(hist, cnt, offsets, bins, stride, j0, last + 1, start, end, grad, hess);
    return;
  }
  for (let f = 0; f < nf; f++) {
    const j = features[f]!;
    const from = offsets[j]!;
    hist.fill(0, 2 * from, 2 * (from + nBins[j]! + 1));
    cnt.fill(0, from, from + nBins[j]! + 1);
  }
  addRowsList(hist, cnt, offsets, bins, stride, features, rows, start, end, grad, hess);
}

/**
 * `hist` = the sum of block buffers `0..count)` of `blocks` (block `b` at `b * 3 * layout.size`), added in
 * block order, over the active features' slots.
 */
export function sumBlocks(
  hist: Float64Array,
  blocks: Float64Array,
  count: number,
  layout: HistogramLayout,
  features: Int32Array,
): void {
  const nf = features.length;
  if (nf === 0) return;
  const { offsets, nBins, size } = layout;
  const len = 3 * size;
  // Block b's counts, as int32 indices of the whole buffer, start at 2 * (b * len + 2 * size).
  const ints = new Int32Array(blocks.buffer, blocks.byteOffset, 2 * blocks.length);
  const cnt = histogramCounts(hist, layout);
  const first = features[0]!;
  const last = features[nf - 1]!;
  if (last - first === nf - 1) {
    const from = offsets[first]!;
    const to = offsets[last]! + nBins[last]! + 1;
    sumRange(hist, blocks, count, len, 2 * from, 2 * to);
    sumCounts(cnt, ints, count, 2 * len, 4 * size, from, to);
    return;
  }
  for (let f = 0; f < nf; f++) {
    const j = features[f]!;
    const from = offsets[j]!;
    const to = from + nBins[j]! + 1;
    sumRange(hist, blocks, count, len, 2 * from, 2 * to);
    sumCounts(cnt, ints, count, 2 * len, 4 * size, from, to);
  }
}

function sumRange(hist: Float64Array, blocks: Float64Array, count: number, len: number, from: number, to: number) {
  hist.set(blocks.subarray(from, to), from);
  for (let b = 1; b < count; b++) {
    const o = b * len;
    for (let s = from; s < to; s++) hist[s] = hist[s]! + blocks[o + s]!;
  }
}

function sumCounts(
  cnt: Int32Array,
  ints: Int32Array,
  count: number,
  len: number,
  at: number,
  from: number,
  to: number,
) {
  cnt.set(ints.subarray(at + from, at + to), from);
  for (let b = 1; b < count; b++) {
    const o = b * len + at;
    for (let s = from; s < to; s++) cnt[s] = (cnt[s]! + ints[o + s]!) | 0;
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
  const nf = features.length;
  if (nf === 0) return;
  const { offsets, nBins } = layout;
  const pc = histogramCounts(parent, layout);
  const cc = histogramCounts(child, layout);
  const oc = histogramCounts(out, layout);
  const first = features[0]!;
  const last = features[nf - 1]!;
  // Contiguous features (no colsample): one loop over their slots.
  if (last - first === nf - 1) {
    const from = offsets[first]!;
    const to = offsets[last]! + nBins[last]! + 1;
    subtractRange(parent, child, out, 2 * from, 2 * to);
    subtractCounts(pc, cc, oc, from, to);
    return;
  }
  for (let f = 0; f < nf; f++) {
    const from = offsets[features[f]!]!;
    const to = from + nBins[features[f]!]! + 1;
    subtractRange(parent, child, out, 2 * from, 2 * to);
    subtractCounts(pc, cc, oc, from, to);
  }
}

function subtractRange(parent: Float64Array, child: Float64Array, out: Float64Array, from: number, to: number): void {
  for (let s = from; s < to; s++) out[s] = parent[s]! - child[s]!;
}

function subtractCounts(parent: Int32Array, child: Int32Array, out: Int32Array, from: number, to: number): void {
  for (let s = from; s < to; s++) out[s] = (parent[s]! - child[s]!) | 0;
}
