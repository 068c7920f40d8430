/**
 * Derived features: named SQL expressions (config `features.derived`) that DuckDB evaluates
 * over the typed input columns. The same function runs at training and at prediction time,
 * so a derived feature is computed identically in both.
 */
import {
  DuckDBBooleanType,
  DuckDBDoubleType,
  DuckDBVarCharType,
  type DuckDBConnection,
  type DuckDBType,
} from "@duckdb/node-api";
import { UserError } from "../utils/errors.js";
import { duckMessage, ident, withConnection } from "../data/duckdb.js";
import type { ColumnType } from "../data/schema.js";
import type { TypedColumn, TypedTable } from "../data/typed.js";

/** A derived feature as stored in model.json. */
export interface DerivedFeature {
  name: string;
  /** The SQL expression, over input column names. */
  sql: string;
  /** Type of the result, learned at training time. */
  type: ColumnType;
}

let tableCounter = 0;

async function withTable<T>(con: DuckDBConnection, t: TypedTable, fn: (name: string) => Promise<T>): Promise<T> {
  const name = `ck_input_${process.pid}_${tableCounter++}`;
  const cols = [...t.columns.values()];
  const sqlType = (c: TypedColumn) => (c.type === "numeric" ? "DOUBLE" : c.type === "boolean" ? "BOOLEAN" : "VARCHAR");
  await con.run(
    `CREATE TEMP TABLE ${name} (__row INTEGER, ${cols.map((c) => `${ident(c.name)} ${sqlType(c)}`).join(", ")})`,
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
    return await fn(name);
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
 * Evaluate `features` over `t` and add them as columns. At training time pass `learn = true`
 * to learn each feature's type; at prediction time the stored types are enforced.
 */
export async function addDerived(
  t: TypedTable,
  features: { name: string; sql: string; type?: ColumnType }[],
): Promise<{ table: TypedTable; derived: DerivedFeature[] }> {
  if (features.length === 0) return { table: t, derived: [] };
  for (const f of features) {
    if (t.columns.has(f.name))
      throw new UserError(
        `features.derived.${f.name}: a column of that name already exists in the input; choose another name`,
      );
  }
  // A connection of its own: the temporary table, appender and queries must not interleave with other work.
  return withConnection((con) =>
    withTable(con, t, async (name) => {
      const derived: DerivedFeature[] = [];
      const columns = new Map(t.columns);
      for (const f of features) {
        let result;
        try {
          result = await con.runAndReadAll(`SELECT (${f.sql}) AS v FROM ${name} ORDER BY __row`);
        } catch (e) {
          throw new UserError(
            `features.derived.${f.name}: DuckDB cannot evaluate ${JSON.stringify(f.sql)}: ${duckMessage(e)}`,
          );
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
    }),
  );
}

// Referenced so that the DuckDB type singletons are kept by bundlers.
void DuckDBDoubleType;

/** Input columns an SQL expression refers to (by name, quoted or bare). */
export function referencedColumns(sql: string, columns: string[]): string[] {
  return columns.filter((c) => {
    if (sql.includes(`"${c.replace(/"/g, '""')}"`)) return true;
    const esc = c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`(^|[^A-Za-z0-9_"])${esc}($|[^A-Za-z0-9_"])`, "i").test(sql);
  });
}
