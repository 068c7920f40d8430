/**
 * Derived features: named SQL expressions (config `features.derived`) that DuckDB evaluates
 * over the typed input columns. The same function runs at training and at prediction time,
 * so a derived feature is computed identically in both. Each expression is checked against the
 * allow-list (expression.ts) and evaluated in the sandboxed DuckDB (sandbox.ts), never in the
 * database that reads input files.
 */
import type { DuckDBConnection, DuckDBType } from "@duckdb/node-api";
import { duckdbApi } from "../data/duckdb-api.js";
import { show, UserError } from "../utils/errors.js";
import { duckMessage, ident } from "../data/duckdb.js";
import type { ColumnType } from "../data/schema.js";
import type { TypedColumn, TypedTable } from "../data/typed.js";
import {
  checkColumns,
  DERIVED_TABLE,
  derivedStatement,
  MAX_EXPRESSION_LENGTH,
  type Node,
  parseDerived,
  ROW_COLUMN,
} from "./expression.js";
import { maxTextLength } from "./growth.js";
import { SANDBOX_SETTINGS, withSandbox } from "./sandbox.js";

/** A derived feature as stored in model.json. */
export interface DerivedFeature {
  /** The feature's name: a model input column like any other. */
  name: string;
  /** The SQL expression, over input column names. */
  sql: string;
  /** Type of the result, learned at training time. */
  type: ColumnType;
}

/**
 * Where derived features come from, for error messages: a model file (`model` names it), or a
 * config (`config` names the config file, when there is one).
 */
export type DerivedSource = { model: string } | { config?: string };

const CONFIG_HINT = "use a row-wise expression over input columns";

/** Longest text a derived expression may produce per row, in bytes (its bound, see growth.ts). */
export const MAX_DERIVED_TEXT = 1_000_000;

/** Time one derived expression may take to evaluate on one batch of rows, unless overridden. */
const TIME_LIMIT_MS = 30_000;

/** The time limit; `CHURNKIT_DERIVED_TIME_LIMIT_MS` overrides it (for tests). */
function timeLimitMs(): number {
  const v = Number(process.env.CHURNKIT_DERIVED_TIME_LIMIT_MS);
  return Number.isFinite(v) && v > 0 ? v : TIME_LIMIT_MS;
}

const clip = (s: string, max: number): string => (s.length > max ? s.slice(0, max - 1) + "…" : s);

const SIMPLIFY = "simplify it and retrain the model";

/** An expression as echoed in a message: at most 200 characters. */
const echo = (sql: string): string => show(sql, 200);

function refuse(src: DerivedSource, name: string, reason: string, configHint: string, modelHint: string): UserError {
  let what = reason.replace(/\s*[\r\n]+\s*/g, " "); // one line, whatever the file holds
  what = clip(what, 600); // DuckDB's messages may quote the expression
  if ("model" in src) return new UserError(`${src.model}: derived feature ${show(name, 200)} ${what}; ${modelHint}`);
  const where = src.config ? `${src.config}: ` : "";
  return new UserError(`${where}features.derived.${clip(name, 200)}: ${what}; ${configHint}`);
}

/**
 * Check derived features against the allow-list without evaluating them: one row-wise scalar
 * expression each, over `columns` (when given) and nothing else. Throws a one-line UserError.
 */
export async function checkDerived(
  features: { name: string; sql: string }[],
  src: DerivedSource,
  columns?: Iterable<string>,
): Promise<void> {
  if (features.length === 0) return;
  await withSandbox(async (con) => void (await checkOn(con, features, src, columns)));
}

