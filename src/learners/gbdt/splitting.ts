/**
 * Best split of a node from its histogram, after scikit-learn's `_hist_gradient_boosting/splitting.pyx`.
 *
 * Gain of a split (second-order, XGBoost eq. 7, without the 1/2 factor, as scikit-learn):
 *   gain = G_L² / (H_L + λ) + G_R² / (H_R + λ) − G² / (H + λ)
 * and a node's Newton step (leaf value before shrinkage) is −G / (H + λ).
 * A split is valid when each child has at least `minSamplesLeaf` rows and `minChildWeight`
 * hessian, and its gain is > 0. Ties keep the first found (features in ascending order).
 *
 * Numeric features: scan thresholds "bins 0..b go left" once with missing values sent right
 * (including "all values left, missing right") and, if the node has missing values, once
 * with them sent left; the direction that wins is stored. With no missing value at the node,
 * missing values (at prediction) follow the child with more training rows.
 *
 * Categorical features (LightGBM / scikit-learn; the rule of binning/categorical.ts): categories (and
 * missing, as one more category) with support `h * N / H >= s` are sorted by G / (H + 10) and the split
 * is a prefix or a suffix of that order (each at most half of them, and at most MAX_CAT_THRESHOLD).
 * `s` is `minDataPerGroup` when more than MAX_CAT_TO_ONEHOT categories have rows at the node, else
 * scikit-learn's 10. Low-support categories go right.
 */
import { histogramCounts, type HistogramLayout } from "./histogram.js";
import { CAT_SMOOTH, MAX_CAT_THRESHOLD, MAX_CAT_TO_ONEHOT } from "../binning/categorical.js";
import type { SplitKernel } from "./split-kernel.js";

/** Minimum support of a category when a node has few (scikit-learn's MIN_CAT_SUPPORT). */
export const MIN_CAT_SUPPORT = 10;

/** Regularisation and size limits applied to every split. */
export interface SplitConstraints {
  /** L2 regularisation λ on leaf values. */
  l2: number;
  /** Minimum training rows in each child. */
  minSamplesLeaf: number;
  /** Minimum sum of hessians in each child. */
  minChildWeight: number;
  /** Categorical splits over many categories use those with at least this support (binning/categorical.ts). */
  minDataPerGroup: number;
}

/** The chosen split of a node, with the sums of both children. */
export interface SplitInfo {
  /** Loss reduction (formula above), > 0. */
  gain: number;
  /** Feature index of the split. */
  feature: number;
  /** Numeric: non-missing bins `0..bin` go left. Unused (−1) for categorical. */
  bin: number;
  /** Whether missing values (the missing bin) go left. */
  missingLeft: boolean;
  /** Categorical: the value bins that go left, ascending; null for numeric splits. */
  leftBins: number[] | null;
  /** Sums of gradients, hessians and row counts of the left and right children. */
  gLeft: number;
  hLeft: number;
  nLeft: number;
  gRight: number;
  hRight: number;
  nRight: number;
}

/** Newton step of a node: −G / (H + λ). */
export function nodeValue(g: number, h: number, l2: number): number {
  return -g / (h + l2 + 1e-15);
}

/** The gain formula above; `parentScore` is G² / (H + λ). */
export function splitGain(gl: number, hl: number, gr: number, hr: number, parentScore: number, l2: number): number {
  return (gl * gl) / (hl + l2 + 1e-15) + (gr * gr) / (hr + l2 + 1e-15) - parentScore;
}

/**
 * The best split so far of one node's scan, in place (a scan improves it many times; one object per node instead
 * of one per improvement). `gain` starts at 0, so "better than the best so far" is also "gain > 0".
 */
class Best {
  found = false;
  gain = 0;
  feature = -1;
  bin = -1;
  missingLeft = false;
  leftBins: number[] | null = null;
  gl = 0;
  hl = 0;
  nl = 0;
}

function record(
  best: Best,
  gain: number,
  feature: number,
  bin: number,
  missingLeft: boolean,
  leftBins: number[] | null,
  gl: number,
  hl: number,
  nl: number,
): void {
  best.found = true;
  best.gain = gain;
  best.feature = feature;
  best.bin = bin;
  best.missingLeft = missingLeft;
  best.leftBins = leftBins;
  best.gl = gl;
  best.hl = hl;
  best.nl = nl;
}

