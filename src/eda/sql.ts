/** SQL building blocks of the profile: cleaned values, numbers, queries on the shared DuckDB. */
import { duck, duckMessage, ident, literal } from "../data/duckdb.js";
import { formatOf } from "../data/load.js";
import { MISSING_TOKENS } from "../data/values.js";
import { UserError } from "../utils/errors.js";

// Lists tested with list_contains, not `x IN (...)`: DuckDB's planning of many IN lists grows steeply with the
// number of columns (cleaning 100 columns: 7.9 s with IN, 0.05 s with list_contains; 400 columns: over 8 minutes).
const TOKENS = `[${[...MISSING_TOKENS].map(literal).join(", ")}]`;
const BOOL_WORDS = `[${["true", "yes", "y", "t", "false", "no", "n", "f"].map(literal).join(", ")}]`;

/**
 * SQL of the raw relation `from` with every column trimmed (of spaces) and missing tokens
 * (values.ts) turned into NULL. Trimming happens once, in an inner projection.
 */
export function cleanSql(names: string[], from: string): string {
  const inner = names.map((c, i) => `trim(${ident(c)}) AS t${i}`).join(", ");
  const outer = names
    .map((c, i) => `CASE WHEN list_contains(${TOKENS}, t${i}) THEN NULL ELSE t${i} END AS ${ident(c)}`)
    .join(", ");
  return `SELECT ${outer} FROM (SELECT ${inner} FROM (${from}))`;
}

/**
 * The number a cleaned value reads as, or NULL. TRY_CAST to DOUBLE, restricted to finite values
 * and without DuckDB's digit separators ("1_000"), so that it agrees with values.ts except for
 * overflow ("1e400" is not a number here, it is Infinity there).
 */
export const numExpr = (c: string): string =>
  `CASE WHEN NOT contains(${ident(c)}, '_') AND isfinite(TRY_CAST(${ident(c)} AS DOUBLE)) THEN TRY_CAST(${ident(c)} AS DOUBLE) END`;

/** 1 when the cleaned value is one of the boolean words of values.ts (any case), else NULL. */
export const boolWordExpr = (c: string): string =>
  `CASE WHEN length(${ident(c)}) <= 5 AND list_contains(${BOOL_WORDS}, lower(${ident(c)})) THEN lower(${ident(c)}) END`;

/** A row of a query result, with BIGINTs as numbers. */
export type Row = Record<string, unknown>;

/** Read a result value as a number (BIGINT, DECIMAL or DOUBLE), or null. */
export const num = (v: unknown): number | null =>
  v === null || v === undefined ? null : typeof v === "number" ? v : Number(v);
/** As {@link num}, 0 for null. */
export const int = (v: unknown): number => num(v) ?? 0;

/** DuckDB errors that come from reading the file (not from churnkit's SQL). */
const INPUT_ERROR = /^(Invalid Input|IO|Conversion|Invalid|Parser Error: Error when sniffing|Not implemented)/i;

/** Run a query; errors from reading the input become a one-line UserError naming the file. */
export async function query(sql: string, path: string): Promise<Row[]> {
  const con = await duck();
  try {
    const r = await con.runAndReadAll(sql);
    return r.getRowObjectsJS();
  } catch (e) {
    const msg = duckMessage(e);
    if (INPUT_ERROR.test(msg)) {
      throw new UserError(
        `${path}: cannot be read as ${formatOf(path).toUpperCase()} (${msg.slice(0, 200)}); check the file's format, delimiter and quoting`,
      );
    }
    throw e;
  }
}

let seq = 0;
/** A fresh name for a temporary view or table of this process. */
export const tempName = (what: string): string => `__churnkit_eda_${what}_${process.pid}_${++seq}`;
