import { describe, expect, it } from "vitest";
import { addDerived, referencedColumns } from "../../src/features/derived.js";
import { selectFeatures } from "../../src/features/select.js";
import { UserError } from "../../src/utils/errors.js";
import { errorOf, typed } from "../helpers.js";

const base = () =>
  typed(
    {
      tenure: [0, 2, 10, null, 4],
      TotalCharges: [0, 100, 250, 30, null],
      Contract: ["Month-to-month", "One year", null, "Two year", "One year"],
      Partner: [1, 0, 1, 0, null],
    },
    { Partner: "boolean" },
  );

describe("derived features (SQL)", () => {
  it("a ratio with NULLIF gives the right values; division by zero and NULL inputs become NaN", async () => {
    const { table, derived } = await addDerived(base(), [
      { name: "avg_charge", sql: "TotalCharges / NULLIF(tenure, 0)" },
    ]);
    expect(derived).toEqual([{ name: "avg_charge", sql: "TotalCharges / NULLIF(tenure, 0)", type: "numeric" }]);
    const c = table.columns.get("avg_charge")!;
    expect(c.type).toBe("numeric");
    expect(Array.from(c.values as Float64Array)).toEqual([NaN, 50, 25, NaN, NaN]);
    // The input columns are untouched and still there.
    expect(Array.from(table.columns.get("tenure")!.values as Float64Array)).toEqual([0, 2, 10, NaN, 4]);
    expect(table.rows).toBe(5);
  });

  it("a plain division by zero (infinity) also counts as missing", async () => {
    const { table } = await addDerived(base(), [{ name: "r", sql: "TotalCharges / tenure" }]);
    const v = Array.from(table.columns.get("r")!.values as Float64Array);
    expect(v[1]).toBe(50);
    expect(v[0]).toBeNaN();
  });

  it("a CASE expression returning text becomes categorical", async () => {
    const sql = "CASE WHEN tenure >= 4 THEN 'long' WHEN tenure IS NULL THEN NULL ELSE 'short' END";
    const { table, derived } = await addDerived(base(), [{ name: "tenure_band", sql }]);
    expect(derived[0]!.type).toBe("categorical");
    expect(table.columns.get("tenure_band")!.values).toEqual(["short", "short", "long", null, "long"]);
  });

  it("boolean and categorical inputs can be used; a boolean result is typed boolean", async () => {
    const { table, derived } = await addDerived(base(), [
      { name: "monthly_or_partner", sql: "Contract = 'Month-to-month' OR Partner" },
      { name: "is_partner", sql: "Partner" },
    ]);
    expect(derived.map((d) => d.type)).toEqual(["boolean", "boolean"]);
    // SQL three-valued logic: NULL OR true is true, NULL OR false is NULL (missing).
    expect(Array.from(table.columns.get("monthly_or_partner")!.values as Float64Array)).toEqual([1, 0, 1, 0, NaN]);
    expect(Array.from(table.columns.get("is_partner")!.values as Float64Array)).toEqual([1, 0, 1, 0, NaN]);
  });

  it("a stored type is enforced at prediction time", async () => {
    const { table, derived } = await addDerived(base(), [{ name: "t2", sql: "tenure * 2", type: "categorical" }]);
    expect(derived[0]!.type).toBe("categorical");
    expect(table.columns.get("t2")!.values).toEqual(["0", "4", "20", null, "8"]);
  });

  it("features can be evaluated again and give the same values (training = prediction)", async () => {
    const spec = [{ name: "avg_charge", sql: "TotalCharges / NULLIF(tenure, 0)" }];
    const a = await addDerived(base(), spec);
    const b = await addDerived(base(), a.derived);
    expect(b.table.columns.get("avg_charge")!.values).toEqual(a.table.columns.get("avg_charge")!.values);
  });

  it("bad SQL is a UserError naming features.derived.NAME", async () => {
    const e = await errorOf(() => addDerived(base(), [{ name: "oops", sql: "tenure + * 2" }]));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(
      /^features\.derived\.oops: is not a valid SQL expression: "tenure \+ \* 2" \(.*syntax error/,
    );
    expect(e.message).toMatch(/; fix the expression$/);
    expect(e.message).not.toContain("\n");
  });

  it("SQL that parses but DuckDB cannot evaluate is a UserError naming features.derived.NAME", async () => {
    const e = await errorOf(() => addDerived(base(), [{ name: "oops", sql: "abs(Contract)" }]));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(/^features\.derived\.oops: cannot be evaluated by DuckDB: "abs\(Contract\)": /);
    expect(e.message).not.toContain("\n");
  });

  it("an unknown column in the SQL is a UserError naming the feature and the column", async () => {
    const e = await errorOf(() => addDerived(base(), [{ name: "bad_ref", sql: "MonthlyCharges * 2" }]));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(/^features\.derived\.bad_ref: /);
    expect(e.message).toContain("MonthlyCharges");
  });

  it("a name that clashes with an input column is an error", async () => {
    const e = await errorOf(() => addDerived(base(), [{ name: "tenure", sql: "tenure + 1" }]));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      "features.derived.tenure: a column of that name already exists in the input; choose another name",
    );
  });

  it("no features: the table is returned unchanged", async () => {
    const t = base();
    const r = await addDerived(t, []);
    expect(r.table).toBe(t);
    expect(r.derived).toEqual([]);
  });
});

