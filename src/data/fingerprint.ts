/** A fingerprint of the training data: row and column counts and a SHA-256 of the values. */
import { createHash, type Hash } from "node:crypto";
import type { RawTable, RawValue } from "./load.js";

/** Rows, columns and the SHA-256 of every value in column order, stored in model.json. */
export interface Fingerprint {
  /** Number of rows. */
  rows: number;
  /** Number of columns. */
  columns: number;
  /** SHA-256 (hex) of the values, column by column (see `fingerprint`). */
  sha256: string;
}

/** The text hashed before a column's values. */
export const columnMark = (name: string): string => `\u0002${name}\u0003`;

/** The text hashed for one value: NUL for a missing one, else the value and U+0001 (data/load-typed.ts builds it in SQL). */
export const valueText = (v: RawValue): string => (v === null || v === undefined ? "\u0000" : `${String(v)}\u0001`);

/**
 * Fingerprint a raw table (row and column counts, SHA-256 of every value in column order), stored in
 * model.json so a model records exactly which data it was trained on.
 */
export function fingerprint(t: RawTable): Fingerprint {
  const h: Hash = createHash("sha256");
  for (const c of t.columns) {
    h.update(columnMark(c));
    for (const v of t.data[c]!) h.update(valueText(v));
  }
  return { rows: t.rows, columns: t.columns.length, sha256: h.digest("hex") };
}
