/**
 * A forest laid out as leaf masks (after QuickScorer, Lucchese et al., SIGIR 2015), for scoring many rows: each tree's
 * leaves are bits of one mask (at most 64 leaves), and for every feature and every bin code of it (the binned forest's
 * codes, binned-forest.ts) a table holds, per tree, the leaves that stay possible once that feature's value is known:
 * every node of the tree on that feature clears the leaves of the side the bin does not go to. ANDing a row's tables
 * over its features leaves one bit per tree, the leaf the row reaches; its value is added, trees in order.
 *
 * Why it routes exactly as goesLeft: the node tables come from the binned forest, whose per-bin directions are
 * goesLeft's rule (numeric, categorical and missing alike); a leaf survives exactly when every node above it sends
 * the row its way (the other nodes only clear leaves under them, already cleared by an ancestor). Sums are the same
 * doubles as tree by tree: each row adds the same leaf values in the same order.
 *
 * The AND loop runs as WebAssembly (mask-kernel.ts), four or two trees per 128-bit step, with no branch on the row's
 * path; binning stays in JavaScript. Model files stay data: the tables are numbers in the kernel's memory.
 */
import { BLOCK_ROWS, binCount, binRows, type BinnedForest } from "./binned-forest.js";
import { kernelInstance, type ScoreKernel } from "./mask-kernel.js";
import type { Matrix } from "./types.js";

/** Rows binned and scored per kernel call: the block's bin codes and scores stay in cache. */
export const MASK_BLOCK_ROWS = 1024;

/** Largest memory (bytes) of the tables: past it the binned forest scores instead. */
const MAX_TABLES = 64 << 20;

/** The layout of a forest in the kernel's memory; the same numbers in every thread that scores it. */
export interface MaskLayout {
  /** Bytes per tree mask: 4 (at most 32 leaves) or 8 (at most 64). */
  bytes: 4 | 8;
  /** Number of trees. */
  trees: number;
  /** 16-byte vectors per table row (trees × bytes, rounded up). */
  vecs: number;
  /** Per model column: its position among the features split on, or -1. */
  slot: Int32Array;
  /** Features split on, in column order. */
  used: Int32Array;
  /** The memory image: [featAt: i32 per used feature][values][tables]; see {@link maskLayout}. */
  image: Uint8Array;
  /** Byte offsets in the image: leaf values (f64, 8·bytes per tree) and the end of the tables. */
  valuesAt: number;
  tablesEnd: number;
}

/**
 * Leaves of tree `ti` of `F`: its nodes [lo, hi), each leaf's bit, and per node the bits of the leaves under it (low
 * and high 32 bits), or null when it has more than 64 leaves.
 */
function leafMasks(
  F: BinnedForest,
  ti: number,
): { lo: number; hi: number; leaves: number; leafOf: Int32Array; low: Int32Array; high: Int32Array } | null {
  const lo = F.root[ti]!;
  const hi = ti + 1 < F.root.length ? F.root[ti + 1]! : F.child.length;
  const leafOf = new Int32Array(hi - lo).fill(-1);
  let leaves = 0;
  for (let g = lo; g < hi; g++) if (F.child[g] === g) leafOf[g - lo] = leaves++;
  if (leaves > 64) return null;
  const low = new Int32Array(hi - lo);
  const high = new Int32Array(hi - lo);
  // Children come after their parent (breadth-first ids): filled bottom-up.
  for (let g = hi - 1; g >= lo; g--) {
    const c = F.child[g]! - lo;
    const k = g - lo;
    if (c === k) {
      const l = leafOf[k]!;
      if (l < 32) low[k] = 1 << l;
      else high[k] = 1 << (l - 32);
    } else {
      low[k] = low[c]! | low[c + 1]!;
      high[k] = high[c]! | high[c + 1]!;
    }
  }
  return { lo, hi, leaves, leafOf, low, high };
}

/**
 * The mask layout of binned forest `F` whose leaf values are scaled by `scale`, or null when a tree has more than
 * 64 leaves or the tables would pass {@link MAX_TABLES} (the binned forest scores those).
 */
