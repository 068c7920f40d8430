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
import { checkDataFiles, sourceSql, unreadable, type RawTable, type RawValue } from "../data/load.js";
import { openBatches } from "../data/stream.js";
import { withConnection } from "../data/duckdb.js";
import type { DuckDBConnection } from "@duckdb/node-api";
import { fileBytes, forEachWindow, scoringSource, type ScoringSource } from "./scoring-source.js";
import { UserError } from "../utils/errors.js";
import { tmpSibling } from "../utils/fs.js";
import { refuseSymlink } from "../utils/output.js";
import type { UnseenCategory } from "../data/preprocess.js";
import type { ChurnModel, SurvivalInputs } from "../artifact/churn-model.js";
import type { Matrix } from "../core/types.js";
import { presentIdColumns, scoreColumns } from "../artifact/prediction-row.js";
import type { SurvivalScores } from "../learners/baseline-hazard.js";
import { requestedThreads } from "../utils/threads.js";
import { csvBytes, csvField, csvLines, jsonLines, packIds, type PackedIds } from "./lines.js";

export { csvField, csvLines } from "./lines.js";
import { ScorePool, type Scored } from "./score-pool.js";

/** Where the scores go; `write` resolves when more may be written, and rejects with the stream's error. */
type Sink = { write(s: string | Uint8Array): Promise<void>; end(): Promise<void> };

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
 * `input` is a file, a glob pattern or a folder of Parquet files (hive partitions): see `inputPattern`.
 * `onBatch`, when given, sees each scored batch, in order, before its scores are written (its rows then come as
 * text, every column; without it only the model's inputs are read, typed by DuckDB). `threads` (default min(2,
 * cores)): this thread and `threads - 1` workers that score a large input's windows; 1 keeps all on this thread.
 */