function scanNumeric(
  hist: Float64Array,
  cnt: Int32Array,
  off: number,
  nb: number,
  j: number,
  G: number,
  H: number,
  N: number,
  parentScore: number,
  c: SplitConstraints,
  best: Best,
): void {
  const nMissing = cnt[off + nb]!;
  const { l2, minSamplesLeaf, minChildWeight } = c;
  let bestGain = best.gain;
  // Missing right: left = bins 0..b; b = nb-1 ("split on missing") only when there are missing values.
  // A bin with no rows and zero sums leaves gl, hl, nl and so the gain as they were for the bin before, which
  // was already scanned (or, for bin 0, is below minSamplesLeaf >= 1): skipping it changes nothing.
  let gl = 0;
  let hl = 0;
  let nl = 0;
  const last = nMissing > 0 ? nb - 1 : nb - 2;
  for (let b = 0; b <= last; b++) {
    const t = off + b;
    const n = cnt[t]!;
    const g = hist[2 * t]!;
    const h = hist[2 * t + 1]!;
    gl += g;
    hl += h;
    nl += n;
    const nr = N - nl;
    const hr = H - hl;
    if (nl < minSamplesLeaf || hl < minChildWeight) continue;
    if (nr < minSamplesLeaf || hr < minChildWeight) break;
    const gain = splitGain(gl, hl, G - gl, hr, parentScore, l2);
    if (gain > bestGain) {
      bestGain = gain;
      // No missing at this node: missing values will follow the bigger child.
      record(best, gain, j, b, nMissing > 0 ? false : nl >= nr, null, gl, hl, nl);
    }
  }
  if (nMissing === 0) return;
  // Missing left: right = bins b+1..nb-1, scanned from the top as scikit-learn does (empty bins skipped as above).
  let gr = 0;
  let hr = 0;
  let nr = 0;
  for (let b = nb - 2; b >= 0; b--) {
    const t = off + b + 1;
    const n = cnt[t]!;
    const g = hist[2 * t]!;
    const h = hist[2 * t + 1]!;
    gr += g;
    hr += h;
    nr += n;
    const nl2 = N - nr;
    const hl2 = H - hr;
    if (nr < minSamplesLeaf || hr < minChildWeight) continue;
    if (nl2 < minSamplesLeaf || hl2 < minChildWeight) break;
    const gain = splitGain(G - gr, hl2, gr, hr, parentScore, l2);
    if (gain > bestGain) {
      bestGain = gain;
      record(best, gain, j, b, true, null, G - gr, hl2, nl2);
    }
  }
}

/**
 * Scratch buffers of split finding, owned by one grower (one per fit), so that two fits can find splits
 * at the same time (in workers or interleaved) without sharing state; no allocation per node.
 */
export class SplitScratch {
  /** Categorical scan: candidate bins (at most 255 value bins + missing). */
  readonly catBins = new Int32Array(256);
  /** Categorical scan: each candidate's sort key. */
  readonly catKeys = new Float64Array(256);
  /** The fit's scan kernel (split-kernel.ts): numeric features of a histogram in its memory are scanned by it. */
  constructor(readonly kernel: SplitKernel | null = null) {}
}

/** Sort `catBins[0..m)` by `catKeys` (ties: lower bin first). Insertion sort: m is usually tiny. */
function sortCandidates(m: number, { catBins, catKeys }: SplitScratch): void {
  if (m > 32) {
    const idx = Array.from(catBins.subarray(0, m).keys()).sort(
      (a, b) => catKeys[a]! - catKeys[b]! || catBins[a]! - catBins[b]!,
    );
    const bins = idx.map((i) => catBins[i]!);
    const keys = idx.map((i) => catKeys[i]!);
    catBins.set(bins);
    catKeys.set(keys);
    return;
  }
  for (let i = 1; i < m; i++) {
    const b = catBins[i]!;
    const k = catKeys[i]!;
    let j = i - 1;
    while (j >= 0 && (catKeys[j]! > k || (catKeys[j] === k && catBins[j]! > b))) {
      catBins[j + 1] = catBins[j]!;
      catKeys[j + 1] = catKeys[j]!;
      j--;
    }
    catBins[j + 1] = b;
    catKeys[j + 1] = k;
  }
}

