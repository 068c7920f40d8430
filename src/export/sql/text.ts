/**
 * SQL text that means the same in every engine the export targets (DuckDB, PostgreSQL, and with identifier
 * quoting changed, Spark SQL, BigQuery, Trino, Snowflake): quoted identifiers, string literals, and number
 * literals that each engine reads as the very same double.
 */
import { ident } from "../../data/duckdb.js";

/** A double-quoted identifier (`"a ""b"""`), so that any column name, in any letter case, is read as written. */
export const quote = ident;

/** A string literal: single quotes, a quote doubled (no backslash escapes: standard SQL). */
export const str = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * A finite double as a literal in exponent form (`5e-1`, `(-1.25e+2)`), the shortest text that reads back as the
 * same double: DuckDB reads it as a DOUBLE (a plain `0.1` would be a DECIMAL), PostgreSQL as a NUMERIC that it
 * rounds correctly to the same double where it meets a DOUBLE PRECISION. Negative ones are parenthesised, so that
 * `a - (-1e+0)` never becomes a `--` comment.
 */
export function num(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`sql export: ${x} is not a finite number`);
  const t = x.toExponential();
  return x < 0 ? `(${t})` : t;
}

/** `x` as a DOUBLE PRECISION value whatever the engine makes of the literal (PostgreSQL would keep a NUMERIC). */
export const dbl = (sql: string): string => `CAST(${sql} AS DOUBLE PRECISION)`;

/** The largest finite double: a number outside ±MAX (±Infinity) or NaN (above every number in SQL) is not finite. */
const MAX = num(Number.MAX_VALUE);

/** `x` when it is a finite number, else NULL (NaN and ±Infinity count as missing, as churnkit reads them). */
export const finiteOrNull = (x: string): string => `CASE WHEN ${x} >= -${MAX} AND ${x} <= ${MAX} THEN ${x} END`;
