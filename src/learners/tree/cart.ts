/**
 * `tree`: a CART classification tree with exact thresholds by default (midpoints between
 * consecutive distinct values, as scikit-learn's DecisionTreeClassifier; binned with `max_bins`
 * by the binner forest and gbdt use), native missing values and native categorical splits.
 */
import { z } from "zod";
import {
  probaToRawInPlace,
  type Classifier,
  type Estimator,
  type FitContext,
  type FlatTree,
  type FlatTreeJSON,
  type Matrix,
} from "../../core/types.js";
import { accumulateTrees, flatTreeFromJSON, flatTreeToJSON } from "../../core/flat-tree.js";
import { Rng } from "../../utils/random.js";
import { BinMapper } from "../binning/bin-mapper.js";
import { maxBinsSchema, minDataPerGroupSchema } from "../binning/params.js";
import { MIN_DATA_PER_GROUP } from "../binning/categorical.js";
import { criterionCode } from "./criterion.js";
import { growCartTree } from "./grower.js";
import { gainImportances } from "./importance.js";
import {
  checkFeatureCount,
  classWeightSchema,
  criterionSchema,
  maxFeaturesSchema,
  resolveMaxFeatures,
  rowWeights,
} from "./params.js";

/** Hyperparameters of `tree` (CART), with defaults and ranges. */
export const cartParamsSchema = z
  .object({
    /** Impurity measure: "gini" (default) or "entropy" (bits). */
    criterion: criterionSchema.default("gini"),
    /**
     * Maximum depth (root = 0); null: grow until leaves are pure or too small. Default 6, not
     * scikit-learn's null: a fully grown single tree memorises its training rows and ranks
     * held-out customers poorly, which no user of a churn tool wants by default.
     */
    max_depth: z.number().int().min(1).nullable().default(6),
    /** A node needs at least this many rows to be split. Default 2. */
    min_samples_split: z.number().int().min(2).default(2),
    /** Each leaf keeps at least this many rows. Default 1. */
    min_samples_leaf: z.number().int().min(1).default(1),
    /** Features tried per split; null (default) = all. See {@link maxFeaturesSchema}. */
    max_features: maxFeaturesSchema.default(null),
    /** null (default), "balanced", or {0: w0, 1: w1}. */
    class_weight: classWeightSchema,
    /**
     * Bins per feature (2..65535), plus one for missing; null (default) = exact thresholds, as scikit-learn's
     * DecisionTreeClassifier (bench/binning.mjs: exact ranked held-out rows a little better on 3 of 4 tables).
     * Meaning: src/learners/binning/params.ts.
     */
    max_bins: maxBinsSchema.default(null),
    /** Rows a category needs at a node to take part in a split over many categories. Default 100. */
    min_data_per_group: minDataPerGroupSchema.default(MIN_DATA_PER_GROUP),
  })
  .strict();

/** Checked `tree` hyperparameters, every default filled in. */
export type CartParams = z.output<typeof cartParamsSchema>;
/** `tree` hyperparameters as a user gives them: any subset. */
export type CartParamsInput = z.input<typeof cartParamsSchema>;

/** Learned state of a `tree` model: plain JSON. */
export interface CartState {
  /** Number of model columns the tree indexes; predicting checks it. */
  n_features: number;
  /** The tree; leaf `value` is the probability of churn. */
  tree: FlatTreeJSON;
}

/** A single CART decision tree (`--model tree`): hyperparameters in the constructor, `fit` grows the tree. */
export class CartEstimator implements Estimator<CartParams, CartState> {
  readonly family = "tree";
  readonly params: CartParams;

  constructor(params: CartParamsInput = {}) {
    this.params = cartParamsSchema.parse(params);
  }

  fit(X: Matrix, y: Uint8Array, ctx: FitContext = {}): CartModel {
    const p = this.params;
    const w = rowWeights(y, X.nRows, p.class_weight);
    const seed = ctx.seed ?? 0;
    const features = BinMapper.fit(X, p.max_bins, null, seed).codeColumns(X);
    const rows = new Int32Array(X.nRows);
    for (let i = 0; i < X.nRows; i++) rows[i] = i;
    const tree = growCartTree(
      features,
      y,
      w,
      rows,
      {
        criterion: criterionCode(p.criterion),
        maxDepth: p.max_depth ?? Infinity,
        minSamplesSplit: p.min_samples_split,
        minSamplesLeaf: p.min_samples_leaf,
        minDataPerGroup: p.min_data_per_group,
        maxFeatures: resolveMaxFeatures(p.max_features, features.length),
      },
      new Rng(seed),
    );
    return new CartModel(tree, X.features.length);
  }
}

/** A fitted decision tree: the probability of a row is the churn share of the leaf it reaches. */
export class CartModel implements Classifier<CartState> {
  readonly family = "tree";

  constructor(
    /** The fitted tree. */
    readonly tree: FlatTree,
    /** Number of model columns the tree indexes. */
    readonly nFeatures: number,
  ) {}

  /** Rebuild a fitted tree from the state stored in model.json. */
  static fromState(state: CartState): CartModel {
    if (!state || typeof state !== "object" || !state.tree)
      throw new Error("tree model state must have a `tree` field");
    return new CartModel(flatTreeFromJSON(state.tree), state.n_features);
  }

  state(): CartState {
    return { n_features: this.nFeatures, tree: flatTreeToJSON(this.tree) };
  }

  predictProba(X: Matrix): Float64Array {
    checkFeatureCount(X.columns.length, this.nFeatures, "tree");
    const out = new Float64Array(X.nRows);
    accumulateTrees([this.tree], X, out);
    return out;
  }

  predictRaw(X: Matrix): Float64Array {
    return probaToRawInPlace(this.predictProba(X));
  }

  /** Share of split gain per feature (sum 1 unless the tree is a single leaf; see gainImportances). */
  featureImportances(): Float64Array {
    return gainImportances([this.tree], this.nFeatures);
  }
}
