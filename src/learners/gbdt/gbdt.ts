/**
 * The `gbdt` family: histogram gradient boosting of trees for binary log loss, after
 * scikit-learn's HistGradientBoostingClassifier (defaults mirror it) and LightGBM.
 *
 * Boosting: start from the log-odds of the training positive rate; at each iteration compute
 * gradients p − y and hessians p(1 − p) of the log loss, grow one tree on them (grower.ts) on a
 * row subsample and a feature subsample, and add its leaf values (already times the learning
 * rate) to the scores. Early stopping watches the validation log loss and keeps the trees up to
 * the best iteration.
 *
 * Survival (`ctx.duration` set, y the event): the same trees boost the negative Cox partial log-likelihood
 * (Efron's or Breslow's ties, `ties`) as XGBoost's `survival:cox` does (Breslow's), from a baseline of 0, its
 * gradients and hessians from ../partial-likelihood.ts over the rows sorted by duration once; early stopping
 * watches the validation rows' partial likelihood per event. The scores are log relative hazards.
 */
import { z } from "zod";
import type {
  Classifier,
  EncodingNeeds,
  Estimator,
  FeatureKind,
  FitContext,
  FlatTree,
  FlatTreeJSON,
  Matrix,
} from "../../core/types.js";
import { rawToProba } from "../../core/types.js";
import { flatTreeFromJSON, flatTreeToJSON } from "../../core/flat-tree.js";
import { Rng } from "../../utils/random.js";
import { BinMapper, type BinnedMatrix } from "../binning/bin-mapper.js";
import { byteMaxBinsSchema, minDataPerGroupSchema } from "../binning/params.js";
import { MIN_DATA_PER_GROUP } from "../binning/categorical.js";
import { makeLayout, type HistogramLayout } from "./histogram.js";
import { histogramBuilder, type HistogramBuilder } from "./parallel.js";
import { growTree, predictBinned, type GrowerContext } from "./grower.js";
import { SplitScratch } from "./splitting.js";
import { splitKernel } from "./split-kernel.js";
import { predictEnsemble } from "./predictor.js";
import { logLossFromRaw } from "../../evaluation/metrics.js";
import { stratifiedSplit } from "../../data/split.js";
import { checkSurvival } from "../partial-likelihood.js";
import { coxObjective, initialHessian, type CoxObjective } from "./cox-objective.js";

/**
 * With `early_stopping: "auto"` and no `ctx.validation`, early stopping (on an internal split)
 * is on from this many training rows. Below it a 10% hold-out is too small to score reliably.
 */
export const AUTO_EARLY_STOPPING_MIN_ROWS = 1000;

/** Hyperparameters (snake_case, as scikit-learn). Every field has a default. */
export const gbdtParamsSchema = z
  .object({
    /** Shrinkage of each tree's values. Default 0.1. */
    learning_rate: z.number().gt(0).default(0.1),
    /** Maximum boosting iterations (trees). Default 100. */
    max_iter: z.number().int().min(1).default(100),
    /** Maximum leaves per tree; null: unlimited. Default 31. */
    max_leaf_nodes: z.number().int().min(2).nullable().default(31),
    /** Maximum depth of a tree (root = 0); null: unlimited. Default null. */
    max_depth: z.number().int().min(1).nullable().default(null),
    /** Minimum training rows in a leaf. Default 20. */
    min_samples_leaf: z.number().int().min(1).default(20),
    /** L2 regularisation λ of leaf values. Default 0. */
    l2_regularization: z.number().min(0).default(0),
    /** Minimum hessian sum in a leaf (scikit-learn's min_hessian_to_split). Default 1e-3. */
    min_child_weight: z.number().min(0).default(1e-3),
    /** Value bins per feature, 2..255, plus one bin for missing; meaning: src/learners/binning/params.ts. Default 255. */
    max_bins: byteMaxBinsSchema.default(255),
    /** Hessian-weighted rows a category needs at a node to take part in a split over many categories. Default 100. */
    min_data_per_group: minDataPerGroupSchema.default(MIN_DATA_PER_GROUP),
    /** Fraction of training rows drawn (without replacement) for each tree. Default 1. */
    subsample: z.number().gt(0).max(1).default(1),
    /** Fraction of features drawn for each tree. Default 1. */
    colsample: z.number().gt(0).max(1).default(1),
    /**
     * `true`: stop on validation log loss (survival: partial likelihood per event) (`ctx.validation`, else an
     * internal stratified hold-out of `validation_fraction`); `false`: always `max_iter` trees; `"auto"`
     * (default): on when `ctx.validation` is given or there are at least {@link AUTO_EARLY_STOPPING_MIN_ROWS} rows.
     */
    early_stopping: z.union([z.literal("auto"), z.boolean()]).default("auto"),
    /** Fraction of training rows held out for early stopping when no `ctx.validation`. Default 0.1. */
    validation_fraction: z.number().gt(0).lt(1).default(0.1),
    /** Stop after this many iterations without improving the best validation loss by `tol`. Default 10. */
    n_iter_no_change: z.number().int().min(1).default(10),
    /** Minimum validation loss improvement that counts. Default 1e-7. */
    tol: z.number().min(0).default(1e-7),
    /**
     * Survival only: how the Cox partial likelihood treats events of equal duration, `"efron"` or `"breslow"`
     * (../partial-likelihood.ts; XGBoost's survival:cox is Breslow's). Default "efron", as the `cox` family: the
     * closer approximation when durations are coarse (months, years), measured in bench/survival-ties.mjs.
     */
    ties: z.union([z.literal("efron"), z.literal("breslow")]).default("efron"),
    /**
     * What numeric bin edges are quantiles of: `"count"` the training rows (scikit-learn's rule), `"hessian"` the
     * rows weighted by the loss's hessian at the initial score (XGBoost's weighted sketch; for log loss that is
     * constant), `"auto"` (default): hessian for survival, count for classification. Measured in
     * bench/survival-bins.mjs.
     */
    bin_weights: z.union([z.literal("auto"), z.literal("count"), z.literal("hessian")]).default("auto"),
  })
  .strict();

