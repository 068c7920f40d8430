/**
 * L2-regularised logistic regression with an intercept, fitted by Newton's method with a
 * backtracking line search (exact Hessian, Cholesky solve). It minimises, as scikit-learn's
 * LogisticRegression does, C · Σ w_i · logloss_i + ½‖β‖² (the intercept is not penalised).
 * Newton converges in a handful of steps at the feature counts churn tables have
 * (tens to a few hundred model columns).
 */
import { z } from "zod";
import type { Classifier, Estimator, FitContext, Matrix } from "../../core/types.js";
import { sigmoid } from "../../core/types.js";
import { csrGradHessian, csrMultiply, toCsr } from "./csr.js";
import { choleskySolve } from "./linalg.js";
import { classWeights } from "../class-weights.js";

/** Hyperparameters of `logreg`, with defaults and ranges. */
export const logregParamsSchema = z
  .object({
    /** Inverse regularisation strength (as scikit-learn); smaller is stronger. Default 1. */
    C: z.number().gt(0).default(1),
    /** Newton iterations at most. Default 100. */
    max_iter: z.number().int().min(1).max(10000).default(100),
    /** Stop when the largest gradient component (per row) is below this. Default 1e-8. */
    tol: z.number().gt(0).default(1e-8),
    /** null: every row counts once; "balanced": classes weighted inversely to their frequency. */
    class_weight: z.enum(["balanced"]).nullable().default(null),
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
    const out = new Float64Array(X.nRows).fill(this.s.intercept);
    this.s.coef.forEach((b, j) => {
      const col = X.columns[j]!;
      for (let i = 0; i < X.nRows; i++) out[i]! += b * col[i]!;
    });
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    return this.predictRaw(X).map(sigmoid);
  }

  state(): LogregState {
    return this.s;
  }
}

/** Per-row weights from the class weights (learners/class-weights: an absent class weighs 1, not n / 0). */
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
    const A = toCsr(X);
    const { n, d } = A;
    const p = d - 1; // the last coordinate is the intercept, which is not penalised
    const w = rowWeights(y, this.params.class_weight);
    const beta = new Float64Array(d);
    const z = new Float64Array(n);
    const objective = (b: Float64Array): number => {
      let f = 0;
      for (let j = 0; j < p; j++) f += 0.5 * b[j]! * b[j]!;
      csrMultiply(A, b, z);
      for (let i = 0; i < n; i++) {
        // log(1 + e^{-m}) computed stably, m the signed margin
        const m = y[i] ? z[i]! : -z[i]!;
        f += C * w[i]! * (m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m)));
      }
      return f;
    };
    let f = objective(beta);
    let iter = 0;
    let converged = false;
    const g = new Float64Array(d);
    const H = new Float64Array(d * d);
    const r = new Float64Array(n);
    const h = new Float64Array(n);
    const trial = new Float64Array(d);
    for (; iter < max_iter; iter++) {
      csrMultiply(A, beta, z);
      for (let i = 0; i < n; i++) {
        const pr = sigmoid(z[i]!);
        r[i] = C * w[i]! * (pr - y[i]!);
        h[i] = C * w[i]! * pr * (1 - pr);
      }
      g.fill(0);
      H.fill(0);
      csrGradHessian(A, r, h, g, H);
      for (let j = 0; j < p; j++) {
        g[j]! += beta[j]!;
        H[j * d + j]! += 1;
      }
      H[p * d + p]! += 1e-12;
      for (let j = 0; j < d; j++) for (let k = j + 1; k < d; k++) H[j * d + k] = H[k * d + j]!;
      let gmax = 0;
      for (let j = 0; j < d; j++) gmax = Math.max(gmax, Math.abs(g[j]!));
      if (gmax / (C * n) < tol) {
        converged = true;
        break;
      }
      const step = choleskySolve(H, g, d);
      // Backtracking line search keeps Newton monotone on badly scaled or separable data.
      let t = 1;
      let fNew = Infinity;
      for (let ls = 0; ls < 30; ls++) {
        for (let j = 0; j < d; j++) trial[j] = beta[j]! - t * step[j]!;
        fNew = objective(trial);
        if (fNew <= f) break;
        t *= 0.5;
      }
      if (!(fNew <= f)) {
        converged = true; // no descent possible in floating point: at the optimum
        break;
      }
      const decrease = f - fNew;
      beta.set(trial);
      f = fNew;
      if (decrease <= 1e-15 * Math.max(1, Math.abs(f))) {
        converged = true;
        iter++;
        break;
      }
    }
    return new LogregModel({ coef: Array.from(beta.subarray(0, p)), intercept: beta[p]!, n_iter: iter, converged });
  }
}
