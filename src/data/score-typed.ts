/**
 * The typed form of a file being scored: DuckDB reads the model's input columns (text, or numbers where the file
 * stores them as such) and JavaScript types them from the vectors' memory (text-vectors.ts: numbers, booleans and
 * labels by the rules of values.ts, without a string per cell), then copies the values into windows of rows, each
 * at its row's position. Only identifier columns, labels outside the model's levels and cells in a form other than
 * the plain one (padded, missing tokens other than NULL, bad values) become strings, given to the JS rules.
 *
 * Why in JavaScript: the same rules as SQL (sql-values.ts) cost DuckDB 100-200 ns a cell (a cast, a test of the
 * form, a CASE, an ENUM cast): 5.4 CPU-s for the query over 1M rows of an all-text Parquet file whose columns read in
 * 1.4; reading the bytes costs 20-30 ns a cell.
 *
 * Why positions: DuckDB's streamed results are not in input order when several threads read (seen past the first
 * 2,048 rows of a Parquet or CSV file), so a source read on several threads carries each row's position (Parquet's
 * `file_row_number`) and a window is handed on only when all its rows have arrived.
 */
import type { DuckDBDataChunk, DuckDBVector } from "@duckdb/node-api";
import { dict } from "../utils/dict.js";
import { ident } from "./duckdb.js";
import type { RawValue } from "./load.js";
import {
  BOOLEAN_WORDS,
  type ByteTable,
  levelTable,
  cellOf,
  pieceSql,
  PIECES,
  textCells,
  textNumbers,
  textValues,
  packCells,
  type PackedIds,
  type TextCells,
} from "./text-vectors.js";
import { parseBoolean, parseCategory } from "./values.js";
import { itemsOf } from "./vector-items.js";
import { WindowBuffers } from "./window-buffers.js";
import type { CategoricalState } from "./preprocess.js";
import { badValue, CODE_LABEL, CODE_MISSING, type ColumnSpec, type TypedColumn, type TypedTable } from "./typed.js";

/** What to read from the file: the typed inputs (with known levels for categories) and the text columns. */
export interface ScoringColumns {
  /** The model's input columns and their types. */
  inputs: ColumnSpec[];
  /**
   * Levels of categorical inputs: code i is levels[i] (the model's kept levels, then those it pooled: predict.ts); an
   * input without levels has every label read as text.
   */
  levels: Map<string, string[]>;
  /** Columns copied as text (identifiers). */
  text: string[];
  /**
   * Whether the text columns come with their pieces (text-vectors.ts `pieceSql`; default true): worth DuckDB's cost
   * only where cells are longer than 12 bytes, which are otherwise read one by one (`getItem`), as exactly.
   */
  pieces?: boolean;
  /**
   * Numeric inputs whose source column is a number whose text form reads back as the same number (load.ts
   * `exactNumberColumns`), not text: read as numbers directly, the text rules only for values that are not finite.
   */
  native?: ReadonlySet<string>;
}

/**
 * The levels to code each categorical input by: the model's kept levels, then the levels it pooled in training
 * (preprocess.ts reads a code past the kept ones as "other"), so that a table with more levels than max_categories
 * does not make a string and a lookup of most of its cells.
 */
export function scoringLevels(categorical: readonly CategoricalState[]): Map<string, string[]> {
  return new Map(
    categorical.map((c) => {
      const kept = new Set(c.levels);
      return [c.column, c.levels.concat((c.pooled ?? []).filter((l) => !kept.has(l)))];
    }),
  );
}

/** Code of a missing category. */
const MISSING = CODE_MISSING;
/** Code of a label outside the model's levels (its text comes along). */
const LABEL = CODE_LABEL;

const isNative = (cols: ScoringColumns, s: ColumnSpec): boolean =>
  s.type === "numeric" && (cols.native?.has(s.name) ?? false);

/**
 * The scoring query over `source` (a relation whose columns are text, but for the `native` numbers). Its columns, in
 * order: one per input (its text, or a native number as DOUBLE with NaN for NULL, an infinity kept, which JavaScript
 * refuses), then each text column and its pieces (text-vectors.ts `pieceSql`; unless `pieces` is false), then
 * `position` when given (a DOUBLE expression over `source`'s columns: the row's 0-based position in the input).
 */
