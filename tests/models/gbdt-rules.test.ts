/**
 * Two gbdt rules checked exactly on data built so that they decide the outcome:
 * where a missing value goes at prediction when its node saw none in training (the child with
 * more training rows), and how many iterations early stopping runs and keeps with a given patience.
 */
import { describe, expect, it } from "vitest";
import { BinMapper } from "../../src/learners/binning/bin-mapper.js";
import { GbdtEstimator } from "../../src/learners/gbdt/gbdt.js";
import { logLossFromRaw } from "../../src/evaluation/metrics.js";
import { buildHistogram, makeLayout } from "../../src/learners/gbdt/histogram.js";
import { findBestSplit, splitGain, SplitScratch } from "../../src/learners/gbdt/splitting.js";
import { leafIndex } from "../../src/core/flat-tree.js";
import type { FeatureInfo, Matrix } from "../../src/core/types.js";
import { Rng } from "../../src/utils/random.js";

const num = (name: string): FeatureInfo => ({ name, kind: "numeric", source: name });
const cat = (name: string, nCategories: number): FeatureInfo => ({
  name,
  kind: "categorical",
  nCategories,
  source: name,
});
const one = (feature: FeatureInfo, values: number[]): Matrix => ({
  nRows: values.length,
  features: [feature],
  columns: [Float64Array.from(values)],
});

/** A stump (one split, learning rate 1) on one feature, so the leaf a row reaches is its whole score. */
const stump = new GbdtEstimator({
  max_iter: 1,
  max_leaf_nodes: 2,
  min_samples_leaf: 1,
  learning_rate: 1,
  early_stopping: false,
});

describe("gbdt: a missing value at a node that saw none in training", () => {
  it.each([
    // x = 0..99, churn from `cut` on: the split is x <= cut − 0.5, with `cut` rows on the left.
    { cut: 70, left: 70, nanGoesLeft: true },
    { cut: 30, left: 30, nanGoesLeft: false },
  ])("numeric split with $left of 100 rows on the left: NaN follows the bigger child", ({ cut, left, nanGoesLeft }) => {
    const x = Array.from({ length: 100 }, (_, i) => i);
    const y = Uint8Array.from(x, (v) => (v >= cut ? 1 : 0));
    const model = stump.fit(one(num("x"), x), y);
    const t = model.trees[0]!;
    expect(t.feature[0]).toBe(0);
    expect(t.threshold[0]).toBe(cut - 0.5);
    expect([t.count[t.left[0]!], t.count[t.right[0]!]]).toEqual([left, 100 - left]);
    expect(t.missingLeft[0]).toBe(nanGoesLeft ? 1 : 0);
    // NaN scores exactly like a row of the bigger child: x = 0 (left) or x = 99 (right).
    const raw = model.predictRaw(one(num("x"), [NaN, 0, 99]));
    expect(raw[0]).toBe(raw[nanGoesLeft ? 1 : 2]);
    expect(raw[0]).not.toBe(raw[nanGoesLeft ? 2 : 1]);
  });

  it("numeric split of a deeper node: the rule is per node, not per feature", () => {
    // Rows a >= 50 all churn; below, churn is b >= 45, with b a permutation of 0..49 unrelated to a.
    // Feature b has missing values in training, but only where a >= 50: the root splits a at 49.5,
    // then the node a < 50 splits b at 44.5 with no missing value there (45 rows left, 5 right), so
    // NaN in b (with a < 50) follows the bigger, left child.
    const n = 100;
    const a = Array.from({ length: n }, (_, i) => i);
    const b = a.map((i) => (i < 50 ? (i * 37) % 50 : i % 2 ? NaN : (i - 50) / 2));
    const y = Uint8Array.from(a, (i) => (i >= 50 || (i * 37) % 50 >= 45 ? 1 : 0));
    const X: Matrix = {
      nRows: n,
      features: [num("a"), num("b")],
      columns: [Float64Array.from(a), Float64Array.from(b)],
    };
    const model = new GbdtEstimator({
      max_iter: 1,
      max_leaf_nodes: 3,
      min_samples_leaf: 1,
      learning_rate: 1,
      early_stopping: false,
    }).fit(X, y);
    const t = model.trees[0]!;
    expect([t.feature[0], t.threshold[0]]).toEqual([0, 49.5]);
    const inner = t.left[0]!;
    expect([t.feature[inner], t.threshold[inner], t.missingLeft[inner]]).toEqual([1, 44.5, 1]);
    const probe: Matrix = {
      nRows: 3,
      features: X.features,
      columns: [Float64Array.from([10, 10, 10]), Float64Array.from([NaN, 0, 49])],
    };
    // The leaf of (a 10, b NaN) is that of (a 10, b 0), the bigger child, not that of (a 10, b 49).
    const leaf = (r: number) => leafIndex(t, probe, r);
    expect([t.count[leaf(1)], t.count[leaf(2)]]).toEqual([45, 5]);
    expect(leaf(0)).toBe(leaf(1));
  });

  it("categorical split: NaN follows the child with more training rows", () => {
    // Codes 0 (60 rows, no churn), 1 (25 rows) and 2 (15 rows, both churn): the split is {0} | {1, 2}.
    const codes = [...Array<number>(60).fill(0), ...Array<number>(25).fill(1), ...Array<number>(15).fill(2)];
    const y = Uint8Array.from(codes, (c) => (c === 0 ? 0 : 1));
    const model = stump.fit(one(cat("plan", 3), codes), y);
    const t = model.trees[0]!;
    const big = t.catLeft[0]!.includes(0) ? t.left[0]! : t.right[0]!;
    expect(t.count[big]).toBe(60);
    expect(t.missingLeft[0]).toBe(big === t.left[0] ? 1 : 0);
    const raw = model.predictRaw(one(cat("plan", 3), [NaN, 0, 1]));
    expect(raw[0]).toBe(raw[1]);
    expect(raw[0]).not.toBe(raw[2]);
  });
});

