/**
 * Which solver `solver: auto` runs. Newton's iteration builds the Hessian, about Σ_i k_i²/2
 * multiply-adds for k_i non-zeros in row i, and factorises it, d³/6; a Newton-CG iteration costs
 * two passes over the non-zeros per conjugate-gradient step, and takes tens of them. Newton is
 * chosen when its iteration costs less than {@link CG_STEPS_PER_NEWTON} such steps: churn tables
 * (tens to a few hundred one-hot columns, any number of rows) stay on Newton; wide tables
 * (thousands of real-valued columns) go to Newton-CG. Deterministic: it reads only the design's shape.
 */
import type { Design } from "./design.js";

/** The solvers, as the `solver` hyperparameter names them. */
export type SolverName = "auto" | "newton" | "newton-cg";

/** Conjugate-gradient steps a Newton-CG iteration is assumed to take (measured: 10 to 60 on generated tables). */
export const CG_STEPS_PER_NEWTON = 50;

/** The solver `solver: auto` picks for a design (see the file comment); an explicit choice is kept. */
export function chooseSolver(A: Design, solver: SolverName): "newton" | "newton-cg" {
  if (solver !== "auto") return solver;
  const q = A.dense.length + 1; // dense columns and the intercept are non-zero in every row
  let hessian = 0;
  for (let i = 0; i < A.n; i++) {
    const k = q + A.onesPtr[i + 1]! - A.onesPtr[i]!;
    hessian += (k * (k + 1)) / 2;
  }
  const newton = hessian + A.d ** 3 / 6;
  const cg = CG_STEPS_PER_NEWTON * 2 * (A.n * q + A.ones.length);
  return newton <= cg ? "newton" : "newton-cg";
}
