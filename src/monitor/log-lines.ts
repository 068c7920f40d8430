/**
 * The request log of `churnkit serve --log-requests` (JSON Lines, serve/request-log.ts), read line by line for
 * `churnkit drift`. Read here rather than by DuckDB's read_json because a log is read while the server writes it,
 * and every line must be accounted for by its number:
 * - the file is read up to the size it had when the check started, so lines appended meanwhile are left for the
 *   next check (a second pass, such as a row count, would see more rows than the first);
 * - a last line without a line end that is not valid JSON is being written (or was cut off by a crash): it is
 *   skipped, and the caller says so; a complete last line without a line end is read;
 * - any other line that is not a request-log object (not JSON, not an object, no `row` object, a `row` of `null`)
 *   is a UserError naming the line: it is never read as a row of missing values;
 * - blank lines are skipped (they hold no row).
 * Rows are handed on in batches of consecutive lines, so that the row numbers of later messages (a value that is
 * not a number) are the file's line numbers.
 */
import { createReadStream, openSync, closeSync, fstatSync, readSync } from "node:fs";
import { createGunzip } from "node:zlib";
import type { Readable } from "node:stream";
import { dict } from "../utils/dict.js";
import { UserError, show } from "../utils/errors.js";
import type { RawTable, RawValue } from "../data/load.js";
import { BATCH_ROWS } from "../data/stream.js";

/** What a read of a request log found besides its rows. */
export interface LogLinesInfo {
  /** Rows read (lines that are request-log objects). */
  rows: number;
  /** Lines in the part of the file read (with blank lines and a skipped last line). */
  lines: number;
  /** The line number of a last line skipped as not yet complete (no line end, not valid JSON). */
  skippedLast?: number;
}

const isGzip = (path: string): boolean => /\.gz$/i.test(path);
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A line of a request log parsed as JSON, or why it is not one. */
function parseLine(text: string): { row: Record<string, unknown> } | { bad: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { bad: "is not valid JSON" };
  }
  if (v === null || typeof v !== "object" || Array.isArray(v))
    return { bad: `is ${Array.isArray(v) ? "an array" : show(v)}, not an object` };
  const row = Object.hasOwn(v, "row") ? (v as { row: unknown }).row : undefined;
  if (row === undefined) return { bad: 'has no "row" key' };
  if (row === null || typeof row !== "object" || Array.isArray(row))
    return { bad: `has "row": ${Array.isArray(row) ? "an array" : show(row)}, not an object of column: value pairs` };
  return { row: row as Record<string, unknown> };
}

/**
 * Whether `path` is a request log: among its first lines (up to 64 KiB), the first JSON object has a `row` object
 * and a `churn_probability`. A gzipped file is looked at after decompression.
 */
export async function looksLikeRequestLog(path: string): Promise<boolean> {
  const head = await readHead(path, 64 * 1024);
  for (const line of head.split("\n").slice(0, -1)) {
    if (line.trim() === "") continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      continue; // a bad first line is reported by the read, if this is a request log after all
    }
    if (v === null || typeof v !== "object" || Array.isArray(v)) continue;
    return Object.hasOwn(v, "row") && Object.hasOwn(v, "churn_probability");
  }
  return false;
}

