import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { FeatureInfo, Matrix } from "../../src/core/types.js";
import { leafIndex } from "../../src/core/flat-tree.js";
import { Rng } from "../../src/utils/random.js";
import { BinMapper } from "../../src/learners/binning/bin-mapper.js";
import { numericEdges } from "../../src/learners/binning/edges.js";
import { buildHistogram, histogramCounts, makeLayout, subtractHistogram } from "../../src/learners/gbdt/histogram.js";
import { findBestSplit, splitGain, SplitScratch } from "../../src/learners/gbdt/splitting.js";
import { GbdtEstimator, GbdtModel, gbdtParamsSchema } from "../../src/learners/gbdt/gbdt.js";
import { logLossFromRaw } from "../../src/evaluation/metrics.js";

const num = (name: string): FeatureInfo => ({ name, kind: "numeric", source: name });
const cat = (name: string, nCategories: number): FeatureInfo => ({
  name,
  kind: "categorical",
  nCategories,
  source: name,
});
const matrix = (features: FeatureInfo[], columns: Float64Array[]): Matrix => ({
  nRows: columns[0]!.length,
  features,
  columns,
});

function auc(score: Float64Array, y: Uint8Array): number {
  const idx = Array.from(score.keys()).sort((a, b) => score[a]! - score[b]!);
  let rankSum = 0;
  let nPos = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && score[idx[j + 1]!] === score[idx[i]!]) j++;
    for (let k = i; k <= j; k++) {
      if (y[idx[k]!]) {
        rankSum += (i + j) / 2 + 1;
        nPos++;
      }
    }
    i = j + 1;
  }
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * (y.length - nPos));
}

/** Synthetic churn-like data: a numeric threshold, a categorical set and predictive missingness. */
function ruleData(n: number, seed: number) {
  const rng = new Rng(seed);
  const x0 = new Float64Array(n);
  const c1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const noise = new Float64Array(n);
  const y = new Uint8Array(n);
  const truth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x0[i] = rng.next();
    c1[i] = rng.int(6);
    x2[i] = rng.next() < 0.3 ? NaN : rng.next();
    noise[i] = rng.next();
    const logit =
      -4 + 3 * (x0[i]! > 0.6 ? 1 : 0) + 3 * (c1[i] === 1 || c1[i] === 4 ? 1 : 0) + 3 * (Number.isNaN(x2[i]!) ? 1 : 0);
    truth[i] = logit;
    y[i] = rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return { X: matrix([num("x0"), cat("c1", 6), num("x2"), num("noise")], [x0, c1, x2, noise]), y, truth };
}

