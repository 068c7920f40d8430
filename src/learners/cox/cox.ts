/**
 * The `cox` family: Cox proportional hazards with an L2 penalty, fitted by Newton–Raphson on the partial
 * likelihood (newton.ts). It fits the survival task only (`FitContext.duration`): `predictRaw` is the log
 * relative hazard x·β (no intercept: the partial likelihood does not see one; the baseline hazard is the
 * survival task's, estimated from the training rows' scores).
 */
import { z } from "zod";
import type { Classifier, Estimator, FitContext, Matrix } from "../../core/types.js";
import { linearScores, toDesign } from "../logreg/design.js";
import { checkSurvival, riskOrder } from "../partial-likelihood.js";
import { solveCox } from "./newton.js";

/** Hyperparameters of `cox`, with defaults and ranges. */
export const coxParamsSchema = z
  .object({
    /** L2 penalty λ: Newton minimises −ℓ(β)/n + ½·λ·‖β‖² (as lifelines' `penalizer` with l1_ratio 0). Default 0.01. */
    penalizer: z.number().min(0).default(0.01),
    /** Tied event durations: "efron" (default, as lifelines and R's survival) or "breslow". */
    ties: z.enum(["efron", "breslow"]).default("efron"),
    /** Newton iterations at most. Default 100. */
    max_iter: z.number().int().min(1).max(10000).default(100),
    /** Stop once a Newton step changes no coefficient by more than this. Default 1e-9. */
    tol: z.number().gt(0).default(1e-9),
  })
  .strict();

/** Checked `cox` hyperparameters. */
export type CoxParams = z.infer<typeof coxParamsSchema>;

/** Learned state of a Cox model. */
export interface CoxState {
  /** One coefficient per model column, in matrix order: the log hazard ratio of a unit of that column. */
  coef: number[];
  /** The training rows' log partial likelihood at `coef` (without the penalty). */
  log_partial_likelihood: number;
  /** Newton iterations used. */
  n_iter: number;
  /** Whether the step tolerance (or the optimum in floating point) was reached within `max_iter`. */
  converged: boolean;
}

/** A fitted Cox model: `predictRaw` is the log relative hazard. */
export class CoxModel implements Classifier<CoxState> {
  readonly family = "cox";
  constructor(private readonly s: CoxState) {}

  /** Rebuild a fitted model from the state stored in model.json. */
  static fromState(s: CoxState): CoxModel {
    return new CoxModel(s);
  }

  predictRaw(X: Matrix): Float64Array {
    if (X.columns.length !== this.s.coef.length)
      throw new Error(`cox: model expects ${this.s.coef.length} columns, got ${X.columns.length}`);
    return linearScores(this.s.coef, 0, X);
  }

  predictProba(): Float64Array {
    throw new Error("cox: a survival model has no churn probability by itself; use predictRaw (log relative hazard)");
  }

  state(): CoxState {
    return this.s;
  }
}

/** Cox proportional hazards: hyperparameters in the constructor, `fit` learns (survival only). */
export class CoxEstimator implements Estimator<CoxParams, CoxState> {
  readonly family = "cox";
  readonly params: CoxParams;

  constructor(params: Partial<z.input<typeof coxParamsSchema>> = {}) {
    this.params = coxParamsSchema.parse(params);
  }

  fit(X: Matrix, y: Uint8Array, ctx: FitContext = {}): CoxModel {
    const duration = checkSurvival("cox", X.nRows, y, ctx.duration);
    for (const col of X.columns)
      for (let i = 0; i < X.nRows; i++)
        if (!Number.isFinite(col[i]!)) throw new Error("cox: needs imputed, finite inputs");
    const { penalizer, ties, max_iter, tol } = this.params;
    const sol = solveCox({ A: toDesign(X), event: y, ro: riskOrder(duration), ties, penalizer }, max_iter, tol);
    return new CoxModel({
      coef: Array.from(sol.coef),
      log_partial_likelihood: sol.logLikelihood,
      n_iter: sol.iterations,
      converged: sol.converged,
    });
  }
}
