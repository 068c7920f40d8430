/**
 * Exact additive explanations of a linear (logistic regression) model on its model matrix:
 * contribution_j = coef_j · (x_j − mean_j) and base_value = intercept + Σ_j coef_j · mean_j,
 * so base_value + Σ contributions = intercept + Σ coef_j · x_j, the model's raw score.
 * These are the exact Shapley values of a linear model with independent features.
 * `mean_j` is the mean of model column j on the training rows: 0 for standardised numeric
 * columns, the level frequency for a one-hot column.
 */
import type { Matrix } from "../core/types.js";
import type { BatchExplanation, RowExplanation } from "./ensemble.js";

/** The parts of a linear model explanations need (a `LogregState` fits). */
export interface LinearModel {
  /** One coefficient per model column, in matrix order. */
  coef: ArrayLike<number>;
  /** Constant term of the raw score. */
  intercept: number;
}

/** Mean of every column of `X` (the training matrix), for use as `means`. */
export function columnMeans(X: Matrix): Float64Array {
  const out = new Float64Array(X.columns.length);
  for (let j = 0; j < X.columns.length; j++) {
    const col = X.columns[j]!;
    let s = 0;
    for (let i = 0; i < X.nRows; i++) s += col[i]!;
    if (!Number.isFinite(s) && X.nRows > 0) {
      // Finite values near 1e308 overflow the plain sum: sum them scaled by the largest magnitude.
      let scale = 0;
      for (let i = 0; i < X.nRows; i++) scale = Math.max(scale, Math.abs(col[i]!));
      s = 0;
      for (let i = 0; i < X.nRows; i++) s += col[i]! / scale;
      out[j] = (s / X.nRows) * scale;
      continue;
    }
    out[j] = X.nRows > 0 ? s / X.nRows : 0;
  }
  return out;
}

/** intercept + Σ coef_j · mean_j: the raw score of the average training row. */
export function linearBaseValue(model: LinearModel, means: ArrayLike<number>): number {
  checkLengths(model, means);
  let b = model.intercept;
  for (let j = 0; j < model.coef.length; j++) if (model.coef[j] !== 0) b += model.coef[j]! * means[j]!;
  return b;
}

/** Contributions of row `r` of `X` into `phi` (overwritten); returns the row's raw score. */
export function explainLinearInto(
  model: LinearModel,
  means: ArrayLike<number>,
  X: Matrix,
  r: number,
  phi: Float64Array,
): number {
  const { coef, intercept } = model;
  if (X.columns.length !== coef.length)
    throw new Error(`explain: model expects ${coef.length} columns, got ${X.columns.length}`);
  let raw = intercept;
  for (let j = 0; j < coef.length; j++) {
    const b = coef[j]!;
    const x = X.columns[j]![r]!;
    // A zero coefficient contributes exactly 0 (not NaN or -0), whatever the value.
    phi[j] = b === 0 ? 0 : b * (x - means[j]!);
    raw += b * x;
  }
  return raw;
}

/** Explain one row. */
export function explainLinearRow(model: LinearModel, means: ArrayLike<number>, X: Matrix, r: number): RowExplanation {
  const contributions = new Float64Array(model.coef.length);
  const prediction = explainLinearInto(model, means, X, r, contributions);
  return { baseValue: linearBaseValue(model, means), prediction, contributions };
}

/** Explain the given rows of `X` (default: every row), in order. */
export function explainLinear(
  model: LinearModel,
  means: ArrayLike<number>,
  X: Matrix,
  rows?: ArrayLike<number>,
): BatchExplanation {
  const baseValue = linearBaseValue(model, means);
  const nf = model.coef.length;
  const n = rows ? rows.length : X.nRows;
  const contributions = new Float64Array(n * nf);
  const predictions = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows ? rows[i]! : i;
    if (!(r >= 0 && r < X.nRows && Number.isInteger(r)))
      throw new Error(`explain: row ${r} is out of range (the data has ${X.nRows} rows)`);
    predictions[i] = explainLinearInto(model, means, X, r, contributions.subarray(i * nf, (i + 1) * nf));
  }
  return { nRows: n, nFeatures: nf, baseValue, predictions, contributions };
}

function checkLengths(model: LinearModel, means: ArrayLike<number>): void {
  if (means.length !== model.coef.length)
    throw new Error(`explain: ${model.coef.length} coefficients but ${means.length} column means`);
}
