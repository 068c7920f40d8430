/**
 * Flat trees: conversion to and from JSON, and routing rows to leaves.
 * Shared by every tree family (tree, forest, gbdt) and by TreeSHAP.
 */
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

/** Rows per block of {@link accumulateTrees}: a block's slice of every column stays in cache across all trees. */
export const PREDICT_BLOCK_ROWS = 1024;

/**
 * Add `scale * value(leaf)` of every tree to `out[r]`, for every row of `X`: the prediction loop of
 * tree, forest and gbdt. Rows go in blocks of {@link PREDICT_BLOCK_ROWS}, copied into one
 * column-major buffer; each tree routes the whole block before the next tree starts, so the block
 * is read from cache by every tree. Each row still adds the trees in order, so the sums are the
 * same as tree by tree over all rows, bit for bit.
 */
export function accumulateTrees(trees: readonly FlatTree[], X: Matrix, out: Float64Array, scale = 1): void {
  const n = X.nRows;
  const B = PREDICT_BLOCK_ROWS;
  const routes = trees.map(routing);
  const used = new Uint8Array(X.columns.length);
  for (const t of trees) for (const f of t.feature) if (f >= 0) used[f] = 1;
  const block = new Float64Array(X.columns.length * B);
  for (let from = 0; from < n; from += B) {
    const to = Math.min(n, from + B);
    for (let j = 0; j < used.length; j++) if (used[j]) block.set(X.columns[j]!.subarray(from, to), j * B);
    for (const t of routes) {
      if (t.categorical) routeCategorical(t, block, to - from, out, from, scale);
      else routeNumeric(t, block, to - from, out, from, scale);
    }
  }
}

/**
 * A flat tree re-laid for routing many rows at once. Node `i` reads `block[column[i] + r]`; its
 * right child is `child[i] + 1`, so a step is `i = child[i] + goesRight`, without a branch on the
 * (unpredictable) direction. A leaf is its own child and never moves (threshold +∞, missing
 * left), so every row can take exactly `depth` steps.
 */
interface Routing {
  /** Offset of the split feature's column in the block (feature × block rows); 0 at leaves. */
  column: Int32Array;
  /** Numeric threshold; +∞ at leaves. */
  threshold: Float64Array;
  /** 1 when a missing value goes right (`missingLeft` 0). */
  nanRight: Int32Array;
  /** Left child (the right child is the next node); a leaf's own index. */
  child: Int32Array;
  /** Leaf values (0 at internal nodes). */
  value: Float64Array;
  /**
   * For a categorical split, where its codes start in `catRight` (-1 at other nodes): code `x` goes right when
   * `catRight[catAt + x]` is 1, or when `x` is not a code below `catSize` (not in the set).
   */
  catAt: Int32Array;
  /** Number of codes in the table of a categorical split (one past its largest left code). */
  catSize: Int32Array;
  /** 0 for the codes of each categorical split's left set, 1 for the others (see `catAt`). */
  catRight: Uint8Array;
  /** Whether any split is categorical. */
  categorical: boolean;
  /** Longest root-to-leaf path. */
  depth: number;
}

const routings = new WeakMap<FlatTree, Routing>();

/** The {@link Routing} of `t` (computed once per tree; trees are not changed after they are built). */
function routing(t: FlatTree): Routing {
  let r = routings.get(t);
  if (r) return r;
  const n = t.feature.length;
  r = {
    column: new Int32Array(n),
    threshold: new Float64Array(n),
    nanRight: new Int32Array(n),
    child: new Int32Array(n),
    value: new Float64Array(n),
    catAt: new Int32Array(n).fill(-1),
    catSize: new Int32Array(n),
    catRight: new Uint8Array(0),
    categorical: false,
    depth: 0,
  };
  // Breadth-first renumbering, so that siblings get consecutive ids (`order[k]`: old id of node k).
  const order = new Int32Array(n);
  const depth = new Int32Array(n);
  const tables: { at: number; cats: Int32Array }[] = [];
  let tableSize = 0;
  let next = 1;
  for (let k = 0; k < next; k++) {
    const i = order[k]!;
    const f = t.feature[i]!;
    if (depth[k]! > r.depth) r.depth = depth[k]!;
    if (f < 0) {
      r.threshold[k] = Infinity;
      r.child[k] = k;
      r.value[k] = t.value[i]!;
      continue;
    }
    if (next + 2 > n) throw new Error("flat tree: a node is reached twice (not a tree)");
    r.column[k] = f * PREDICT_BLOCK_ROWS;
    r.threshold[k] = t.threshold[i]!;
    r.nanRight[k] = t.missingLeft[i] === 1 ? 0 : 1;
    const cats = t.catLeft[i] ?? null;
    if (cats) {
      r.categorical = true;
      const size = cats.length ? Math.max(0, cats[cats.length - 1]! + 1) : 0; // sorted: the last is the largest
      r.catAt[k] = tableSize;
      r.catSize[k] = size;
      tables.push({ at: tableSize, cats });
      tableSize += size;
    }
    r.child[k] = next;
    depth[next] = depth[next + 1] = depth[k]! + 1;
    order[next++] = t.left[i]!;
    order[next++] = t.right[i]!;
  }
  r.catRight = new Uint8Array(tableSize).fill(1);
  for (const { at, cats } of tables) for (const c of cats) if (c >= 0) r.catRight[at + c] = 0;
  routings.set(t, r);
  return r;
}

