/**
 * The typed form of a file being scored: one SQL query parses the model's input columns in DuckDB (the fast forms
 * of sql-values.ts) and codes categories against the model's levels; JavaScript copies the typed vectors into
 * windows of rows, each value at its row's position. Only identifier columns, labels outside the model's levels
 * and values that do not parse reach JavaScript as text.
 *
 * Why positions: DuckDB's streamed results are not in input order when several threads read (seen past the first
 * 2,048 rows of a Parquet or CSV file), so a source read on several threads carries each row's position (Parquet's
 * `file_row_number`) and a window is handed on only when all its rows have arrived.
 */
import type { DuckDBDataChunk, DuckDBVector } from "@duckdb/node-api";
import { dict } from "../utils/dict.js";
import { ident, literal } from "./duckdb.js";
import type { RawValue } from "./load.js";
import { sqlBoolean, sqlCategory, sqlNumberOf, sqlTrimmed } from "./sql-values.js";
import { isMissing } from "./values.js";
import { badValue, CODE_LABEL, CODE_MISSING, type ColumnSpec, type TypedColumn, type TypedTable } from "./typed.js";

/** What to read from the file: the typed inputs (with known levels for categories) and the text columns. */
export interface ScoringColumns {
  /** The model's input columns and their types. */
  inputs: ColumnSpec[];
  /** Levels of categorical inputs: code i is levels[i]; an input without levels has every label read as text. */
  levels: Map<string, string[]>;
  /** Columns copied as text (identifiers). */
  text: string[];
  /**
   * Numeric inputs whose source column is a number whose text form reads back as the same number (load.ts
   * `exactNumberColumns`), not text: read as numbers directly, the text rules only for values that are not finite.
   */
  native?: ReadonlySet<string>;
}

/** Code of a missing category. */
const MISSING = CODE_MISSING;
/** Code of a label outside the model's levels (its text comes along). */
const LABEL = CODE_LABEL;

/** An inline ENUM of `levels`: code i is levels[i], a hash lookup of a label (a model keeps at most preprocess.max_categories levels). */
const enumOf = (levels: readonly string[]): string => `ENUM(${levels.map(literal).join(", ")})`;

/**
 * The scoring query over `source` (a relation whose columns are text). Its columns, in order: one per input
 * (DOUBLE with NaN for missing; for a categorical input an INTEGER code: a level, {@link MISSING} or {@link LABEL}),
 * the label of each categorical input coded {@link LABEL} (NULL otherwise), 1 when some numeric or boolean value of
 * the row did not parse (0 otherwise), the text of each numeric or boolean input where it did not parse (NULL
 * otherwise: a missing token or a bad value, told apart in JavaScript), the text columns, then `position` when given
 * (a DOUBLE expression over `source`'s columns: the row's 0-based position in the input).
 */
