/**
 * Schema inference: what each input column is (numeric, categorical, boolean) and what role
 * it plays (feature, identifier, target, ignored). The learned schema is stored in model.json
 * and used to validate every input at prediction time.
 */
import type { Logger } from "pino";
import { UserError } from "../utils/errors.js";
import type { RawTable } from "./load.js";
import { show } from "../utils/errors.js";
import { isBooleanWord, isMissing, oddNumber, parseNumber } from "./values.js";
import { ID_MIN_DIGITS, ID_NAME, manyDigits, orderRelation, targetForIds } from "./identifier.js";

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

/** Infer the type and role of every column of `t`. */
export function inferSchema(t: RawTable, opts: InferOptions = {}): Schema {
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
  const labelled = targetForIds(t, opts.target, opts.positive);
  const columns = t.columns.map((name): ColumnSchema => {
    const values = t.data[name]!;
    let nonMissing = 0;
    let numeric = 0;
    let integer = 0;
    let minAbs = Infinity; // smallest |value| of the numbers: the identifier value rule counts digits
    let boolWords = 0;
    let odd = 0; // numbers in forms churnkit does not read (inf, 1e309, 1,234, 0x10): see values.ts
    let firstOdd = -1;
    let firstOther = -1; // the first value that is neither a number, an odd number nor missing
    const distinct = new Set<string>();
    const boolDistinct = new Set<string>(); // boolean words compared without case: Yes, YES and yes are one value
    for (let r = 0; r < values.length; r++) {
      const v = values[r];
      if (isMissing(v)) continue;
      nonMissing++;
      const n = parseNumber(v);
      if (n !== undefined) {
        numeric++;
        if (Number.isInteger(n)) integer++;
        if (Math.abs(n) < minAbs) minAbs = Math.abs(n);
      } else if (oddNumber(v) !== undefined) {
        if (odd++ === 0) firstOdd = r;
      } else {
        if (firstOther < 0) firstOther = r;
        if (typeof v === "boolean" || (typeof v === "string" && isBooleanWord(v.trim()))) {
          boolWords++;
          boolDistinct.add(String(v).trim().toLowerCase());
        }
      }
      if (distinct.size <= t.rows) distinct.add(String(v).trim());
    }
    const nullable = nonMissing < values.length;
    let type: ColumnType;
    const declared = forced.get(name);
    if (declared) type = declared;
    // Odd numbers never turn a numeric column categorical; the cells are an error below.
    else if (numeric > 0 && numeric + odd === nonMissing) type = "numeric";
    else if (odd > 0 && odd === nonMissing) {
      type = "categorical";
      opts.log?.warn(
        `column "${name}": no value is a plain number (row ${firstOdd + 1}: ${show(values[firstOdd])} ${oddNumber(values[firstOdd])}); it is read as categorical`,
      );
    } else if (nonMissing > 0 && boolWords === nonMissing && boolDistinct.size <= 2) type = "boolean";
    else {
      type = "categorical";
      // Mostly numbers and a few other values ("$12", "1_000", "12%"): say so, never a silent change of type.
      if (numeric >= 0.9 * nonMissing && firstOther >= 0)
        opts.log?.warn(
          `column "${name}": ${numeric.toLocaleString("en")} of ${nonMissing.toLocaleString("en")} values are numbers, but row ${firstOther + 1} has ${show(values[firstOther])}, so it is read as categorical; fix such values (or leave them empty for missing), or declare the column in data.types`,
        );
    }
    const base = { name, type, nullable, distinct: distinct.size };
    if (name === opts.target) return { ...base, role: "target" };
    if (drop.has(name)) return { ...base, role: "ignored", note: "dropped by configuration" };
    if (ids.has(name)) return { ...base, role: "identifier", note: "declared identifier" };
    if (type === "numeric" && odd > 0) {
      const e = oddCells(t, name, odd, firstOdd);
      if (opts.oddNumbers !== "warn") throw e;
      opts.log?.warn(e.message);
    }
    const uniquePerRow = nonMissing === t.rows && distinct.size === t.rows && t.rows >= 20;
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
    if (uniquePerRow && !declared && type === "numeric" && integer === nonMissing && manyDigits(minAbs)) {
      const y = labelled();
      const order = y ? orderRelation(values, y) : undefined;
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
function oddCells(t: RawTable, name: string, count: number, first: number): UserError {
  const v = t.data[name]![first];
  const cells =
    count > 1 ? `${count} values are not plain finite numbers, the first` : "1 value is not a plain finite number";
  return new UserError(
    `${t.origin}: column "${name}" is numeric but ${cells} in row ${first + 1}: ${show(v)} ${oddNumber(v)} (or declare the column in data.types or data.drop)`,
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