/**
 * `m` rows of `block` through a tree with numeric splits only; row `r` adds to `out[at + r]`.
 * `x > threshold` is false for NaN and `x !== x` adds the missing direction: {@link goesLeft}
 * without branches. Four rows advance together: their steps are independent, which hides the
 * latency of each step's chain of loads.
 */
function routeNumeric(t: Routing, block: Float64Array, m: number, out: Float64Array, at: number, scale: number): void {
  const { column, threshold, nanRight, child, value, depth } = t;
  let r = 0;
  for (; r + 3 < m; r += 4) {
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    for (let s = 0; s < depth; s++) {
      const xa = block[column[a]! + r]!;
      const xb = block[column[b]! + r + 1]!;
      const xc = block[column[c]! + r + 2]!;
      const xd = block[column[d]! + r + 3]!;
      a = child[a]! + (+(xa > threshold[a]!) | (+(xa !== xa) & nanRight[a]!));
      b = child[b]! + (+(xb > threshold[b]!) | (+(xb !== xb) & nanRight[b]!));
      c = child[c]! + (+(xc > threshold[c]!) | (+(xc !== xc) & nanRight[c]!));
      d = child[d]! + (+(xd > threshold[d]!) | (+(xd !== xd) & nanRight[d]!));
      // Stop once all four are at leaves (a leaf is its own child).
      if (child[a] === a && child[b] === b && child[c] === c && child[d] === d) break;
    }
    out[at + r]! += scale * value[a]!;
    out[at + r + 1]! += scale * value[b]!;
    out[at + r + 2]! += scale * value[c]!;
    out[at + r + 3]! += scale * value[d]!;
  }
  for (; r < m; r++) {
    let a = 0;
    for (let s = 0; s < depth; s++) {
      const xa = block[column[a]! + r]!;
      a = child[a]! + (+(xa > threshold[a]!) | (+(xa !== xa) & nanRight[a]!));
    }
    out[at + r]! += scale * value[a]!;
  }
}

/**
 * One step of {@link routeCategorical} from node `i` for value `x`: the next node. A categorical split looks the
 * code up in its table ({@link includesSorted} of `catLeft`, as a table); a code that is not a small non-negative
 * integer is not in the set.
 */
function stepCategorical(t: Routing, i: number, x: number): number {
  if (x !== x) return t.child[i]! + t.nanRight[i]!;
  const at = t.catAt[i]!;
  if (at < 0) return t.child[i]! + +(x > t.threshold[i]!);
  return t.child[i]! + (x >= 0 && x < t.catSize[i]! && x === Math.floor(x) ? t.catRight[at + x]! : 1);
}

/** {@link routeNumeric} for trees with categorical splits (the code's membership in `catLeft`), four rows at a time. */
function routeCategorical(
  t: Routing,
  block: Float64Array,
  m: number,
  out: Float64Array,
  at: number,
  scale: number,
): void {
  const { column, child, value } = t;
  let r = 0;
  for (; r + 3 < m; r += 4) {
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    while (child[a] !== a || child[b] !== b || child[c] !== c || child[d] !== d) {
      a = stepCategorical(t, a, block[column[a]! + r]!);
      b = stepCategorical(t, b, block[column[b]! + r + 1]!);
      c = stepCategorical(t, c, block[column[c]! + r + 2]!);
      d = stepCategorical(t, d, block[column[d]! + r + 3]!);
    }
    out[at + r]! += scale * value[a]!;
    out[at + r + 1]! += scale * value[b]!;
    out[at + r + 2]! += scale * value[c]!;
    out[at + r + 3]! += scale * value[d]!;
  }
  for (; r < m; r++) {
    let i = 0;
    while (child[i] !== i) i = stepCategorical(t, i, block[column[i]! + r]!);
    out[at + r]! += scale * value[i]!;
  }
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
