import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { CartEstimator, CartModel, cartParamsSchema } from "../../src/learners/tree/cart.js";
import type { FeatureInfo, Matrix } from "../../src/core/types.js";
import { leafIndex } from "../../src/core/flat-tree.js";
import { Rng } from "../../src/utils/random.js";

const num = (name: string): FeatureInfo => ({ name, kind: "numeric", source: name });
const cat = (name: string, k: number): FeatureInfo => ({ name, kind: "categorical", nCategories: k, source: name });

function matrix(features: FeatureInfo[], columns: number[][]): Matrix {
  return { nRows: columns[0]!.length, features, columns: columns.map((c) => Float64Array.from(c)) };
}

function slice(X: Matrix, from: number, to: number): Matrix {
  return { nRows: to - from, features: X.features, columns: X.columns.map((c) => c.slice(from, to)) };
}

/** y = (x0 > 0.5) XOR (category in {a, b}); x2 is noise. */
function xorData(n: number, seed: number): { X: Matrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const x0: number[] = [];
  const c: number[] = [];
  const x2: number[] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x0.push(rng.next());
    c.push(rng.int(4));
    x2.push(rng.next());
    y[i] = x0[i]! > 0.5 !== c[i]! < 2 ? 1 : 0;
  }
  return { X: matrix([num("x0"), cat("c", 4), num("x2")], [x0, c, x2]), y };
}

const giniW = (w0: number, w1: number): number => (w0 + w1 > 0 ? (2 * w0 * w1) / (w0 + w1) : 0);

