/**
 * What boosting asks of the rows of a fit ({@link HistogramBuilder}: histograms, partitions, score updates, gradients)
 * and the one-thread builder; parallel.ts has the one that shares the work with worker threads. Both cut the work
 * into the same blocks (histogram.ts, histogramBlocks) and add them in the same order, so the model is the same.
 */
import type { BinnedMatrix } from "../binning/bin-mapper.js";
import { fitArrays, RootCounts, type FitArrays } from "./fit-memory.js";
import { buildOne, buildWide, sumWide } from "./kernel-histogram.js";
import { buildRows, histogramBlocks, maxBlocks, sumBlocks, type HistogramLayout } from "./histogram.js";
import type { HistogramKernel } from "./histogram-wasm.js";
import { logLossGradients } from "./loss.js";
import { columnMajor, partitionRows, updateRows } from "./row-tasks.js";

/** A grown tree's leaves as ranges of the row array (grower.ts). */
export type LeafRanges = readonly { node: number; start: number; end: number }[];

/** Items `[from, to)` of block `b` of `blocks` over `n` items (rows of a node, or all rows). */
export function blockRange(b: number, blocks: number, n: number): [number, number] {
  return [Math.floor((b * n) / blocks), Math.floor(((b + 1) * n) / blocks)];
}

/**
 * Gradients, hessians and the row index array of a fit, and the histogram builds over them
 * (on workers when there are any). `close()` stops the workers.
 */
export interface HistogramBuilder {
  /** Gradient of every training row (shared memory when workers run). */
  readonly grad: Float64Array;
  /** Hessian of every training row. */
  readonly hess: Float64Array;
  /** Raw score of every training row; {@link HistogramBuilder.gradients} reads it. */
  readonly raw: Float64Array;
  /** The row index array the grower partitions (length = training rows). */
  readonly rows: Uint32Array;
  /** Threads that build histograms, this one included. */
  readonly threads: number;
  /** The bins column-major (`columns[j * nRows + r]`): a split reads one feature of a node's rows. */
  readonly columns: Uint8Array;
  /**
   * Stable partition of `rows[start..end)` at a split on `feature`: rows whose bin `table` sends left
   * first. Returns the left count.
   */
  partition(start: number, end: number, feature: number, table: Uint8Array): number;
  /**
   * After a tree grown on all rows (row array = its leaves' ranges, which tile it): add each leaf's `value` to
   * its rows' raw scores and set the next gradients and hessians (as {@link HistogramBuilder.gradients}); `reset`:
   * the row array back to 0..n-1.
   */
  update(leaves: LeafRanges, value: Float64Array, reset: boolean): void;
  /** Fill `hist` for `features` from `rows[start..end)` (`allRows`: rows start..end). */
  build(hist: Float64Array, features: Int32Array, allRows: boolean, start: number, end: number): void;
  /** Set `grad` and `hess` from `raw` and the labels (log loss, or the builder's {@link RowGradients}). */
  gradients(): void;
  /** Stop the workers (no-op on one thread). */
  close(): void;
}

/**
 * An objective whose gradients are not row by row (the Cox partial likelihood: every row's depends on its risk
 * sets): it sets `grad` and `hess` of every row from `raw` on this thread.
 */
export type RowGradients = (raw: Float64Array, grad: Float64Array, hess: Float64Array) => void;

