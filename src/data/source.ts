/**
 * A training table as the training steps read it: schema facts, the target column, typed
 * feature columns, a fingerprint and raw rows on demand. Two kinds: rows given in memory
 * (the API, typed by values.ts in JS) and files (typed by DuckDB, see load-typed.ts), so that
 * a 1M-row file never becomes one JS string per cell.
 */
import { fingerprint, type Fingerprint } from "./fingerprint.js";
import { takeRows, type RawTable } from "./load.js";
import { columnFacts, type FactsTable } from "./schema.js";
import { typeTable, type ColumnSpec, type TypedTable } from "./typed.js";

/** Options of {@link TrainingSource.subset}. */
export interface SubsetOptions {
  /** Count the subset's schema facts (what training infers its schema from). Default true; rows only scored need none. */
  facts?: boolean;
}

/** A training table, however it is stored. Close it when training is done. */
export interface TrainingSource extends FactsTable {
  /**
   * One column as a raw table (for the target's labels): its values are the column's labels
   * (trimmed, null for missing) or its raw values; files share one string per distinct label.
   */
  labels(column: string): Promise<RawTable>;
  /** The given columns, typed; `rows` picks rows (in that order), all rows when absent. */
  typed(specs: ColumnSpec[], rows?: ArrayLike<number>): Promise<TypedTable>;
  /** Rows `idx` with every column as raw text (for reports and explanations of a few rows). */
  rawRows(idx: ArrayLike<number>): Promise<RawTable>;
  /** The fingerprint of the whole table (data/fingerprint.ts). */
  fingerprint(): Promise<Fingerprint>;
  /**
   * Rows `idx` (in that order) as a source of their own: its facts, labels, typed columns, raw rows and fingerprint
   * are those of the rows taken, as if they were the whole table (what `run` trains on after holding out its test
   * rows). It is released with its parent.
   */
  subset(idx: ArrayLike<number>, opts?: SubsetOptions): Promise<TrainingSource>;
  /** Release what the source holds (a file's DuckDB connection, with its subsets' tables). */
  close(): void;
}

/** A {@link TrainingSource} over rows in memory, typed by the JS rules of values.ts. */
export function rawSource(t: RawTable): TrainingSource {
  const facts = new Map<string, ReturnType<typeof columnFacts>>();
  return {
    origin: t.origin,
    columns: t.columns,
    rows: t.rows,
    facts(name) {
      let f = facts.get(name);
      if (!f) facts.set(name, (f = columnFacts(t.data[name]!)));
      return f;
    },
    // Promise.resolve().then: a UserError of typing is a rejection, as from a file.
    labels: () => Promise.resolve(t),
    typed: (specs, rows) => Promise.resolve().then(() => typeTable(rows ? takeRows(t, rows) : t, specs)),
    rawRows: (idx) => Promise.resolve().then(() => takeRows(t, idx)),
    fingerprint: () => Promise.resolve().then(() => fingerprint(t)),
    subset: (idx) => Promise.resolve().then(() => rawSource(takeRows(t, idx))),
    close: () => undefined,
  };
}
