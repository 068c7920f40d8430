/**
 * Derived features: named SQL expressions (config `features.derived`) that DuckDB evaluates
 * over the typed input columns. The same function runs at training and at prediction time,
 * so a derived feature is computed identically in both. Each expression is checked against the
 * allow-list (expression.ts) and evaluated in the sandboxed DuckDB (sandbox.ts), never in the
 * database that reads input files.
 */
import {
  DuckDBBooleanType,
  DuckDBDoubleType,
  DuckDBVarCharType,
  type DuckDBConnection,
  type DuckDBType,
} from "@duckdb/node-api";
import { UserError } from "../utils/errors.js";
import { duckMessage, ident } from "../data/duckdb.js";
import type { ColumnType } from "../data/schema.js";
import type { TypedColumn, TypedTable } from "../data/typed.js";
import { checkColumns, DERIVED_TABLE, derivedStatement, parseDerived, ROW_COLUMN } from "./expression.js";
import { withSandbox } from "./sandbox.js";

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

function refuse(src: DerivedSource, name: string, reason: string, configHint: string, modelHint: string): UserError {
  const what = reason.replace(/\s*[\r\n]+\s*/g, " "); // one line, whatever the file holds
  if ("model" in src)
    return new UserError(`${src.model}: derived feature ${JSON.stringify(name)} ${what}; ${modelHint}`);
  const where = src.config ? `${src.config}: ` : "";
  return new UserError(`${where}features.derived.${name}: ${what}; ${configHint}`);
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
  await withSandbox((con) => checkOn(con, features, src, columns));
}

async function checkOn(
  con: DuckDBConnection,
  features: { name: string; sql: string }[],
  src: DerivedSource,
  columns?: Iterable<string>,
): Promise<void> {
  const inputs = columns ? [...columns] : undefined;
  for (const f of features) {
    if (typeof f.sql !== "string" || f.sql.trim() === "")
      throw refuse(src, f.name, "has no SQL expression", "write one", "retrain the model");
    const p = await parseDerived(con, f.sql);
    if ("invalid" in p)
      throw refuse(
        src,
        f.name,
        `is not a valid SQL expression: ${JSON.stringify(f.sql)} (${p.invalid})`,
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
  }
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
        `features.derived.${f.name}: a column of that name already exists in the input; choose another name`,
      );
  }
  return withSandbox(async (con) => {
    await checkOn(con, features, src, t.columns.keys());
    return withTable(con, t, () => evaluate(con, t, features, src));
  });
}

async function evaluate(
  con: DuckDBConnection,
  t: TypedTable,
  features: { name: string; sql: string; type?: ColumnType }[],
  src: DerivedSource,
): Promise<{ table: TypedTable; derived: DerivedFeature[] }> {
  const derived: DerivedFeature[] = [];
  const columns = new Map(t.columns);
  for (const f of features) {
    let result;
    try {
      result = await con.runAndReadAll(derivedStatement(f.sql)); // the very text that was checked
    } catch (e) {
      const what = `cannot be evaluated by DuckDB: ${JSON.stringify(f.sql)}: ${duckMessage(e)}`;
      throw refuse(src, f.name, what, "fix the expression", "retrain the model");
    }
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

// Referenced so that the DuckDB type singletons are kept by bundlers.
void DuckDBDoubleType;

/**
 * Input columns a derived expression uses, as named in `columns` (DuckDB matches names without
 * regard to case, quoted or not), from DuckDB's parse. The expression must be allowed.
 */
export async function referencedColumns(sql: string, columns: string[]): Promise<string[]> {
  const p = await withSandbox((con) => parseDerived(con, sql));
  if (!p.ok) throw new Error(`referencedColumns: ${JSON.stringify(sql)} is not an allowed expression`);
  const used = new Set(p.columns.map((c) => c.toLowerCase()));
  return columns.filter((c) => used.has(c.toLowerCase()));
}
