/**
 * Where the arrays a gbdt fit's histogram builds read and write live: the binned rows, the bin offsets, the labels,
 * gradients, hessians, raw scores, the row index array and the histogram block buffers.
 *
 * With the WebAssembly kernel (histogram-wasm.ts) they are regions of one shared WebAssembly memory, so the
 * kernel on this thread and on every worker reads them in place; without it (no WebAssembly SIMD, the memory
 * cannot be had, or `CHURNKIT_WASM=0`: utils/wasm.ts) they are plain or shared typed arrays and the JS loop builds the
 * histograms. Either way the histograms are bit-for-bit the same (histogram-wasm.ts).
 */
import { sharedArray, sharedCopy } from "../../utils/threads.js";
import type { BinnedMatrix } from "../binning/bin-mapper.js";
import { histogramCounts, type HistogramLayout } from "./histogram.js";
import { instantiateKernel, kernelMemory, type HistogramKernel, type KernelMemory } from "./histogram-wasm.js";

/** The arrays of one fit's histogram builds, and the kernel over them (null: the JS loop). */
export interface FitArrays {
  /** The memory every array below is a region of (null without the kernel). */
  memory: KernelMemory | null;
  kernel: HistogramKernel | null;
  bins: Uint8Array;
  /** The layout's offsets (in the kernel's memory when there is one). */
  offsets: Int32Array;
  /** The 0/1 labels (in the kernel's memory, for its gradients: loss.ts). */
  y: Uint8Array;
  grad: Float64Array;
  hess: Float64Array;
  raw: Float64Array;
  rows: Uint32Array;
  /**
   * Block buffers of a histogram: usual ones (block `b` at `b * 3 * layout.size`), or with the kernel wide ones
   * (kernel-histogram.ts; block `b` at `b * 4 * layout.size`).
   */
  blocks: Float64Array;
  /** A wide histogram the kernel builds one-block histograms into (null without the kernel). */
  single: Float64Array | null;
}

/**
 * The arrays for a fit on `binned` with labels `y`, histogram `layout` and `maxBlocks` block buffers; `shared`:
 * worker threads will read them (shared memory either way with the kernel).
 */
export function fitArrays(
  binned: BinnedMatrix,
  y: Uint8Array,
  layout: HistogramLayout,
  maxBlocks: number,
  shared: boolean,
): FitArrays {
  const n = binned.nRows;
  const histLength = 3 * layout.size;
  const viaKernel = kernelArrays(binned, y, layout, maxBlocks);
  if (viaKernel) return viaKernel;
  const f64 = (len: number) => (shared ? sharedArray(Float64Array, len) : new Float64Array(len));
  return {
    memory: null,
    kernel: null,
    bins: shared ? sharedCopy(binned.bins) : binned.bins,
    offsets: shared ? sharedCopy(layout.offsets) : layout.offsets,
    y: shared ? sharedCopy(y) : y,
    grad: f64(n),
    hess: f64(n),
    raw: f64(n),
    rows: shared ? sharedArray(Uint32Array, n) : new Uint32Array(n),
    blocks: f64(maxBlocks * histLength),
    single: null,
  };
}

function kernelArrays(
  binned: BinnedMatrix,
  y: Uint8Array,
  layout: HistogramLayout,
  maxBlocks: number,
): FitArrays | null {
  const n = binned.nRows;
  const histLength = 4 * layout.size;
  // Regions in order, each 16-byte aligned (v128 pairs and Float64 need it; the rest does not mind).
  const sizes = {
    bins: binned.bins.length,
    offsets: 4 * layout.offsets.length,
    y: n,
    grad: 8 * n,
    hess: 8 * n,
    raw: 8 * n,
    rows: 4 * n,
    blocks: 8 * maxBlocks * histLength,
    single: 8 * histLength,
  };
  const at: Record<keyof typeof sizes, number> = { ...sizes };
  let total = 0;
  for (const k of Object.keys(sizes) as (keyof typeof sizes)[]) {
    at[k] = total;
    total += Math.ceil(sizes[k] / 16) * 16;
  }
  const memory = kernelMemory(total); // null without the kernel (CHURNKIT_WASM=0, no SIMD): the JS loop, same model
  const kernel = memory && instantiateKernel(memory, layout.offsets, binned.bins.length);
  if (!memory || !kernel) return null;
  const buf = memory.buffer;
  const bins = new Uint8Array(buf, at.bins, binned.bins.length);
  bins.set(binned.bins);
  const offsets = new Int32Array(buf, at.offsets, layout.offsets.length);
  offsets.set(layout.offsets);
  const labels = new Uint8Array(buf, at.y, n);
  labels.set(y);
  return {
    memory,
    kernel,
    bins,
    offsets,
    y: labels,
    grad: new Float64Array(buf, at.grad, n),
    hess: new Float64Array(buf, at.hess, n),
    raw: new Float64Array(buf, at.raw, n),
    rows: new Uint32Array(buf, at.rows, n),
    blocks: new Float64Array(buf, at.blocks, maxBlocks * histLength),
    single: new Float64Array(buf, at.single, histLength),
  };
}

/**
 * The root histogram's counts, kept from the first tree that built them: without row subsampling every tree's
 * root has all rows, so its counts are the same every tree, and the kernel's root build then adds only the sums
 * (counts are ~45% of the kernel's work: bench/gbdt-histogram-micro.mjs). Counts are exact integers, so the
 * histogram is the same as when they are added again.
 */
export class RootCounts {
  private readonly counts: Int32Array;
  /** 1 for features whose root counts are kept. */
  private readonly has: Uint8Array;
  constructor(
    private readonly layout: HistogramLayout,
    private readonly nRows: number,
  ) {
    this.counts = new Int32Array(layout.size);
    this.has = new Uint8Array(layout.nBins.length);
  }

  /** Whether this build is a root (all rows) of `features` whose counts are all kept. */
  known(features: Int32Array, allRows: boolean, start: number, end: number): boolean {
    const nf = features.length;
    if (!allRows || start !== 0 || end !== this.nRows || nf === 0) return false;
    for (let f = 0; f < nf; f++) if (this.has[features[f]!] === 0) return false;
    return true;
  }

  /** After a build into `hist`: a root's counts are kept (built) or put into `hist` (`sumsOnly`). */
  complete(hist: Float64Array, features: Int32Array, allRows: boolean, start: number, end: number, sumsOnly: boolean) {
    if (!allRows || start !== 0 || end !== this.nRows) return;
    const { offsets, nBins } = this.layout;
    const cnt = histogramCounts(hist, this.layout);
    for (let f = 0; f < features.length; f++) {
      const j = features[f]!;
      const from = offsets[j]!;
      const to = from + nBins[j]! + 1;
      if (sumsOnly) cnt.set(this.counts.subarray(from, to), from);
      else {
        this.counts.set(cnt.subarray(from, to), from);
        this.has[j] = 1;
      }
    }
  }
}
