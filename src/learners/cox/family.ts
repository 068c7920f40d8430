/** The `cox` family as registered: survival only, exact linear explanations in log-hazard. */
import { explainLinear } from "../../explain/linear.js";
import type { FamilySpec } from "../registry.js";
import { CoxEstimator, CoxModel, coxParamsSchema, type CoxParams, type CoxState } from "./cox.js";
import { coxStateSchema } from "./state-schema.js";

/** Cox proportional hazards on imputed, one-hot and standardised inputs (as logreg's). */
export const coxFamily: FamilySpec<CoxParams, CoxState> = {
  name: "cox",
  state: coxStateSchema,
  stateVersion: 1,
  params: coxParamsSchema,
  create: (p) => new CoxEstimator(p),
  fromState: (s) => CoxModel.fromState(s),
  tasks: ["survival"],
  complexity: 1,
  needs: { impute: true, oneHot: true, standardize: true },
  sample: (rng) => ({ penalizer: Number((10 ** (rng.next() * 3 - 4)).toPrecision(3)) }),
  explainer: ({ state, features, featureMeans, lacks }) => {
    if (!featureMeans || featureMeans.length !== features.length) throw lacks("training means of its model columns");
    const lin = { coef: state.coef, intercept: 0 };
    return (X) => explainLinear(lin, featureMeans, X);
  },
  coefficients: (s) => s.coef,
  scoreForm: (s) => ({ kind: "linear", coef: s.coef, intercept: 0 }),
  report: {
    displayName: "Cox proportional hazards",
    description:
      "L2-penalised Cox proportional hazards (Newton on the partial likelihood, Efron or Breslow ties); survival only, explained exactly in log-hazard",
    explanation: "linear",
  },
};
