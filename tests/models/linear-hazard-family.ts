/**
 * A test-only survival family, registered from outside src/ with `registerFamily` alone: a linear log relative
 * hazard fitted crudely, by plain gradient ascent on Breslow's partial log-likelihood (standardised, one-hot inputs,
 * a small L2 penalty). It stands in for a survival family in the survival task's plumbing tests; it is additive in
 * log hazard, so explained exactly (linear contributions). Importing this module registers `linear-hazard`.
 */
import { z } from "zod";
import { registerFamily, type FamilySpec } from "../../src/learners/families.js";
import type { StateContext } from "../../src/learners/flat-tree-schema.js";
import type { Classifier, Estimator, FitContext, Matrix } from "../../src/core/types.js";
import { explainLinear } from "../../src/explain/linear.js";

const paramsSchema = z
  .object({
    /** Gradient steps. */
    iterations: z.int().min(1).max(10_000).default(200),
    /** Step size, per event. */
    step: z.number().gt(0).default(0.5),
    /** L2 penalty on the coefficients. */
    l2: z.number().min(0).default(0.01),
  })
  .strict();
type LhParams = z.output<typeof paramsSchema>;

function stateSchema(ctx?: StateContext) {
  return z.object({ coef: z.array(z.number()) }).superRefine((s, rc) => {
    if (ctx && s.coef.length !== ctx.features.length)
      rc.addIssue({ code: "custom", path: ["coef"], message: `expected ${ctx.features.length} coefficients` });
  });
}
type LhState = z.output<ReturnType<typeof stateSchema>>;

class LhModel implements Classifier<LhState> {
  readonly family = "linear-hazard";
  constructor(private readonly s: LhState) {}
  predictRaw(X: Matrix): Float64Array {
    const out = new Float64Array(X.nRows);
    this.s.coef.forEach((c, j) => {
      const col = X.columns[j]!;
      for (let i = 0; i < X.nRows; i++) out[i]! += c * col[i]!;
    });
    return out;
  }
  predictProba(): Float64Array {
    throw new Error("linear-hazard is a survival model: it has no churn probability of its own");
  }
  state(): LhState {
    return this.s;
  }
}

class LhEstimator implements Estimator<LhParams, LhState> {
  readonly family = "linear-hazard";
  constructor(readonly params: LhParams) {}
  fit(X: Matrix, y: Uint8Array, ctx: FitContext = {}): LhModel {
    const time = ctx.duration;
    if (!time) throw new Error("linear-hazard fits the survival task only (ctx.duration)");
    const n = X.nRows;
    const p = X.features.length;
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => time[b]! - time[a]! || a - b);
    let events = 0;
    for (const v of y) events += v;
    const coef = new Float64Array(p);
    const eta = new Float64Array(n);
    for (let it = 0; it < this.params.iterations; it++) {
      eta.fill(0);
      for (let j = 0; j < p; j++) {
        const col = X.columns[j]!;
        for (let i = 0; i < n; i++) eta[i]! += coef[j]! * col[i]!;
      }
      const grad = new Float64Array(p);
      const s1 = new Float64Array(p);
      let s0 = 0;
      // Longest duration first: each tie group joins the risk set before its events are counted.
      for (let k = 0; k < n;) {
        let e = k;
        while (e < n && time[order[e]!] === time[order[k]!]) {
          const i = order[e]!;
          const w = Math.exp(eta[i]!);
          s0 += w;
          for (let j = 0; j < p; j++) s1[j]! += w * X.columns[j]![i]!;
          e++;
        }
        for (let q = k; q < e; q++) {
          const i = order[q]!;
          if (!y[i]) continue;
          for (let j = 0; j < p; j++) grad[j]! += X.columns[j]![i]! - s1[j]! / s0;
        }
        k = e;
      }
      for (let j = 0; j < p; j++)
        coef[j]! += (this.params.step / Math.max(events, 1)) * (grad[j]! - this.params.l2 * coef[j]!);
    }
    return new LhModel({ coef: Array.from(coef) });
  }
}

/** The spec. */
export const linearHazard: FamilySpec<LhParams, LhState> = {
  name: "linear-hazard",
  params: paramsSchema,
  create: (p) => new LhEstimator(p),
  state: stateSchema,
  stateVersion: 1,
  fromState: (s) => new LhModel(s),
  needs: { impute: true, oneHot: true, standardize: true },
  tasks: ["survival"],
  autoDefault: false,
  complexity: 1,
  sample: (rng) => ({ l2: [0.001, 0.01, 0.1][rng.int(3)] }),
  explainer:
    ({ state, featureMeans, features, lacks }) =>
    (X) => {
      if (!featureMeans || featureMeans.length !== features.length) throw lacks("training means of its model columns");
      return explainLinear({ coef: state.coef, intercept: 0 }, featureMeans, X);
    },
  report: {
    displayName: "Linear log hazard (test)",
    description:
      "a linear log relative hazard fitted by gradient ascent on the partial likelihood (a test-only family)",
    explanation: "linear",
  },
};

registerFamily(linearHazard);
