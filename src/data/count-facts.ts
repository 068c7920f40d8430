/**
 * The schema facts ({@link ColumnFacts}) of a training file's columns, counted in DuckDB over its table of text
 * (load-typed.ts) by the rules of values.ts: in SQL over each column's distinct values (sql-values.ts), or, for a
 * column of only numbers, from its text vectors' memory (text-vectors.ts).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { ident } from "./duckdb.js";
import type { RawValue } from "./load.js";
import type { ColumnFacts } from "./schema.js";
import { sqlBooleanWord, sqlMissing, sqlNumber, sqlOdd, sqlTrim } from "./sql-values.js";
import { textNumbers } from "./text-vectors.js";

/**
 * The {@link ColumnFacts} of every column, one aggregate query per column: DuckDB plans one query of
 * many such columns in time that grows faster than the number of columns (21 columns: seconds).
 */
export async function countFacts(
  con: DuckDBConnection,
  columns: string[],
  table: string,
): Promise<Map<string, ColumnFacts>> {
  const out = new Map<string, ColumnFacts>();
  const other = "NOT m AND n IS NULL AND NOT o";
  // Over the column's distinct raw values (c rows each, first at row r), not its rows: the rules' regular expressions
  // then run once per distinct value (a category of 1M rows: 0.56 -> 0.05 CPU-s).
  const aggs = [
    "sum(c) FILTER (NOT m)",
    "sum(c) FILTER (n IS NOT NULL)",
    "sum(c) FILTER (n = trunc(n))",
    "sum(c) FILTER (o)",
    "min(r) FILTER (o)",
    "arg_min(v, r) FILTER (o)",
    `min(r) FILTER (${other})`,
    `arg_min(v, r) FILTER (${other})`,
    "sum(c) FILTER (w)",
    "count(DISTINCT lower(t)) FILTER (w)",
    "count(DISTINCT t) FILTER (NOT m)",
    "min(abs(n))",
    "min(n)",
  ];
  const parsed = `r, c, v, t, m, n, ${sqlOdd("t", "m", "n")} AS o, ${sqlBooleanWord("t")} AS w`;
  const base = `r, c, v, t, ${sqlMissing("t")} AS m, ${sqlNumber("t")} AS n`;
  const num = (v: unknown, none = 0) => (v === null || v === undefined ? none : Number(v));
  for (const c of columns) {
    const x = ident(c);
    const numbers = await numberFacts(con, x, table);
    if (numbers) {
      out.set(c, numbers);
      continue;
    }
    const values = `SELECT ${x} AS v, count(*) AS c, min(rowid) AS r FROM ${table} GROUP BY ${x}`;
    const r = await con.runAndReadAll(
      `SELECT ${aggs.join(", ")} FROM (SELECT ${parsed} FROM (SELECT ${base} FROM (SELECT r, c, v, ${sqlTrim("v")} AS t FROM (${values}))))`,
    );
    const a = r.getRowsJS()[0]!;
    out.set(c, {
      nonMissing: num(a[0]),
      numeric: num(a[1]),
      integer: num(a[2]),
      odd: num(a[3]),
      firstOdd: num(a[4], -1),
      firstOddValue: (a[5] ?? null) as RawValue,
      firstOther: num(a[6], -1),
      firstOtherValue: (a[7] ?? null) as RawValue,
      boolWords: num(a[8]),
      boolDistinct: num(a[9]),
      distinct: num(a[10]),
      minAbs: num(a[11], Infinity),
      min: num(a[12], Infinity),
    });
  }
  return out;
}

/**
 * The {@link ColumnFacts} of a column whose every cell is a plain number or missing, counted from its text vectors'
 * memory by the rules of values.ts (text-vectors.ts `textNumbers`, as typing reads it), and its distinct texts in SQL
 * (trimmed only when a cell may need it). The aggregate query above costs DuckDB ~0.56 CPU-s a column of 1M numbers,
 * mostly its regular expressions (trim, number forms); this ~0.17. Undefined as soon as a chunk holds any other cell:
 * that column takes the query.
 */
async function numberFacts(con: DuckDBConnection, x: string, table: string): Promise<ColumnFacts | undefined> {
  const result = await con.stream(`SELECT ${x} FROM ${table}`);
  let read = new Float64Array(0);
  let other = false;
  const slow = { cells: 0 };
  let [nonMissing, integer, minAbs, min] = [0, 0, Infinity, Infinity];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const m = chunk.rowCount;
    if (read.length < m) read = new Float64Array(m);
    textNumbers(chunk.getColumnVector(0), m, read, () => (other = true), slow);
    if (other) return undefined;
    for (let i = 0; i < m; i++) {
      const v = read[i]!;
      if (v !== v) continue; // NaN: missing
      nonMissing++;
      if (Math.trunc(v) === v) integer++;
      const a = Math.abs(v);
      if (a < minAbs) minAbs = a;
      if (v < min) min = v;
    }
  }
  // Trimming (a regular expression, most of the query's cost) only when some cell was read as a string.
  const t = slow.cells === 0 ? x : sqlTrim(x);
  const r = await con.runAndReadAll(
    `SELECT count(DISTINCT t) FILTER (NOT ${sqlMissing("t")}) FROM (SELECT ${t} AS t FROM ${table})`,
  );
  return {
    nonMissing,
    numeric: nonMissing,
    integer,
    odd: 0,
    firstOdd: -1,
    firstOddValue: null,
    firstOther: -1,
    firstOtherValue: null,
    boolWords: 0,
    boolDistinct: 0,
    distinct: Number(r.getRowsJS()[0]![0]),
    minAbs,
    min,
  };
}
