/**
 * A training file typed by DuckDB: the file is read once into a temporary table of text (in
 * DuckDB's memory, on a connection of its own), and schema facts, labels, typed columns and the
 * fingerprint are computed there in SQL by the rules of sql-values.ts. Columns reach JavaScript
 * chunk by chunk: numbers and booleans as text read from the vectors' memory (text-vectors.ts, the
 * rules of values.ts) into Float64Array (NaN missing), categories as integer codes against a
 * vocabulary built in SQL, so a cell in the plain form never becomes a JS string (only raw rows
 * asked for by {@link TrainingSource.rawRows} do).
 */
import type { DuckDBConnection, DuckDBResult } from "@duckdb/node-api";
import { dict } from "../utils/dict.js";
import { database, ident } from "./duckdb.js";
import { columnMark, type Fingerprint } from "./fingerprint.js";
import { countFacts } from "./count-facts.js";
import { checkDataFile, checkShape, sourceSql, unreadable, type RawTable, type RawValue } from "./load.js";
import type { ColumnFacts } from "./schema.js";
import type { SubsetOptions, TrainingSource } from "./source.js";
import { sqlCategory, sqlTrim } from "./sql-values.js";
import { BOOLEAN_WORDS, levelTable, textNumbers, textValues } from "./text-vectors.js";
import { parseBoolean, parseCategory } from "./values.js";
import { itemsOf } from "./vector-items.js";
import { badValue, CODE_MISSING, type ColumnSpec, type TypedColumn, type TypedTable } from "./typed.js";

const RAW = "churnkit_raw";
const PICK = "churnkit_pick";
/** Most levels a column's vocabulary may have for its cells to be coded in JavaScript ({@link FileSource.shortCodes}). */
const SHORT_VOCABULARY = 65536;
/** Whether a label fits inline in a DuckDB string (at most 12 bytes), where text-vectors.ts reads it. */
const isShort = (l: string): boolean => l.length <= 12 && Buffer.byteLength(l, "utf8") <= 12;
/** Rows per block of text when the fingerprint is hashed: a few MB of text at a time. */
const HASH_BLOCK = 65536;

/** Every row of a result, chunk by chunk: `each(chunk, offset)` reads the chunk's vectors. */
async function forChunks(
  result: DuckDBResult,
  each: (chunk: NonNullable<Awaited<ReturnType<DuckDBResult["fetchChunk"]>>>, offset: number) => void,
): Promise<number> {
  let offset = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return offset;
    each(chunk, offset);
    offset += chunk.rowCount;
  }
}

/**
 * Open a file as a {@link TrainingSource} typed in DuckDB (to train on, or with `facts: false` to score, evaluate or
 * explain). Close it when done.
 */
export async function fileSource(path: string, opts: SubsetOptions = {}): Promise<TrainingSource> {
  checkDataFile(path);
  const con = await (await database()).connect();
  try {
    try {
      await con.run(`CREATE TEMP TABLE ${RAW} AS ${sourceSql(path)}`);
    } catch (e) {
      throw unreadable(path, e);
    }
    const columns = (await con.runAndReadAll(`SELECT * FROM ${RAW} LIMIT 0`)).columnNames();
    const rows = Number((await con.runAndReadAll(`SELECT count(*) FROM ${RAW}`)).getRows()[0]![0]);
    await checkShape(path, columns, rows, async () => {
      const r = await con.runAndReadAll(`SELECT * FROM ${RAW} ORDER BY rowid`);
      return r.getColumnsJS()[0] as RawValue[];
    });
    const facts = opts.facts === false ? new Map<string, ColumnFacts>() : await countFacts(con, columns, RAW);
    return new FileSource(con, path, columns, rows, facts);
  } catch (e) {
    con.closeSync();
    throw e;
  }
}

/** Subsets made so far on any source: each gets a table name of its own. */
let subsets = 0;

class FileSource implements TrainingSource {
  private vocabularies = 0;

