/** The `tree` family as registered: a CART tree, explained by exact TreeSHAP. */
import { cartEnsemble, explainRows, prepareEnsemble } from "../../explain/ensemble.js";
import type { FamilySpec } from "../registry.js";
import { flatTreeFromJSON } from "../../core/flat-tree.js";
import { NATIVE_ENCODING } from "../native-encoding.js";
import { CartEstimator, CartModel, cartParamsSchema, type CartParams, type CartState } from "./cart.js";
import { cartStateSchema } from "./state-schema.js";

/** One decision tree (CART). */
export const treeFamily: FamilySpec<CartParams, CartState> = {
  name: "tree",
  state: cartStateSchema,
  stateVersion: 1,
  params: cartParamsSchema,
  create: (p) => new CartEstimator(p),
  fromState: (s) => CartModel.fromState(s),
  complexity: 2,
  needs: NATIVE_ENCODING,
  sample: (rng) => ({
    max_depth: [3, 4, 5, 6, 8, 10][rng.int(6)],
    min_samples_leaf: [1, 5, 10, 20, 50][rng.int(5)],
    criterion: rng.next() < 0.5 ? "gini" : "entropy",
  }),
  explainer: ({ state, features, lacks }) => {
    if (!state.tree) throw lacks("tree");
    const pe = prepareEnsemble(cartEnsemble(flatTreeFromJSON(state.tree)), features.length, { space: "probability" });
    return (X) => explainRows(pe, X);
  },
  scoreForm: (s) => ({ kind: "trees", ensemble: cartEnsemble(flatTreeFromJSON(s.tree)), space: "probability" }),
  gainTrees: (s) => [s.tree],
  report: {
    displayName: "Decision tree",
    description: "one CART decision tree (gini or entropy), native missing values and categories",
    explanation: "TreeSHAP",
  },
};
