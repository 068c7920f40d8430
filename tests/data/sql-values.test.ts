import { describe, expect, it } from "vitest";
import { literal, withConnection } from "../../src/data/duckdb.js";
import {
  sqlBoolean,
  sqlBooleanWord,
  sqlCategory,
  sqlMissing,
  sqlNumber,
  sqlNumberOf,
  sqlOdd,
  sqlTrim,
  sqlTrimmed,
} from "../../src/data/sql-values.js";
import {
  isBooleanWord,
  isMissing,
  oddNumber,
  parseBoolean,
  parseCategory,
  parseNumber,
} from "../../src/data/values.js";

/** Cells where the SQL and the JS rules could disagree: spaces, tokens, cases, number forms, overflow. */
const CELLS: (string | null)[] = [
  " 1,5",
  "",
  " ",
  "NA",
  "N/A",
  "n/a",
  "None",
  "none",
  "null",
  "NULL",
  "nan",
  "NaN",
  "NAN",
  "-nan",
  "+NaN",
  " yes ",
  "YES",
  "Yes",
  "y",
  "T",
  "TRUE",
  "true",
  "False",
  "no",
  "N",
  "f",
  "0",
  "1",
  "2",
  "1.0",
  "-1",
  "1e3",
  "1E3",
  "1e+3",
  "1.5e-3",
  "-0",
  "+0",
  "0.0",
  "5.",
  ".5",
  "+1",
  "--1",
  "1e",
  "e3",
  "1.2.3",
  "00012",
  "1_000",
  "1,234",
  "12,345.50",
  "1,5",
  "0x10",
  "0X1f",
  "0o17",
  "0b101",
  "-0x10",
  "inf",
  "-inf",
  "Infinity",
  "-Infinity",
  "INF",
  "1e309",
  "-1e309",
  "1e-400",
  "4.9e-324",
  "2.5e-324",
  "123456789012345678901234567890",
  "0.1",
  "0.30000000000000004",
  " 12 ",
  "\t7\u00a0",
  "\u3000x\u3000",
  "\ufeff3",
  "\u2028yes\u2029",
  "\v8\f",
  // Every character DuckDB's cast skips, and others of 32 or below, after a number (sqlNumberOf's last-character test).
  "8 ",
  "8\t",
  "8\n",
  "8\v",
  "8\f",
  "8\r",
  "8\u0001",
  "8\u001f",
  "8\u0000",
  "+-8 ",
  "1_0\r",
  // A second sign or an underscore after white space or inside (sqlNumberOf sends any "+-" or "_" to the rules).
  " +-1",
  "\t+-1",
  "1e+-5",
  "-+1",
  "+-1e5",
  " 1_0",
  "1.5_",
  "\v-2.5\f",
  " 1e-5\t",
  "\u00a08",
  "8 \u00a0",
  "１２",
  "12%",
  "$12",
  "abc",
  " Month-to-month ",
  "a\u0000b",
  "é",
  "x y",
  null,
];

interface Parsed {
  missing: boolean;
  number: number | null;
  odd: boolean;
  boolean: number | null;
  word: boolean;
  category: string | null;
}

function viaJs(v: string | null): Parsed {
  const n = parseNumber(v);
  const b = parseBoolean(v);
  return {
    missing: isMissing(v),
    number: n === undefined || Number.isNaN(n) ? null : n,
    odd: oddNumber(v) !== undefined,
    boolean: b === undefined || Number.isNaN(b) ? null : b,
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
    `SELECT ${sqlMissing(x)}, ${sqlNumber(x)}, ${sqlOdd(x)}, ${sqlBoolean(x)}, ${sqlBooleanWord(x)}, ${sqlCategory(x)} ` +
    `FROM (SELECT i, ${sqlTrim("v")} AS t FROM (VALUES ${rows}) c(i, v)) ORDER BY i`;
  const r = await withConnection((con) => con.runAndReadAll(sql));
  return r.getRowsJS().map(([missing, number, odd, boolean, word, category]) => ({
    missing: missing as boolean,
    number: number as number | null,
    odd: odd as boolean,
    boolean: boolean as number | null,
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
    expect(na).toMatchObject({ missing: true, boolean: null, category: null });
    expect(yes).toMatchObject({ boolean: 1, word: true, category: "yes" });
    expect(e3).toMatchObject({ number: 1000, odd: false });
    expect(Object.is(negZero!.number, -0)).toBe(true);
    expect(upper).toMatchObject({ boolean: 1, number: null, category: "TRUE" });
    expect(nan).toMatchObject({ missing: true, number: null, odd: false });
  });
});

/** Every string of up to `n` characters over `alphabet`. */
function strings(alphabet: string, n: number): string[] {
  const out: string[] = [];
  const grow = (prefix: string, left: number): void => {
    if (prefix) out.push(prefix);
    if (left > 0) for (const ch of alphabet) grow(prefix + ch, left - 1);
  };
  grow("", n);
  return out;
}

describe("the fast SQL forms over raw text = the rules on trimmed text", () => {
  /** sqlNumberOf, sqlTrimmed and sqlCategory(sqlTrimmed) of raw cells, against parseNumber and parseCategory. */
  async function compare(cells: string[]): Promise<void> {
    const sql = await withConnection(async (con) => {
      await con.run("CREATE TEMP TABLE cells (i INTEGER, v VARCHAR)");
      const app = await con.createAppender("cells", "main", "temp");
      cells.forEach((v, i) => {
        app.appendInteger(i);
        app.appendVarchar(v);
        app.endRow();
      });
      app.closeSync();
      const r = await con.runAndReadAll(
        `SELECT ${sqlNumberOf("v")}, ${sqlTrimmed("v")}, ${sqlCategory(sqlTrimmed("v"))} FROM cells ORDER BY i`,
      );
      return r.getRowsJS();
    });
    expect(sql).toHaveLength(cells.length);
    const wrong: string[] = [];
    cells.forEach((v, i) => {
      const [number, trimmed, category] = sql[i]!;
      const n = parseNumber(v);
      const want = n === undefined || Number.isNaN(n) ? null : n;
      if (!Object.is(number, want) || trimmed !== v.trim() || category !== parseCategory(v))
        wrong.push(JSON.stringify(v));
    });
    expect(wrong.slice(0, 20)).toEqual([]);
  }

  it("agrees on every tricky cell", async () => {
    await compare(CELLS.filter((v): v is string => v !== null));
  });

  it("agrees on every string of up to 4 number-like characters, white space and underscores included", async () => {
    // 0-9 . e E + - _ space tab x and a no-break space: what DuckDB's cast accepts beyond the plain forms.
    const cells = strings("0159.eE+-_ \tx\u00a0", 4);
    expect(cells.length).toBeGreaterThan(40_000);
    await compare(cells);
  }, 60_000);

  it("agrees on every string of up to 5 characters over signs, an exponent, a point and white space", async () => {
    // Longer forms than above around what sqlNumberOf's one test lets through to the cast (+-, _, white space).
    const cells = strings("1.e+- \t_", 5);
    expect(cells.length).toBeGreaterThan(30_000);
    await compare(cells);
  }, 60_000);
});
