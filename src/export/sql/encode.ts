/**
 * Preprocessing as SQL: the model columns (preprocess.features, in matrix order) from the typed input columns and
 * derived features, exactly as `transform` (src/data/preprocess.ts) encodes them: imputation, standardisation,
 * category codes (a level folded into "(other)", or one never seen, gets the "other" code when the column has one,
 * else is missing) and one-hot columns (a missing value takes the missing level, or the most frequent level when
 * imputing; an unseen category with no "other" level is all zeros).
 */
import type { CategoricalState, NumericState, PreprocessState } from "../../data/preprocess.js";
import type { ColumnType } from "../../data/schema.js";
import { dbl, finiteOrNull, num, quote, str } from "./text.js";

/** One column as churnkit holds it before preprocessing: a number (NULL when missing) from a typed column. */
function numberOf(column: string, type: ColumnType, derived: boolean): string {
  const q = quote(column);
  if (type === "boolean") return `CASE WHEN ${q} THEN ${dbl("1")} WHEN NOT ${q} THEN ${dbl("0")} END`;
  return derived ? finiteOrNull(q) : q; // inputs were made finite or NULL when typed
}

function numericColumn(s: NumericState, needs: PreprocessState["needs"], derived: boolean): string {
  let v = numberOf(s.column, s.type, derived);
  if (needs.impute) v = `COALESCE(${v}, ${num(s.fill)})`;
  if (needs.standardize) v = `(${v} - ${num(s.mean)}) / ${num(s.std > 0 ? s.std : 1)}`;
  return dbl(v);
}

/** The category code of a text column: the level's index, the "other" code, or NULL (missing or unknown). */
function codeOf(s: CategoricalState): string {
  const q = quote(s.column);
  const whens = s.levels.map((l, i) => `WHEN ${q} = ${str(l)} THEN ${i}`).join(" ");
  const rest = s.other ? String(s.levels.length) : "NULL";
  return `CASE WHEN ${q} IS NULL THEN NULL ${whens} ELSE ${rest} END`;
}

function oneHotColumns(s: CategoricalState, needs: PreprocessState["needs"]): string[] {
  const q = quote(s.column);
  const otherCode = s.other ? s.levels.length : -1;
  const fillIndex = s.fill !== null ? s.levels.indexOf(s.fill) : -1;
  const fillCode = s.fill === null ? -1 : fillIndex >= 0 ? fillIndex : otherCode;
  // Which one-hot column a missing value sets: the missing level, else the imputed level, else none.
  const missingTo = s.missingLevel ? -2 : needs.impute ? fillCode : -1;
  const onMissing = (code: number) => (missingTo === code ? "1" : "0");
  const out = s.levels.map(
    (l, i) => `CASE WHEN ${q} IS NULL THEN ${onMissing(i)} WHEN ${q} = ${str(l)} THEN 1 ELSE 0 END`,
  );
  if (s.other) {
    const known = s.levels.map(str).join(", ");
    out.push(`CASE WHEN ${q} IS NULL THEN ${onMissing(otherCode)} WHEN ${q} IN (${known}) THEN 0 ELSE 1 END`);
  }
  if (s.missingLevel) out.push(`CASE WHEN ${q} IS NULL THEN 1 ELSE 0 END`);
  return out.map(dbl);
}

/**
 * The SQL of every model column, in matrix order, over a relation holding the typed inputs and the derived
 * features under their names. `derivedNames` are the columns that are derived features (not yet made finite).
 */
export function modelColumns(pre: PreprocessState, derivedNames: ReadonlySet<string>): string[] {
  const numeric = new Map(pre.numeric.map((s) => [s.column, s]));
  const categorical = new Map(pre.categorical.map((s) => [s.column, s]));
  const out: string[] = [];
  for (const { column, type } of pre.inputs) {
    if (type !== "categorical") {
      out.push(numericColumn(numeric.get(column)!, pre.needs, derivedNames.has(column)));
      continue;
    }
    const s = categorical.get(column)!;
    if (pre.needs.oneHot) for (const c of oneHotColumns(s, pre.needs)) out.push(c);
    else out.push(dbl(codeOf(s)));
  }
  if (out.length !== pre.features.length)
    throw new Error(`sql export: ${out.length} model columns built, the model has ${pre.features.length}`);
  return out;
}

/** A typed input column as the model reads it: numbers as DOUBLE PRECISION, finite or NULL; others as given. */
export const typedInput = (column: string, type: ColumnType): string =>
  type === "numeric" ? dbl(finiteOrNull(quote(column))) : quote(column);
