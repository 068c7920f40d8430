/**
 * The SQL export of models trained on the Telco reference split scores the 1409 test rows like `churnkit predict`
 * (to 1e-9, same decisions), in DuckDB and in PostgreSQL: every family (gbdt with native categorical splits),
 * calibration, derived features.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { readArtifact } from "../../src/artifact/artifact.js";
import { formats } from "../../src/export/formats.js";
import { tmp } from "../helpers.js";
import { compare, PG_URL, runPostgres, scoreDuckDB, scorePostgres, type InputTable } from "./engines.js";
import { inputOf, loadTable, telcoSplit, trainTelco } from "./telco.js";

let split: { train: string; test: string };
beforeAll(() => {
  split = telcoSplit();
});

const DERIVED = {
  derived: {
    charge_ratio: "TotalCharges / tenure - MonthlyCharges",
    contract_kind: "CASE WHEN Contract = 'Month-to-month' THEN 'short' ELSE 'long' END",
    fiber_senior: "SeniorCitizen = 1 AND InternetService = 'Fiber optic'",
    log_charges: "ln(MonthlyCharges + 1)",
  },
};

const CASES: [string, string, Record<string, unknown>, Record<string, unknown>][] = [
  ["logreg", "logreg", {}, {}],
  ["tree", "tree", {}, {}],
  ["forest", "forest", {}, {}],
  ["gbdt", "gbdt", {}, {}],
  ["logreg, Platt-calibrated, with derived features", "logreg", { calibration: "platt" }, DERIVED],
  ["tree, Platt-calibrated (log-odds of a clipped probability)", "tree", { calibration: "platt" }, {}],
  ["gbdt, isotonic-calibrated, with derived features", "gbdt", { calibration: "isotonic" }, DERIVED],
];

describe.each(CASES)("SQL export of a Telco %s model", (_label, family, model, features) => {
  let sql: string;
  let input: InputTable;
  let want: { id: string; probability: number; prediction: boolean }[];
  beforeAll(async () => {
    const dir = join(tmp(), "model");
    const m = await trainTelco(split.train, family, dir, model, features);
    const a = readArtifact(dir);
    if (family === "gbdt") {
      // Native categorical splits are part of what is exported.
      const trees = (a.model.state as { trees: { catLeft: (number[] | null)[] }[] }).trees;
      expect(trees.some((t) => t.catLeft.some((c) => c !== null))).toBe(true);
    }
    await formats.sql!.prepare!(a);
    sql = formats.sql!.write(a) as string;
    const raw = await loadTable(split.test);
    input = inputOf(m, raw);
    want = (await m.predict(raw)).map((p) => ({
      id: p.customerID as string,
      probability: p.churn_probability,
      prediction: p.churn_prediction,
    }));
  }, 180_000);

  it("DuckDB: every test row, probabilities to 1e-9, the same decisions", { timeout: 120_000 }, async () => {
    const r = compare(await scoreDuckDB(sql, input, "customerID"), want);
    expect(r).toMatchObject({ rows: 1409, missingIds: 0, decisionsDiffer: 0 });
    expect(r.worst).toBeLessThan(1e-9);
  });

  it.runIf(runPostgres)(
    "PostgreSQL: the same file, every test row, to 1e-9, the same decisions",
    () => {
      expect(PG_URL, "CI runs the PostgreSQL tests: set CHURNKIT_PG_URL (.ci/run starts a server)").toBeDefined();
      const r = compare(scorePostgres(sql, input), want);
      expect(r).toMatchObject({ rows: 1409, missingIds: 0, decisionsDiffer: 0 });
      expect(r.worst).toBeLessThan(1e-9);
    },
    240_000,
  );
});
