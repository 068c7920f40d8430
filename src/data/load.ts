/**
 * Loading customer tables. DuckDB parses the file; every value comes back as text (or null),
 * and churnkit's own schema step decides the types, so CSV, Parquet and JSON are typed by
 * the same rules at training and at prediction time.
 */
import { existsSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { dict } from "../utils/dict.js";
import { UserError } from "../utils/errors.js";
import { csvDialect, sniffCsv } from "./csv-dialect.js";
import { duck, duckMessage, ident, literal } from "./duckdb.js";

/** A value as it arrives: from a file (text or null) or from an API caller (any JSON scalar). */
export type RawValue = string | number | boolean | bigint | null | undefined;

/** A table of raw values, column by column. */
export interface RawTable {
  /** Where it came from, for error messages: a file path or "request". */
  origin: string;
  /** Column names in file order. */
  columns: string[];
  /** Number of rows. */
  rows: number;
  /** Raw values of each column (an object without prototype when churnkit builds it: see utils/dict.ts). */
  data: Record<string, RawValue[]>;
}

/** The file formats churnkit reads, told apart by extension. */
export type FileFormat = "csv" | "parquet" | "json";

/** The format of a data file from its extension (`.gz` ignored); anything not Parquet or JSON is read as CSV. */
export function formatOf(path: string): FileFormat {
  const ext = extname(path).toLowerCase().replace(/\.gz$/, "");
  if (ext === ".parquet" || ext === ".pq") return "parquet";
  if (ext === ".json" || ext === ".jsonl" || ext === ".ndjson") return "json";
  return "csv";
}

/** The SQL of a relation that reads `path` with every column as VARCHAR. */
export function sourceSql(path: string): string {
  const format = formatOf(path);
  const p = literal(path);
  if (format === "csv") return `SELECT * FROM read_csv(${p}, all_varchar = true, header = true${csvDialect(path)})`;
  if (format === "parquet") return `SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${p})`;
  return `SELECT COLUMNS(*)::VARCHAR FROM read_json_auto(${p})`;
}

/** Check that a data file exists and is not empty; throws a UserError naming the file. */
export function checkDataFile(path: string): void {
  if (!existsSync(path)) throw new UserError(`${path}: file not found; check the path`);
  const st = statSync(path);
  if (st.isDirectory()) throw new UserError(`${path}: is a directory, expected a CSV, Parquet or JSON file`);
  if (st.size === 0) throw new UserError(`${path}: file is empty; it needs a header row and at least one data row`);
}

/** Whether `path` is a glob pattern (it has `*`, `?` or `[`) rather than the name of one file. */
export const isPattern = (path: string): boolean => /[*?[]/.test(path);

/**
 * The files that `path` names, as one pattern for DuckDB: a file stays itself; a glob stays a glob
 * (such as `scores/region=north/part-*.parquet`); a folder means every Parquet file below it (the pattern `**` then `*.parquet` under it), whose
 * `key=value` folders DuckDB reads as hive partition columns.
 */
export function inputPattern(path: string): string {
  if (existsSync(path)) return statSync(path).isDirectory() ? join(path, "**", "*.parquet") : path;
  return path;
}

/**
 * Check a data file, glob or folder before reading it in one stream (what `predict` accepts): a file as
 * {@link checkDataFile}, a glob or folder must match at least one file. Returns {@link inputPattern}.
 */
export async function checkDataFiles(path: string): Promise<string> {
  const pattern = inputPattern(path);
  if (pattern === path && (existsSync(path) || !isPattern(path))) {
    checkDataFile(path);
    if (formatOf(path) === "csv") await sniffCsv(path); // once, for the several reads that follow
    return path;
  }
  const r = await (await duck()).runAndReadAll(`SELECT count(*) FROM glob(${literal(pattern)})`);
  if (Number(r.getRows()[0]![0]) === 0) {
    throw new UserError(`${pattern}: no file matches; check the pattern (or the folder's Parquet files)`);
  }
  return pattern;
}

/**
 * For Parquet files (one file or a pattern): {@link sourceSql}'s relation with one more column, `position`, each
 * row's 0-based position in the whole input (files in DuckDB's glob order, then rows in file order), so that rows
 * streamed on several threads can be put back in order. The `native` columns keep their stored type (see
 * {@link exactNumberColumns}); the others are text.
 */
export async function positionedParquetSql(
  path: string,
  position: string,
  native: readonly string[] = [],
): Promise<string> {
  const p = literal(path);
  const files = await (await duck()).runAndReadAll(`SELECT num_rows FROM parquet_file_metadata(${p})`);
  // parquet_file_metadata lists the files in the order that read_parquet numbers them (file_index).
  const offsets: number[] = [];
  let total = 0;
  for (const [rows] of files.getRows()) {
    offsets.push(total);
    total += Number(rows);
  }
  const at = offsets.length > 1 ? `list_extract([${offsets.join(", ")}], file_index::INTEGER + 1) + ` : "";
  const keep = native.map(ident);
  const text = `COLUMNS(c -> c <> 'file_row_number'${keep.length ? ` AND NOT list_contains([${native.map(literal).join(", ")}], c)` : ""})::VARCHAR`;
  return `SELECT ${[text, ...keep].join(", ")}, (${at}file_row_number)::DOUBLE AS ${position} FROM read_parquet(${p}, file_row_number = true)`;
}

/**
 * Parquet column types whose text form (as `sourceSql` reads it) is exactly the number DuckDB's cast to DOUBLE gives
 * (DOUBLE prints the shortest text that reads back the same; integers convert with the same rounding): scoring may
 * read them as numbers. FLOAT and DECIMAL are not among them (their text reads back as another double).
 */
const EXACT_NUMBER_TYPES = new Set([
  "DOUBLE",
  "TINYINT",
  "SMALLINT",
  "INTEGER",
  "BIGINT",
  "UTINYINT",
  "USMALLINT",
  "UINTEGER",
  "UBIGINT",
]);

/** Columns of the Parquet file(s) `path` stored with one of the {@link EXACT_NUMBER_TYPES}. */
export async function exactNumberColumns(path: string): Promise<string[]> {
  const r = await (await duck()).runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(path)})`);
  return r
    .getRows()
    .filter(([, type]) => EXACT_NUMBER_TYPES.has(String(type)))
    .map(([name]) => String(name));
}

/** Load a whole file into memory as a {@link RawTable}. */
export async function loadTable(path: string): Promise<RawTable> {
  checkDataFile(path);
  const con = await duck();
  let result;
  try {
    result = await con.runAndReadAll(sourceSql(path));
  } catch (e) {
    throw unreadable(path, e);
  }
  const columns = result.columnNames();
  const raw = result.getColumnsJS() as RawValue[][];
  const rows = result.currentRowCount;
  const data = dict<RawValue[]>();
  columns.forEach((c, i) => (data[c] = raw[i]!));
  await checkShape(path, columns, rows, () => Promise.resolve(data[columns[0]!]!));
  return { origin: path, columns, rows, data };
}

/**
 * The checks of a loaded file: at least one row, not a ragged CSV (see {@link checkRagged}; `firstColumn`
 * gives the values of the only column, read only then), no repeated column name.
 */
export async function checkShape(
  path: string,
  columns: string[],
  rows: number,
  firstColumn: () => Promise<RawValue[]>,
): Promise<void> {
  if (rows === 0) throw new UserError(`${path}: has no data rows; it needs at least one row below the header`);
  if (formatOf(path) === "csv" && columns.length === 1) {
    const data = dict<RawValue[]>();
    data[columns[0]!] = await firstColumn();
    checkRagged(path, columns, data);
  }
  await checkColumnNames(path, columns);
}

/**
 * Refuse a file with a repeated column name: DuckDB reads a CSV
 * header's repeat (in any letter case) as a renamed column (`a`, `a_1`), so that the model would read one of the two without a word.
 * Every command that reads a table checks it: the whole-file loaders (checkShape) and the streams (predict, drift).
 */
export async function checkColumnNames(path: string, columns: string[]): Promise<void> {
  const dup =
    columns.find((c, i) => columns.indexOf(c) !== i) ??
    (formatOf(path) === "csv" ? await duplicateHeader(path, columns) : undefined);
  if (dup) throw new UserError(`${path}: column "${dup}" appears twice; rename one of them`);
}

/** Fields of one CSV line (quotes respected), for error messages only. */
const fieldCount = (line: string, delim: string): number => {
  let n = 1;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delim && !quoted) n++;
  }
  return n;
};

/**
 * DuckDB's sniffer falls back to one whole-line column when rows have different numbers of
 * fields. Such a file is malformed: name the first row whose field count differs from the header's.
 */
export function checkRagged(path: string, columns: string[], data: Record<string, RawValue[]>): void {
  if (columns.length !== 1) return;
  const header = columns[0]!;
  const values = data[header]!;
  const delim = [",", ";", "\t", "|"].find(
    (d) => header.includes(d) && values.some((v) => typeof v === "string" && v.includes(d)),
  );
  if (!delim) return;
  const width = fieldCount(header, delim);
  const bad = values.findIndex((v) => fieldCount(String(v ?? ""), delim) !== width);
  const where =
    bad >= 0
      ? `row ${bad + 1} has ${fieldCount(String(values[bad] ?? ""), delim)} fields but the header has ${width}`
      : "rows do not split into the header's columns";
  throw new UserError(`${path}: malformed CSV, ${where}; check the row's delimiters and quotes`);
}

