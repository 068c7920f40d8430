/**
 * Exact path-dependent TreeSHAP with per-leaf precomputation (the idea of "Fast TreeSHAP v2",
 * Yang 2021): the same values as Algorithm 2 in treeshap.ts, at a fraction of the cost per row.
 *
 * Why it is exact. A leaf l with unique path features U (d of them) contributes the game
 * v_l(S) = value · Π_{k∈U} (k ∈ S ? o_k : z_k), where z_k is the product of the cover ratios of
 * the path's splits on k and o_k is 1 if the row takes the path at every such split, else 0.
 * Its Shapley values depend on the row only through the hot set H = {k : o_k = 1}. With
 * w(s) = s!(d−s−1)!/d! and g(M) = Σ_{S⊆M} w(|S|) Π_{k∈U∖S} z_k:
 *   k ∉ H: φ_k = −value · g(H)              (the same for every cold k)
 *   k ∈ H: φ_k = value · (1 − z_k)/z_k · g(H ∖ {k})
 * g is tabulated once per leaf for all 2^d masks, so a row costs one pass over the nodes (to route
 * it) plus d lookups per leaf. A tree is compiled only when every cover ratio on a path is
 * positive (the division by z_k), every leaf has at most {@link MAX_FAST_DEPTH} unique path
 * features, and its tables fit the memory budget; otherwise the caller falls back to Algorithm 2.
 */
import type { FlatTree } from "../core/types.js";
import { goesLeft } from "../core/flat-tree.js";

/** Most unique features on one leaf's path for which a table (2^d entries) is built. */
export const MAX_FAST_DEPTH = 12;

/** A tree compiled for fast exact TreeSHAP. All arrays are read-only after compilation except `cold`. */
export interface FastTree {
  /** The source tree (routing uses its arrays and `goesLeft`). */
  tree: FlatTree;
  /** Internal nodes, every parent before its children. */
  order: Int32Array;
  /** Per node: bit position of its split feature among the unique features of its root path. */
  elem: Int32Array;
  /** Per node scratch: bits of the path features on which the row leaves the path (rebuilt per row). */
  cold: Int32Array;
  /** Leaf node ids. */
  leaves: Int32Array;
  /** Per leaf: number of unique path features d. */
  depth: Int32Array;
  /** Per leaf: offset into `feat` / `coef` (d entries each). */
  featOff: Int32Array;
  /** Per leaf: offset into `g` (2^d entries). */
  gOff: Int32Array;
  /** Matrix column of each path element, leaf by leaf. */
  feat: Int32Array;
  /** (1 − z_k) / z_k of each path element, leaf by leaf. */
  coef: Float64Array;
  /** scale · value · g(M) for every leaf and mask M. */
  g: Float64Array;
  /** Number of table entries (for the memory budget). */
  size: number;
}

/**
 * Compile `t` (leaf values multiplied by `scale`) with covers `cover`, or return null when the
 * tree does not qualify (see the module comment) or needs more than `budget` table entries.
 */
export function compileFastTree(t: FlatTree, cover: Float64Array, scale: number, budget: number): FastTree | null {
  const n = t.feature.length;
  const elem = new Int32Array(n);
  const order: number[] = [];
  const leaves: number[] = [];
  const leafFeat: number[][] = [];
  const leafZ: number[][] = [];
  // Depth-first walk keeping the current path's unique features and their zero fractions.
  const pathFeat: number[] = [];
  const pathZ: number[] = [];
  let size = 0;
  let ok = true;
  const walk = (node: number): void => {
    if (!ok) return;
    const f = t.feature[node]!;
    if (f < 0) {
      if (pathFeat.length > MAX_FAST_DEPTH) ok = false;
      size += 1 << Math.min(pathFeat.length, 30);
      if (size > budget) ok = false;
      leaves.push(node);
      leafFeat.push(pathFeat.slice());
      leafZ.push(pathZ.slice());
      return;
    }
    order.push(node);
    const l = t.left[node]!;
    const r = t.right[node]!;
    const s = cover[l]! + cover[r]!;
    if (!(cover[l]! > 0 && cover[r]! > 0 && s > 0)) {
      ok = false;
      return;
    }
    let e = pathFeat.indexOf(f);
    const isNew = e < 0;
    if (isNew) {
      e = pathFeat.length;
      pathFeat.push(f);
      pathZ.push(1);
    }
    elem[node] = e;
    const z0 = pathZ[e]!;
    pathZ[e] = z0 * (cover[l]! / s);
    walk(l);
    pathZ[e] = z0 * (cover[r]! / s);
    walk(r);
    pathZ[e] = z0;
    if (isNew) {
      pathFeat.pop();
      pathZ.pop();
    }
  };
  walk(0);
  if (!ok) return null;

  const nl = leaves.length;
  const depth = new Int32Array(nl);
  const featOff = new Int32Array(nl);
  const gOff = new Int32Array(nl);
  const feat = new Int32Array(leafFeat.reduce((a, p) => a + p.length, 0));
  const coef = new Float64Array(feat.length);
  const g = new Float64Array(size);
  let fo = 0;
  let go = 0;
  for (let k = 0; k < nl; k++) {
    const U = leafFeat[k]!;
    const z = leafZ[k]!;
    const d = U.length;
    depth[k] = d;
    featOff[k] = fo;
    gOff[k] = go;
    for (let e = 0; e < d; e++) {
      feat[fo + e] = U[e]!;
      coef[fo + e] = (1 - z[e]!) / z[e]!;
    }
    fillTable(z, scale * t.value[leaves[k]!]!, g, go);
    fo += d;
    go += 1 << d;
  }
  return {
    tree: t,
    order: Int32Array.from(order),
    elem,
    cold: new Int32Array(n),
    leaves: Int32Array.from(leaves),
    depth,
    featOff,
    gOff,
    feat,
    coef,
    g,
    size,
  };
}

