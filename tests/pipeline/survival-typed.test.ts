/**
 * The survival task's remaining steps (issue 17): evaluation through the typed path (a file typed by DuckDB gives the
 * same metrics as rows in memory), permutation importance by drop in C-index (against a brute-force recomputation),
 * `run`'s test split with importance, `auto` cross-validating with the family's survival settings, drift of the
 * duration column, and delayed labels refused for survival predictions.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { train } from "../../src/pipeline/api.js";
import { ChurnKit } from "../../src/pipeline/churnkit.js";
import { runPipeline } from "../../src/pipeline/run.js";
import { formatLeaderboard } from "../../src/pipeline/select.js";
import { loadModel } from "../../src/artifact/churn-model.js";
import { permutationImportance } from "../../src/artifact/importance.js";
import { concordanceIndex } from "../../src/evaluation/survival.js";
import { joinLabels } from "../../src/evaluation/labels-join.js";
import { checkDrift } from "../../src/monitor/read.js";
import { fileSource } from "../../src/data/load-typed.js";
import { loadTable, tableFromRows, takeRows, type RawTable } from "../../src/data/load.js";
import { Rng } from "../../src/utils/random.js";
import { errorOf, TELCO, telcoLines, tmp } from "../helpers.js";

/** Survival rows: the log hazard is 1.2·x − 0.8·[plan = B]; `noise` plays no part. Whole-month durations 1..48. */
function survivalRows(n: number, seed: number): Record<string, unknown>[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const x = rng.next() * 2 - 1;
    const noise = rng.next();
    const plan = rng.next() < 0.5 ? "A" : "B";
    const t = (-Math.log(1 - rng.next()) / Math.exp(1.2 * x - (plan === "B" ? 0.8 : 0))) * 15;
    const c = -Math.log(1 - rng.next()) * 30;
    const months = Math.min(48, Math.max(1, Math.ceil(Math.min(t, c))));
    return { x, noise, plan, months, churn: t <= c && t <= 48 ? "Yes" : "No" };
  });
}

/** Write `rows` of {@link survivalRows} as a CSV at `path`; returns the path. */
function writeSurvivalCsv(path: string, rows: Record<string, unknown>[]): string {
  const lines = rows.map((r) => [r.x, r.noise, r.plan, r.months, r.churn].join(","));
  writeFileSync(path, ["x,noise,plan,months,churn", ...lines].join("\n") + "\n");
  return path;
}

const COX = { model: "cox", target: "churn", duration: "months" } as const;

describe("survival evaluation, typed", () => {
  it("a file typed by DuckDB gives exactly the metrics of the same rows in memory; a bad duration names its row", async () => {
    const dir = tmp();
    const { model } = await train({
      data: TELCO,
      target: "Churn",
      duration: "tenure",
      model: "cox",
      config: { data: { drop: ["TotalCharges"] }, evaluation: { permutation_repeats: 0 } },
      out: join(dir, "m"),
    });
    const source = await fileSource(TELCO, { facts: false });
    try {
      const typed = await model.evaluateSurvival(source);
      expect(typed).toEqual(await model.evaluateSurvival(await loadTable(TELCO)));
      expect(typed.rows).toBe(7043);
      expect(typed.c_index).toBeGreaterThan(0.84);
    } finally {
      source.close();
    }
    // Row 5 of the file (its 6th line) without a tenure: one error naming the file, the row and the column.
    const { header, lines } = telcoLines();
    const cells = lines[4]!.split(",");
    cells[header.split(",").indexOf("tenure")] = "";
    lines[4] = cells.join(",");
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, [header, ...lines].join("\n") + "\n");
    const src = await fileSource(bad, { facts: false });
    try {
      const e = await errorOf(() => model.evaluateSurvival(src));
      expect(e.message).toBe(
        `${bad}: row 5: duration column "tenure" is missing; evaluation needs every labelled row's duration (a number >= 0)`,
      );
    } finally {
      src.close();
    }
  }, 120_000);
});

