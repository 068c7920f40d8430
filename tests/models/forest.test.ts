import { describe, expect, it } from "vitest";
import { ForestEstimator, ForestModel, forestParamsSchema } from "../../src/learners/forest/forest.js";
import { rocAuc } from "../../src/evaluation/metrics.js";
import { workerScriptUrl } from "../../src/learners/forest/parallel.js";
import { resolveMaxFeatures } from "../../src/learners/tree/params.js";
import { leafIndex } from "../../src/core/flat-tree.js";
import type { FeatureInfo, Matrix } from "../../src/core/types.js";
import { Rng } from "../../src/utils/random.js";

const num = (name: string): FeatureInfo => ({ name, kind: "numeric", source: name });
const cat = (name: string, k: number): FeatureInfo => ({ name, kind: "categorical", nCategories: k, source: name });

function slice(X: Matrix, from: number, to: number): Matrix {
  return { nRows: to - from, features: X.features, columns: X.columns.map((c) => c.slice(from, to)) };
}

/** A noisy churn-like rule over numeric, categorical and missing values, plus noise columns. */
function churnLike(n: number, seed: number): { X: Matrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const tenure = new Float64Array(n);
  const contract = new Float64Array(n);
  const charges = new Float64Array(n);
  const noise = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    tenure[i] = Math.floor(rng.next() * 72);
    contract[i] = rng.next() < 0.1 ? NaN : rng.int(3);
    charges[i] = rng.next() < 0.05 ? NaN : 20 + rng.next() * 100;
    for (const c of noise) c[i] = rng.next();
    const z =
      1.5 -
      tenure[i]! / 20 +
      (contract[i] === 0 ? 1.2 : Number.isNaN(contract[i]!) ? 0.8 : -0.8) +
      (Number.isNaN(charges[i]!) ? 1 : (charges[i]! - 70) / 40);
    y[i] = rng.next() < 1 / (1 + Math.exp(-2 * z)) ? 1 : 0;
  }
  const features = [num("tenure"), cat("contract", 3), num("charges"), num("n1"), num("n2"), num("n3")];
  return { X: { nRows: n, features, columns: [tenure, contract, charges, ...noise] }, y };
}

/** y = (x0 > 0.5) XOR (category in {a, b}). */
function xorData(n: number, seed: number): { X: Matrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const x0 = new Float64Array(n);
  const c = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x0[i] = rng.next();
    c[i] = rng.int(4);
    y[i] = x0[i]! > 0.5 !== c[i]! < 2 ? 1 : 0;
  }
  return { X: { nRows: n, features: [num("x0"), cat("c", 4)], columns: [x0, c] }, y };
}

