/**
 * One pass over the data to check for drift: DuckDB streams the file in batches (constant memory), each batch is
 * typed as the model types its inputs and scored by the model, and its rows are counted (drift.ts). As with
 * `predict`, the rows counted are checked against DuckDB's count of the file's rows: every row is in the
 * result, or the command fails.
 *
 * `--data` may also be a request log of `churnkit serve --log-requests`: JSON Lines of
 * `{"time": ISO, "row": {...input columns...}, "churn_probability": p}`, read with DuckDB's read_json; the
 * input columns are taken from each `row` object (a column it lacks is missing) and scored again by the model.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { checkDataFile, formatOf, sourceSql, unreadable } from "../data/load.js";
import { openBatches } from "../data/stream.js";
import { ident, literal, withConnection } from "../data/duckdb.js";
import { typeTable } from "../data/typed.js";
import type { ChurnModel } from "../artifact/churn-model.js";
import { UserError } from "../utils/errors.js";
import { DriftCounter, type DriftResult } from "./drift.js";

/** A JSON pointer to one key of an object (RFC 6901: "~" → "~0", "/" → "~1"). */
const pointer = (key: string): string => "/" + key.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Whether a JSON file is a request log: it has a `row` column of objects and a `churn_probability` column (and
 * the model has no input column named "row").
 */
async function isRequestLog(con: DuckDBConnection, path: string, model: ChurnModel): Promise<boolean> {
  if (formatOf(path) !== "json" || model.scoringInputs.some((c) => c.name === "row")) return false;
  let r;
  try {
    r = await con.runAndReadAll(`DESCRIBE SELECT * FROM read_json_auto(${literal(path)})`);
  } catch (e) {
    throw unreadable(path, e);
  }
  const types = new Map(r.getRowsJS().map((row) => [String(row[0]), String(row[1])]));
  return /^(STRUCT|JSON|MAP)/.test(types.get("row") ?? "") && types.has("churn_probability");
}

/** The SQL of the input columns of a request log, as text (like every other source). */
function requestLogSql(path: string, model: ChurnModel): string {
  // The scoring inputs: a survival model's duration (and value) column too, which its scores need.
  const cols = model.scoringInputs.map(
    (c) => `json_extract_string("row", ${literal(pointer(c.name))}) AS ${ident(c.name)}`,
  );
  return `SELECT ${cols.join(", ")} FROM read_json(${literal(path)}, format = 'newline_delimited', columns = {'row': 'JSON'})`;
}

/** What was read. */
export interface ScanInfo {
  /** Rows read and counted. */
  rows: number;
  /** Whether the file was read as a request log of `churnkit serve --log-requests`. */
  requestLog: boolean;
}

/** Read `input` once, typing and scoring every row, and count it into `counter`. */
export async function scanForDrift(model: ChurnModel, input: string, counter: DriftCounter): Promise<ScanInfo> {
  checkDataFile(input);
  const requestLog = await withConnection((con) => isRequestLog(con, input, model));
  const sql = requestLog ? requestLogSql(input, model) : sourceSql(input);
  const expected = withConnection(async (con) =>
    Number((await con.runAndReadAll(`SELECT count(*) FROM (${sql})`)).getRows()[0]![0]),
  );
  expected.catch(() => undefined); // a failed stream throws first; no unhandled rejection meanwhile
  const rows = await withConnection((con) => stream(con, model, input, sql, counter));
  const total = await expected.catch((e: unknown) => {
    throw unreadable(input, e);
  });
  if (total === 0) throw new UserError(`${input}: has no data rows to check for drift`);
  if (rows !== total)
    throw new Error(`${input}: read ${rows} of its ${total} rows (the input stream ended early); no drift result`);
  return { rows, requestLog };
}

async function stream(
  con: DuckDBConnection,
  model: ChurnModel,
  input: string,
  sql: string,
  counter: DriftCounter,
): Promise<number> {
  const batches = await openBatches(con, sql, input);
  return batches.forEach(async (table, offset) => {
    const typed = typeTable(table, model.scoringInputs, offset);
    const { X, at } = await model.prepareTyped(typed, offset); // typed once: counted and scored from the same columns
    counter.add(typed, model.scoreMatrix(X, offset, at));
  });
}

/**
 * Check a table (or a request log of `churnkit serve --log-requests`) for drift against the model's training
 * reference: every input column's PSI and verdict, the score's, and the overall verdict (see {@link DriftCounter.result}
 * for `share`). A model file without reference histograms (format 1.0) is a UserError saying to retrain it.
 */
export async function checkDrift(model: ChurnModel, input: string, share = 0): Promise<DriftResult> {
  const counter = new DriftCounter(model.artifact);
  await scanForDrift(model, input, counter);
  return counter.result(share);
}