export function scoringSql(cols: ScoringColumns, source: string, position?: string): string {
  const raw = cols.inputs.map((s, j) => `${ident(s.name)} AS x${j}`);
  const text = cols.text.map((c, k) => `${ident(c)}::VARCHAR AS t${k}`);
  const inner = `SELECT ${[...raw, ...text, ...(position ? [`${position} AS pos`] : [])].join(", ")} FROM (${source})`;
  // Parsed values (v), labels (l) and codes (c), each computed once in a subquery of its own.
  const native = (s: ColumnSpec): boolean => s.type === "numeric" && (cols.native?.has(s.name) ?? false);
  // The text of x_j: a native number's only where its text is read (not finite, or a bad value's message).
  const textOf = (s: ColumnSpec, j: number): string => (native(s) ? `x${j}::VARCHAR` : `x${j}`);
  // A categorical cell that is exactly one of the model's levels (most cells) is coded straight from the raw text
  // (r): trimming and the missing tokens cannot change it, as a level is trimmed and never a missing token (a
  // column with a level that is not is coded the long way only). The rules run on the other cells.
  const direct = new Map<number, string>();
  cols.inputs.forEach((s, j) => {
    const levels = cols.levels.get(s.name) ?? [];
    if (s.type === "categorical" && levels.length && levels.every((l) => l.trim() === l && !isMissing(l)))
      direct.set(j, `enum_code(TRY_CAST(x${j} AS ${enumOf(levels)}))::INTEGER AS r${j}`);
  });
  const parsed = cols.inputs.map((s, j) =>
    s.type === "categorical"
      ? direct.has(j)
        ? `(CASE WHEN r${j} IS NULL THEN ${sqlCategory(sqlTrimmed(`x${j}`))} END) AS l${j}`
        : `${sqlCategory(sqlTrimmed(`x${j}`))} AS l${j}`
      : native(s)
        ? `(CASE WHEN isfinite(x${j}::DOUBLE) THEN x${j}::DOUBLE ELSE ${sqlNumberOf(textOf(s, j))} END) AS v${j}`
        : `${s.type === "numeric" ? sqlNumberOf(`x${j}`) : sqlBoolean(sqlTrimmed(`x${j}`))} AS v${j}`,
  );
  const coded = cols.inputs.flatMap((s, j) => {
    if (s.type !== "categorical") return [];
    const levels = cols.levels.get(s.name) ?? [];
    const code = levels.length ? `enum_code(TRY_CAST(l${j} AS ${enumOf(levels)}))::INTEGER` : "NULL::INTEGER";
    return [`${code} AS c${j}`];
  });
  const values: string[] = [];
  const labels: string[] = [];
  const unparsed: string[] = [];
  const cells: string[] = [];
  cols.inputs.forEach((s, j) => {
    if (s.type === "categorical") {
      const r = direct.has(j) ? `r${j}, ` : "";
      values.push(`coalesce(${r}c${j}, CASE WHEN l${j} IS NULL THEN ${MISSING} ELSE ${LABEL} END)::INTEGER`);
      labels.push(`CASE WHEN c${j} IS NULL THEN l${j} END`);
    } else {
      values.push(`coalesce(v${j}, 'NaN'::DOUBLE)`);
      // A value that did not parse is a missing token or a bad value: JavaScript tells which (values.ts isMissing),
      // on these few cells. (Telling it here, with the trim and the tokens in SQL, took most of the query's time.)
      unparsed.push(`(v${j} IS NULL AND x${j} IS NOT NULL)`);
      cells.push(`CASE WHEN v${j} IS NULL AND x${j} IS NOT NULL THEN ${textOf(s, j)} END`);
    }
  });
  const flag = unparsed.length ? `(${unparsed.join(" OR ")})::INTEGER` : "0::INTEGER";
  const outer = [
    ...values,
    ...labels,
    `${flag} AS unparsed`,
    ...cells,
    ...cols.text.map((_, k) => `t${k}`),
    ...(position ? ["pos"] : []),
  ];
  const l1 = direct.size ? `SELECT *, ${[...direct.values()].join(", ")} FROM (${inner})` : inner;
  const l2 = `SELECT *${parsed.length ? `, ${parsed.join(", ")}` : ""} FROM (${l1})`;
  const l3 = `SELECT *${coded.length ? `, ${coded.join(", ")}` : ""} FROM (${l2})`;
  return `SELECT ${outer.join(", ")} FROM (${l3})`;
}

/** The typed items of a DOUBLE or INTEGER vector (read through `getItem` where the package hides them). */
function itemsOf(vec: DuckDBVector, n: number, kind: "double" | "integer"): Float64Array | Int32Array {
  // The vector classes keep their items as a typed array over DuckDB's memory (a field the typings mark private).
  const items = (vec as unknown as { items?: unknown }).items;
  if (kind === "double" && items instanceof Float64Array && items.length >= n) return items;
  if (kind === "integer" && items instanceof Int32Array && items.length >= n) return items;
  const out = kind === "double" ? new Float64Array(n) : new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = (vec.getItem(i) as number | null) ?? (kind === "double" ? NaN : MISSING);
  return out;
}

