import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { duck } from "../../src/data/duckdb.js";
import { formatOf, loadTable, tableFromRows, takeRows } from "../../src/data/load.js";
import { UserError } from "../../src/utils/errors.js";
import { errorOf, tmp, write } from "../helpers.js";

const CSV =
  "id,tenure,charges,plan,churn\nA1,1,29.85,basic,Yes\nA2,34,1889.5,pro,No\nA3,,108.15,,Yes\nA4,45,0.5,basic,No\n";
const EXPECTED = {
  id: ["A1", "A2", "A3", "A4"],
  tenure: ["1", "34", null, "45"],
  charges: ["29.85", "1889.5", "108.15", "0.5"],
  plan: ["basic", "pro", null, "basic"],
  churn: ["Yes", "No", "Yes", "No"],
};

describe("loadTable", () => {
  let dir: string;
  let csv: string;
  beforeAll(async () => {
    dir = tmp();
    csv = write(dir, "customers.csv", CSV);
    const con = await duck();
    // Typed columns, as a real Parquet/JSON export would have them.
    const select =
      "SELECT * FROM (VALUES ('A1', 1, 29.85::DOUBLE, 'basic', 'Yes'), ('A2', 34, 1889.5, 'pro', 'No'), ('A3', NULL, 108.15, NULL, 'Yes'), ('A4', 45, 0.5, 'basic', 'No')) AS t(id, tenure, charges, plan, churn)";
    await con.run(`COPY (${select}) TO '${join(dir, "customers.parquet")}' (FORMAT parquet)`);
    await con.run(`COPY (${select}) TO '${join(dir, "customers.json")}' (FORMAT json)`);
  });

  it("formatOf picks the format from the extension", () => {
    expect(formatOf("a.csv")).toBe("csv");
    expect(formatOf("a.CSV.gz")).toBe("csv");
    expect(formatOf("a.parquet")).toBe("parquet");
    expect(formatOf("a.pq")).toBe("parquet");
    expect(formatOf("a.json")).toBe("json");
    expect(formatOf("a.jsonl")).toBe("json");
    expect(formatOf("a.txt")).toBe("csv");
  });

  it("CSV: every value as text, empty cells as null, columns in file order", async () => {
    const t = await loadTable(csv);
    expect(t.origin).toBe(csv);
    expect(t.columns).toEqual(["id", "tenure", "charges", "plan", "churn"]);
    expect(t.rows).toBe(4);
    expect(t.data).toEqual(EXPECTED);
  });

  it("Parquet and JSON load the same values as CSV", async () => {
    const a = await loadTable(csv);
    for (const f of ["customers.parquet", "customers.json"]) {
      const t = await loadTable(join(dir, f));
      expect(t.columns).toEqual(a.columns);
      expect(t.rows).toBe(4);
      // Typed Parquet/JSON columns come back as text; numbers print the same as in the CSV.
      expect(t.data.id).toEqual(EXPECTED.id);
      expect(t.data.plan).toEqual(EXPECTED.plan);
      expect(t.data.churn).toEqual(EXPECTED.churn);
      expect(t.data.tenure!.map((v) => (v === null ? null : Number(v)))).toEqual([1, 34, null, 45]);
      expect(t.data.charges!.map(Number)).toEqual([29.85, 1889.5, 108.15, 0.5]);
    }
  });

  it("a missing file is a UserError naming it", async () => {
    const p = join(dir, "nope.csv");
    const e = await errorOf(() => loadTable(p));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(`${p}: file not found; check the path`);
  });

  it("a directory is a UserError naming it", async () => {
    const d = join(dir, "folder.csv");
    mkdirSync(d);
    const e = await errorOf(() => loadTable(d));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toContain(`${d}: is a directory`);
  });

  it("an empty file is a UserError naming it", async () => {
    const p = write(dir, "empty.csv", "");
    const e = await errorOf(() => loadTable(p));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(new RegExp(`^${p}: file is empty`));
  });

  it("a header-only file is a UserError naming it", async () => {
    const p = write(dir, "header.csv", "id,tenure,churn\n");
    const e = await errorOf(() => loadTable(p));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(`${p}: has no data rows; it needs at least one row below the header`);
  });

  it("a CSV whose rows have a different number of fields is a UserError naming file and row", async () => {
    const p = write(dir, "ragged.csv", "a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n");
    const e = await errorOf(() => loadTable(p));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      `${p}: malformed CSV, row 3 has 2 fields but the header has 3; check the row's delimiters and quotes`,
    );
  });

  it("a binary file named .csv is a UserError naming it", async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 256;
    const p = join(dir, "binary.csv");
    write(dir, "binary.csv", bytes as unknown as string);
    const e = await errorOf(() => loadTable(p));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(new RegExp(`^${p}: cannot be read as CSV`));
  });

  it("malformed JSON and a non-Parquet .parquet are UserErrors naming the file", async () => {
    const j = write(dir, "bad.json", '{"a": 1, "b":\n');
    expect((await errorOf(() => loadTable(j))).message).toMatch(new RegExp(`^${j}: cannot be read as JSON`));
    const q = write(dir, "bad.parquet", "not parquet at all");
    expect((await errorOf(() => loadTable(q))).message).toMatch(new RegExp(`^${q}: cannot be read as PARQUET`));
  });

  // root reads any file whatever its mode, so this only means something for other users.
  it.skipIf(process.getuid?.() === 0)("an unreadable file is a UserError naming it", async () => {
    const p = write(dir, "secret.csv", "a,b\n1,2\n");
    chmodSync(p, 0o000);
    const e = await errorOf(() => loadTable(p));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toContain(p);
  });

  it("duplicate column names are a UserError naming the file and the column", async () => {
    const p = write(dir, "dup.csv", "id,tenure,plan,tenure\n1,2,a,3\n");
    const e = await errorOf(() => loadTable(p));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(`${p}: column "tenure" appears twice; rename one of them`);
    const q = write(dir, "dupcase.csv", "Tenure,tenure\n1,2\n");
    expect((await errorOf(() => loadTable(q))).message).toBe(`${q}: column "tenure" appears twice; rename one of them`);
  });

  it("a column legitimately named like a renamed duplicate is accepted", async () => {
    const p = write(dir, "suffix.csv", "a,a_1\n1,2\n");
    const t = await loadTable(p);
    expect(t.columns).toEqual(["a", "a_1"]);
  });

  it("semicolon-separated files are read by sniffing", async () => {
    const p = write(dir, "semi.csv", "a;b\n1;x\n2;y\n");
    const t = await loadTable(p);
    expect(t.data).toEqual({ a: ["1", "2"], b: ["x", "y"] });
  });
});