describe("tree (CART)", () => {
  it("learns a numeric × categorical XOR rule and generalises to held-out rows", () => {
    const { X, y } = xorData(2000, 1);
    const model = new CartEstimator({ min_samples_leaf: 5 }).fit(slice(X, 0, 1500), y.slice(0, 1500));
    const p = model.predictProba(slice(X, 1500, 2000));
    let correct = 0;
    for (let i = 0; i < 500; i++) if ((p[i]! > 0.5 ? 1 : 0) === y[1500 + i]) correct++;
    expect(correct / 500).toBeGreaterThan(0.97);
    expect(model.family).toBe("tree");
  });

  it("finds the best root split that brute force finds (gini and its gain)", () => {
    const rng = new Rng(7);
    const n = 40;
    const cols = [0, 1, 2].map(() => Array.from({ length: n }, () => Math.round(rng.next() * 12) / 2)); // ties on purpose
    const y = Uint8Array.from(cols[0]!.map((v, i) => (v + cols[1]![i]! + rng.next() * 4 > 7 ? 1 : 0)));
    let best = { gain: -Infinity, feature: -1, threshold: 0 };
    const n1 = y.reduce((a, b) => a + b, 0);
    const parent = giniW(n - n1, n1);
    for (let j = 0; j < 3; j++) {
      const distinct = [...new Set(cols[j])].sort((a, b) => a - b);
      for (let k = 0; k + 1 < distinct.length; k++) {
        const thr = (distinct[k]! + distinct[k + 1]!) / 2;
        let l0 = 0,
          l1 = 0,
          r0 = 0,
          r1 = 0;
        for (let i = 0; i < n; i++) {
          if (cols[j]![i]! <= thr) y[i] ? l1++ : l0++;
          else y[i] ? r1++ : r0++;
        }
        const gain = parent - giniW(l0, l1) - giniW(r0, r1);
        if (gain > best.gain + 1e-12) best = { gain, feature: j, threshold: thr };
      }
    }
    const X = matrix([num("a"), num("b"), num("c")], cols);
    const t = new CartEstimator({ max_depth: 1 }).fit(X, y).tree;
    expect(t.feature[0]).toBe(best.feature);
    expect(t.threshold[0]).toBe(best.threshold);
    expect(t.gain[0]).toBeCloseTo(best.gain, 10);
    expect(t.count[0]).toBe(n);
    expect(t.count[t.left[0]!]! + t.count[t.right[0]!]!).toBe(n);
    expect(t.hessian[0]).toBe(n);
  });

  it("finds the optimal categorical partition (checked against all 2^(k-1) subsets), entropy too", () => {
    const rng = new Rng(11);
    const k = 6;
    const n = 300;
    const rate = [0.1, 0.7, 0.3, 0.9, 0.5, 0.2];
    const c = Array.from({ length: n }, () => rng.int(k));
    const y = Uint8Array.from(c.map((v) => (rng.next() < rate[v]! ? 1 : 0)));
    const X = matrix([cat("c", k)], [c]);
    for (const criterion of ["gini", "entropy"] as const) {
      const imp = (w0: number, w1: number): number => {
        if (criterion === "gini") return giniW(w0, w1);
        const w = w0 + w1;
        const h = (p: number): number => (p > 0 ? -p * Math.log2(p) : 0);
        return w > 0 ? w * (h(w0 / w) + h(w1 / w)) : 0;
      };
      let bestGain = -Infinity;
      let n1 = 0;
      for (const v of y) n1 += v;
      for (let mask = 1; mask < 1 << (k - 1); mask++) {
        let l0 = 0,
          l1 = 0;
        for (let i = 0; i < n; i++) if (mask & (1 << c[i]!)) y[i] ? l1++ : l0++;
        const gain = imp(n - n1, n1) - imp(l0, l1) - imp(n - n1 - l0, n1 - l1);
        bestGain = Math.max(bestGain, gain);
      }
      // min_data_per_group 1: every category takes part (the default leaves out those under 100 rows).
      const t = new CartEstimator({ max_depth: 1, criterion, min_data_per_group: 1 }).fit(X, y).tree;
      expect(t.catLeft[0]).not.toBeNull();
      expect(t.gain[0]).toBeCloseTo(bestGain, 9);
      // The left set is the low-rate (or high-rate) categories as a block.
      const left = [...t.catLeft[0]!];
      expect([
        [0, 2, 5],
        [1, 3, 4],
      ]).toContainEqual(left);
    }
  });

  it("learns a missing direction when missingness itself is predictive", () => {
    const rng = new Rng(3);
    const n = 600;
    const x: number[] = [];
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const missing = rng.next() < 0.3;
      x.push(missing ? NaN : rng.next());
      y[i] = missing ? (rng.next() < 0.95 ? 1 : 0) : rng.next() < 0.05 ? 1 : 0;
    }
    const X = matrix([num("x")], [x]);
    const model = new CartEstimator({ max_depth: 1 }).fit(X, y);
    const t = model.tree;
    expect(t.feature[0]).toBe(0);
    const p = model.predictProba(matrix([num("x")], [[NaN, 0.2, 0.9]]));
    expect(p[0]).toBeGreaterThan(0.85);
    expect(p[1]).toBeLessThan(0.15);
    expect(p[2]).toBeLessThan(0.15);
    // "Missing alone" split: every non-missing value goes the other way.
    const missingChild = t.missingLeft[0] === 1 ? t.left[0]! : t.right[0]!;
    expect(t.value[missingChild]).toBeGreaterThan(0.85);
  });

  it("sends missing values to the heavier child when training had none", () => {
    const x = Array.from({ length: 100 }, (_, i) => i);
    const y = Uint8Array.from(x.map((v) => (v >= 70 ? 1 : 0)));
    const model = new CartEstimator({ max_depth: 1 }).fit(matrix([num("x")], [x]), y);
    expect(model.tree.threshold[0]).toBe(69.5);
    expect(model.tree.missingLeft[0]).toBe(1); // 70 rows left, 30 right
    expect(model.predictProba(matrix([num("x")], [[NaN]]))[0]).toBe(0);
  });

  it("routes NaN and categories in training exactly as at prediction (leaf counts match)", () => {
    const rng = new Rng(5);
    const n = 500;
    const a = Array.from({ length: n }, () => (rng.next() < 0.2 ? NaN : rng.next()));
    const c = Array.from({ length: n }, () => (rng.next() < 0.1 ? NaN : rng.int(5)));
    const y = Uint8Array.from(
      a.map((v, i) => ((Number.isNaN(v) ? 0.6 : v) + (c[i]! === 2 ? 0.5 : 0) + rng.next() * 0.3 > 0.8 ? 1 : 0)),
    );
    const X = matrix([num("a"), cat("c", 5)], [a, c]);
    const t = new CartEstimator({ max_depth: 4 }).fit(X, y).tree;
    const counts = new Float64Array(t.feature.length);
    const pos = new Float64Array(t.feature.length);
    for (let r = 0; r < n; r++) {
      const leaf = leafIndex(t, X, r);
      counts[leaf]!++;
      pos[leaf]! += y[r]!;
    }
    for (let i = 0; i < t.feature.length; i++) {
      if (t.feature[i]! >= 0) continue;
      expect(counts[i]).toBe(t.count[i]);
      expect(pos[i]! / counts[i]!).toBeCloseTo(t.value[i]!, 12);
    }
  });

  it("saves and reloads through JSON with identical predictions", () => {
    const { X, y } = xorData(800, 2);
    X.columns[2]![3] = NaN;
    const model = new CartEstimator({ max_depth: 5, criterion: "entropy" }).fit(X, y);
    const again = CartModel.fromState(JSON.parse(JSON.stringify(model.state())));
    expect(again.predictProba(X)).toEqual(model.predictProba(X));
    expect(again.predictRaw(X)).toEqual(model.predictRaw(X));
    expect(JSON.stringify(again.state())).toBe(JSON.stringify(model.state()));
  });

  it("is deterministic: same data and seed give the same JSON", () => {
    const { X, y } = xorData(800, 4);
    const a = JSON.stringify(new CartEstimator({ max_features: "sqrt" }).fit(X, y, { seed: 9 }).state());
    const b = JSON.stringify(new CartEstimator({ max_features: "sqrt" }).fit(X, y, { seed: 9 }).state());
    expect(a).toBe(b);
  });

  it("rejects invalid hyperparameters with an error naming the parameter", () => {
    expect(() => new CartEstimator({ max_depth: -1 })).toThrow(/max_depth/);
    expect(() => new CartEstimator({ max_depth: 2.5 })).toThrow(ZodError);
    expect(() => new CartEstimator({ min_samples_leaf: 0 })).toThrow(/min_samples_leaf/);
    expect(() => new CartEstimator({ min_samples_split: 1 })).toThrow(/min_samples_split/);
    expect(() => new CartEstimator({ criterion: "mse" as "gini" })).toThrow(/criterion/);
    expect(() => new CartEstimator({ class_weight: { 0: -1, 1: 1 } })).toThrow(/class_weight/);
    expect(() => new CartEstimator({ maxDepth: 3 } as object)).toThrow(/maxDepth/);
    expect(cartParamsSchema.parse({})).toEqual({
      criterion: "gini",
      max_depth: 6,
      min_samples_split: 2,
      min_samples_leaf: 1,
      max_features: null,
      class_weight: null,
      max_bins: null,
      min_data_per_group: 100,
    });
    expect(() => new CartEstimator({ max_bins: 1 })).toThrow(/max_bins/);
  });

  it("applies class weights to leaf probabilities and node counts", () => {
    const n = 100;
    const y = Uint8Array.from({ length: n }, (_, i) => (i < 20 ? 1 : 0));
    const X = matrix([num("const")], [new Array(n).fill(1)]); // a single leaf
    const plain = new CartEstimator().fit(X, y).tree;
    expect(plain.value[0]).toBeCloseTo(0.2, 15);
    expect(plain.count[0]).toBe(100);
    const balanced = new CartEstimator({ class_weight: "balanced" }).fit(X, y).tree;
    expect(balanced.value[0]).toBeCloseTo(0.5, 15);
    expect(balanced.count[0]).toBeCloseTo(100, 12); // 80·(100/160) + 20·(100/40)
    const explicit = new CartEstimator({ class_weight: { 0: 1, 1: 2 } }).fit(X, y).tree;
    expect(explicit.value[0]).toBeCloseTo(40 / 120, 15);
    expect(explicit.hessian[0]).toBe(120);
  });

  it("returns log-odds from predictRaw (clipped) and probabilities from predictProba", () => {
    const x = [0, 1, 2, 3, 4, 5];
    const y = Uint8Array.from([0, 0, 0, 1, 1, 1]);
    const model = new CartEstimator().fit(matrix([num("x")], [x]), y);
    const X = matrix([num("x")], [[0.5, 4.5]]);
    expect(Array.from(model.predictProba(X))).toEqual([0, 1]);
    const raw = model.predictRaw(X);
    expect(raw[0]).toBeCloseTo(Math.log(1e-15 / (1 - 1e-15)), 6);
    expect(raw[1]).toBeCloseTo(-Math.log(1e-15 / (1 - 1e-15)), 2);
    expect(() => model.predictProba(matrix([num("x"), num("z")], [[1], [2]]))).toThrow(/expects 1 feature/);
    const imp = model.featureImportances();
    expect(Array.from(imp)).toEqual([1]);
  });

  it("respects max_depth, min_samples_leaf and min_samples_split", () => {
    const { X, y } = xorData(1000, 8);
    const deep = new CartEstimator({ max_depth: 3 }).fit(X, y).tree;
    const depthOf = (t: typeof deep): number => {
      const d = (i: number): number => (t.feature[i]! < 0 ? 0 : 1 + Math.max(d(t.left[i]!), d(t.right[i]!)));
      return d(0);
    };
    expect(depthOf(deep)).toBe(3);
    const leafy = new CartEstimator({ min_samples_leaf: 40 }).fit(X, y).tree;
    for (let i = 0; i < leafy.feature.length; i++)
      if (leafy.feature[i]! < 0) expect(leafy.count[i]).toBeGreaterThanOrEqual(40);
    const split = new CartEstimator({ min_samples_split: 300 }).fit(X, y).tree;
    for (let i = 0; i < split.feature.length; i++)
      if (split.feature[i]! >= 0) expect(split.count[i]).toBeGreaterThanOrEqual(300);
  });
});