describe("binning", () => {
  it("uses numpy midpoint quantiles when there are more distinct values than bins", () => {
    const v = Float64Array.from({ length: 1000 }, (_, i) => i);
    expect(Array.from(numericEdges(v, 4))).toEqual([249.5, 499.5, 749.5]);
    const X = matrix([num("a")], [Float64Array.from([...v, NaN])]);
    const m = BinMapper.fit(X, 4);
    expect(m.features[0]!.nBins).toBe(4);
    const b = m.transform(X).bins;
    const counts = [0, 0, 0, 0, 0];
    for (const x of b) counts[x]!++;
    expect(counts).toEqual([250, 250, 250, 250, 1]); // missing is bin nBins = 4
    // x <= edge goes to the lower bin: thresholds in raw space are exact.
    expect(m.transform(matrix([num("a")], [Float64Array.from([249.5, 249.6])])).bins).toEqual(Uint8Array.from([0, 1]));
  });

  it("gives each distinct value its own bin when few, midpoints as edges", () => {
    expect(Array.from(numericEdges(Float64Array.from([3, 1, 1, 2, NaN, 3]), 255))).toEqual([1.5, 2.5]);
  });

  it("never uses more than 255 value bins plus the missing bin", () => {
    const rng = new Rng(1);
    const v = Float64Array.from({ length: 20000 }, () => (rng.next() < 0.05 ? NaN : rng.next()));
    const m = BinMapper.fit(matrix([num("a")], [v]), 255);
    expect(m.features[0]!.nBins).toBe(255);
    const b = m.transform(matrix([num("a")], [v])).bins;
    expect(Math.max(...b)).toBe(255);
    let missing = 0;
    for (let i = 0; i < v.length; i++) {
      if (Number.isNaN(v[i]!)) {
        expect(b[i]).toBe(255);
        missing++;
      }
    }
    expect(missing).toBeGreaterThan(0);
  });

  it("maps category codes to bins, unseen codes to missing, and caps at max_bins by frequency", () => {
    const small = matrix([cat("c", 5)], [Float64Array.from([0, 1, 1, 3, NaN])]);
    const m = BinMapper.fit(small, 255);
    expect(m.features[0]!.nBins).toBe(5);
    expect(m.features[0]!.unseenCodes).toEqual([2, 4]);
    expect(m.transform(matrix([cat("c", 5)], [Float64Array.from([0, 1, 2, 3, 4, NaN])])).bins).toEqual(
      Uint8Array.from([0, 1, 5, 3, 5, 5]),
    );

    // 6 categories, 4 bins: the 3 most frequent (ties: smaller code) keep a bin, the rest share bin 3.
    const codes = [0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 5, 5];
    const big = BinMapper.fit(matrix([cat("c", 6)], [Float64Array.from(codes)]), 4);
    const fb = big.features[0]!;
    expect(fb.nBins).toBe(4);
    expect(fb.codesOfBin).toEqual([[1], [2], [3], [0, 4, 5]]);
    expect(Array.from(fb.binOfCode)).toEqual([3, 0, 1, 2, 3, 3]);
  });

  it("rejects infinite values and bad category codes with the feature name", () => {
    expect(() => BinMapper.fit(matrix([num("tenure")], [Float64Array.from([1, Infinity])]), 255)).toThrow(/tenure/);
    expect(() => BinMapper.fit(matrix([cat("plan", 3)], [Float64Array.from([0, 3])]), 255)).toThrow(/plan/);
  });
});

describe("histogram", () => {
  const rng = new Rng(7);
  const n = 500;
  const X = matrix(
    [num("a"), cat("b", 7), num("c")],
    [
      Float64Array.from({ length: n }, () => (rng.next() < 0.1 ? NaN : rng.int(40))),
      Float64Array.from({ length: n }, () => rng.int(7)),
      Float64Array.from({ length: n }, () => rng.next()),
    ],
  );
  const m = BinMapper.fit(X, 32);
  const binned = m.transform(X);
  const layout = makeLayout(m.features.map((f) => f.nBins));
  const features = Int32Array.from([0, 1, 2]);
  const rows = Uint32Array.from({ length: n }, (_, i) => i);
  const child = rows.filter((r) => r % 3 === 0);
  const sibling = rows.filter((r) => r % 3 !== 0);

  const check = (grad: Float64Array, hess: Float64Array, exact: boolean) => {
    const parentH = new Float64Array(3 * layout.size);
    const childH = new Float64Array(3 * layout.size);
    const sibH = new Float64Array(3 * layout.size);
    const derived = new Float64Array(3 * layout.size);
    buildHistogram(parentH, layout, binned, features, null, 0, n, grad, hess);
    buildHistogram(childH, layout, binned, features, child, 0, child.length, grad, hess);
    buildHistogram(sibH, layout, binned, features, sibling, 0, sibling.length, grad, hess);
    subtractHistogram(parentH, childH, derived, layout, features);
    if (exact) expect(derived).toEqual(sibH);
    else for (let s = 0; s < derived.length; s++) expect(derived[s]).toBeCloseTo(sibH[s]!, 12);
    // Counts are always exact, and every row lands in exactly one bin of each feature.
    expect(histogramCounts(derived, layout)).toEqual(histogramCounts(sibH, layout));
    let total = 0;
    const parentCounts = histogramCounts(parentH, layout);
    for (let s = 0; s < layout.offsets[1]!; s++) total += parentCounts[s]!;
    expect(total).toBe(n);
  };

  it("parent − child equals the sibling built directly (exactly, with dyadic gradients)", () => {
    // Multiples of 1/64 add without rounding, so any summation order gives the same bits.
    check(
      Float64Array.from({ length: n }, () => (rng.int(129) - 64) / 64),
      Float64Array.from({ length: n }, () => rng.int(17) / 64),
      true,
    );
  });

  it("parent − child matches the sibling to rounding with arbitrary gradients", () => {
    check(
      Float64Array.from({ length: n }, () => rng.next() - 0.5),
      Float64Array.from({ length: n }, () => rng.next() * 0.25),
      false,
    );
  });
});

