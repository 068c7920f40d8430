import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { loadTable, takeRows, type RawTable } from "../../src/data/load.js";
import { readArtifact } from "../../src/artifact/artifact.js";
import { computeMetrics } from "../../src/evaluation/metrics.js";
import { ChurnModel, loadModel } from "../../src/artifact/churn-model.js";
import { UserError } from "../../src/utils/errors.js";
import { errorOf, TELCO, tmp } from "../helpers.js";

/** Rows of a raw table as plain objects, with keys in the given order. */
function objects(t: RawTable, columns = t.columns): Record<string, unknown>[] {
  return Array.from({ length: t.rows }, (_, i) => Object.fromEntries(columns.map((c) => [c, t.data[c]![i]])));
}

describe("a trained logreg churn model (bundled Telco data)", () => {
  let dir: string;
  let model: ChurnModel;
  let sample: RawTable;
  let rows: Record<string, unknown>[];
  beforeAll(async () => {
    dir = tmp();
    const r = await train({ model: "logreg", seed: 42, out: join(dir, "m1") });
    model = r.model;
    sample = takeRows(
      await loadTable(TELCO),
      Array.from({ length: 300 }, (_, i) => i * 23),
    );
    rows = objects(sample);
  });

  it("is a logreg with customerID as identifier, Churn/Yes as target, 19 inputs", () => {
    expect(model.family).toBe("logreg");
    // Default threshold rule "f1": the validation threshold with the best F1, stored in model.json.
    expect(model.artifact.threshold.rule).toBe("f1");
    expect(model.threshold).toBeGreaterThan(0);
    expect(model.threshold).toBeLessThan(1);
    expect(model.artifact.id_columns).toEqual(["customerID"]);
    expect(model.artifact.target).toEqual({ column: "Churn", positive: "Yes", negatives: ["No"] });
    expect(model.artifact.inputs.map((c) => c.name)).not.toContain("customerID");
    expect(model.artifact.inputs).toHaveLength(19);
    expect(model.artifact.data_fingerprint.rows).toBe(7043);
    expect(model.artifact.validation_metrics!.auc).toBeGreaterThan(0.8);
  });

  it("predict: one row per input, in order, with customerID, a probability and p >= threshold", async () => {
    const preds = await model.predict(rows);
    expect(preds).toHaveLength(300);
    preds.forEach((p, i) => {
      expect(Object.keys(p)).toEqual(["customerID", "churn_probability", "churn_prediction"]);
      expect(p.customerID).toBe(sample.data.customerID![i]);
      expect(p.churn_probability).toBeGreaterThanOrEqual(0);
      expect(p.churn_probability).toBeLessThanOrEqual(1);
      expect(p.churn_prediction).toBe(p.churn_probability >= model.threshold);
    });
    const positives = preds.filter((p) => p.churn_prediction).length;
    expect(positives).toBeGreaterThan(20);
    expect(positives).toBeLessThan(200);
  });

  it("a threshold option moves the predictions, not the probabilities", async () => {
    const a = await model.predict(rows);
    const b = await model.predict(rows, { threshold: 0.1 });
    b.forEach((p, i) => {
      expect(p.churn_probability).toBe(a[i]!.churn_probability);
      expect(p.churn_prediction).toBe(p.churn_probability >= 0.1);
    });
    expect(b.filter((p) => p.churn_prediction).length).toBeGreaterThan(a.filter((p) => p.churn_prediction).length);
  });

  it("predicting a loaded table and the same rows as objects gives the same probabilities", async () => {
    const a = await model.predictProba(sample);
    const b = await model.predictProba(rows);
    expect(b.probability).toEqual(a.probability);
  });

  it("columns in another order, extra columns, and no target give identical probabilities", async () => {
    const base = (await model.predictProba(rows)).probability;
    const shuffled = objects(sample, [...sample.columns].reverse()).map((r, i) => {
      const { Churn: _drop, ...rest } = r;
      return { extra_note: `x${i}`, ...rest, another: 42 };
    });
    expect((await model.predictProba(shuffled)).probability).toEqual(base);
  });

  it("a missing feature column is a UserError naming it", async () => {
    const e = await errorOf(() => model.predict(rows.map(({ tenure: _t, ...r }) => r)));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe('request: missing column "tenure"; the model was trained with it, add it to the input');
    const two = await errorOf(() => model.predict(rows.map(({ tenure: _t, Contract: _c, ...r }) => r)));
    expect(two.message).toBe(
      'request: missing columns "tenure", "Contract"; the model was trained with them, add them to the input',
    );
  });

  it('"abc" in a numeric column is a UserError naming the column and row', async () => {
    const bad = rows.map((r, i) => (i === 4 ? { ...r, MonthlyCharges: "abc" } : r));
    const e = await errorOf(() => model.predict(bad));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      'request: row 5, column "MonthlyCharges": "abc" is not a number; fix the value or leave it empty for missing',
    );
  });

  it("a bad boolean is named too; missing values are scored by imputation", async () => {
    const e = await errorOf(() => model.predict([{ ...rows[0], Partner: "maybe" }]));
    expect(e.message).toContain('row 1, column "Partner": "maybe" is not a boolean');
    const p = await model.predict([{ ...rows[0], tenure: null, TotalCharges: "", Contract: null }]);
    expect(p[0]!.churn_probability).toBeGreaterThan(0);
    expect(p[0]!.churn_probability).toBeLessThan(1);
  });

  it("an unseen category is scored with the ignore policy and reported; the error policy rejects it", async () => {
    const fresh = [{ ...rows[0], Contract: "Ten year" }, rows[1]!];
    const { probability, unseen } = await model.predictProba(fresh);
    expect(unseen).toEqual([{ row: 0, column: "Contract", value: "Ten year" }]);
    expect(probability[0]).toBeGreaterThan(0);
    expect(probability[0]).toBeLessThan(1);
    // All-zero one-hot for Contract: differs from every known level.
    for (const level of ["Month-to-month", "One year", "Two year"]) {
      const known = (await model.predictProba([{ ...rows[0], Contract: level }])).probability[0];
      expect(probability[0]).not.toBe(known);
    }
    const strictArtifact = structuredClone(model.artifact);
    strictArtifact.preprocess.options.unseen_category = "error";
    const strict = ChurnModel.fromArtifact(strictArtifact);
    const e = await errorOf(() => strict.predict(fresh));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(/^request: row 1, column "Contract": category "Ten year" was not seen in training/);
  });

  it("evaluate: metrics of the labelled rows equal computeMetrics on the predicted probabilities", async () => {
    const m = await model.evaluate(sample);
    const p = (await model.predictProba(sample)).probability;
    const y = sample.data.Churn!.map((v) => (v === "Yes" ? 1 : 0));
    expect(m).toMatchObject(computeMetrics(y, p, model.threshold));
    expect(m.rows).toBe(300);
    expect(m.auc).toBeGreaterThan(0.75);
  });

  it("save (out) + loadModel gives exactly equal probabilities", async () => {
    const out = join(dir, "m1");
    expect(existsSync(join(out, "model.json"))).toBe(true);
    expect(existsSync(join(out, "metrics.json"))).toBe(true);
    const loaded = await loadModel(out);
    expect(loaded.artifact).toEqual(JSON.parse(JSON.stringify(model.artifact)));
    expect((await loaded.predictProba(rows)).probability).toEqual((await model.predictProba(rows)).probability);
    const viaFile = await loadModel(join(out, "model.json"));
    expect((await viaFile.predictProba(rows)).probability).toEqual((await model.predictProba(rows)).probability);
  });

  it("model.json of two seeded trainings is byte-identical apart from created_at", async () => {
    await train({ model: "logreg", seed: 42, out: join(dir, "m2") });
    const a = readFileSync(join(dir, "m1", "model.json"), "utf8");
    const b = readFileSync(join(dir, "m2", "model.json"), "utf8");
    const strip = (s: string) => s.replace(/"created_at": "[^"]*"/, '"created_at": ""');
    expect(strip(a)).toBe(strip(b));
    expect(a).toMatch(/"created_at": "\d{4}-\d\d-\d\dT/);
  });

  it("a corrupt model.json is a UserError saying so", async () => {
    const d = tmp();
    writeFileSync(join(d, "model.json"), '{"format": "churnkit-model", "format_ver');
    const e = await errorOf(() => loadModel(d));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(
      new RegExp(`^${join(d, "model.json")}: corrupt model file, not valid JSON .*; retrain the model$`),
    );
  });

  it("a model.json that is not a churnkit model, or misses a part, is a UserError", async () => {
    const d = tmp();
    writeFileSync(join(d, "model.json"), '{"hello": 1}');
    expect((await errorOf(() => loadModel(d))).message).toBe(
      `${join(d, "model.json")}: not a churnkit model (no "format": "churnkit-model"); retrain the model`,
    );
    const a = JSON.parse(readFileSync(join(dir, "m1", "model.json"), "utf8"));
    delete a.preprocess;
    writeFileSync(join(d, "model.json"), JSON.stringify(a));
    expect((await errorOf(() => loadModel(d))).message).toBe(
      `${join(d, "model.json")}: corrupt model file, "preprocess" is missing; retrain the model`,
    );
  });

  it("a newer format_version is refused with a clear message; a newer minor version loads", async () => {
    const d = tmp();
    const a = JSON.parse(readFileSync(join(dir, "m1", "model.json"), "utf8"));
    writeFileSync(join(d, "model.json"), JSON.stringify({ ...a, format_version: "2.0", churnkit_version: "9.9.9" }));
    const e = await errorOf(() => loadModel(d));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      `${join(d, "model.json")}: model format 2.0 was written by churnkit 9.9.9, newer than this churnkit (reads format 1.x); upgrade churnkit`,
    );
    writeFileSync(join(d, "model.json"), JSON.stringify({ ...a, format_version: "1.7" }));
    expect((await loadModel(d)).family).toBe("logreg");
    expect(readArtifact(d).format_version).toBe("1.7");
  });

  it("loadModel of a missing directory is a UserError", async () => {
    const d = join(tmp(), "no-such-model");
    const e = await errorOf(() => loadModel(d));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(`${d}: model not found; train one with \`churnkit train\` or \`churnkit run\``);
  });
});
