/**
 * The survival task end to end through the API, with a test-only survival family (tests/models/linear-hazard-family.ts):
 * training with a duration column, model.json's survival section, predictions, explanations, evaluation.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import "./../models/linear-hazard-family.js";
import { train } from "../../src/pipeline/api.js";
import { loadModel } from "../../src/artifact/churn-model.js";
import { loadTable, takeRows } from "../../src/data/load.js";
import { baselineHazard, breslowBaseline, churnWithin } from "../../src/learners/baseline-hazard.js";
import { errorOf, TELCO, tmp } from "../helpers.js";

const FAST = { iterations: 60 };

describe("survival training", () => {
  it("fits a survival family with ctx.duration, stores the Breslow baseline and predicts every horizon", async () => {
    const out = join(tmp(), "m");
    const { model, metrics } = await train({
      data: TELCO,
      target: "Churn",
      duration: "tenure",
      model: "linear-hazard",
      params: FAST,
      config: { data: { drop: ["TotalCharges"] }, survival: { value: "MonthlyCharges" } },
      out,
    });
    const a = model.artifact;
    expect(a.format_version).toBe("1.2");
    expect(a.survival!.duration).toBe("tenure");
    expect(a.survival!.horizons).toEqual([3, 6, 12]);
    expect(a.survival!.value).toBe("MonthlyCharges");
    expect(a.survival!.baseline.max_time).toBe(72);
    expect(a.inputs.map((c) => c.name)).not.toContain("tenure");
    expect(a.schema.columns.find((c) => c.name === "tenure")!.role).toBe("ignored");
    // The validation C-index of even a crude linear hazard is far above chance on Telco.
    expect(metrics.survival!.validation.c_index).toBeGreaterThan(0.8);
    expect(metrics.validation).toBeNull();
    // The follow-up counts every labelled training row once.
    const f = a.survival!.follow_up;
    expect(f.events.reduce((s, v) => s + v, 0) + f.censored.reduce((s, v) => s + v, 0)).toBe(7043);

    const loaded = await loadModel(out);
    const t = await loadTable(TELCO);
    const rows = takeRows(t, [0, 1, 2, 3, 4]);
    const p = await loaded.predict(rows);
    expect(Object.keys(p[0]!)).toEqual([
      "customerID",
      "churn_probability",
      "churn_prediction",
      "churn_within_3",
      "churn_within_6",
      "churn_within_12",
      "expected_remaining",
      "revenue_at_risk_3",
      "revenue_at_risk_6",
      "revenue_at_risk_12",
    ]);
    // Row by row against the formula, from the stored baseline and the model's log hazard.
    const raw = await loaded.predictRaw(rows);
    const b = loaded.survival!.baseline;
    p.forEach((r, i) => {
      const t0 = Number(rows.data.tenure![i]);
      expect(r.churn_within_6).toBeCloseTo(churnWithin(b, raw[i]!, t0, 6), 14);
      expect(r.churn_probability).toBe(r.churn_within_3);
      expect(r.churn_within_3 as number).toBeLessThanOrEqual(r.churn_within_6 as number);
      expect(r.churn_within_6 as number).toBeLessThanOrEqual(r.churn_within_12 as number);
      expect(r.expected_remaining as number).toBeGreaterThanOrEqual(0);
      expect(r.expected_remaining as number).toBeLessThanOrEqual(72 - t0);
    });
    // The in-memory model and the loaded one agree exactly.
    expect(await model.predict(rows)).toEqual(p);

    // Explanations add up to the log hazard.
    const ex = await loaded.explain(rows);
    ex.forEach((e, i) => {
      const sum = Object.values(e.contributions).reduce((s, v) => s + v, e.base_value);
      expect(sum).toBeCloseTo(raw[i]!, 10);
      expect(e.probability).toBe(p[i]!.churn_probability);
    });

    const m = await loaded.evaluateSurvival(t);
    expect(m.rows).toBe(7043);
    expect(m.c_index).toBeGreaterThan(0.8);
    expect(m.td_auc).toHaveLength(3);
    expect(m.integrated_brier).toBeGreaterThan(0);
    expect(m.integrated_brier).toBeLessThan(0.25);
    // The report: the survival section with the C-index, the survival curves and the calibration per horizon.
    const report = readFileSync(join(out, "report.html"), "utf8");
    for (const s of ["C-index (validation split)", "Survival curves", "Calibration at each horizon", "high risk"])
      expect(report).toContain(s);
    expect(report).not.toContain("ROC curve");
    expect(JSON.parse(readFileSync(join(out, "metrics.json"), "utf8")).survival.validation.c_index).toBe(
      metrics.survival!.validation.c_index,
    );
  }, 120_000);

  it("the baseline is Breslow's of the training rows under the refitted model", async () => {
    const { model } = await train({
      data: TELCO,
      target: "Churn",
      duration: "tenure",
      model: "linear-hazard",
      params: FAST,
      config: { evaluation: { permutation_repeats: 0 } },
    });
    const t = await loadTable(TELCO);
    const raw = await model.predictRaw(t);
    const time = Float64Array.from(t.data.tenure!, Number);
    const event = Uint8Array.from(t.data.Churn!, (v) => (v === "Yes" ? 1 : 0));
    const b = breslowBaseline(time, event, raw);
    expect(model.survival!.baseline.times).toEqual(b.times);
    model.survival!.baseline.cumulative_hazard.forEach((h, k) => expect(h).toBeCloseTo(b.cumulative_hazard[k]!, 12));
  }, 120_000);

  it("a family fitted with Efron's ties gets Efron's baseline, Breslow's ties Breslow's; model.json names it", async () => {
    const t = await loadTable(TELCO);
    const time = Float64Array.from(t.data.tenure!, Number);
    const event = Uint8Array.from(t.data.Churn!, (v) => (v === "Yes" ? 1 : 0));
    const hazards: Record<string, number[]> = {};
    for (const ties of ["efron", "breslow"] as const) {
      const out = join(tmp(), ties);
      const { model } = await train({
        data: TELCO,
        target: "Churn",
        duration: "tenure",
        model: "cox",
        params: { ties },
        config: { data: { drop: ["TotalCharges"] }, evaluation: { permutation_repeats: 0 } },
        out,
      });
      const b = model.survival!.baseline;
      expect(b.estimator).toBe(ties);
      expect(JSON.parse(readFileSync(join(out, "model.json"), "utf8")).survival.baseline.estimator).toBe(ties);
      const want = baselineHazard(time, event, await model.predictRaw(t), ties);
      expect(b.times).toEqual(want.times);
      b.cumulative_hazard.forEach((h, k) => expect(h).toBeCloseTo(want.cumulative_hazard[k]!, 12));
      hazards[ties] = b.cumulative_hazard;
    }
    // Telco's months tie many churners: the two estimators differ there (Efron's steps are larger).
    expect(hazards.efron!.at(-1)!).toBeGreaterThan(hazards.breslow!.at(-1)! * 1.01);
  }, 120_000);

  it("a model.json written before the estimator was recorded loads as Breslow's, its stored hazard unchanged", async () => {
    const out = join(tmp(), "old");
    await train({
      data: TELCO,
      target: "Churn",
      duration: "tenure",
      model: "linear-hazard",
      params: FAST,
      config: { evaluation: { permutation_repeats: 0 } },
      out,
    });
    const before = await loadModel(out);
    const file = join(out, "model.json");
    const a = JSON.parse(readFileSync(file, "utf8"));
    expect(a.survival.baseline.estimator).toBe("breslow");
    delete a.survival.baseline.estimator;
    writeFileSync(file, JSON.stringify(a));
    const old = await loadModel(out);
    expect(old.survival!.baseline.estimator).toBe("breslow");
    expect(old.survival!.baseline.cumulative_hazard).toEqual(before.survival!.baseline.cumulative_hazard);
    const rows = takeRows(await loadTable(TELCO), [0, 1, 2]);
    expect(await old.predict(rows)).toEqual(await before.predict(rows));
  }, 120_000);

  it("refuses a family that cannot fit the survival task, naming the ones that can", async () => {
    const e = await errorOf(() => train({ data: TELCO, target: "Churn", duration: "tenure", model: "logreg" }));
    expect(e.message).toMatch(
      /^model family "logreg" cannot fit the survival task .*families that can: .*linear-hazard/,
    );
  });

  it("refuses a survival-only family without a duration", async () => {
    const e = await errorOf(() => train({ data: TELCO, target: "Churn", model: "linear-hazard" }));
    expect(e.message).toMatch(/^model family "linear-hazard" fits only the survival task; give a duration column/);
  });

  it("names a missing duration column", async () => {
    const e = await errorOf(() => train({ data: TELCO, target: "Churn", duration: "months", model: "linear-hazard" }));
    expect(e.message).toMatch(/duration \(data.duration, --duration\) column "months" is not in the file/);
  });
});