describe("gbdt: order of categories for a categorical split", () => {
  it("sorts categories by G / (H + 10), so a small category's mean counts for less (scikit-learn, LightGBM)", () => {
    // Four categories, constant gradient within each, hessian 0.25 per row. Sorted by G / (H + 10):
    // 1 (−0.48·100 / 35), 0 (−0.42·36 / 19), 2, 3; the best prefix is {1}. Without the smoothing
    // (G / (H + 1)) category 0 would come first and {0, 1} would win with a higher gain (4.43 > 4.21).
    const counts = [36, 100, 134, 98];
    const means = [-0.42, -0.48, -0.38, -0.31];
    const code = counts.flatMap((n, c) => Array<number>(n).fill(c));
    const grad = Float64Array.from(code, (c) => means[c]!);
    const hess = new Float64Array(code.length).fill(0.25);
    const X = one(cat("c", 4), code);
    const mapper = BinMapper.fit(X, 255);
    const layout = makeLayout(mapper.features.map((f) => f.nBins));
    const hist = new Float64Array(3 * layout.size);
    const all = Int32Array.from([0]);
    buildHistogram(hist, layout, mapper.transform(X), all, null, 0, code.length, grad, hess);
    let G = 0;
    for (const g of grad) G += g;
    const H = 0.25 * code.length;
    const c = { l2: 0, minSamplesLeaf: 1, minChildWeight: 0, minDataPerGroup: 10 };
    const found = findBestSplit(hist, layout, Uint8Array.from([1]), all, G, H, code.length, c, new SplitScratch())!;
    expect(found.leftBins).toEqual([1]);
    expect(found.nLeft).toBe(100);
    expect(found.gain).toBeCloseTo(splitGain(-48, 25, G + 48, H - 25, (G * G) / H, 0), 10);
    expect(found.gain).toBeCloseTo(4.2104, 4);
    // Split finding keeps no state outside its scratch (reentrant): a scratch left full of another
    // node's candidates gives the same split, and so does a second scratch used in between.
    const dirty = new SplitScratch();
    dirty.catBins.fill(3);
    dirty.catKeys.fill(-1e300);
    const other = new SplitScratch();
    const again = findBestSplit(hist, layout, Uint8Array.from([1]), all, G, H, code.length, c, dirty)!;
    // Gradient sums are the even numbers of the first two thirds (histogram.ts); the counts stay.
    const flipped = Float64Array.from(hist, (v, i) => (i < 2 * layout.size && i % 2 === 0 ? -v : v));
    const mirror = findBestSplit(flipped, layout, Uint8Array.from([1]), all, -G, H, code.length, c, other)!;
    expect(again).toEqual(found);
    expect(findBestSplit(hist, layout, Uint8Array.from([1]), all, G, H, code.length, c, other)).toEqual(found);
    expect(mirror.gain).toBeCloseTo(found.gain, 10);
  });
});

