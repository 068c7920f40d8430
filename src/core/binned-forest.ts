/**
 * A forest laid out for scoring many rows: every feature value is first turned into a small bin code (one code per
 * interval between the forest's thresholds of that feature, one per category code, one for missing), and every
 * internal node holds a table that says, for each bin of its feature, whether the row goes right. A step through a
 * tree is then one table lookup, the same for numeric, categorical and missing values and without a branch on the
 * direction: `node = child[node] + table[at[node] + bin[row, feature[node]]]`.
 *
 * The tables are built from {@link goesLeft}'s rule, one bin at a time, so routing is the same rule as every other
 * path (core/flat-tree.ts), bit for bit: a numeric split sends x <= threshold left, NaN follows `missingLeft`, a
 * categorical split sends the codes of `catLeft` left and every other value (another code, a negative or fractional
 * number) right. Model files stay data: the layout is typed arrays, never generated code.
 *
 * Rows go in blocks of {@link BLOCK_ROWS}: the block's bin codes (one byte per value, column-major) stay in cache
 * while every tree routes the block; eight rows advance together, their steps independent, which hides the latency
 * of each step's chain of loads. Each row adds the trees in order, so sums are bit-identical to tree-by-tree.
 */
import type { FlatTree, Matrix } from "./types.js";

/** Rows per block: 30 features × 512 rows of one-byte codes is 15 KB, well inside L1 beside the hot nodes. */
export const BLOCK_ROWS = 512;

/** Largest number of table entries (bytes) a forest may use before the node-by-node routing is used instead. */
const MAX_TABLE = 1 << 24;

/** How a feature is binned: not split on, numeric thresholds, or category codes. */
const UNUSED = 0;
const NUMERIC = 1;
const CATEGORICAL = 2;

/** Bin code of a missing value (every kind of feature). */
const BIN_MISSING = 0;
/** Bin code of a value of a categorical feature that is not one of its codes 0..size-1 (negative, fractional, large). */
const BIN_OTHER = 1;

/** The forest as typed arrays; see the file comment. */
export interface BinnedForest {
  /** Per feature: {@link UNUSED}, {@link NUMERIC} or {@link CATEGORICAL}. */
  kind: Uint8Array;
  /**
   * Per numeric feature: its distinct thresholds, sorted, padded with +∞ to a power of two (for a branch-free
   * search). Bin of x: 1 + the number of thresholds below x.
   */
  cuts: Float64Array[];
  /** Per categorical feature: one past its largest code in any split; bin of code c in [0, size) is c + 2. */
  size: Int32Array;
  /** Per node (all trees, each tree's nodes breadth-first): offset of its feature's codes in the block; 0 at leaves. */
  column: Int32Array;
  /** Per node: where its table starts in `table`; leaves point at a run of zeros (they never move). */
  at: Int32Array;
  /** Per node: its left child (the right child is the next node); a leaf is its own child. */
  child: Int32Array;
  /** Per node: the leaf value (0 at internal nodes). */
  value: Float64Array;
  /** The nodes' tables: 1 where a bin goes right, 0 where it goes left. */
  table: Uint8Array;
  /** Per tree: its root node. */
  root: Int32Array;
  /** Per tree: its longest root-to-leaf path (every row takes that many steps; leaves stay put). */
  depth: Int32Array;
}

/** Thresholds and codes of each feature in the forest's splits, or null when a feature is split both ways. */
function featureKinds(
  trees: readonly FlatTree[],
  nFeatures: number,
): { kind: Uint8Array; thresholds: Set<number>[]; size: Int32Array } | null {
  const kind = new Uint8Array(nFeatures);
  const thresholds = Array.from({ length: nFeatures }, () => new Set<number>());
  const size = new Int32Array(nFeatures);
  for (const t of trees) {
    for (let i = 0; i < t.feature.length; i++) {
      const f = t.feature[i]!;
      if (f < 0) continue;
      if (f >= nFeatures) throw new Error(`flat tree: split on feature ${f}, but the matrix has ${nFeatures} columns`);
      const cats = t.catLeft[i] ?? null;
      const k = cats ? CATEGORICAL : NUMERIC;
      if (kind[f] !== UNUSED && kind[f] !== k) return null;
      kind[f] = k;
      if (cats) {
        for (const c of cats) if (c >= size[f]!) size[f] = c + 1;
      } else if (!Number.isNaN(t.threshold[i]!)) thresholds[f]!.add(t.threshold[i]!); // Set: -0 and 0 are one
    }
  }
  return { kind, thresholds, size };
}