/** DuckDB renames a repeated header name (`a`, `a_1`); read the header as data to find the original repeat. */
async function duplicateHeader(path: string, columns: string[]): Promise<string | undefined> {
  const lower = new Set(columns.map((c) => c.toLowerCase()));
  if (!columns.some((c) => /^(.*)_\d+$/.test(c) && lower.has(c.replace(/_\d+$/, "").toLowerCase()))) return undefined;
  const con = await duck();
  const r = await con.runAndReadAll(
    `SELECT * FROM read_csv(${literal(path)}, all_varchar = true, header = false) LIMIT 1`,
  );
  const names = (r.getRowsJS()[0] ?? []).map((v) => String(v).toLowerCase());
  const i = names.findIndex((c, j) => names.indexOf(c) !== j);
  return i >= 0 ? String(r.getRowsJS()[0]![i]) : undefined;
}

/** The one-line error for a file DuckDB cannot read: its cause (line, encoding) and what to do. */
export function unreadable(path: string, e: unknown, after = ""): UserError {
  const msg = duckMessage(e);
  const fix = /not utf-8 encoded/i.test(msg)
    ? "convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)"
    : "check the file's format and delimiter";
  return new UserError(`${path}: cannot be read as ${formatOf(path).toUpperCase()} (${msg}); ${fix}${after}`);
}

