/**
 * The parsing rules of values.ts written as DuckDB SQL, for what training computes in DuckDB over a
 * whole column (schema facts, vocabularies: load-typed.ts). values.ts stays the rule;
 * tests/data/sql-values.test.ts feeds the same cells through both and asserts identical results.
 * (Typing cells one by one is cheaper in JavaScript from the vectors' memory: text-vectors.ts.)
 */
import { literal } from "./duckdb.js";
import { FALSE_WORDS, MISSING_TOKENS, NUMBER_FORMS, TRUE_WORDS } from "./values.js";

/**
 * What JavaScript's `String.prototype.trim` removes, as an RE2 class: ASCII and Unicode white
 * space (category Zs), line terminators and the byte-order mark. DuckDB's `trim(s)` removes only
 * spaces, and `trim(s, characters)` is about ten times slower than this regular expression.
 */
const JS_WHITESPACE = String.raw`[\t\n\x{0b}\f\r \x{00a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]`;

const NUMBER = NUMBER_FORMS.number;
const ODD = [`(?i)${NUMBER_FORMS.infinity}`, `(?i)${NUMBER_FORMS.nan}`, NUMBER_FORMS.thousands, NUMBER_FORMS.radix];

const list = (xs: Iterable<string>): string => [...xs].map(literal).join(", ");

/**
 * SQL of a text expression trimmed as JavaScript trims. The other functions here take such
 * trimmed text `t` (compute it once per cell, e.g. as a column of a subquery); NULL stays NULL.
 */
export const sqlTrim = (x: string): string =>
  `regexp_replace(${x}, ${literal(`^${JS_WHITESPACE}+|${JS_WHITESPACE}+$`)}, '', 'g')`;

/** SQL that is true when the trimmed text `t` means "no value" (NULL or a missing token). */
export const sqlMissing = (t: string): string => `(${t} IS NULL OR ${t} IN (${list(MISSING_TOKENS)}))`;

/**
 * SQL of the number the trimmed text `t` means, as `parseNumber` reads it: a DOUBLE, or NULL when
 * missing or not a plain finite number (tell those apart with {@link sqlMissing}). CASE evaluates
 * the cast only where the form matched.
 */
export const sqlNumber = (t: string): string =>
  `(CASE WHEN regexp_full_match(${t}, ${literal(NUMBER)}) THEN (CASE WHEN isfinite(TRY_CAST(${t} AS DOUBLE)) THEN TRY_CAST(${t} AS DOUBLE) END) END)`;

/**
 * SQL that is true when the trimmed text `t` is an "odd number" (`oddNumber` of values.ts says
 * why): a form that looks numeric but is not read as one (inf, 1e309, nan in other cases, 1,234, 0x10).
 * `missing` and `number` may name columns that already hold {@link sqlMissing} and {@link sqlNumber}
 * of `t`; the forms are tried only on the other values.
 */
export function sqlOdd(t: string, missing = sqlMissing(t), number = sqlNumber(t)): string {
  const forms = [NUMBER, ...ODD].map((re) => `regexp_full_match(${t}, ${literal(re)})`).join(" OR ");
  return `(CASE WHEN ${missing} OR ${number} IS NOT NULL THEN false ELSE (${forms}) END)`;
}

/** SQL that is true when the trimmed text `t` is a boolean word (not 0/1), as `isBooleanWord` of values.ts. */
export const sqlBooleanWord = (t: string): string => `(lower(${t}) IN (${list(TRUE_WORDS)}, ${list(FALSE_WORDS)}))`;

/** SQL of the category label the trimmed text `t` means, as `parseCategory`: `t`, NULL for missing. */
export const sqlCategory = (t: string): string => `(CASE WHEN NOT ${sqlMissing(t)} THEN ${t} END)`;