/** Number of bins of a feature: missing, then one per interval between `real` thresholds, or "other" and `size` codes. */
function binsOf(kind: number, size: number, real: number): number {
  return kind === CATEGORICAL ? size + 2 : kind === NUMERIC ? real + 2 : 1;
}

/**
 * The binned layout of `trees` over a matrix of `nFeatures` columns, or null when it does not apply (a feature split
 * both as numeric and as categorical, or tables over {@link MAX_TABLE} bytes): the caller routes node by node then.
 */
export function binForest(trees: readonly FlatTree[], nFeatures: number): BinnedForest | null {
  const kinds = featureKinds(trees, nFeatures);
  if (!kinds) return null;
  const { kind, thresholds, size } = kinds;
  const sorted = thresholds.map((s) => Float64Array.from(s).sort());
  const cuts = sorted.map((s) => {
    let p = 1;
    while (p < s.length) p *= 2;
    const c = new Float64Array(p).fill(Infinity);
    c.set(s);
    return c;
  });
  const nb = Int32Array.from({ length: nFeatures }, (_, f) => binsOf(kind[f]!, size[f]!, sorted[f]!.length));
  let widest = 1;
  for (const b of nb) if (b > widest) widest = b;
  if (widest > 256) return null; // one-byte codes
  let nodes = 0;
  let tableSize = 0;
  for (const t of trees) {
    nodes += t.feature.length;
    for (const f of t.feature) if (f >= 0) tableSize += nb[f]!;
  }
  const zeros = tableSize; // the leaves' table: a run of zeros as long as the widest feature's bins
  tableSize += widest;
  if (tableSize > MAX_TABLE) return null;
  const F: BinnedForest = {
    kind,
    cuts,
    size,
    column: new Int32Array(nodes),
    at: new Int32Array(nodes).fill(zeros),
    child: new Int32Array(nodes),
    value: new Float64Array(nodes),
    table: new Uint8Array(tableSize),
    root: new Int32Array(trees.length),
    depth: new Int32Array(trees.length),
  };
  let base = 0;
  let tp = 0;
  trees.forEach((t, ti) => {
    const n = t.feature.length;
    // Breadth-first renumbering, so that siblings get consecutive ids (`order[k]`: old id of node k).
    const order = new Int32Array(n);
    const depth = new Int32Array(n);
    let next = 1;
    F.root[ti] = base;
    for (let k = 0; k < next; k++) {
      const i = order[k]!;
      const f = t.feature[i]!;
      const g = base + k;
      if (depth[k]! > F.depth[ti]!) F.depth[ti] = depth[k]!;
      if (f < 0) {
        F.child[g] = g;
        F.value[g] = t.value[i]!;
        continue;
      }
      if (next + 2 > n) throw new Error("flat tree: a node is reached twice (not a tree)");
      F.column[g] = f * BLOCK_ROWS;
      F.at[g] = tp;
      fillTable(F.table, tp, t, i, kind[f]!, sorted[f]!, nb[f]!);
      tp += nb[f]!;
      F.child[g] = base + next;
      depth[next] = depth[next + 1] = depth[k]! + 1;
      order[next++] = t.left[i]!;
      order[next++] = t.right[i]!;
    }
    base += n;
  });
  return F;
}

/** Node `i`'s table from `at`: for each bin of its feature, 1 when a value of that bin goes right. */
function fillTable(
  table: Uint8Array,
  at: number,
  t: FlatTree,
  i: number,
  kind: number,
  sorted: Float64Array,
  nb: number,
): void {
  table[at + BIN_MISSING] = t.missingLeft[i] === 1 ? 0 : 1;
  if (kind === CATEGORICAL) {
    table.fill(1, at + BIN_OTHER, at + nb); // codes outside the set go right
    for (const c of t.catLeft[i]!) if (c >= 0) table[at + 2 + c] = 0;
    return;
  }
  // Bin b >= 1 holds the values with exactly b - 1 thresholds below them; x > threshold (right) exactly when the
  // threshold is one of those, i.e. when its rank is below b - 1. A NaN threshold sends every number right.
  const th = t.threshold[i]!;
  const rank = Number.isNaN(th) ? -1 : sorted.indexOf(th);
  for (let b = 1; b < nb; b++) table[at + b] = rank < 0 || rank < b - 1 ? 1 : 0;
}

