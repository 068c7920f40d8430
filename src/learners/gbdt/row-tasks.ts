/**
 * The per-row work of a boosting iteration outside the histograms, in pieces that any thread can do for a block
 * of rows (parallel.ts hands the blocks out; one thread does them all in a row): partitioning a node's rows at
 * its split, and adding a tree's leaf values to the raw scores.
 *
 * Both are row by row, never a reduction: a stable partition has one answer however its rows are cut into
 * blocks (each block is partitioned stably, then the blocks' left parts and right parts are laid end to end in
 * block order), and a row's new raw score and gradient depend on that row alone. So the model is the same
 * bits whatever the thread count or the block sizes here.
 */
import type { BinnedMatrix } from "../binning/bin-mapper.js";

/** Below this many rows a node is partitioned by one thread (its ~0.1 ms costs less than waking a worker). */
export const MIN_PARALLEL_PARTITION = 32_768;
/** Rows per partition block (several per thread, so a descheduled thread delays only a small piece). */
const PARTITION_ROWS = 16_384;
/** Most partition blocks of one node (the shared per-block counts and destinations are 3 times as many). */
export const MAX_PARTITION_BLOCKS = 64;
/** Most leaves whose update the workers share (a tree with more is updated on one thread). */
export const MAX_SHARED_LEAVES = 4096;
/** Longest go-left table the workers share (bins of a feature + the missing bin; max_bins is at most 255). */
export const MAX_SHARED_TABLE = 1024;

/** Partition blocks of a node of `m` rows. */
export function partitionBlocks(m: number): number {
  return Math.max(1, Math.min(MAX_PARTITION_BLOCKS, Math.ceil(m / PARTITION_ROWS)));
}

/** The bins of `binned` column-major into `out` (`out[j * nRows + r]`; the grower partitions rows by one feature). */
export function columnMajor(binned: BinnedMatrix, out: Uint8Array): Uint8Array {
  const { nRows, nFeatures, bins } = binned;
  for (let j = 0; j < nFeatures; j++) {
    const col = out.subarray(j * nRows, (j + 1) * nRows);
    for (let r = 0, i = j; r < nRows; r++, i += nFeatures) col[r] = bins[i]!;
  }
  return out;
}

/** Stable partition of `rows[start..end)` in place: rows whose bin goes left first. Returns the left count. */
export function partitionRows(
  rows: Uint32Array,
  start: number,
  end: number,
  column: Uint8Array,
  table: Uint8Array,
  scratch: Uint32Array,
): number {
  let l = start;
  let r = 0;
  // One store per row, behind a branch: measured ~10-20% faster than writing both sides and advancing one, even
  // for a 50/50 split whose outcomes are unpredictable (bench/gbdt-partition-micro.mjs).
  for (let k = start; k < end; k++) {
    const row = rows[k]!;
    if (table[column[row]!] !== 0) rows[l++] = row;
    else scratch[r++] = row;
  }
  rows.set(scratch.subarray(0, r), l);
  return l - start;
}

/**
 * Block `b` of `blocks` of a parallel partition of `rows[start..end)`: its left rows, in order, to
 * `left[from..)` and its right rows to `right[from..)` (`from..to` the block's rows); its left count to
 * `counts[b]`. {@link gatherPartition} then lays the blocks out.
 */
export function partitionBlock(
  rows: Uint32Array,
  start: number,
  end: number,
  b: number,
  blocks: number,
  column: Uint8Array,
  table: Uint8Array,
  left: Uint32Array,
  right: Uint32Array,
  counts: Int32Array,
): void {
  const m = end - start;
  const from = start + Math.floor((b * m) / blocks);
  const to = start + Math.floor(((b + 1) * m) / blocks);
  let l = from;
  let r = from;
  for (let k = from; k < to; k++) {
    const row = rows[k]!;
    const goes = table[column[row]!]!;
    left[l] = row;
    right[r] = row;
    l += goes;
    r += 1 - goes;
  }
  counts[b] = l - from;
}

/**
 * After every block of {@link partitionBlock}: the left count of the node, and each block's destinations
 * (`counts[blocks + b]`: where block `b`'s left rows go, `counts[2 blocks + b]`: its right rows), blocks end to end.
 */
export function partitionOffsets(start: number, end: number, blocks: number, counts: Int32Array): number {
  const m = end - start;
  let nLeft = 0;
  for (let b = 0; b < blocks; b++) nLeft += counts[b]!;
  let l = start;
  let r = start + nLeft;
  for (let b = 0; b < blocks; b++) {
    counts[blocks + b] = l;
    counts[2 * blocks + b] = r;
    const size = Math.floor(((b + 1) * m) / blocks) - Math.floor((b * m) / blocks);
    l += counts[b]!;
    r += size - counts[b]!;
  }
  return nLeft;
}

/** Block `b`'s partitioned rows back into `rows` at the destinations {@link partitionOffsets} set. */
export function gatherBlock(
  rows: Uint32Array,
  start: number,
  end: number,
  b: number,
  blocks: number,
  left: Uint32Array,
  right: Uint32Array,
  counts: Int32Array,
): void {
  const m = end - start;
  const from = start + Math.floor((b * m) / blocks);
  const to = start + Math.floor(((b + 1) * m) / blocks);
  const nl = counts[b]!;
  rows.set(left.subarray(from, from + nl), counts[blocks + b]);
  rows.set(right.subarray(from, to - nl), counts[2 * blocks + b]);
}

/** {@link partitionOffsets} then every {@link gatherBlock} on this thread; the left count. */
export function gatherPartition(
  rows: Uint32Array,
  start: number,
  end: number,
  blocks: number,
  left: Uint32Array,
  right: Uint32Array,
  counts: Int32Array,
): number {
  const nLeft = partitionOffsets(start, end, blocks, counts);
  for (let b = 0; b < blocks; b++) gatherBlock(rows, start, end, b, blocks, left, right, counts);
  return nLeft;
}

/**
 * Positions `from..to` of the row array after a tree on all rows: each row's raw score gets its leaf's value
 * (`leaves[3 i]`, `[3 i + 1]`: the leaf's range of positions, `[3 i + 2]`: its value; `nLeaves` of them).
 * `reset`: `rows[k] = k` afterwards (the next tree's row array); each position is read before it is reset, by
 * the one thread that owns its block. (The gradients are a pass of their own, in row order: computed here, at
 * scattered rows, they touched four arrays per row at random and cost ~3x as much.)
 */
export function updateRows(
  raw: Float64Array,
  rows: Uint32Array,
  leaves: Float64Array,
  nLeaves: number,
  from: number,
  to: number,
  reset: boolean,
): void {
  for (let i = 0; i < nLeaves; i++) {
    const lo = Math.max(from, leaves[3 * i]!);
    const hi = Math.min(to, leaves[3 * i + 1]!);
    const add = leaves[3 * i + 2]!;
    for (let k = lo; k < hi; k++) raw[rows[k]!]! += add;
  }
  if (reset) for (let k = from; k < to; k++) rows[k] = k;
}
