/**
 * The typed form of a file being scored: one SQL query that parses the model's input columns in
 * DuckDB (sql-values.ts) and codes categories against the model's levels, read chunk by chunk
 * into typed tables. Only identifier columns, values the model never saw and values that do not
 * parse reach JavaScript as text.
 */
import type { DuckDBDataChunk } from "@duckdb/node-api";
import { dict } from "../utils/dict.js";
import { ident, literal } from "./duckdb.js";
import type { RawValue } from "./load.js";
import { sqlBoolean, sqlCategory, sqlMissing, sqlNumber, sqlTrim } from "./sql-values.js";
import { badValue, type ColumnSpec, type TypedColumn, type TypedTable } from "./typed.js";

/** What to read from the file: the typed inputs (with known levels for categories) and the pass-through columns. */
export interface ScoringColumns {
  /** The model's input columns and their types. */
  inputs: ColumnSpec[];
  /** Levels of categorical inputs: code i is levels[i]; an input without levels is read as text. */
  levels: Map<string, string[]>;
  /** Columns copied as text (identifiers). */
  text: string[];
}

/**
 * The SELECT list of the scoring query over a relation of text columns. Per input: numeric and boolean give the
 * value and the raw text of a value that does not parse (NULL otherwise); categorical gives the code in the
 * model's levels and the label when it is not one of them. Then the text columns.
 */
export function scoringSelect(cols: ScoringColumns): string {
  const out: string[] = [];
  for (const s of cols.inputs) {
    const x = ident(s.name);
    const t = sqlTrim(x);
    if (s.type !== "categorical") {
      const v = s.type === "numeric" ? sqlNumber(t) : sqlBoolean(t);
      out.push(v, `CASE WHEN NOT ${sqlMissing(t)} AND ${v} IS NULL THEN ${x} END`);
      continue;
    }
    const levels = cols.levels.get(s.name);
    const label = sqlCategory(t);
    if (!levels) {
      out.push("NULL::INTEGER", label);
      continue;
    }
    // list_position is 1-based and NULL when absent; a model keeps at most preprocess.max_categories levels.
    const code = `(list_position([${levels.map(literal).join(", ")}]::VARCHAR[], ${label}) - 1)::INTEGER`;
    out.push(code, `CASE WHEN ${code} IS NULL THEN ${label} END`);
  }
  for (const c of cols.text) out.push(`${ident(c)}::VARCHAR`);
  return out.join(", ");
}

/** Chunks of the scoring query gathered into batches of typed inputs and text columns. */
export class ScoringBatch {
  private numbers: (Float64Array | undefined)[];
  private labels: ((string | null)[] | undefined)[];
  private texts: RawValue[][];
  /** Rows gathered so far. */
  rows = 0;

  constructor(
    private readonly cols: ScoringColumns,
    private readonly origin: string,
    private readonly capacity: number,
  ) {
    this.numbers = [];
    this.labels = [];
    this.texts = [];
    this.reset();
  }

  private reset(): void {
    this.numbers = this.cols.inputs.map((s) =>
      s.type === "categorical" ? undefined : new Float64Array(this.capacity),
    );
    this.labels = this.cols.inputs.map((s) => (s.type === "categorical" ? new Array<string | null>() : undefined));
    this.texts = this.cols.text.map(() => []);
    this.rows = 0;
  }

  /** Add a chunk (at most capacity - rows rows); a value that does not parse is a UserError (row counted from `offset`). */
  add(chunk: DuckDBDataChunk, offset: number): void {
    const n = chunk.rowCount;
    this.cols.inputs.forEach((s, j) => {
      const value = chunk.getColumnVector(2 * j);
      const other = chunk.getColumnVector(2 * j + 1);
      const f = this.numbers[j];
      if (f) {
        for (let i = 0; i < n; i++) {
          const bad = other.getItem(i) as string | null;
          if (bad !== null) throw badValue(this.origin, offset + this.rows + i + 1, s, bad);
          f[this.rows + i] = (value.getItem(i) as number | null) ?? NaN;
        }
        return;
      }
      const levels = this.cols.levels.get(s.name) ?? [];
      const dst = this.labels[j]!;
      for (let i = 0; i < n; i++) {
        const code = value.getItem(i) as number | null;
        dst.push(code === null ? (other.getItem(i) as string | null) : levels[code]!); // levels shared by reference
      }
    });
    const base = 2 * this.cols.inputs.length;
    this.texts.forEach((dst, k) => {
      const v = chunk.getColumnVector(base + k);
      for (let i = 0; i < n; i++) dst.push(v.getItem(i) as string | null);
    });
    this.rows += n;
  }

  /** The gathered rows as a typed table and their text columns; the batch starts again empty. */
  take(): { typed: TypedTable; text: Record<string, RawValue[]> } {
    const columns = new Map<string, TypedColumn>();
    this.cols.inputs.forEach((s, j) => {
      const f = this.numbers[j];
      columns.set(s.name, { ...s, values: f ? f.subarray(0, this.rows) : this.labels[j]! });
    });
    const text = dict<RawValue[]>();
    this.cols.text.forEach((c, k) => (text[c] = this.texts[k]!));
    const typed = { origin: this.origin, rows: this.rows, columns };
    this.reset();
    return { typed, text };
  }
}
