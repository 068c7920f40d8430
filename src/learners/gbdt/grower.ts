/**
 * Grows one regression tree on gradients and hessians, leaf-wise (best gain first, as LightGBM
 * and scikit-learn's `_hist_gradient_boosting/grower.py`), and writes it as a {@link FlatTree}.
 *
 * - The splittable leaf with the largest gain is split next (ties: the lowest node id), until
 *   `maxLeafNodes` leaves exist or no leaf can be split; `maxDepth` caps depth (root = 0).
 * - Rows of a node are a range of one index array, partitioned stably in place at each split.
 * - Only the smaller child's histogram is built; the larger one is parent − smaller.
 * - Thresholds are stored in raw feature space (the upper edge of the last left bin), categorical
 *   left-sets as category codes, so the tree predicts on raw, un-binned values.
 * - Leaf values are the Newton step −G / (H + λ) times `shrinkage` (the learning rate).
 */
import type { FlatTree } from "../../core/types.js";
import { FlatTreeBuilder } from "../../core/flat-tree.js";
import type { BinMapper, BinnedMatrix } from "../binning/bin-mapper.js";
import { leftCodes } from "../binning/categorical.js";
import { subtractHistogram, type HistogramLayout, type HistogramPool } from "./histogram.js";
import type { HistogramBuilder } from "./parallel.js";
import {
  findBestSplit,
  goLeftTable,
  nodeValue,
  type SplitConstraints,
  type SplitInfo,
  type SplitScratch,
} from "./splitting.js";

/** Tree-shape limits and regularisation of one tree. */
export interface GrowerParams extends SplitConstraints {
  /** Maximum number of leaves; null: unlimited. */
  maxLeafNodes: number | null;
  /** Maximum depth (root = 0); null: unlimited. */
  maxDepth: number | null;
  /** Multiplies every node value (learning rate). */
  shrinkage: number;
}

/** What the grower needs that lives across trees (allocated once per fit). */
export interface GrowerContext {
  /** The training rows, binned (row-major). */
  binned: BinnedMatrix;
  /**
   * Builds histograms and partitions rows (on worker threads when there are any); owns the gradients, hessians,
   * row array and the column-major bins that partitioning reads.
   */
  histograms: HistogramBuilder;
  /** The bins (for raw thresholds and category codes of splits). */
  mapper: BinMapper;
  /** Where each feature's bins sit in a histogram. */
  layout: HistogramLayout;
  /** 1 for categorical features. */
  categorical: Uint8Array;
  /** Histogram buffers. */
  pool: HistogramPool;
  /** Split finding's scratch buffers (this fit's own). */
  splitScratch: SplitScratch;
}

/** A grown tree plus what boosting needs to update scores without re-reading raw values. */
export interface GrownTree {
  tree: FlatTree;
  /** Per node: which bins of its split feature go left (null for leaves); see {@link predictBinned}. */
  binTables: (Uint8Array | null)[];
  /** Leaves (node ids) as ranges of the (partitioned) row array `ctx.histograms.rows`. */
  leaves: { node: number; start: number; end: number }[];
}

interface Node {
  id: number;
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array | null;
  split: SplitInfo | null;
}

/**
 * Grow a tree on the first `n` rows of `ctx.histograms.rows` (partitioned in place) using the
 * gradients and hessians in `ctx.histograms` and active `features` (ascending). `allRows` says those
 * rows are exactly `0..nRows-1`, which lets the root histogram skip the indirection.
 */
