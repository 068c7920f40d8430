/**
 * Node-by-node routing of many rows through flat trees: the layout core/flat-tree.ts's `accumulateTrees` falls back to
 * when the binned forest (binned-forest.ts) does not apply (a feature split both as numeric and as categorical, or
 * tables too large, as for deep random forests), and for a few rows of a forest not yet laid out. The routing rule is
 * flat-tree.ts's `goesLeft`, written without branches on the direction.
 */
import type { FlatTree, Matrix } from "./types.js";

/** Rows per block of the node-by-node routing ({@link accumulateRouted}). */
export const PREDICT_BLOCK_ROWS = 1024;

/**
 * `accumulateTrees` (core/flat-tree.ts) node by node: rows go in blocks of {@link PREDICT_BLOCK_ROWS}, copied into one
 * column-major buffer; each tree routes the whole block before the next tree starts, so the block
 * is read from cache by every tree.
 */
export function accumulateRouted(trees: readonly FlatTree[], X: Matrix, out: Float64Array, scale = 1): void {
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
    // A NaN threshold (never in model.json, which has no NaN) sends every number right, as goesLeft does: routed as
    // a categorical split with no codes, since `x > NaN` would send them left.
    const cats = t.catLeft[i] ?? (Number.isNaN(t.threshold[i]!) ? new Int32Array(0) : null);
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
 * `x > threshold` is false for NaN and `x !== x` adds the missing direction: `goesLeft`
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
 * code up in its table (`includesSorted` of `catLeft`, as a table); a code that is not a small non-negative
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
