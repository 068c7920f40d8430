/**
 * Exact path-dependent TreeSHAP for one {@link FlatTree} (Lundberg, Erion & Lee 2018,
 * "Consistent individualized feature attribution for tree ensembles", Algorithm 2).
 *
 * The value of a coalition S is the path-dependent conditional expectation: at a node that
 * splits on a feature in S the row is followed; otherwise both children are averaged, weighted
 * by their cover. Missing values and categorical codes route exactly as `goesLeft` does, so the
 * "hot" child is always the one the row really takes.
 *
 * Cover ratios are child cover / (left cover + right cover). For a tree whose covers add up
 * (every tree churnkit grows) this is child / parent; the sum of the children is used so the two
 * ratios always sum to 1 and the expected value matches the Shapley values to rounding, even if
 * a parent's cover was stored with its own rounding. A node whose children both have cover 0
 * splits 1/2 : 1/2.
 *
 * Everything here works on reusable typed-array buffers: no allocation per node or per row.
 */
import type { FlatTree, Matrix } from "../core/types.js";
import { goesLeft, leafOfVector, treeShape } from "../core/flat-tree.js";

/** Which per-node statistic weighs the children: training rows (`count`, default) or hessian sums. */
export type CoverKind = "count" | "hessian";

/**
 * Path buffers of TreeSHAP, reusable across rows and trees. The recursion keeps one slice per
 * depth (at most depth + 1 path elements each), stored struct-of-arrays.
 */
export class TreeShapWorkspace {
  /** Deepest tree (root = depth 0) the buffers can hold. */
  readonly maxDepth: number;
  /** Feature of each path element (-1 for the root's placeholder). */
  readonly feat: Int32Array;
  /** Fraction of cover that flows down the path when the feature is not in S. */
  readonly zero: Float64Array;
  /** 1 if the row follows the path when the feature is in S, else 0. */
  readonly one: Float64Array;
  /** Permutation weights of the path (EXTEND/UNWIND state). */
  readonly pw: Float64Array;
  /** Row stride of the ratio tables below (maxDepth + 2). */
  readonly stride: number;
  /** Tables indexed [d · stride + i], so the hot loops multiply instead of divide: (i+1)/(d+1). */
  readonly extUp: Float64Array;
  /** (d−i)/(d+1). */
  readonly extDown: Float64Array;
  /** (d+1)/(i+1). */
  readonly unUp: Float64Array;
  /** (d+1)/(d−i) (0 where i ≥ d). */
  readonly unDown: Float64Array;

  constructor(maxDepth: number) {
    this.maxDepth = maxDepth;
    const n = ((maxDepth + 2) * (maxDepth + 3)) / 2;
    this.feat = new Int32Array(n);
    this.zero = new Float64Array(n);
    this.one = new Float64Array(n);
    this.pw = new Float64Array(n);
    const s = (this.stride = maxDepth + 2);
    this.extUp = new Float64Array(s * s);
    this.extDown = new Float64Array(s * s);
    this.unUp = new Float64Array(s * s);
    this.unDown = new Float64Array(s * s);
    for (let d = 0; d < s; d++) {
      for (let i = 0; i < s; i++) {
        this.extUp[d * s + i] = (i + 1) / (d + 1);
        this.extDown[d * s + i] = (d - i) / (d + 1);
        this.unUp[d * s + i] = (d + 1) / (i + 1);
        this.unDown[d * s + i] = i < d ? (d + 1) / (d - i) : 0;
      }
    }
  }
}

/** Per-node cover array of a tree for the chosen statistic. */
export function coverOf(t: FlatTree, cover: CoverKind = "count"): Float64Array {
  return cover === "hessian" ? t.hessian : t.count;
}

/** Cover-weighted mean of the leaf values: the tree's output with no feature known. */
export function treeExpectedValue(t: FlatTree, cover: CoverKind = "count"): number {
  const c = coverOf(t, cover);
  const expect = (i: number): number => {
    if (t.feature[i]! < 0) return t.value[i]!;
    const l = t.left[i]!;
    const r = t.right[i]!;
    const s = c[l]! + c[r]!;
    const fl = s > 0 ? c[l]! / s : 0.5;
    const fr = s > 0 ? c[r]! / s : 0.5;
    return fl * expect(l) + fr * expect(r);
  };
  return expect(0);
}

