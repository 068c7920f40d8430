/**
 * The score as SQL, from the family's {@link ScoreForm}: the raw score (log-odds) or the probability the model
 * outputs, its calibration (src/learners/calibration.ts) and the logistic function, without overflow in EXP.
 */
import type { CalibrationState } from "../../learners/calibration.js";
import type { ScoreForm } from "../../learners/registry.js";
import { dbl, num } from "./text.js";
import { treeSql } from "./trees.js";

/**
 * What the model computes before calibration, in two steps: `parts` (one column each: a linear model's sum, or one
 * tree each, so that no single expression is the whole ensemble, which DuckDB's planner takes a long time over),
 * then `combine` of the parts' column names.
 */
export interface ModelOutput {
  /** SQL of each part, over the model columns. */
  parts: string[];
  /** SQL adding up the parts (given their column names), in churnkit's order. */
  combine: (parts: string[]) => string;
  /** Whether the result is a log-odds (`raw`) or a probability (`probability`). */
  space: "raw" | "probability";
}

/** The model's output over the model columns (`column(j)`). */
export function modelOutput(form: ScoreForm, column: (j: number) => string): ModelOutput {
  if (form.kind === "linear") {
    // predictRaw starts from the intercept and adds coef[j] · x[j] column by column.
    const terms = form.coef.map((c, j) => `${num(c)} * ${column(j)}`);
    return { parts: [[num(form.intercept), ...terms].join(" + ")], combine: (p) => p[0]!, space: "raw" };
  }
  const { trees, scale, base } = form.ensemble;
  const parts = trees.map((t) => treeSql(t, column));
  const k = trees.length;
  if (k > 0 && base === 0 && scale.every((s) => s === 1 / k) && form.space === "probability") {
    // A forest adds its trees' probabilities, then divides by their number (a single tree: k = 1).
    return { parts, combine: (p) => (k === 1 ? p[0]! : `(${p.join(" + ")}) / ${k}`), space: form.space };
  }
  // gbdt starts from the baseline and adds each tree (scaled) in order.
  const combine = (p: string[]) =>
    [num(base), ...p.map((c, t) => (scale[t] === 1 ? c : `${num(scale[t]!)} * ${c}`))].join(" + ");
  return { parts, combine, space: form.space };
}

/** The logistic function of `z` (a column name, read several times), branching on the sign as churnkit does. */
export function sigmoidSql(z: string): string {
  // Beyond ±700 EXP is within rounding of 0 in double precision (PostgreSQL raises an underflow error at −746).
  return (
    `CASE WHEN ${z} > 700 THEN ${dbl("1")} WHEN ${z} >= 0 THEN 1 / (1 + EXP(-${z})) ` +
    `WHEN ${z} < -700 THEN ${dbl("0")} ELSE EXP(${z}) / (1 + EXP(${z})) END`
  );
}

/** log-odds of a probability column `p` clipped to [1e-15, 1 − 1e-15], as predictRaw of tree and forest takes. */
export function logitSql(p: string): string {
  const q = `LEAST(GREATEST(${p}, ${num(1e-15)}), ${num(1 - 1e-15)})`;
  return `LN(${q} / (1 - ${q}))`;
}

/** Isotonic calibration of probability column `p`: knots' values, linear in between (applyCalibration). */
export function isotonicSql(c: Extract<CalibrationState, { method: "isotonic" }>, p: string): string {
  const { x, y } = c;
  const n = x.length;
  const parts = [
    `WHEN ${p} <= ${num(x[0]!)} THEN ${dbl(num(y[0]!))}`,
    `WHEN ${p} >= ${num(x[n - 1]!)} THEN ${dbl(num(y[n - 1]!))}`,
  ];
  // applyCalibration finds lo with x[lo] <= p < x[lo + 1] and interpolates between them.
  for (let lo = 0; lo + 1 < n; lo++) {
    const dx = x[lo + 1]! - x[lo]!;
    const dy = y[lo + 1]! - y[lo]!;
    parts.push(
      `WHEN ${p} < ${num(x[lo + 1]!)} THEN ${num(y[lo]!)} + ((${p} - ${num(x[lo]!)}) / ${num(dx)}) * ${num(dy)}`,
    );
  }
  return `CASE ${parts.join(" ")} END`;
}
