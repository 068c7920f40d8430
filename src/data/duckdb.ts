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

/** First line of a DuckDB error, without its "X Error:" prefix noise. */
export function duckMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split("\n")[0]!.trim();
}
