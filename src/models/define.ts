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
import { ForestEstimator, ForestModel, forestParamsSchema, type ForestState } from "./forest/forest.js";
import { GBDT_ENCODING, GbdtEstimator, GbdtModel, gbdtParamsSchema, type GbdtState } from "./gbdt/gbdt.js";
import { CartEstimator, CartModel, cartParamsSchema, type CartState } from "./tree/cart.js";
import { logregStateSchema } from "./logreg/state-schema.js";
import { cartStateSchema } from "./tree/state-schema.js";
import { forestStateSchema } from "./forest/state-schema.js";
import { gbdtStateSchema } from "./gbdt/state-schema.js";
import type { StateContext } from "./trees/state-schema.js";
import type { Classifier, EncodingNeeds, Estimator } from "./types.js";

/** Everything churnkit needs to know about one model family. */
export interface FamilySpec {
  name: ModelFamily;
  /** Hyperparameter schema with defaults and ranges. */
  params: z.ZodType<Record<string, unknown>>;
  /** Build an unfitted estimator from checked hyperparameters. */
  create(params: Record<string, unknown>): Estimator<unknown, unknown>;
  /**
   * Schema of the stored state (model.json `model.state`); with `ctx`, also checked against the
   * model columns the preprocessing makes. Without `ctx` it is the shape the published JSON Schema shows.
   */
  state(ctx?: StateContext): z.ZodType;
  /** Rebuild a fitted model from its stored state (checked against `state` first when loaded). */
  fromState(state: unknown): Classifier;
  /** Input encoding the family wants from preprocessing. */
  needs: EncodingNeeds;
  /** Draw one random hyperparameter candidate for `auto` (defaults fill the rest). */
  sample?(rng: Rng): Record<string, unknown>;
}

const families = new Map<ModelFamily, FamilySpec>();

/**
 * Add a family to the registry (or replace one of the same name); every part of churnkit that needs a
 * family looks it up here.
 */
export function registerFamily(spec: FamilySpec): void {
  families.set(spec.name, spec);
}

registerFamily({
  name: "logreg",
  state: logregStateSchema,
  params: logregParamsSchema,
  create: (p) => new LogregEstimator(p),
  fromState: (s) => LogregModel.fromState(s as LogregState),
  needs: { impute: true, oneHot: true, standardize: true },
  sample: (rng) => ({ C: Number((10 ** (rng.next() * 3 - 2)).toPrecision(3)) }),
});

// Trees take missing values and category codes natively: no imputation, no one-hot.
const NATIVE: EncodingNeeds = { impute: false, oneHot: false, standardize: false };

registerFamily({
  name: "tree",
  state: cartStateSchema,
  params: cartParamsSchema,
  create: (p) => new CartEstimator(p),
  fromState: (s) => CartModel.fromState(s as CartState),
  needs: NATIVE,
  sample: (rng) => ({
    max_depth: [3, 4, 5, 6, 8, 10][rng.int(6)],
    min_samples_leaf: [1, 5, 10, 20, 50][rng.int(5)],
    criterion: rng.next() < 0.5 ? "gini" : "entropy",
  }),
});

registerFamily({
  name: "forest",
  state: forestStateSchema,
  params: forestParamsSchema,
  create: (p) => new ForestEstimator(p),
  fromState: (s) => ForestModel.fromState(s as ForestState),
  needs: NATIVE,
  sample: (rng) => ({
    max_features: ["sqrt", 0.3, 0.5][rng.int(3)],
    min_samples_leaf: [1, 3, 5, 10, 20][rng.int(5)],
    max_depth: [null, 8, 12, 16][rng.int(4)],
  }),
});

registerFamily({
  name: "gbdt",
  state: gbdtStateSchema,
  params: gbdtParamsSchema,
  create: (p) => new GbdtEstimator(p),
  fromState: (s) => GbdtModel.fromState(s as GbdtState),
  needs: GBDT_ENCODING,
  sample: (rng) => ({
    learning_rate: [0.03, 0.05, 0.1, 0.2][rng.int(4)],
    max_leaf_nodes: [7, 15, 31, 63][rng.int(4)],
    min_samples_leaf: [5, 10, 20, 50][rng.int(4)],
    l2_regularization: [0, 0.1, 1, 10][rng.int(4)],
  }),
});

/**
 * The registered family of this name; an unknown name is a programming error (config and model.json
 * checks refuse unknown families first).
 */
export function family(name: string): FamilySpec {
  const f = families.get(name as ModelFamily);
  if (!f) throw new Error(`unknown model family "${name}"; known: ${[...families.keys()].join(", ")}`);
  return f;
}

/** The names of the registered families, in registration order. */
export const knownFamilies = (): ModelFamily[] => [...families.keys()];

/** Check hyperparameters against the family's schema; errors name `model.params.KEY`. */
export function checkParams(name: string, params: Record<string, unknown>, where = "config"): Record<string, unknown> {
  const r = family(name).params.safeParse(params);
  if (!r.success) throw zodToUserError(r.error, where, "model.params");
  return r.data;
}