/** Result of {@link treeShap}. */
export interface TreeShapResult {
  /** One contribution per matrix column (0 for columns the tree does not use). */
  contributions: Float64Array;
  /** Cover-weighted mean leaf value; expectedValue + Σ contributions = the tree's output for the row. */
  expectedValue: number;
  /** The tree's output (leaf value) for the row. */
  prediction: number;
}

/** Exact TreeSHAP values of row `r` of `X` for one tree. Allocates; for many rows use {@link treeShapInto}. */
export function treeShap(t: FlatTree, X: Matrix, r: number, opts: { cover?: CoverKind } = {}): TreeShapResult {
  const cover = opts.cover ?? "count";
  const nf = X.columns.length;
  const xrow = new Float64Array(nf);
  for (let j = 0; j < nf; j++) xrow[j] = X.columns[j]![r]!;
  const phi = new Float64Array(nf);
  const ws = new TreeShapWorkspace(treeShape(t).depth);
  treeShapInto(t, coverOf(t, cover), xrow, phi, 1, ws);
  return {
    contributions: phi,
    expectedValue: treeExpectedValue(t, cover),
    prediction: t.value[leafOfVector(t, xrow)]!,
  };
}

/**
 * Add `scale` × the TreeSHAP values of one row to `phi`.
 * @param t the tree
 * @param cover per-node cover (`t.count` or `t.hessian`)
 * @param xrow the row's value for every matrix column
 * @param phi accumulator, one entry per matrix column
 * @param scale multiplier of this tree's output (ensembles)
 * @param ws buffers for trees at least as deep as `t`
 */
export function treeShapInto(
  t: FlatTree,
  cover: Float64Array,
  xrow: Float64Array,
  phi: Float64Array,
  scale: number,
  ws: TreeShapWorkspace,
): void {
  if (t.feature[0]! < 0) return; // a single leaf explains nothing
  recurse(t, cover, xrow, phi, scale, ws, 0, 0, 0, 0, 1, 1, -1);
}

/** EXTEND: add a path element (feature `f`, fractions `pz`, `po`) at position `d` of the slice at `o`. */
function extend(ws: TreeShapWorkspace, o: number, d: number, pz: number, po: number, f: number): void {
  const { feat, zero, one, pw } = ws;
  feat[o + d] = f;
  zero[o + d] = pz;
  one[o + d] = po;
  pw[o + d] = d === 0 ? 1 : 0;
  const up = ws.extUp;
  const down = ws.extDown;
  const row = d * ws.stride;
  for (let i = d - 1; i >= 0; i--) {
    const w = pw[o + i]!;
    pw[o + i + 1]! += po * w * up[row + i]!;
    pw[o + i] = pz * w * down[row + i]!;
  }
}

/** UNWIND: remove path element `k` from the slice at `o` holding elements 0..d. */
function unwind(ws: TreeShapWorkspace, o: number, d: number, k: number): void {
  const { feat, zero, one, pw } = ws;
  const po = one[o + k]!;
  const pz = zero[o + k]!;
  let next = pw[o + d]!;
  for (let i = d - 1; i >= 0; i--) {
    if (po !== 0) {
      const tmp = pw[o + i]!;
      pw[o + i] = (next * (d + 1)) / ((i + 1) * po);
      next = tmp - (pw[o + i]! * pz * (d - i)) / (d + 1);
    } else {
      pw[o + i] = (pw[o + i]! * (d + 1)) / (pz * (d - i));
    }
  }
  for (let i = k; i < d; i++) {
    feat[o + i] = feat[o + i + 1]!;
    zero[o + i] = zero[o + i + 1]!;
    one[o + i] = one[o + i + 1]!;
  }
}

