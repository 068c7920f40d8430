/**
 * `forest`: a random forest of CART trees (bootstrap rows, random features per split,
 * fully grown by default), as scikit-learn's RandomForestClassifier. Features are binned
 * once per fit by the binner gbdt uses too (src/learners/binning: at most `max_bins` bins,
 * exact when a feature has fewer distinct values), trees are grown in worker threads, and
 * the probability is the mean of the trees' leaf probabilities.
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
import { BinMapper } from "../binning/bin-mapper.js";
import { maxBinsSchema, minDataPerGroupSchema } from "../binning/params.js";
import { MIN_DATA_PER_GROUP } from "../binning/categorical.js";
import { criterionCode } from "../tree/criterion.js";
import { gainImportances } from "../tree/importance.js";
import {
  checkFeatureCount,
  classWeightSchema,
  criterionSchema,
  maxFeaturesSchema,
  resolveMaxFeatures,
  rowWeights,
} from "../tree/params.js";
import type { ForestJob } from "./grow.js";
import { oobAuc } from "./oob.js";
import { forestThreads, growForest } from "./parallel.js";

/** Hyperparameters of `forest`, with defaults and ranges. */
export const forestParamsSchema = z
  .object({
    /** Number of trees. Default 100. */
    n_estimators: z.number().int().min(1).max(100_000).default(100),
    /** Impurity measure: "gini" (default) or "entropy". */
    criterion: criterionSchema.default("gini"),
    /** Maximum depth of each tree; null (default) = unlimited. */
    max_depth: z.number().int().min(1).nullable().default(null),
    /** A node needs at least this many rows to be split. Default 2. */
    min_samples_split: z.number().int().min(2).default(2),
    /**
     * Each leaf keeps at least this many rows. Default 10, not scikit-learn's 1: churnkit ranks by the
     * forest's probability, and probability forests estimate better from leaves of several rows
     * (ranger's default minimum node size for probability forests is 10 too).
     */
    min_samples_leaf: z.number().int().min(1).default(10),
    /** Features tried per split: "sqrt" (default), "log2", a fraction in (0, 1), a count >= 1, or null = all. */
    max_features: maxFeaturesSchema.default("sqrt"),
    /** Grow each tree on a bootstrap sample (and report the out-of-bag AUC). Default true. */
    bootstrap: z.boolean().default(true),
    /** null (default), "balanced", or {0: w0, 1: w1}; applied to the whole training set. */
    class_weight: classWeightSchema,
    /** Bins per feature (2..65535), plus one for missing; null = exact. Meaning: src/learners/binning/params.ts. Default 255. */
    max_bins: maxBinsSchema.default(255),
    /** Rows a category needs at a node to take part in a split over many categories. Default 100. */
    min_data_per_group: minDataPerGroupSchema.default(MIN_DATA_PER_GROUP),
  })
  .strict();

/** Checked `forest` hyperparameters, every default filled in. */
export type ForestParams = z.output<typeof forestParamsSchema>;
/** `forest` hyperparameters as a user gives them: any subset. */
export type ForestParamsInput = z.input<typeof forestParamsSchema>;

/** Learned state of a `forest` model: plain JSON. */
export interface ForestState {
  /** Number of model columns the trees index; predicting checks it. */
  n_features: number;
  /** Out-of-bag ROC AUC on the training rows (null without bootstrap, or if undefined). */
  oob_auc: number | null;
  /** The trees; leaf `value` is the probability of churn. */
  trees: FlatTreeJSON[];
}

/**
 * A random forest (`--model forest`): bootstrapped CART trees with random feature subsets, grown on
 * worker threads when the data is large enough.
 */
export class ForestEstimator implements Estimator<ForestParams, ForestState> {
  readonly family = "forest";
  readonly params: ForestParams;

  constructor(params: ForestParamsInput = {}) {
    this.params = forestParamsSchema.parse(params);
  }

  async fit(X: Matrix, y: Uint8Array, ctx: FitContext = {}): Promise<ForestModel> {
    const p = this.params;
    const seed = ctx.seed ?? 0;
    const weight = rowWeights(y, X.nRows, p.class_weight);
    const features = BinMapper.fit(X, p.max_bins, null, seed).codeColumns(X);
    const job: ForestJob = {
      features,
      y,
      weight,
      nRows: X.nRows,
      seed,
      bootstrap: p.bootstrap,
      opts: {
        criterion: criterionCode(p.criterion),
        maxDepth: p.max_depth ?? Infinity,
        minSamplesSplit: p.min_samples_split,
        minSamplesLeaf: p.min_samples_leaf,
        minDataPerGroup: p.min_data_per_group,
        maxFeatures: resolveMaxFeatures(p.max_features, features.length),
      },
    };
    const threads = forestThreads(ctx.threads, X.nRows, p.n_estimators);
    const { trees, oob } = await growForest(job, X, p.n_estimators, threads);
    return new ForestModel(trees, X.features.length, p.bootstrap ? oobAuc(oob, y) : null);
  }
}

/** A fitted random forest: the probability of a row is the mean of its leaf probabilities over the trees. */
export class ForestModel implements Classifier<ForestState> {
  readonly family = "forest";

  constructor(
    /** The fitted trees, in growing order. */
    readonly trees: FlatTree[],
    /** Number of model columns the trees index. */
    readonly nFeatures: number,
    /** Out-of-bag ROC AUC, when trained with bootstrap. */
    readonly oobAuc: number | null,
  ) {}

  /** Rebuild a fitted forest from the state stored in model.json. */
  static fromState(state: ForestState): ForestModel {
    if (!state || typeof state !== "object" || !Array.isArray(state.trees) || state.trees.length === 0) {
      throw new Error("forest model state must have a non-empty `trees` array");
    }
    return new ForestModel(state.trees.map(flatTreeFromJSON), state.n_features, state.oob_auc ?? null);
  }

  state(): ForestState {
    return { n_features: this.nFeatures, oob_auc: this.oobAuc, trees: this.trees.map(flatTreeToJSON) };
  }

  /** Mean of the trees' leaf probabilities (summed in tree order: deterministic). */
  predictProba(X: Matrix): Float64Array {
    checkFeatureCount(X.columns.length, this.nFeatures, "forest");
    const out = new Float64Array(X.nRows);
    accumulateTrees(this.trees, X, out);
    const k = this.trees.length;
    for (let i = 0; i < out.length; i++) out[i]! /= k;
    return out;
  }

  predictRaw(X: Matrix): Float64Array {
    return probaToRawInPlace(this.predictProba(X));
  }

  /** Share of total split gain per feature over all trees (see gainImportances; metrics.json folds these). */
  featureImportances(): Float64Array {
    return gainImportances(this.trees, this.nFeatures);
  }
}