describe("split finder", () => {
  it("finds the best gain of a brute-force search over every threshold and missing direction", () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 5; trial++) {
      const n = 120;
      const cols = [0, 1, 2].map(() => Float64Array.from({ length: n }, () => (rng.next() < 0.15 ? NaN : rng.int(12))));
      const X = matrix([num("a"), num("b"), num("c")], cols);
      const grad = Float64Array.from({ length: n }, (_, i) => rng.next() - (cols[0]![i]! > 5 ? 0.8 : 0.2));
      const hess = Float64Array.from({ length: n }, () => 0.05 + rng.next() * 0.2);
      const c = { l2: 0.7, minSamplesLeaf: 5, minChildWeight: 0.5, minDataPerGroup: 10 };
      const m = BinMapper.fit(X, 255);
      const layout = makeLayout(m.features.map((f) => f.nBins));
      const hist = new Float64Array(3 * layout.size);
      buildHistogram(hist, layout, m.transform(X), Int32Array.from([0, 1, 2]), null, 0, n, grad, hess);
      let G = 0;
      let H = 0;
      for (let i = 0; i < n; i++) {
        G += grad[i]!;
        H += hess[i]!;
      }
      const found = findBestSplit(
        hist,
        layout,
        new Uint8Array(3),
        Int32Array.from([0, 1, 2]),
        G,
        H,
        n,
        c,
        new SplitScratch(),
      )!;

      let best = { gain: 0, feature: -1, threshold: NaN, missingLeft: false };
      const parentScore = (G * G) / (H + c.l2 + 1e-15);
      for (let j = 0; j < 3; j++) {
        const values = [...new Set(Array.from(cols[j]!).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
        for (const t of [...values, Infinity]) {
          for (const missingLeft of [false, true]) {
            let gl = 0,
              hl = 0,
              nl = 0;
            for (let i = 0; i < n; i++) {
              const v = cols[j]![i]!;
              if (Number.isNaN(v) ? missingLeft : v <= t) {
                gl += grad[i]!;
                hl += hess[i]!;
                nl++;
              }
            }
            if (
              nl < c.minSamplesLeaf ||
              n - nl < c.minSamplesLeaf ||
              hl < c.minChildWeight ||
              H - hl < c.minChildWeight
            )
              continue;
            const gain = splitGain(gl, hl, G - gl, H - hl, parentScore, c.l2);
            if (gain > best.gain + 1e-9) best = { gain, feature: j, threshold: t, missingLeft };
          }
        }
      }
      expect(found.gain).toBeCloseTo(best.gain, 9);
      expect(found.feature).toBe(best.feature);
      const edges = m.features[found.feature]!.edges;
      const threshold = found.bin < edges.length ? edges[found.bin]! : Infinity;
      // The brute force splits at a value, the finder at the bin edge just above it: same partition.
      const next = [...new Set(Array.from(cols[found.feature]!).filter((v) => !Number.isNaN(v)))]
        .sort((a, b) => a - b)
        .find((v) => v > best.threshold);
      expect(threshold).toBeGreaterThanOrEqual(best.threshold);
      if (next !== undefined) expect(threshold).toBeLessThan(next);
    }
  });

  it("finds the optimal category subset (brute force over all subsets)", () => {
    const rng = new Rng(11);
    const n = 400;
    const code = Float64Array.from({ length: n }, () => rng.int(5));
    // Constant hessian: ordering by G/(H+10) is then ordering by mean gradient, which is optimal.
    const mean = [0.3, -0.4, 0.1, -0.2, 0.5];
    const grad = Float64Array.from(code, (c) => mean[c]! + 0.3 * (rng.next() - 0.5));
    const hess = new Float64Array(n).fill(0.25);
    const X = matrix([cat("c", 5)], [code]);
    const m = BinMapper.fit(X, 255);
    const layout = makeLayout(m.features.map((f) => f.nBins));
    const hist = new Float64Array(3 * layout.size);
    buildHistogram(hist, layout, m.transform(X), Int32Array.from([0]), null, 0, n, grad, hess);
    let G = 0;
    for (const g of grad) G += g;
    const H = 0.25 * n;
    const c = { l2: 0, minSamplesLeaf: 1, minChildWeight: 0, minDataPerGroup: 10 };
    const found = findBestSplit(
      hist,
      layout,
      Uint8Array.from([1]),
      Int32Array.from([0]),
      G,
      H,
      n,
      c,
      new SplitScratch(),
    )!;
    let best = 0;
    let bestSet: number[] = [];
    for (let mask = 1; mask < 31; mask++) {
      let gl = 0,
        hl = 0;
      for (let i = 0; i < n; i++) {
        if (mask & (1 << code[i]!)) {
          gl += grad[i]!;
          hl += hess[i]!;
        }
      }
      const gain = splitGain(gl, hl, G - gl, H - hl, (G * G) / H, 0);
      if (gain > best) {
        best = gain;
        bestSet = [0, 1, 2, 3, 4].filter((k) => mask & (1 << k));
      }
    }
    expect(found.gain).toBeCloseTo(best, 9);
    const complement = [0, 1, 2, 3, 4].filter((k) => !bestSet.includes(k));
    expect([bestSet, complement]).toContainEqual(found.leftBins);
  });
});

