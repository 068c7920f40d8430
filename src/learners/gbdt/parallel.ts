/**
 * Builds gbdt histograms on this thread plus worker threads, over blocks of a node's rows (and the
 * gradients, over blocks of all rows).
 *
 * Everything the workers read lives in shared memory (the binned rows, gradients, hessians, the row
 * index array the grower partitions, the active features) and they write the histogram of each row
 * block into that block's shared buffer; this thread then adds the blocks in block order. How many
 * blocks a node has depends on its size alone (histogram.ts, histogramBlocks), and one thread on its own
 * builds and adds the same blocks, so the histogram, and the model, are bit-for-bit the same for any
 * thread count. Row blocks rather than feature blocks: every thread reads a row's bins once (one cache
 * line), and many small blocks claimed as they go keep both threads busy when one is descheduled.
 *
 * Hand-off without messages (a message round trip costs more than a small node's histogram): the
 * task is a few integers in `ctrl`; threads claim blocks with a compare-and-swap on one 64-bit word
 * that holds (task number, blocks, next block), so a late worker can never claim a block of a task
 * other than the one whose parameters it reads; this thread claims blocks too, and waits (Atomics.wait)
 * only for blocks a worker has claimed. Small nodes are built here alone. The fit stays synchronous;
 * a worker's exception is reported in `ctrl` and fails the fit, but a worker killed outright (out of
 * memory) after claiming a block would leave this thread waiting.
 */
import { Worker } from "node:worker_threads";
import { compiledWorkerUrl, requestedThreads, sharedArray, sharedCopy } from "../../utils/threads.js";
import type { BinnedMatrix } from "../binning/bin-mapper.js";
import { fitArrays, RootCounts, type FitArrays } from "./fit-memory.js";
import { buildOne, sumWide } from "./kernel-histogram.js";
import { histogramBlocks, maxBlocks, sumBlocks, type HistogramLayout } from "./histogram.js";
import type { KernelMemory } from "./histogram-wasm.js";
import { logLossGradients } from "./loss.js";
import {
  columnMajor,
  gatherBlock,
  MAX_PARTITION_BLOCKS,
  MAX_SHARED_LEAVES,
  MAX_SHARED_TABLE,
  MIN_PARALLEL_PARTITION,
  partitionBlock,
  partitionBlocks,
  partitionOffsets,
  partitionRows,
  updateRows,
} from "./row-tasks.js";
import {
  blockRange,
  buildBlock,
  packLeaves,
  SerialBuilder,
  updateThen,
  type HistogramBuilder,
  type LeafRanges,
  type RowGradients,
} from "./serial-builder.js";

export { blockRange, buildBlock, type HistogramBuilder, type LeafRanges, type RowGradients };

/**
 * Below this many (rows × features) in a node, its histogram is built on this thread alone: at about
 * 2 ns per row × feature, that is ~80 µs of work, where waking a worker costs tens of µs.
 */
export const MIN_PARALLEL_NODE = 40_000;

/**
 * Below this many rows, log-loss gradients are computed on this thread alone: at about 20 ns a row (an
 * `exp` each), that is ~80 µs, as for {@link MIN_PARALLEL_NODE}. 26,000 x 14, 100 trees: 0.51 -> 0.47 s wall
 * (median of four interleaved runs of six fits, quiet 2-core machine).
 */
export const MIN_PARALLEL_GRADIENTS = 4_096;

/** Row blocks of a gradient task (several per thread, so a late worker only delays a small one). */
const GRADIENT_BLOCKS = 16;

/**
 * Below this many (rows × features) in the table, no worker is started (start-up and JIT warm-up ~50 ms).
 * Measured with bench/gbdt-speed.mjs on a loaded 2-core machine: 2 threads were already faster at
 * 10,000 × 20 (2.1 s → 1.3–1.7 s for 100 trees); smaller tables were too noisy to call.
 */
export const MIN_PARALLEL_TABLE = 200_000;

