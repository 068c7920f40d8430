/**
 * The parsing rules for single values, shared by schema inference (training) and by
 * validation (prediction), so that a value means the same thing at both times.
 */
import type { RawValue } from "./load.js";

/** Text that means "no value". Compared after trimming. */
export const MISSING_TOKENS = new Set(["", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "none"]);

/**
 * The number forms, as regular-expression sources without anchors (also compiled to SQL by
 * sql-values.ts): a plain decimal number, and the "odd" forms {@link oddNumber} explains.
 */
export const NUMBER_FORMS = {
  number: String.raw`[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?`,
  infinity: String.raw`[+-]?(inf|infinity)`,
  nan: String.raw`[+-]?nan`,
  thousands: String.raw`[+-]?\d{1,3}(,\d{3})+(\.\d*)?`,
  radix: String.raw`[+-]?0([xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)`,
} as const;

const anchored = (source: string, flags = ""): RegExp => new RegExp(`^(?:${source})$`, flags);
const NUMBER = anchored(NUMBER_FORMS.number);

/** Words read as true (compared in lower case after trimming; "1" is true too). */
export const TRUE_WORDS: ReadonlySet<string> = new Set(["true", "yes", "y", "t"]);
/** Words read as false (compared in lower case after trimming; "0" is false too). */
export const FALSE_WORDS: ReadonlySet<string> = new Set(["false", "no", "n", "f"]);

/** Whether a raw value means "no value": null, undefined, or one of {@link MISSING_TOKENS} after trimming. */
export function isMissing(v: RawValue): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === "number") return Number.isNaN(v);
  if (typeof v === "string") return MISSING_TOKENS.has(v.trim());
  return false;
}

/**
 * A finite number, NaN for missing, or undefined when the value is not a plain finite number.
 * Infinite values (`inf`, `1e309`, a JS Infinity) and odd forms (`1,234`, `0x10`) are not
 * numbers here: {@link oddNumber} says why, so that no infinity reaches a learner or a response.
 */
export function parseNumber(v: RawValue): number | undefined {
  if (isMissing(v)) return NaN;
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "bigint") return finite(Number(v));
  if (typeof v === "boolean") return v ? 1 : 0;
  const s = (v as string).trim();
  return NUMBER.test(s) ? finite(Number(s)) : undefined;
}

const finite = (n: number): number | undefined => (Number.isFinite(n) ? n : undefined);

const INFINITY = anchored(NUMBER_FORMS.infinity, "i");
const NAN = anchored(NUMBER_FORMS.nan, "i");
const THOUSANDS = anchored(NUMBER_FORMS.thousands);
const RADIX = anchored(NUMBER_FORMS.radix);

/**
 * Why a value that looks like a number is not read as one, with what to write instead
 * (`is infinite; write a finite number or leave it empty for missing`), or undefined when it
 * is a plain number, missing, or plainly not a number (text such as "abc"). Such "odd
 * numbers" keep a column numeric at training (the cells are then an error, see
 * `inferSchema`) and are an error naming row and column at prediction (`typeColumn`).
 */
export function oddNumber(v: RawValue): string | undefined {
  if (isMissing(v)) return undefined;
  if (typeof v === "number" || typeof v === "bigint") {
    return Number.isFinite(Number(v)) ? undefined : "is infinite; write a finite number or leave it empty for missing";
  }
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  if (INFINITY.test(s)) return "is infinite; write a finite number or leave it empty for missing";
  if (NUMBER.test(s)) {
    return Number.isFinite(Number(s))
      ? undefined
      : "is too large for a number (it overflows to infinity); write a finite number or leave it empty for missing";
  }
  if (NAN.test(s)) return "is not a number; leave it empty for missing";
  if (THOUSANDS.test(s)) return `has a thousands separator; write it as ${s.replace(/,/g, "")}`;
  if (RADIX.test(s)) {
    const n = s.startsWith("-") ? -Number(s.slice(1)) : Number(s.replace(/^\+/, ""));
    return `is not a decimal number; write it as ${n}`;
  }
  return undefined;
}

/** 1 / 0, NaN for missing, or undefined when the value is not a boolean word. */
export function parseBoolean(v: RawValue): number | undefined {
  if (isMissing(v)) return NaN;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" || typeof v === "bigint") return Number(v) === 1 ? 1 : Number(v) === 0 ? 0 : undefined;
  const s = (v as string).trim().toLowerCase();
  if (TRUE_WORDS.has(s) || s === "1") return 1;
  if (FALSE_WORDS.has(s) || s === "0") return 0;
  return undefined;
}

/** A category label (trimmed text), or null for missing. */
export function parseCategory(v: RawValue): string | null {
  if (isMissing(v)) return null;
  return String(v).trim();
}

/** Is this word one of the boolean words (not counting 0/1, which read as numbers)? */
export const isBooleanWord = (s: string): boolean =>
  TRUE_WORDS.has(s.toLowerCase()) || FALSE_WORDS.has(s.toLowerCase());
/** Whether a boolean word (or "1") means true, ignoring letter case. */
export const isTrueWord = (s: string): boolean => TRUE_WORDS.has(s.toLowerCase()) || s === "1";