function scanCategorical(
  hist: Float64Array,
  cnt: Int32Array,
  off: number,
  nb: number,
  j: number,
  G: number,
  H: number,
  N: number,
  parentScore: number,
  c: SplitConstraints,
  best: Best,
  scratch: SplitScratch,
): void {
  const { catBins, catKeys } = scratch;
  const support = N / H;
  let present = 0;
  for (let b = 0; b <= nb; b++) if (cnt[off + b]! > 0) present++;
  const minSupport = present > MAX_CAT_TO_ONEHOT ? c.minDataPerGroup : MIN_CAT_SUPPORT;
  // Candidate bins (value bins, then the missing bin `nb`) and their sort keys.
  let m = 0;
  for (let b = 0; b <= nb; b++) {
    const s = 2 * (off + b);
    const h = hist[s + 1]!;
    if (cnt[off + b]! > 0 && h * support >= minSupport) {
      catBins[m] = b;
      catKeys[m] = hist[s]! / (h + CAT_SMOOTH);
      m++;
    }
  }
  if (m <= 1) return;
  sortCandidates(m, scratch);
  const nMissing = cnt[off + nb]!;
  for (let direction = 1; direction >= -1; direction -= 2) {
    const middle = Math.min(MAX_CAT_THRESHOLD, direction === 1 ? (m + 1) >> 1 : ((m + 1) >> 1) - 1);
    let gl = 0;
    let hl = 0;
    let nl = 0;
    for (let i = 0; i < middle; i++) {
      const t = off + catBins[direction === 1 ? i : m - 1 - i]!;
      gl += hist[2 * t]!;
      hl += hist[2 * t + 1]!;
      nl += cnt[t]!;
      const nr = N - nl;
      const hr = H - hl;
      if (nl < c.minSamplesLeaf || hl < c.minChildWeight) continue;
      if (nr < c.minSamplesLeaf || hr < c.minChildWeight) break;
      const gain = splitGain(gl, hl, G - gl, hr, parentScore, c.l2);
      if (gain > best.gain) {
        const left = Array.from(direction === 1 ? catBins.subarray(0, i + 1) : catBins.subarray(m - 1 - i, m));
        const missingLeft = nMissing > 0 ? left.includes(nb) : nl >= nr;
        const valueBins = left.filter((b) => b !== nb).sort((a, b) => a - b);
        record(best, gain, j, -1, missingLeft, valueBins, gl, hl, nl);
      }
    }
  }
}

/**
 * Best split over the active `features` of a node whose sums are `G`, `H`, `N`, or null when
 * no split has positive gain. `categorical[j]` is 1 for categorical features; `scratch` is the
 * caller's own (one per grower), so concurrent fits never share buffers.
 */
export function findBestSplit(
  hist: Float64Array,
  layout: HistogramLayout,
  categorical: Uint8Array,
  features: Int32Array,
  G: number,
  H: number,
  N: number,
  c: SplitConstraints,
  scratch: SplitScratch,
): SplitInfo | null {
  const best = new Best();
  if (N < 2 * c.minSamplesLeaf || H < 2 * c.minChildWeight) return null;
  const parentScore = (G * G) / (H + c.l2 + 1e-15);
  const cnt = histogramCounts(hist, layout);
  const k = scratch.kernel;
  // The kernel's scan is the same as scanNumeric's, bit for bit (split-kernel-text.ts), on its own memory.
  const wasm = k !== null && hist.buffer === k.buffer && Number.isInteger(c.minSamplesLeaf) && Number.isInteger(N);
  for (let f = 0; f < features.length; f++) {
    const j = features[f]!;
    const off = layout.offsets[j]!;
    const nb = layout.nBins[j]!;
    if (categorical[j]) scanCategorical(hist, cnt, off, nb, j, G, H, N, parentScore, c, best, scratch);
    else if (!wasm) scanNumeric(hist, cnt, off, nb, j, G, H, N, parentScore, c, best);
    else if (
      k.scan(
        hist.byteOffset,
        cnt.byteOffset,
        off,
        nb,
        G,
        H,
        N,
        parentScore,
        c.l2,
        c.minSamplesLeaf,
        c.minChildWeight,
        best.gain,
        0,
      ) !== 0
    ) {
      const o = k.out;
      record(best, o[0]!, j, o[1]!, o[5] === 1, null, o[2]!, o[3]!, o[4]!);
    }
  }
  if (!best.found) return null;
  const { gain, feature, bin, missingLeft, leftBins, gl, hl, nl } = best;
  return {
    gain,
    feature,
    bin,
    missingLeft,
    leftBins,
    gLeft: gl,
    hLeft: hl,
    nLeft: nl,
    gRight: G - gl,
    hRight: H - hl,
    nRight: N - nl,
  };
}

/** For each bin of the split feature (value bins, then missing at `nBins`): 1 if it goes left. */
export function goLeftTable(split: SplitInfo, nBins: number): Uint8Array {
  const t = new Uint8Array(nBins + 1);
  if (split.leftBins) for (const b of split.leftBins) t[b] = 1;
  else t.fill(1, 0, split.bin + 1);
  t[nBins] = split.missingLeft ? 1 : 0;
  return t;
}