/**
 * Sum of the permutation weights as if hot element `k` (one fraction 1) were unwound, without
 * changing the path. One fractions are always 0 or 1 in path-dependent TreeSHAP (products of
 * the 1 of a hot edge and the 0 of a cold one); cold elements are handled by {@link coldSum}.
 */
function hotUnwoundSum(ws: TreeShapWorkspace, o: number, d: number, pz: number): number {
  const pw = ws.pw;
  const up = ws.unUp;
  const down = ws.extDown;
  const row = d * ws.stride;
  let next = pw[o + d]!;
  let total = 0;
  for (let i = d - 1; i >= 0; i--) {
    const tmp = next * up[row + i]!;
    total += tmp;
    next = pw[o + i]! - tmp * pz * down[row + i]!;
  }
  return total;
}

/**
 * For a cold element (one fraction 0, zero fraction z) the unwound sum is coldSum / z and its
 * contribution factor is (0 − z), so every cold element of a leaf contributes −coldSum · value:
 * computed once per leaf, with no division.
 */
function coldSum(ws: TreeShapWorkspace, o: number, d: number): number {
  const pw = ws.pw;
  const c = ws.unDown;
  const row = d * ws.stride;
  let total = 0;
  for (let i = 0; i < d; i++) total += pw[o + i]! * c[row + i]!;
  return total;
}

/**
 * One node of the recursion. `po0` is the parent's slice offset, `o` this node's; `d` the number
 * of path elements inherited (the new one, for the edge into this node, goes at index `d`).
 */
function recurse(
  t: FlatTree,
  cover: Float64Array,
  xrow: Float64Array,
  phi: Float64Array,
  scale: number,
  ws: TreeShapWorkspace,
  node: number,
  d: number,
  po0: number,
  o: number,
  pz: number,
  po: number,
  pf: number,
): void {
  const { feat, zero, one, pw } = ws;
  if (d > 0) {
    // Copy the parent's path (elements 0..d-1) into this node's slice.
    for (let i = 0; i < d; i++) {
      feat[o + i] = feat[po0 + i]!;
      zero[o + i] = zero[po0 + i]!;
      one[o + i] = one[po0 + i]!;
      pw[o + i] = pw[po0 + i]!;
    }
  }
  extend(ws, o, d, pz, po, pf);

  const f = t.feature[node]!;
  if (f < 0) {
    const v = t.value[node]! * scale;
    let cold = NaN; // computed on first use
    for (let i = 1; i <= d; i++) {
      const z = zero[o + i]!;
      if (one[o + i] === 0) {
        if (cold !== cold) cold = coldSum(ws, o, d);
        phi[feat[o + i]!]! -= cold * v;
      } else {
        phi[feat[o + i]!]! += hotUnwoundSum(ws, o, d, z) * (1 - z) * v;
      }
    }
    return;
  }

  const l = t.left[node]!;
  const r = t.right[node]!;
  const goLeft = goesLeft(t, node, xrow[f]!);
  const hot = goLeft ? l : r;
  const cold = goLeft ? r : l;
  const s = cover[l]! + cover[r]!;
  const hotZero = s > 0 ? cover[hot]! / s : 0.5;
  const coldZero = s > 0 ? cover[cold]! / s : 0.5;

  // A feature already on the path: undo its element and carry its fractions into this split,
  // so each feature appears once on the path (the fractions of repeated splits multiply).
  let iz = 1;
  let io = 1;
  let ud = d;
  for (let k = 1; k <= d; k++) {
    if (feat[o + k] === f) {
      iz = zero[o + k]!;
      io = one[o + k]!;
      unwind(ws, o, d, k);
      ud = d - 1;
      break;
    }
  }
  const childO = o + d + 1;
  // A child with zero fractions both ways carries no weight for any coalition: skip it
  // (its UNWIND would divide by zero further down).
  const hz = hotZero * iz;
  if (hz !== 0 || io !== 0) recurse(t, cover, xrow, phi, scale, ws, hot, ud + 1, o, childO, hz, io, f);
  const cz = coldZero * iz;
  if (cz !== 0) recurse(t, cover, xrow, phi, scale, ws, cold, ud + 1, o, childO, cz, 0, f);
}
