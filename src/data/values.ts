/**
 * The parsing rules for single values, shared by schema inference (training) and by
 * validation (prediction), so that a value means the same thing at both times.
 */
import type { RawValue } from "./load.js";

/** Text that means "no value". Compared after trimming. */
export const MISSING_TOKENS = new Set(["", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "none"]);

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const TRUE_WORDS = new Set(["true", "yes", "y", "t"]);
const FALSE_WORDS = new Set(["false", "no", "n", "f"]);

export function isMissing(v: RawValue): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === "number") return Number.isNaN(v);
  if (typeof v === "string") return MISSING_TOKENS.has(v.trim());
  return false;
}

/** A number, NaN for missing, or undefined when the value is not a number. */
export function parseNumber(v: RawValue): number | undefined {
  if (isMissing(v)) return NaN;
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  const s = (v as string).trim();
  return NUMBER.test(s) ? Number(s) : undefined;
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
export const isBooleanWord = (s: string): boolean => TRUE_WORDS.has(s.toLowerCase()) || FALSE_WORDS.has(s.toLowerCase());
export const isTrueWord = (s: string): boolean => TRUE_WORDS.has(s.toLowerCase()) || s === "1";