/** Train rows with a clear rule, validation rows where the rule holds only partly (the loss turns up). */
function stoppingData(seed: number) {
  const rng = new Rng(seed);
  const make = (n: number, flip: number) => {
    const x = Float64Array.from({ length: n }, () => rng.next());
    const z = Float64Array.from({ length: n }, () => rng.next());
    const y = Uint8Array.from(x, (v) => (v > 0.5 !== rng.next() < flip ? 1 : 0));
    return { X: { nRows: n, features: [num("x"), num("z")], columns: [x, z] } as Matrix, y };
  };
  return { train: make(400, 0.1), valid: make(300, 0.2) };
}

describe("gbdt: early stopping with patience n_iter_no_change", () => {
  it("stops after exactly n_iter_no_change iterations when none improves, and keeps no tree", () => {
    const { train, valid } = stoppingData(1);
    for (const patience of [1, 4]) {
      // A tolerance no improvement can reach: iterations 0..patience-1 run, none counts.
      const model = new GbdtEstimator({ max_iter: 50, n_iter_no_change: patience, tol: 1e9 }).fit(train.X, train.y, {
        validation: valid,
      });
      const st = model.state();
      expect(st.validation_loss).toHaveLength(patience);
      expect(st.n_iter).toBe(0);
      expect(st.trees).toEqual([]);
      expect(Array.from(model.predictRaw(valid.X).subarray(0, 3))).toEqual([st.baseline, st.baseline, st.baseline]);
    }
  });

  it("runs exactly n_iter_no_change iterations past the best one, and keeps the trees up to the best", () => {
    const { train, valid } = stoppingData(2);
    const patience = 3;
    const model = new GbdtEstimator({ max_iter: 200, learning_rate: 0.5, n_iter_no_change: patience }).fit(
      train.X,
      train.y,
      { validation: valid },
    );
    const st = model.state();
    const history = st.validation_loss!;
    // The run stopped early, after keeping some trees.
    expect(history.length).toBeLessThan(200);
    expect(st.n_iter).toBeGreaterThan(0);
    expect(history).toHaveLength(st.n_iter + patience);
    // The kept iteration is the best of the history (the first minimum, tol 1e-7), and the baseline is worse.
    const best = history.reduce((m, v) => Math.min(m, v), Infinity);
    expect(history.indexOf(best)).toBe(st.n_iter - 1);
    expect(logLossFromRaw(valid.y, new Float64Array(valid.y.length).fill(st.baseline))).toBeGreaterThan(best);
    for (const later of history.slice(st.n_iter)) expect(later).toBeGreaterThanOrEqual(best - 1e-7);
    // The kept trees reproduce the best validation loss.
    expect(logLossFromRaw(valid.y, model.predictRaw(valid.X))).toBe(best);
  });
});
