import { afterAll, describe, expect, it } from "vitest";
import { fileSource } from "../../src/data/load-typed.js";
import { loadTable } from "../../src/data/load.js";
import { inferSchemaFrom } from "../../src/data/schema.js";
import { rawSource, type TrainingSource } from "../../src/data/source.js";
import type { ColumnSpec } from "../../src/data/typed.js";
import { TELCO, tmp, write } from "../helpers.js";

const dir = tmp("churnkit-load-typed-");
// Columns typed by the file path (SQL) and by the rows path (JS) from the same CSV text.
const CSV = [
  "id,amount,flag,plan,odd_text,target",
  "a1, 1.5 ,yes, Basic ,1_000,Yes",
  "a2,,NO,basic,12%,No",
  "a3,NA, y ,Pro,$3,",
  "a4,1e3,n,,NA,no",
  'a5,-0,TRUE,"Pro ",none,YES',
  "a6,nan,f,Basic,abc,No",
  "a7,  7,t,Gold,x,Yes",
].join("\n");
const file = write(dir, "tricky.csv", CSV + "\n");
const specs: ColumnSpec[] = [
  { name: "amount", type: "numeric" },
  { name: "flag", type: "boolean" },
  { name: "plan", type: "categorical" },
  { name: "target", type: "categorical" },
];
const opened: TrainingSource[] = [];
afterAll(() => opened.forEach((s) => s.close()));

async function both(path: string): Promise<[TrainingSource, TrainingSource]> {
  const f = await fileSource(path);
  opened.push(f);
  return [f, rawSource(await loadTable(path))];
}

