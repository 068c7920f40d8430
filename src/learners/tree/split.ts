/**
 * Best split of one node on one feature, over integer codes (bins of src/learners/binning).
 *
 * Rows of the node are first aggregated into "groups" (one per code present), in the
 * order a split scans them: by code for numeric features, by positive rate for
 * categorical ones (for a binary target this ordering contains the optimal partition
 * under gini or entropy; Breiman et al. 1984), regularised over many categories as
 * binning/categorical.ts says (smoothed rates, a minimum of rows per category). Missing rows are aggregated apart and
 * tried on both sides of every candidate; a final candidate sends all non-missing
 * rows left and the missing ones right.
 */
import type { CodedFeature } from "../binning/coded.js";
import { type CriterionCode, weightedImpurity } from "./criterion.js";
import { CAT_SMOOTH, MAX_CAT_THRESHOLD, MAX_CAT_TO_ONEHOT } from "../binning/categorical.js";

/** The best split found so far at a node. */
export class BestSplit {
  feature = -1;
  /** I(left) + I(right), weighted; lower is better. */
  score = Infinity;
  /** Numeric: rows with code <= cutCode go left; nextCode is the first code on the right (-1: none). */
  cutCode = -1;
  nextCode = -1;
  /** Categorical: catLeft[0..catCount) are the codes going left; catCount 0 for numeric splits. */
  catLeft: Int32Array;
  catCount = 0;
  missingLeft = false;

  constructor(maxCodes: number) {
    this.catLeft = new Int32Array(maxCodes);
  }

  reset(): void {
    this.feature = -1;
    this.score = Infinity;
    this.cutCode = -1;
    this.nextCode = -1;
    this.catCount = 0;
    this.missingLeft = false;
  }
}

/** Scratch buffers for split search, sized once per tree. */
export class SplitSearch {
  // Histograms: total weight, positive weight and row count per code (+1 for missing).
  private readonly hw: Float64Array;
  private readonly h1: Float64Array;
  private readonly hn: Int32Array;
  // Groups: the non-empty codes in scan order, with class weights and row counts.
  private gc: Int32Array;
  private g0: Float64Array;
  private g1: Float64Array;
  private gn: Int32Array;
  private gcB: Int32Array;
  private g0B: Float64Array;
  private g1B: Float64Array;
  private gnB: Int32Array;
  private readonly keys: Float64Array;
  // Sort key of each group (categorical features).
  private readonly groupKeys: Float64Array;

  /**
   * `w`: weight of each row; `wy`: weight × label (so that histograms add without
   * branching on the label, which is unpredictable).
   */
  constructor(
    private readonly features: CodedFeature[],
    private readonly w: Float64Array,
    private readonly wy: Float64Array,
    nRows: number,
    private readonly criterion: CriterionCode,
    private readonly minSamplesLeaf: number,
    private readonly minDataPerGroup: number,
  ) {
    let maxCodes = 1;
    for (const f of features) if (f.nCodes + 1 > maxCodes) maxCodes = f.nCodes + 1;
    this.hw = new Float64Array(maxCodes);
    this.h1 = new Float64Array(maxCodes);
    this.hn = new Int32Array(maxCodes);
    this.gc = new Int32Array(maxCodes);
    this.g0 = new Float64Array(maxCodes);
    this.g1 = new Float64Array(maxCodes);
    this.gn = new Int32Array(maxCodes);
    this.gcB = new Int32Array(maxCodes);
    this.g0B = new Float64Array(maxCodes);
    this.g1B = new Float64Array(maxCodes);
    this.gnB = new Int32Array(maxCodes);
    this.keys = new Float64Array(nRows);
    this.groupKeys = new Float64Array(maxCodes);
  }