/** Indices into the `ctrl` Int32Array shared with the workers. */
export const Ctrl = {
  /** Task number; bumped (and notified) to start a task. */
  Task: 0,
  /** Blocks finished in the current task. */
  Done: 1,
  /** 1 once a worker failed (its message is not shared; the fit fails). */
  Error: 2,
  /** 1: workers exit. */
  Exit: 3,
  /** The task: rows[Start..End) of the node (its row blocks: histogram.ts). */
  Start: 4,
  End: 5,
  /** 1: the rows are Start..End themselves (no index array). */
  AllRows: 6,
  /** Active features (the first `NFeatures` of the shared feature list). */
  NFeatures: 7,
  /** What the task is: {@link TASK_HISTOGRAM} or {@link TASK_GRADIENTS}. */
  Kind: 8,
  /** 1: sums only, no counts (a root whose counts are known: fit-memory.ts, RootCounts). */
  SumsOnly: 9,
  /** Update task: leaves in `leaves`; partition task: the split feature. */
  Count: 10,
  /** Update task: 1 to reset the row array to 0..n-1 afterwards. */
  Reset: 11,
  /** Length of `ctrl`. */
  Length: 12,
} as const;

/** Task kind: the histogram of a node, over blocks of its rows. */
export const TASK_HISTOGRAM = 0;
/** Task kind: gradients and hessians of all rows, over blocks of rows. */
export const TASK_GRADIENTS = 1;
/** Task kind: a tree's leaf values into the raw scores, over blocks of positions of the row array (row-tasks.ts). */
export const TASK_UPDATE = 2;
/** Task kind: the stable partition of a node's rows at a split, over blocks of them (row-tasks.ts). */
export const TASK_PARTITION = 3;
/** Task kind: the blocks of a partition task copied back into the row array (row-tasks.ts, gatherBlock). */
export const TASK_GATHER = 4;

/** Everything a gbdt worker receives as `workerData` (shared memory, read in place). */
export interface HistogramWorkerInput {
  bins: Uint8Array;
  stride: number;
  offsets: Int32Array;
  nBins: Int32Array;
  grad: Float64Array;
  hess: Float64Array;
  raw: Float64Array;
  y: Uint8Array;
  rows: Uint32Array;
  features: Int32Array;
  /** One histogram buffer per row block (block `b` at `b * 3 * layout.size`). */
  target: Float64Array;
  ctrl: Int32Array;
  claim: BigInt64Array;
  /** The WebAssembly memory all the arrays above but ctrl, claim, y and features are regions of (fit-memory.ts). */
  memory: KernelMemory | null;
  /** The bins column-major (`columns[j * nRows + r]`), for partitioning. */
  columns: Uint8Array;
  /** Update task: (start, end, value) of each leaf. */
  leaves: Float64Array;
  /** Partition task: which bins go left (splitting.ts, goLeftTable). */
  table: Uint8Array;
  /** Partition task: each block's left rows and right rows, at the block's own positions. */
  left: Uint32Array;
  right: Uint32Array;
  /** Partition task: each block's left count. */
  counts: Int32Array;
}

/** A claim word: task number (bits 16+), number of blocks (bits 8..15), next block (bits 0..7). */
export function claimWord(task: number, blocks: number, next: number): bigint {
  return (BigInt(task) << 16n) | (BigInt(blocks) << 8n) | BigInt(next);
}

/**
 * Claim the next block of task `task` from `claim[0]`: its index, or -1 when the task has no
 * block left (or is no longer the current one).
 */
export function claimBlock(claim: BigInt64Array, task: number): number {
  for (;;) {
    const c = Atomics.load(claim, 0);
    if (Number(c >> 16n) !== task) return -1;
    const next = Number(c & 0xffn);
    if (next >= Number((c >> 8n) & 0xffn)) return -1;
    if (Atomics.compareExchange(claim, 0, c, c + 1n) === c) return next;
  }
}

/**
 * A builder for rows `binned` with 0/1 labels `y` on `threads` threads (requested; fewer if the table
 * is small or workers are unavailable). `objective`: gradients other than log loss's.
 */
export function histogramBuilder(
  binned: BinnedMatrix,
  y: Uint8Array,
  layout: HistogramLayout,
  threads: number | undefined,
  objective?: RowGradients,
): HistogramBuilder {
  const want = requestedThreads(threads);
  const url = compiledWorkerUrl(new URL("./worker.js", import.meta.url));
  const big = binned.nRows * binned.nFeatures >= MIN_PARALLEL_TABLE;
  if (want > 1 && big && url !== null) return new ParallelBuilder(binned, y, layout, want, url, objective);
  return new SerialBuilder(binned, y, layout, objective);
}