/** The builder of a fit on one thread (small tables, one thread asked for, or no workers). */
export class SerialBuilder implements HistogramBuilder {
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  readonly raw: Float64Array;
  readonly rows: Uint32Array;
  readonly threads = 1;
  readonly columns: Uint8Array;
  private readonly scratch: Uint32Array;
  private readonly maxBlocks: number;
  private readonly arrays: FitArrays;
  private readonly layout: HistogramLayout;
  private readonly rootCounts: RootCounts;
  constructor(
    private readonly binned: BinnedMatrix,
    y: Uint8Array,
    layout: HistogramLayout,
    private readonly objective?: RowGradients,
  ) {
    this.maxBlocks = maxBlocks(layout);
    this.arrays = fitArrays(binned, y, layout, this.maxBlocks, false);
    ({ grad: this.grad, hess: this.hess, raw: this.raw, rows: this.rows } = this.arrays);
    this.layout = { ...layout, offsets: this.arrays.offsets };
    this.rootCounts = new RootCounts(this.layout, binned.nRows);
    this.columns = columnMajor(binned, new Uint8Array(binned.bins.length));
    this.scratch = new Uint32Array(binned.nRows);
  }
  gradients(): void {
    if (this.objective) this.objective(this.raw, this.grad, this.hess);
    else logLossGradients(this.raw, this.arrays.y, this.grad, this.hess, 0, this.raw.length, this.arrays.kernel);
  }
  partition(start: number, end: number, feature: number, table: Uint8Array): number {
    const n = this.binned.nRows;
    return partitionRows(
      this.rows,
      start,
      end,
      this.columns.subarray(feature * n, (feature + 1) * n),
      table,
      this.scratch,
    );
  }
  update(leaves: LeafRanges, value: Float64Array, reset: boolean): void {
    if (this.objective) return updateThen(this, leaves, value, reset);
    const packed = packLeaves(leaves, value, new Float64Array(3 * leaves.length));
    updateRows(this.raw, this.rows, packed, leaves.length, 0, this.rows.length, reset);
    this.gradients();
  }
  build(hist: Float64Array, features: Int32Array, allRows: boolean, start: number, end: number): void {
    const { bins, kernel, blocks: buf } = this.arrays;
    const stride = this.binned.nFeatures;
    const { layout, grad, hess } = this;
    const rows = allRows ? null : this.rows;
    const blocks = histogramBlocks(end - start, this.maxBlocks);
    if (blocks === 1) {
      buildOne(hist, layout, bins, stride, features, rows, start, end, grad, hess, kernel, this.arrays.single);
      return;
    }
    // The same blocks, and the same sum of them, as on several threads.
    const sumsOnly = kernel !== null && this.rootCounts.known(features, allRows, start, end);
    for (let b = 0; b < blocks; b++)
      buildBlock(buf, b, blocks, layout, bins, stride, features, rows, start, end, grad, hess, kernel, sumsOnly);
    if (kernel) sumWide(hist, buf, blocks, layout, features, !sumsOnly);
    else sumBlocks(hist, buf, blocks, layout, features);
    this.rootCounts.complete(hist, features, allRows, start, end, sumsOnly);
  }
  close(): void {}
}

/**
 * Build row block `b` of `blocks` of the node `rows[start..end)` into its buffer of `buffers` (see
 * histogram.ts, histogramBlocks): what this thread and the workers do with a claimed block. `kernel`: the
 * WebAssembly kernel over the memory every array here is a view of (fit-memory.ts), building wide block buffers
 * (kernel-histogram.ts), or null for the JS loop. `sumsOnly` (kernel, all rows): the block's counts stay 0.
 */
export function buildBlock(
  buffers: Float64Array,
  b: number,
  blocks: number,
  layout: HistogramLayout,
  bins: Uint8Array,
  stride: number,
  features: Int32Array,
  rows: Uint32Array | null,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  kernel: HistogramKernel | null,
  sumsOnly = false,
): void {
  const len = (kernel ? 4 : 3) * layout.size;
  const [from, to] = blockRange(b, blocks, end - start);
  const hist = buffers.subarray(b * len, (b + 1) * len);
  if (kernel)
    buildWide(hist, layout, bins, stride, features, rows, start + from, start + to, grad, hess, kernel, sumsOnly);
  else buildRows(hist, layout, bins, stride, features, rows, start + from, start + to, grad, hess);
}

/** `(start, end, value)` of each leaf into `out`. */
export function packLeaves(leaves: LeafRanges, value: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < leaves.length; i++) {
    const leaf = leaves[i]!;
    out[3 * i] = leaf.start;
    out[3 * i + 1] = leaf.end;
    out[3 * i + 2] = value[leaf.node]!;
  }
  return out;
}

/** {@link HistogramBuilder.update} on this thread for any objective: the raw scores, then `b.gradients()`. */
export function updateThen(b: HistogramBuilder, leaves: LeafRanges, value: Float64Array, reset: boolean): void {
  const { raw, rows } = b;
  for (const leaf of leaves) {
    const add = value[leaf.node]!;
    for (let k = leaf.start; k < leaf.end; k++) raw[rows[k]!]! += add;
  }
  if (reset) for (let k = 0; k < rows.length; k++) rows[k] = k;
  b.gradients();
}
