/**
 * Per-row explanations of a tree ensemble, raw = base + Σ_t scale_t · tree_t(x), with exact
 * path-dependent TreeSHAP values per tree, summed. Trees whose per-leaf tables fit (fastshap.ts;
 * depth-6 gbdt trees always do) use them; deeper trees run Algorithm 2 (treeshap.ts). Both give
 * the same values to rounding. Rows go through in blocks, tree by tree, so a tree's tables stay
 * in cache across the block.
 *
 * Output space. churnkit reports explanations in log-odds. gbdt trees already add up in log-odds
 * (`space: "raw"`). A CART tree outputs a probability and a forest averages probabilities
 * (`space: "probability"`): their Shapley values are exact in probability space, then mapped to
 * log-odds as follows. With p0 the base value and p the prediction (both probabilities),
 * D = logit(p) − logit(p0); every contribution is multiplied by D / (p − p0) (all 0 when
 * p = p0) and the base value reported is logit(p0). This keeps the signs and the proportions of
 * the exact Shapley values and makes base_value + Σ contributions = log(p / (1 − p)) exactly, the
 * model's own raw score. The divisor used is the computed Σ contributions, which equals p − p0 up
 * to rounding, so additivity holds to rounding even when p is very close to p0. Probabilities are
 * clipped to [1e-15, 1 − 1e-15] before the logit, as the models' predictRaw does.
 */
import type { FlatTree, Matrix } from "../core/types.js";
import { leafOfVector, treeShape } from "../core/flat-tree.js";
import { probaToLogit } from "../core/types.js";
import { compileFastTree, fastShapInto } from "./fastshap.js";
import type { FastTree } from "./fastshap.js";
import { coverOf, treeExpectedValue, treeShapInto, TreeShapWorkspace } from "./treeshap.js";
import type { CoverKind } from "./treeshap.js";

/** A tree ensemble whose raw output is `base + Σ_t scale[t] · trees[t](x)`. */
export interface TreeEnsemble {
  /** The trees, in model order. */
  trees: FlatTree[];
  /** Multiplier of each tree's output (gbdt: 1; forest: 1 / number of trees; single tree: 1). */
  scale: number[];
  /** Constant added to the weighted sum (gbdt: the baseline log-odds; forest and tree: 0). */
  base: number;
}

/** `raw`: the ensemble's output is a log-odds score (gbdt). `probability`: it is a probability (tree, forest). */
export type OutputSpace = "raw" | "probability";

/** Options of {@link prepareEnsemble}. */
export interface EnsembleExplainOptions {
  /** Node statistic used as TreeSHAP cover. Default `count`. */
  cover?: CoverKind;
  /** Space the ensemble's output lives in. Default `raw`. */
  space?: OutputSpace;
  /**
   * `auto` (default): per-leaf tables (fastshap.ts) for the trees that fit `tableBudget`, the
   * recursive Algorithm 2 for the others. `recursive`: Algorithm 2 for every tree. Same values.
   */
  algorithm?: "auto" | "recursive";
  /** Most table entries (8 bytes each) for the whole ensemble. Default 2^22 (32 MiB). */
  tableBudget?: number;
}

/** An ensemble ready to explain many rows: expected values computed once, buffers preallocated. */
export interface PreparedEnsemble {
  readonly ensemble: TreeEnsemble;
  /** Number of matrix columns the trees index (length of every contribution vector). */
  readonly nFeatures: number;
  readonly space: OutputSpace;
  /** Per-tree cover arrays. */
  readonly covers: Float64Array[];
  /** base + Σ scale_t · E[tree_t], in the ensemble's own space. */
  readonly expectedValue: number;
  /** Reported base value: `expectedValue` (raw) or logit(expectedValue) (probability). */
  readonly baseValue: number;
  /** Per tree: its compiled tables, or null where Algorithm 2 runs. */
  readonly fast: (FastTree | null)[];
  /** TreeSHAP path buffers, sized for the deepest tree. */
  readonly ws: TreeShapWorkspace;
  /** One row's values and one row's contributions, reused by Algorithm 2. */
  readonly xrow: Float64Array;
  readonly tmp: Float64Array;
  /** A block of rows' values, row-major, reused. */
  readonly xblock: Float64Array;
  /** Scratch prediction of a single row. */
  readonly pred1: Float64Array;
}