/**
 * out[off + M] = v · Σ_{S⊆M} w(|S|) Π_{k∉S} z_k for every mask M of the d = z.length elements.
 * Π_{k∈M}(z_k + x) = Σ_{S⊆M} x^{|S|} Π_{k∈M∖S} z_k is built mask by mask from the mask without
 * its top bit, so the table costs 2^d · d.
 */
function fillTable(z: number[], v: number, out: Float64Array, off: number): void {
  const d = z.length;
  const w = new Float64Array(Math.max(d, 1));
  // w(s) = s!(d−s−1)!/d!, by the ratio w(s+1)/w(s) = (s+1)/(d−s−1).
  if (d > 0) {
    w[0] = 1 / d;
    for (let s = 0; s + 1 < d; s++) w[s + 1] = (w[s]! * (s + 1)) / (d - s - 1);
  }
  const stride = d + 1;
  const poly = new Float64Array((1 << d) * stride);
  poly[0] = 1;
  for (let M = 1; M < 1 << d; M++) {
    const top = 31 - Math.clz32(M);
    const prev = (M ^ (1 << top)) * stride;
    const cur = M * stride;
    const zt = z[top]!;
    // (z_top + x) · poly(prev)
    for (let r = 0; r <= d; r++) poly[cur + r] = zt * poly[prev + r]! + (r > 0 ? poly[prev + r - 1]! : 0);
  }
  for (let M = 0; M < 1 << d; M++) {
    let zOut = 1;
    let m = 0;
    for (let e = 0; e < d; e++) {
      if ((M >> e) & 1) m++;
      else zOut *= z[e]!;
    }
    let s = 0;
    for (let r = 0; r <= m && r < d; r++) s += w[r]! * poly[M * stride + r]!;
    out[off + M] = v * zOut * s;
  }
}

/**
 * Add the TreeSHAP values of one row to `phi[phiOff ..]`; the row's values (one per matrix
 * column) are `x[xOff ..]`. Returns the node id of the leaf the row reaches.
 */
export function fastShapInto(ft: FastTree, x: Float64Array, xOff: number, phi: Float64Array, phiOff: number): number {
  const t = ft.tree;
  const { order, elem, cold, leaves, depth, featOff, gOff, feat, coef, g } = ft;
  const { feature, left, right } = t;
  if (order.length === 0) return 0; // a single leaf explains nothing
  cold[0] = 0;
  for (let i = 0; i < order.length; i++) {
    const node = order[i]!;
    const m = cold[node]!;
    const bit = 1 << elem[node]!;
    if (goesLeft(t, node, x[xOff + feature[node]!]!)) {
      cold[left[node]!] = m;
      cold[right[node]!] = m | bit;
    } else {
      cold[right[node]!] = m;
      cold[left[node]!] = m | bit;
    }
  }
  let reached = 0;
  for (let k = 0; k < leaves.length; k++) {
    const d = depth[k]!;
    const c = cold[leaves[k]!]!;
    if (c === 0) reached = leaves[k]!; // the row followed every split of this path
    const hot = ((1 << d) - 1) & ~c;
    const fo = featOff[k]!;
    const go = gOff[k]!;
    const gHot = g[go + hot]!;
    for (let e = 0; e < d; e++) {
      // Branch-free on purpose: whether a path feature is hot is a coin flip per leaf, and
      // mispredicted branches cost more than computing both terms.
      const h = (hot >> e) & 1;
      phi[phiOff + feat[fo + e]!]! += h * coef[fo + e]! * g[go + (hot ^ (1 << e))]! - (1 - h) * gHot;
    }
  }
  return reached;
}