export function scoringSql(cols: ScoringColumns, source: string, position?: string): string {
  const inputs = cols.inputs.map((s) =>
    isNative(cols, s) ? `coalesce(${ident(s.name)}::DOUBLE, 'NaN'::DOUBLE)` : `${ident(s.name)}::VARCHAR`,
  );
  const text = cols.text.flatMap((c) => {
    const t = `${ident(c)}::VARCHAR`;
    return cols.pieces === false ? [t] : [t, ...pieceSql(t)];
  });
  return `SELECT ${[...inputs, ...text, ...(position ? [`${position} AS pos`] : [])].join(", ")} FROM (${source})`;
}

/** Consecutive input rows, typed: what the scorer reads. */
export interface ScoringWindow {
  /** Position in the input of the window's first row. */
  offset: number;
  /** The model's input columns of these rows. */
  typed: TypedTable;
  /** The text columns of these rows (made when first read). */
  readonly text: Record<string, RawValue[]>;
  /** The text columns packed for a scoring worker's CSV lines (lines.ts PackedIds), without a string per cell. */
  packed(): PackedIds;
  /** Arrays to reuse for the next windows (`buffers.float64()`: the encoded columns, given back when scored). */
  readonly buffers: WindowBuffers;
  /** Give the window's own arrays back to `buffers`: its typed columns and text are not read afterwards. */
  release(): void;
}

/** Rows of one window being filled. */
interface Filling {
  values: (Float64Array | Int32Array)[];
  labels: Map<number, string>[];
  /** Per text column, each row's cells (`cells[at[r]]`, its chunk's) and its index there (`index[r]`). */
  text: { cells: TextCells[]; at: Int32Array; index: Int32Array }[];
  filled: number;
  last: number;
}

/**
 * Chunks of the scoring query placed into windows of `size` consecutive rows: by the position column when the query
 * has one, else in arrival order (a source read on one thread). Windows are handed on in input order, each once all
 * its rows have arrived, so memory holds only the windows that DuckDB's threads are filling at once.
 */
export class ScoringWindows {
  private readonly open = new Map<number, Filling>();
  private head = 0;
  private arrived = 0;
  private readonly categorical: number[];
  /** Per categorical input (by input index): its levels' table and their codes by label. */
  private readonly coding = new Map<number, { table: ByteTable; code: Map<string, number> }>();
  /** Index of the first text column's vector in a chunk. */
  private readonly textAt: number;
  /** The windows' arrays, reused once a window is released. */
  readonly buffers: WindowBuffers;

  constructor(
    private readonly cols: ScoringColumns,
    private readonly origin: string,
    private readonly size: number,
    private readonly positioned: boolean,
  ) {
    this.categorical = cols.inputs.flatMap((s, j) => (s.type === "categorical" ? [j] : []));
    for (const j of this.categorical) {
      const levels = cols.levels.get(cols.inputs[j]!.name) ?? [];
      this.coding.set(j, { table: levelTable(levels, MISSING), code: new Map(levels.map((l, c) => [l, c])) });
    }
    this.textAt = cols.inputs.length;
    this.buffers = new WindowBuffers(size);
  }

  private window(w: number): Filling {
    let f = this.open.get(w);
    if (!f) {
      f = {
        values: this.cols.inputs.map((s) => (s.type === "categorical" ? this.buffers.int32() : this.buffers.float64())),
        labels: this.categorical.map(() => new Map<number, string>()),
        text: this.cols.text.map(() => ({ cells: [], at: this.buffers.int32(), index: this.buffers.int32() })),
        filled: 0,
        last: -1,
      };
      this.open.set(w, f);
    }
    return f;
  }