/** Resolved hyperparameters. */
export type GbdtParams = z.infer<typeof gbdtParamsSchema>;
/** Hyperparameters as given by a user: any subset. */
export type GbdtParamsInput = z.input<typeof gbdtParamsSchema>;

/** How gbdt wants its input: native missing values and categorical codes, no scaling. */
export const GBDT_ENCODING: EncodingNeeds = { impute: false, oneHot: false, standardize: false };

/** Learned state of a {@link GbdtModel}, plain JSON. */
export interface GbdtState {
  /** Format version of this object. */
  version: 1;
  /** Raw score before any tree: log-odds of the positive rate of the training rows (0 for survival). */
  baseline: number;
  /** "cox" when fitted for the survival task (scores are log relative hazards); absent for classification. */
  objective?: "cox";
  /** Learning rate of the fit; already folded into every tree's values (informative only). */
  learning_rate: number;
  /** Boosting iterations kept (= `trees.length`). */
  n_iter: number;
  /** Number of columns the trees index; `predict` checks it. */
  n_features: number;
  /** Kind of each column at fit time. */
  feature_kinds: FeatureKind[];
  /** The trees; leaf `value` is the raw-score increment. */
  trees: FlatTreeJSON[];
  /** Validation loss (log loss; survival: negative partial log-likelihood per event) after each iteration when early stopping ran, else null. */
  validation_loss: number[] | null;
}

/** A fitted gbdt classifier: scores = baseline + sum of trees, on raw feature values. */
export class GbdtModel implements Classifier<GbdtState> {
  readonly family = "gbdt";
  /** The boosted trees, in boosting order. */
  readonly trees: FlatTree[];

  constructor(private readonly s: GbdtState) {
    this.trees = s.trees.map(flatTreeFromJSON);
  }

  /** Rebuild a fitted model from the state stored in model.json (its version and shape checked). */
  static fromState(state: GbdtState): GbdtModel {
    if (!state || state.version !== 1)
      throw new Error(`gbdt: unsupported model state version ${String(state?.version)}`);
    if (!Number.isFinite(state.baseline) || !Array.isArray(state.trees) || state.trees.length !== state.n_iter) {
      throw new Error("gbdt: model state is malformed (baseline, trees or n_iter)");
    }
    return new GbdtModel(state);
  }

  predictRaw(X: Matrix): Float64Array {
    if (X.columns.length !== this.s.n_features)
      throw new Error(`gbdt: model expects ${this.s.n_features} columns, got ${X.columns.length}`);
    return predictEnsemble(this.trees, this.s.baseline, X);
  }

  predictProba(X: Matrix): Float64Array {
    if (this.s.objective === "cox")
      throw new Error(
        "gbdt: a survival model has no churn probability by itself; use predictRaw (log relative hazard)",
      );
    return rawToProba(this.predictRaw(X));
  }

  state(): GbdtState {
    return this.s;
  }
}

/**
 * First `k` of a seeded shuffle of `0..n-1`, ascending (for row and feature subsampling), written to
 * `out[0..k)` (`buf` is scratch of length `n`; `out` may be `buf`).
 */