describe("survival permutation importance", () => {
  it("is the drop in Harrell's C-index, as recomputed by brute force from the model's log hazards", async () => {
    const { model } = await train({
      ...COX,
      data: survivalRows(3_000, 1),
      config: { evaluation: { permutation_repeats: 0 } },
    });
    const held = tableFromRows(survivalRows(1_500, 2));
    const imp = await permutationImportance(model, held, { repeats: 2, seed: 7 });
    // Brute force: shuffle each input column of the rows in memory with the same generator, score, C-index.
    const time = Float64Array.from(held.data.months!, Number);
    const event = Uint8Array.from(held.data.churn!, (v) => (v === "Yes" ? 1 : 0));
    const c = async (t: RawTable) => concordanceIndex({ time, event }, await model.predictRaw(t));
    const base = await c(held);
    const rng = new Rng(7);
    for (const col of model.artifact.inputs.map((i) => i.name)) {
      const drops: number[] = [];
      for (let r = 0; r < 2; r++) {
        const order = rng.shuffle(Int32Array.from({ length: held.rows }, (_, i) => i));
        const shuffled = { ...held, data: { ...held.data, [col]: takeRows(held, order).data[col]! } };
        drops.push(base - (await c(shuffled)));
      }
      expect(imp[col]!.mean).toBeCloseTo((drops[0]! + drops[1]!) / 2, 12);
    }
    expect(Object.keys(imp)).toEqual(["x", "plan", "noise"]);
    expect(imp.x!.mean).toBeGreaterThan(0.1);
    expect(imp.plan!.mean).toBeGreaterThan(0.03);
    expect(Math.abs(imp.noise!.mean)).toBeLessThan(0.01);
  }, 60_000);

  it("train measures it on the validation split and marks it as C-index; the report says so", async () => {
    const out = join(tmp(), "m");
    const { metrics } = await train({
      ...COX,
      data: survivalRows(3_000, 3),
      config: { evaluation: { permutation_repeats: 2 } },
      out,
    });
    const fi = metrics.feature_importance!;
    expect(fi.metric).toBe("c_index");
    expect(fi.measured_on).toBe("validation split");
    expect(Object.keys(fi.permutation)[0]).toBe("x");
    expect(fi.coefficients).toBeDefined();
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("Drop in C-index when shuffled");
  }, 60_000);
});