  /**
   * `table` holds the rows as text, in order (rowid 0, 1, ...); `owner` is true for the source that opened the
   * connection (closing it closes the connection and drops every table), false for a subset.
   */
  constructor(
    private readonly con: DuckDBConnection,
    readonly origin: string,
    readonly columns: string[],
    readonly rows: number,
    private readonly counted: Map<string, ColumnFacts>,
    private readonly table = RAW,
    private readonly owner = true,
  ) {}

  facts(name: string): ColumnFacts {
    const f = this.counted.get(name);
    if (!f) throw new Error(`${this.origin}: the facts of column "${name}" were not counted (a subset without facts)`);
    return f;
  }

  /** Store rows `idx` (in that order) as the picks that {@link FileSource.from} reads. */
  private async pick(idx: ArrayLike<number>): Promise<void> {
    await this.con.run(`CREATE OR REPLACE TEMP TABLE ${PICK} (pos INTEGER, r BIGINT)`);
    const app = await this.con.createAppender(PICK, "main", "temp");
    for (let i = 0; i < idx.length; i++) {
      app.appendInteger(i);
      app.appendBigInt(BigInt(idx[i]!));
      app.endRow();
    }
    app.closeSync();
  }

  /**
   * The FROM clause of `columns` trimmed (t0, t1, ...) and raw (v0, v1, ...), with the row number r, of the picked
   * rows in their order ({@link FileSource.pick}) or of all rows; and the ORDER BY that keeps that order.
   */
  private from(columns: string[], picked: boolean): { from: string; order: string } {
    const cols = columns.map((c, j) => `${ident(c)} AS v${j}, ${sqlTrim(ident(c))} AS t${j}`);
    const rows = `(SELECT rowid AS r, ${cols.join(", ")} FROM ${this.table}) s`;
    return picked
      ? { from: `${PICK} JOIN ${rows} ON s.r = ${PICK}.r`, order: `${PICK}.pos` }
      : { from: rows, order: "s.r" };
  }

  /**
   * A vocabulary table of the labels of `column` (trimmed, missing left out), code 0 for the
   * first to appear in the file; returns its name and the labels in code order.
   */
  private async vocabulary(column: string): Promise<{ table: string; levels: string[] }> {
    const table = `churnkit_vocab_${this.vocabularies++}`;
    // The distinct raw values first (with the row each first appears at), then their labels: the trimming rule's
    // regular expression then runs once per distinct value, not per row (0.59 -> 0.03 CPU-s for 1M rows of a
    // category). In two statements: DuckDB plans the nested form of the same query about as slowly as per row.
    const x = ident(column);
    await this.con.run(
      `CREATE TEMP TABLE ${table}_raw AS SELECT ${x} AS v, min(rowid) AS f FROM ${this.table} GROUP BY ${x}`,
    );
    await this.con.run(
      `CREATE TEMP TABLE ${table} AS SELECT l AS label, (row_number() OVER (ORDER BY f) - 1)::INTEGER AS code ` +
        `FROM (SELECT ${sqlCategory(sqlTrim("v"))} AS l, min(f) AS f FROM ${table}_raw GROUP BY l HAVING l IS NOT NULL)`,
    );
    await this.con.run(`DROP TABLE temp.${table}_raw`);
    const levels: string[] = [];
    const r = await this.con.stream(`SELECT label FROM ${table} ORDER BY code`);
    await forChunks(r, (chunk) => {
      const v = chunk.getColumnVector(0);
      for (let i = 0; i < chunk.rowCount; i++) levels.push(v.getItem(i) as string);
    });
    return { table, levels };
  }

  async labels(column: string): Promise<RawTable> {
    const t = await this.typed([{ name: column, type: "categorical" }]);
    const data = dict<RawValue[]>();
    data[column] = t.columns.get(column)!.values as (string | null)[];
    return { origin: this.origin, columns: [column], rows: this.rows, data };
  }

