/**
 * Schema inference: what each input column is (numeric, categorical, boolean) and what role
 * it plays (feature, identifier, target, ignored). The learned schema is stored in model.json
 * and used to validate every input at prediction time.
 */
import type { Logger } from "pino";
import { UserError } from "../utils/errors.js";
import type { RawTable, RawValue } from "./load.js";
import { show } from "../utils/errors.js";
import { isBooleanWord, isMissing, oddNumber, parseNumber } from "./values.js";
import { ID_MIN_DIGITS, ID_NAME, manyDigits, orderRelation, targetForIds, type OrderRelation } from "./identifier.js";

/** How a column is read: numbers, labels, or yes/no values. */
export type ColumnType = "numeric" | "categorical" | "boolean";
/** What a column is for: a model input, an identifier kept in predictions, the target, or left out. */
export type ColumnRole = "feature" | "identifier" | "target" | "ignored";

/** One input column as learned from the training data. */
export interface ColumnSchema {
  /** The column's name in the data file. */
  name: string;
  /** How its values are read (inferred, or forced by `data.types`). */
  type: ColumnType;
  /** What it is used for (see {@link ColumnRole}). */
  role: ColumnRole;
  /** Did training data have missing values in this column? */
  nullable: boolean;
  /** Distinct non-missing values seen in training (capped at 1,000 when counting). */
  distinct: number;
  /** Why the role was chosen, when not plainly "feature" (e.g. "unique per row"). */
  note?: string;
}

/** Every column of a training table with its type and role. */
export interface Schema {
  /** Every column, in file order. */
  columns: ColumnSchema[];
}

/** Options of {@link inferSchema}: what the user said about the columns, and how strictly to read numbers. */
export interface InferOptions {
  /** Target column; it gets role "target". */
  target?: string;
  /** The target's positive label when not obvious (`data.positive`); the identifier value rule uses the target. */
  positive?: string;
  /**
   * How a column's order relates to the target, for the identifier value rule: null when there is no usable
   * target. Default for a raw table: computed from its rows; a file's caller computes it in DuckDB
   * (data/identifier-order.ts) for the few columns that need it.
   */
  orderRelation?: (column: string) => OrderRelation | null;
  /** Columns the user dropped; they get role "ignored". */
  drop?: string[];
  /** Columns the user declared as identifiers. */
  ids?: string[];
  /** Column types the user forced (own keys only are read: a column may be named "constructor"). */
  types?: Record<string, ColumnType>;
  /** Logger for the choices made (roles, odd numbers with `oddNumbers: "warn"`); silent when unset. */
  log?: Logger;
  /**
   * A numeric feature with odd numbers (inf, 1e309, 1,234, 0x10): "error" (default, training)
   * fails naming column and row; "warn" logs the same line and keeps the column numeric (init,
   * which only describes the data).
   */
  oddNumbers?: "error" | "warn";
}

/**
 * What schema inference counts in one column. Counted in JS for rows (`columnFacts`) and
 * in DuckDB SQL for files (data/load-typed.ts), by the same rules (values.ts, sql-values.ts).
 */
export interface ColumnFacts {
  /** Values that are not missing. */
  nonMissing: number;
  /** Values that are plain finite numbers. */
  numeric: number;
  /** Of those, integers. */
  integer: number;
  /** Numbers in forms churnkit does not read (inf, 1e309, 1,234, 0x10): see values.ts. */
  odd: number;
  /** Row (0-based) of the first odd number, -1 when none. */
  firstOdd: number;
  /** The raw value of that row (null when none). */
  firstOddValue: RawValue;
  /** Row of the first value that is neither a number, an odd number nor missing; -1 when none. */
  firstOther: number;
  /** The raw value of that row (null when none). */
  firstOtherValue: RawValue;
  /** Values that are boolean words (yes/no, true/false, y/n, t/f, any case). */
  boolWords: number;
  /** Distinct boolean words, compared without case: Yes, YES and yes are one value. */
  boolDistinct: number;
  /** Distinct non-missing values (trimmed text). */
  distinct: number;
  /** Smallest absolute value of the plain numbers (Infinity when none): the identifier value rule counts digits. */
  minAbs: number;
  /** Smallest plain number (Infinity when none): `init` proposes only a column of durations ≥ 0. */
  min: number;
}

