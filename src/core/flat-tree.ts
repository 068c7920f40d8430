/**
 * Flat trees: conversion to and from JSON, and routing rows to leaves.
 * Shared by every tree family (tree, forest, gbdt) and by TreeSHAP.
 */
import { accumulateBinned, binForest, type BinnedForest } from "./binned-forest.js";
import { maskLayout, MaskScorer } from "./mask-forest.js";
import { accumulateRouted } from "./routed-forest.js";
export { PREDICT_BLOCK_ROWS } from "./routed-forest.js";
import type { FlatTree, FlatTreeJSON, Matrix } from "./types.js";

/** Growable builder for a {@link FlatTree}; training code appends nodes, then calls `finish`. */
export class FlatTreeBuilder {
  feature: number[] = [];
  threshold: number[] = [];
  catLeft: (number[] | null)[] = [];
  missingLeft: number[] = [];
  left: number[] = [];
  right: number[] = [];
  value: number[] = [];
  count: number[] = [];
  hessian: number[] = [];
  gain: number[] = [];

  /** Append a node (a leaf until `split` is called on it) and return its index. */
  addNode(value: number, count: number, hessian: number): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.catLeft.push(null);
    this.missingLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(value);
    this.count.push(count);
    this.hessian.push(hessian);
    this.gain.push(0);
    return this.feature.length - 1;
  }

  /** Turn node `i` into an internal node. `catLeft` non-null makes it a categorical split. */
  split(
    i: number,
    feature: number,
    threshold: number,
    catLeft: number[] | null,
    missingLeft: boolean,
    left: number,
    right: number,
    gain: number,
  ): void {
    this.feature[i] = feature;
    this.threshold[i] = catLeft ? 0 : threshold;
    this.catLeft[i] = catLeft ? [...catLeft].sort((a, b) => a - b) : null;
    this.missingLeft[i] = missingLeft ? 1 : 0;
    this.left[i] = left;
    this.right[i] = right;
    this.gain[i] = gain;
  }

  finish(): FlatTree {
    return flatTreeFromJSON(this);
  }
}

/** The JSON form of a tree, for model.json (typed arrays become plain arrays). */
export function flatTreeToJSON(t: FlatTree): FlatTreeJSON {
  return {
    feature: Array.from(t.feature),
    threshold: Array.from(t.threshold),
    catLeft: t.catLeft.map((c) => (c ? Array.from(c) : null)),
    missingLeft: Array.from(t.missingLeft),
    left: Array.from(t.left),
    right: Array.from(t.right),
    value: Array.from(t.value),
    count: Array.from(t.count),
    hessian: Array.from(t.hessian),
    gain: Array.from(t.gain),
  };
}

/** The per-node arrays of a flat tree, each with one entry per node (`feature` first). */
export const FLAT_TREE_FIELDS = [
  "feature",
  "threshold",
  "catLeft",
  "missingLeft",
  "left",
  "right",
  "value",
  "count",
  "hessian",
  "gain",
] as const;

/** A tree from its JSON form (typed arrays, category sets as Int32Array); the inverse of {@link flatTreeToJSON}. */
export function flatTreeFromJSON(j: FlatTreeJSON): FlatTree {
  const n = j.feature.length;
  for (const key of FLAT_TREE_FIELDS.slice(1)) {
    if (!Array.isArray(j[key]) || j[key].length !== n)
      throw new Error(`flat tree field "${key}" must be an array of ${n} entries`);
  }
  return {
    feature: Int32Array.from(j.feature),
    threshold: Float64Array.from(j.threshold),
    catLeft: j.catLeft.map((c) => (c ? Int32Array.from(c) : null)),
    missingLeft: Uint8Array.from(j.missingLeft),
    left: Int32Array.from(j.left),
    right: Int32Array.from(j.right),
    value: Float64Array.from(j.value),
    count: Float64Array.from(j.count),
    hessian: Float64Array.from(j.hessian),
    gain: Float64Array.from(j.gain),
  };
}

