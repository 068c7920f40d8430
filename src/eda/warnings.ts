/** The warnings of a profile: problems a modeller should know before training. */
import { leakHow, leaks } from "./leakage.js";
import type { Profile, Warning } from "./types.js";

/** Share of missing values above which a column is flagged. */
export const HEAVY_MISSING = 0.5;
/** Categorical columns with more distinct values than this (and not identifiers) are flagged as high-cardinality. */
export const HIGH_CARDINALITY = 100;

const pct = (x: number): string => `${(100 * x).toFixed(x < 0.001 ? 2 : 1)}%`;
const fmt = (n: number): string => n.toLocaleString("en");

/** Warnings of `p`, most severe first. `oneValue` is the target when it has fewer than two labels. */
export function collectWarnings(p: Profile, oneValue?: { column: string; label: string | null }): Warning[] {
  const w: Warning[] = [];
  const file = p.source;
  if (oneValue) {
    const what = oneValue.label === null ? "no values at all" : `only one value (${JSON.stringify(oneValue.label)})`;
    w.push({
      severity: "error",
      kind: "target-one-value",
      column: oneValue.column,
      message: `${file}: target column "${oneValue.column}" has ${what}; a churn model needs rows of both classes, so no churn rates are shown`,
    });
  }
  for (const c of p.columns) {
    if (c.missing === p.rows) {
      w.push({
        severity: "error",
        kind: "all-missing",
        column: c.name,
        message: `${file}: column "${c.name}" is entirely missing (all ${fmt(p.rows)} rows); drop it or fix the export`,
      });
      continue;
    }
    if (c.role === "identifier") {
      w.push({
        severity: "warning",
        kind: "identifier",
        column: c.name,
        message: `column "${c.name}" looks like an identifier (${c.note}, ${fmt(c.distinct)} distinct values); it is not used as a feature`,
      });
    }
    if (c.distinct === 1 && c.role !== "target") {
      w.push({
        severity: "warning",
        kind: "constant",
        column: c.name,
        message: `column "${c.name}" is constant (${JSON.stringify(c.top?.[0]?.value ?? c.numeric?.min)} in every non-missing row); it carries no information, drop it`,
      });
    }
    if (c.missingShare > HEAVY_MISSING) {
      w.push({
        severity: "warning",
        kind: "missing",
        column: c.name,
        message: `column "${c.name}" is ${pct(c.missingShare)} missing (${fmt(c.missing)} of ${fmt(p.rows)} rows); consider dropping it or adding a missing-value indicator`,
      });
    }
    if (c.role === "feature" && c.type === "categorical" && c.distinct > HIGH_CARDINALITY) {
      w.push({
        severity: "info",
        kind: "high-cardinality",
        column: c.name,
        message: `column "${c.name}" has ${fmt(c.distinct)} distinct values; rare ones will be grouped or ignored by one-hot encoding`,
      });
    }
    const auc = c.association?.auc;
    if (leaks(auc)) {
      w.push({
        severity: "warning",
        kind: "leakage",
        column: c.name,
        message: `column "${c.name}" may leak the target: ${leakHow(c.type, auc)}; check that it is known before the customer churns, else drop it`,
      });
    }
  }
  if (p.duplicateRows > 0) {
    w.push({
      severity: "warning",
      kind: "duplicates",
      message: `${fmt(p.duplicateRows)} row(s) (${pct(p.duplicateRows / p.rows)}) repeat an earlier row exactly; remove duplicates before splitting, or they leak between train and test`,
    });
  } else if (p.duplicateRowsIgnoringIds > 0) {
    w.push({
      severity: "info",
      kind: "duplicates",
      message: `${fmt(p.duplicateRowsIgnoringIds)} row(s) repeat an earlier row in every column except the identifier(s); check whether they are the same customer`,
    });
  }
  if (p.target && p.target.missing > 0) {
    w.push({
      severity: "info",
      kind: "target-missing",
      column: p.target.column,
      message: `target column "${p.target.column}" is missing in ${fmt(p.target.missing)} row(s); they are left out of every churn rate`,
    });
  }
  const corr = p.correlations;
  if (corr.selectedBy) {
    const how =
      corr.selectedBy === "target association"
        ? `the ${fmt(corr.columns.length)} most associated with the target (|point-biserial r|)`
        : `the first ${fmt(corr.columns.length)} in file order (no target)`;
    w.push({
      severity: "info",
      kind: "correlations-capped",
      message: `correlations are shown for ${how} of ${fmt(corr.candidates)} numeric columns; a wider matrix would not fit in memory or on a page`,
    });
  }
  const rank = { error: 0, warning: 1, info: 2 };
  return w.sort((a, b) => rank[a.severity] - rank[b.severity]);
}
