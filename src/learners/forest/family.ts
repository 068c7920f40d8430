/** The `forest` family as registered: a random forest, explained by exact TreeSHAP. */
import { explainRows, forestEnsemble, prepareEnsemble } from "../../explain/ensemble.js";
import type { FamilySpec } from "../registry.js";
import { flatTreeFromJSON } from "../../core/flat-tree.js";
import { NATIVE_ENCODING } from "../native-encoding.js";
import { ForestEstimator, ForestModel, forestParamsSchema, type ForestParams, type ForestState } from "./forest.js";
import { forestStateSchema } from "./state-schema.js";

/** A random forest of CART trees. */
export const forestFamily: FamilySpec<ForestParams, ForestState> = {
  name: "forest",
  state: forestStateSchema,
  stateVersion: 1,
  params: forestParamsSchema,
  create: (p) => new ForestEstimator(p),
  fromState: (s) => ForestModel.fromState(s),
  complexity: 4,
  needs: NATIVE_ENCODING,
  sample: (rng) => ({
    max_features: ["sqrt", 0.3, 0.5][rng.int(3)],
    min_samples_leaf: [1, 3, 5, 10, 20][rng.int(5)],
    max_depth: [null, 8, 12, 16][rng.int(4)],
  }),
  explainer: ({ state, features, lacks }) => {
    if (!state.trees) throw lacks("trees");
    const pe = prepareEnsemble(forestEnsemble(state.trees.map(flatTreeFromJSON)), features.length, {
      space: "probability",
    });
    return (X) => explainRows(pe, X);
  },
  scoreForm: (s) => ({ kind: "trees", ensemble: forestEnsemble(s.trees.map(flatTreeFromJSON)), space: "probability" }),
  gainTrees: (s) => s.trees,
  report: {
    displayName: "Random forest",
    description: "bagged CART trees with random feature subsets, out-of-bag AUC",
    // Deep unpruned trees make TreeSHAP slow: the report explains fewer rows.
    explainRows: 60,
    explanation: "TreeSHAP",
  },
};
