/**
 * Derived features are one allow-listed row-wise expression (parsed by DuckDB, walked), and the
 * DuckDB that evaluates them is sandboxed on its own: no file, network or extension access.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { addDerived, checkDerived } from "../../src/features/derived.js";
import { parseDerived } from "../../src/features/expression.js";
import { withSandbox } from "../../src/features/sandbox.js";
import { ChurnModel } from "../../src/artifact/churn-model.js";
import { createServer } from "../../src/serve/server.js";
import { UserError } from "../../src/utils/errors.js";
import { errorOf, telcoLines, tmp, typed, write } from "../helpers.js";
import { ATTACKS } from "./attacks.js";

const base = () =>
  typed({
    tenure: [0, 5, 24, null],
    MonthlyCharges: [20, 50, 80, 30],
    Contract: ["Month-to-month", "One year", null, "TWO YEAR"],
  });

const configMsg = (name: string, uses: string) =>
  `features.derived.${name}: uses ${uses}, which is not allowed; use a row-wise expression over input columns`;
const modelMsg = (file: string, name: string, uses: string) =>
  `${file}: derived feature "${name}" uses ${uses}, which is not allowed; retrain without it`;

describe("derived features: the allow-list", () => {
  it.each(ATTACKS)("$label is refused at training, naming the config key", async ({ sql, uses }) => {
    const e = await errorOf(() => addDerived(base(), [{ name: "avg", sql }]));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(configMsg("avg", uses));
  });

  it.each(ATTACKS)("$label is refused from a model file, naming the file", async ({ sql, uses }) => {
    const e = await errorOf(() => addDerived(base(), [{ name: "avg", sql, type: "numeric" }], { model: "model.json" }));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(modelMsg("model.json", "avg", uses));
  });

  it.each(ATTACKS)("$label is refused by a config check before any data, naming the file", async ({ sql, uses }) => {
    const e = await errorOf(() => checkDerived([{ name: "avg", sql }], { config: "churn.yaml" }));
    expect(e.message).toBe(`churn.yaml: ${configMsg("avg", uses)}`);
  });

  const more: [string, string][] = [
    ["uuid()", "uuid"],
    ["gen_random_uuid()", "gen_random_uuid"],
    ["setseed(0.5)", "setseed"],
    ["current_date", "current_date"],
    ["year(current_timestamp)", "current_timestamp"],
    ["today()", "today"],
    ["getvariable('x')", "getvariable"],
    ["count(*)", "count"],
    ["sum(tenure) FILTER (WHERE tenure > 1)", "sum"],
    ["row_number() OVER (ORDER BY tenure)", "the window function row_number"],
    ["tenure IN (SELECT 1)", "a subquery"],
    ["EXISTS (SELECT 1)", "a subquery"],
    ["tenure IN (MonthlyCharges, 2)", "IN with a list that is not constants"],
    ["read_text('/etc/passwd')", "read_text"],
    ["1) AS v FROM read_text('/etc/passwd') --", "SQL clauses around the expression"],
    ["1) AS v FROM ck_input WHERE tenure > (SELECT 1) ORDER BY __row --", "SQL clauses around the expression"],
    [
      "1) AS v FROM ck_input UNION ALL SELECT 2 AS v FROM ck_input ORDER BY __row --",
      "SQL clauses around the expression",
    ],
    ["1), (2", "more than one expression"],
    ["1) AS v FROM ck_input ORDER BY __row; SELECT (1", "more than one SQL statement"],
    ["CAST(tenure AS TIMESTAMPTZ)", "CAST to TIMESTAMP WITH TIME ZONE"],
    ["repeat('x', 1000000000)", "repeat"],
    ["[tenure, 1]", "list_value"],
    ["list_transform([1], x -> x + 1)", "list_transform"],
    ["$1", "a parameter expression"],
    ["ck_input.tenure", "ck_input.tenure"],
    ["evil.abs(tenure)", "evil.abs"],
  ];
  it.each(more)("%s is refused as using %s", async (sql, uses) => {
    const e = await errorOf(() => addDerived(base(), [{ name: "f", sql }]));
    expect(e.message).toBe(configMsg("f", uses));
  });

  it("a column that is not an input (the row number, a missing one) is refused, naming it", async () => {
    const e = await errorOf(() => addDerived(base(), [{ name: "f", sql: "__row * 2" }]));
    expect(e.message).toBe(
      'features.derived.f: uses column "__row", which is not a feature column of the input; check the spelling (the target and id columns cannot be used)',
    );
    const m = await errorOf(() =>
      addDerived(base(), [{ name: "f", sql: "Churn = 'Yes'", type: "boolean" }], { model: "m/model.json" }),
    );
    expect(m.message).toBe(
      'm/model.json: derived feature "f" uses column "Churn", which is not an input of the model; retrain the model',
    );
  });

  it("a name or SQL with line breaks from a model file still gives one line", async () => {
    const e = await errorOf(() =>
      addDerived(base(), [{ name: "a\nb", sql: '"x\ny"(tenure)', type: "numeric" }], { model: "model.json" }),
    );
    expect(e.message).toBe('model.json: derived feature "a\\nb" uses x y, which is not allowed; retrain without it');
  });

  it("the parse reports the columns used, case as written", async () => {
    const p = await withSandbox((con) => parseDerived(con, 'MonthlyCharges / NULLIF("tenure", 0) + length(contract)'));
    expect(p.ok && p.columns).toEqual(["MonthlyCharges", "tenure", "contract"]);
  });

  it("legitimate expressions still work, with exact values", async () => {
    const { table, derived } = await addDerived(base(), [
      { name: "band", sql: "CASE WHEN tenure < 12 THEN 'new' ELSE 'old' END" },
      { name: "per_month", sql: "MonthlyCharges / NULLIF(tenure, 0)" },
      { name: "contract_lower", sql: "lower(Contract)" },
      { name: "long", sql: "tenure BETWEEN 12 AND 36 AND Contract IN ('One year', 'Two year') IS NOT TRUE" },
      {
        name: "mix",
        sql: "round(greatest(coalesce(tenure, 0), 1) * 1.5, 1) + CAST(starts_with(Contract, 'One') AS INTEGER)",
      },
      {
        name: "months",
        sql: "date_diff('month', DATE '2020-01-01', DATE '2020-01-01' + to_days(CAST(coalesce(tenure, 0) AS INTEGER)))",
      },
    ]);
    expect(derived.map((d) => [d.name, d.type])).toEqual([
      ["band", "categorical"],
      ["per_month", "numeric"],
      ["contract_lower", "categorical"],
      ["long", "boolean"],
      ["mix", "numeric"],
      ["months", "numeric"],
    ]);
    expect(table.columns.get("band")!.values).toEqual(["new", "new", "old", "old"]);
    expect(Array.from(table.columns.get("per_month")!.values as Float64Array)).toEqual([NaN, 10, 80 / 24, NaN]);
    expect(table.columns.get("contract_lower")!.values).toEqual(["month-to-month", "one year", null, "two year"]);
    expect(Array.from(table.columns.get("mix")!.values as Float64Array)).toEqual([1.5, 8.5, NaN, 1.5]);
    expect(Array.from(table.columns.get("months")!.values as Float64Array)).toEqual([0, 0, 0, 0]);
  });

  it("a row-wise feature scores a row the same alone and among others", async () => {
    const sql = "MonthlyCharges / NULLIF(tenure, 0)";
    const all = await addDerived(base(), [{ name: "r", sql }]);
    const one = await addDerived(typed({ tenure: [24], MonthlyCharges: [80], Contract: ["x"] }), [{ name: "r", sql }]);
    expect((one.table.columns.get("r")!.values as Float64Array)[0]).toBe(
      (all.table.columns.get("r")!.values as Float64Array)[2],
    );
  });

  it("concurrent evaluations do not see each other's rows", async () => {
    const runs = await Promise.all(
      [1, 2, 3, 4].map((k) =>
        addDerived(typed({ x: Array.from({ length: 500 }, (_, i) => i * k) }), [{ name: "y", sql: "x + 1" }]),
      ),
    );
    runs.forEach((r, j) => {
      const y = r.table.columns.get("y")!.values as Float64Array;
      expect(y.length).toBe(500);
      expect(y[499]).toBe(499 * (j + 1) + 1);
    });
  });
});

describe("the sandboxed DuckDB (bypassing the checker)", () => {
  const fails = (sql: string) => errorOf(() => withSandbox((con) => con.run(sql)));

  it("cannot read a file", async () => {
    const e = await fails("SELECT * FROM read_text('/etc/hostname')");
    expect(e.message).toMatch(
      /^Permission Error: Cannot access file "\/etc\/hostname" - file system operations are disabled by configuration/,
    );
  });

  it("cannot list files, write a file, attach a database or load an extension", async () => {
    const dir = tmp("churnkit-sandbox-");
    expect((await fails("SELECT * FROM glob('/etc/*')")).message).toMatch(/Permission Error/);
    expect((await fails(`COPY (SELECT 'pwned' AS x) TO '${join(dir, "pwned.csv")}'`)).message).toMatch(
      /Permission Error/,
    );
    expect((await fails(`ATTACH '${join(dir, "x.db")}' AS x`)).message).toMatch(/Permission Error/);
    expect((await fails("LOAD httpfs")).message).toMatch(/Permission Error|disabled/);
    expect((await fails("INSTALL httpfs")).message).toMatch(/Permission Error|disabled/);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, "pwned.csv"))).toBe(false);
  });

  it("cannot turn access back on: the configuration is locked", async () => {
    const e = await fails("SET enable_external_access = true");
    expect(e.message).toMatch(/the configuration has been locked/);
    const r = await withSandbox((con) => con.runAndReadAll("SELECT current_setting('enable_external_access')"));
    expect(r.getRowsJS()).toEqual([[false]]);
  });
});

describe("a model built in code, bypassing loadModel", () => {
  it("the server's first /predict refuses the derived SQL with 400 and leaks nothing", async () => {
    const { header, lines } = telcoLines();
    const data = write(tmp(), "sample.csv", [header, ...lines.slice(0, 300)].join("\n") + "\n");
    const derived = { per_month: "MonthlyCharges / NULLIF(tenure, 0)" };
    const { model } = await train({ data, target: "Churn", model: "logreg", config: { features: { derived } } });
    expect(model.artifact.derived.map((d) => d.name)).toEqual(["per_month"]);
    const sql = "(SELECT content FROM read_text('/etc/hostname'))";
    const crafted = ChurnModel.fromArtifact({
      ...model.artifact,
      derived: [{ name: "per_month", sql, type: "numeric" }],
    });
    const app = createServer(crafted);
    const row = Object.fromEntries(header.split(",").map((c, i) => [c, lines[0]!.split(",")[i]]));
    delete row.Churn;
    const res = await app.inject({ method: "POST", url: "/predict", payload: row });
    await app.close();
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'model.json: derived feature "per_month" uses read_text, which is not allowed; retrain without it',
    });
    const ok = createServer(model);
    expect((await ok.inject({ method: "POST", url: "/predict", payload: row })).statusCode).toBe(200);
    await ok.close();
  }, 60_000);
});