describe("forest", () => {
  it("learns a numeric × categorical XOR rule", async () => {
    const { X, y } = xorData(1500, 1);
    const model = await new ForestEstimator({ n_estimators: 20, max_features: null }).fit(
      slice(X, 0, 1000),
      y.slice(0, 1000),
      { threads: 1 },
    );
    const p = model.predictProba(slice(X, 1000, 1500));
    let correct = 0;
    for (let i = 0; i < 500; i++) if ((p[i]! > 0.5 ? 1 : 0) === y[1000 + i]) correct++;
    expect(correct / 500).toBeGreaterThan(0.97);
    expect(model.family).toBe("forest");
  });

  it("reports a sensible out-of-bag AUC, close to the held-out AUC", async () => {
    const { X, y } = churnLike(3000, 2);
    const model = await new ForestEstimator({ n_estimators: 40, min_samples_leaf: 3 }).fit(
      slice(X, 0, 2000),
      y.slice(0, 2000),
      { threads: 1, seed: 1 },
    );
    const test = rocAuc(y.slice(2000, 3000), model.predictProba(slice(X, 2000, 3000)));
    const oob = model.state().oob_auc!;
    expect(test).toBeGreaterThan(0.8);
    expect(oob).toBeGreaterThan(0.75);
    expect(Math.abs(oob - test)).toBeLessThan(0.05);
    const noBootstrap = await new ForestEstimator({ n_estimators: 3, bootstrap: false }).fit(
      slice(X, 0, 300),
      y.slice(0, 300),
      { threads: 1 },
    );
    expect(noBootstrap.state().oob_auc).toBeNull();
  });

  it("predicts the mean of its trees' leaf probabilities; raw is the clipped log-odds", async () => {
    const { X, y } = churnLike(600, 3);
    const model = await new ForestEstimator({ n_estimators: 7 }).fit(X, y, { threads: 1 });
    const p = model.predictProba(X);
    const raw = model.predictRaw(X);
    for (const r of [0, 5, 77, 599]) {
      let s = 0;
      for (const t of model.trees) s += t.value[leafIndex(t, X, r)]!;
      expect(p[r]).toBeCloseTo(s / 7, 14);
      const q = Math.min(Math.max(p[r]!, 1e-15), 1 - 1e-15);
      expect(raw[r]).toBeCloseTo(Math.log(q / (1 - q)), 10);
    }
    const imp = model.featureImportances();
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(imp[0]).toBeGreaterThan(imp[3]!); // tenure matters more than noise
  });

  it("saves and reloads through JSON with identical predictions", async () => {
    const { X, y } = churnLike(500, 4);
    const model = await new ForestEstimator({ n_estimators: 10, class_weight: "balanced" }).fit(X, y, {
      threads: 1,
      seed: 3,
    });
    const json = JSON.stringify(model.state());
    const again = ForestModel.fromState(JSON.parse(json));
    expect(again.predictProba(X)).toEqual(model.predictProba(X));
    expect(again.predictRaw(X)).toEqual(model.predictRaw(X));
    expect(JSON.stringify(again.state())).toBe(json);
  });

  it("is deterministic: same seed → same JSON, other seed → other forest", async () => {
    const { X, y } = churnLike(500, 5);
    const est = new ForestEstimator({ n_estimators: 8 });
    const a = JSON.stringify((await est.fit(X, y, { seed: 42, threads: 1 })).state());
    const b = JSON.stringify((await est.fit(X, y, { seed: 42, threads: 1 })).state());
    const c = JSON.stringify((await est.fit(X, y, { seed: 43, threads: 1 })).state());
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it("grows the same forest in 1 or 2 worker threads (compiled build in dist/)", async () => {
    // Workers need the compiled worker.js; from TypeScript source the forest falls back to one thread.
    expect(workerScriptUrl()).toBeNull();
    const dist = await import("../../dist/learners/forest/forest.js");
    const distParallel = await import("../../dist/learners/forest/parallel.js");
    expect(distParallel.workerScriptUrl()).not.toBeNull();
    const { X, y } = churnLike(1500, 6);
    const est = new dist.ForestEstimator({ n_estimators: 40 });
    expect(distParallel.forestThreads(2, X.nRows, 40)).toBe(2);
    const one = JSON.stringify((await est.fit(X, y, { seed: 7, threads: 1 })).state());
    const two = JSON.stringify((await est.fit(X, y, { seed: 7, threads: 2 })).state());
    expect(two).toBe(one);
    // And the TypeScript source grows the very same forest.
    const src = JSON.stringify((await new ForestEstimator({ n_estimators: 40 }).fit(X, y, { seed: 7 })).state());
    expect(src).toBe(one);
  });

  it("rejects invalid hyperparameters with an error naming the parameter", () => {
    expect(() => new ForestEstimator({ n_estimators: 0 })).toThrow(/n_estimators/);
    expect(() => new ForestEstimator({ max_depth: -3 })).toThrow(/max_depth/);
    expect(() => new ForestEstimator({ max_features: 1.5 })).toThrow(/max_features/);
    expect(() => new ForestEstimator({ max_features: "all" as "sqrt" })).toThrow(/max_features/);
    expect(() => new ForestEstimator({ bootstrap: "yes" as unknown as boolean })).toThrow(/bootstrap/);
    expect(() => new ForestEstimator({ min_samples_leaf: 0 })).toThrow(/min_samples_leaf/);
    expect(() => new ForestEstimator({ class_weight: "balanced_subsample" as "balanced" })).toThrow(/class_weight/);
    expect(() => new ForestEstimator({ max_bins: 1 })).toThrow(/max_bins/);
    expect(forestParamsSchema.parse({})).toEqual({
      n_estimators: 100,
      criterion: "gini",
      max_depth: null,
      min_samples_split: 2,
      min_samples_leaf: 10,
      max_features: "sqrt",
      bootstrap: true,
      class_weight: null,
      max_bins: 255,
      min_data_per_group: 100,
    });
  });

  it("resolves max_features as scikit-learn does", () => {
    expect(resolveMaxFeatures("sqrt", 45)).toBe(6);
    expect(resolveMaxFeatures("log2", 45)).toBe(5);
    expect(resolveMaxFeatures(0.5, 45)).toBe(22);
    expect(resolveMaxFeatures(0.001, 45)).toBe(1);
    expect(resolveMaxFeatures(10, 45)).toBe(10);
    expect(resolveMaxFeatures(100, 45)).toBe(45);
    expect(resolveMaxFeatures(null, 45)).toBe(45);
  });

  it("class_weight balanced lifts the minority class's leaf probabilities", async () => {
    const n = 200;
    const y = Uint8Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1 : 0)); // 20 % positive
    const X: Matrix = { nRows: n, features: [num("const")], columns: [new Float64Array(n).fill(3)] };
    const plain = await new ForestEstimator({ n_estimators: 5, bootstrap: false }).fit(X, y);
    const balanced = await new ForestEstimator({ n_estimators: 5, bootstrap: false, class_weight: "balanced" }).fit(
      X,
      y,
    );
    expect(plain.predictProba(X)[0]).toBeCloseTo(0.2, 14);
    expect(balanced.predictProba(X)[0]).toBeCloseTo(0.5, 14);
    const { X: X2, y: y2 } = churnLike(800, 9);
    const meanP = (m: ForestModel): number => m.predictProba(X2).reduce((a, b) => a + b, 0) / X2.nRows;
    const m0 = await new ForestEstimator({ n_estimators: 10, min_samples_leaf: 20 }).fit(X2, y2, { seed: 1 });
    const m1 = await new ForestEstimator({ n_estimators: 10, min_samples_leaf: 20, class_weight: { 0: 1, 1: 3 } }).fit(
      X2,
      y2,
      { seed: 1 },
    );
    expect(meanP(m1)).toBeGreaterThan(meanP(m0) + 0.1);
  });
});