function sampleSorted(n: number, k: number, rng: Rng, buf: Uint32Array, out: Uint32Array = buf): Uint32Array {
  for (let i = 0; i < n; i++) buf[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = buf[i]!;
    buf[i] = buf[j]!;
    buf[j] = t;
  }
  if (out !== buf) out.set(buf.subarray(0, k));
  return out.subarray(0, k).sort();
}

/**
 * Histogram gradient boosting estimator (hyperparameters only, until `fit`).
 * `fit(X, y, ctx)`: `y` holds 0/1 labels; `ctx.seed` (default 0) drives every random choice
 * (hold-out, row and feature subsampling, binning subsample); `ctx.validation` is used for early
 * stopping; `ctx.threads` (default min(2, cores)) threads build the histograms of large nodes, and the
 * model is the same byte for byte whatever their number (see parallel.ts).
 */
export class GbdtEstimator implements Estimator<GbdtParams, GbdtState> {
  readonly family = "gbdt";
  readonly params: GbdtParams;

  /** Throws a ZodError naming the parameter when a value is out of range or unknown. */
  constructor(params: GbdtParamsInput = {}) {
    this.params = gbdtParamsSchema.parse(params);
  }

  fit(X: Matrix, y: Uint8Array, ctx: FitContext = {}): GbdtModel {
    const p = this.params;
    const n = X.nRows;
    const survival = ctx.duration !== undefined;
    if (survival) {
      checkSurvival("gbdt", n, y, ctx.duration);
      if (ctx.validation)
        checkSurvival("gbdt (validation rows)", ctx.validation.X.nRows, ctx.validation.y, ctx.validation.duration);
    } else {
      if (y.length !== n) throw new Error(`gbdt: ${n} rows but ${y.length} labels`);
      let pos = 0;
      for (let i = 0; i < n; i++) {
        if (y[i] !== 0 && y[i] !== 1) throw new Error(`gbdt: label of row ${i} is ${y[i]}, expected 0 or 1`);
        pos += y[i]!;
      }
      if (pos === 0 || pos === n) throw new Error("gbdt: the target has a single class; both 0 and 1 are needed");
    }
    const seed = ctx.seed ?? 0;
    const rng = new Rng(seed);

    // Which rows train, which score early stopping.
    const es =
      p.early_stopping === true ||
      (p.early_stopping === "auto" && (ctx.validation !== undefined || n >= AUTO_EARLY_STOPPING_MIN_ROWS));
    let trainRows: Uint32Array | null = null;
    let valRows: Uint32Array | null = null;
    if (es && !ctx.validation) {
      // data/split's rounding: at least one validation row of each class that has two or more.
      const split = stratifiedSplit(y, p.validation_fraction, rng.fork(1));
      if (split.second.length > 0) {
        trainRows = Uint32Array.from(split.first);
        valRows = Uint32Array.from(split.second);
      }
    }
    const useVal = es && (ctx.validation !== undefined || valRows !== null);

    const yTrain = trainRows ? Uint8Array.from(trainRows, (r) => y[r]!) : y;
    let yVal: Uint8Array | null = null;
    let durationVal: Float64Array | undefined;
    if (useVal) {
      if (ctx.validation) {
        yVal = ctx.validation.y;
        durationVal = ctx.validation.duration;
      } else {
        yVal = Uint8Array.from(valRows!, (r) => y[r]!);
        durationVal = ctx.duration && Float64Array.from(valRows!, (r) => ctx.duration![r]!);
      }
    }
    const cox = survival
      ? coxObjective(
          yTrain,
          trainRows ? Float64Array.from(trainRows, (r) => ctx.duration![r]!) : ctx.duration!,
          yVal,
          durationVal,
          p.ties,
        )
      : null;
    const hessianBins = p.bin_weights === "hessian" || (p.bin_weights === "auto" && survival);
    const weights = hessianBins ? initialHessian(n, trainRows, yTrain, cox) : null;
    const mapper = BinMapper.fit(X, p.max_bins, trainRows, seed, weights);
    const binned = mapper.transform(X, trainRows);
    const binnedVal: BinnedMatrix | null = !useVal
      ? null
      : ctx.validation
        ? mapper.transform(ctx.validation.X)
        : mapper.transform(X, valRows);
    const model = this.boost(mapper, binned, yTrain, binnedVal, yVal, rng, ctx.threads, cox);
    return new GbdtModel({
      ...model,
      ...(cox ? { objective: "cox" as const } : {}),
      n_features: X.columns.length,
      feature_kinds: X.features.map((f) => f.kind),
    });
  }