async function readHead(path: string, max: number): Promise<string> {
  if (!isGzip(path)) {
    const fd = openSync(path, "r");
    try {
      const buf = Buffer.alloc(Math.min(max, fstatSync(fd).size));
      const n = readSync(fd, buf, 0, buf.length, 0);
      return buf.toString("utf8", 0, n) + "\n"; // a last line cut by `max` fails to parse and is passed over
    } finally {
      closeSync(fd);
    }
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const s = createReadStream(path).pipe(createGunzip());
  try {
    for await (const c of s as AsyncIterable<Buffer>) {
      chunks.push(c);
      size += c.length;
      if (size >= max) break;
    }
  } catch {
    return ""; // not gzip after all: not a request log
  } finally {
    s.destroy();
  }
  return Buffer.concat(chunks).toString("utf8") + "\n";
}

/**
 * Read the request log `path`, handing each batch of rows (the `columns` of each line's `row` object; a key
 * absent is a missing value) to `onBatch` with the number of lines before its first row.
 */
export async function readLogLines(
  path: string,
  columns: readonly string[],
  onBatch: (table: RawTable, offset: number) => Promise<void> | void,
): Promise<LogLinesInfo> {
  let stream: Readable;
  if (isGzip(path)) stream = createReadStream(path).pipe(createGunzip());
  else {
    const fd = openSync(path, "r");
    const size = fstatSync(fd).size; // the snapshot: what a live log holds now
    stream = createReadStream("", { fd, start: 0, end: Math.max(0, size - 1), highWaterMark: 1 << 20 });
    if (size === 0) stream.destroy();
  }

  let pending: RawValue[][] = columns.map(() => []);
  let pendingRows = 0;
  let firstLine = 0; // line number before the pending batch's first row
  let line = 0; // lines read so far
  let rows = 0;
  const flush = async () => {
    if (pendingRows > 0) {
      const data = dict<RawValue[]>();
      columns.forEach((c, i) => (data[c] = pending[i]!));
      await onBatch({ origin: path, columns: [...columns], rows: pendingRows, data }, firstLine);
      rows += pendingRows;
    }
    pending = columns.map(() => []);
    pendingRows = 0;
    firstLine = line;
  };
  const take = async (text: string, last: boolean): Promise<"row" | "skip"> => {
    line++;
    if (text.trim() === "") {
      await flush(); // the next batch starts after the blank line, so its row numbers stay line numbers
      return "skip";
    }
    const p = parseLine(text);
    if ("bad" in p) {
      if (last && p.bad === "is not valid JSON") return "skip";
      throw new UserError(
        `${path}: line ${line} ${p.bad}; every line of a request log is {"time", "row": {...}, "churn_probability"} (fix or remove the line)`,
      );
    }
    for (let j = 0; j < columns.length; j++) {
      const c = columns[j]!;
      const v = Object.hasOwn(p.row, c) ? p.row[c] : null;
      if (v !== null && typeof v === "object")
        throw new UserError(
          `${path}: line ${line}, column "${c}": expected a number, string or boolean, got ${Array.isArray(v) ? "an array" : "an object"}`,
        );
      pending[j]!.push(v as RawValue);
    }
    pendingRows++;
    if (pendingRows >= BATCH_ROWS) await flush();
    return "row";
  };

  let rest: Buffer = Buffer.alloc(0);
  let skippedLast: number | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      const end = buf.lastIndexOf(0x0a);
      if (end < 0) {
        rest = buf;
        continue;
      }
      const text = decode(buf.subarray(0, end), path, line);
      rest = Buffer.from(buf.subarray(end + 1));
      let from = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
        await take(text.slice(from, nl), false);
        from = nl + 1;
      }
      await take(text.slice(from), false);
    }
  } catch (e) {
    // A fault of the file (a gzip stream cut short, an I/O error) is the user's to fix; anything else is a bug.
    if (e instanceof UserError || (e as NodeJS.ErrnoException)?.code === undefined) throw e;
    throw new UserError(`${path}: cannot be read after line ${line} (${(e as Error).message}); check the file`);
  } finally {
    stream.destroy();
  }
  if (rest.length > 0) {
    const text = decode(rest, path, line);
    if ((await take(text, true)) === "skip" && text.trim() !== "") skippedLast = line;
  }
  await flush();
  return { rows, lines: line, ...(skippedLast !== undefined ? { skippedLast } : {}) };
}

/** UTF-8 text of whole lines; bytes that are not UTF-8 are a UserError naming the first line that has them. */
function decode(buf: Buffer, path: string, before: number): string {
  try {
    return utf8.decode(buf);
  } catch {
    let n = before;
    let from = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, from);
      const end = nl < 0 ? buf.length : nl;
      n++;
      try {
        utf8.decode(buf.subarray(from, end));
      } catch {
        break;
      }
      if (nl < 0) break;
      from = nl + 1;
    }
    throw new UserError(
      `${path}: line ${n} is not UTF-8 text; a request log is written in UTF-8 (convert it, e.g. iconv -f latin1 -t utf-8)`,
    );
  }
}