class ParallelBuilder implements HistogramBuilder {
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  readonly raw: Float64Array;
  readonly rows: Uint32Array;
  private readonly input: HistogramWorkerInput;
  private readonly workers: Worker[] = [];
  private readonly maxBlocks: number;
  private readonly arrays: FitArrays;
  private readonly layout: HistogramLayout;
  private readonly rootCounts: RootCounts;
  private task = 0;
  readonly columns: Uint8Array;

  constructor(
    binned: BinnedMatrix,
    y: Uint8Array,
    layout: HistogramLayout,
    readonly threads: number,
    url: URL,
    private readonly objective?: RowGradients,
  ) {
    this.maxBlocks = maxBlocks(layout);
    this.arrays = fitArrays(binned, y, layout, this.maxBlocks, true);
    const { bins, offsets, grad, hess, raw, rows, blocks, memory } = this.arrays;
    ({ grad: this.grad, hess: this.hess, raw: this.raw, rows: this.rows } = this.arrays);
    this.layout = { ...layout, offsets };
    this.rootCounts = new RootCounts(this.layout, binned.nRows);
    this.input = {
      bins,
      stride: binned.nFeatures,
      offsets,
      nBins: sharedCopy(layout.nBins),
      grad,
      hess,
      raw,
      y: this.arrays.y,
      rows,
      features: sharedArray(Int32Array, binned.nFeatures),
      target: blocks,
      ctrl: sharedArray(Int32Array, Ctrl.Length),
      claim: sharedArray(BigInt64Array, 1),
      memory,
      columns: columnMajor(binned, sharedArray(Uint8Array, binned.bins.length)),
      leaves: sharedArray(Float64Array, 3 * MAX_SHARED_LEAVES),
      table: sharedArray(Uint8Array, MAX_SHARED_TABLE),
      left: sharedArray(Uint32Array, binned.nRows),
      right: sharedArray(Uint32Array, binned.nRows),
      counts: sharedArray(Int32Array, 3 * MAX_PARTITION_BLOCKS),
    };
    this.columns = this.input.columns;
    for (let i = 1; i < threads; i++) {
      const w = new Worker(url, { workerData: this.input });
      // A worker must never keep the process alive; errors are reported through ctrl[Error].
      w.unref();
      w.on("error", () => Atomics.store(this.input.ctrl, Ctrl.Error, 1));
      this.workers.push(w);
    }
  }

  build(hist: Float64Array, features: Int32Array, allRows: boolean, start: number, end: number): void {
    const nf = features.length;
    const { ctrl, target, bins, stride } = this.input;
    const { layout, grad, hess } = this;
    const { kernel } = this.arrays;
    const rows = allRows ? null : this.rows;
    const blocks = histogramBlocks(end - start, this.maxBlocks);
    if (blocks === 1) {
      buildOne(hist, layout, bins, stride, features, rows, start, end, grad, hess, kernel, this.arrays.single);
      return;
    }
    const f = this.input.features.subarray(0, nf);
    f.set(features);
    const sumsOnly = kernel !== null && this.rootCounts.known(features, allRows, start, end);
    const one = (b: number) =>
      buildBlock(target, b, blocks, layout, bins, stride, f, rows, start, end, grad, hess, kernel, sumsOnly);
    if ((end - start) * nf < MIN_PARALLEL_NODE) for (let b = 0; b < blocks; b++) one(b);
    else {
      ctrl[Ctrl.Start] = start;
      ctrl[Ctrl.End] = end;
      ctrl[Ctrl.AllRows] = allRows ? 1 : 0;
      ctrl[Ctrl.NFeatures] = nf;
      ctrl[Ctrl.SumsOnly] = sumsOnly ? 1 : 0;
      this.run(TASK_HISTOGRAM, blocks, one);
    }
    if (kernel) sumWide(hist, target, blocks, layout, features, !sumsOnly);
    else sumBlocks(hist, target, blocks, layout, features);
    this.rootCounts.complete(hist, features, allRows, start, end, sumsOnly);
  }