describe("fileSource (typed in DuckDB) = rawSource (typed in JS)", () => {
  it("counts the same schema facts and infers the same schema", async () => {
    const [f, r] = await both(file);
    expect(f.columns).toEqual(r.columns);
    expect(f.rows).toBe(7);
    for (const c of f.columns) expect({ c, ...f.facts(c) }).toEqual({ c, ...r.facts(c) });
    expect(f.facts("odd_text")).toMatchObject({ nonMissing: 5, firstOther: 0, firstOtherValue: "1_000", distinct: 5 });
    expect(inferSchemaFrom(f, { target: "target" })).toEqual(inferSchemaFrom(r, { target: "target" }));
  });

  it("counts number-only columns (read from the vectors) as the rules do, and falls back on a late word", async () => {
    // 5,000 rows (several DuckDB chunks): `plain` only numbers in distinct texts of equal values ("1", "1.0", "-0"),
    // `padded` a number with a tab late, `late` a word after 4,000 numbers, `blank` missing or one integer.
    const lines = ["plain,padded,late,blank"];
    for (let i = 0; i < 5000; i++) {
      const plain = ["1", "1.0", "-0", "0", "", "2.5e3", "NA", String(i)][i % 8];
      const padded = i === 4321 ? "\t8" : String(i % 50);
      const late = i === 4000 ? "many" : String(i / 4);
      lines.push(`${plain},${padded},${late},${i === 3 ? "7" : ""}`);
    }
    const [f, r] = await both(write(dir, "numbers.csv", lines.join("\n") + "\n"));
    for (const c of f.columns) expect({ c, ...f.facts(c) }).toEqual({ c, ...r.facts(c) });
    expect(f.facts("plain")).toMatchObject({ nonMissing: 3750, numeric: 3750, distinct: 5 + 625 });
    expect(f.facts("padded")).toMatchObject({ numeric: 5000, distinct: 50 });
    expect(f.facts("late")).toMatchObject({ numeric: 4999, firstOther: 4000, firstOtherValue: "many" });
    expect(f.facts("blank")).toMatchObject({ nonMissing: 1, integer: 1, distinct: 1, min: 7 });
  });

  it("types columns identically, with picked rows in the order asked", async () => {
    const [f, r] = await both(file);
    const a = await f.typed(specs);
    expect(a).toEqual(await r.typed(specs));
    expect(Array.from(a.columns.get("amount")!.values as Float64Array)).toEqual([1.5, NaN, NaN, 1000, -0, NaN, 7]);
    expect(Object.is((a.columns.get("amount")!.values as Float64Array)[4], -0)).toBe(true);
    expect(Array.from(a.columns.get("flag")!.values as Float64Array)).toEqual([1, 0, 1, 0, 1, 0, 1]);
    expect(a.columns.get("plan")!.values).toEqual(["Basic", "basic", "Pro", null, "Pro", "Basic", "Gold"]);
    const pick = [6, 0, 3];
    expect(await f.typed(specs, pick)).toEqual(await r.typed(specs, pick));
    expect(await f.rawRows(pick)).toEqual(await r.rawRows(pick));
    expect((await f.rawRows(pick)).data.amount).toEqual(["  7", " 1.5 ", "1e3"]);
  });

  it("gives the same target labels and fingerprint", async () => {
    const [f, r] = await both(file);
    const lf = await f.labels("target");
    expect(lf.data.target).toEqual(["Yes", "No", null, "no", "YES", "No", "Yes"]);
    expect(await f.fingerprint()).toEqual(await r.fingerprint());
  });

  it("names the file, row and column of a value that does not parse", async () => {
    const [f, r] = await both(file);
    const bad: ColumnSpec[] = [{ name: "odd_text", type: "numeric" }];
    await expect(f.typed(bad)).rejects.toThrow(
      'tricky.csv: row 1, column "odd_text": "1_000" is not a number; fix the value or leave it empty for missing',
    );
    await expect(r.typed(bad)).rejects.toThrow('tricky.csv: row 1, column "odd_text": "1_000" is not a number');
    // Picked rows: the file's row is named; a pick of only parseable (or missing) values types.
    await expect(f.typed(bad, [3, 1])).rejects.toThrow('tricky.csv: row 2, column "odd_text": "12%" is not a number');
    expect((await f.typed(bad, [3])).columns.get("odd_text")!.values).toEqual(Float64Array.of(NaN));
  });

  it("matches on the bundled Telco file (schema, typed features, fingerprint)", async () => {
    const [f, r] = await both(TELCO);
    const schema = inferSchemaFrom(f, { target: "Churn" });
    expect(schema).toEqual(inferSchemaFrom(r, { target: "Churn" }));
    const features = schema.columns.filter((c) => c.role === "feature").map((c) => ({ name: c.name, type: c.type }));
    expect(features).toHaveLength(19);
    expect(await f.typed(features)).toEqual(await r.typed(features));
    expect(await f.fingerprint()).toEqual(await r.fingerprint());
    expect(f.facts("TotalCharges")).toMatchObject({ nonMissing: 7032, numeric: 7032, distinct: 6530 });
    // Many chunks, all rows and picked rows in an order of their own: every value lands at its row.
    const pick = Int32Array.from({ length: f.rows }, (_, i) => (i * 7919) % f.rows);
    expect(await f.typed(features, pick)).toEqual(await r.typed(features, pick));
  }, 180_000);

  it("takes a subset that is a source of its own: facts, types, labels, raw rows and fingerprint of those rows", async () => {
    const [f, r] = await both(file);
    const pick = [6, 1, 4, 0];
    const fs = await f.subset(pick);
    const rs = await r.subset(pick);
    expect(fs.rows).toBe(4);
    for (const c of fs.columns) expect({ c, ...fs.facts(c) }).toEqual({ c, ...rs.facts(c) });
    expect(await fs.typed(specs)).toEqual(await rs.typed(specs));
    expect(await fs.typed(specs, [3, 0])).toEqual(await rs.typed(specs, [3, 0]));
    expect((await fs.labels("target")).data.target).toEqual((await rs.labels("target")).data.target);
    expect(await fs.rawRows([2, 1])).toEqual(await rs.rawRows([2, 1]));
    expect(await fs.fingerprint()).toEqual(await rs.fingerprint());
    expect((await fs.rawRows([0])).data.id).toEqual(["a7"]);
    // Two subsets of one file live side by side, and the file is still whole.
    const other = await f.subset([2]);
    expect((await other.rawRows([0])).data.id).toEqual(["a3"]);
    expect((await fs.rawRows([3])).data.id).toEqual(["a1"]);
    expect(f.rows).toBe(7);
  });

  it("refuses an unreadable or empty file with the same message as loadTable", async () => {
    const empty = write(dir, "header-only.csv", "a,b\n");
    await expect(fileSource(empty)).rejects.toThrow(
      "header-only.csv: has no data rows; it needs at least one row below the header",
    );
    const dup = write(dir, "dup.csv", "a,b,a\n1,2,3\n");
    await expect(fileSource(dup)).rejects.toThrow('dup.csv: column "a" appears twice; rename one of them');
  });
});