  /**
   * The typed values of input j in a chunk of `n` rows; `labels` gets the label of each row coded LABEL; `bad` is
   * told the first row whose value does not parse, with its text.
   */
  private valuesOf(
    vec: DuckDBVector,
    j: number,
    n: number,
    labels: Map<number, string> | undefined,
    bad: (i: number, text: string) => void,
  ): Float64Array | Int32Array {
    const s = this.cols.inputs[j]!;
    if (s.type === "categorical") {
      const { table, code } = this.coding.get(j)!;
      return textValues(vec, n, this.scratch(j, n) as Int32Array, table, MISSING, (text, i) => {
        const l = parseCategory(text);
        if (l === null) return MISSING;
        const c = code.get(l);
        if (c !== undefined) return c;
        labels!.set(i, l);
        return LABEL;
      });
    }
    if (s.type === "boolean") {
      return textValues(vec, n, this.scratch(j, n) as Float64Array, BOOLEAN_WORDS, NaN, (text, i) => {
        const b = parseBoolean(text);
        if (b !== undefined) return b;
        bad(i, text);
        return NaN;
      });
    }
    if (!isNative(this.cols, s)) {
      return textNumbers(vec, n, this.scratch(j, n) as Float64Array, bad);
    }
    // A native number: bad when infinite ("inf", "-inf") or a NaN with its sign bit set ("-nan", which is not a
    // missing token; a NaN is, as "nan" is). `hi` holds the high words of the doubles.
    const v = itemsOf(vec, n, "double") as Float64Array;
    const hi = new Uint32Array(v.buffer, v.byteOffset, 2 * n);
    for (let i = 0; i < n; i++) {
      const x = v[i]!;
      if (x - x === 0) continue;
      if (x === Infinity || x === -Infinity) return (bad(i, x > 0 ? "inf" : "-inf"), v);
      if (hi[2 * i + 1]! >>> 31 === 1) return (bad(i, "-nan"), v);
    }
    return v;
  }

  private arrival = new Float64Array(0);

  /** Positions of the next `n` rows of a stream read in order. */
  private arrivalOrder(n: number): Float64Array {
    if (this.arrival.length < n) this.arrival = new Float64Array(n);
    const out = this.arrival.subarray(0, n);
    for (let i = 0; i < n; i++) out[i] = this.arrived + i;
    return out;
  }

  /** Per input, the array its values of a chunk are read into (reused chunk after chunk: they are copied at once). */
  private readonly scratches: (Float64Array | Int32Array | undefined)[] = [];

  private scratch(j: number, n: number): Float64Array | Int32Array {
    const s = this.scratches[j];
    if (s && s.length >= n) return s.subarray(0, n);
    const made = this.cols.inputs[j]!.type === "categorical" ? new Int32Array(n) : new Float64Array(n);
    this.scratches[j] = made;
    return made;
  }

  /** Place a chunk's rows; returns the windows it completed, in input order. A value that does not parse is a UserError. */
  add(chunk: DuckDBDataChunk): ScoringWindow[] {
    const n = chunk.rowCount;
    const nIn = this.cols.inputs.length;
    const made = new Array<DuckDBVector | undefined>(chunk.columnCount);
    const col = (k: number): DuckDBVector => (made[k] ??= chunk.getColumnVector(k));
    const position = this.positioned ? itemsOf(col(chunk.columnCount - 1), n, "double") : this.arrivalOrder(n);
    this.arrived += n;
    // The bad value named is the chunk's first (by row, then by input).
    let badRow = n;
    let badInput = -1;
    let badText = "";
    const chunkLabels = this.categorical.map(() => new Map<number, string>());
    const values = this.cols.inputs.map((_, j) =>
      this.valuesOf(col(j), j, n, chunkLabels[this.categorical.indexOf(j)], (i, text) => {
        if (i < badRow) [badRow, badInput, badText] = [i, j, text];
      }),
    );
    if (badInput >= 0) throw badValue(this.origin, position[badRow]! + 1, this.cols.inputs[badInput]!, badText);
    const strings: TextCells[] = [];
    // Rows go window by window: runs of consecutive positions are copied at once.
    let i = 0;
    while (i < n) {
      const p = position[i]!;
      const w = Math.floor(p / this.size);
      const at = p - w * this.size;
      let run = 1;
      while (i + run < n && position[i + run] === p + run && at + run < this.size) run++;
      const f = this.window(w);
      for (let j = 0; j < nIn; j++) f.values[j]!.set(values[j]!.subarray(i, i + run), at);
      this.categorical.forEach((j, c) => {
        const codes = values[j]!;
        for (let r = i; r < i + run; r++) {
          if (codes[r] === LABEL) f.labels[c]!.set(at + r - i, chunkLabels[c]!.get(r)!);
        }
      });
      this.cols.text.forEach((_, k) => {
        const src = (strings[k] ??= this.cellsOf(col, k, n));
        const dst = f.text[k]!;
        const c = dst.cells.indexOf(src) >= 0 ? dst.cells.indexOf(src) : dst.cells.push(src) - 1;
        dst.at.fill(c, at, at + run);
        for (let r = i; r < i + run; r++) dst.index[at + r - i] = r;
      });
      f.filled += run;
      f.last = Math.max(f.last, at + run - 1);
      i += run;
    }
    const done: ScoringWindow[] = [];
    for (let f = this.open.get(this.head); f && f.filled === this.size; f = this.open.get(this.head)) {
      done.push(this.take(this.head, this.size));
    }
    return done;
  }