/** Checks each feature (see {@link checkDerived}); returns each one's parse, in order. */
async function checkOn(
  con: DuckDBConnection,
  features: { name: string; sql: string }[],
  src: DerivedSource,
  columns?: Iterable<string>,
): Promise<Node[]> {
  const inputs = columns ? [...columns] : undefined;
  const trees: Node[] = [];
  for (const f of features) {
    if (typeof f.sql !== "string" || f.sql.trim() === "")
      throw refuse(src, f.name, "has no SQL expression", "write one", "retrain the model");
    if (f.sql.length > MAX_EXPRESSION_LENGTH)
      throw refuse(
        src,
        f.name,
        `is ${f.sql.length} characters long (at most ${MAX_EXPRESSION_LENGTH} are allowed)`,
        "write a shorter expression",
        "retrain the model with a shorter one",
      );
    const p = await parseDerived(con, f.sql);
    if ("invalid" in p)
      throw refuse(
        src,
        f.name,
        `is not a valid SQL expression: ${echo(f.sql)} (${p.invalid})`,
        "fix the expression",
        "retrain the model",
      );
    if ("uses" in p)
      throw refuse(src, f.name, `uses ${p.uses}, which is not allowed`, CONFIG_HINT, "retrain without it");
    const bad = inputs ? checkColumns(p.columns, inputs) : undefined;
    if (bad && "uses" in bad)
      throw refuse(src, f.name, `uses ${bad.uses}, which is not allowed`, CONFIG_HINT, "retrain without it");
    if (bad)
      throw refuse(
        src,
        f.name,
        `uses column ${JSON.stringify(bad.missing)}, which is not ${"model" in src ? "an input of the model" : "a feature column of the input"}`,
        "check the spelling (the target and id columns cannot be used)",
        "retrain the model",
      );
    trees.push(p.tree);
  }
  return trees;
}

async function withTable<T>(con: DuckDBConnection, t: TypedTable, fn: () => Promise<T>): Promise<T> {
  const name = DERIVED_TABLE;
  const cols = [...t.columns.values()];
  const sqlType = (c: TypedColumn) => (c.type === "numeric" ? "DOUBLE" : c.type === "boolean" ? "BOOLEAN" : "VARCHAR");
  await con.run(
    `CREATE TEMP TABLE ${name} (${ROW_COLUMN} INTEGER, ${cols.map((c) => `${ident(c.name)} ${sqlType(c)}`).join(", ")})`,
  );
  try {
    const app = await con.createAppender(name, "main", "temp"); // temp tables live in catalog "temp", schema "main"
    for (let r = 0; r < t.rows; r++) {
      app.appendInteger(r);
      for (const c of cols) {
        const v = c.values[r];
        if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) app.appendNull();
        else if (c.type === "numeric") app.appendDouble(v as number);
        else if (c.type === "boolean") app.appendBoolean(v === 1);
        else app.appendVarchar(v as string);
      }
      app.endRow();
    }
    app.closeSync();
    return await fn();
  } finally {
    await con.run(`DROP TABLE IF EXISTS temp.${name}`);
  }
}

function typeOf(t: DuckDBType): ColumnType {
  const { DuckDBBooleanType, DuckDBVarCharType } = duckdbApi();
  if (t.typeId === DuckDBBooleanType.instance.typeId) return "boolean";
  if (t.typeId === DuckDBVarCharType.instance.typeId) return "categorical";
  const s = t.toString();
  if (/INT|DOUBLE|FLOAT|DECIMAL|REAL|HUGEINT|NUMERIC/.test(s)) return "numeric";
  return "categorical";
}

/**
 * Check `features` (see {@link checkDerived}), evaluate them over `t` in the sandbox and add them
 * as columns. At training time leave `type` out to learn each feature's type; at prediction time
 * the stored types are enforced. `src` says where the features come from, for error messages.
 */
export async function addDerived(
  t: TypedTable,
  features: { name: string; sql: string; type?: ColumnType }[],
  src: DerivedSource = {},
): Promise<{ table: TypedTable; derived: DerivedFeature[] }> {
  if (features.length === 0) return { table: t, derived: [] };
  for (const f of features) {
    if (t.columns.has(f.name))
      throw new UserError(
        `features.derived.${clip(f.name, 200)}: a column of that name already exists in the input; choose another name`,
      );
  }
  for (const c of t.columns.keys())
    if (c.toLowerCase() === ROW_COLUMN)
      throw new UserError(
        `input column ${JSON.stringify(c)}: churnkit uses this name for row numbers when it computes derived features; rename the column`,
      );
  return withSandbox(async (con) => {
    const trees = await checkOn(con, features, src, t.columns.keys());
    return withTable(con, t, () => evaluate(con, t, features, trees, src));
  });
}

