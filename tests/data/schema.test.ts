import { beforeAll, describe, expect, it } from "vitest";
import { loadTable, type RawTable } from "../../src/data/load.js";
import {
  featureColumns,
  guessTarget,
  idColumns,
  inferSchema,
  type ColumnSchema,
  type Schema,
} from "../../src/data/schema.js";
import { typeColumn } from "../../src/data/typed.js";
import { UserError } from "../../src/utils/errors.js";
import { errorOf, raw, TELCO } from "../helpers.js";

const col = (s: Schema, name: string): ColumnSchema => s.columns.find((c) => c.name === name)!;
const range = (n: number, f: (i: number) => string | null): (string | null)[] =>
  Array.from({ length: n }, (_, i) => f(i));

describe("schema inference on the Telco data", () => {
  let t: RawTable;
  let s: Schema;
  beforeAll(async () => {
    t = await loadTable(TELCO);
    s = inferSchema(t, { target: "Churn" });
  });

  it("TotalCharges (blank strings for new customers) is numeric with missing values", () => {
    const blanks = t.data.TotalCharges!.filter((v) => typeof v === "string" && v.trim() === "").length;
    expect(blanks).toBe(11);
    expect(col(s, "TotalCharges")).toMatchObject({ type: "numeric", role: "feature", nullable: true });
    const typed = typeColumn(t, { name: "TotalCharges", type: "numeric" }).values as Float64Array;
    expect(typed.filter(Number.isNaN).length).toBe(11);
    expect(typed[0]).toBe(29.85);
  });

  it("customerID is an identifier, Churn the target", () => {
    expect(col(s, "customerID")).toMatchObject({
      type: "categorical",
      role: "identifier",
      note: "unique per row",
      distinct: 7043,
    });
    expect(col(s, "Churn")).toMatchObject({ role: "target", type: "boolean" });
    expect(idColumns(s).map((c) => c.name)).toEqual(["customerID"]);
  });

  it("types of the other columns", () => {
    expect(col(s, "tenure")).toMatchObject({ type: "numeric", role: "feature", nullable: false });
    expect(col(s, "MonthlyCharges").type).toBe("numeric");
    expect(col(s, "SeniorCitizen").type).toBe("numeric");
    for (const c of ["Partner", "Dependents", "PhoneService", "PaperlessBilling"])
      expect(col(s, c)).toMatchObject({ type: "boolean", distinct: 2 });
    for (const c of ["gender", "Contract", "PaymentMethod", "InternetService", "MultipleLines"])
      expect(col(s, c).type).toBe("categorical");
    expect(col(s, "Contract").distinct).toBe(3);
    expect(featureColumns(s)).toHaveLength(19);
  });

  it("guessTarget finds Churn", () => {
    expect(guessTarget(inferSchema(t))).toBe("Churn");
  });
});