describe("GbdtEstimator", () => {
  it("learns a numeric threshold, a category set and predictive missingness", () => {
    const train = ruleData(4000, 1);
    const test = ruleData(2000, 2);
    const model = new GbdtEstimator({ early_stopping: false, max_iter: 60 }).fit(train.X, train.y, { seed: 0 });
    const score = model.predictRaw(test.X);
    const bayes = auc(test.truth, test.y);
    expect(bayes).toBeGreaterThan(0.85);
    expect(auc(score, test.y)).toBeGreaterThan(bayes - 0.015);
    // The first tree uses the rule's features and learns the missing direction and the category set.
    const t = model.trees[0]!;
    const used = new Set(Array.from(t.feature).filter((f) => f >= 0));
    expect(used.has(0) && used.has(1) && used.has(2)).toBe(true);
    const catNode = Array.from(t.feature).indexOf(1);
    const set = Array.from(t.catLeft[catNode]!);
    expect([
      [1, 4],
      [0, 2, 3, 5],
    ]).toContainEqual(set);
    const x2Node = Array.from(t.feature).indexOf(2);
    // Missing x2 means churn: it must share a child with the high-value side, not the low one.
    expect(t.missingLeft[x2Node]).toBe(t.value[t.left[x2Node]!]! > t.value[t.right[x2Node]!]! ? 1 : 0);
    const x0Node = Array.from(t.feature).indexOf(0);
    expect(t.threshold[x0Node]).toBeGreaterThan(0.55);
    expect(t.threshold[x0Node]).toBeLessThan(0.65);
  });

  it("one iteration: every leaf value is the Newton step −G/(H+λ)·lr by hand", () => {
    const { X, y } = ruleData(1000, 5);
    const lr = 0.3;
    const lambda = 2;
    const model = new GbdtEstimator({
      max_iter: 1,
      learning_rate: lr,
      l2_regularization: lambda,
      early_stopping: false,
      max_leaf_nodes: 8,
    }).fit(X, y);
    const st = model.state();
    const pos = y.reduce((a, b) => a + b, 0);
    expect(st.baseline).toBeCloseTo(Math.log(pos / (1000 - pos)), 14);
    const p0 = pos / 1000;
    const t = model.trees[0]!;
    const G = new Map<number, number>();
    const H = new Map<number, number>();
    const N = new Map<number, number>();
    for (let r = 0; r < 1000; r++) {
      const leaf = leafIndex(t, X, r);
      G.set(leaf, (G.get(leaf) ?? 0) + (p0 - y[r]!));
      H.set(leaf, (H.get(leaf) ?? 0) + p0 * (1 - p0));
      N.set(leaf, (N.get(leaf) ?? 0) + 1);
    }
    expect(G.size).toBe(8);
    for (const [leaf, g] of G) {
      expect(t.value[leaf]).toBeCloseTo((-g / (H.get(leaf)! + lambda)) * lr, 12);
      expect(t.count[leaf]).toBe(N.get(leaf));
      expect(t.hessian[leaf]).toBeCloseTo(H.get(leaf)!, 10);
    }
    // Internal nodes: count is the sum of children's, gain is positive.
    for (let i = 0; i < t.feature.length; i++) {
      if (t.feature[i]! < 0) continue;
      expect(t.count[i]).toBe(t.count[t.left[i]!]! + t.count[t.right[i]!]!);
      expect(t.gain[i]).toBeGreaterThan(0);
    }
  });

  it("early stopping stops well before max_iter on pure noise", () => {
    const rng = new Rng(9);
    const n = 2000;
    const X = matrix(
      [num("a"), num("b"), cat("c", 4)],
      [
        Float64Array.from({ length: n }, () => rng.next()),
        Float64Array.from({ length: n }, () => rng.next()),
        Float64Array.from({ length: n }, () => rng.int(4)),
      ],
    );
    const y = Uint8Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
    const st = new GbdtEstimator({ max_iter: 200, early_stopping: true }).fit(X, y, { seed: 1 }).state();
    expect(st.validation_loss!.length).toBeLessThan(40);
    expect(st.n_iter).toBeLessThan(st.validation_loss!.length);
    // With ctx.validation, that set is used instead of an internal split.
    const st2 = new GbdtEstimator({ max_iter: 200 }).fit(X, y, { seed: 1, validation: { X, y } }).state();
    expect(st2.validation_loss).not.toBeNull();
    // Without early stopping every iteration runs.
    expect(new GbdtEstimator({ max_iter: 30, early_stopping: false }).fit(X, y).state().n_iter).toBe(30);
  });

  it("early stopping on 4 + 4 rows holds out one row of each class instead of none", () => {
    // Its old hold-out rounded 10% of 4 rows to 0, so early_stopping: true silently did nothing.
    const X = matrix([num("x")], [Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8])]);
    const y = Uint8Array.from([0, 0, 1, 0, 1, 0, 1, 1]);
    const st = new GbdtEstimator({ max_iter: 5, early_stopping: true, min_samples_leaf: 1 }).fit(X, y).state();
    expect(st.validation_loss).not.toBeNull();
    expect(st.validation_loss!.length).toBeGreaterThan(0);
  });

  it("raw-value prediction routes rows exactly like the binned routing used in training", () => {
    // Declare 7 categories: code 6 never occurs in training, so it is an unseen category.
    const train = ruleData(3000, 12);
    const val = ruleData(1000, 13);
    for (const d of [train, val]) d.X.features[1] = cat("c1", 7);
    for (let i = 0; i < 1000; i += 7) val.X.columns[1]![i] = 6;
    const model = new GbdtEstimator({ max_iter: 40, subsample: 0.8 }).fit(train.X, train.y, {
      seed: 2,
      validation: { X: val.X, y: val.y },
    });
    const st = model.state();
    expect(st.n_iter).toBeGreaterThan(5);
    // Same trees, same order of additions: the validation loss seen during training is reproduced bit for bit.
    expect(logLossFromRaw(val.y, model.predictRaw(val.X))).toBe(st.validation_loss![st.n_iter - 1]);
    const withUnseen = model.trees.filter((t) =>
      t.catLeft.some((c, i) => c !== null && t.missingLeft[i] === 1 && c.includes(6)),
    );
    const withoutUnseen = model.trees.filter((t) =>
      t.catLeft.some((c, i) => c !== null && t.missingLeft[i] === 0 && c.includes(6)),
    );
    expect(withUnseen.length).toBeGreaterThan(0);
    expect(withoutUnseen.length).toBe(0);
    // Also with quantile edges and more categories than bins (rare codes share a bin).
    const small = new GbdtEstimator({ max_iter: 20, max_bins: 4, min_samples_leaf: 5 }).fit(train.X, train.y, {
      seed: 2,
      validation: { X: val.X, y: val.y },
    });
    const ss = small.state();
    expect(ss.trees.some((t) => t.catLeft.some((c) => c !== null && c.length >= 2))).toBe(true);
    expect(logLossFromRaw(val.y, small.predictRaw(val.X))).toBe(ss.validation_loss![ss.n_iter - 1]);
  });

  it("round-trips through JSON with exactly identical predictions", () => {
    const { X, y } = ruleData(1500, 3);
    const model = new GbdtEstimator({ max_iter: 20, subsample: 0.8, colsample: 0.75 }).fit(X, y, { seed: 4 });
    const reloaded = GbdtModel.fromState(JSON.parse(JSON.stringify(model.state())));
    const test = ruleData(500, 8);
    test.X.columns[1]![0] = NaN; // an unseen category
    expect(reloaded.predictRaw(test.X)).toEqual(model.predictRaw(test.X));
    expect(reloaded.predictProba(test.X)).toEqual(model.predictProba(test.X));
    expect(reloaded.family).toBe("gbdt");
    const p = model.predictProba(test.X);
    const raw = model.predictRaw(test.X);
    for (let i = 0; i < p.length; i++) expect(p[i]).toBeCloseTo(1 / (1 + Math.exp(-raw[i]!)), 15);
  });

  it("is deterministic: same seed → identical JSON, other seed with subsampling → different", () => {
    const { X, y } = ruleData(1500, 6);
    const est = new GbdtEstimator({ max_iter: 15, subsample: 0.7, colsample: 0.5 });
    const a = JSON.stringify(est.fit(X, y, { seed: 42 }).state());
    const b = JSON.stringify(est.fit(X, y, { seed: 42 }).state());
    const c = JSON.stringify(est.fit(X, y, { seed: 43 }).state());
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it("rejects invalid hyperparameters with a zod error naming the parameter", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ learning_rate: 0 }, "learning_rate"],
      [{ max_iter: 0 }, "max_iter"],
      [{ max_leaf_nodes: 1 }, "max_leaf_nodes"],
      [{ max_depth: 0 }, "max_depth"],
      [{ min_samples_leaf: 0 }, "min_samples_leaf"],
      [{ l2_regularization: -1 }, "l2_regularization"],
      [{ max_bins: 256 }, "max_bins"],
      [{ subsample: 0 }, "subsample"],
      [{ colsample: 1.5 }, "colsample"],
      [{ early_stopping: "yes" }, "early_stopping"],
      [{ validation_fraction: 1 }, "validation_fraction"],
      [{ n_estimators: 100 }, "n_estimators"],
    ];
    for (const [params, name] of cases) {
      let err: unknown;
      try {
        new GbdtEstimator(params);
      } catch (e) {
        err = e;
      }
      expect(err, name).toBeInstanceOf(ZodError);
      expect((err as ZodError).message).toContain(name);
    }
    const d = gbdtParamsSchema.parse({});
    expect(d).toMatchObject({
      learning_rate: 0.1,
      max_iter: 100,
      max_leaf_nodes: 31,
      min_samples_leaf: 20,
      l2_regularization: 0,
      max_bins: 255,
    });
  });

  it("rejects a single-class target and mismatched columns", () => {
    const { X } = ruleData(100, 1);
    expect(() => new GbdtEstimator().fit(X, new Uint8Array(100))).toThrow(/single class/);
    const model = new GbdtEstimator({ max_iter: 2 }).fit(X, ruleData(100, 1).y);
    expect(() => model.predictRaw(matrix([num("x0")], [new Float64Array(3)]))).toThrow(/expects 4 columns/);
    expect(logLossFromRaw(Uint8Array.from([1]), Float64Array.from([0]))).toBeCloseTo(Math.LN2, 15);
  });
});
