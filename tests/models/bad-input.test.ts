/** Bad input for model training: the clear answers the tree-models issue asks for. */
import { describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { errorOf } from "../helpers.js";

describe("training on awkward data", () => {
  it("caps a categorical column with thousands of levels (max_categories, min_category_count)", async () => {
    const rows = Array.from({ length: 6000 }, (_, i) => ({
      surname: `name${i % 3000}`,
      city: ["a", "b", "c"][i % 3],
      spend: i % 97,
      churn: i % 97 > 70 ? "yes" : "no",
    }));
    for (const family of ["logreg", "gbdt"] as const) {
      const { model } = await train({
        data: rows,
        target: "churn",
        model: family,
        config: { evaluation: { permutation_repeats: 0 }, preprocess: { max_categories: 50, min_category_count: 1 } },
      });
      const s = model.artifact.preprocess.categorical.find((c) => c.column === "surname")!;
      expect(s.levels).toHaveLength(50);
      expect(s.other).toBe(true);
      // One-hot width stays bounded: 50 levels + "(other)".
      if (family === "logreg")
        expect(model.artifact.preprocess.features.filter((f) => f.source === "surname")).toHaveLength(51);
    }
  });

  it("leaves out a feature whose values are all missing, and says so in model.json", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ empty: "", x: i, churn: i % 3 === 0 ? "Yes" : "No" }));
    const { model } = await train({
      data: rows,
      target: "churn",
      model: "tree",
      config: { evaluation: { permutation_repeats: 0 } },
    });
    expect(model.artifact.inputs.map((c) => c.name)).toEqual(["x"]);
    expect(model.artifact.schema.columns.find((c) => c.name === "empty")).toMatchObject({
      role: "ignored",
      note: "all values missing",
    });
  });

  it("refuses auto when a class has fewer rows than folds, naming the fix", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ x: i, churn: i < 5 ? "yes" : "no" }));
    const e = await errorOf(() =>
      train({ data: rows, target: "churn", model: "auto", config: { split: { folds: 5, validation_size: 0.2 } } }),
    );
    expect(e.message).toMatch(
      /training data has 4 rows of class 1, fewer than the 5 folds of cross-validation; lower split\.folds or add data/,
    );
  });

  it("names an out-of-range hyperparameter", async () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ x: i, churn: i % 2 ? "yes" : "no" }));
    expect(
      (await errorOf(() => train({ data: rows, target: "churn", model: "gbdt", params: { learning_rate: 0 } })))
        .message,
    ).toMatch(/model\.params\.learning_rate/);
    expect(
      (await errorOf(() => train({ data: rows, target: "churn", model: "tree", params: { max_depth: -1 } }))).message,
    ).toMatch(/model\.params\.max_depth/);
  });
});