/** Count the {@link ColumnFacts} of one column of raw values, by the rules of values.ts. */
export function columnFacts(values: RawValue[]): ColumnFacts {
  let nonMissing = 0;
  let numeric = 0;
  let integer = 0;
  let boolWords = 0;
  let odd = 0;
  let firstOdd = -1;
  let firstOther = -1;
  let minAbs = Infinity;
  let min = Infinity;
  const distinct = new Set<string>();
  const boolDistinct = new Set<string>();
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (isMissing(v)) continue;
    nonMissing++;
    const n = parseNumber(v);
    if (n !== undefined) {
      numeric++;
      if (Number.isInteger(n)) integer++;
      if (Math.abs(n) < minAbs) minAbs = Math.abs(n);
      if (n < min) min = n;
    } else if (oddNumber(v) !== undefined) {
      if (odd++ === 0) firstOdd = r;
    } else {
      if (firstOther < 0) firstOther = r;
      if (typeof v === "boolean" || (typeof v === "string" && isBooleanWord(v.trim()))) {
        boolWords++;
        boolDistinct.add(String(v).trim().toLowerCase());
      }
    }
    distinct.add(String(v).trim());
  }
  return {
    nonMissing,
    numeric,
    integer,
    odd,
    firstOdd,
    firstOddValue: firstOdd >= 0 ? values[firstOdd] : null,
    firstOther,
    firstOtherValue: firstOther >= 0 ? values[firstOther] : null,
    boolWords,
    boolDistinct: boolDistinct.size,
    distinct: distinct.size,
    minAbs,
    min,
  };
}

/** A table as schema inference sees it: names, row count and the {@link ColumnFacts} of each column. */
export interface FactsTable {
  /** Where it came from, for error messages. */
  origin: string;
  /** Column names in file order. */
  columns: string[];
  /** Number of rows. */
  rows: number;
  /** The facts of one column. */
  facts(name: string): ColumnFacts;
}

/** Infer the type and role of every column of `t`. */
export function inferSchema(t: RawTable, opts: InferOptions = {}): Schema {
  const labelled = targetForIds(t, opts.target, opts.positive);
  const orderOf = (name: string): OrderRelation | null => {
    const y = labelled();
    return y
      ? orderRelation(
          Float64Array.from(t.data[name]!, (v) => parseNumber(v) ?? NaN),
          y,
        )
      : null;
  };
  return inferSchemaFrom({ ...t, facts: (name) => columnFacts(t.data[name]!) }, { orderRelation: orderOf, ...opts });
}

/** Whether the identifier value rule looks at a column: integers unique per row, every one of many digits. */
export function valueRuleCandidate(f: ColumnFacts, rows: number): boolean {
  return (
    f.nonMissing === rows &&
    f.distinct === rows &&
    rows >= 20 &&
    f.integer === rows &&
    f.numeric === rows &&
    manyDigits(f.minAbs)
  );
}

