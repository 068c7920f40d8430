/**
 * Growing tree `t` of a random forest. Everything random about tree `t` (its bootstrap
 * sample and its feature draws) comes from an Rng derived from (seed, t) alone, so a
 * forest is the same whichever thread grows which tree.
 */
import type { FlatTree, Matrix } from "../../core/types.js";
import { leafIndex } from "../../core/flat-tree.js";
import { Rng } from "../../utils/random.js";
import type { CodedFeature } from "../binning/coded.js";
import { type GrowOptions, growCartTree } from "../tree/grower.js";

/** Everything needed to grow any tree of the forest (sent once to each worker). */
export interface ForestJob {
  features: CodedFeature[];
  y: Uint8Array;
  /** Class weight of each row. */
  weight: Float64Array;
  nRows: number;
  opts: GrowOptions;
  seed: number;
  bootstrap: boolean;
}

/**
 * Out-of-bag accumulators of one thread. Leaf probabilities are added as integers in
 * units of 2^-32 (exact in a double up to 2^21 trees), so the totals do not depend on
 * the order trees are added in, nor on how they are split between threads.
 */
export interface OobSums {
  sum: Float64Array;
  count: Int32Array;
}

/** The integer unit of the out-of-bag sums: a leaf probability p is added as round(p · 2^32). */
export const OOB_SCALE = 2 ** 32;

/** Zeroed out-of-bag accumulators for `n` rows (0 rows when the forest does not bootstrap). */
export function newOobSums(n: number): OobSums {
  return { sum: new Float64Array(n), count: new Int32Array(n) };
}

/** The Rng of tree `t`: a hash of (seed, t), independent of thread assignment. */
export function treeRng(seed: number, t: number): Rng {
  let h = Math.imul((seed | 0) ^ 0x27d4eb2d, 0x9e3779b1) ^ Math.imul(t + 1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return new Rng((h ^ (h >>> 16)) | 0);
}

/** How many times each row is drawn in a bootstrap sample of size n (the first n draws of `rng`). */
export function bootstrapCounts(rng: Rng, n: number): Int32Array {
  const counts = new Int32Array(n);
  for (let i = 0; i < n; i++) counts[rng.int(n)]!++;
  return counts;
}

/**
 * Grow tree `t`. With bootstrap and `oob` given, also score the rows the tree did not see
 * (routing their raw values in `X`, exactly as prediction does) into `oob`.
 */
export function growForestTree(job: ForestJob, t: number, X?: Matrix, oob?: OobSums): FlatTree {
  const rng = treeRng(job.seed, t);
  const n = job.nRows;
  if (!job.bootstrap) {
    const rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[i] = i;
    return growCartTree(job.features, job.y, job.weight, rows, job.opts, rng);
  }
  // As scikit-learn: drawn rows carry weight × draw count; undrawn rows are left out.
  const counts = bootstrapCounts(rng, n);
  const w = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (counts[i]! > 0) m++;
  const rows = new Int32Array(m);
  m = 0;
  for (let i = 0; i < n; i++) {
    if (counts[i]! > 0) {
      rows[m++] = i;
      w[i] = job.weight[i]! * counts[i]!;
    }
  }
  const tree = growCartTree(job.features, job.y, w, rows, job.opts, rng);
  if (X && oob) {
    for (let r = 0; r < n; r++) {
      if (counts[r] === 0) {
        oob.sum[r]! += Math.round(tree.value[leafIndex(tree, X, r)]! * OOB_SCALE);
        oob.count[r]!++;
      }
    }
  }
  return tree;
}
