import { describe, expect, it } from "vitest";
import { columnMeans, explainLinear, explainLinearRow, linearBaseValue } from "../../src/explain/linear.js";
import { LogregEstimator, LogregModel } from "../../src/learners/logreg/logreg.js";
import type { FeatureInfo, Matrix } from "../../src/core/types.js";
import { rng } from "./trees.js";

/** Two standardised numeric columns and a 3-level one-hot column. */
function data(n: number, seed: number): { X: Matrix; y: Uint8Array } {
  const rand = rng(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const oh = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = rand() * 2 - 1;
    b[i] = rand() * 2 - 1;
    const lvl = Math.floor(rand() * 3);
    oh[lvl]![i] = 1;
    y[i] = rand() < 1 / (1 + Math.exp(-(a[i]! * 2 - b[i]! + lvl - 1))) ? 1 : 0;
  }
  const features: FeatureInfo[] = [
    { name: "a", kind: "numeric", source: "a" },
    { name: "b", kind: "numeric", source: "b" },
    ...["x", "y", "z"].map((l): FeatureInfo => ({ name: `c=${l}`, kind: "numeric", source: "c" })),
  ];
  return { X: { nRows: n, features, columns: [a, b, ...oh] }, y };
}

describe("linear explanations", () => {
  const { X, y } = data(500, 1);
  const model = new LogregEstimator().fit(X, y);
  const means = columnMeans(X);

  it("base value + Σ contributions equals the model's raw score", () => {
    const raw = model.predictRaw(X);
    const batch = explainLinear(model.state(), means, X);
    for (let r = 0; r < X.nRows; r++) {
      let s = batch.baseValue;
      for (let j = 0; j < 5; j++) s += batch.contributions[r * 5 + j]!;
      expect(s).toBeCloseTo(raw[r]!, 12);
      expect(batch.predictions[r]).toBeCloseTo(raw[r]!, 12);
    }
  });

  it("one-hot means are level frequencies and the base value is the raw score of the mean row", () => {
    const s = model.state();
    expect(means[2]! + means[3]! + means[4]!).toBeCloseTo(1, 12);
    let b = s.intercept;
    s.coef.forEach((c, j) => (b += c * means[j]!));
    expect(linearBaseValue(s, means)).toBeCloseTo(b, 14);
  });

  it("a coefficient of 0 gives a contribution of exactly 0", () => {
    const m = LogregModel.fromState({ coef: [0.5, 0, -1, 0, 2], intercept: 0.25, n_iter: 0, converged: true });
    const e = explainLinearRow(m.state(), means, X, 3);
    expect(Object.is(e.contributions[1], 0)).toBe(true);
    expect(Object.is(e.contributions[3], 0)).toBe(true);
    expect(e.contributions[0]).toBeCloseTo(0.5 * (X.columns[0]![3]! - means[0]!), 15);
    expect(e.baseValue + e.contributions.reduce((t, v) => t + v, 0)).toBeCloseTo(m.predictRaw(X)[3]!, 12);
  });

  it("rejects mismatched lengths", () => {
    expect(() => linearBaseValue({ coef: [1, 2], intercept: 0 }, [0])).toThrow(/2 coefficients but 1 column means/);
  });
});
