/**
 * The histogram inner loop (histogram-loops.ts) as a WebAssembly kernel with 128-bit SIMD: one row's (gradient,
 * hessian) pair is one `f64x2` value, and each (row, feature) update is one `v128.load` / `f64x2.add` /
 * `v128.store` of the slot's (sum of gradients, sum of hessians) pair plus an `i32` count increment in the same
 * 32-byte slot, with no bounds checks (the module's memory is the bound).
 *
 * The kernel's histograms are "wide" (kernel-histogram.ts): slot `t` is 32 bytes at `hist + 32 t`, the two
 * Float64 sums, then the Int32 count (and 4 bytes of padding), so that one update touches one cache line
 * (measured 16-24% faster than the count in an array of its own, whose line is another miss). They are turned
 * into the usual layout (histogram.ts) when a node's blocks are added up.
 *
 * Two things make it faster than a plain row-by-row loop (histogram-kernel-text.ts has the module's text):
 * - A node's rows are scattered over the table; the lines of the next chunk of rows (gradient, hessian, bins) are
 *   touched by a short loop before the chunk's updates, so that many rows' cache misses are in flight at once
 *   rather than one row's after another (a replay of the node builds of a 1M x 30 fit: ~4.0 -> ~1.9 ns per update).
 * - For a table of at least {@link MIN_UNROLLED_CELLS} cells and at most {@link MAX_UNROLLED} features, the module
 *   is made for the layout: the updates of a row are unrolled over the features with each feature's offset a
 *   constant of the instructions (~1.9 -> ~1.6 ns per update).
 *
 * The module is written in WebAssembly text and assembled when first used (utils/wasm-text.ts; no toolchain, no
 * binary in the repository).
 *
 * Same sums, same bits: rows are added in the same order as the JS loop (row by row; each slot's adds in row
 * order) and `f64x2.add` is two IEEE-754 double additions, so the histogram, and the model, are bit-for-bit
 * those of the JS path, which stays as the fallback (no WebAssembly SIMD) and the reference in the tests.
 *
 * Everything the kernel reads and writes lives in one `WebAssembly.Memory` (shared, so worker threads run
 * the same kernel on the same memory); arguments are byte addresses in it.
 */
import { WasmKernel, wasmMemory, type SharedWasmMemory } from "../../utils/wasm.js";
import { histogramKernelText } from "./histogram-kernel-text.js";
import type { LossKernel } from "./loss.js";

export { histogramKernelText };

/**
 * Add rows `rows[start..end)` (Uint32 row numbers at byte address `rows`; `addAll`: rows `start..end`
 * themselves) over features `j0..j1)` (j1 > j0) to the wide histogram at `hist`: for each row `r`, each feature
 * `j`, slot `t = offsets[j] + bins[r * stride + j]`, add `(grad[r], hess[r])` to the Float64 pair at
 * `hist + 32 t` and 1 to the Int32 at `hist + 32 t + 16`.
 */
export type KernelAdd = (
  this: void,
  hist: number,
  offsets: number,
  bins: number,
  stride: number,
  j0: number,
  j1: number,
  rows: number,
  start: number,
  end: number,
  grad: number,
  hess: number,
) => void;

/** The kernel's functions (see {@link KernelAdd}), and the log-loss gradients over the same memory (loss.ts). */
export interface HistogramKernel extends LossKernel {
  addRows: KernelAdd;
  /**
   * `addRows` without touching the rows ahead, for rows close together (a dense node): there the hardware
   * prefetches them, and the touch only costs (kernel-histogram.ts, NEAR_ROWS).
   */
  addNearRows: KernelAdd;
  addAll: KernelAdd;
  /**
   * `addAll` without the counts: the root of every tree but the first when every tree has all rows, whose
   * counts are the first tree's (fit-memory.ts, RootCounts).
   */
  addAllSums: KernelAdd;
}

/**
 * Most features a kernel is unrolled for (see {@link histogramKernelText}); wider tables take the feature loop
 * (the unrolled code is ~40 bytes per feature and function).
 */
export const MAX_UNROLLED = 256;

/**
 * Fewest (rows x features) cells of a fit whose kernel is unrolled: compiling a kernel for a layout costs ~10-30 ms
 * per thread (the assembler is not yet optimised by the engine when it first runs), about what unrolling saves
 * on 1M cells over 100 trees.
 */
export const MIN_UNROLLED_CELLS = 1 << 20;

/** The kernel with the feature loop only: whether there is a kernel at all, and the one for wide layouts. */
const generic = new WasmKernel<HistogramKernel>(() => histogramKernelText(null));

/** Kernels unrolled for a layout's offsets, by their text's key; the last few are kept (a fit compiles one). */
const unrolled = new Map<string, WasmKernel<HistogramKernel>>();
const KEEP_UNROLLED = 8;

/**
 * The kernel for a layout's `offsets` and a table of `cells` (rows x features): unrolled for the offsets when there
 * are at most {@link MAX_UNROLLED} and the table has {@link MIN_UNROLLED_CELLS} or more.
 */
function kernelFor(offsets: Int32Array | null, cells: number): WasmKernel<HistogramKernel> {
  if (!offsets || offsets.length === 0 || offsets.length > MAX_UNROLLED || cells < MIN_UNROLLED_CELLS) return generic;
  const key = offsets.join(",");
  let k = unrolled.get(key);
  if (!k) {
    const copy = Int32Array.from(offsets);
    k = new WasmKernel<HistogramKernel>(() => histogramKernelText(copy));
    if (unrolled.size >= KEEP_UNROLLED) unrolled.delete(unrolled.keys().next().value!);
    unrolled.set(key, k);
  }
  return k;
}

/** A shared WebAssembly.Memory: its buffer is a SharedArrayBuffer that worker threads can be handed. */
export type KernelMemory = SharedWasmMemory;

/**
 * A shared memory of at least `bytes` bytes for the kernel, or null when there is no kernel (no WebAssembly SIMD,
 * or `CHURNKIT_WASM=0`: utils/wasm.ts) or the memory cannot be had (more than 4 GiB, or out of memory): the caller
 * then keeps the JS loop.
 */
export function kernelMemory(bytes: number): KernelMemory | null {
  return generic.module() === null ? null : wasmMemory(bytes, true);
}

/**
 * The kernel on `memory` (from {@link kernelMemory}), or null when unavailable. `offsets` (the layout's) and `cells`
 * (the bins' length) choose the unrolled kernel for large tables ({@link kernelFor}); every thread of a fit passes
 * the same, though the sums are the same bits either way.
 */
export function instantiateKernel(
  memory: KernelMemory,
  offsets: Int32Array | null = null,
  cells = 0,
): HistogramKernel | null {
  return kernelFor(offsets, cells).instantiate({ env: { memory } }) ?? generic.instantiate({ env: { memory } });
}
