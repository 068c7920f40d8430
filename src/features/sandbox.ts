/**
 * The sandboxed DuckDB database that parses and evaluates derived-feature expressions. It is a
 * separate instance from the one that reads input files (src/data/duckdb.ts): external access is
 * off (no file, network or extension) and the configuration is locked, so an expression that
 * got past the allow-list still can read, write or load nothing.
 */
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { duckdbApi } from "../data/duckdb-api.js";
import { duckThreads } from "../data/duckdb.js";

/** DuckDB settings of the sandbox, fixed when the instance is created (and locked); its threads are the process's. */
export const SANDBOX_SETTINGS: Readonly<Record<string, string>> = {
  // An expression that builds huge values fails with an out-of-memory error instead of taking the
  // machine's memory; nothing is spilled to disk (no temporary directory).
  memory_limit: "1GB",
  temp_directory: "",
  enable_external_access: "false",
  autoinstall_known_extensions: "false",
  autoload_known_extensions: "false",
  allow_community_extensions: "false",
  // Last: once locked, no SET (or a missed statement) can change any of the above.
  lock_configuration: "true",
};

let instance: Promise<DuckDBInstance> | undefined;

function sandboxInstance(): Promise<DuckDBInstance> {
  instance ??= duckdbApi().DuckDBInstance.create(":memory:", { threads: String(duckThreads()), ...SANDBOX_SETTINGS });
  return instance;
}

/**
 * Run `fn` on a fresh connection to the sandbox, closed afterwards. A connection of its own per
 * call keeps temporary tables private, so concurrent calls (the server) never see each other's.
 */
export async function withSandbox<T>(fn: (con: DuckDBConnection) => Promise<T>): Promise<T> {
  const con = await (await sandboxInstance()).connect();
  try {
    return await fn(con);
  } finally {
    con.closeSync();
  }
}