  private boost(
    mapper: BinMapper,
    binned: BinnedMatrix,
    y: Uint8Array,
    val: BinnedMatrix | null,
    yVal: Uint8Array | null,
    rng: Rng,
    threads: number | undefined,
    cox: CoxObjective | null,
  ): Omit<GbdtState, "n_features" | "feature_kinds"> {
    const n = binned.nRows;
    let pos = 0;
    for (let i = 0; i < n; i++) pos += y[i]!;
    // A class may vanish from a small hold-out split; clamp so the baseline stays finite.
    const prior = Math.min(Math.max(pos / n, 1e-6), 1 - 1e-6);
    const baseline = cox ? 0 : Math.log(prior / (1 - prior));
    const layout = makeLayout(mapper.features.map((f) => f.nBins));
    const histograms = histogramBuilder(binned, y, layout, threads, cox?.gradients);
    const validationLoss = cox ? cox.validationLoss : logLossFromRaw;
    try {
      return this.boostWith(mapper, binned, y, val, yVal, rng, baseline, layout, histograms, validationLoss);
    } finally {
      histograms.close();
    }
  }

  private boostWith(
    mapper: BinMapper,
    binned: BinnedMatrix,
    y: Uint8Array,
    val: BinnedMatrix | null,
    yVal: Uint8Array | null,
    rng: Rng,
    baseline: number,
    layout: HistogramLayout,
    histograms: HistogramBuilder,
    validationLoss: (yVal: Uint8Array, rawVal: Float64Array) => number,
  ): Omit<GbdtState, "n_features" | "feature_kinds"> {
    const p = this.params;
    const n = binned.nRows;
    const nFeatures = mapper.features.length;
    const { pool, kernel } = splitKernel(3 * layout.size, p.max_leaf_nodes);
    const ctx: GrowerContext = {
      binned,
      histograms,
      mapper,
      layout,
      categorical: Uint8Array.from(mapper.features, (f) => (f.kind === "categorical" ? 1 : 0)),
      pool,
      splitScratch: new SplitScratch(kernel),
    };
    const growParams = {
      l2: p.l2_regularization,
      minSamplesLeaf: p.min_samples_leaf,
      minChildWeight: p.min_child_weight,
      minDataPerGroup: p.min_data_per_group,
      maxLeafNodes: p.max_leaf_nodes,
      maxDepth: p.max_depth,
      shrinkage: p.learning_rate,
    };
    const nSub = Math.max(1, Math.round(p.subsample * n));
    const nCol = Math.max(1, Math.round(p.colsample * nFeatures));
    const subsampling = nSub < n;
    const raw = histograms.raw.fill(baseline);
    const rawVal = val ? new Float64Array(val.nRows).fill(baseline) : null;
    const { rows } = histograms;
    const rowBuf = subsampling ? new Uint32Array(n) : rows;
    const featBuf = new Uint32Array(nFeatures);
    const allFeatures = Int32Array.from({ length: nFeatures }, (_, j) => j);
    const trees: FlatTreeJSON[] = [];
    const history: number[] = [];
    // Iteration -1 is the baseline alone: on pure noise no tree may beat it.
    let best = val && rawVal && yVal ? validationLoss(yVal, rawVal) : Infinity;
    let bestIter = -1;

    // Whether the gradients (and, without subsampling, the row array 0..n-1) are already the next tree's.
    let ready = false;
    for (let it = 0; it < p.max_iter; it++) {
      if (!ready) histograms.gradients();
      if (subsampling) sampleSorted(n, nSub, rng, rowBuf, rows);
      else if (!ready) for (let i = 0; i < n; i++) rows[i] = i;
      ready = false;
      const features = nCol < nFeatures ? Int32Array.from(sampleSorted(nFeatures, nCol, rng, featBuf)) : allFeatures;
      const grown = growTree(ctx, nSub, !subsampling, features, growParams);
      const single = grown.tree.feature.length === 1;
      // No split possible on all rows and features: later trees would be the same leaf (scikit-learn stops too).
      if (single && !subsampling && nCol === nFeatures) break;
      if (subsampling) predictBinned(grown, binned, raw);
      else if (it + 1 < p.max_iter) {
        // The leaves' values into the scores and the next gradients in one pass over the rows (on every thread).
        histograms.update(grown.leaves, grown.tree.value, true);
        ready = true;
      }
      trees.push(flatTreeToJSON(grown.tree));
      if (val && rawVal && yVal) {
        predictBinned(grown, val, rawVal);
        const loss = validationLoss(yVal, rawVal);
        history.push(loss);
        if (loss < best - p.tol) {
          best = loss;
          bestIter = it;
        } else if (it - bestIter >= p.n_iter_no_change) break;
      }
    }
    // Keep the trees up to the best validation iteration.
    const kept = val ? trees.slice(0, bestIter + 1) : trees;
    return {
      version: 1,
      baseline,
      learning_rate: p.learning_rate,
      n_iter: kept.length,
      trees: kept,
      validation_loss: val ? history : null,
    };
  }
}
