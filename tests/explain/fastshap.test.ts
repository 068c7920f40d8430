import { describe, expect, it } from "vitest";
import { explainRows, prepareEnsemble } from "../../src/explain/ensemble.js";
import { compileFastTree, fastShapInto, MAX_FAST_DEPTH } from "../../src/explain/fastshap.js";
import { treeShapInto, TreeShapWorkspace } from "../../src/explain/treeshap.js";
import { FlatTreeBuilder, leafIndex } from "../../src/core/flat-tree.js";
import { bruteForceShap, matrixFromRows, randomRows, randomTree, rng } from "./trees.js";

const close = (a: number, b: number, tol = 1e-12): boolean =>
  Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

describe("per-leaf tables (fastshap) give the same values as Algorithm 2", () => {
  it("equals brute force on random small trees with repeated features, categoricals, missing values", () => {
    const rand = rng(11);
    const cat = new Set([0, 2]);
    for (let k = 0; k < 60; k++) {
      const nf = 3 + (k % 2);
      const t = randomTree(rand, nf, 2 + (k % 3), { categorical: cat });
      const cover = k % 2 ? t.hessian : t.count;
      const ft = compileFastTree(t, cover, 1, 1 << 20)!;
      expect(ft).not.toBeNull();
      const rows = randomRows(rand, 25, nf, cat);
      const X = matrixFromRows(rows);
      const x = new Float64Array(nf);
      for (let r = 0; r < rows.length; r++) {
        const phi = new Float64Array(nf);
        x.set(rows[r]!);
        expect(fastShapInto(ft, x, 0, phi, 0)).toBe(leafIndex(t, X, r));
        const bf = bruteForceShap(t, cover, rows[r]!);
        for (let j = 0; j < nf; j++)
          if (!close(phi[j]!, bf[j]!)) throw new Error(`tree ${k} row ${r} feature ${j}: ${phi[j]} vs ${bf[j]}`);
      }
    }
  });

  it("matches Algorithm 2 on deep trees (depth 10) to 1e-12", () => {
    const rand = rng(12);
    const nf = 8;
    const ws = new TreeShapWorkspace(10);
    for (let k = 0; k < 5; k++) {
      const t = randomTree(rand, nf, 10, { categorical: new Set([3]) });
      const ft = compileFastTree(t, t.count, 0.5, 1 << 22)!;
      for (const row of randomRows(rand, 20, nf, new Set([3]))) {
        const x = Float64Array.from(row);
        const a = new Float64Array(nf);
        const b = new Float64Array(nf);
        treeShapInto(t, t.count, x, a, 0.5, ws);
        fastShapInto(ft, x, 0, b, 0);
        for (let j = 0; j < nf; j++) expect(close(a[j]!, b[j]!)).toBe(true);
      }
    }
  });

  it("declines trees it cannot tabulate: zero cover, too many path features, over budget", () => {
    const b = new FlatTreeBuilder();
    const root = b.addNode(0, 10, 10);
    b.split(root, 0, 0, null, false, b.addNode(1, 0, 0), b.addNode(2, 10, 10), 1);
    const zeroCover = b.finish();
    expect(compileFastTree(zeroCover, zeroCover.count, 1, 1 << 20)).toBeNull();
    // A chain deeper than MAX_FAST_DEPTH, one new feature per level.
    const c = new FlatTreeBuilder();
    let node = c.addNode(0, 1 << 20, 0);
    for (let d = 0; d <= MAX_FAST_DEPTH; d++) {
      const l = c.addNode(d, 1, 1);
      const r = c.addNode(0, 1 << 10, 1);
      c.split(node, d, 0, null, false, l, r, 1);
      node = r;
    }
    const chain = c.finish();
    expect(compileFastTree(chain, chain.count, 1, 1 << 22)).toBeNull();
    const t = randomTree(rng(1), 5, 4, { full: true });
    expect(compileFastTree(t, t.count, 1, 100)).toBeNull();
    expect(compileFastTree(t, t.count, 1, 16 * 16)).not.toBeNull();
  });

  it("ensembles: `auto` (tables, with budget fallback) equals `recursive` to 1e-12", () => {
    const rand = rng(13);
    const nf = 12;
    const trees = Array.from({ length: 40 }, () => randomTree(rand, nf, 6, { categorical: new Set([1]) }));
    const scale = trees.map(() => 0.1);
    const X = matrixFromRows(randomRows(rand, 150, nf, new Set([1])));
    const ref = explainRows(prepareEnsemble({ trees, scale, base: 0.3 }, nf, { algorithm: "recursive" }), X);
    for (const tableBudget of [1 << 22, 20 * 64]) {
      const pe = prepareEnsemble({ trees, scale, base: 0.3 }, nf, { tableBudget });
      expect(pe.fast.some((f) => f === null)).toBe(tableBudget < 1 << 22);
      const got = explainRows(pe, X);
      expect(got.baseValue).toBe(ref.baseValue);
      for (let i = 0; i < ref.contributions.length; i++)
        expect(close(got.contributions[i]!, ref.contributions[i]!)).toBe(true);
      for (let i = 0; i < X.nRows; i++) expect(close(got.predictions[i]!, ref.predictions[i]!)).toBe(true);
    }
  });
});
