import { describe, expect, it } from "vitest";
import { foldBatch, foldPlan, foldRow, foldRows } from "../../src/explain/fold.js";
import type { FeatureInfo } from "../../src/core/types.js";

const features: FeatureInfo[] = [
  { name: "tenure", kind: "numeric", source: "tenure" },
  { name: "Contract=Month-to-month", kind: "numeric", source: "Contract" },
  { name: "Contract=One year", kind: "numeric", source: "Contract" },
  { name: "MonthlyCharges", kind: "numeric", source: "MonthlyCharges" },
  { name: "Contract=Two year", kind: "numeric", source: "Contract" },
  { name: "charges_per_month", kind: "numeric", source: "MonthlyCharges" },
];

describe("folding contributions to input columns", () => {
  const plan = foldPlan(features);

  it("keeps the order of first appearance", () => {
    expect(plan.columns).toEqual(["tenure", "Contract", "MonthlyCharges"]);
    expect(Array.from(plan.index)).toEqual([0, 1, 1, 2, 1, 2]);
  });

  it("sums one-hot levels and derived features into their source", () => {
    const row = foldRow(plan, [0.5, 0.25, -0.125, 1, 0.0625, -2]);
    expect(row).toEqual({ tenure: 0.5, Contract: 0.1875, MonthlyCharges: -1 });
    expect(Object.keys(row)).toEqual(["tenure", "Contract", "MonthlyCharges"]);
  });

  it("folds a batch row by row", () => {
    const c = Float64Array.from([1, 2, 3, 4, 5, 6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(foldBatch(plan, c, 2))).toEqual([1, 10, 10, 0.5, 1.5, 1]);
    expect(foldRows(plan, c, 2)[1]).toEqual({ tenure: 0.5, Contract: 1.5, MonthlyCharges: 1 });
  });

  it("keeps a column named __proto__ as data", () => {
    const p = foldPlan([{ name: "__proto__", kind: "numeric", source: "__proto__" }]);
    expect(Object.keys(foldRow(p, [1]))).toEqual(["__proto__"]);
  });
});