export async function predictFile(
  model: ChurnModel,
  input: string,
  out?: string,
  threshold?: number,
  onBatch?: (batch: ScoredBatch) => void,
  threads?: number,
): Promise<{ rows: number; unseen: number }> {
  const pattern = await checkDataFiles(input);
  const jsonl = out ? /\.(jsonl|ndjson)$/i.test(out) : false;
  if (out && ![".csv", ".jsonl", ".ndjson", ".txt", ""].includes(extname(out).toLowerCase())) {
    throw new UserError(`${out}: unsupported output format; use .csv or .jsonl`);
  }
  // Counted on another connection of its own while the stream is scored; awaited at the end.
  const expected = countRows(pattern);
  expected.catch(() => undefined); // a failed stream throws first; no unhandled rejection meanwhile
  const large = pattern === input && fileBytes(input) > POOL_AT_BYTES;
  return scoreStream(model, pattern, expected, {
    out,
    jsonl,
    threshold,
    onBatch,
    threads: requestedThreads(threads),
    large,
  });
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

/** One batch of input rows to score, in input order. */
interface Batch {
  /** Position in the input of the batch's first row. */
  offset: number;
  /** Rows in the batch. */
  rows: number;
  /** The identifier columns (at least) as read. */
  text: Record<string, RawValue[]>;
  /** The identifier columns packed for a scoring worker (in the order of `text`'s), when made without strings. */
  packed?: () => PackedIds;
  /** The rows as read, every column as text: only on the text stream (a watcher of the batches). */
  table?: RawTable;
  /** The model matrix of the rows and their unseen categories. */
  prepare(): Promise<{ X: Matrix; unseen: UnseenCategory[]; at?: SurvivalInputs }>;
  /** Give back the matrix's columns once scored, for the next batches' (typed stream: data/window-buffers.ts). */
  recycle?: (columns: Float64Array[]) => void;
}

/** The input's rows in batches: its column names and a loop over the batches, in order, resolving to the rows read. */
interface Batches {
  columns: string[];
  forEach(each: (b: Batch) => Promise<void>): Promise<number>;
}

/** Every column as text, typed in JavaScript: for a watcher of the batches (the server's metrics see the rows). */
async function textBatches(con: DuckDBConnection, model: ChurnModel, input: string): Promise<Batches> {
  const batches = await openBatches(con, sourceSql(input), input);
  return {
    columns: batches.columns,
    forEach: (each) =>
      batches.forEach((table, offset) =>
        each({ offset, rows: table.rows, text: table.data, table, prepare: () => model.prepare(table, offset) }),
      ),
  };
}

/** The model's inputs typed by DuckDB and the identifier columns as text, window by window (scoring-source.ts). */
function typedBatches(con: DuckDBConnection, source: ScoringSource, input: string, model: ChurnModel): Batches {
  const forEach = (each: (b: Batch) => Promise<void>): Promise<number> =>
    forEachWindow(con, source, input, (w) =>
      each({
        offset: w.offset,
        rows: w.typed.rows,
        get text() {
          return w.text;
        },
        packed: () => w.packed(),
        prepare: () => model.prepareTyped(w.typed, w.offset, (n) => w.buffers.float64(n)),
        recycle: (columns) => w.buffers.give(columns),
      }),
    );
  return { columns: source.columns, forEach };
}

/** How {@link predictFile} writes: the output (stdout when undefined), its form, the threshold and the watcher. */
interface ScoreOptions {
  out: string | undefined;
  jsonl: boolean;
  threshold: number | undefined;
  onBatch: ((batch: ScoredBatch) => void) | undefined;
  /** Threads that may score (1: the main thread only). */
  threads: number;
  /** Whether the input is a file past {@link POOL_AT_BYTES}: the pool starts with the first window. */
  large: boolean;
}

/**
 * Rows after which the stream is scored by worker threads (score-pool.ts), when more than one thread may score: a
 * worker takes ~50-150 ms and ~0.1 s of CPU to start, which the rows of a small file (the server's, the API's) never
 * win back (100,000 rows of a 100-tree gbdt are ~0.05 s of trees and ~0.1 s of CSV lines).
 */
export const POOL_AFTER_ROWS = 100_000;

/**
 * Bytes of an input file from which the pool starts at once, not after {@link POOL_AFTER_ROWS}: its first 100,000
 * rows' trees and CSV lines (~0.25 s of the main thread on the 1M-row files) then run beside the reading too. A
 * 16 MB file holds more than 100,000 rows of a churn table in CSV (~200 bytes a row) or Parquet alike.
 */
export const POOL_AT_BYTES = 16 * 1024 * 1024;

/** Windows being scored by the pool at once: enough to keep its workers busy, few enough to bound memory (~5 MB each). */
const IN_FLIGHT = 4;

async function scoreStream(
  model: ChurnModel,
  input: string,
  expected: Promise<number>,
  o: ScoreOptions,
): Promise<{ rows: number; unseen: number }> {
  const { onBatch } = o;
  const idsOf = (columns: string[]) => presentIdColumns(model.artifact.id_columns, (c) => columns.includes(c));
  if (onBatch) {
    return withConnection(async (con) => {
      const batches = await textBatches(con, model, input);
      return writeScores(model, input, expected, batches, idsOf(batches.columns), o);
    });
  }
  const source = await scoringSource(model, input, idsOf);
  return withConnection(async (con) => {
    const batches = typedBatches(con, source, input, model);
    return writeScores(model, input, expected, batches, source.wanted.text, o);
  }, source.database);
}

async function writeScores(
  model: ChurnModel,
  input: string,
  expected: Promise<number>,
  batches: Batches,
  ids: string[],
  o: ScoreOptions,
): Promise<{ rows: number; unseen: number }> {
  const { out, jsonl, threshold, onBatch } = o;
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
  const shape = model.survivalShape;
  // A classification model's windows go to scoring workers once the input is large; survival scores and a watcher
  // of the batches stay on this thread.
  // This thread reads and encodes (DuckDB's chunks) while `threads - 1` workers score: on two cores one worker keeps
  // up with the reading (a second one cost more CPU to start and to feed than it saved, measured on 1M rows).
  const poolable = !shape && !onBatch && o.threads > 1;
  const workers = o.threads - 1;
  let pool: ScorePool | null | undefined;
  let seen = 0;
  const queue: { job: Promise<Scored>; text: Record<string, RawValue[]>; recycle: Batch["recycle"] }[] = [];
  /** Write the oldest window the pool is scoring, once it is scored (windows are written in input order). */
  const writeOldest = async (): Promise<void> => {
    const { job, text, recycle } = queue.shift()!;
    const s = await job;
    recycle?.(s.columns);
    await sink.write(jsonl ? jsonLines(ids, text, s.p, th) : s.csv!);
  };
  try {
    if (!jsonl) await sink.write([...ids, ...scoreColumns(shape)].map(csvField).join(",") + "\n");
    rows = await batches.forEach(async (b) => {
      const { X, unseen: u, at } = await b.prepare();
      unseen += u.length;
      seen += b.rows;
      if (poolable && pool === undefined && (o.large || seen > POOL_AFTER_ROWS)) pool = ScorePool.start(model, workers);
      if (pool) {
        const packed = jsonl ? null : b.packed ? b.packed() : packIds(ids.map((c) => b.text[c]!));
        const job = pool.score(X, b.offset, packed, th);
        job.catch(() => undefined); // awaited in order by writeOldest; never an unhandled rejection meanwhile
        queue.push({ job, text: jsonl ? b.text : {}, recycle: b.recycle });
        while (queue.length >= IN_FLIGHT) await writeOldest();
        return;
      }
      const scores = shape ? model.scoreSurvival(X, at!, b.offset) : undefined;
      const p = scores ? scores.within[0]! : model.scoreMatrix(X, b.offset);
      if (onBatch && b.table)
        onBatch({ table: b.table, probability: p, unseen: u, ...(scores ? { survival: scores } : {}) });
      const surv = scores ? { shape: shape!, scores } : undefined;
      await sink.write(
        jsonl
          ? jsonLines(ids, b.text, p, th, surv)
          : surv
            ? csvLines(ids, b.text, p, th, surv.scores)
            : csvBytes(
                ids.map((c) => b.text[c]!),
                p,
                th,
              ),
      );
      b.recycle?.(X.columns);
    });
    while (queue.length) await writeOldest();
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
  } finally {
    if (pool) await pool.close();
  }
  return { rows, unseen };
}
