import { describe, expect, it } from "vitest";
import {
  cartEnsemble,
  explainRow,
  explainRows,
  forestEnsemble,
  gbdtEnsemble,
  prepareEnsemble,
  toLogOdds,
} from "../../src/explain/ensemble.js";
import { treeShap } from "../../src/explain/treeshap.js";
import { ForestModel } from "../../src/learners/forest/forest.js";
import { GbdtModel } from "../../src/learners/gbdt/gbdt.js";
import { CartModel } from "../../src/learners/tree/cart.js";
import { probaToLogit } from "../../src/core/types.js";
import { flatTreeToJSON, leafIndex } from "../../src/core/flat-tree.js";
import type { FlatTree } from "../../src/core/types.js";
import { matrixFromRows, randomRows, randomTree, rng } from "./trees.js";

const sum = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
};
const close = (a: number, b: number, tol = 1e-9): boolean =>
  Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

const NF = 20;
const CAT = new Set([2, 5, 11]);

function forest(seed: number, n: number, depth: number, leafValue?: () => number): FlatTree[] {
  const rand = rng(seed);
  return Array.from({ length: n }, () =>
    randomTree(rand, NF, depth, { categorical: CAT, leafValue: leafValue && (() => leafValue()) }),
  );
}

describe("ensemble explanations in raw space", () => {
  const trees = forest(1, 100, 6);
  const X = matrixFromRows(randomRows(rng(2), 300, NF, CAT));

  it("base value + Σ contributions = base + Σ scale·tree(x) (1e-9) on many rows, both covers", () => {
    const scale = trees.map((_, t) => 0.05 + (t % 7) * 0.01);
    for (const cover of ["count", "hessian"] as const) {
      const pe = prepareEnsemble({ trees, scale, base: -1.3 }, NF, { cover });
      const batch = explainRows(pe, X);
      for (let r = 0; r < X.nRows; r++) {
        let raw = -1.3;
        trees.forEach((t, k) => (raw += scale[k]! * t.value[leafIndex(t, X, r)]!));
        expect(close(batch.predictions[r]!, raw)).toBe(true);
        const total = batch.baseValue + sum(batch.contributions.subarray(r * NF, (r + 1) * NF));
        if (!close(total, raw)) throw new Error(`row ${r}: ${total} vs ${raw}`);
      }
    }
  });

  it("is the scaled sum of per-tree TreeSHAP values", () => {
    const few = trees.slice(0, 5);
    const pe = prepareEnsemble({ trees: few, scale: [1, 2, 3, 4, 5], base: 0 }, NF);
    const e = explainRow(pe, X, 17);
    const expected = new Float64Array(NF);
    let ev = 0;
    few.forEach((t, k) => {
      const r = treeShap(t, X, 17);
      ev += (k + 1) * r.expectedValue;
      r.contributions.forEach((v, j) => (expected[j]! += (k + 1) * v));
    });
    expect(e.baseValue).toBeCloseTo(ev, 12);
    for (let j = 0; j < NF; j++) expect(e.contributions[j]).toBeCloseTo(expected[j]!, 12);
  });

  it("explains chosen rows in order, and matches a GbdtModel's predictRaw", () => {
    const scaled = trees.slice(0, 30);
    const model = GbdtModel.fromState({
      version: 1,
      baseline: -0.8,
      learning_rate: 0.1,
      n_iter: scaled.length,
      n_features: NF,
      feature_kinds: Array.from({ length: NF }, (_, j) => (CAT.has(j) ? "categorical" : "numeric")),
      trees: scaled.map(flatTreeToJSON),
      validation_loss: null,
    });
    const raw = model.predictRaw(X);
    const pe = prepareEnsemble(gbdtEnsemble(model.trees, -0.8), NF);
    const rows = [5, 0, 299, 5];
    const batch = explainRows(pe, X, rows);
    rows.forEach((r, i) => {
      expect(close(batch.predictions[i]!, raw[r]!, 1e-12)).toBe(true);
      expect(close(batch.baseValue + sum(batch.contributions.subarray(i * NF, (i + 1) * NF)), raw[r]!)).toBe(true);
    });
    expect(() => explainRows(pe, X, [300])).toThrow(/row 300 is out of range/);
  });
});

describe("probability-space ensembles reported in log-odds", () => {
  const X = matrixFromRows(randomRows(rng(4), 400, NF, CAT));

  it("forest: base value = logit(p0) and base + Σ = log(p/(1−p)) = ForestModel.predictRaw (1e-9)", () => {
    const rand = rng(5);
    const trees = forest(3, 100, 6, () => rand());
    const model = new ForestModel(trees, NF, null);
    const raw = model.predictRaw(X);
    const proba = model.predictProba(X);
    const pe = prepareEnsemble(forestEnsemble(trees), NF, { space: "probability" });
    const p0 = trees.reduce((s, t) => s + treeShap(t, X, 0).expectedValue, 0) / trees.length;
    expect(pe.baseValue).toBeCloseTo(Math.log(p0 / (1 - p0)), 12);
    const batch = explainRows(pe, X);
    const probPe = prepareEnsemble(forestEnsemble(trees), NF);
    for (let r = 0; r < X.nRows; r++) {
      const c = batch.contributions.subarray(r * NF, (r + 1) * NF);
      const logOdds = Math.log(proba[r]! / (1 - proba[r]!));
      if (!close(batch.baseValue + sum(c), logOdds))
        throw new Error(`row ${r}: ${batch.baseValue + sum(c)} vs ${logOdds}`);
      expect(close(batch.predictions[r]!, raw[r]!)).toBe(true);
      // Signs and proportions of the exact probability-space Shapley values are kept.
      const pc = explainRow(probPe, X, r).contributions;
      const k = (logOdds - pe.baseValue) / (proba[r]! - p0);
      for (let j = 0; j < NF; j++) expect(c[j]!).toBeCloseTo(k * pc[j]!, 9);
    }
  });

  it("single CART tree, with leaves at 0 and 1 clipped like predictRaw", () => {
    const rand = rng(9);
    const [tree] = forest(8, 1, 5, () => [0, 1, rand()][Math.floor(rand() * 3)]!);
    const model = new CartModel(tree!, NF);
    const raw = model.predictRaw(X);
    const pe = prepareEnsemble(cartEnsemble(tree!), NF, { space: "probability" });
    for (let r = 0; r < X.nRows; r++) {
      const e = explainRow(pe, X, r);
      expect(e.prediction).toBe(raw[r]);
      expect(close(e.baseValue + sum(e.contributions), raw[r]!)).toBe(true);
      for (const v of e.contributions) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it("p = p0 gives all-zero contributions", () => {
    const phi = Float64Array.from([0.1, -0.1, 0]);
    expect(toLogOdds(phi, 0.3, 0.3)).toBeCloseTo(probaToLogit(0.3), 15);
    expect(Array.from(phi)).toEqual([0, 0, 0]);
  });
});
