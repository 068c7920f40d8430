/**
 * The process's embedded DuckDB database and its connections. DuckDB reads the files (CSV,
 * Parquet, JSON) and evaluates the SQL of derived features.
 *
 * A query started on a DuckDB connection ends whatever that connection was running: a pending
 * stream then returns no more rows, silently, and an in-flight query fails with "Attempting to
 * execute an unsuccessful or closed pending query result". Hence two rules:
 * - a stream, or any task of several statements (temporary tables, appenders), runs on a
 *   connection of its own: {@link withConnection} (opening and closing one costs about 30 µs);
 * - the shared connection, {@link duck}, runs one query at a time and refuses streams and appenders.
 */
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { duckdbApi } from "./duckdb-api.js";
import { requestedThreads } from "../utils/threads.js";

let db: Promise<DuckDBInstance> | undefined;
/** The thread count asked for (config `threads`); undefined: min(2, cores). */
let asked: number | undefined;

/** DuckDB's thread count for the process's databases: the one asked for with {@link useThreads}, else min(2, cores). */
export const duckThreads = (): number => requestedThreads(asked);

/** The process's DuckDB database (in memory, {@link duckThreads} threads), opened on first use. */
export function database(): Promise<DuckDBInstance> {
  db ??= duckdbApi().DuckDBInstance.create(":memory:", { threads: String(duckThreads()) });
  return db;
}

/**
 * Bound DuckDB's threads (config `threads`; undefined keeps the default, min(2, cores)): the process's database opens
 * with them, or, when it is open, is SET to them. (The derived-feature sandbox takes them when it opens: its settings
 * are locked.)
 */
export async function useThreads(threads: number | undefined): Promise<void> {
  if (threads === undefined || threads === asked) return;
  asked = threads;
  if (db) await withConnection((con) => con.run(`SET threads = ${duckThreads()}`));
}

let sequential: Promise<DuckDBInstance> | undefined;

/**
 * A second database of one thread, for streams that must arrive in input order and cannot say each row's position
 * (a CSV or JSON file: DuckDB's streamed results are not in input order when several threads read). With one
 * thread the file is read and the query evaluated in order; the JavaScript that consumes it runs on the other core.
 */
export function sequentialDatabase(): Promise<DuckDBInstance> {
  sequential ??= duckdbApi().DuckDBInstance.create(":memory:", { threads: "1" });
  return sequential;
}

/**
 * Run `fn` on a new connection that nothing else uses, and close it when `fn` settles. Use it
 * for every stream and for any sequence of statements that must not be interleaved with others.
 * `instance` defaults to the process's database (another one, e.g. a sandboxed database, may be given).
 */
export async function withConnection<T>(
  fn: (con: DuckDBConnection) => Promise<T>,
  instance: Promise<DuckDBInstance> | DuckDBInstance = database(),
): Promise<T> {
  const con = await (await instance).connect();
  try {
    return await fn(con);
  } finally {
    con.closeSync();
  }
}

/** Methods of the shared connection that run one materialized query; they are queued. */
const ONE_SHOT = new Set<string | symbol>(["run", "runAndRead", "runAndReadAll", "runAndReadUntil"]);

let shared: Promise<DuckDBConnection> | undefined;
let tail: Promise<unknown> = Promise.resolve();

/** Run `job` after every job queued before it (failures included), so one query is in flight at a time. */
function queued<T>(job: () => Promise<T>): Promise<T> {
  const run = tail.then(job, job);
  tail = run.catch(() => undefined);
  return run;
}

/**
 * The shared connection, for one-shot queries (`run`, `runAndRead`, `runAndReadAll`,
 * `runAndReadUntil`), which it runs one at a time; their results are materialized, so reading
 * them later is safe. Any other method (`stream`, `start`, `createAppender`, `prepare`, `closeSync`...)
 * throws: use {@link withConnection} for those.
 */
export function duck(): Promise<DuckDBConnection> {
  shared ??= (async () => {
    const con = await (await database()).connect();
    return new Proxy(con, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key, target);
        if (typeof value !== "function") return value;
        const method = value as (...args: unknown[]) => Promise<unknown>;
        if (ONE_SHOT.has(key)) return (...args: unknown[]) => queued(() => method.apply(target, args)); // a query call's own arguments
        return () => {
          throw new Error(`DuckDB: ${String(key)}() is not allowed on the shared connection; use withConnection()`);
        };
      },
    });
  })();
  return shared;
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
