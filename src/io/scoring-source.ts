/**
 * What batch scoring reads from an input, decided once: the model's inputs typed by DuckDB (score-typed.ts) and the
 * identifier columns as text, the scoring query over the input and the database to stream it on. predict.ts streams
 * it; the benches under bench/ (predict-stages, predict-replay, predict-trees, predict-floor) read the same query.
 */
import { statSync } from "node:fs";
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { ChurnModel } from "../artifact/churn-model.js";
import { presentIdColumns } from "../artifact/prediction-row.js";
import { database, ident, sequentialDatabase, withConnection } from "../data/duckdb.js";
import {
  checkColumnNames,
  checkRagged,
  exactNumberColumns,
  formatOf,
  positionedParquetSql,
  sourceSql,
  unreadable,
  type RawValue,
} from "../data/load.js";
import {
  ScoringWindows,
  scoringLevels,
  scoringSql,
  type ScoringColumns,
  type ScoringWindow,
} from "../data/score-typed.js";
import { checkColumns } from "../data/typed.js";
import { dict } from "../utils/dict.js";

/**
 * Rows per window of the typed stream, whichever way it is read: eight DuckDB chunks. A window is what a scoring
 * worker is handed at once, and handing over costs per message (on the 1M-row CSV, 2,048-row windows spent 1.8 s of
 * the main thread in postMessage).
 */
export const WINDOW_ROWS = 16384;
const POSITION = "churnkit_position";

/** The scoring stream of one input, ready to run. */
export interface ScoringSource {
  /** The input's column names, all of them. */
  columns: string[];
  /** What the scoring query reads: the model's inputs and the text (identifier) columns. */
  wanted: ScoringColumns;
  /** Whether each row carries its position (Parquet, read on several threads), else rows arrive in input order. */
  positioned: boolean;
  /** The scoring query over the whole input. */
  sql: string;
  /** The relation the scoring query reads (score-typed.ts `scoringSql`'s `source`). */
  relation: string;
  /** The database to stream it on (a one-thread one when rows cannot say their position). */
  database: Promise<DuckDBInstance>;
}

/**
 * The scoring stream of `input` for `model`: checks the input's columns (names, repeated names, a ragged CSV, the
 * model's inputs present) and reads the `text` columns beside the inputs (default: the model's identifier columns
 * that the input has). Parquet numbers that need no text round trip are read as numbers. A fault is a UserError
 * naming the input.
 */
export async function scoringSource(
  model: ChurnModel,
  input: string,
  text: (columns: string[]) => string[] = (columns) =>
    presentIdColumns(model.artifact.id_columns, (c) => columns.includes(c)),
): Promise<ScoringSource> {
  const positioned = formatOf(input) === "parquet";
  const inputs = model.scoringInputs; // a survival model's duration and value columns too
  let native: string[] = [];
  if (positioned) {
    const exact = new Set(await exactNumberColumns(input).catch((e: unknown) => Promise.reject(unreadable(input, e))));
    native = inputs.filter((s) => s.type === "numeric" && exact.has(s.name)).map((s) => s.name);
  }
  const source = positioned ? await positionedParquetSql(input, POSITION, native) : sourceSql(input);
  const db = positioned ? database() : sequentialDatabase();
  const { columns, ids, long } = await withConnection(async (con) => {
    let names: string[];
    try {
      names = (await con.runAndReadAll(`SELECT * FROM (${sourceSql(input)}) LIMIT 0`)).columnNames();
    } catch (e) {
      throw unreadable(input, e);
    }
    await checkColumnNames(input, names);
    if (names.length === 1 && formatOf(input) === "csv") {
      // A ragged CSV reads as one whole-line column: name its bad row (checkRagged) from the first rows, as text.
      const head = await con.runAndReadAll(`SELECT * FROM (${source}) LIMIT ${WINDOW_ROWS}`);
      const data = dict<RawValue[]>();
      data[names[0]!] = head.getColumnsJS()[0] as RawValue[];
      checkRagged(input, names, data);
    }
    const ids = text(names);
    const long = fileBytes(input) > PROBE_AT_BYTES ? await longText(con, source, ids) : ids.length > 0;
    return { columns: names, ids, long };
  }, db);
  checkColumns(input, inputs, (c) => columns.includes(c));
  const levels = scoringLevels(model.artifact.preprocess.categorical);
  const wanted: ScoringColumns = { inputs, levels, text: ids, native: new Set(native), pieces: long };
  const at = positioned ? POSITION : undefined;
  return { columns, wanted, positioned, sql: scoringSql(wanted, source, at), relation: source, database: db };
}

/** Rows whose text columns tell whether the stream sends their pieces ({@link longText}). */
const PROBE_ROWS = 2048;

/**
 * Bytes of an input file past which its first rows are probed ({@link longText}): the probe costs a query (~40 ms
 * of a small CSV's start-up, which its pieces never cost).
 */
const PROBE_AT_BYTES = 16 * 1024 * 1024;

/** Bytes of the file at `path` (0 when it cannot be told: a folder, a pattern). */
export function fileBytes(path: string): number {
  try {
    const s = statSync(path);
    return s.isFile() ? s.size : 0;
  } catch {
    return 0;
  }
}

/**
 * Whether any of the first {@link PROBE_ROWS} rows of `source` has a `text` cell longer than an inline one (12 bytes):
 * then the stream sends the text columns' pieces (score-typed.ts `pieceSql`), else not, saving DuckDB the cutting
 * of every cell (~0.5 CPU-s on 1M rows). A longer cell past the probe is still read exactly, by itself. A source that
 * cannot be probed gets the pieces (its fault is the stream's to report).
 */
async function longText(con: DuckDBConnection, source: string, text: string[]): Promise<boolean> {
  if (text.length === 0) return false;
  const longest = text.map((c) => `max(strlen(${ident(c)}::VARCHAR))`).join(", ");
  const sql = `SELECT greatest(${longest}) FROM (SELECT * FROM (${source}) LIMIT ${PROBE_ROWS})`;
  try {
    const r = (await con.runAndReadAll(sql)).getRows()[0]?.[0];
    return r === null || r === undefined ? false : Number(r) > 12;
  } catch {
    return true;
  }
}

/**
 * Stream `source` on `con` (a connection of its own, on `source.database`) and hand each window of
 * {@link WINDOW_ROWS} rows to `each`, in input order, released (its arrays reused) once `each` resolves; resolves to
 * the rows read. The next chunk is always being
 * fetched (on a thread of DuckDB's) while `each` runs. A fault DuckDB reports is a UserError naming `input`.
 */
export async function forEachWindow(
  con: DuckDBConnection,
  source: ScoringSource,
  input: string,
  each: (w: ScoringWindow) => Promise<void>,
): Promise<number> {
  let stream;
  try {
    stream = await con.stream(source.sql);
  } catch (e) {
    throw unreadable(input, e);
  }
  const result = stream;
  const fetch = () =>
    result.fetchChunk().catch((e: unknown) => {
      throw unreadable(input, e);
    });
  const windows = new ScoringWindows(source.wanted, input, WINDOW_ROWS, source.positioned);
  let rows = 0;
  const score = async (w: ScoringWindow) => {
    await each(w);
    rows += w.typed.rows;
    w.release();
  };
  let next = fetch();
  try {
    for (;;) {
      const chunk = await next;
      if (!chunk || chunk.rowCount === 0) break;
      next = fetch();
      for (const w of windows.add(chunk)) await score(w);
    }
    for (const w of windows.finish()) await score(w);
  } finally {
    await next.catch(() => undefined); // never close the connection under a fetch in flight
  }
  return rows;
}
