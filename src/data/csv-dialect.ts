/**
 * A CSV file's dialect (delimiter, quote, escape, line ending, comment, skipped lines), sniffed once and reused.
 * DuckDB's sniffer tries 36 dialects on a sample each time a query reads a CSV without them (~40-50 ms of CPU for a
 * 30-column file, whatever its length), and `predict` reads its input three times (names, count, stream). Given the
 * dialect it found, read_csv reads the same rows (~5 ms of sniffing for the header and the row shape).
 */
import { statSync } from "node:fs";
import { duck, literal } from "./duckdb.js";

/** Dialect options by path, with the file's identity when sniffed: a file changed since is sniffed again. */
const known = new Map<string, { stamp: string; options: string }>();
/** Entries kept (a server scores many files): the oldest beyond these are dropped. */
const KEEP = 16;

/** The identity of a regular, non-empty file (never a FIFO or device, which a sniff would consume), else undefined. */
const stampOf = (path: string): string | undefined => {
  try {
    const s = statSync(path);
    if (!s.isFile() || s.size === 0) return undefined;
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
};

/** sniff_csv's "(empty)" means no quote, escape or comment character. */
const option = (v: unknown): string => literal(v === "(empty)" ? "" : String(v));

/**
 * Sniff the CSV file `path` now, so that {@link csvDialect} gives its options until the file changes. A file DuckDB
 * cannot sniff is left unknown: the query that reads it then fails as it did without this, with DuckDB's own cause.
 */
export async function sniffCsv(path: string): Promise<void> {
  const stamp = stampOf(path);
  if (stamp === undefined || known.get(path)?.stamp === stamp) return;
  let r: Record<string, unknown> | undefined;
  try {
    const sql = `SELECT Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows FROM sniff_csv(${literal(path)}, all_varchar = true, header = true)`;
    r = (await (await duck()).runAndReadAll(sql)).getRowObjectsJS()[0];
  } catch {
    return;
  }
  if (!r) return;
  const options =
    `, delim = ${option(r.Delimiter)}, quote = ${option(r.Quote)}, escape = ${option(r.Escape)}` +
    `, new_line = ${option(r.NewLineDelimiter)}, comment = ${option(r.Comment)}, skip = ${Number(r.SkipRows)}`;
  known.delete(path);
  known.set(path, { stamp, options });
  if (known.size > KEEP) known.delete(known.keys().next().value!);
}

/** The read_csv options (", delim = ..., ...") {@link sniffCsv} found for `path`, if the file is unchanged since; else "". */
export function csvDialect(path: string): string {
  const k = known.get(path);
  return k && stampOf(path) === k.stamp ? k.options : "";
}