  /**
   * Evaluate feature `j` on rows `idx[start..end)`; update `best` if a better split exists.
   * Returns false when the feature is constant in the node (no split possible at all).
   */
  evaluate(j: number, idx: Int32Array, start: number, end: number, best: BestSplit): boolean {
    const f = this.features[j]!;
    const codes = f.codes;
    const nc = f.nCodes;
    const w = this.w;
    const wy = this.wy;
    let m0 = 0;
    let m1 = 0;
    let mn = 0;
    let G = 0;
    const gc = this.gc;
    const g0 = this.g0;
    const g1 = this.g1;
    const gn = this.gn;
    const size = end - start;

    if (size * 4 >= nc) {
      // Histogram over codes (missing is code nc), then compact the non-empty codes,
      // zeroing them for the next call.
      const hw = this.hw;
      const h1 = this.h1;
      const hn = this.hn;
      for (let p = start; p < end; p++) {
        const r = idx[p]!;
        const c = codes[r]!;
        hw[c]! += w[r]!;
        h1[c]! += wy[r]!;
        hn[c]!++;
      }
      for (let c = 0; c < nc; c++) {
        if (hn[c] !== 0) {
          gc[G] = c;
          g1[G] = h1[c]!;
          g0[G] = hw[c]! - h1[c]!;
          gn[G] = hn[c]!;
          G++;
          hw[c] = 0;
          h1[c] = 0;
          hn[c] = 0;
        }
      }
      if (hn[nc] !== 0) {
        m1 = h1[nc]!;
        m0 = hw[nc]! - m1;
        mn = hn[nc]!;
        hw[nc] = 0;
        h1[nc] = 0;
        hn[nc] = 0;
      }
    } else {
      // Small node, many codes: sort (code, position) keys instead of scanning every code.
      const keys = this.keys;
      let k = 0;
      let mw = 0;
      for (let p = start; p < end; p++) {
        const r = idx[p]!;
        const c = codes[r]!;
        if (c === nc) {
          mw += w[r]!;
          m1 += wy[r]!;
          mn++;
        } else keys[k++] = c * size + (p - start);
      }
      m0 = mw - m1;
      const sorted = keys.subarray(0, k).sort();
      let prev = -1;
      let sw = 0;
      for (let i = 0; i < k; i++) {
        const key = sorted[i]!;
        const c = Math.floor(key / size);
        const r = idx[start + (key - c * size)]!;
        if (c !== prev) {
          if (G > 0) g0[G - 1] = sw - g1[G - 1]!;
          gc[G] = c;
          g1[G] = 0;
          gn[G] = 0;
          sw = 0;
          G++;
          prev = c;
        }
        sw += w[r]!;
        g1[G - 1]! += wy[r]!;
        gn[G - 1]!++;
      }
      if (G > 0) g0[G - 1] = sw - g1[G - 1]!;
    }

    if (G === 0 || (G === 1 && mn === 0)) return false;
    let kMax = G;
    if (f.kind === 1 && G > 1) kMax = this.orderCategories(G);
    this.scan(j, f.kind, G, kMax, m0, m1, mn, best);
    return true;
  }

  /**
   * Order the groups of a categorical feature for the prefix scan (the rule of binning/categorical.ts):
   * with at most MAX_CAT_TO_ONEHOT groups, by positive rate; else the groups with at least
   * `minDataPerGroup` rows first, by positive rate smoothed toward the node's, then the rarer ones, which
   * stay on the right. Returns the number of groups a left prefix may take.
   */
  private orderCategories(G: number): number {
    const { g0, g1, gn } = this;
    const few = G <= MAX_CAT_TO_ONEHOT;
    const minSupport = few ? 1 : this.minDataPerGroup;
    const smooth = few ? 0 : CAT_SMOOTH;
    let t0 = 0;
    let t1 = 0;
    for (let i = 0; i < G; i++) {
      t0 += g0[i]!;
      t1 += g1[i]!;
    }
    const prior = t1 / (t0 + t1);
    const keys = this.groupKeys;
    let nSupported = 0;
    for (let i = 0; i < G; i++) {
      const supported = gn[i]! >= minSupport;
      if (supported) nSupported++;
      // Rare groups sort after every supported one (key above any rate), in code order.
      keys[i] = supported ? (g1[i]! + smooth * prior) / (g0[i]! + g1[i]! + smooth) : 2;
    }
    if (nSupported === 0) return 0;
    this.orderByKey(G);
    return nSupported;
  }

  /** Reorder the groups by `groupKeys` (ties by code). */
  private orderByKey(G: number): void {
    const { gc, g0, g1, gn, groupKeys: keys } = this;
    if (G > 32) {
      this.orderByKeyLarge(G);
      return;
    }
    // Few categories (the usual case): insertion sort in place, no allocation.
    for (let i = 1; i < G; i++) {
      const c = gc[i]!;
      const a0 = g0[i]!;
      const a1 = g1[i]!;
      const an = gn[i]!;
      const key = keys[i]!;
      let k = i - 1;
      while (k >= 0) {
        const kk = keys[k]!;
        if (kk < key || (kk === key && gc[k]! < c)) break;
        gc[k + 1] = gc[k]!;
        g0[k + 1] = g0[k]!;
        g1[k + 1] = g1[k]!;
        gn[k + 1] = gn[k]!;
        keys[k + 1] = kk;
        k--;
      }
      gc[k + 1] = c;
      g0[k + 1] = a0;
      g1[k + 1] = a1;
      gn[k + 1] = an;
      keys[k + 1] = key;
    }
  }

