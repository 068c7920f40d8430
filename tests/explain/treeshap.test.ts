import { describe, expect, it } from "vitest";
import { treeExpectedValue, treeShap, treeShapInto, TreeShapWorkspace } from "../../src/explain/treeshap.js";
import { FlatTreeBuilder, leafIndex } from "../../src/core/flat-tree.js";
import type { FlatTree } from "../../src/core/types.js";
import { bruteForceShap, matrixFromRows, randomRows, randomTree, rng } from "./trees.js";

const close = (a: number, b: number, tol = 1e-12): boolean =>
  Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Depth 3 over 4 features: f1 has missing values going left, f2 is categorical (codes 0..3),
 * f0 is split twice on one path. Covers add up; hessians differ from counts.
 */
function handTree(): FlatTree {
  const b = new FlatTreeBuilder();
  const leaf = (v: number, c: number, h: number) => b.addNode(v, c, h);
  const n0 = b.addNode(0, 100, 20);
  const n1 = b.addNode(0, 60, 9);
  const n2 = b.addNode(0, 40, 11);
  const n3 = b.addNode(0, 35, 4);
  const n4 = b.addNode(0, 25, 5);
  const n5 = b.addNode(0, 30, 8);
  const l1 = leaf(0.3, 20, 1.5);
  const l2 = leaf(-0.2, 15, 2.5);
  const l3 = leaf(1.0, 10, 3);
  const l4 = leaf(-0.7, 15, 2);
  const l5 = leaf(0.1, 12, 5);
  const l6 = leaf(0.9, 18, 3);
  const l7 = leaf(-1.5, 10, 3);
  b.split(n0, 0, 0.5, null, false, n1, n2, 1);
  b.split(n1, 1, 1, null, true, n3, n4, 1); // missing f1 → left
  b.split(n3, 2, 0, [3, 1], false, l1, l2, 1); // codes {1,3} left, missing right
  b.split(n4, 0, -0.5, null, true, l3, l4, 1); // f0 again
  b.split(n2, 2, 0, [0, 2], true, n5, l7, 1); // codes {0,2} left, missing left
  b.split(n5, 3, 0, null, false, l5, l6, 1);
  return b.finish();
}

/** Every combination of a few values per feature, NaN included. */
function grid(): number[][] {
  const rows: number[][] = [];
  for (const a of [-1, -0.5, 0.5, 2, NaN])
    for (const c of [NaN, 0, 1, 3])
      for (const k of [0, 1, 2, 3, NaN]) for (const d of [-1, 0, 4, NaN]) rows.push([a, c, k, d]);
  return rows;
}

describe("TreeSHAP on a hand-built tree", () => {
  const t = handTree();
  const rows = grid();
  const X = matrixFromRows(rows);

  for (const cover of ["count", "hessian"] as const) {
    it(`equals brute-force Shapley values on every grid row (cover: ${cover})`, () => {
      const c = cover === "count" ? t.count : t.hessian;
      for (let r = 0; r < rows.length; r++) {
        const res = treeShap(t, X, r, { cover });
        const bf = bruteForceShap(t, c, rows[r]!);
        for (let j = 0; j < 4; j++) {
          if (!close(res.contributions[j]!, bf[j]!))
            throw new Error(`row ${r} (${String(rows[r])}) feature ${j}: ${res.contributions[j]} vs ${bf[j]}`);
        }
        expect(res.prediction).toBe(t.value[leafIndex(t, X, r)]!);
        const sum = res.expectedValue + res.contributions.reduce((s, v) => s + v, 0);
        expect(close(sum, res.prediction)).toBe(true);
      }
    });
  }

  it("expected value is the cover-weighted mean of the leaves", () => {
    const leaves = [...t.feature.keys()].filter((i) => t.feature[i]! < 0);
    const mean = leaves.reduce((s, i) => s + t.value[i]! * t.count[i]!, 0) / 100;
    expect(treeExpectedValue(t)).toBeCloseTo(mean, 14);
  });

  it("a single leaf explains nothing", () => {
    const b = new FlatTreeBuilder();
    b.addNode(0.42, 10, 10);
    const res = treeShap(b.finish(), X, 0);
    expect(res.expectedValue).toBe(0.42);
    expect(Array.from(res.contributions)).toEqual([0, 0, 0, 0]);
  });
});

describe("TreeSHAP on random small trees", () => {
  it("equals brute force with repeated features, categoricals and missing values", () => {
    const rand = rng(7);
    const cat = new Set([1, 3]);
    for (let k = 0; k < 60; k++) {
      const nf = 3 + (k % 2);
      const t = randomTree(rand, nf, 2 + (k % 3), { categorical: cat });
      const rows = randomRows(rand, 25, nf, cat);
      const X = matrixFromRows(rows);
      const ws = new TreeShapWorkspace(4);
      const phi = new Float64Array(nf);
      const xrow = new Float64Array(nf);
      for (let r = 0; r < rows.length; r++) {
        phi.fill(0);
        xrow.set(rows[r]!);
        treeShapInto(t, t.count, xrow, phi, 1, ws);
        const bf = bruteForceShap(t, t.count, rows[r]!);
        for (let j = 0; j < nf; j++)
          if (!close(phi[j]!, bf[j]!)) throw new Error(`tree ${k} row ${r} feature ${j}: ${phi[j]} vs ${bf[j]}`);
        const sum = treeExpectedValue(t) + phi.reduce((s, v) => s + v, 0);
        expect(close(sum, t.value[leafIndex(t, X, r)]!)).toBe(true);
      }
    }
  });

  it("gives zero to a child with zero cover and stays finite", () => {
    const b = new FlatTreeBuilder();
    const n0 = b.addNode(0, 10, 10);
    const n1 = b.addNode(0, 0, 0);
    const n2 = b.addNode(2, 10, 10);
    const n3 = b.addNode(0, 0, 0);
    const n4 = b.addNode(5, 0, 0);
    b.split(n0, 0, 0, null, false, n1, n2, 1);
    b.split(n1, 0, -1, null, false, n3, n4, 1);
    const t = b.finish();
    const X = matrixFromRows([[-2], [-0.5], [1], [NaN]]);
    for (let r = 0; r < 4; r++) {
      const res = treeShap(t, X, r);
      expect(Number.isFinite(res.contributions[0]!)).toBe(true);
      expect(close(res.expectedValue + res.contributions[0]!, res.prediction)).toBe(true);
    }
  });
});
