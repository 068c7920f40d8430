/**
 * Batch scoring of a file in constant memory: DuckDB streams the input in chunks, each
 * batch is scored and written, and the output appears atomically (temporary name, then
 * rename) so a failure leaves nothing half-written. The stream runs on a connection of its
 * own (any other query on it would end the stream early, silently), and the rows scored are
 * checked against DuckDB's count of the input's rows before the output is kept.
 */
import { once } from "node:events";
import type { WriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { dirname, extname } from "node:path";
import { checkDataFile, sourceSql, unreadable, type RawTable } from "../data/load.js";
import { openBatches } from "../data/stream.js";
import { withConnection } from "../data/duckdb.js";
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../utils/errors.js";
import { tmpSibling } from "../utils/fs.js";
import { refuseSymlink } from "../utils/output.js";
import type { UnseenCategory } from "../data/preprocess.js";
import type { ChurnModel } from "../artifact/churn-model.js";
import { predictionRow, presentIdColumns, scoreColumns, survivalValues } from "../artifact/prediction-row.js";
import type { SurvivalScores } from "../learners/baseline-hazard.js";

/** Quote a CSV field when it needs it (RFC 4180). */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Where the scores go; `write` resolves when more may be written, and rejects with the stream's error. */
type Sink = { write(s: string): Promise<void>; end(): Promise<void> };

/**
 * A sink over a file stream. A write error (ENOSPC, EIO, …) is an `error` event of the stream: it is kept and
 * thrown by the next `write` or by `end`, never left unhandled (which would crash with a stack trace). Waiting
 * for `drain` keeps memory constant when the disk is slower than the scoring.
 */
function fileSink(ws: WriteStream): Sink {
  let failed: Error | undefined;
  ws.on("error", (e) => (failed ??= e));
  const check = (): void => {
    if (failed) throw failed;
  };
  let ended: Promise<void> | undefined;
  return {
    write: async (s) => {
      check();
      if (!ws.write(s)) await once(ws, "drain"); // rejects on an error event meanwhile
      check();
    },
    end: () => {
      ended ??= failed ? Promise.reject(failed) : (ws.end(), finished(ws));
      return ended;
    },
  };
}

/** One batch of rows as {@link predictFile} scored it, for a caller that watches the scoring (the server's metrics). */
export interface ScoredBatch {
  /** The batch's input rows, as read (every column of the file, values as text). */
  table: RawTable;
  /** The churn probability of each row of `table`, in order. */
  probability: Float64Array;
  /** Categories training never saw, in this batch. */
  unseen: UnseenCategory[];
  /** A survival model's predictions of each row of `table` (its `probability` is churn_within of the first horizon). */
  survival?: SurvivalScores;
}

/**
 * Score `input` with `model` and write `out` (CSV, or JSON Lines for .jsonl/.ndjson; stdout when out is undefined).
 * `onBatch`, when given, sees each scored batch, in order, before its scores are written.
 */
export async function predictFile(
  model: ChurnModel,
  input: string,
  out?: string,
  threshold?: number,
  onBatch?: (batch: ScoredBatch) => void,
): Promise<{ rows: number; unseen: number }> {
  checkDataFile(input);
  const jsonl = out ? /\.(jsonl|ndjson)$/i.test(out) : false;
  if (out && ![".csv", ".jsonl", ".ndjson", ".txt", ""].includes(extname(out).toLowerCase())) {
    throw new UserError(`${out}: unsupported output format; use .csv or .jsonl`);
  }
  // Counted on another connection of its own while the stream is scored; awaited at the end.
  const expected = countRows(input);
  expected.catch(() => undefined); // a failed stream throws first; no unhandled rejection meanwhile
  return withConnection((con) => scoreStream(con, model, input, expected, { out, jsonl, threshold, onBatch }));
}

/** Read `input` from row `offset` on, materialized (not streamed), so that DuckDB reports what it cannot parse there. */
async function probeFrom(input: string, offset: number): Promise<void> {
  await withConnection((con) => con.runAndReadAll(`SELECT * FROM (${sourceSql(input)}) LIMIT 2048 OFFSET ${offset}`));
}

/** Rows in `input` as DuckDB reads them (the same relation the stream reads). */
async function countRows(input: string): Promise<number> {
  const r = await withConnection((con) => con.runAndReadAll(`SELECT count(*) FROM (${sourceSql(input)})`));
  return Number(r.getRows()[0]![0]);
}

async function scoreStream(
  con: DuckDBConnection,
  model: ChurnModel,
  input: string,
  expected: Promise<number>,
  o: {
    out: string | undefined;
    jsonl: boolean;
    threshold: number | undefined;
    onBatch: ((batch: ScoredBatch) => void) | undefined;
  },
): Promise<{ rows: number; unseen: number }> {
  const { out, jsonl, threshold, onBatch } = o;
  const batches = await openBatches(con, sourceSql(input), input);
  const columns = batches.columns;
  const ids = presentIdColumns(model.artifact.id_columns, (c) => columns.includes(c));
  let tmp: string | undefined;
  let sink: Sink;
  if (out) {
    await mkdir(dirname(out), { recursive: true });
    const name = tmpSibling(out);
    // Created exclusively under an unguessable name: a symbolic link planted there is never followed. An error
    // here (EACCES, EROFS, ENOENT) is thrown as is: the caller names the output (outputError).
    const handle = await open(name, "wx");
    tmp = name;
    sink = fileSink(handle.createWriteStream());
  } else {
    sink = { write: (s) => (process.stdout.write(s), Promise.resolve()), end: async () => {} };
  }
  const th = threshold ?? model.threshold;
  let rows: number;
  let unseen = 0;
  try {
    const shape = model.survivalShape;
    if (!jsonl) await sink.write([...ids, ...scoreColumns(shape)].map(csvField).join(",") + "\n");
    rows = await batches.forEach(async (table, offset) => {
      const data = table.data;
      const { X, unseen: u, at } = await model.prepare(table, offset);
      const scores = shape ? model.scoreSurvival(X, at!, offset) : undefined;
      const p = scores ? scores.within[0]! : model.scoreMatrix(X, offset);
      unseen += u.length;
      onBatch?.({ table, probability: p, unseen: u, ...(scores ? { survival: scores } : {}) });
      const surv = scores ? { shape: shape!, scores } : undefined;
      let text = "";
      for (let r = 0; r < table.rows; r++) {
        if (jsonl) text += JSON.stringify(predictionRow(ids, data, r, p[r]!, th, surv)) + "\n";
        else {
          // The CSV form of predictionRow, written directly: no object per row on this hot path.
          const cells = [...ids.map((c) => csvField(data[c]![r])), String(p[r]), p[r]! >= th ? "true" : "false"];
          if (scores) for (const v of survivalValues(scores, r)) cells.push(v === null ? "" : String(v));
          text += cells.join(",") + "\n";
        }
      }
      await sink.write(text);
    });
    // The count reads the whole file, so a bad line past the rows streamed so far (which DuckDB's stream reports as
    // an early end, not an error) surfaces here: a fault of the input, named with DuckDB's cause.
    const total = await expected.catch((e: unknown) => {
      throw unreadable(input, e, out ? `; ${out} was not written` : "");
    });
    if (total === 0) throw new UserError(`${input}: has no data rows to score`);
    if (rows !== total) {
      // The count read past the bad part (a latin-1 byte, a JSON line of another shape): read from where the stream
      // stopped, materialized, to get DuckDB's cause, a fault of the input.
      await probeFrom(input, rows).catch((e: unknown) => {
        throw unreadable(input, e, out ? `; ${out} was not written` : "");
      });
      throw new Error(
        `${input}: scored ${rows} of its ${total} rows (the input stream ended early); ${out ? `${out} was not written` : "the output is incomplete"}`,
      );
    }
    await sink.end();
    if (out && tmp) {
      refuseSymlink(out); // checked before the run; a link planted meanwhile is refused, not replaced
      await rename(tmp, out);
    }
  } catch (e) {
    if (tmp) {
      await sink.end().catch(() => {});
      await rm(tmp, { force: true });
    }
    throw e;
  }
  return { rows, unseen };
}
