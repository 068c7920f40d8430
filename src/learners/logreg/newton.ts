/**
 * Newton's method with the exact Hessian (Cholesky solve) and a backtracking line search:
 * a handful of iterations at the widths churn tables have (tens to a few hundred model
 * columns), but each one builds a d×d Hessian, so it is for narrow designs (see `chooseSolver`).
 */
import { choleskySolve } from "./linalg.js";
import { designGram } from "./design.js";
import { backtrack, gradientAt, objective, penaltyCurvature, type Problem, type Solution } from "./objective.js";

/** Minimise the objective of `P` from β = 0 until max |gradient| < gtol or `maxIter` steps. */
export function solveNewton(P: Problem, maxIter: number, gtol: number): Solution {
  const { n, d } = P.A;
  const beta = new Float64Array(d);
  const z = new Float64Array(n);
  let f = objective(P, beta, z);
  const g = new Float64Array(d);
  const H = new Float64Array(d * d);
  const r = new Float64Array(n);
  const h = new Float64Array(n);
  const trial = new Float64Array(d);
  let iter = 0;
  let converged = false;
  for (; iter < maxIter; iter++) {
    // z holds A·β: from the objective at the accepted step (or at β = 0).
    if (gradientAt(P, beta, z, g, r, h) < gtol) {
      converged = true;
      break;
    }
    H.fill(0);
    designGram(P.A, h, H);
    for (let j = 0; j < d; j++) H[j * d + j]! += penaltyCurvature(P, j);
    for (let j = 0; j < d; j++) for (let k = j + 1; k < d; k++) H[j * d + k] = H[k * d + j]!;
    const fNew = backtrack(P, beta, choleskySolve(H, g, d), f, trial, z);
    if (fNew === null) {
      converged = true; // no descent possible in floating point: at the optimum
      break;
    }
    const decrease = f - fNew;
    f = fNew;
    if (decrease <= 1e-15 * Math.max(1, Math.abs(f))) {
      converged = true;
      iter++;
      break;
    }
  }
  return { beta, iterations: iter, converged };
}