  async typed(specs: ColumnSpec[], idx?: ArrayLike<number>): Promise<TypedTable> {
    const n = idx ? idx.length : this.rows;
    if (idx) await this.pick(idx);
    // Each value goes to its position (the pick's, or the row number r): no ORDER BY to sort, and DuckDB's streamed
    // results of parsed columns were seen out of order past the first vectors, so order is never assumed.
    const at = idx ? `${PICK}.pos` : "s.r::INTEGER";
    const columns = new Map<string, TypedColumn>();
    // One query per column: DuckDB plans a query of many parsed columns in more than linear time.
    for (const s of specs) {
      const { from } = this.from([s.name], idx !== undefined);
      if (s.type !== "categorical") {
        const values = new Float64Array(n);
        // The raw text, typed in JavaScript from the vector's memory by the rules of values.ts (text-vectors.ts):
        // the same rules as SQL (trim, form, cast per cell) cost DuckDB 8.8 CPU-s for 20 numeric columns of 1M rows.
        const result = await this.con.stream(`SELECT v0, ${at}, s.r FROM ${from}`);
        let read = new Float64Array(0);
        await forChunks(result, (chunk) => {
          const m = chunk.rowCount;
          if (read.length < m) read = new Float64Array(m);
          const vec = chunk.getColumnVector(0);
          // The first value that does not parse is an error, named with its row.
          let bad = -1;
          let text = "";
          const fail = (i: number, t: string): void => {
            if (bad < 0) [bad, text] = [i, t];
          };
          const got =
            s.type === "numeric"
              ? textNumbers(vec, m, read.subarray(0, m), fail)
              : textValues(vec, m, read.subarray(0, m), BOOLEAN_WORDS, NaN, (t, i) => {
                  const b = parseBoolean(t);
                  if (b === undefined) fail(i, t);
                  return b ?? NaN;
                });
          if (bad >= 0) throw badValue(this.origin, Number(chunk.getColumnVector(2).getItem(bad)) + 1, s, text);
          const pos = itemsOf(chunk.getColumnVector(1), m, "integer");
          for (let i = 0; i < m; i++) values[pos[i]!] = got[i]!;
        });
        columns.set(s.name, { ...s, values });
        continue;
      }
      const vocab = await this.vocabulary(s.name);
      const codes = await (vocab.levels.length <= SHORT_VOCABULARY && vocab.levels.every(isShort)
        ? this.shortCodes(vocab.levels, from, at, n)
        : this.joinedCodes(vocab.table, from, at, n));
      await this.con.run(`DROP TABLE temp.${vocab.table}`);
      // Labels shared by reference: one string per level, not per cell.
      const values = new Array<string | null>(n);
      for (let i = 0; i < n; i++) values[i] = codes[i]! < 0 ? null : vocab.levels[codes[i]!]!;
      columns.set(s.name, { ...s, values });
    }
    return { origin: this.origin, rows: n, columns };
  }

  /**
   * Codes of a column whose labels are all short (inline in DuckDB's vectors): each raw cell looked up by its bytes
   * (text-vectors.ts), the few padded cells by the rules on their text. About 5x cheaper than the join below, whose
   * trimming and hash join cost ~0.8 CPU-s a column of 1M rows.
   */
  private async shortCodes(levels: string[], from: string, at: string, n: number): Promise<Int32Array> {
    const table = levelTable(levels, CODE_MISSING);
    const code = new Map(levels.map((l, c) => [l, c]));
    const codes = new Int32Array(n);
    let read = new Int32Array(0);
    const result = await this.con.stream(`SELECT v0, ${at} FROM ${from}`);
    await forChunks(result, (chunk) => {
      const m = chunk.rowCount;
      if (read.length < m) read = new Int32Array(m);
      const got = textValues(chunk.getColumnVector(0), m, read.subarray(0, m), table, CODE_MISSING, (text) => {
        const l = parseCategory(text);
        return l === null ? CODE_MISSING : code.get(l)!; // every label is in the vocabulary, built over all rows
      });
      const pos = itemsOf(chunk.getColumnVector(1), m, "integer");
      for (let i = 0; i < m; i++) codes[pos[i]!] = got[i]!;
    });
    return codes;
  }

