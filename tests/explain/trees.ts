/** Test helpers: hand-built and random flat trees, and brute-force path-dependent Shapley values. */
import { FlatTreeBuilder, goesLeft } from "../../src/core/flat-tree.js";
import type { FeatureInfo, FlatTree, Matrix } from "../../src/core/types.js";

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A matrix from rows of values. */
export function matrixFromRows(rows: number[][], features?: FeatureInfo[]): Matrix {
  const nf = rows[0]!.length;
  const columns = Array.from({ length: nf }, (_, j) => Float64Array.from(rows, (r) => r[j]!));
  return {
    nRows: rows.length,
    features: features ?? columns.map((_, j) => ({ name: `f${j}`, kind: "numeric", source: `f${j}` })),
    columns,
  };
}

export function rowOf(X: Matrix, r: number): number[] {
  return X.columns.map((c) => c[r]!);
}

/**
 * Random tree with consistent covers (internal count = sum of children). Features listed in
 * `categorical` get categorical splits on codes 0..nCat-1. Hessians are count × a random factor
 * per leaf, summed up, so they differ from counts.
 */
export function randomTree(
  rand: () => number,
  nFeatures: number,
  maxDepth: number,
  opts: { categorical?: Set<number>; nCat?: number; leafValue?: () => number; full?: boolean } = {},
): FlatTree {
  const b = new FlatTreeBuilder();
  const nCat = opts.nCat ?? 4;
  const leafValue = opts.leafValue ?? (() => rand() * 2 - 1);
  const grow = (depth: number): number => {
    const i = b.addNode(0, 0, 0);
    const isLeaf = depth >= maxDepth || (!opts.full && depth > 0 && rand() < 0.15);
    if (isLeaf) {
      const c = 1 + Math.floor(rand() * 50);
      b.value[i] = leafValue();
      b.count[i] = c;
      b.hessian[i] = c * (0.05 + rand() * 0.2);
      return i;
    }
    const f = Math.floor(rand() * nFeatures);
    const l = grow(depth + 1);
    const r = grow(depth + 1);
    let cats: number[] | null = null;
    if (opts.categorical?.has(f)) {
      cats = [];
      for (let k = 0; k < nCat; k++) if (rand() < 0.5) cats.push(k);
    }
    b.split(i, f, Math.round((rand() * 4 - 2) * 4) / 4, cats, rand() < 0.5, l, r, rand());
    b.count[i] = b.count[l]! + b.count[r]!;
    b.hessian[i] = b.hessian[l]! + b.hessian[r]!;
    b.value[i] = (b.value[l]! * b.count[l]! + b.value[r]! * b.count[r]!) / b.count[i];
    return i;
  };
  grow(0);
  return b.finish();
}

/** Random rows: numeric values in [-2.5, 2.5] on a 0.25 grid (ties with thresholds), codes for categoricals, some NaN. */
export function randomRows(
  rand: () => number,
  n: number,
  nFeatures: number,
  categorical = new Set<number>(),
  nCat = 4,
  missing = 0.1,
): number[][] {
  return Array.from({ length: n }, () =>
    Array.from({ length: nFeatures }, (_, j) => {
      if (rand() < missing) return NaN;
      return categorical.has(j) ? Math.floor(rand() * nCat) : Math.round((rand() * 5 - 2.5) * 4) / 4;
    }),
  );
}

/** Path-dependent E[f(x) | x_S]: follow the row on features in S, otherwise average the children by cover. */
export function condExpectation(t: FlatTree, cover: Float64Array, x: number[], inS: boolean[], node = 0): number {
  const f = t.feature[node]!;
  if (f < 0) return t.value[node]!;
  const l = t.left[node]!;
  const r = t.right[node]!;
  if (inS[f]) return condExpectation(t, cover, x, inS, goesLeft(t, node, x[f]!) ? l : r);
  const s = cover[l]! + cover[r]!;
  return (cover[l]! * condExpectation(t, cover, x, inS, l) + cover[r]! * condExpectation(t, cover, x, inS, r)) / s;
}

/** Shapley values by enumerating every subset of the M features. */
export function bruteForceShap(t: FlatTree, cover: Float64Array, x: number[]): number[] {
  const M = x.length;
  const fact = [1];
  for (let k = 1; k <= M; k++) fact.push(fact[k - 1]! * k);
  const v = new Float64Array(1 << M);
  for (let mask = 0; mask < 1 << M; mask++) {
    const inS = Array.from({ length: M }, (_, j) => ((mask >> j) & 1) === 1);
    v[mask] = condExpectation(t, cover, x, inS);
  }
  const phi = new Array<number>(M).fill(0);
  for (let i = 0; i < M; i++) {
    for (let mask = 0; mask < 1 << M; mask++) {
      if ((mask >> i) & 1) continue;
      let size = 0;
      for (let j = 0; j < M; j++) size += (mask >> j) & 1;
      const w = (fact[size]! * fact[M - size - 1]!) / fact[M]!;
      phi[i] = phi[i]! + w * (v[mask | (1 << i)]! - v[mask]!);
    }
  }
  return phi;
}