/** Infer the type and role of every column from counted facts (rows of the API, or a file counted in SQL). */
export function inferSchemaFrom(t: FactsTable, opts: InferOptions = {}): Schema {
  const drop = new Set(opts.drop ?? []);
  const ids = new Set(opts.ids ?? []);
  const forced = new Map(Object.entries(opts.types ?? {}));
  for (const c of [...drop, ...ids, ...forced.keys()]) {
    if (!t.columns.includes(c))
      throw new UserError(
        `${t.origin}: column "${c}" named in the configuration is not in the file; columns are: ${t.columns.join(", ")}`,
      );
  }
  if (opts.target !== undefined && !t.columns.includes(opts.target)) {
    throw new UserError(`${t.origin}: target column "${opts.target}" not found; columns are: ${t.columns.join(", ")}`);
  }
  const columns = t.columns.map((name): ColumnSchema => {
    const f = t.facts(name);
    const { nonMissing, numeric, integer, boolWords, odd, firstOdd, firstOther } = f;
    const nullable = nonMissing < t.rows;
    let type: ColumnType;
    const declared = forced.get(name);
    if (declared) type = declared;
    // Odd numbers never turn a numeric column categorical; the cells are an error below.
    else if (numeric > 0 && numeric + odd === nonMissing) type = "numeric";
    else if (odd > 0 && odd === nonMissing) {
      type = "categorical";
      opts.log?.warn(
        `column "${name}": no value is a plain number (row ${firstOdd + 1}: ${show(f.firstOddValue)} ${oddNumber(f.firstOddValue)}); it is read as categorical`,
      );
    } else if (nonMissing > 0 && boolWords === nonMissing && f.boolDistinct <= 2) type = "boolean";
    else {
      type = "categorical";
      // Mostly numbers and a few other values ("$12", "1_000", "12%"): say so, never a silent change of type.
      if (numeric >= 0.9 * nonMissing && firstOther >= 0)
        opts.log?.warn(
          `column "${name}": ${numeric.toLocaleString("en")} of ${nonMissing.toLocaleString("en")} values are numbers, but row ${firstOther + 1} has ${show(f.firstOtherValue)}, so it is read as categorical; fix such values (or leave them empty for missing), or declare the column in data.types`,
        );
    }
    const base = { name, type, nullable, distinct: f.distinct };
    if (name === opts.target) return { ...base, role: "target" };
    if (drop.has(name)) return { ...base, role: "ignored", note: "dropped by configuration" };
    if (ids.has(name)) return { ...base, role: "identifier", note: "declared identifier" };
    if (type === "numeric" && odd > 0) {
      const e = oddCells(t.origin, name, odd, firstOdd, f.firstOddValue);
      if (opts.oddNumbers !== "warn") throw e;
      opts.log?.warn(e.message);
    }
    const uniquePerRow = nonMissing === t.rows && f.distinct === t.rows && t.rows >= 20;
    if (uniquePerRow && type === "categorical") {
      opts.log?.info(`column "${name}" is an identifier (unique-text rule: text unique per row), not a feature`);
      return { ...base, role: "identifier", note: "unique per row" };
    }
    if (uniquePerRow && type === "numeric" && integer === nonMissing && ID_NAME.test(name)) {
      opts.log?.info(
        `column "${name}" is an identifier (name rule: integers unique per row with an id-like name), not a feature`,
      );
      return { ...base, role: "identifier", note: "integer unique per row with an id-like name" };
    }
    // A type declared in data.types says the user knows the column: the value rule leaves it a feature.
    if (!declared && type === "numeric" && valueRuleCandidate(f, t.rows)) {
      const order = opts.orderRelation?.(name) ?? null;
      if (!order?.related) {
        opts.log?.info(
          `column "${name}" is an identifier (value rule: integers unique per row, each of at least ${ID_MIN_DIGITS} digits, ${order ? `and the churn rate is flat along their order, Cramér's V ${order.v.toFixed(3)}` : "no target to relate them to"}), not a feature; declare it in data.types (numeric) if it is a quantity`,
        );
        return { ...base, role: "identifier", note: `integer unique per row with at least ${ID_MIN_DIGITS} digits` };
      }
      opts.log?.info(
        `column "${name}" holds integers unique per row of at least ${ID_MIN_DIGITS} digits like an identifier, but the churn rate changes along their order (Cramér's V ${order.v.toFixed(3)}): kept as a feature; list it in data.id_columns if it is an identifier`,
      );
    }
    if (nonMissing === 0) {
      opts.log?.warn(`column "${name}" has no values at all: it is ignored`);
      return { ...base, role: "ignored", note: "all values missing" };
    }
    return { ...base, role: "feature" };
  });
  return { columns };
}

/**
 * A numeric feature with odd numbers fails training rather than losing or guessing values:
 * "1,234" may be 1234 or 1.234, and an infinity cannot be imputed silently; the same cells are
 * an error at prediction (`typeColumn`), so both times follow one rule.
 */
function oddCells(origin: string, name: string, count: number, first: number, v: RawValue): UserError {
  const cells =
    count > 1 ? `${count} values are not plain finite numbers, the first` : "1 value is not a plain finite number";
  return new UserError(
    `${origin}: column "${name}" is numeric but ${cells} in row ${first + 1}: ${show(v)} ${oddNumber(v)} (or declare the column in data.types or data.drop)`,
  );
}

/** Guess the target: a column named like churn/target/label/exited, with two distinct values. */
export function guessTarget(schema: Schema): string | undefined {
  const two = schema.columns.filter((c) => c.distinct === 2);
  const byName = (re: RegExp) => two.find((c) => re.test(c.name));
  return (
    byName(/^churn(ed)?$/i) ??
    byName(/churn/i) ??
    byName(/^(target|label|exited|attrition|left|y)$/i) ??
    byName(/attrition|exit|cancel|left/i)
  )?.name;
}

/** The columns of a schema that are model inputs (role "feature"). */
export const featureColumns = (s: Schema): ColumnSchema[] => s.columns.filter((c) => c.role === "feature");
/** The identifier columns of a schema: copied into predictions, never model inputs. */
export const idColumns = (s: Schema): ColumnSchema[] => s.columns.filter((c) => c.role === "identifier");
