/** One gain importance: the tree models' featureImportances() and metrics.json's `feature_importance.gain`. */
import { describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { ForestModel, type ForestState } from "../../src/learners/forest/forest.js";
import { gainImportance } from "../../src/artifact/importance.js";
import { foldPlan, foldRow } from "../../src/explain/fold.js";
import { CartModel, type CartState } from "../../src/learners/tree/cart.js";
import { gainImportances } from "../../src/learners/tree/importance.js";
import { telcoLines, tmp, write } from "../helpers.js";

describe("gain importance", () => {
  it("is each column's share of the total split gain over all trees (trees are not normalised one by one)", () => {
    const a = { feature: [0, -1, -1], gain: [3, 0, 0] }; // 3 of gain on column 0
    const b = { feature: [1, -1, -1], gain: [1, 0, 0] }; // 1 of gain on column 1
    expect(Array.from(gainImportances([a, b], 3))).toEqual([0.75, 0.25, 0]);
    expect(Array.from(gainImportances([{ feature: [-1], gain: [0] }], 2))).toEqual([0, 0]);
  });

  const sample = (): string => {
    const { header, lines } = telcoLines();
    return write(tmp(), "sample.csv", [header, ...lines.slice(0, 800)].join("\n") + "\n");
  };

  it("gainImportance (metrics.json's gain) is the forest's featureImportances() folded to input columns, exactly", async () => {
    const { model, metrics } = await train({
      data: sample(),
      target: "Churn",
      drop: ["customerID"],
      model: "forest",
      params: { n_estimators: 9 },
      seed: 5,
    });
    const a = model.artifact;
    const own = foldRow(
      foldPlan(a.preprocess.features),
      ForestModel.fromState(a.model.state as ForestState).featureImportances(),
    );
    const gain = gainImportance(a)!;
    expect(gain).toEqual(own);
    // metrics.json's gain is the saved (refitted) model's, exactly; permutation importance measures the first fit.
    expect(metrics.feature_importance!.gain).toEqual(gain);
    expect(Object.keys(metrics.feature_importance!.gain!)).toEqual(Object.keys(gain));
    expect(Object.keys(gain).sort()).toEqual(a.inputs.map((c) => c.name).sort());
    expect(Object.values(gain).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it("and the tree's featureImportances() folded, exactly", async () => {
    const { model } = await train({
      data: sample(),
      target: "Churn",
      drop: ["customerID"],
      model: "tree",
      seed: 5,
    });
    const a = model.artifact;
    const own = foldRow(
      foldPlan(a.preprocess.features),
      CartModel.fromState(a.model.state as CartState).featureImportances(),
    );
    expect(gainImportance(a)).toEqual(own);
  });
});
