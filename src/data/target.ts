/**
 * The target column: which label is "positive" (churned), and the 0/1 vector it gives.
 */
import { UserError } from "../utils/errors.js";
import type { RawTable } from "./load.js";
import { isMissing } from "./values.js";

/** The learned target: column, positive label and the other label(s). */
export interface TargetInfo {
  /** The target column's name. */
  column: string;
  /** The label that counts as churn (1). */
  positive: string;
  /** Every other label seen in training (0). */
  negatives: string[];
}

const POSITIVE_WORDS = ["yes", "true", "1", "y", "t", "1.0", "churn", "churned"];
const PAIRS: [string, string][] = [
  ["yes", "no"],
  ["true", "false"],
  ["1", "0"],
  ["1.0", "0.0"],
  ["y", "n"],
  ["t", "f"],
];

const label = (v: unknown): string => String(v).trim();

/** Distinct non-missing labels of the target, in order of first appearance. */
export function targetLabels(t: RawTable, column: string): string[] {
  const seen = new Set<string>();
  for (const v of t.data[column]!) if (!isMissing(v)) seen.add(label(v));
  return [...seen];
}

/** Decide the positive label: the user's, or an obvious one (Yes/No, 1/0, true/false). */
export function resolveTarget(t: RawTable, column: string, positive?: string): TargetInfo {
  if (!t.columns.includes(column))
    throw new UserError(`${t.origin}: target column "${column}" not found; columns are: ${t.columns.join(", ")}`);
  const labels = targetLabels(t, column);
  if (labels.length < 2) {
    throw new UserError(
      `${t.origin}: target column "${column}" has only one class (${labels.length ? JSON.stringify(labels[0]) : "no values"}); a churn model needs rows of both classes`,
    );
  }
  if (positive !== undefined) {
    const match = labels.find((l) => l === positive) ?? labels.find((l) => l.toLowerCase() === positive.toLowerCase());
    if (!match)
      throw new UserError(
        `${t.origin}: --positive ${JSON.stringify(positive)} is not a value of target column "${column}"; its values are: ${labels.slice(0, 10).join(", ")}`,
      );
    return { column, positive: match, negatives: labels.filter((l) => l !== match) };
  }
  if (labels.length === 2) {
    const lower = labels.map((l) => l.toLowerCase());
    for (const [p, n] of PAIRS) {
      if (lower.includes(p) && lower.includes(n)) {
        const pos = labels[lower.indexOf(p)]!;
        return { column, positive: pos, negatives: labels.filter((l) => l !== pos) };
      }
    }
    const pos = labels.find((l) => POSITIVE_WORDS.includes(l.toLowerCase()));
    if (pos) return { column, positive: pos, negatives: labels.filter((l) => l !== pos) };
  }
  throw new UserError(
    `${t.origin}: cannot tell which value of target column "${column}" means churn (values: ${labels.slice(0, 10).join(", ")}${labels.length > 10 ? ", …" : ""}); pass --positive LABEL`,
  );
}

/**
 * The 0/1 target and the rows that have one. Rows whose target is missing are left out;
 * labels never seen in training (at evaluation time) are an error.
 */
export function encodeTarget(t: RawTable, target: TargetInfo, strict = false): { y: Uint8Array; rows: number[] } {
  const col = t.data[target.column];
  if (!col)
    throw new UserError(`${t.origin}: target column "${target.column}" not found; evaluation needs the true labels`);
  const y: number[] = [];
  const rows: number[] = [];
  const known = new Set([target.positive, ...target.negatives]);
  for (let i = 0; i < t.rows; i++) {
    const v = col[i];
    if (isMissing(v)) continue;
    const l = label(v);
    if (strict && !known.has(l) && l.toLowerCase() !== target.positive.toLowerCase()) {
      throw new UserError(
        `${t.origin}: row ${i + 1}, target column "${target.column}": label ${JSON.stringify(l)} was not seen in training (labels: ${[...known].join(", ")})`,
      );
    }
    y.push(l === target.positive || l.toLowerCase() === target.positive.toLowerCase() ? 1 : 0);
    rows.push(i);
  }
  return { y: Uint8Array.from(y), rows };
}