describe("tableFromRows and takeRows", () => {
  it("columns are the union of keys in first-seen order; absent keys are undefined", () => {
    const t = tableFromRows([
      { a: 1, b: "x" },
      { b: "y", c: true },
    ]);
    expect(t.columns).toEqual(["a", "b", "c"]);
    expect(t.rows).toBe(2);
    expect(t.data).toEqual({ a: [1, undefined], b: ["x", "y"], c: [undefined, true] });
  });

  it("a row that is not an object, or an object value, is a UserError naming the row and column", async () => {
    expect((await errorOf(() => tableFromRows([{ a: 1 }, [1] as never]))).message).toBe(
      "request: row 2 is not an object of column: value pairs",
    );
    expect(await errorOf(() => tableFromRows([{ a: { x: 1 } }], "api"))).toBeInstanceOf(UserError);
    expect((await errorOf(() => tableFromRows([{ a: { x: 1 } }], "api"))).message).toBe(
      'api: row 1, column "a": expected a number, string or boolean, got an object',
    );
  });

  it("takeRows picks rows in the given order", () => {
    const t = tableFromRows([{ a: 1 }, { a: 2 }, { a: 3 }]);
    const s = takeRows(t, [2, 0]);
    expect(s.rows).toBe(2);
    expect(s.data.a).toEqual([3, 1]);
  });
});
