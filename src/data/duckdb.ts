/**
 * One embedded DuckDB database per process, opened on first use. DuckDB reads the
 * files (CSV, Parquet, JSON) and evaluates the SQL of derived features.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

let connection: Promise<DuckDBConnection> | undefined;

export function duck(): Promise<DuckDBConnection> {
  if (!connection) {
    connection = (async () => {
      const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
      return instance.connect();
    })();
  }
  return connection;
}

/** Quote an SQL identifier. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Quote an SQL string literal. */
export const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * A DuckDB error in one line: its first line and the cause below it (the CSV line, "This file
 * is not utf-8 encoded", the expected number of columns), without the lists of possible fixes
 * and reader options that follow.
 */
export function duckMessage(e: unknown): string {
  const lines = (e instanceof Error ? e.message : String(e)).split("\n").map((l) => l.trim());
  const end = lines.findIndex((l, i) => i > 0 && (l === "" || l.endsWith(":") || /^(Possible|LINE \d|\*)/.test(l)));
  const kept = lines.slice(0, end < 0 ? lines.length : end).map((l) => (l.length > 120 ? `${l.slice(0, 119)}…` : l));
  return kept.join("; ");
}