describe("schema inference rules", () => {
  const n = 30;

  it("an integer unique-per-row column named like an id is an identifier; tenure is not", () => {
    const t = raw({
      CustomerId: range(n, (i) => String(1000 + i)),
      row_number: range(n, (i) => String(i)),
      tenure: range(n, (i) => String(i + 1)),
      y: range(n, (i) => (i % 2 ? "Yes" : "No")),
    });
    const s = inferSchema(t, { target: "y" });
    expect(col(s, "CustomerId")).toMatchObject({ type: "numeric", role: "identifier" });
    expect(col(s, "row_number")).toMatchObject({ type: "numeric", role: "identifier" });
    expect(col(s, "tenure")).toMatchObject({ type: "numeric", role: "feature" });
  });

  it("a mostly numeric column with a few other values is categorical, with a warning naming the first (never silently)", () => {
    for (const other of ["$12", "1_000", "12%", "\u0661\u0662\u0663", "\uff11\uff12"]) {
      const x: (string | null)[] = Array.from({ length: 50 }, (_, i) => String(i * 1.5));
      x[30] = other;
      x[40] = "";
      const warned: string[] = [];
      const log = { warn: (m: string) => warned.push(m), info: () => {} } as never;
      expect(inferSchema(raw({ x }), { log }).columns[0]).toMatchObject({ type: "categorical" });
      expect(warned).toEqual([
        `column "x": 48 of 49 values are numbers, but row 31 has ${JSON.stringify(other)}, so it is read as categorical; fix such values (or leave them empty for missing), or declare the column in data.types`,
      ]);
    }
    // A text column with a few numbers is categorical without a warning.
    const warned: string[] = [];
    const log = { warn: (m: string) => warned.push(m), info: () => {} } as never;
    const plan = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? String(i) : `plan ${i % 4}`));
    expect(inferSchema(raw({ plan }), { log }).columns[0]).toMatchObject({ type: "categorical" });
    expect(warned).toEqual([]);
  });

  it("a unique text column is an identifier only with 20 rows or more", () => {
    const big = inferSchema(raw({ code: range(20, (i) => `c${i}`) }));
    expect(col(big, "code").role).toBe("identifier");
    const small = inferSchema(raw({ code: range(19, (i) => `c${i}`) }));
    expect(col(small, "code").role).toBe("feature");
  });

  describe("the identifier value rule (issue 14: CLIENTNUM)", () => {
    // 200 customers, 9-digit numbers in shuffled order (no relation to churn), one in four churns.
    const rows = 200;
    const perm = Array.from({ length: rows }, (_, i) => (i * 37) % rows); // a permutation of 0..199
    const churn = range(rows, (i) => (i % 4 === 0 ? "Attrited" : "Existing"));
    const logged = (t: RawTable, opts = {}) => {
      const info: string[] = [];
      const log = { info: (m: string) => info.push(m), warn: () => {} } as never;
      return { s: inferSchema(t, { target: "Attrition", positive: "Attrited", log, ...opts }), info };
    };

    it("a 9-digit integer unique per row, with no order relation to the target, is an identifier whatever its name", () => {
      const t = raw({
        CLIENTNUM: range(rows, (i) => String(708082083 + 1013 * perm[i]!)),
        Total_Trans_Amt: range(rows, (i) => String(1000 + 7 * i)),
        Attrition: churn,
      });
      const { s, info } = logged(t);
      expect(col(s, "CLIENTNUM")).toMatchObject({
        type: "numeric",
        role: "identifier",
        note: "integer unique per row with at least 6 digits",
      });
      expect(info).toEqual([
        `column "CLIENTNUM" is an identifier (value rule: integers unique per row, each of at least 6 digits, and the churn rate is flat along their order, Cramér's V 0.000), not a feature; declare it in data.types (numeric) if it is a quantity`,
      ]);
      // Unique integers of fewer than 6 digits (1000 + 7i) and no id-like name stay features.
      expect(col(s, "Total_Trans_Amt").role).toBe("feature");
    });

    it("the name rule and the value rule are told apart in the log", () => {
      const t = raw({
        customer_id: range(rows, (i) => String(1 + i)),
        CLIENTNUM: range(rows, (i) => String(100000 + perm[i]!)),
        Attrition: churn,
      });
      const { s, info } = logged(t);
      expect(idColumns(s).map((c) => c.name)).toEqual(["customer_id", "CLIENTNUM"]);
      expect(info[0]).toBe(
        'column "customer_id" is an identifier (name rule: integers unique per row with an id-like name), not a feature',
      );
      expect(info[1]).toMatch(/^column "CLIENTNUM" is an identifier \(value rule: /);
    });

    it("unique large integers whose order relates to the target stay features, and the log says why", () => {
      // Customer numbers given in signup order: the newest quarter churns (a real relation).
      const t = raw({
        account: range(rows, (i) => String(500000 + 3 * i)),
        Attrition: range(rows, (i) => (i >= 150 ? "Attrited" : "Existing")),
      });
      const { s, info } = logged(t);
      expect(col(s, "account").role).toBe("feature");
      expect(info).toEqual([
        `column "account" holds integers unique per row of at least 6 digits like an identifier, but the churn rate changes along their order (Cramér's V 0.931): kept as a feature; list it in data.id_columns if it is an identifier`,
      ]);
    });

    it("decimals unique per row (a total charge) stay features; a declared type keeps a feature; no target: digits decide", () => {
      const t = raw({
        Total_Charge: range(rows, (i) => `${123456 + perm[i]!}.25`),
        big: range(rows, (i) => String(123456 + perm[i]!)),
        Attrition: churn,
      });
      expect(col(logged(t).s, "Total_Charge").role).toBe("feature");
      expect(col(logged(t, { types: { big: "numeric" } }).s, "big").role).toBe("feature");
      const none = logged(t, { target: undefined, positive: undefined });
      expect(col(none.s, "big").role).toBe("identifier");
      expect(none.info).toEqual([
        'column "big" is an identifier (value rule: integers unique per row, each of at least 6 digits, no target to relate them to), not a feature; declare it in data.types (numeric) if it is a quantity',
      ]);
      // One value of 5 digits is enough to leave the rule.
      const short = raw({ big: range(rows, (i) => String(i === 7 ? 99999 : 123456 + perm[i]!)), Attrition: churn });
      expect(col(logged(short).s, "big").role).toBe("feature");
    });
  });

  it("a unique non-integer number is a feature even with an id-like name", () => {
    const s = inferSchema(raw({ score_id: range(n, (i) => `${i}.5`) }));
    expect(col(s, "score_id").role).toBe("feature");
  });

  it("Yes/No, true/false, Y/N (any case, missing allowed) are boolean; 0/1 is numeric", () => {
    const s = inferSchema(
      raw({
        a: ["Yes", "no", "YES", null],
        b: ["true", "False", "TRUE", "false"],
        c: ["Y", "n", "y", "N"],
        d: ["1", "0", "1", "0"],
        e: ["Yes", "No", "Maybe", "No"],
      }),
    );
    expect(col(s, "a")).toMatchObject({ type: "boolean", nullable: true, distinct: 3 });
    expect(col(s, "b").type).toBe("boolean");
    expect(col(s, "c").type).toBe("boolean");
    expect(col(s, "d").type).toBe("numeric");
    expect(col(s, "e").type).toBe("categorical");
  });

  it("missing tokens (NA, null, N/A, blanks) do not make a number column text", () => {
    const s = inferSchema(raw({ x: ["1.5", "NA", " ", "null", "N/A", "-2e3"] }));
    expect(col(s, "x")).toMatchObject({ type: "numeric", nullable: true, distinct: 2 });
  });

  it("forced types, dropped and declared identifier columns", () => {
    const t = raw({
      zip: ["10001", "94105", "10001", "60601"],
      plan: ["a", "b", "a", "b"],
      note: ["x", "y", "z", "w"],
      acct: ["1", "2", "3", "4"],
    });
    const s = inferSchema(t, { types: { zip: "categorical" }, drop: ["note"], ids: ["acct"] });
    expect(col(s, "zip")).toMatchObject({ type: "categorical", role: "feature" });
    expect(col(s, "note")).toMatchObject({ role: "ignored", note: "dropped by configuration" });
    expect(col(s, "acct")).toMatchObject({ role: "identifier", note: "declared identifier" });
    expect(featureColumns(s).map((c) => c.name)).toEqual(["zip", "plan"]);
  });

  it("an all-missing column is ignored", () => {
    const s = inferSchema(raw({ x: ["1", "2", "3"], empty: [null, "", "NA"] }));
    expect(col(s, "empty")).toMatchObject({ role: "ignored", note: "all values missing", nullable: true, distinct: 0 });
    expect(featureColumns(s).map((c) => c.name)).toEqual(["x"]);
  });

  it("a configured column that is not in the file is a UserError naming it and the file", async () => {
    const t = raw({ x: ["1"] }, "data.csv");
    const e = await errorOf(() => inferSchema(t, { drop: ["nope"] }));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe('data.csv: column "nope" named in the configuration is not in the file; columns are: x');
    expect((await errorOf(() => inferSchema(t, { target: "Churn" }))).message).toBe(
      'data.csv: target column "Churn" not found; columns are: x',
    );
  });

  it("guessTarget prefers churn-like names with two values and gives up otherwise", () => {
    const s = inferSchema(raw({ Exited: ["1", "0", "1"], Churned: ["Yes", "No", "No"], label: ["a", "b", "c"] }));
    expect(guessTarget(s)).toBe("Churned");
    expect(guessTarget(inferSchema(raw({ Exited: ["1", "0", "1"] })))).toBe("Exited");
    expect(guessTarget(inferSchema(raw({ x: ["1", "0"], y2: ["a", "b"] })))).toBeUndefined();
  });
});
