/**
 * The survival task through the CLI with the `cox` family, on the scikit-learn reference split of the bundled Telco
 * data (tests/fixtures/telco-test-ids.json): train --duration, evaluate --json, predict (CSV and JSON lines),
 * explain, init's suggestion, and the usage errors. Needs `npm run build`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../cli-run.js";
import { telcoLines, telcoSplit, tmp } from "../helpers.js";

/** A CSV line split on commas (the Telco file quotes nothing). */
const cells = (l: string) => l.split(",");

describe("churnkit train --duration --model cox", () => {
  const dir = tmp();
  const split = telcoSplit(dir);
  const model = join(dir, "cox");
  let trained: { status: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    trained = await runCli(
      ["train", "--data", split.train, "--target", "Churn", "--duration", "tenure", "--model", "cox", "--out", model],
      { level: "warn", timeoutMs: 120_000 },
    );
  }, 130_000);

  it("trains, warning about the column that is a function of the duration", () => {
    expect(trained.status).toBe(0);
    expect(trained.stdout).toMatch(/^survival model \(cox\) written to .*; validation C-index 0\.\d{4}\n$/);
    expect(trained.stderr).toContain('column "TotalCharges" looks like a function of the duration column "tenure"');
    const a = JSON.parse(readFileSync(join(model, "model.json"), "utf8"));
    expect(a.survival.horizons).toEqual([3, 6, 12]);
    expect(a.survival.baseline.max_time).toBe(72);
  });

  it("evaluate --json on the test split: C-index, time-dependent AUC per horizon, integrated Brier score", async () => {
    const r = await runCli(["evaluate", "--model", model, "--data", split.test, "--json"], { timeoutMs: 60_000 });
    expect(r.status).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m.rows).toBe(1409);
    expect(m.td_auc.map((x: { horizon: number }) => x.horizon)).toEqual([3, 6, 12]);
    expect(m.c_index).toBeGreaterThan(0.86);
    for (const x of m.td_auc) expect(x.auc).toBeGreaterThan(0.85);
    expect(m.integrated_brier).toBeGreaterThan(0);
    expect(m.integrated_brier).toBeLessThan(0.15);
  }, 70_000);

  it("predict writes churn_within_3/6/12 (in [0, 1], non-decreasing) and expected_remaining for every row, in order", async () => {
    const out = join(dir, "scores.csv");
    const r = await runCli(["predict", "--model", model, "--data", split.test, "--out", out], { timeoutMs: 60_000 });
    expect(r.status).toBe(0);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe(
      "customerID,churn_probability,churn_prediction,churn_within_3,churn_within_6,churn_within_12,expected_remaining",
    );
    const input = readFileSync(split.test, "utf8").trimEnd().split("\n").slice(1);
    expect(lines).toHaveLength(input.length + 1);
    lines.slice(1).forEach((l, i) => {
      const [id, p, , w3, w6, w12, rem] = cells(l);
      expect(id).toBe(cells(input[i]!)[0]);
      const [a, b, c] = [Number(w3), Number(w6), Number(w12)];
      expect(a).toBeGreaterThanOrEqual(0);
      expect(b).toBeGreaterThanOrEqual(a);
      expect(c).toBeGreaterThanOrEqual(b);
      expect(c).toBeLessThanOrEqual(1);
      expect(Number(p)).toBe(a);
      const tenure = Number(cells(input[i]!)[5]);
      expect(Number(rem)).toBeGreaterThanOrEqual(0);
      expect(Number(rem)).toBeLessThanOrEqual(Math.max(0, 72 - tenure) + 1e-9);
    });
    // JSON lines: the same values.
    const jl = join(dir, "scores.jsonl");
    expect((await runCli(["predict", "--model", model, "--data", split.test, "--out", jl])).status).toBe(0);
    const first = JSON.parse(readFileSync(jl, "utf8").split("\n")[0]!);
    const [, , , w3, w6, w12, rem] = cells(lines[1]!);
    expect(first).toMatchObject({
      churn_within_3: Number(w3),
      churn_within_6: Number(w6),
      churn_within_12: Number(w12),
    });
    expect(first.expected_remaining).toBe(Number(rem));
  }, 130_000);

  it("evaluate: a row without a duration is exit 2 naming it; delayed labels are refused in one line", async () => {
    const { header, lines } = telcoLines();
    const bad = lines.slice(0, 30);
    const c = cells(bad[11]!);
    c[cells(header).indexOf("tenure")] = "";
    bad[11] = c.join(",");
    const file = join(dir, "no-tenure.csv");
    writeFileSync(file, [header, ...bad].join("\n") + "\n");
    const r = await runCli(["evaluate", "--model", model, "--data", file, "--json"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(/no-tenure\.csv: row 12: duration column "tenure" is missing; evaluation needs/);
    // Delayed labels: the predictions of a survival model are measured with durations, by evaluate --data.
    const scores = join(dir, "delayed.csv");
    expect((await runCli(["predict", "--model", model, "--data", file, "--out", scores])).status).toBe(2);
    const ok = join(dir, "first.csv");
    writeFileSync(ok, [header, ...lines.slice(0, 30)].join("\n") + "\n");
    expect((await runCli(["predict", "--model", model, "--data", ok, "--out", scores])).status).toBe(0);
    const labels = join(dir, "labels.csv");
    writeFileSync(
      labels,
      ["customerID,Churn", ...lines.slice(0, 30).map((l) => `${cells(l)[0]},${cells(l).at(-1)}`)].join("\n") + "\n",
    );
    for (const extra of [["--model", model], []]) {
      const d = await runCli(["evaluate", "--predictions", scores, "--labels", labels, ...extra]);
      expect(d.status).toBe(2);
      expect(d.stderr.trim().split("\n")).toHaveLength(1);
      expect(d.stderr).toContain(
        "--predictions/--labels is for classification models: add the later labels and durations to the scored table and run churnkit evaluate --model DIR --data FILE",
      );
    }
  }, 60_000);

  it("explain: contributions per input column (the duration is none), the text in hazard", async () => {
    const r = await runCli(["explain", "--model", model, "--data", split.test, "--rows", "0,1,2", "--json"]);
    expect(r.status).toBe(0);
    const ex = JSON.parse(r.stdout) as { base_value: number; contributions: Record<string, number> }[];
    expect(ex).toHaveLength(3);
    const a = JSON.parse(readFileSync(join(model, "model.json"), "utf8"));
    expect(a.model.family).toBe("cox");
    for (const e of ex) expect(Object.keys(e.contributions)).not.toContain("tenure");
    const text = await runCli(["explain", "--model", model, "--data", split.test, "--rows", "0"]);
    expect(text.stdout).toMatch(/^row 0 \(customerID [^)]+\): chance of leaving within 3 \(tenure\) \d+\.\d%/);
    expect(text.stdout).toMatch(/(raises|lowers) churn hazard [×÷]\d/);
  }, 60_000);

  it("a family that cannot fit the survival task is exit 2, naming the families that can", async () => {
    const r = await runCli([
      "train",
      "--data",
      split.train,
      "--target",
      "Churn",
      "--duration",
      "tenure",
      "--model",
      "logreg",
      "--out",
      join(dir, "x"),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      /model family "logreg" cannot fit the survival task .*\(asked for by the duration column "tenure"\); families that can: gbdt, cox, or auto$/m,
    );
  }, 60_000);

  it("bad horizons are a usage error naming the flag", async () => {
    const r = await runCli([
      "train",
      "--data",
      split.train,
      "--duration",
      "tenure",
      "--horizons",
      "3,-1",
      "--out",
      join(dir, "y"),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--horizons must be positive numbers separated by commas");
  });

  it("init proposes tenure as the duration, commented", async () => {
    const out = join(dir, "churn.yaml");
    const r = await runCli(["init", "--data", split.train, "--out", out]);
    expect(r.status).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text).toContain("  # duration: tenure   # looks like one");
    expect(text).toContain("survival:\n");
  });
});