/** Consecutive input rows, typed: what the scorer reads. */
export interface ScoringWindow {
  /** Position in the input of the window's first row. */
  offset: number;
  /** The model's input columns of these rows. */
  typed: TypedTable;
  /** The text columns of these rows. */
  text: Record<string, RawValue[]>;
}

/** Rows of one window being filled. */
interface Filling {
  values: (Float64Array | Int32Array)[];
  labels: Map<number, string>[];
  text: RawValue[][];
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
  /** The numeric and boolean inputs. */
  private readonly plain: number[];
  private readonly textAt: number;

  constructor(
    private readonly cols: ScoringColumns,
    private readonly origin: string,
    private readonly size: number,
    private readonly positioned: boolean,
  ) {
    this.categorical = cols.inputs.flatMap((s, j) => (s.type === "categorical" ? [j] : []));
    this.plain = cols.inputs.flatMap((s, j) => (s.type === "categorical" ? [] : [j]));
    this.textAt = cols.inputs.length + this.categorical.length + 1 + this.plain.length;
  }

  private window(w: number): Filling {
    let f = this.open.get(w);
    if (!f) {
      f = {
        values: this.cols.inputs.map((s) =>
          s.type === "categorical" ? new Int32Array(this.size) : new Float64Array(this.size),
        ),
        labels: this.categorical.map(() => new Map<number, string>()),
        text: this.cols.text.map(() => new Array<RawValue>(this.size)),
        filled: 0,
        last: -1,
      };
      this.open.set(w, f);
    }
    return f;
  }

  /** Place a chunk's rows; returns the windows it completed, in input order. A value that does not parse is a UserError. */
  add(chunk: DuckDBDataChunk): ScoringWindow[] {
    const n = chunk.rowCount;
    const nIn = this.cols.inputs.length;
    // Vectors made on first use: the label and unparsed-text columns (one per input) are read only on the few rows
    // that need them, and making a text vector costs about as much as reading a number column.
    const made = new Array<DuckDBVector | undefined>(chunk.columnCount);
    const col = (k: number): DuckDBVector => (made[k] ??= chunk.getColumnVector(k));
    const position = this.positioned
      ? itemsOf(col(chunk.columnCount - 1), n, "double")
      : Float64Array.from({ length: n }, (_, i) => this.arrived + i);
    this.arrived += n;
    const unparsed = itemsOf(col(nIn + this.categorical.length), n, "integer");
    for (let i = 0; i < n; i++) {
      if (unparsed[i] === 0) continue;
      // Its value stays NaN (missing) when the text is a missing token; anything else does not parse: the user's error.
      this.plain.forEach((j, k) => {
        const text = col(nIn + this.categorical.length + 1 + k).getItem(i) as string | null;
        if (text !== null && !isMissing(text))
          throw badValue(this.origin, position[i]! + 1, this.cols.inputs[j]!, text);
      });
    }
    const values = this.cols.inputs.map((s, j) => itemsOf(col(j), n, s.type === "categorical" ? "integer" : "double"));
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
          if (codes[r] === LABEL) f.labels[c]!.set(at + r - i, col(nIn + c).getItem(r) as string);
        }
      });
      this.cols.text.forEach((_, k) => {
        const vec = col(this.textAt + k);
        const dst = f.text[k]!;
        for (let r = i; r < i + run; r++) dst[at + r - i] = vec.getItem(r) as RawValue;
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
    const text = dict<RawValue[]>();
    this.cols.text.forEach((c, k) => (text[c] = rows === this.size ? f.text[k]! : f.text[k]!.slice(0, rows)));
    return { offset: w * this.size, typed: { origin: this.origin, rows, columns }, text };
  }
}