  /** The windows left at the end of the stream (the last one may be short); every row must have arrived. */
  finish(): ScoringWindow[] {
    const done: ScoringWindow[] = [];
    while (this.open.size) {
      const f = this.open.get(this.head);
      const rows = f ? f.last + 1 : 0;
      if (!f || f.filled !== rows || (this.open.size > 1 && rows !== this.size)) {
        throw new Error(`${this.origin}: rows from position ${this.head * this.size} on did not all arrive`);
      }
      done.push(this.take(this.head, rows));
    }
    return done;
  }

  /** The cells of text column `k` of a chunk of `n` rows (`col` gives the chunk's vectors). */
  private cellsOf(col: (k: number) => DuckDBVector, k: number, n: number): TextCells {
    const sent = this.cols.pieces === false ? 0 : PIECES;
    const at = this.textAt + k * (1 + sent);
    const pieces = Array.from({ length: sent }, (_, p) => col(at + 1 + p));
    return textCells(col(at), pieces, n);
  }

  private take(w: number, rows: number): ScoringWindow {
    const f = this.open.get(w)!;
    this.open.delete(w);
    this.head = w + 1;
    const columns = new Map<string, TypedColumn>();
    this.cols.inputs.forEach((s, j) => {
      const v = f.values[j]!;
      if (v instanceof Float64Array) {
        columns.set(s.name, { ...s, values: v.subarray(0, rows) });
        return;
      }
      const levels = this.cols.levels.get(s.name) ?? [];
      const labels = f.labels[this.categorical.indexOf(j)]!;
      const code = v.subarray(0, rows);
      // The labels as strings only when something reads them (derived features); encoding reads the codes.
      let out: (string | null)[] | undefined;
      const label = (): (string | null)[] => {
        if (out) return out;
        // Labels shared by reference: one string per level, not one per cell.
        out = new Array<string | null>(rows);
        for (let r = 0; r < rows; r++) {
          const c = code[r]!;
          out[r] = c >= 0 ? levels[c]! : c === MISSING ? null : labels.get(r)!;
        }
        return out;
      };
      columns.set(s.name, {
        ...s,
        get values() {
          return label();
        },
        coded: { levels, code, labels },
      });
    });
    // The strings made only when read (JSON Lines, the main thread's CSV lines), as the window is handed on to be
    // written: they die young.
    let text: Record<string, RawValue[]> | undefined;
    const strings = (): Record<string, RawValue[]> => {
      if (text) return text;
      text = dict<RawValue[]>();
      this.cols.text.forEach((c, k) => {
        const { cells, at, index } = f.text[k]!;
        const out = new Array<RawValue>(rows);
        for (let r = 0; r < rows; r++) out[r] = cellOf(cells[at[r]!]!, index[r]!);
        text![c] = out;
      });
      return text;
    };
    const packed = (): PackedIds => {
      const lengths = f.text.map(() => new Int32Array(rows));
      return { text: f.text.map((t, k) => packCells(t, rows, lengths[k]!)), lengths };
    };
    const buffers = this.buffers;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      buffers.give(f.values);
      for (const t of f.text) buffers.give([t.at, t.index]);
    };
    return {
      offset: w * this.size,
      typed: { origin: this.origin, rows, columns },
      get text() {
        return strings();
      },
      packed,
      buffers,
      release,
    };
  }
}