/** Explanation of one row, in log-odds. */
export interface RowExplanation {
  /** Expected log-odds with nothing known about the row (same for every row). */
  baseValue: number;
  /** The model's log-odds for the row; baseValue + Σ contributions = prediction. */
  prediction: number;
  /** One contribution per matrix column, in log-odds. */
  contributions: Float64Array;
}

/** Explanations of many rows, in log-odds. */
export interface BatchExplanation {
  /** Rows explained. */
  nRows: number;
  /** Contributions per row (matrix columns). */
  nFeatures: number;
  /** Expected log-odds with nothing known (same for every row). */
  baseValue: number;
  /** The model's log-odds, one per row. */
  predictions: Float64Array;
  /** Row-major `nRows × nFeatures`: contribution of column j to row i at `i * nFeatures + j`. */
  contributions: Float64Array;
}

/** Compute per-tree expected values and allocate buffers once for an ensemble. */
export function prepareEnsemble(
  ensemble: TreeEnsemble,
  nFeatures: number,
  opts: EnsembleExplainOptions = {},
): PreparedEnsemble {
  const { trees, scale, base } = ensemble;
  if (scale.length !== trees.length)
    throw new Error(`explain: ${trees.length} trees but ${scale.length} scale factors`);
  const cover = opts.cover ?? "count";
  const space = opts.space ?? "raw";
  let expectedValue = base;
  let depth = 0;
  for (let t = 0; t < trees.length; t++) {
    expectedValue += scale[t]! * treeExpectedValue(trees[t]!, cover);
    depth = Math.max(depth, treeShape(trees[t]!).depth);
  }
  const covers = trees.map((t) => coverOf(t, cover));
  let budget = opts.tableBudget ?? 1 << 22;
  const fast = trees.map((t, k) => {
    if (opts.algorithm === "recursive") return null;
    const ft = compileFastTree(t, covers[k]!, scale[k]!, budget);
    if (ft) budget -= ft.size;
    return ft;
  });
  return {
    ensemble,
    nFeatures,
    space,
    covers,
    fast,
    expectedValue,
    baseValue: space === "probability" ? probaToLogit(expectedValue) : expectedValue,
    ws: new TreeShapWorkspace(depth),
    xrow: new Float64Array(nFeatures),
    tmp: new Float64Array(nFeatures),
    xblock: new Float64Array(BLOCK * nFeatures),
    pred1: new Float64Array(1),
  };
}

/** Rows explained together: each tree's tables stay in cache while it explains a whole block. */
const BLOCK = 64;

/**
 * Explain rows `xb[i·nf ..]` (i < bn, row-major values) into `phi[phiOff + i·nf ..]` (must be
 * zero) and their log-odds into `pred[predOff + i]`. Loops tree by tree, then row by row.
 */
function explainBlock(
  pe: PreparedEnsemble,
  xb: Float64Array,
  bn: number,
  phi: Float64Array,
  phiOff: number,
  pred: Float64Array,
  predOff: number,
): void {
  const { trees, scale, base } = pe.ensemble;
  const nf = pe.nFeatures;
  const { xrow, tmp } = pe;
  for (let i = 0; i < bn; i++) pred[predOff + i] = base;
  for (let k = 0; k < trees.length; k++) {
    const t = trees[k]!;
    const ft = pe.fast[k];
    const sk = scale[k]!;
    for (let i = 0; i < bn; i++) {
      let leaf: number;
      if (ft) leaf = fastShapInto(ft, xb, i * nf, phi, phiOff + i * nf);
      else {
        for (let j = 0; j < nf; j++) xrow[j] = xb[i * nf + j]!;
        tmp.fill(0);
        treeShapInto(t, pe.covers[k]!, xrow, tmp, sk, pe.ws);
        for (let j = 0; j < nf; j++) phi[phiOff + i * nf + j]! += tmp[j]!;
        leaf = leafOfVector(t, xrow);
      }
      pred[predOff + i]! += sk * t.value[leaf]!;
    }
  }
  if (pe.space === "raw") return;
  for (let i = 0; i < bn; i++) {
    const o = phiOff + i * nf;
    pred[predOff + i] = toLogOdds(phi.subarray(o, o + nf), pe.expectedValue, pred[predOff + i]!);
  }
}

