/**
 * The target column: which label is "positive" (churned), and the 0/1 vector it gives.
 *
 * Boolean-like labels (yes/no, true/false, y/n, t/f, 1/0, 1.0/0.0) are matched without letter case:
 * TRUE, True and true are one label, at training, evaluation and prediction alike. Any other label
 * set is matched exactly, and two of its labels that differ only in letter case are an error: they
 * must never silently fall into different classes.
 */
import { UserError } from "../utils/errors.js";
import type { RawTable } from "./load.js";
import { isMissing } from "./values.js";

/** The learned target: column, positive label and the other label(s). */
export interface TargetInfo {
  /** The target column's name. */
  column: string;
  /** The label that counts as churn (1); for boolean-like labels, its first spelling seen in training. */
  positive: string;
  /** Every other label seen in training (0); boolean-like labels appear once, in their first spelling. */
  negatives: string[];
}

const POSITIVE_WORDS = ["yes", "true", "1", "y", "t", "1.0", "churn", "churned"];
/** Label pairs (positive, negative) that are matched without letter case. */
const PAIRS: [string, string][] = [
  ["yes", "no"],
  ["true", "false"],
  ["1", "0"],
  ["1.0", "0.0"],
  ["y", "n"],
  ["t", "f"],
];

const label = (v: unknown): string => String(v).trim();
const fold = (l: string): string => l.toLowerCase();
/**
 * The remedy that names how the calling command takes a setting: a flag ("pass --positive LABEL") or
 * a config key ("set data.positive in churn.yaml"), so that a message never names a flag the command lacks.
 */
export const howToSet = (name: string, value: string): string =>
  name.startsWith("--") ? `pass ${name} ${value}` : `set ${name}`;

/** Whether `labels` are all spellings of one boolean-like pair (yes/no, true/false, y/n, t/f, 1/0, 1.0/0.0). */
export function isBooleanLike(labels: readonly string[]): boolean {
  const folded = new Set(labels.map(fold));
  return PAIRS.some(([p, n]) => [...folded].every((l) => l === p || l === n));
}

/** How labels of this target are compared: without letter case when boolean-like, else exactly. */
function labelKey(target: TargetInfo): (l: string) => string {
  return isBooleanLike([target.positive, ...target.negatives]) ? fold : (l) => l;
}

/** Distinct non-missing labels of the target, in order of first appearance. */
export function targetLabels(t: RawTable, column: string): string[] {
  const seen = new Set<string>();
  for (const v of t.data[column]!) if (!isMissing(v)) seen.add(label(v));
  return [...seen];
}

/**
 * The classes of a label set: boolean-like spellings folded into one (first spelling kept), any
 * other labels as they are. Two non-boolean labels that differ only in letter case are an error.
 */
function classesOf(origin: string, column: string, labels: string[]): string[] {
  if (isBooleanLike(labels)) {
    const first = new Map<string, string>();
    for (const l of labels) if (!first.has(fold(l))) first.set(fold(l), l);
    return [...first.values()];
  }
  const byFold = new Map<string, string>();
  for (const l of labels) {
    const other = byFold.get(fold(l));
    if (other !== undefined)
      throw new UserError(
        `${origin}: target column "${column}" has labels ${JSON.stringify(other)} and ${JSON.stringify(l)} that differ only in letter case; make them one label in the data (only yes/no, true/false, y/n, t/f and 1/0 labels are matched without case)`,
      );
    byFold.set(fold(l), l);
  }
  return labels;
}

/**
 * Decide the positive label: the user's, or an obvious one (Yes/No, 1/0, true/false). `positiveName`
 * is how the calling command sets it, for messages: a flag ("--positive") or a config key ("data.positive").
 */
export function resolveTarget(
  t: RawTable,
  column: string,
  positive?: string,
  positiveName = "data.positive",
): TargetInfo {
  if (!t.columns.includes(column))
    throw new UserError(`${t.origin}: target column "${column}" not found; columns are: ${t.columns.join(", ")}`);
  const spellings = targetLabels(t, column);
  const labels = classesOf(t.origin, column, spellings);
  if (labels.length < 2) {
    throw new UserError(
      `${t.origin}: target column "${column}" has only one class (${labels.length ? JSON.stringify(labels[0]) : "no values"}); a churn model needs rows of both classes`,
    );
  }
  const info = (pos: string): TargetInfo => ({ column, positive: pos, negatives: labels.filter((l) => l !== pos) });
  if (positive !== undefined) {
    // Classes differ in more than letter case (classesOf), so a match without case is unique.
    const match = labels.find((l) => l === positive) ?? labels.find((l) => fold(l) === fold(positive));
    if (match && spellings.includes(positive) && labels.length !== spellings.length) {
      // Boolean-like spellings were folded: keep the user's own spelling of the positive label.
      return { column, positive, negatives: labels.filter((l) => l !== match) };
    }
    if (!match)
      throw new UserError(
        `${t.origin}: the positive label ${JSON.stringify(positive)} (${positiveName}) is not a value of target column "${column}"; its values are: ${labels.slice(0, 10).join(", ")}`,
      );
    return info(match);
  }
  if (labels.length === 2) {
    const lower = labels.map(fold);
    for (const [p, n] of PAIRS) if (lower.includes(p) && lower.includes(n)) return info(labels[lower.indexOf(p)]!);
    const pos = labels.find((l) => POSITIVE_WORDS.includes(fold(l)));
    if (pos) return info(pos);
  }
  throw new UserError(
    `${t.origin}: cannot tell which value of target column "${column}" means churn (values: ${labels.slice(0, 10).join(", ")}${labels.length > 10 ? ", …" : ""}); ${howToSet(positiveName, "LABEL")}`,
  );
}

/**
 * The 0/1 target and the rows that have one. Rows whose target is missing are left out;
 * labels never seen in training (at evaluation time) are an error. Boolean-like labels match
 * without letter case (a model trained on TRUE/FALSE evaluates True/False); others exactly.
 */
export function encodeTarget(t: RawTable, target: TargetInfo, strict = false): { y: Uint8Array; rows: number[] } {
  const col = t.data[target.column];
  if (!col)
    throw new UserError(`${t.origin}: target column "${target.column}" not found; evaluation needs the true labels`);
  const key = labelKey(target);
  const positive = key(target.positive);
  const known = new Set([positive, ...target.negatives.map(key)]);
  const y = new Uint8Array(t.rows);
  const rows: number[] = [];
  for (let i = 0; i < t.rows; i++) {
    const v = col[i];
    if (isMissing(v)) continue;
    const l = key(label(v));
    if (strict && !known.has(l)) {
      throw new UserError(
        `${t.origin}: row ${i + 1}, target column "${target.column}": label ${JSON.stringify(label(v))} was not seen in training (labels: ${[target.positive, ...target.negatives].join(", ")})`,
      );
    }
    y[rows.length] = l === positive ? 1 : 0;
    rows.push(i);
  }
  return { y: y.slice(0, rows.length), rows };
}