  /** Codes of a column by a join of its trimmed cells with the vocabulary table, in SQL: no string per cell. */
  private async joinedCodes(vocab: string, from: string, at: string, n: number): Promise<Int32Array> {
    const codes = new Int32Array(n);
    const result = await this.con.stream(
      `SELECT coalesce(${vocab}.code, -1), ${at} FROM ${from} LEFT JOIN ${vocab} ON ${vocab}.label = ${sqlCategory("t0")}`,
    );
    await forChunks(result, (chunk) => {
      const m = chunk.rowCount;
      const code = itemsOf(chunk.getColumnVector(0), m, "integer");
      const pos = itemsOf(chunk.getColumnVector(1), m, "integer");
      for (let i = 0; i < m; i++) codes[pos[i]!] = code[i]!;
    });
    return codes;
  }

  async rawRows(idx: ArrayLike<number>): Promise<RawTable> {
    await this.pick(idx);
    const { from, order } = this.from(this.columns, true);
    const cols = this.columns.map((_, j) => `v${j}`).join(", ");
    const out = this.columns.map(() => new Array<RawValue>(idx.length));
    const result = await this.con.stream(`SELECT ${cols} FROM ${from} ORDER BY ${order}`);
    await forChunks(result, (chunk, offset) => {
      for (let j = 0; j < this.columns.length; j++) {
        const vec = chunk.getColumnVector(j);
        const dst = out[j]!;
        for (let i = 0; i < chunk.rowCount; i++) dst[offset + i] = vec.getItem(i) as string | null;
      }
    });
    const data = dict<RawValue[]>();
    this.columns.forEach((c, j) => (data[c] = out[j]!));
    return { origin: this.origin, columns: this.columns, rows: idx.length, data };
  }

  /** The same hash as data/fingerprint.ts, over text that DuckDB joins by blocks of rows. */
  async fingerprint(): Promise<Fingerprint> {
    const { createHash } = await import("node:crypto");
    const h = createHash("sha256");
    for (const c of this.columns) {
      h.update(columnMark(c));
      const x = ident(c);
      const text = `CASE WHEN ${x} IS NULL THEN chr(0) ELSE ${x} || chr(1) END`;
      const result = await this.con.stream(
        `SELECT rowid // ${HASH_BLOCK} AS b, string_agg(${text}, '' ORDER BY rowid) FROM ${this.table} GROUP BY b ORDER BY b`,
      );
      await forChunks(result, (chunk) => {
        const v = chunk.getColumnVector(1);
        for (let i = 0; i < chunk.rowCount; i++) h.update(v.getItem(i) as string);
      });
    }
    return { rows: this.rows, columns: this.columns.length, sha256: h.digest("hex") };
  }

  async subset(idx: ArrayLike<number>, opts: SubsetOptions = {}): Promise<TrainingSource> {
    await this.pick(idx);
    const table = `churnkit_subset_${subsets++}`;
    const cols = this.columns.map((_, j) => `v${j} AS ${ident(this.columns[j]!)}`).join(", ");
    const { from, order } = this.from(this.columns, true);
    // Inserted in pick order, so the new table's rowids are 0, 1, ... in that order.
    await this.con.run(`CREATE TEMP TABLE ${table} AS SELECT ${cols} FROM ${from} ORDER BY ${order}`);
    const facts =
      opts.facts === false ? new Map<string, ColumnFacts>() : await countFacts(this.con, this.columns, table);
    return new FileSource(this.con, this.origin, this.columns, idx.length, facts, table, false);
  }

  /** A subset's table lives until its parent closes the connection (a DROP here could race that close). */
  close(): void {
    if (this.owner) this.con.closeSync();
  }
}