/**
 * Does a value go to the left child of internal node `i`? The one routing rule of every flat tree
 * (see FlatTree in types.ts): NaN follows `missingLeft`; a categorical split sends the codes in
 * `catLeft` left; a numeric split sends x <= threshold left. {@link accumulateTrees} inlines it.
 */
export function goesLeft(t: FlatTree, i: number, x: number): boolean {
  if (Number.isNaN(x)) return t.missingLeft[i] === 1;
  const cats = t.catLeft[i];
  if (cats === null || cats === undefined) return x <= t.threshold[i]!;
  return includesSorted(cats, x);
}

/** Is code `x` in the sorted list `cats`? Category sets are small and sorted: binary search. */
export function includesSorted(cats: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = cats.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = cats[mid]!;
    if (c === x) return true;
    if (c < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Index of the leaf that row `r` of the column-major matrix `X` reaches. */
export function leafIndex(t: FlatTree, X: Matrix, r: number): number {
  let i = 0;
  while (t.feature[i]! >= 0) {
    i = goesLeft(t, i, X.columns[t.feature[i]!]![r]!) ? t.left[i]! : t.right[i]!;
  }
  return i;
}

/** Index of the leaf that a dense row `x` (x[j] = feature j, from `offset`) reaches. */
export function leafOfVector(t: FlatTree, x: ArrayLike<number>, offset = 0): number {
  let i = 0;
  while (t.feature[i]! >= 0) i = goesLeft(t, i, x[offset + t.feature[i]!]!) ? t.left[i]! : t.right[i]!;
  return i;
}

/** A forest's layouts for many rows: binned (or null: routed node by node) and its leaf masks (null: binned). */
interface Layouts {
  trees: readonly FlatTree[];
  nFeatures: number;
  scale: number;
  F: BinnedForest | null;
  mask: MaskScorer | null;
}

/** The layouts of the last forests scored, by their first tree (CART passes a new one-tree array each call). */
const laidOut = new WeakMap<FlatTree, Layouts>();

/** The layouts of `trees` over `nFeatures` columns with leaf values scaled by `scale` (laid out once, then reused). */
function forestLayouts(trees: readonly FlatTree[], nFeatures: number, scale = 1): Layouts {
  const hit = laidOut.get(trees[0]!);
  if (
    hit &&
    hit.nFeatures === nFeatures &&
    hit.scale === scale &&
    hit.trees.length === trees.length &&
    hit.trees.every((t, i) => t === trees[i])
  )
    return hit;
  // A few milliseconds for 100 trees, once per forest.
  const F = binForest(trees, nFeatures);
  const L = F && maskLayout(F, scale);
  const mask = F && L ? MaskScorer.create(F, L) : null;
  const made = { trees: trees.slice(), nFeatures, scale, F, mask };
  laidOut.set(trees[0]!, made);
  return made;
}

/**
 * Add `scale * value(leaf)` of every tree to `out[r]`, for every row of `X`: the prediction loop of
 * tree, forest and gbdt. Each row adds the trees in order, so the sums are the same as tree by tree
 * over all rows, bit for bit, whichever layout routes them: the leaf masks (mask-forest.ts) when the trees have at
 * most 64 leaves, else the binned forest (binned-forest.ts: one table lookup per step) when it applies, else
 * node-by-node routing ({@link accumulateRouted}).
 */
export function accumulateTrees(trees: readonly FlatTree[], X: Matrix, out: Float64Array, scale = 1): void {
  if (trees.length === 0) return;
  const { F, mask } = forestLayouts(trees, X.columns.length, scale);
  if (mask) mask.accumulate(X, out);
  else if (F) accumulateBinned(F, X, out, scale);
  else accumulateRouted(trees, X, out, scale);
}

/** Number of leaves and maximum depth (root has depth 0). */
export function treeShape(t: FlatTree): { leaves: number; depth: number } {
  let leaves = 0;
  let depth = 0;
  const stack: [number, number][] = [[0, 0]];
  while (stack.length) {
    const [i, d] = stack.pop()!;
    if (t.feature[i]! < 0) {
      leaves++;
      if (d > depth) depth = d;
    } else {
      stack.push([t.left[i]!, d + 1], [t.right[i]!, d + 1]);
    }
  }
  return { leaves, depth };
}