/** Build a {@link RawTable} from plain objects (API input). Columns are the union of keys. */
export function tableFromRows(rows: Record<string, unknown>[], origin = "request"): RawTable {
  const columns: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (row === null || typeof row !== "object" || Array.isArray(row))
      throw new UserError(`${origin}: row ${i + 1} is not an object of column: value pairs`);
    for (const k of Object.keys(row))
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
  });
  const data = dict<RawValue[]>();
  for (const c of columns) {
    const col = new Array<RawValue>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const v = Object.hasOwn(row, c) ? row[c] : undefined;
      if (v !== null && v !== undefined && typeof v === "object")
        throw new UserError(
          `${origin}: row ${i + 1}, column "${c}": expected a number, string or boolean, got an object`,
        );
      col[i] = v as RawValue;
    }
    data[c] = col;
  }
  return { origin, columns, rows: rows.length, data };
}

/** Rows `idx` of a table, as a new table. */
export function takeRows(t: RawTable, idx: ArrayLike<number>): RawTable {
  const data = dict<RawValue[]>();
  for (const c of t.columns) {
    const src = t.data[c]!;
    const out = new Array<RawValue>(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = src[idx[i]!];
    data[c] = out;
  }
  return { origin: t.origin, columns: t.columns, rows: idx.length, data };
}
