import { describe, expect, it } from "vitest";
import { classWeights } from "../../src/learners/class-weights.js";
import { LogregEstimator } from "../../src/learners/logreg/logreg.js";
import type { Matrix } from "../../src/core/types.js";

describe("classWeights (the one computation for logreg, tree and forest)", () => {
  it("balanced: n / (2·n_c), as scikit-learn", () => {
    expect(classWeights([0, 0, 0, 1], "balanced")).toEqual([4 / 6, 2]);
    expect(classWeights([0, 1], null)).toEqual([1, 1]);
    expect(classWeights([0, 1], { "0": 1, "1": 3 })).toEqual([1, 3]);
  });

  it("an absent class weighs 1, not n / 0", () => {
    // logreg's own copy gave [Infinity, 0.5] here, [0.5, Infinity] below, and NaN for both on 0 rows.
    expect(classWeights([1, 1, 1], "balanced")).toEqual([1, 0.5]);
    expect(classWeights([0, 0], "balanced")).toEqual([0.5, 1]);
    expect(classWeights([], "balanced")).toEqual([1, 1]);
  });

  it("logreg's balanced weights up-weigh the minority class (3 positives of 8: a higher intercept)", () => {
    const x = Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    const y = Uint8Array.from([0, 0, 0, 1, 0, 0, 1, 1]);
    const X: Matrix = { nRows: 8, columns: [x], features: [{ name: "x", kind: "numeric", source: "x" }] };
    const bal = new LogregEstimator({ class_weight: "balanced" }).fit(X, y).state();
    const plain = new LogregEstimator().fit(X, y).state();
    expect(bal.intercept).toBeGreaterThan(plain.intercept);
    expect(Number.isFinite(bal.intercept) && bal.coef.every(Number.isFinite)).toBe(true);
  });
});