/** An upper bound on the UTF-8 length of every text value of `t`. */
function longestText(t: TypedTable): number {
  let max = 0;
  for (const c of t.columns.values()) {
    if (c.type !== "categorical") continue;
    for (const v of c.values as (string | null)[]) if (v !== null && v.length > max) max = v.length;
  }
  return 3 * max; // a UTF-16 code unit is at most 3 bytes of UTF-8
}

/** Run one derived expression, turning a time-out or DuckDB's out-of-memory error into a UserError. */
async function runLimited(con: DuckDBConnection, f: { name: string; sql: string }, rows: number, src: DerivedSource) {
  const limit = timeLimitMs();
  const on = `to evaluate on ${rows} rows`;
  const late = () => refuse(src, f.name, `took longer than ${limit / 1000} s ${on}`, "simplify it", SIMPLIFY);
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  // DuckDB forgets an interrupt that arrives before the query starts running, so it is repeated
  // until the query ends, and a query that ends after the limit is refused however it ended.
  const stop = () => {
    timedOut = true;
    con.interrupt();
    timer = setTimeout(stop, Math.min(limit, 100));
  };
  timer = setTimeout(stop, limit);
  try {
    const result = await con.runAndReadAll(derivedStatement(f.sql)); // the very text that was checked
    if (timedOut) throw late();
    return result;
  } catch (e) {
    if (e instanceof UserError) throw e;
    const msg = duckMessage(e);
    if (timedOut) throw late();
    if (/out of memory/i.test(msg))
      throw refuse(
        src,
        f.name,
        `needed more than ${SANDBOX_SETTINGS.memory_limit} of memory ${on}`,
        "simplify it",
        SIMPLIFY,
      );
    const what = `cannot be evaluated by DuckDB: ${echo(f.sql)}: ${msg}`;
    throw refuse(src, f.name, what, "fix the expression", "retrain the model");
  } finally {
    clearTimeout(timer);
  }
}

async function evaluate(
  con: DuckDBConnection,
  t: TypedTable,
  features: { name: string; sql: string; type?: ColumnType }[],
  trees: Node[],
  src: DerivedSource,
): Promise<{ table: TypedTable; derived: DerivedFeature[] }> {
  const derived: DerivedFeature[] = [];
  const columns = new Map(t.columns);
  const longest = longestText(t);
  for (const [i, f] of features.entries()) {
    // DuckDB builds a whole vector of values before it looks at a time or memory limit.
    const bound = maxTextLength(trees[i]!, longest);
    if (bound > MAX_DERIVED_TEXT)
      throw refuse(
        src,
        f.name,
        `could build text of up to ${bound.toPrecision(3)} bytes per row on this input (at most ${MAX_DERIVED_TEXT} are allowed)`,
        "simplify it",
        SIMPLIFY,
      );
    const result = await runLimited(con, f, t.rows, src);
    const learned = typeOf(result.columnTypes()[0]!);
    const type = f.type ?? learned;
    const vals = result.getColumnsJS()[0]! as unknown[];
    let values: Float64Array | (string | null)[];
    if (type === "categorical") values = vals.map((v) => (v === null || v === undefined ? null : String(v)));
    else {
      values = new Float64Array(vals.length);
      for (let i = 0; i < vals.length; i++) {
        const v = vals[i];
        const n = v === null || v === undefined ? NaN : typeof v === "boolean" ? (v ? 1 : 0) : Number(v);
        values[i] = Number.isFinite(n) ? n : NaN; // division by zero and the like count as missing
      }
    }
    columns.set(f.name, { name: f.name, type, values });
    derived.push({ name: f.name, sql: f.sql, type });
  }
  return { table: { ...t, columns }, derived };
}

/**
 * Input columns a derived expression uses, as named in `columns` (DuckDB matches names without
 * regard to case, quoted or not), from DuckDB's parse. The expression must be allowed.
 */
export async function referencedColumns(sql: string, columns: string[]): Promise<string[]> {
  const p = await withSandbox((con) => parseDerived(con, sql));
  if (!p.ok) throw new Error(`referencedColumns: ${echo(sql)} is not an allowed expression`);
  const used = new Set(p.columns.map((c) => c.toLowerCase()));
  return columns.filter((c) => used.has(c.toLowerCase()));
}
