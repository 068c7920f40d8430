/**
 * Truncated Newton (Newton-CG): each Newton step is solved approximately by conjugate gradients
 * with Hessian-vector products H·v = v_penalised + Aᵀ(h ∘ A·v), which cost two passes over the
 * design and never form the d×d Hessian. For wide designs (thousands of columns), where building
 * and factorising the Hessian dominates Newton's time. The inner solve is loose far from the
 * optimum and tighter near it (forcing term √(‖g‖/‖g₀‖)). Newton's last step, being exact, lands
 * far inside the gradient tolerance; an inexact step may land just inside it, which leaves the
 * coefficients up to ‖g‖/(smallest curvature) away (1e-4 seen on one-hot data, whose collinear
 * levels have curvature 1). So once the tolerance is met, one more step is solved to a relative
 * residual of {@link POLISH}: the coefficients then agree with `solveNewton`'s to about 1e-8.
 */
import { designGramDiagonal, designTimes, designTransposeTimes } from "./design.js";
import { backtrack, gradientAt, objective, penaltyCurvature, type Problem, type Solution } from "./objective.js";

/** Conjugate-gradient steps per Newton step at most: d solves exactly in exact arithmetic; the cap bounds a step's time. */
const MAX_CG = 1000;

/** Relative CG residual of the final (polishing) step. */
const POLISH = 1e-8;

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
};

/** Minimise the objective of `P` from β = 0 until max |gradient| < gtol or `maxIter` Newton steps. */
export function solveNewtonCg(P: Problem, maxIter: number, gtol: number): Solution {
  const { n, d } = P.A;
  const beta = new Float64Array(d);
  const z = new Float64Array(n);
  let f = objective(P, beta, z);
  const g = new Float64Array(d);
  const r = new Float64Array(n);
  const h = new Float64Array(n);
  const u = new Float64Array(n);
  const pen = Float64Array.from({ length: d }, (_, j) => penaltyCurvature(P, j));
  const inv = new Float64Array(d); // Jacobi preconditioner: 1 / diag(H)
  const step = new Float64Array(d);
  const res = new Float64Array(d);
  const pre = new Float64Array(d);
  const dir = new Float64Array(d);
  const hd = new Float64Array(d);
  const trial = new Float64Array(d);
  const hessianTimes = (v: Float64Array, out: Float64Array): void => {
    designTimes(P.A, v, u);
    for (let i = 0; i < n; i++) u[i]! *= h[i]!;
    designTransposeTimes(P.A, u, out);
    for (let j = 0; j < d; j++) out[j]! += pen[j]! * v[j]!;
  };
  let g0 = 0;
  let iter = 0;
  let converged = false;
  let polishing = false; // the tolerance is met (or f no longer decreases): one last, tight step
  for (; iter < maxIter; iter++) {
    // z holds A·β: from the objective at the accepted step (or at β = 0).
    if (gradientAt(P, beta, z, g, r, h) < gtol) polishing = true;
    const gnorm = Math.sqrt(dot(g, g));
    if (iter === 0) g0 = gnorm;
    const target = (polishing ? POLISH : Math.min(0.5, Math.sqrt(gnorm / g0))) * gnorm;
    designGramDiagonal(P.A, h, inv);
    for (let j = 0; j < d; j++) inv[j] = 1 / (inv[j]! + pen[j]!);
    // Preconditioned CG on H·step = g from step = 0.
    step.fill(0);
    res.set(g);
    for (let j = 0; j < d; j++) dir[j] = pre[j] = inv[j]! * res[j]!;
    let rz = dot(res, pre);
    for (let k = 0; k < Math.min(d, MAX_CG); k++) {
      hessianTimes(dir, hd);
      const curv = dot(dir, hd);
      if (!(curv > 0)) break; // H is positive definite; this guards rounding only
      const alpha = rz / curv;
      for (let j = 0; j < d; j++) {
        step[j]! += alpha * dir[j]!;
        res[j]! -= alpha * hd[j]!;
      }
      if (Math.sqrt(dot(res, res)) <= target) break;
      for (let j = 0; j < d; j++) pre[j] = inv[j]! * res[j]!;
      const rzNew = dot(res, pre);
      const beta_ = rzNew / rz;
      rz = rzNew;
      for (let j = 0; j < d; j++) dir[j] = pre[j]! + beta_ * dir[j]!;
    }
    const fNew = backtrack(P, beta, step, f, trial, z);
    if (fNew === null) {
      converged = true; // no descent possible in floating point: at the optimum
      break;
    }
    const decrease = f - fNew;
    f = fNew;
    if (polishing) {
      converged = true;
      iter++;
      break;
    }
    // A step that barely lowers f: the optimum in floating point, where `solveNewton` stops too; polish, then stop.
    if (decrease <= 1e-15 * Math.max(1, Math.abs(f))) polishing = true;
  }
  return { beta, iterations: iter, converged: converged || polishing };
}