describe("referencedColumns", () => {
  const cols = ["tenure", "TotalCharges", "Monthly Charges", "Contract", "ten"];
  it("finds bare and quoted names in any letter case, whole names only, from DuckDB's parse", async () => {
    expect(await referencedColumns("TotalCharges / NULLIF(tenure, 0)", cols)).toEqual(["tenure", "TotalCharges"]);
    expect(await referencedColumns('"Monthly Charges" * 12', cols)).toEqual(["Monthly Charges"]);
    expect(await referencedColumns("CASE WHEN contract = 'x' THEN 1 ELSE 0 END", cols)).toEqual(["Contract"]);
    expect(await referencedColumns("\"contract\" = 'tenure'", cols)).toEqual(["Contract"]);
    expect(await referencedColumns("tenure_bucket + 1", cols)).toEqual([]);
  });
});

describe("feature selection", () => {
  it("drops constant and mostly-missing columns, with reasons, and keeps the rest in order", () => {
    const n = 20;
    const t = typed({
      good: Array.from({ length: n }, (_, i) => i),
      constant: Array(n).fill(7),
      const_cat: Array(n).fill("x"),
      sparse: Array.from({ length: n }, (_, i) => (i === 0 ? 1 : null)),
      empty: Array(n).fill(null) as null[],
      cat: Array.from({ length: n }, (_, i) => (i % 2 ? "a" : "b")),
      half: Array.from({ length: n }, (_, i) => (i % 2 ? i : null)),
    });
    const candidates = [...t.columns.values()].map((c) => ({ column: c.name, type: c.type }));
    const { kept, dropped } = selectFeatures(t, candidates, { drop_constant: true, max_missing_share: 0.9 });
    expect(kept.map((k) => k.column)).toEqual(["good", "cat", "half"]);
    expect(dropped).toEqual([
      { column: "constant", reason: "constant (one value in training)" },
      { column: "const_cat", reason: "constant (one value in training)" },
      { column: "sparse", reason: "95.0% missing (more than features.max_missing_share 0.9)" },
      { column: "empty", reason: "all values missing" },
    ]);
  });

  it("drop_constant false keeps constant columns", () => {
    const t = typed({ k: [1, 1, 1] });
    const { kept, dropped } = selectFeatures(t, [{ column: "k", type: "numeric" }], {
      drop_constant: false,
      max_missing_share: 0.95,
    });
    expect(kept.map((k) => k.column)).toEqual(["k"]);
    expect(dropped).toEqual([]);
  });
});
