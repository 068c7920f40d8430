/**
 * Batch scoring of a file in constant memory: DuckDB streams the input in chunks, each
 * batch is scored and written, and the output appears atomically (temporary name, then
 * rename) so a failure leaves nothing half-written. The stream runs on a connection of its
 * own (any other query on it would end the stream early, silently), and the rows scored are
 * checked against DuckDB's count of the input's rows before the output is kept.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import {
  checkDataFile,
  checkRagged,
  formatOf,
  sourceSql,
  unreadable,
  type RawTable,
  type RawValue,
} from "../data/load.js";
import { withConnection } from "../data/duckdb.js";
import type { DuckDBConnection } from "@duckdb/node-api";
import { dict } from "../utils/dict.js";
import { UserError } from "../utils/errors.js";
import type { ChurnModel } from "./model.js";
import { predictionRow, presentIdColumns, SCORE_COLUMNS } from "./prediction-row.js";

/** Rows scored per batch: large enough to amortise per-batch work, small enough for constant memory. */
const BATCH_ROWS = 16384;

/** Quote a CSV field when it needs it (RFC 4180). */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

type Sink = { write(s: string): void; end(): Promise<void> };

function fileSink(ws: WriteStream): Sink {
  return {
    write: (s) => void ws.write(s),
    end: () => new Promise((res, rej) => ws.end((e?: Error | null) => (e ? rej(e) : res()))),
  };
}

/** Score `input` with `model` and write `out` (CSV, or JSON Lines for .jsonl/.ndjson; stdout when out is undefined). */
export async function predictFile(
  model: ChurnModel,
  input: string,
  out?: string,
  threshold?: number,
): Promise<{ rows: number; unseen: number }> {
  checkDataFile(input);
  const jsonl = out ? /\.(jsonl|ndjson)$/i.test(out) : false;
  if (out && ![".csv", ".jsonl", ".ndjson", ".txt", ""].includes(extname(out).toLowerCase())) {
    throw new UserError(`${out}: unsupported output format; use .csv or .jsonl`);
  }
  // Counted on another connection of its own while the stream is scored; awaited at the end.
  const expected = countRows(input);
  expected.catch(() => undefined); // a failed stream throws first; no unhandled rejection meanwhile
  return withConnection((con) => scoreStream(con, model, input, expected, { out, jsonl, threshold }));
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
  o: { out: string | undefined; jsonl: boolean; threshold: number | undefined },
): Promise<{ rows: number; unseen: number }> {
  const { out, jsonl, threshold } = o;
  let result;
  try {
    result = await con.stream(sourceSql(input));
  } catch (e) {
    throw unreadable(input, e);
  }
  const columns = result.columnNames();
  const ids = presentIdColumns(model.artifact.id_columns, (c) => columns.includes(c));
  let tmp: string | undefined;
  let sink: Sink;
  if (out) {
    await mkdir(dirname(out), { recursive: true });
    tmp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}`);
    sink = fileSink(createWriteStream(tmp));
  } else {
    sink = { write: (s) => void process.stdout.write(s), end: async () => {} };
  }
  const th = threshold ?? model.threshold;
  let rows = 0;
  let unseen = 0;
  try {
    if (!jsonl) sink.write([...ids, ...SCORE_COLUMNS].map(csvField).join(",") + "\n");
    let pending: RawValue[][] = columns.map(() => []);
    let pendingRows = 0;
    const flush = async () => {
      if (pendingRows === 0) return;
      const data = dict<RawValue[]>();
      columns.forEach((c, i) => (data[c] = pending[i]!));
      if (rows === 0 && formatOf(input) === "csv") checkRagged(input, columns, data);
      const table: RawTable = { origin: input, columns, rows: pendingRows, data };
      const { X, unseen: u } = await model.prepare(table, rows);
      const p = model.scoreMatrix(X, rows);
      unseen += u.length;
      let text = "";
      for (let r = 0; r < pendingRows; r++) {
        if (jsonl) text += JSON.stringify(predictionRow(ids, data, r, p[r]!, th)) + "\n";
        else {
          // The CSV form of predictionRow, written directly: no object per row on this hot path.
          text +=
            [...ids.map((c) => csvField(data[c]![r])), String(p[r]), p[r]! >= th ? "true" : "false"].join(",") + "\n";
        }
      }
      sink.write(text);
      rows += pendingRows;
      pending = columns.map(() => []);
      pendingRows = 0;
    };
    for (;;) {
      let chunk;
      try {
        chunk = await result.fetchChunk();
      } catch (e) {
        throw unreadable(input, e);
      }
      if (!chunk || chunk.rowCount === 0) break;
      const cols = chunk.getColumns() as RawValue[][];
      cols.forEach((c, i) => {
        const dst = pending[i]!;
        for (const v of c) dst.push(v);
      });
      pendingRows += chunk.rowCount;
      if (pendingRows >= BATCH_ROWS) await flush();
    }
    await flush();
    // The count reads the whole file, so a bad line past the rows streamed so far (which DuckDB's stream reports as
    // an early end, not an error) surfaces here: a fault of the input, named with DuckDB's cause.
    const total = await expected.catch((e: unknown) => {
      throw unreadable(input, e, out ? `; ${out} was not written` : "");
    });
    if (total === 0) throw new UserError(`${input}: has no data rows to score`);
    if (rows !== total)
      throw new Error(
        `${input}: scored ${rows} of its ${total} rows (the input stream ended early); ${out ? `${out} was not written` : "the output is incomplete"}`,
      );
    await sink.end();
    if (out && tmp) await rename(tmp, out);
  } catch (e) {
    if (tmp) {
      await sink.end().catch(() => {});
      await rm(tmp, { force: true });
    }
    throw e;
  }
  return { rows, unseen };
}
