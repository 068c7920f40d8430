/**
 * The model families churnkit knows: how to build each estimator from checked
 * hyperparameters, how to rebuild a fitted model from its stored state, and which input
 * encoding each family wants.
 */
import type { z } from "zod";
import { zodToUserError } from "../config/errors.js";
import type { ModelFamily } from "../config/schema.js";
import { LogregEstimator, LogregModel, logregParamsSchema, type LogregState } from "./logreg/logreg.js";
import type { Rng } from "../utils/random.js";
import type { Classifier, EncodingNeeds, Estimator } from "./types.js";

/** Everything churnkit needs to know about one model family. */
export interface FamilySpec {
  name: ModelFamily;
  /** Hyperparameter schema with defaults and ranges. */
  params: z.ZodType<Record<string, unknown>>;
  /** Build an unfitted estimator from checked hyperparameters. */
  create(params: Record<string, unknown>): Estimator<unknown, unknown>;
  /** Rebuild a fitted model from its stored state. */
  fromState(state: unknown): Classifier;
  /** Input encoding the family wants from preprocessing. */
  needs: EncodingNeeds;
  /** Draw one random hyperparameter candidate for `auto` (defaults fill the rest). */
  sample?(rng: Rng): Record<string, unknown>;
}

const families = new Map<ModelFamily, FamilySpec>();

export function registerFamily(spec: FamilySpec): void {
  families.set(spec.name, spec);
}

registerFamily({
  name: "logreg",
  params: logregParamsSchema as unknown as z.ZodType<Record<string, unknown>>,
  create: (p) => new LogregEstimator(p),
  fromState: (s) => LogregModel.fromState(s as LogregState),
  needs: { impute: true, oneHot: true, standardize: true },
  sample: (rng) => ({ C: Number((10 ** (rng.next() * 3 - 2)).toPrecision(3)) }),
});

export function family(name: string): FamilySpec {
  const f = families.get(name as ModelFamily);
  if (!f) throw new Error(`unknown model family "${name}"; known: ${[...families.keys()].join(", ")}`);
  return f;
}

export const knownFamilies = (): ModelFamily[] => [...families.keys()];

/** Check hyperparameters against the family's schema; errors name `model.params.KEY`. */
export function checkParams(name: string, params: Record<string, unknown>, where = "config"): Record<string, unknown> {
  const r = family(name).params.safeParse(params);
  if (!r.success) throw zodToUserError(r.error, where, "model.params");
  return r.data;
}
