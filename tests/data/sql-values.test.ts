import { describe, expect, it } from "vitest";
import { literal, withConnection } from "../../src/data/duckdb.js";
import { sqlBooleanWord, sqlCategory, sqlMissing, sqlNumber, sqlOdd, sqlTrim } from "../../src/data/sql-values.js";
import { isBooleanWord, isMissing, oddNumber, parseCategory, parseNumber } from "../../src/data/values.js";
import { CELLS } from "./cells.js";

interface Parsed {
  missing: boolean;
  number: number | null;
  odd: boolean;
  word: boolean;
  category: string | null;
}

function viaJs(v: string | null): Parsed {
  const n = parseNumber(v);
  return {
    missing: isMissing(v),
    number: n === undefined || Number.isNaN(n) ? null : n,
    odd: oddNumber(v) !== undefined,
    word: typeof v === "string" && isBooleanWord(v.trim()),
    category: parseCategory(v),
  };
}

async function viaSql(cells: (string | null)[]): Promise<Parsed[]> {
  // A NUL byte cannot be written inside an SQL literal: it is spliced in with chr(0).
  const text = (v: string) => literal(v).split("\u0000").join("' || chr(0) || '");
  const rows = cells.map((v, i) => `(${i}, ${v === null ? "NULL::VARCHAR" : text(v)})`).join(", ");
  const x = "t";
  const sql =
    `SELECT ${sqlMissing(x)}, ${sqlNumber(x)}, ${sqlOdd(x)}, ${sqlBooleanWord(x)}, ${sqlCategory(x)} ` +
    `FROM (SELECT i, ${sqlTrim("v")} AS t FROM (VALUES ${rows}) c(i, v)) ORDER BY i`;
  const r = await withConnection((con) => con.runAndReadAll(sql));
  return r.getRowsJS().map(([missing, number, odd, word, category]) => ({
    missing: missing as boolean,
    number: number as number | null,
    odd: odd as boolean,
    word: (word ?? false) as boolean,
    category: category as string | null,
  }));
}

describe("SQL parsing rules = values.ts rules", () => {
  it("gives identical typed results for every tricky cell", async () => {
    const sql = await viaSql(CELLS);
    const js = CELLS.map(viaJs);
    // One entry per cell, so that a failure names the cell; Object.is keeps -0 apart from 0.
    for (let i = 0; i < CELLS.length; i++) {
      expect({ cell: CELLS[i], ...sql[i]! }).toEqual({ cell: CELLS[i], ...js[i]! });
      expect(Object.is(sql[i]!.number, js[i]!.number), `sign of ${JSON.stringify(CELLS[i])}`).toBe(true);
    }
    expect(sql).toHaveLength(CELLS.length);
  });

  it("reads the documented examples as documented", async () => {
    const [comma, empty, na, yes, e3, negZero, upper, nan] = await viaSql([
      " 1,5",
      "",
      "NA",
      " yes ",
      "1e3",
      "-0",
      "TRUE",
      "nan",
    ]);
    expect(comma).toMatchObject({ missing: false, number: null, odd: false, category: "1,5" });
    expect(empty).toMatchObject({ missing: true, number: null, category: null });
    expect(na).toMatchObject({ missing: true, category: null });
    expect(yes).toMatchObject({ word: true, category: "yes" });
    expect(e3).toMatchObject({ number: 1000, odd: false });
    expect(Object.is(negZero!.number, -0)).toBe(true);
    expect(upper).toMatchObject({ word: true, number: null, category: "TRUE" });
    expect(nan).toMatchObject({ missing: true, number: null, odd: false });
  });
});
