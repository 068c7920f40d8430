/** The `logreg` family as registered: estimator, state, exact linear explanations, coefficients. */
import { explainLinear } from "../../explain/linear.js";
import type { FamilySpec } from "../registry.js";
import { LogregEstimator, LogregModel, logregParamsSchema, type LogregParams, type LogregState } from "./logreg.js";
import { logregStateSchema } from "./state-schema.js";

/** Logistic regression: imputed, one-hot and standardised inputs. */
export const logregFamily: FamilySpec<LogregParams, LogregState> = {
  name: "logreg",
  state: logregStateSchema,
  stateVersion: 1,
  params: logregParamsSchema,
  create: (p) => new LogregEstimator(p),
  fromState: (s) => LogregModel.fromState(s),
  complexity: 1,
  needs: { impute: true, oneHot: true, standardize: true },
  sample: (rng) => ({ C: Number((10 ** (rng.next() * 3 - 2)).toPrecision(3)) }),
  explainer: ({ state, features, featureMeans, lacks }) => {
    if (!featureMeans || featureMeans.length !== features.length) throw lacks("training means of its model columns");
    const lin = { coef: state.coef, intercept: state.intercept };
    return (X) => explainLinear(lin, featureMeans, X);
  },
  coefficients: (s) => s.coef,
  scoreForm: (s) => ({ kind: "linear", coef: s.coef, intercept: s.intercept }),
  report: {
    displayName: "Logistic regression",
    description:
      "L2-regularised logistic regression (Newton's method, or truncated Newton on wide data); fast, additive, explained exactly",
    explanation: "linear",
  },
};
