/**
 * Histogram builds by the WebAssembly kernel (histogram-wasm.ts), in its "wide" layout, and the way back to the
 * usual one (histogram.ts) that split finding reads.
 *
 * A wide histogram is a Float64Array of `4 * layout.size` numbers in the kernel's memory: slot `t` (feature
 * `j`'s bin `b` at `t = offsets[j] + b`) is 32 bytes, the sum of gradients at `[4 t]`, the sum of hessians at
 * `[4 t + 1]`, and the row count as an Int32 at Int32 index `8 t + 4`. A build adds each slot's rows in row
 * order, as histogram-loops.ts does, and {@link sumWide} adds blocks in block order, as sumBlocks does, so the
 * usual histogram it writes is bit-for-bit the JS path's.
 */
import { buildRows, histogramCounts, type HistogramLayout } from "./histogram.js";
import type { HistogramKernel } from "./histogram-wasm.js";

/**
 * Rows of a block that span at most this many times their number of table rows are "near" (a node of a quarter of
 * the table or more): their lines are not touched ahead (histogram-wasm.ts). Replayed node builds of a 1M x 30 fit,
 * ns per update touched / not: nodes of 300k+ rows 1.15-1.36 / 0.96, 200-300k 1.27 / 1.21, 130-200k 1.49 / 2.49,
 * 90-130k 1.67 / 3.62.
 */
export const NEAR_ROWS = 4;

/**
 * Zero the active features' slots of the wide histogram `wide` (in the kernel's memory, like every array here,
 * `layout.offsets` included) and add rows `rows[start..end)` (or `start..end`) to them by `kernel`: one kernel
 * call per run of consecutive active features (one run without colsample). `sumsOnly` (all rows only): the
 * counts are left at 0 (fit-memory.ts, RootCounts).
 */
export function buildWide(
  wide: Float64Array,
  layout: HistogramLayout,
  bins: Uint8Array,
  stride: number,
  features: Int32Array,
  rows: Uint32Array | null,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  kernel: HistogramKernel,
  sumsOnly: boolean,
): void {
  const { offsets, nBins } = layout;
  const near = rows !== null && end > start && rows[end - 1]! - rows[start]! < NEAR_ROWS * (end - start);
  const add = rows ? (near ? kernel.addNearRows : kernel.addRows) : sumsOnly ? kernel.addAllSums : kernel.addAll;
  const nf = features.length;
  for (let f = 0; f < nf;) {
    const j0 = features[f]!;
    let j1 = j0 + 1;
    for (f++; f < nf && features[f] === j1; f++) j1++;
    wide.fill(0, 4 * offsets[j0]!, 4 * (offsets[j1 - 1]! + nBins[j1 - 1]! + 1));
    const r = rows ? rows.byteOffset : 0;
    add(
      wide.byteOffset,
      offsets.byteOffset,
      bins.byteOffset,
      stride,
      j0,
      j1,
      r,
      start,
      end,
      grad.byteOffset,
      hess.byteOffset,
    );
  }
}

/**
 * `hist` (usual layout) = the sum of wide block buffers `0..count)` of `blocks` (block `b` at `b * 4 *
 * layout.size`), added in block order, over the active features' slots; `counts` false: the sums only.
 * With `count` 1 it is the conversion of one wide histogram.
 */
export function sumWide(
  hist: Float64Array,
  blocks: Float64Array,
  count: number,
  layout: HistogramLayout,
  features: Int32Array,
  counts: boolean,
): void {
  const { offsets, nBins, size } = layout;
  const cnt = histogramCounts(hist, layout);
  const ints = new Int32Array(blocks.buffer, blocks.byteOffset, 2 * blocks.length);
  const len = 4 * size;
  for (let f = 0; f < features.length; f++) {
    const j = features[f]!;
    const from = offsets[j]!;
    const to = from + nBins[j]! + 1;
    for (let t = from; t < to; t++) {
      let g = blocks[4 * t]!;
      let h = blocks[4 * t + 1]!;
      for (let b = 1; b < count; b++) {
        g += blocks[b * len + 4 * t]!;
        h += blocks[b * len + 4 * t + 1]!;
      }
      hist[2 * t] = g;
      hist[2 * t + 1] = h;
    }
    if (!counts) continue;
    for (let t = from; t < to; t++) {
      let c = ints[8 * t + 4]!;
      for (let b = 1; b < count; b++) c = (c + ints[2 * b * len + 8 * t + 4]!) | 0;
      cnt[t] = c;
    }
  }
}

/**
 * Below this many (rows × features) a one-block histogram is built by the JS loop into the caller's buffer:
 * the kernel builds into its own memory, and turning that into the caller's costs about as much as a small
 * node's build.
 */
export const MIN_KERNEL_NODE = 20_000;

/**
 * A one-block histogram of `rows[start..end)` into `hist` (usual layout, any buffer): by the kernel into
 * `single` (a wide histogram) and converted, or by the JS loop in place (no kernel, or a small node).
 */
export function buildOne(
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
  kernel: HistogramKernel | null,
  single: Float64Array | null,
): void {
  if (!kernel || !single || (end - start) * features.length < MIN_KERNEL_NODE) {
    buildRows(hist, layout, bins, stride, features, rows, start, end, grad, hess);
    return;
  }
  buildWide(single, layout, bins, stride, features, rows, start, end, grad, hess, kernel, false);
  sumWide(hist, single, 1, layout, features, true);
}
