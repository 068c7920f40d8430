/** A fingerprint of the training data: row and column counts and a SHA-256 of the values. */
import { createHash } from "node:crypto";
import type { RawTable } from "./load.js";

/**
 * Fingerprint a raw table (row and column counts, SHA-256 of every value in column order), stored in
 * model.json so a model records exactly which data it was trained on.
 */
export function fingerprint(t: RawTable): { rows: number; columns: number; sha256: string } {
  const h = createHash("sha256");
  for (const c of t.columns) {
    h.update(`\u0002${c}\u0003`);
    for (const v of t.data[c]!) h.update(v === null || v === undefined ? "\u0000" : `${String(v)}\u0001`);
  }
  return { rows: t.rows, columns: t.columns.length, sha256: h.digest("hex") };
}
