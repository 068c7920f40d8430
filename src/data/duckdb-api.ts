/**
 * @duckdb/node-api, loaded on first use and with `require`. The package is CommonJS whose index re-exports ~120
 * files; an ESM `import` of it runs Node's CommonJS export lexer over every one of them (~140 ms of CPU on this
 * machine, more than loading the native library), and a static import charges that and the ~70 MB native library to
 * every command and every `import "churnkit"`, DuckDB needed or not.
 */
import { createRequire } from "node:module";
import type * as DuckDB from "@duckdb/node-api";

let api: typeof DuckDB | undefined;

/** The @duckdb/node-api module (loaded at the first call). */
export function duckdbApi(): typeof DuckDB {
  api ??= createRequire(import.meta.url)("@duckdb/node-api") as typeof DuckDB;
  return api;
}