  gradients(): void {
    if (this.objective) {
      this.objective(this.raw, this.grad, this.hess);
      return;
    }
    const n = this.raw.length;
    const { y } = this.input;
    if (n < MIN_PARALLEL_GRADIENTS) {
      logLossGradients(this.raw, y, this.grad, this.hess, 0, n, this.arrays.kernel);
      return;
    }
    const blocks = Math.min(GRADIENT_BLOCKS, n);
    this.run(TASK_GRADIENTS, blocks, (b) => {
      const [from, to] = blockRange(b, blocks, n);
      logLossGradients(this.raw, y, this.grad, this.hess, from, to, this.arrays.kernel);
    });
  }

  partition(start: number, end: number, feature: number, table: Uint8Array): number {
    const { ctrl, columns, left, right, counts } = this.input;
    const n = this.rows.length;
    const column = columns.subarray(feature * n, (feature + 1) * n);
    if (end - start < MIN_PARALLEL_PARTITION || table.length > MAX_SHARED_TABLE)
      return partitionRows(this.rows, start, end, column, table, left);
    const t = this.input.table;
    t.set(table);
    const blocks = partitionBlocks(end - start);
    ctrl[Ctrl.Start] = start;
    ctrl[Ctrl.End] = end;
    ctrl[Ctrl.Count] = feature;
    this.run(TASK_PARTITION, blocks, (b) =>
      partitionBlock(this.rows, start, end, b, blocks, column, t, left, right, counts),
    );
    // The blocks' rows back into place: disjoint copies, shared out too.
    const nLeft = partitionOffsets(start, end, blocks, counts);
    this.run(TASK_GATHER, blocks, (b) => gatherBlock(this.rows, start, end, b, blocks, left, right, counts));
    return nLeft;
  }

  update(leaves: LeafRanges, value: Float64Array, reset: boolean): void {
    const n = this.rows.length;
    if (this.objective || leaves.length > MAX_SHARED_LEAVES || n < MIN_PARALLEL_NODE)
      return updateThen(this, leaves, value, reset);
    const { ctrl } = this.input;
    const packed = packLeaves(leaves, value, this.input.leaves);
    ctrl[Ctrl.Count] = leaves.length;
    ctrl[Ctrl.Reset] = reset ? 1 : 0;
    const blocks = Math.min(GRADIENT_BLOCKS, n);
    this.run(TASK_UPDATE, blocks, (b) => {
      const [from, to] = blockRange(b, blocks, n);
      updateRows(this.raw, this.rows, packed, leaves.length, from, to, reset);
    });
    this.gradients();
  }

  /** Post a task of `blocks` blocks (its parameters already in ctrl), do blocks here too, wait for the rest. */
  private run(kind: number, blocks: number, work: (b: number) => void): void {
    const { ctrl, claim } = this.input;
    ctrl[Ctrl.Kind] = kind;
    Atomics.store(ctrl, Ctrl.Done, 0);
    const task = (this.task = (this.task + 1) % 0x40000000);
    Atomics.store(claim, 0, claimWord(task, blocks, 0));
    Atomics.store(ctrl, Ctrl.Task, task);
    Atomics.notify(ctrl, Ctrl.Task);
    for (let b = claimBlock(claim, task); b >= 0; b = claimBlock(claim, task)) {
      work(b);
      Atomics.add(ctrl, Ctrl.Done, 1);
    }
    for (let d = Atomics.load(ctrl, Ctrl.Done); d < blocks; d = Atomics.load(ctrl, Ctrl.Done)) {
      if (Atomics.load(ctrl, Ctrl.Error) !== 0) throw new Error("gbdt: a histogram worker thread failed");
      Atomics.wait(ctrl, Ctrl.Done, d, 1000);
    }
  }

  close(): void {
    Atomics.store(this.input.ctrl, Ctrl.Exit, 1);
    Atomics.add(this.input.ctrl, Ctrl.Task, 1);
    Atomics.notify(this.input.ctrl, Ctrl.Task);
    for (const w of this.workers) void w.terminate();
  }
}
