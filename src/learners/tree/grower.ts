/**
 * Grows one CART classification tree, depth first, into a {@link FlatTree}.
 * Rows of a node are a contiguous range of one index array, partitioned in place
 * after each split (as scikit-learn's builder does), so no per-node allocation.
 */
import type { FlatTree } from "../../core/types.js";
import { FlatTreeBuilder } from "../../core/flat-tree.js";
import type { Rng } from "../../utils/random.js";
import { leftCodes } from "../binning/categorical.js";
import { type CodedFeature, splitThreshold } from "../binning/coded.js";
import { type CriterionCode, weightedImpurity } from "./criterion.js";
import { BestSplit, SplitSearch } from "./split.js";

/** The stopping and sampling rules for growing one CART tree (from the `tree` / `forest` hyperparameters). */
export interface GrowOptions {
  /** Impurity measure of splits. */
  criterion: CriterionCode;
  /** Maximum depth (root = 0); Infinity for none. */
  maxDepth: number;
  /** A node with fewer rows is not split. */
  minSamplesSplit: number;
  /** Each child keeps at least this many rows. */
  minSamplesLeaf: number;
  /** Categorical splits over many categories use those with at least this many rows (binning/categorical.ts). */
  minDataPerGroup: number;
  /** Features to visit per node, as scikit-learn's max_features (more if all visited ones are constant). */
  maxFeatures: number;
}

/**
 * Grow a tree on rows `rows` (permuted in place) with per-row weights `w`
 * (class weight × bootstrap count; rows of weight 0 should simply be left out).
 * `rng` orders the feature draws (ties between equally good splits go to the first drawn).
 */
export function growCartTree(
  features: CodedFeature[],
  y: Uint8Array,
  w: Float64Array,
  rows: Int32Array,
  opt: GrowOptions,
  rng: Rng,
): FlatTree {
  const nF = features.length;
  // Weight × label per row, for branch-free sums (see SplitSearch).
  const wy = new Float64Array(w.length);
  for (let p = 0; p < rows.length; p++) {
    const r = rows[p]!;
    if (y[r] === 1) wy[r] = w[r]!;
  }
  const search = new SplitSearch(features, w, wy, rows.length, opt.criterion, opt.minSamplesLeaf, opt.minDataPerGroup);
  const best = new BestSplit(features.reduce((m, f) => Math.max(m, f.nCodes), 1));
  const builder = new FlatTreeBuilder();
  const featOrder = new Int32Array(nF);
  for (let j = 0; j < nF; j++) featOrder[j] = j;
  // featOrder[0..nConst) of a node: features constant in its parent (see below); constFeat keeps their order.
  const constFeat = new Int32Array(nF);
  const catMask = new Uint8Array(features.reduce((m, f) => Math.max(m, f.kind === 1 ? f.nCodes : 0), 0));

  // Stack of [node, start, end, depth, nConst]; nodes are appended when their parent splits.
  const stack: number[] = [builder.addNode(0, 0, 0), 0, rows.length, 0, 0];
  while (stack.length) {
    const nConst = stack.pop()!;
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const node = stack.pop()!;

    let wn = 0;
    let w1 = 0;
    for (let p = start; p < end; p++) {
      const r = rows[p]!;
      wn += w[r]!;
      w1 += wy[r]!;
    }
    const w0 = wn - w1;
    builder.value[node] = wn > 0 ? w1 / wn : 0;
    builder.count[node] = wn;
    builder.hessian[node] = wn;

    const n = end - start;
    if (depth >= opt.maxDepth || n < opt.minSamplesSplit || n < 2 * opt.minSamplesLeaf || w0 === 0 || w1 === 0)
      continue;

    best.reset();
    // Feature draws as scikit-learn's best splitter: features known to be constant in the
    // parent sit in featOrder[0..nKnown) and are skipped cheaply; at least maxFeatures
    // features are visited (constant ones count) and at least one non-constant one.
    const nKnown = nConst;
    let nDrawn = 0;
    let nFound = 0;
    let nTotal = nKnown;
    let fi = nF;
    let visited = 0;
    while (fi > nTotal && (visited < opt.maxFeatures || visited <= nFound + nDrawn)) {
      visited++;
      let fj = nDrawn + rng.int(fi - nFound - nDrawn);
      if (fj < nKnown) {
        const tmp = featOrder[nDrawn]!;
        featOrder[nDrawn] = featOrder[fj]!;
        featOrder[fj] = tmp;
        nDrawn++;
        continue;
      }
      fj += nFound;
      const j = featOrder[fj]!;
      if (!search.evaluate(j, rows, start, end, best)) {
        featOrder[fj] = featOrder[nTotal]!;
        featOrder[nTotal] = j;
        nFound++;
        nTotal++;
        continue;
      }
      fi--;
      featOrder[fj] = featOrder[fi]!;
      featOrder[fi] = j;
    }
    // Children rely on featOrder[0..nKnown) being the parent's constants in their original order.
    for (let q = 0; q < nKnown; q++) featOrder[q] = constFeat[q]!;
    for (let q = nKnown; q < nTotal; q++) constFeat[q] = featOrder[q]!;
    if (best.feature < 0) continue;

    // Partition rows: left ones to the front of the range.
    const f = features[best.feature]!;
    const codes = f.codes;
    const missingLeft = best.missingLeft;
    const isCat = best.catCount > 0;
    const catLeft = isCat ? Array.from(best.catLeft.subarray(0, best.catCount)) : null;
    if (catLeft) for (const c of catLeft) catMask[c] = 1;
    const cut = best.cutCode;
    const missingCode = f.nCodes;
    let i = start;
    let k = end - 1;
    while (i <= k) {
      const c = codes[rows[i]!]!;
      const left = c === missingCode ? missingLeft : isCat ? catMask[c] === 1 : c <= cut;
      if (left) i++;
      else {
        const tmp = rows[i]!;
        rows[i] = rows[k]!;
        rows[k] = tmp;
        k--;
      }
    }
    if (catLeft) for (const c of catLeft) catMask[c] = 0;

    const threshold = isCat ? 0 : best.nextCode < 0 ? Number.MAX_VALUE : splitThreshold(f, cut, best.nextCode);
    const gain = Math.max(0, weightedImpurity(w0, w1, opt.criterion) - best.score);
    const l = builder.addNode(0, 0, 0);
    const r = builder.addNode(0, 0, 0);
    // Bins to category codes (rare categories may share a bin; unseen ones follow missing values).
    const catCodes = catLeft ? leftCodes(f, catLeft, missingLeft) : null;
    builder.split(node, best.feature, threshold, catCodes, missingLeft, l, r, gain);
    // Right pushed first so the left subtree is grown first.
    stack.push(r, i, end, depth + 1, nTotal, l, start, i, depth + 1, nTotal);
  }
  return builder.finish();
}