export function growTree(
  ctx: GrowerContext,
  n: number,
  allRows: boolean,
  features: Int32Array,
  p: GrowerParams,
): GrownTree {
  const { layout, categorical, pool, histograms } = ctx;
  const { rows, grad, hess } = histograms;
  const builder = new FlatTreeBuilder();
  const binTables: (Uint8Array | null)[] = [];
  const leaves: GrownTree["leaves"] = [];
  let G = 0;
  let H = 0;
  for (let k = 0; k < n; k++) {
    const r = rows[k]!;
    G += grad[r]!;
    H += hess[r]!;
  }
  const canSplit = (depth: number, count: number) =>
    (p.maxDepth === null || depth < p.maxDepth) && count >= 2 * p.minSamplesLeaf;
  const addNode = (g: number, h: number, count: number) => {
    binTables.push(null);
    return builder.addNode(nodeValue(g, h, p.l2) * p.shrinkage, count, h);
  };
  const evaluate = (node: Node) => {
    node.split = findBestSplit(
      node.hist!,
      layout,
      categorical,
      features,
      node.g,
      node.h,
      node.end - node.start,
      p,
      ctx.splitScratch,
    );
  };

  const root: Node = { id: addNode(G, H, n), start: 0, end: n, depth: 0, g: G, h: H, hist: null, split: null };
  const open: Node[] = [];
  const finalize = (node: Node) => {
    if (node.hist) pool.release(node.hist);
    node.hist = null;
    leaves.push({ node: node.id, start: node.start, end: node.end });
  };
  if (canSplit(0, n) && (p.maxLeafNodes === null || p.maxLeafNodes > 1)) {
    root.hist = pool.acquire();
    histograms.build(root.hist, features, allRows, 0, n);
    evaluate(root);
  }
  if (root.split) open.push(root);
  else finalize(root);

  let nLeaves = 1;
  while (open.length > 0 && (p.maxLeafNodes === null || nLeaves < p.maxLeafNodes)) {
    let bi = 0;
    for (let i = 1; i < open.length; i++) {
      const a = open[i]!.split!.gain;
      const b = open[bi]!.split!.gain;
      if (a > b || (a === b && open[i]!.id < open[bi]!.id)) bi = i;
    }
    const node = open[bi]!;
    open.splice(bi, 1);
    const s = node.split!;
    const fb = ctx.mapper.features[s.feature]!;
    const table = goLeftTable(s, fb.nBins);
    const nLeft = histograms.partition(node.start, node.end, s.feature, table);
    if (nLeft !== s.nLeft)
      throw new Error(`gbdt internal error: split sent ${nLeft} rows left, histogram said ${s.nLeft}`);
    const mid = node.start + nLeft;
    const left: Node = {
      id: addNode(s.gLeft, s.hLeft, s.nLeft),
      start: node.start,
      end: mid,
      depth: node.depth + 1,
      g: s.gLeft,
      h: s.hLeft,
      hist: null,
      split: null,
    };
    const right: Node = {
      id: addNode(s.gRight, s.hRight, s.nRight),
      start: mid,
      end: node.end,
      depth: node.depth + 1,
      g: s.gRight,
      h: s.hRight,
      hist: null,
      split: null,
    };
    binTables[node.id] = table;
    writeSplit(builder, node.id, s, fb, left.id, right.id);
    nLeaves++;

    const budget = p.maxLeafNodes === null || nLeaves < p.maxLeafNodes;
    const wantL = budget && canSplit(left.depth, s.nLeft);
    const wantR = budget && canSplit(right.depth, s.nRight);
    const parentHist = node.hist!;
    node.hist = null;
    if (wantL || wantR) {
      const [small, large] = s.nLeft <= s.nRight ? [left, right] : [right, left];
      small.hist = pool.acquire();
      histograms.build(small.hist, features, false, small.start, small.end);
      if (large === left ? wantL : wantR) {
        // The parent's buffer becomes the larger child's histogram.
        if (!ctx.splitScratch.kernel?.subtract(parentHist, small.hist, parentHist, layout, features))
          subtractHistogram(parentHist, small.hist, parentHist, layout, features);
        large.hist = parentHist;
      } else pool.release(parentHist);
      for (const child of [left, right]) {
        if (child.hist && (child === left ? wantL : wantR)) evaluate(child);
      }
    } else pool.release(parentHist);
    for (const child of [left, right]) {
      if (child.split) open.push(child);
      else finalize(child);
    }
  }
  for (const node of open) finalize(node);
  return { tree: builder.finish(), binTables, leaves };
}

/** Record the split of node `id` in raw feature space. */
function writeSplit(
  builder: FlatTreeBuilder,
  id: number,
  s: SplitInfo,
  fb: BinMapper["features"][number],
  left: number,
  right: number,
): void {
  if (s.leftBins === null) {
    // "All values left, missing right" has no finite edge: any finite value goes left.
    const threshold = s.bin < fb.edges.length ? fb.edges[s.bin]! : Number.MAX_VALUE;
    builder.split(id, s.feature, threshold, null, s.missingLeft, left, right, s.gain);
    return;
  }
  builder.split(id, s.feature, 0, leftCodes(fb, s.leftBins, s.missingLeft), s.missingLeft, left, right, s.gain);
}

/** Add each row's leaf value of a grown tree to `out`, routing binned rows with the bin tables. */
export function predictBinned(t: GrownTree, binned: BinnedMatrix, out: Float64Array): void {
  const { feature, left, right, value } = t.tree;
  const tables = t.binTables;
  const bins = binned.bins;
  const stride = binned.nFeatures;
  for (let r = 0; r < binned.nRows; r++) {
    let i = 0;
    const base = r * stride;
    while (feature[i]! >= 0) i = tables[i]![bins[base + feature[i]!]!] ? left[i]! : right[i]!;
    out[r]! += value[i]!;
  }
}
