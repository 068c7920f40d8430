/**
 * A family added with `registerFamily` alone, from outside src/ (tests/models/naive-bayes-family.ts),
 * is a family like the built-in ones: the config accepts it, `init` lists it, `train` fits it and
 * writes its report, `auto` compares it when listed, the model file validates and loads, and
 * explanations come from its spec. A family without an explainer still trains, with a report that says so.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { initConfigText } from "../../src/config/init.js";
import { parseConfig } from "../../src/config/load.js";
import { loadTable } from "../../src/data/load.js";
import { autoFamilies, knownFamilies, registerFamily } from "../../src/learners/families.js";
import { loadModel } from "../../src/artifact/churn-model.js";
import { modelJsonSchema } from "../../src/artifact/model-json-schema.js";
import { UserError } from "../../src/utils/errors.js";
import { errorOf, TELCO, tmp } from "../helpers.js";
import { naiveBayes } from "./naive-bayes-family.js";

registerFamily({
  ...naiveBayes,
  name: "naive-bayes-mute",
  explainer: undefined,
  report: { ...naiveBayes.report, displayName: "Naive Bayes without explanations" },
});

const fast = { evaluation: { permutation_repeats: 1 } };

describe("a family registered from outside src/", () => {
  it("is known to the registry, but `auto` compares it only when asked (autoDefault: false)", () => {
    expect(knownFamilies()).toEqual(["logreg", "tree", "forest", "gbdt", "cox", "naive-bayes", "naive-bayes-mute"]);
    expect(autoFamilies()).toEqual(["logreg", "tree", "forest", "gbdt"]);
    expect(autoFamilies("survival")).toEqual(["gbdt", "cox"]);
    expect(parseConfig({}).search.families).toEqual(["logreg", "tree", "forest", "gbdt"]);
  });

  it("is accepted by the config, its parameters checked by its own schema, and listed in errors", async () => {
    const c = parseConfig({ model: { family: "naive-bayes", params: { bins: 4 } } });
    expect(c.model.family).toBe("naive-bayes");
    expect(parseConfig({ search: { families: ["logreg", "naive-bayes"] } }).search.families).toEqual([
      "logreg",
      "naive-bayes",
    ]);
    const bad = await errorOf(() => parseConfig({ model: { family: "naive-bayes", params: { bins: 1 } } }, "c.yaml"));
    expect(bad).toBeInstanceOf(UserError);
    expect(bad.message).toBe("c.yaml: model.params.bins: expected a number of at least 2, got 1");
    expect((await errorOf(() => parseConfig({ model: { family: "svm" } }, "c.yaml"))).message).toBe(
      'c.yaml: model.family: expected one of "logreg", "tree", "forest", "gbdt", "cox", "naive-bayes", "naive-bayes-mute", "auto", got "svm"',
    );
    expect((await errorOf(() => parseConfig({ search: { families: ["svm"] } }, "c.yaml"))).message).toMatch(
      /^c\.yaml: search\.families\.0: expected one of "logreg", .*"naive-bayes-mute", got "svm"$/,
    );
  });

  it("is listed with its description in init's comments", () => {
    const text = initConfigText(undefined, undefined);
    expect(text).toContain("  #   naive-bayes: naive Bayes on binned columns (a test-only family)\n");
    expect(text).toContain("  #   gbdt: histogram gradient boosting");
  });

  it("has a branch in the model.json JSON Schema", () => {
    const s = JSON.stringify(modelJsonSchema());
    expect(s).toContain('"const":"naive-bayes"');
  });

  it("refuses the name auto", () => {
    expect(() => registerFamily({ ...naiveBayes, name: "auto" })).toThrow(/not "auto"/);
  });

  it("trains through train(), writes a model directory with its report, loads back and explains exactly", async () => {
    const out = join(tmp(), "nb");
    const { model, metrics } = await train({ data: TELCO, model: "naive-bayes", seed: 42, config: fast, out });
    expect(model.family).toBe("naive-bayes");
    expect(metrics.validation?.rows).toBe(1409);
    expect(metrics.validation!.auc).toBeGreaterThan(0.8);
    // No trees, no coefficients: only permutation importance.
    expect(Object.keys(metrics.feature_importance!).sort()).toEqual(["measured_on", "of_rows", "permutation", "rows"]);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("Naive Bayes (binned) (naive-bayes)");
    expect(html).toContain("Exact additive contributions for 300 customers of the validation split.");
    const back = await loadModel(out);
    const rows = Array.from({ length: 20 }, (_, i) => i * 50);
    const t = await loadTable(TELCO);
    const p1 = await model.predict(t);
    expect(await back.predict(t)).toEqual(p1);
    const ex = await back.explain(t, { rows });
    expect(ex.map((e) => e.row)).toEqual(rows);
    for (const e of ex) {
      const sum = Object.values(e.contributions).reduce((s, v) => s + v, e.base_value);
      const p = p1[e.row]!.churn_probability;
      expect(sum).toBeCloseTo(Math.log(p / (1 - p)), 9);
    }
  });

  it("is compared by auto when search.families lists it", async () => {
    const config = { ...fast, search: { families: ["logreg", "naive-bayes"], candidates: 1 }, split: { folds: 2 } };
    const { metrics } = await train({ data: TELCO, model: "auto", seed: 42, config });
    expect(metrics.leaderboard!.rows.map((r) => r.family).sort()).toEqual(["logreg", "naive-bayes"]);
    expect(metrics.leaderboard!.rows.find((r) => r.family === "naive-bayes")!.candidates).toBe(2);
  });

  it("without an explainer: trains and writes a report without SHAP sections; explain is a UserError", async () => {
    const out = join(tmp(), "mute");
    const { model } = await train({ data: TELCO, model: "naive-bayes-mute", seed: 42, config: fast, out });
    expect(existsSync(join(out, "model.json"))).toBe(true);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("not available for this family");
    expect(html).not.toContain("SHAP summary");
    expect(html).not.toContain("Highest-risk customers");
    const e = await errorOf(() => model.explain([{}]));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe('model.json: explanations are not available for model family "naive-bayes-mute"');
  });
});