export function maskLayout(F: BinnedForest, scale = 1): MaskLayout | null {
  const T = F.root.length;
  const trees = [];
  let widest = 0;
  for (let ti = 0; ti < T; ti++) {
    const t = leafMasks(F, ti);
    if (!t) return null;
    if (t.leaves > widest) widest = t.leaves;
    trees.push(t);
  }
  const bytes: 4 | 8 = widest <= 32 ? 4 : 8;
  const vecs = Math.max(1, Math.ceil((T * bytes) / 16));
  const nFeatures = F.kind.length;
  const slot = new Int32Array(nFeatures).fill(-1);
  const usedList: number[] = [];
  for (let f = 0; f < nFeatures; f++) if (F.kind[f] !== 0) slot[f] = usedList.push(f) - 1;
  const used = Int32Array.from(usedList);
  const nb = Int32Array.from(used, (f) => binCount(F, f));
  const valuesAt = Math.ceil((used.length * 4) / 16) * 16;
  const tablesAt = valuesAt + T * bytes * 8 * 8;
  let end = tablesAt;
  const featAt = Int32Array.from(nb, (k) => {
    const at = end;
    end += k * vecs * 16;
    return at;
  });
  if (end > MAX_TABLES) return null;
  const image = new Uint8Array(end);
  new Int32Array(image.buffer, 0, used.length).set(featAt);
  const values = new Float64Array(image.buffer, valuesAt, T * bytes * 8);
  // All ones: a tree keeps every leaf until a node of it on the feature clears some.
  image.fill(0xff, tablesAt, end);
  const words = new Int32Array(image.buffer, tablesAt, (end - tablesAt) / 4);
  const rowWords = vecs * 4;
  trees.forEach(({ lo, hi, leafOf, low, high }, ti) => {
    for (let g = lo; g < hi; g++) {
      const c = F.child[g]! - lo;
      if (c === g - lo) {
        values[ti * bytes * 8 + leafOf[g - lo]!] = scale * F.value[g]!; // the product every layout adds
        continue;
      }
      const u = slot[F.column[g]! / BLOCK_ROWS]!;
      // Going left clears the right subtree's leaves, going right the left's.
      const w0 = (featAt[u]! - tablesAt) / 4 + (ti * bytes) / 4;
      const at = F.at[g]!;
      for (let b = 0; b < nb[u]!; b++) {
        const side = F.table[at + b] ? c : c + 1;
        const w = w0 + b * rowWords;
        words[w]! &= ~low[side]!;
        if (bytes === 8) words[w + 1]! &= ~high[side]!;
      }
    }
  });
  return { bytes, trees: T, vecs, slot, used, image, valuesAt, tablesEnd: end };
}

/** A layout loaded into an instance of the kernel: one per thread. */
export class MaskScorer {
  private readonly offset: Int32Array;

  /** The scorer of `L`, or null where the kernel cannot run or is off (no WebAssembly SIMD, `CHURNKIT_WASM=0`). */
  static create(F: BinnedForest, L: MaskLayout): MaskScorer | null {
    const lmAt = Math.ceil(L.tablesEnd / 16) * 16;
    const binsAt = lmAt + L.vecs * 16;
    const outAt = Math.ceil((binsAt + Math.max(1, L.used.length) * MASK_BLOCK_ROWS) / 16) * 16;
    const k = kernelInstance(L.bytes, outAt + MASK_BLOCK_ROWS * 8);
    return k ? new MaskScorer(F, L, k.score, k.buffer, lmAt, binsAt, outAt) : null;
  }

  private constructor(
    private readonly F: BinnedForest,
    private readonly L: MaskLayout,
    private readonly score: ScoreKernel,
    private readonly buffer: ArrayBuffer,
    private readonly lmAt: number,
    private readonly binsAt: number,
    private readonly outAt: number,
  ) {
    new Uint8Array(buffer).set(L.image);
    this.offset = Int32Array.from(L.slot, (u) => (u < 0 ? -1 : binsAt + u * MASK_BLOCK_ROWS));
  }

  /** Add every tree's scaled leaf value to `out[r]` for rows [from, to) of `X`, trees in order. */
  accumulate(X: Matrix, out: Float64Array, from = 0, to = X.nRows): void {
    const B = MASK_BLOCK_ROWS;
    const { L } = this;
    const heap = new Uint8Array(this.buffer);
    const scores = new Float64Array(this.buffer, this.outAt, B);
    for (let at = from; at < to; at += B) {
      const m = Math.min(B, to - at);
      binRows(this.F, X, at, m, heap, this.offset);
      scores.set(out.subarray(at, at + m));
      this.score(this.binsAt, m, B, this.outAt, L.used.length, 0, L.vecs, this.lmAt, L.valuesAt, L.trees);
      out.set(scores.subarray(0, m), at);
    }
  }
}
