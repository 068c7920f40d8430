/**
 * The estimator contract every model family follows (after scikit-learn's):
 * hyperparameters go in the constructor, `fit` learns, and the learned state is a
 * separate, JSON-serialisable value that `fromState` turns back into a predictor.
 */

/** How a model column is encoded in a {@link Matrix}. */
export type FeatureKind = "numeric" | "categorical";

/** One column of a design matrix. */
export interface FeatureInfo {
  /** Name of the model column, e.g. `tenure` or `Contract=Two year` after one-hot encoding. */
  name: string;
  /**
   * `numeric`: real values, `NaN` means missing.
   * `categorical`: integer codes `0 .. nCategories-1` stored as doubles, `NaN` means missing or unseen.
   */
  kind: FeatureKind;
  /** Number of category codes; only for `categorical`. */
  nCategories?: number;
  /** The original input column this model column comes from (one-hot and derived features fold back to it). */
  source: string;
}

/**
 * A column-major design matrix. Column `j` holds `nRows` values; column-major because
 * binning, histograms and split search all walk one feature at a time.
 */
export interface Matrix {
  /** Number of rows. */
  nRows: number;
  /** What each column is, in column order. */
  features: FeatureInfo[];
  /** The values, one array of `nRows` per feature. */
  columns: Float64Array[];
}

/** Extra information `fit` may use. */
export interface FitContext {
  /** Seed for every random choice the family makes. Same seed, same data → byte-identical state. Default 0. */
  seed?: number;
  /** Held-out rows for early stopping (gbdt). Optional. */
  validation?: {
    /** The held-out rows, encoded like the training rows. */
    X: Matrix;
    /** Their 0/1 labels. */
    y: Uint8Array;
    /** Their durations, for the survival task (see {@link FitContext.duration}). */
    duration?: Float64Array;
  };
  /** Worker threads the family may use; 1 disables workers. Default: min(2, available cores). */
  threads?: number;
  /**
   * Set for the survival task (0.13): each training row's duration (e.g. months of tenure, ≥ 0). Then `y` is the
   * event (1: churned at that duration; 0: still a customer, censored there), `validation.y` likewise with
   * `validation.duration`, and the fitted model's `predictRaw` is the log relative hazard (higher: leaves sooner).
   * Only families whose `tasks` include "survival" are given it.
   */
  duration?: Float64Array;
}

/** What a model predicts: whether a customer churns (classification) or when (survival, with a duration column). */
export type Task = "classification" | "survival";

/** A fitted binary classifier. */
export interface Classifier<S = unknown> {
  /** Model family name as in the CLI (`logreg`, `tree`, `forest`, `gbdt`). */
  readonly family: string;
  /** Raw score (log-odds) of the positive class, one per row. */
  predictRaw(X: Matrix): Float64Array;
  /** Probability of the positive class, one per row. */
  predictProba(X: Matrix): Float64Array;
  /** The learned state, plain JSON (numbers, strings, arrays, objects). */
  state(): S;
}

/** An unfitted estimator: hyperparameters only, until `fit`. */
export interface Estimator<P, S> {
  /** Model family name as in the CLI (`logreg`, `tree`, `forest`, `gbdt`). */
  readonly family: string;
  /** The checked hyperparameters, every default filled in. */
  readonly params: P;
  /**
   * Learn from the rows of `X` and their 0/1 labels `y`; returns the fitted classifier (a promise when the
   * family grows trees on worker threads).
   */
  fit(X: Matrix, y: Uint8Array, ctx?: FitContext): Promise<Classifier<S>> | Classifier<S>;
}

/** How a family wants its input encoded by the preprocessing step. */
export interface EncodingNeeds {
  /** Fill missing values (median / most frequent). Families with native missing support say false. */
  impute: boolean;
  /** One-hot encode categoricals; false means pass category codes (`kind: "categorical"`). */
  oneHot: boolean;
  /** Standardise numeric columns to zero mean and unit variance. */
  standardize: boolean;
}

/**
 * A flat decision tree: node `i` is described by the i-th entry of every array.
 * Node 0 is the root. Used by `tree`, `forest` and `gbdt` for prediction and by TreeSHAP.
 *
 * Routing a row at an internal node `i` with feature value `x = X[feature[i]]`:
 * - `x` is NaN (missing, or an unseen category): go left if `missingLeft[i] === 1`, else right;
 * - numeric split (`catLeft[i] === null`): go left if `x <= threshold[i]`;
 * - categorical split: go left if the code `x` is in `catLeft[i]`.
 */
export interface FlatTree {
  /** Feature index of the split, or -1 for a leaf. */
  feature: Int32Array;
  /** Numeric threshold (left if value <= threshold); 0 for leaves and categorical splits. */
  threshold: Float64Array;
  /** Sorted category codes that go left, for categorical splits; null otherwise. */
  catLeft: (Int32Array | null)[];
  /** 1 if missing values go left, 0 if right. */
  missingLeft: Uint8Array;
  /** Index of the left child; -1 for leaves. */
  left: Int32Array;
  /** Index of the right child; -1 for leaves. */
  right: Int32Array;
  /** Leaf output: probability of the positive class (tree, forest) or raw log-odds score (gbdt). */
  value: Float64Array;
  /** Training rows that reached the node (weighted count where sample weights apply). TreeSHAP cover. */
  count: Float64Array;
  /** Sum of hessians of the training rows that reached the node (gbdt); equals `count` for CART trees. */
  hessian: Float64Array;
  /** Split gain (impurity decrease or loss reduction) at internal nodes, 0 at leaves; for gain importance. */
  gain: Float64Array;
}

/** JSON form of a {@link FlatTree}: the same fields as plain arrays. */
export interface FlatTreeJSON {
  /** See {@link FlatTree.feature}. */
  feature: number[];
  /** See {@link FlatTree.threshold}. */
  threshold: number[];
  /** See {@link FlatTree.catLeft}. */
  catLeft: (number[] | null)[];
  /** See {@link FlatTree.missingLeft}. */
  missingLeft: number[];
  /** See {@link FlatTree.left}. */
  left: number[];
  /** See {@link FlatTree.right}. */
  right: number[];
  /** See {@link FlatTree.value}. */
  value: number[];
  /** See {@link FlatTree.count}. */
  count: number[];
  /** See {@link FlatTree.hessian}. */
  hessian: number[];
  /** See {@link FlatTree.gain}. */
  gain: number[];
}

/** The logistic function 1 / (1 + e^−z), computed without overflow for large |z|: log-odds to probability. */
export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Clip a probability to [1e-15, 1 − 1e-15] and take its log-odds (the inverse of `sigmoid`). */
export function probaToLogit(p: number): number {
  const q = p < 1e-15 ? 1e-15 : p > 1 - 1e-15 ? 1 - 1e-15 : p;
  return Math.log(q / (1 - q));
}

/** Log-odds of probabilities, in place: the raw score of models that predict probabilities (tree, forest). */
export function probaToRawInPlace(p: Float64Array): Float64Array {
  for (let i = 0; i < p.length; i++) p[i] = probaToLogit(p[i]!);
  return p;
}

/** Map raw scores to probabilities. */
export function rawToProba(raw: Float64Array): Float64Array {
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = sigmoid(raw[i]!);
  return out;
}
