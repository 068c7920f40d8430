/**
 * Running an exported query in DuckDB (the project's @duckdb/node-api) and in PostgreSQL (psql, through
 * CHURNKIT_PG_URL), over an `input` relation built from typed columns.
 */
import { execFileSync } from "node:child_process";
import { DuckDBInstance } from "@duckdb/node-api";
import type { ColumnType } from "../../src/data/schema.js";

/** The `input` relation: column name → type and values (numbers NaN or null when missing). */
export interface InputTable {
  /** Columns in order. */
  columns: { name: string; type: ColumnType; values: ArrayLike<number | string | boolean | null> }[];
  /** Rows. */
  rows: number;
}

/** One scored row as an engine returns it. */
export interface Scored {
  id: string;
  probability: number;
  prediction: boolean;
}

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
const sqlType = (t: ColumnType) => (t === "numeric" ? "DOUBLE PRECISION" : t === "boolean" ? "BOOLEAN" : "VARCHAR");
const missing = (v: unknown) => v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));

/** Score `input` with `sql` in an in-memory DuckDB; `id` names the identifier column. */
export async function scoreDuckDB(sql: string, input: InputTable, id: string): Promise<Scored[]> {
  const db = await DuckDBInstance.create(":memory:");
  const con = await db.connect();
  try {
    await con.run(`CREATE TABLE input (${input.columns.map((c) => `${q(c.name)} ${sqlType(c.type)}`).join(", ")})`);
    const app = await con.createAppender("input");
    for (let r = 0; r < input.rows; r++) {
      for (const c of input.columns) {
        const v = c.values[r];
        if (missing(v)) app.appendNull();
        else if (c.type === "numeric") app.appendDouble(v as number);
        else if (c.type === "boolean") app.appendBoolean(v === true || v === 1);
        else app.appendVarchar(String(v));
      }
      app.endRow();
    }
    app.closeSync();
    const rows = (await con.runAndReadAll(sql)).getRowObjectsJS();
    return rows.map((r) => ({
      id: String(r[id]),
      probability: r.churn_probability as number,
      prediction: r.churn_prediction as boolean,
    }));
  } finally {
    con.closeSync();
    db.closeSync();
  }
}

/** The PostgreSQL server the tests use (a libpq URL), or undefined. */
export const PG_URL = process.env.CHURNKIT_PG_URL;

/** Score `input` with `sql` in PostgreSQL (a temporary table named input, loaded with COPY), through psql; the id column comes first. */
export function scorePostgres(sql: string, input: InputTable): Scored[] {
  if (!PG_URL) throw new Error("CHURNKIT_PG_URL is not set");
  // COPY's CSV: every value quoted (quotes doubled), so that only the unquoted \N is NULL.
  const lines: string[] = [];
  for (let r = 0; r < input.rows; r++) {
    const fields = input.columns.map((c) => {
      const v = c.values[r];
      if (missing(v)) return "\\N";
      if (c.type === "boolean") return v === true || v === 1 ? "true" : "false";
      return `"${String(v).replace(/"/g, '""')}"`;
    });
    lines.push(fields.join(",") + "\n");
  }
  const script =
    `CREATE TEMP TABLE input (${input.columns.map((c) => `${q(c.name)} ${sqlType(c.type)}`).join(", ")});\n` +
    `COPY input FROM STDIN WITH (FORMAT csv, NULL '\\N');\n${lines.join("")}\\.\n` +
    `\\pset format unaligned\n\\pset tuples_only on\n\\pset fieldsep '\\t'\n${sql}\n`;
  const out = execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", PG_URL, "-f", "-"], {
    input: script,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  return out
    .trimEnd()
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => {
      const f = l.split("\t");
      return { id: f[0]!, probability: Number(f[f.length - 2]), prediction: f[f.length - 1] === "t" };
    });
}

/**
 * Whether the PostgreSQL tests run: with CHURNKIT_PG_URL set. Without it they are skipped, except in CI
 * (`CI` set), where a missing server fails them instead of letting them pass unseen.
 */
export const runPostgres = PG_URL !== undefined || process.env.CI !== undefined;

/** The largest |difference| of probabilities by id, checking that both have the same rows and the same decisions. */
export function compare(
  got: Scored[],
  want: { id: string; probability: number; prediction: boolean }[],
): { worst: number; rows: number; decisionsDiffer: number; missingIds: number } {
  const byId = new Map(got.map((g) => [g.id, g]));
  let worst = 0;
  let decisionsDiffer = 0;
  let missingIds = 0;
  for (const w of want) {
    const g = byId.get(w.id);
    if (!g) {
      missingIds++;
      continue;
    }
    const d = Math.abs(g.probability - w.probability);
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
    if (g.prediction !== w.prediction) decisionsDiffer++;
  }
  return { worst, rows: got.length, decisionsDiffer, missingIds };
}