  private orderByKeyLarge(G: number): void {
    const order: number[] = [];
    for (let i = 0; i < G; i++) order.push(i);
    const { gc, g0, g1, gn, groupKeys: keys } = this;
    order.sort((a, b) => keys[a]! - keys[b]! || gc[a]! - gc[b]!);
    for (let i = 0; i < G; i++) {
      const o = order[i]!;
      this.gcB[i] = gc[o]!;
      this.g0B[i] = g0[o]!;
      this.g1B[i] = g1[o]!;
      this.gnB[i] = gn[o]!;
    }
    // Swap buffers so the scan reads the ordered groups.
    [this.gc, this.gcB] = [this.gcB, this.gc];
    [this.g0, this.g0B] = [this.g0B, this.g0];
    [this.g1, this.g1B] = [this.g1B, this.g1];
    [this.gn, this.gnB] = [this.gnB, this.gn];
  }

  /** Scan prefixes of the ordered groups; left = groups[0..k). */
  private scan(
    j: number,
    kind: 0 | 1,
    G: number,
    kMax: number,
    m0: number,
    m1: number,
    mn: number,
    best: BestSplit,
  ): void {
    const { gc, g0, g1, gn, criterion } = this;
    const msl = this.minSamplesLeaf;
    let t0 = 0;
    let t1 = 0;
    let tn = 0;
    for (let i = 0; i < G; i++) {
      t0 += g0[i]!;
      t1 += g1[i]!;
      tn += gn[i]!;
    }
    let l0 = 0;
    let l1 = 0;
    let ln = 0;
    let bestK = -1;
    let bestMissingLeft = false;
    let bestScore = best.score;
    for (let k = 1; k <= G; k++) {
      l0 += g0[k - 1]!;
      l1 += g1[k - 1]!;
      ln += gn[k - 1]!;
      const r0 = t0 - l0;
      const r1 = t1 - l1;
      const rn = tn - ln;
      // Categorical: left is a prefix of the supported groups only (kMax of them), with at most
      // MAX_CAT_THRESHOLD groups on one side.
      if (kind === 1 && k < G && (k > kMax || (k > MAX_CAT_THRESHOLD && G - k > MAX_CAT_THRESHOLD))) continue;
      if (k < G) {
        if (mn === 0) {
          if (ln >= msl && rn >= msl) {
            const s = weightedImpurity(l0, l1, criterion) + weightedImpurity(r0, r1, criterion);
            if (s < bestScore) {
              bestScore = s;
              bestK = k;
              // No missing rows here: at prediction, missing follows the heavier child.
              bestMissingLeft = l0 + l1 >= r0 + r1;
            }
          }
        } else {
          if (ln + mn >= msl && rn >= msl) {
            const s = weightedImpurity(l0 + m0, l1 + m1, criterion) + weightedImpurity(r0, r1, criterion);
            if (s < bestScore) {
              bestScore = s;
              bestK = k;
              bestMissingLeft = true;
            }
          }
          if (ln >= msl && rn + mn >= msl) {
            const s = weightedImpurity(l0, l1, criterion) + weightedImpurity(r0 + m0, r1 + m1, criterion);
            if (s < bestScore) {
              bestScore = s;
              bestK = k;
              bestMissingLeft = false;
            }
          }
        }
      } else if (mn > 0 && ln >= msl && mn >= msl) {
        // Missing alone on the right, everything else on the left.
        const s = weightedImpurity(l0, l1, criterion) + weightedImpurity(m0, m1, criterion);
        if (s < bestScore) {
          bestScore = s;
          bestK = k;
          bestMissingLeft = false;
        }
      }
    }
    if (bestK < 0) return;
    best.feature = j;
    best.score = bestScore;
    best.missingLeft = bestMissingLeft;
    if (kind === 0) {
      best.cutCode = gc[bestK - 1]!;
      best.nextCode = bestK < G ? gc[bestK]! : -1;
      best.catCount = 0;
    } else {
      best.cutCode = -1;
      best.nextCode = -1;
      best.catLeft.set(gc.subarray(0, bestK));
      best.catCount = bestK;
    }
  }
}
