/**
 * The objective both solvers minimise, as scikit-learn's LogisticRegression does:
 * ½‖β‖² + Σ c_i · logloss_i, with c_i = C · (class weight of row i); the intercept (the last
 * coordinate) is not penalised. One place for its value, gradient and curvature.
 */
import { sigmoid } from "../../core/types.js";
import { designTimes, designTransposeTimes, type Design } from "./design.js";

/** A problem: the design, the 0/1 labels, and each row's weight c_i = C · class weight. */
export interface Problem {
  /** The design matrix (intercept last). */
  A: Design;
  /** 0/1 labels. */
  y: Uint8Array;
  /** C times the row's class weight. */
  c: Float64Array;
}

/** Penalty curvature of coordinate j: 1 for a coefficient, a tiny ridge for the intercept (so H stays positive definite). */
export const penaltyCurvature = (P: Problem, j: number): number => (j < P.A.d - 1 ? 1 : 1e-12);

/** f(β); `z` receives the margins A·β. */
export function objective(P: Problem, b: Float64Array, z: Float64Array): number {
  const p = P.A.d - 1;
  let f = 0;
  for (let j = 0; j < p; j++) f += 0.5 * b[j]! * b[j]!;
  designTimes(P.A, b, z);
  const { y, c } = P;
  for (let i = 0; i < z.length; i++) {
    // log(1 + e^{-m}) computed stably, m the signed margin
    const m = y[i] ? z[i]! : -z[i]!;
    f += c[i]! * (m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m)));
  }
  return f;
}

/**
 * At margins z: the gradient g = Aᵀr + β (penalised part) into `g`, and each row's loss curvature
 * h_i = c_i·p_i(1 − p_i) into `h` (`r` is scratch). Returns the largest |g_j|.
 */
export function gradientAt(
  P: Problem,
  b: Float64Array,
  z: Float64Array,
  g: Float64Array,
  r: Float64Array,
  h: Float64Array,
): number {
  const { y, c } = P;
  for (let i = 0; i < z.length; i++) {
    const pr = sigmoid(z[i]!);
    r[i] = c[i]! * (pr - y[i]!);
    h[i] = c[i]! * pr * (1 - pr);
  }
  designTransposeTimes(P.A, r, g);
  const p = P.A.d - 1;
  for (let j = 0; j < p; j++) g[j]! += b[j]!;
  let gmax = 0;
  for (let j = 0; j < g.length; j++) gmax = Math.max(gmax, Math.abs(g[j]!));
  return gmax;
}

/** Outcome of a solver: coordinates (intercept last), iterations, whether the tolerance was met. */
export interface Solution {
  /** Coefficients then the intercept. */
  beta: Float64Array;
  /** Outer iterations used. */
  iterations: number;
  /** Whether the gradient tolerance (or the optimum in floating point) was reached. */
  converged: boolean;
}

/**
 * One backtracking step β ← β − t·step (t = 1, ½, ¼, …) that does not increase f; shared by both
 * solvers so that they stop by the same rules. Returns the new f, or null when no step decreases f
 * (the optimum in floating point).
 */
export function backtrack(
  P: Problem,
  beta: Float64Array,
  step: Float64Array,
  f: number,
  trial: Float64Array,
  z: Float64Array,
): number | null {
  let t = 1;
  let fNew = Infinity;
  for (let ls = 0; ls < 30; ls++) {
    for (let j = 0; j < beta.length; j++) trial[j] = beta[j]! - t * step[j]!;
    fNew = objective(P, trial, z);
    if (fNew <= f) break;
    t *= 0.5;
  }
  if (!(fNew <= f)) return null;
  beta.set(trial);
  return fNew;
}
