/**
 * One pass over the data to check for drift: DuckDB streams the file in batches (constant memory), each batch is
 * typed as the model types its inputs and scored by the model, and its rows are counted (drift.ts). As with
 * `predict`, the rows counted are checked against DuckDB's count of the file's rows: every row is in the
 * result, or the command fails.
 *
 * `--data` may also be a request log of `churnkit serve --log-requests`: JSON Lines of
 * `{"time": ISO, "row": {...input columns...}, "churn_probability": p}`, read line by line (log-lines.ts: a live
 * log is read up to its size at the start, a half-written last line is skipped, a bad line is an error naming
 * it); the input columns are taken from each `row` object (a column it lacks is missing) and scored again.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { RawTable } from "../data/load.js";
import { checkDataFile, formatOf, sourceSql, unreadable } from "../data/load.js";
import { openBatches } from "../data/stream.js";
import { withConnection } from "../data/duckdb.js";
import { typeTable } from "../data/typed.js";
import type { ChurnModel } from "../artifact/churn-model.js";
import { UserError } from "../utils/errors.js";
import { DriftCounter, type DriftResult } from "./drift.js";
import { looksLikeRequestLog, readLogLines } from "./log-lines.js";

/** What was read. */
export interface ScanInfo {
  /** Rows read and counted. */
  rows: number;
  /** Whether the file was read as a request log of `churnkit serve --log-requests`. */
  requestLog: boolean;
  /** A request log's last line, skipped as not yet complete (no line end, not valid JSON): its line number. */
  skippedLine?: number;
}

/** Whether `input` is to be read as a request log (and the model has no input column named "row"). */
async function isRequestLog(input: string, model: ChurnModel): Promise<boolean> {
  if (formatOf(input) !== "json" || model.scoringInputs.some((c) => c.name === "row")) return false;
  return looksLikeRequestLog(input);
}

/** Read `input` once, typing and scoring every row, and count it into `counter`. */
export async function scanForDrift(model: ChurnModel, input: string, counter: DriftCounter): Promise<ScanInfo> {
  checkDataFile(input);
  if (await isRequestLog(input, model)) {
    const specs = model.scoringInputs;
    const read = await readLogLines(
      input,
      specs.map((c) => c.name),
      (table, offset) => score(model, table, offset, counter),
    );
    if (read.rows === 0) throw new UserError(`${input}: has no data rows to check for drift`);
    return { rows: read.rows, requestLog: true, ...(read.skippedLast ? { skippedLine: read.skippedLast } : {}) };
  }
  const sql = sourceSql(input);
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
  return { rows, requestLog: false };
}

async function stream(
  con: DuckDBConnection,
  model: ChurnModel,
  input: string,
  sql: string,
  counter: DriftCounter,
): Promise<number> {
  const batches = await openBatches(con, sql, input);
  return batches.forEach((table, offset) => score(model, table, offset, counter));
}

/** Type, score and count one batch (`offset`: rows before it, for row numbers in messages). */
async function score(model: ChurnModel, table: RawTable, offset: number, counter: DriftCounter): Promise<void> {
  const typed = typeTable(table, model.scoringInputs, offset);
  const { X, at } = await model.prepareTyped(typed, offset); // typed once: counted and scored from the same columns
  counter.add(typed, model.scoreMatrix(X, offset, at));
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
