/**
 * From the model matrix to churnkit's probability, as ChurnModel.scoreMatrix computes it: the family's score form
 * (linear: MatMul and the intercept; trees: trees.ts), the sigmoid or the probability clip, then the calibration
 * (src/learners/calibration.ts) when the model has one. All in double precision.
 */
import type { CalibrationState } from "../../learners/calibration.js";
import type { ScoreForm } from "../../learners/registry.js";
import { DataType } from "./proto.js";
import type { GraphBuilder } from "./graph.js";
import type { Matrix } from "./inputs.js";
import { treeEnsemble } from "./trees.js";

/** The probability clip of models that predict probabilities, before log-odds are taken (core/types' probaToLogit). */
const CLIP = 1e-15;

/** The uncalibrated probability and the raw score (log-odds), each [N, 1] doubles. */
function uncalibrated(g: GraphBuilder, form: ScoreForm, X: Matrix): { proba: string; raw: () => string } {
  if (form.kind === "linear") {
    const coef = g.double("coef", form.coef, [X.fromFloat.length, 1]);
    const raw = g.op("Add", [g.op("MatMul", [X.name, coef]), g.double("intercept", form.intercept)]);
    return { proba: g.op("Sigmoid", [raw]), raw: () => raw };
  }
  const out = treeEnsemble(g, form, X.name, X.fromFloat);
  if (form.space === "raw") return { proba: g.op("Sigmoid", [out]), raw: () => out };
  // Probability space (tree, forest): the raw score is logit(clip(p)), built only when calibration needs it.
  return {
    proba: out,
    raw: () => {
      const q = g.op("Clip", [out, g.double("clip_low", CLIP), g.double("clip_high", 1 - CLIP)]);
      return g.op("Log", [g.op("Div", [q, g.op("Sub", [g.double("one", 1), q])])]);
    },
  };
}

/**
 * Isotonic calibration: piecewise-linear between the knots (x increasing), flat outside, as applyCalibration. In
 * the interior, f(v) = y[0] + Σ_k (y[k+1] − y[k]) · clamp((v − x[k]) / (x[k+1] − x[k]), 0, 1) telescopes to
 * applyCalibration's interpolation in the segment holding v; a segment of equal knots is a step taken at v >= x[k]
 * (the binary search picks the last knot <= v). At and beyond the end knots, y[0] and y[last] exactly.
 */
function isotonic(g: GraphBuilder, c: Extract<CalibrationState, { method: "isotonic" }>, p: string): string {
  const { x, y } = c;
  const n = x.length;
  if (n === 1) return g.op("Add", [g.op("Mul", [p, g.double("zero", 0)]), g.double("iso_y", y[0]!)]);
  const lo: number[] = [];
  const width: number[] = [];
  const dy: number[] = [];
  const stepAt: number[] = [];
  const stepDy: number[] = [];
  for (let k = 0; k + 1 < n; k++) {
    if (x[k + 1]! > x[k]!) {
      lo.push(x[k]!);
      width.push(x[k + 1]! - x[k]!);
      dy.push(y[k + 1]! - y[k]!);
    } else {
      stepAt.push(x[k]!);
      stepDy.push(y[k + 1]! - y[k]!);
    }
  }
  let f = g.double("iso_y0", y[0]!);
  if (lo.length) {
    const t = g.op("Div", [
      g.op("Sub", [p, g.double("iso_lo", lo, [1, lo.length])]),
      g.double("iso_w", width, [1, lo.length]),
    ]);
    const clamped = g.op("Clip", [t, g.double("zero", 0), g.double("one", 1)]);
    f = g.op("Add", [f, g.op("MatMul", [clamped, g.double("iso_dy", dy, [lo.length, 1])])]);
  }
  if (stepAt.length) {
    const on = g.op("Cast", [g.op("GreaterOrEqual", [p, g.double("iso_step", stepAt, [1, stepAt.length])])], {
      to: { int: DataType.DOUBLE },
    });
    f = g.op("Add", [f, g.op("MatMul", [on, g.double("iso_step_dy", stepDy, [stepAt.length, 1])])]);
  }
  const below = g.op("LessOrEqual", [p, g.double("iso_x0", x[0]!)]);
  const above = g.op("GreaterOrEqual", [p, g.double("iso_xn", x[n - 1]!)]);
  f = g.op("Where", [above, g.double("iso_yn", y[n - 1]!), f]);
  return g.op("Where", [below, g.double("iso_y0_end", y[0]!), f]);
}

/** Churn probabilities [N, 1] (doubles) of the model matrix `X`, calibrated when `calibration` is set. */
export function probability(
  g: GraphBuilder,
  form: ScoreForm,
  calibration: CalibrationState | null | undefined,
  X: Matrix,
): string {
  const { proba, raw } = uncalibrated(g, form, X);
  if (!calibration) return proba;
  if (calibration.method === "platt") {
    const z = g.op("Add", [
      g.op("Mul", [raw(), g.double("platt_a", calibration.a)]),
      g.double("platt_b", calibration.b),
    ]);
    return g.op("Sigmoid", [z]);
  }
  return isotonic(g, calibration, proba);
}