/** Number of bins of feature `f` of `F` (its codes are 0 .. this - 1). */
export function binCount(F: BinnedForest, f: number): number {
  const k = F.kind[f]!;
  if (k !== NUMERIC) return binsOf(k, F.size[f]!, 0);
  let real = 0;
  for (const c of F.cuts[f]!) if (c !== Infinity) real++;
  return binsOf(k, 0, real);
}

/**
 * Bin codes of rows [from, from + m) of `X` into `bins`: feature f's at `bins[offset[f] + r]` (features not split on
 * are skipped). Shared by the binned forest and the mask forest (mask-forest.ts).
 */
export function binRows(
  F: BinnedForest,
  X: Matrix,
  from: number,
  m: number,
  bins: Uint8Array,
  offset: Int32Array,
): void {
  const { kind, cuts, size } = F;
  for (let f = 0; f < kind.length; f++) {
    const k = kind[f]!;
    if (k === UNUSED) continue;
    const src = X.columns[f]!;
    const o = offset[f]!;
    if (k === CATEGORICAL) {
      const s = size[f]!;
      for (let r = 0; r < m; r++) {
        const x = src[from + r]!;
        bins[o + r] = x !== x ? BIN_MISSING : x >= 0 && x < s && x === Math.floor(x) ? x + 2 : BIN_OTHER;
      }
      continue;
    }
    // Branch-free binary search for the number of cuts below x (the +∞ padding is never below x).
    const c = cuts[f]!;
    const p = c.length;
    for (let r = 0; r < m; r++) {
      const x = src[from + r]!;
      let below = 0;
      for (let h = p >> 1; h > 0; h >>= 1) below += +(c[below + h - 1]! < x) * h;
      below += +(c[below]! < x);
      bins[o + r] = x !== x ? BIN_MISSING : below + 1;
    }
  }
}

/** Add `scale * value(leaf)` of every tree of `F` to `out[r]` for every row of `X` (trees in order per row). */
export function accumulateBinned(F: BinnedForest, X: Matrix, out: Float64Array, scale = 1): void {
  const { column, at, child, value, table, root, depth } = F;
  const bins = new Uint8Array(Math.max(1, F.kind.length) * BLOCK_ROWS);
  const offset = Int32Array.from(F.kind, (_, f) => f * BLOCK_ROWS);
  const n = X.nRows;
  for (let from = 0; from < n; from += BLOCK_ROWS) {
    const m = Math.min(BLOCK_ROWS, n - from);
    binRows(F, X, from, m, bins, offset);
    for (let ti = 0; ti < root.length; ti++) {
      const top = root[ti]!;
      const steps = depth[ti]!;
      let r = 0;
      for (; r + 7 < m; r += 8) {
        let a = top,
          b = top,
          c = top,
          d = top,
          e = top,
          f = top,
          g = top,
          h = top;
        for (let s = 0; s < steps; s++) {
          a = child[a]! + table[at[a]! + bins[column[a]! + r]!]!;
          b = child[b]! + table[at[b]! + bins[column[b]! + r + 1]!]!;
          c = child[c]! + table[at[c]! + bins[column[c]! + r + 2]!]!;
          d = child[d]! + table[at[d]! + bins[column[d]! + r + 3]!]!;
          e = child[e]! + table[at[e]! + bins[column[e]! + r + 4]!]!;
          f = child[f]! + table[at[f]! + bins[column[f]! + r + 5]!]!;
          g = child[g]! + table[at[g]! + bins[column[g]! + r + 6]!]!;
          h = child[h]! + table[at[h]! + bins[column[h]! + r + 7]!]!;
        }
        const o = from + r;
        out[o]! += scale * value[a]!;
        out[o + 1]! += scale * value[b]!;
        out[o + 2]! += scale * value[c]!;
        out[o + 3]! += scale * value[d]!;
        out[o + 4]! += scale * value[e]!;
        out[o + 5]! += scale * value[f]!;
        out[o + 6]! += scale * value[g]!;
        out[o + 7]! += scale * value[h]!;
      }
      for (; r < m; r++) {
        let a = top;
        for (let s = 0; s < steps; s++) a = child[a]! + table[at[a]! + bins[column[a]! + r]!]!;
        out[from + r]! += scale * value[a]!;
      }
    }
  }
}
