/**
 * `churnkit serve --log-requests FILE`: every scored row appended to FILE as one JSON line, for
 * monitoring (`churnkit drift --data FILE` reads it). The file is the user's: it is opened for
 * appending only (never truncated, never replaced), lines are written in the order the rows were
 * scored, a slow disk slows the requests down (backpressure) rather than filling memory without
 * bound, and the server's close flushes what is buffered before it returns. On SIGHUP (log rotation:
 * logrotate has moved the file away) `churnkit serve` calls {@link RequestLog.reopen}: later lines go to a
 * new file at the same path, the moved file gets every line written before.
 */
import { closeSync, createWriteStream, fstatSync, openSync, readSync, type WriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import type { RawTable } from "../data/load.js";
import { dict } from "../utils/dict.js";
import { fsCause, isErrnoError, outputError } from "../utils/output.js";

/**
 * One line of the request log (JSON Lines: one object per scored row, keys in this order). This shape
 * is a contract: `churnkit drift --data FILE` reads it.
 *
 * ```json
 * {"time":"2026-12-02T00:20:12.345Z","row":{"customerID":"7590-VHVEG","tenure":1,...},"churn_probability":0.62,"churn":true}
 * ```
 */
export interface RequestLogLine {
  /** When the row was scored: ISO 8601, UTC, milliseconds (one time for all the rows of a request). */
  time: string;
  /**
   * The row's columns as received: POST /predict logs the JSON object as sent (every key, values with
   * their JSON types); POST /predict.csv logs the CSV's header: value pairs, values as text (empty cells as null).
   */
  row: Record<string, unknown>;
  /** The probability served. */
  churn_probability: number;
  /** The decision served: `churn_probability` at or above the model's threshold. */
  churn: boolean;
}

/** The rows of a table read from a file (an upload) as header: value objects, in column order: a {@link RequestLogLine}'s `row`. */
export function csvRows(t: RawTable): Record<string, unknown>[] {
  const rows = new Array<Record<string, unknown>>(t.rows);
  for (let i = 0; i < t.rows; i++) {
    const o = dict<unknown>();
    for (const c of t.columns) o[c] = t.data[c]![i] ?? null;
    rows[i] = o;
  }
  return rows;
}

/** Whether a non-empty file's last byte is a line end (so that appended lines start on a line of their own). */
function endsWithNewline(fd: number, size: number): boolean {
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

/** A write stream appending to `path` (created when absent), on a line of its own; an error names `flag`. */
function openAppend(path: string, flag: string): WriteStream {
  let fd: number | undefined;
  try {
    // "a+": every write goes to the end (O_APPEND), and the last byte can be read.
    fd = openSync(path, "a+");
    const size = fstatSync(fd).size;
    // A file whose last line has no line end (cut short, or written by hand) would glue our first line to it.
    const newline = size > 0 && !endsWithNewline(fd, size);
    const ws = createWriteStream("", { fd });
    if (newline) ws.write("\n");
    return ws;
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    throw outputError(e, path, flag);
  }
}

/** An open request log; create it with {@link RequestLog.open}. */
export class RequestLog {
  private failed: Error | undefined;
  private closed: Promise<void> | undefined;
  /** One wait for `drain`, shared by every request that met a full buffer (not a listener each). */
  private drained: Promise<unknown> | undefined;

  private constructor(
    /** The file, as named by the user. */
    readonly path: string,
    private ws: WriteStream,
  ) {
    this.watch(ws);
  }

  private watch(ws: WriteStream): void {
    ws.on("error", (e) => (this.failed ??= e));
  }

  /**
   * Open `path` for appending (created when absent; an existing file's content is kept). Opened at once,
   * synchronously, so that a path that cannot be written is a startup error (a UserError naming the file).
   */
  static open(path: string, flag = "--log-requests"): RequestLog {
    return new RequestLog(path, openAppend(path, flag));
  }

  /**
   * Start a new file at the path (after log rotation moved the old one away; the path's file if it is still
   * there, appended to, never truncated): later lines go to it, the lines written before are flushed to the old
   * file, which is then closed. When the path cannot be opened now (a UserError naming it), lines keep going to
   * the old file. Resolves once the old file is closed.
   */
  async reopen(): Promise<void> {
    this.check();
    if (this.closed) throw new Error(`request log ${this.path}: already closed`);
    const next = openAppend(this.path, "--log-requests");
    const old = this.ws;
    this.watch(next);
    this.ws = next; // synchronous swap: no line is split between the files, and none is written out of order
    old.end();
    await finished(old).catch(() => undefined);
    this.check();
  }

  /**
   * Append one line per row: `rows[i]` as received, `probability[i]`, and the decision at `threshold`
   * (a {@link RequestLogLine} each). Lines of concurrent calls never interleave: each call writes its
   * lines in one piece, in call order. Resolves when the stream takes more (waits for `drain` when
   * its buffer is full); rejects when the file cannot be written (the request then fails with 500).
   */
  async append(
    rows: readonly Record<string, unknown>[],
    probability: ArrayLike<number>,
    threshold: number,
    time: Date = new Date(),
  ): Promise<void> {
    this.check();
    // A closed stream neither writes nor emits an error: refuse instead of waiting for a drain that never comes.
    if (this.closed) throw new Error(`request log ${this.path}: already closed`);
    const head = `{"time":${JSON.stringify(time.toISOString())},"row":`;
    let text = "";
    for (let i = 0; i < rows.length; i++) {
      const p = probability[i]!;
      text += `${head}${JSON.stringify(rows[i])},"churn_probability":${JSON.stringify(p)},"churn":${p >= threshold}}\n`;
    }
    if (!this.ws.write(text)) {
      this.drained ??= this.drain().finally(() => (this.drained = undefined));
      await this.drained;
    }
    this.check();
  }

  /** Flush what is buffered and close the file. Safe to call more than once. */
  close(): Promise<void> {
    this.closed ??= this.failed ? Promise.resolve() : (this.ws.end(), finished(this.ws).catch(() => undefined));
    return this.closed.then(() => this.check());
  }

  /** Resolves when the stream takes more, or will never again (closed: ended meanwhile, or failed; check() tells). */
  private drain(): Promise<void> {
    const ws = this.ws;
    return new Promise((resolve) => {
      const done = () => {
        for (const e of ["drain", "close", "error"]) ws.off(e, done);
        resolve();
      };
      for (const e of ["drain", "close", "error"]) ws.on(e, done);
    });
  }

  /** Throw the stream's error, named, if it had one. */
  private check(): void {
    const e = this.failed;
    if (!e) return;
    throw new Error(`request log ${this.path}: cannot be written: ${isErrnoError(e) ? fsCause(e) : e.message}`);
  }
}
