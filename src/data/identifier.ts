/**
 * The identifier rules of schema inference: which unique-per-row columns are identifiers (copied into
 * predictions, never model inputs) rather than features. Three rules, each named in the log:
 * - unique-text rule: text unique per row (customerID);
 * - name rule: integers unique per row with an id-like name (CustomerId, row_number);
 * - value rule: integers unique per row, every one with at least {@link ID_MIN_DIGITS} digits, whose
 *   order does not relate to the target (CLIENTNUM, a 9-digit account number), whatever the name.
 * Continuous unique values (a total charge, with decimals) are never identifiers by these rules.
 */
import type { RawTable } from "./load.js";
import { encodeTarget, resolveTarget } from "./target.js";

/** Integer-valued columns named like these and unique per row are identifiers (the name rule). */
export const ID_NAME = /(^|[_\s-])(id|key|uuid|guid|number|no|index|row)$|^(id|row_?number|index)([_\s-]|$)|id$/i;

/**
 * Integers unique per row whose every value has at least this many digits (|v| ≥ 100,000) are identifiers
 * by their values (the value rule): quantities are seldom distinct for every customer and that large,
 * while account and customer numbers usually are. Shorter unique integers (a row counter 1…n) need an
 * id-like name.
 */
export const ID_MIN_DIGITS = 6;

/** The value rule compares the churn rate over this many equal-count bins of the column's order. */
export const ORDER_BINS = 10;
/** χ² with 9 degrees of freedom above which the churn rate differs between bins (p < 0.001). */
const ORDER_CHI2 = 27.877;
/** Cramér's V of bin × class from which the order relates to the target (Cohen's "small" effect). */
export const ORDER_MIN_V = 0.1;

/** How one column's order relates to the target: Cramér's V of the 10-bin × class table and whether it counts. */
export interface OrderRelation {
  /** Cramér's V (0: the churn rate is the same in every bin). */
  v: number;
  /** Whether the relation is both significant (p < 0.001) and at least `ORDER_MIN_V` (0.1). */
  related: boolean;
}

/** Whether every value (all integers) has at least {@link ID_MIN_DIGITS} digits. */
export const manyDigits = (minAbs: number): boolean => minAbs >= 10 ** (ID_MIN_DIGITS - 1);

/**
 * A lazy 0/1 target of `t` for the value rule, or null when there is none or it is unclear (training
 * then fails on the target with its own message; schema inference never does).
 */
export function targetForIds(t: RawTable, target?: string, positive?: string): () => OrderTarget | null {
  let y: OrderTarget | null | undefined;
  return () => {
    if (y !== undefined) return y;
    try {
      y = target === undefined ? null : encodeTarget(t, resolveTarget(t, target, positive));
    } catch {
      y = null;
    }
    return y;
  };
}

/** The 0/1 target and the rows that have one (as {@link encodeTarget} returns them). */
export interface OrderTarget {
  /** 1 for churn, 0 else, one per labelled row. */
  y: Uint8Array;
  /** Row of the table of each entry of `y`. */
  rows: number[];
}

/**
 * Does the churn rate change along the order of a numeric column? The labelled rows are sorted by value
 * and cut into {@link ORDER_BINS} equal-count bins (`column`: the column's number in every table row, NaN when none); χ² of the bin × class table tests it, Cramér's V sizes it.
 * An identifier's order is arbitrary, so its churn rate is flat across bins.
 */
export function orderRelation(column: ArrayLike<number>, target: OrderTarget): OrderRelation {
  const n = target.rows.length;
  const x = Float64Array.from(target.rows, (r) => column[r]!);
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const pos = target.y.reduce((s, v) => s + v, 0);
  const p = pos / n;
  if (n < 2 * ORDER_BINS || p === 0 || p === 1) return { v: 0, related: false };
  let chi2 = 0;
  for (let b = 0; b < ORDER_BINS; b++) {
    const lo = Math.floor((b * n) / ORDER_BINS);
    const hi = Math.floor(((b + 1) * n) / ORDER_BINS);
    let k = 0;
    for (let i = lo; i < hi; i++) k += target.y[order[i]!]!;
    const m = hi - lo;
    chi2 += (k - m * p) ** 2 / (m * p * (1 - p));
  }
  const v = Math.sqrt(chi2 / n); // a 2-column table: V = sqrt(χ² / n)
  return { v, related: chi2 > ORDER_CHI2 && v >= ORDER_MIN_V };
}