/** Copy row `r` of `X` into `xb[off ..]`. */
function gatherRow(X: Matrix, r: number, xb: Float64Array, off: number): void {
  if (!(r >= 0 && r < X.nRows && Number.isInteger(r)))
    throw new Error(`explain: row ${r} is out of range (the data has ${X.nRows} rows)`);
  const cols = X.columns;
  for (let j = 0; j < cols.length; j++) xb[off + j] = cols[j]![r]!;
}

function checkColumns(pe: PreparedEnsemble, X: Matrix): void {
  if (X.columns.length !== pe.nFeatures)
    throw new Error(`explain: model expects ${pe.nFeatures} columns, got ${X.columns.length}`);
}

/** Explain row `r` of `X` into `phi` (length `nFeatures`, overwritten) and return the row's log-odds. */
export function explainRowInto(pe: PreparedEnsemble, X: Matrix, r: number, phi: Float64Array): number {
  checkColumns(pe, X);
  gatherRow(X, r, pe.xblock, 0);
  phi.fill(0);
  const pred = pe.pred1;
  explainBlock(pe, pe.xblock, 1, phi, 0, pred, 0);
  return pred[0]!;
}

/**
 * Map probability-space contributions `phi` (base `p0`, prediction `p`) to log-odds in place;
 * returns logit(p). See the module comment for why this mapping.
 */
export function toLogOdds(phi: Float64Array, p0: number, p: number): number {
  const lp = probaToLogit(p);
  const gap = lp - probaToLogit(p0);
  let sum = 0;
  for (let j = 0; j < phi.length; j++) sum += phi[j]!;
  const denom = sum !== 0 ? sum : p - p0;
  if (p === p0 || gap === 0 || denom === 0) {
    phi.fill(0);
    return lp;
  }
  const k = gap / denom;
  for (let j = 0; j < phi.length; j++) phi[j] = phi[j]! * k;
  return lp;
}

/** Explain one row (allocates its contribution vector). */
export function explainRow(pe: PreparedEnsemble, X: Matrix, r: number): RowExplanation {
  const contributions = new Float64Array(pe.nFeatures);
  const prediction = explainRowInto(pe, X, r, contributions);
  return { baseValue: pe.baseValue, prediction, contributions };
}

/** Explain the given rows of `X` (default: every row), in order. */
export function explainRows(pe: PreparedEnsemble, X: Matrix, rows?: ArrayLike<number>): BatchExplanation {
  checkColumns(pe, X);
  const n = rows ? rows.length : X.nRows;
  const nf = pe.nFeatures;
  const contributions = new Float64Array(n * nf);
  const predictions = new Float64Array(n);
  const xb = pe.xblock;
  for (let b0 = 0; b0 < n; b0 += BLOCK) {
    const bn = Math.min(BLOCK, n - b0);
    for (let i = 0; i < bn; i++) gatherRow(X, rows ? rows[b0 + i]! : b0 + i, xb, i * nf);
    explainBlock(pe, xb, bn, contributions, b0 * nf, predictions, b0);
  }
  return { nRows: n, nFeatures: nf, baseValue: pe.baseValue, predictions, contributions };
}

/** Ensemble of a gbdt model (leaf values already include the learning rate): explained in raw space. */
export function gbdtEnsemble(trees: FlatTree[], baseline: number): TreeEnsemble {
  return { trees, scale: trees.map(() => 1), base: baseline };
}

/** Ensemble of a random forest (mean of leaf probabilities): explain with `space: "probability"`. */
export function forestEnsemble(trees: FlatTree[]): TreeEnsemble {
  return { trees, scale: trees.map(() => 1 / trees.length), base: 0 };
}

/** Ensemble of a single CART tree (leaf probability): explain with `space: "probability"`. */
export function cartEnsemble(tree: FlatTree): TreeEnsemble {
  return { trees: [tree], scale: [1], base: 0 };
}
