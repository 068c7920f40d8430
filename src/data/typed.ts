/**
 * Typed tables: raw values parsed by the schema's rules. Numeric and boolean columns become
 * Float64Array (NaN = missing, booleans 1/0); categorical columns become string | null arrays.
 * At prediction time this is also where input is validated, column by column and row by row.
 */
import { UserError, show } from "../utils/errors.js";
import type { RawTable, RawValue } from "./load.js";
import type { ColumnType } from "./schema.js";
import { oddNumber, parseBoolean, parseCategory, parseNumber } from "./values.js";

/**
 * Parsed values of one column: Float64Array for numeric and boolean columns (NaN = missing, booleans 1/0),
 * an array of labels (null = missing) for categorical ones.
 */
export type TypedValues = Float64Array | (string | null)[];

/** One column of a {@link TypedTable}: its name, type and parsed values. */
export interface TypedColumn {
  /** The column's name. */
  name: string;
  /** How the values were parsed. */
  type: ColumnType;
  /** One parsed value per row. */
  values: TypedValues;
  /**
   * A categorical column read coded (the scoring stream, data/score-typed.ts), when it was: the same labels as
   * `values`, as codes against `levels`, so that encoding need not look every label up again.
   */
  coded?: CategoryCodes;
}

/** Labels as codes: `code[r]` >= 0 is `levels[code[r]]`, {@link CODE_MISSING} is missing, {@link CODE_LABEL} is `labels.get(r)`. */
export interface CategoryCodes {
  /** The levels the codes index (a model's levels of the column). */
  levels: readonly string[];
  /** One code per row. */
  code: Int32Array;
  /** The label of each row coded {@link CODE_LABEL} (one outside `levels`). */
  labels: ReadonlyMap<number, string>;
}

/** Code of a missing label in {@link CategoryCodes}. */
export const CODE_MISSING = -1;
/** Code of a label outside the levels in {@link CategoryCodes} (its text is in `labels`). */
export const CODE_LABEL = -2;

/** A table of parsed values, column by column: what preprocessing, features and models read. */
export interface TypedTable {
  /** Where the rows came from (a file path or "request"), for error messages. */
  origin: string;
  /** Number of rows. */
  rows: number;
  /** The columns by name. */
  columns: Map<string, TypedColumn>;
}

/** The columns a typed table must have, with their types. */
export interface ColumnSpec {
  /** The column's name. */
  name: string;
  /** The type its values must parse as. */
  type: ColumnType;
}

/** Parse one raw column; a value of the wrong type is a UserError naming column and row. */
export function typeColumn(t: RawTable, spec: ColumnSpec, rowOffset = 0): TypedColumn {
  const raw = Object.hasOwn(t.data, spec.name) ? t.data[spec.name] : undefined;
  if (!raw) throw new UserError(`${t.origin}: column "${spec.name}" is missing; the model needs it (${spec.type})`);
  if (spec.type === "categorical") return { ...spec, values: raw.map(parseCategory) };
  const parse = spec.type === "numeric" ? parseNumber : parseBoolean;
  const out = new Float64Array(t.rows);
  for (let i = 0; i < t.rows; i++) {
    const v = parse(raw[i]);
    if (v === undefined) throw badValue(t.origin, i + 1 + rowOffset, spec, raw[i]);
    out[i] = v;
  }
  return { ...spec, values: out };
}

/** The error for a value of a numeric or boolean column that does not parse (`row` counts from 1). */
export function badValue(origin: string, row: number, spec: ColumnSpec, v: RawValue): UserError {
  const odd = spec.type === "numeric" ? oddNumber(v) : undefined;
  const what =
    odd ??
    `${spec.type === "numeric" ? "is not a number" : "is not a boolean (yes/no, true/false, 1/0)"}; fix the value or leave it empty for missing`;
  return new UserError(`${origin}: row ${row}, column "${spec.name}": ${show(v)} ${what}`);
}

/** Every column of `specs` that `has` not is named in one UserError. */
export function checkColumns(origin: string, specs: ColumnSpec[], has: (column: string) => boolean): void {
  const missing = specs.filter((s) => !has(s.name)).map((s) => `"${s.name}"`);
  if (missing.length) {
    throw new UserError(
      `${origin}: missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; the model was trained with ${missing.length > 1 ? "them" : "it"}, add ${missing.length > 1 ? "them" : "it"} to the input`,
    );
  }
}

/** Type the given columns of `t`. Every missing column is named in one error. */
export function typeTable(t: RawTable, specs: ColumnSpec[], rowOffset = 0): TypedTable {
  checkColumns(t.origin, specs, (c) => Object.hasOwn(t.data, c));
  const columns = new Map<string, TypedColumn>();
  for (const s of specs) columns.set(s.name, typeColumn(t, s, rowOffset));
  return { origin: t.origin, rows: t.rows, columns };
}

/**
 * Rows `idx` of one typed column (numbers stay a Float64Array). With {@link takeTyped} and
 * data/load's `takeRows`, the one way churnkit takes rows of a table; permutation importance
 * shuffles a column with it.
 */
export function takeColumn(c: TypedColumn, idx: ArrayLike<number>): TypedColumn {
  let values: TypedValues;
  if (c.values instanceof Float64Array) {
    const out = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = c.values[idx[i]!]!;
    values = out;
  } else {
    const src = c.values;
    values = Array.from({ length: idx.length }, (_, i) => src[idx[i]!]!);
  }
  return { ...c, values };
}

/** Rows `idx` of a typed table. */
export function takeTyped(t: TypedTable, idx: ArrayLike<number>): TypedTable {
  const columns = new Map<string, TypedColumn>();
  for (const [k, c] of t.columns) columns.set(k, takeColumn(c, idx));
  return { origin: t.origin, rows: idx.length, columns };
}