describe("run with a survival model", () => {
  it("measures the typed test split and permutation importance on a stratified sample of it", async () => {
    const dir = tmp();
    const data = writeSurvivalCsv(join(dir, "surv.csv"), survivalRows(4_000, 4));
    const kit = new ChurnKit({
      data: { path: data, target: "churn", duration: "months" },
      model: { family: "cox" },
      evaluation: { permutation_repeats: 2, importance_max_rows: 300 },
    });
    const r = await runPipeline(kit, join(dir, "m"));
    const test = r.metrics.survival!.test!;
    expect(test.rows).toBe(800);
    const loaded = await loadModel(join(dir, "m"));
    expect(test.c_index).toBeGreaterThan(0.65);
    const fi = r.metrics.feature_importance!;
    expect(fi).toMatchObject({ metric: "c_index", measured_on: "test split", rows: 300, of_rows: 800 });
    expect(Object.keys(fi.permutation)[0]).toBe("x");
    expect(loaded.survival!.duration).toBe("months");
    // The survival charts come from the bounded rows read back (the sample and the highest-risk): their captions
    // say how many of the split's rows, in both the curves' and the calibration's section.
    const report = readFileSync(join(dir, "m", "report.html"), "utf8");
    const said = [
      ...report.matchAll(/Drawn from (\d+) of the test split&#39;s 800 rows: a stratified sample by the event/g),
    ];
    expect(said).toHaveLength(2);
    const used = Number(said[0]![1]);
    expect(used).toBeGreaterThanOrEqual(300);
    expect(used).toBeLessThanOrEqual(305);
    expect(Number(said[1]![1])).toBe(used);
  }, 60_000);

  it("says nothing of a sample when the charts read every row of the split", async () => {
    const dir = tmp();
    const data = writeSurvivalCsv(join(dir, "surv.csv"), survivalRows(1_000, 8));
    const kit = new ChurnKit({
      data: { path: data, target: "churn", duration: "months" },
      model: { family: "cox" },
      evaluation: { permutation_repeats: 0 },
    });
    await runPipeline(kit, join(dir, "m"));
    const report = readFileSync(join(dir, "m", "report.html"), "utf8");
    expect(report).toContain("Survival curves");
    expect(report).not.toContain("Drawn from");
  }, 60_000);
});

describe("auto on the survival task", () => {
  it("cross-validates each family with its survival settings, ranked by C-index", async () => {
    const out = join(tmp(), "m");
    const { metrics } = await train({
      out,
      model: "auto",
      target: "churn",
      duration: "months",
      data: survivalRows(1_500, 5),
      config: {
        search: { families: ["cox", "gbdt", "logreg"], candidates: 1 },
        split: { folds: 3 },
        evaluation: { permutation_repeats: 0 },
      },
    });
    const lb = metrics.leaderboard!;
    expect(lb.rows.map((r) => r.family).sort()).toEqual(["cox", "gbdt"]);
    for (const r of lb.rows) expect(r.metric).toBe("c_index");
    const gbdt = lb.rows.find((r) => r.family === "gbdt")!;
    // gbdt's survival settings (its taskParams), not its classification defaults; a candidate's own draws on top.
    expect(gbdt.params).toMatchObject({ max_iter: 300, max_depth: 3, early_stopping: false });
    expect(gbdt.auc_mean).toBeGreaterThan(0.6);
    expect(lb.choice!.reason).toContain("C-index");
    // The report and run's text name the C-index, without the log loss and PR AUC a survival search has not.
    const report = readFileSync(join(out, "report.html"), "utf8");
    expect(report).toContain("within one standard error of the best mean C-index");
    expect(report).not.toContain("NaN");
    const text = formatLeaderboard(lb);
    expect(text.split("\n")[0]).toMatch(/^family +C-index +fit s$/);
    expect(text).not.toContain("NaN");
  }, 180_000);
});

describe("drift of a survival model", () => {
  it("checks the duration column against its training distribution, in a table and in a request log", async () => {
    const dir = tmp();
    const out = join(dir, "m");
    const rows = survivalRows(3_000, 6);
    await train({ ...COX, data: rows, config: { evaluation: { permutation_repeats: 0 } }, out });
    const model = await loadModel(out);
    expect(model.artifact.reference_stats.months!.type).toBe("numeric");
    const csv = (rs: Record<string, unknown>[]) =>
      ["x,noise,plan,months,churn", ...rs.map((r) => [r.x, r.noise, r.plan, r.months, r.churn].join(","))].join("\n");
    const same = join(dir, "same.csv");
    writeFileSync(same, csv(survivalRows(3_000, 7)) + "\n");
    const ok = await checkDrift(model, same);
    const months = ok.columns.find((c) => c.column === "months")!;
    expect(months.drifted).toBe(false);
    expect(months.value).toBeLessThan(0.05);
    // Customers two years further in: the duration drifts (and the score with it), the other inputs do not.
    const later = join(dir, "later.csv");
    writeFileSync(later, csv(survivalRows(3_000, 7).map((r) => ({ ...r, months: Number(r.months) + 24 }))) + "\n");
    const moved = await checkDrift(model, later);
    expect(moved.drifted_columns).toEqual(["months"]);
    // A request log of serve --log-requests: the rows carry the duration, which the scores need.
    const log = join(dir, "requests.jsonl");
    writeFileSync(
      log,
      survivalRows(500, 8)
        .map((r) => JSON.stringify({ time: "2026-12-02T00:00:00Z", row: r, churn_probability: 0.5 }))
        .join("\n") + "\n",
    );
    const fromLog = await checkDrift(model, log);
    expect(fromLog.columns.map((c) => c.column)).toEqual([...model.artifact.inputs.map((c) => c.name), "months"]);
  }, 60_000);
});

describe("delayed labels and survival predictions", () => {
  it("refuses a survival model's predictions file in one line saying what to do", async () => {
    const dir = tmp();
    const preds = join(dir, "scores.csv");
    writeFileSync(preds, "id,churn_probability,churn_prediction,churn_within_3,expected_remaining\na,0.1,0,0.1,20\n");
    const labels = join(dir, "labels.csv");
    writeFileSync(labels, "id,churn\na,Yes\n");
    const e = await errorOf(() => joinLabels({ predictions: preds, labels }));
    expect(e.message).toBe(
      `${preds}: holds a survival model's predictions (churn_within_3, expected_remaining); --predictions/--labels is for classification models: add the later labels and durations to the scored table and run churnkit evaluate --model DIR --data FILE`,
    );
  });
});
