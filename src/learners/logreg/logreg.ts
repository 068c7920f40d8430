/**
 * L2-regularised logistic regression with an intercept. It minimises, as scikit-learn's
 * LogisticRegression does, C · Σ w_i · logloss_i + ½‖β‖² (the intercept is not penalised),
 * by Newton's method (exact Hessian; newton.ts) on narrow designs and truncated Newton
 * (conjugate gradients on Hessian-vector products; newton-cg.ts) on wide ones (solver.ts).
 */
import { z } from "zod";
import type { Classifier, Estimator, FitContext, Matrix } from "../../core/types.js";
import { sigmoid } from "../../core/types.js";
import { linearScores, toDesign } from "./design.js";
import { solveNewton } from "./newton.js";
import { solveNewtonCg } from "./newton-cg.js";
import { chooseSolver } from "./solver.js";
import { classWeights } from "../class-weights.js";

/** Hyperparameters of `logreg`, with defaults and ranges. */
export const logregParamsSchema = z
  .object({
    /** Inverse regularisation strength (as scikit-learn); smaller is stronger. Default 1. */
    C: z.number().gt(0).default(1),
    /** Newton iterations at most (outer iterations for newton-cg). Default 100. */
    max_iter: z.number().int().min(1).max(10000).default(100),
    /** Stop when the largest gradient component (per row) is below this. Default 1e-8. */
    tol: z.number().gt(0).default(1e-8),
    /** null: every row counts once; "balanced": classes weighted inversely to their frequency. */
    class_weight: z.enum(["balanced"]).nullable().default(null),
    /**
     * "newton": Newton's method with the exact Hessian (few iterations; each builds a d×d matrix).
     * "newton-cg": truncated Newton, conjugate gradients on Hessian-vector products (no d×d matrix; for
     * thousands of model columns). "auto": whichever an iteration costs less for this design. Both stop at
     * the same tolerance, with the same coefficients to about 1e-6. Default "auto".
     */
    solver: z.enum(["auto", "newton", "newton-cg"]).default("auto"),
  })
  .strict();

/** Checked `logreg` hyperparameters. */
export type LogregParams = z.infer<typeof logregParamsSchema>;

/** Learned state of a logistic regression. */
export interface LogregState {
  /** One coefficient per model column, in matrix order. */
  coef: number[];
  /** The intercept (not regularised). */
  intercept: number;
  /** Newton iterations used, and whether the gradient tolerance was reached. */
  n_iter: number;
  /** Whether the gradient tolerance (or the optimum in floating point) was reached within `max_iter`. */
  converged: boolean;
}

/** A fitted logistic regression. */
export class LogregModel implements Classifier<LogregState> {
  readonly family = "logreg";
  constructor(private readonly s: LogregState) {}

  /** Rebuild a fitted model from the state stored in model.json. */
  static fromState(s: LogregState): LogregModel {
    return new LogregModel(s);
  }

  predictRaw(X: Matrix): Float64Array {
    return linearScores(this.s.coef, this.s.intercept, X);
  }

  predictProba(X: Matrix): Float64Array {
    return this.predictRaw(X).map(sigmoid);
  }

  state(): LogregState {
    return this.s;
  }
}

/** Per-row weights from the class weights (models/class-weights: an absent class weighs 1, not n / 0). */
function rowWeights(y: Uint8Array, mode: LogregParams["class_weight"]): Float64Array {
  const [wNeg, wPos] = classWeights(y, mode);
  const w = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) w[i] = y[i] ? wPos : wNeg;
  return w;
}

/** Logistic regression: hyperparameters in the constructor, `fit` learns. */
export class LogregEstimator implements Estimator<LogregParams, LogregState> {
  readonly family = "logreg";
  readonly params: LogregParams;

  constructor(params: Partial<z.input<typeof logregParamsSchema>> = {}) {
    this.params = logregParamsSchema.parse(params);
  }

  fit(X: Matrix, y: Uint8Array, _ctx: FitContext = {}): LogregModel {
    const { C, max_iter, tol } = this.params;
    for (const col of X.columns)
      for (let i = 0; i < X.nRows; i++)
        if (!Number.isFinite(col[i]!)) throw new Error("logistic regression needs imputed, finite inputs");
    const A = toDesign(X);
    const c = rowWeights(y, this.params.class_weight);
    for (let i = 0; i < c.length; i++) c[i]! *= C;
    const P = { A, y, c };
    const solve = chooseSolver(A, this.params.solver) === "newton" ? solveNewton : solveNewtonCg;
    // tol is per row and per unit of C: the gradient sums C-weighted rows.
    const { beta, iterations, converged } = solve(P, max_iter, tol * C * X.nRows);
    const p = A.d - 1;
    return new LogregModel({
      coef: Array.from(beta.subarray(0, p)),
      intercept: beta[p]!,
      n_iter: iterations,
      converged,
    });
  }
}
