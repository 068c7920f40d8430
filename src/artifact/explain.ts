/**
 * Per-customer explanations of a ChurnModel, in log-odds and per original input column:
 * base_value + Σ contributions = log(p / (1 − p)) for the model's probability p.
 * Each family brings its explainer (its spec's `explainer`): exact TreeSHAP for the tree families,
 * exact additive contributions for logreg.
 */
import { foldPlan, foldRows } from "../explain/fold.js";
import { UserError } from "../utils/errors.js";
import { probaToLogit, type Matrix } from "../core/types.js";
import { applyCalibration } from "../learners/calibration.js";
import type { ModelArtifact } from "./artifact.js";
import { family, type Explainer } from "../learners/families.js";

/** One explained row. */
export interface Explanation {
  /** Row index in the input (0-based). */
  row: number;
  /** The model's churn probability for the row (calibrated when the model is; survival: within the first horizon). */
  probability: number;
  /** Expected log-odds with nothing known about the customer (survival: expected log relative hazard). */
  base_value: number;
  /** Log-odds contribution of each input column; base_value + Σ = log(p / (1 − p)) (survival: = log relative hazard). */
  contributions: Record<string, number>;
}

/** Build the explainer of a model's family from model.json alone; a UserError when the state lacks what it needs. */
export function explainerFor(a: ModelArtifact, where = "model.json"): Explainer {
  const spec = family(a.model.family);
  if (!spec.explainer)
    throw new UserError(`${where}: explanations are not available for model family "${a.model.family}"`);
  return spec.explainer({
    state: a.model.state,
    features: a.preprocess.features,
    featureMeans: a.feature_means,
    lacks: (what) =>
      new UserError(
        `${where}: this model has no ${what}, which explanations need (it was written by an older churnkit); retrain it with this version`,
      ),
  });
}

/**
 * Explain encoded rows. With a calibration, contributions are mapped so that additivity holds
 * for the calibrated probability: Platt is affine in log-odds (scale by a, shift by b), exactly;
 * isotonic is monotone but not affine, so each row's contributions are rescaled to its
 * calibrated log-odds gap (signs and proportions kept).
 */
export function explainMatrix(
  a: ModelArtifact,
  explainer: Explainer,
  X: Matrix,
  rowIds: ArrayLike<number>,
): Explanation[] {
  const b = explainer(X);
  const plan = foldPlan(a.preprocess.features);
  const per = foldRows(plan, b.contributions, b.nRows);
  const cal = a.calibration;
  const out: Explanation[] = [];
  for (let i = 0; i < b.nRows; i++) {
    const raw = b.predictions[i]!;
    let base = b.baseValue;
    const contributions = per[i]!;
    if (cal && cal.method === "platt") {
      base = cal.a * base + cal.b;
      for (const k of Object.keys(contributions)) contributions[k] = contributions[k]! * cal.a;
    } else if (cal) {
      const pRow = applyCalibration(cal, [raw], [1 / (1 + Math.exp(-raw))])[0]!;
      const pBase = applyCalibration(cal, [b.baseValue], [1 / (1 + Math.exp(-b.baseValue))])[0]!;
      base = probaToLogit(pBase);
      const gap = raw - b.baseValue;
      const target = probaToLogit(pRow) - base;
      for (const k of Object.keys(contributions)) contributions[k] = gap === 0 ? 0 : (contributions[k]! * target) / gap;
    }
    let sum = base;
    for (const v of Object.values(contributions)) sum += v;
    const e = { row: rowIds[i]!, probability: 1 / (1 + Math.exp(-sum)), base_value: base, contributions };
    checkFinite(e);
    out.push(e);
  }
  return out;
}

/**
 * Last line of defence, as for predictions (ChurnModel.scoreMatrix): an explanation whose
 * probability, base value or a contribution is not a finite number is an error, never served.
 */
function checkFinite(e: Explanation): void {
  const fail = (what: string, v: number) =>
    new UserError(
      `model: the explanation of row ${e.row} (0-based) has ${what} ${v}, not a finite number; check that row's values, or retrain the model`,
    );
  if (!(e.probability >= 0 && e.probability <= 1)) throw fail("churn probability", e.probability);
  if (!Number.isFinite(e.base_value)) throw fail("base value", e.base_value);
  for (const [k, v] of Object.entries(e.contributions))
    if (!Number.isFinite(v)) throw fail(`a contribution of column ${JSON.stringify(k)} of`, v);
}

/** The k contributions largest in magnitude, as [column, value] pairs. */
export function topContributions(e: Explanation, k: number): [string, number][] {
  return Object.entries(e.contributions)
    .sort((x, y) => Math.abs(y[1]) - Math.abs(x[1]) || (x[0] < y[0] ? -1 : 1))
    .slice(0, k);
}

/** "Contract = Month-to-month raises churn odds ×2.10" (`what`: "churn hazard" for a survival model). */
export function describeContribution(
  column: string,
  value: unknown,
  contribution: number,
  what = "churn odds",
): string {
  const shown = value === null || value === undefined || value === "" ? "(missing)" : String(value);
  const factor = Math.exp(contribution);
  const verb = contribution >= 0 ? "raises" : "lowers";
  const times = contribution >= 0 ? factor : 1 / factor;
  return `${column} = ${shown} ${verb} ${what} ${contribution >= 0 ? "×" : "÷"}${times.toFixed(2)}`;
}
