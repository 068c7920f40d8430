/**
 * The population stability index (PSI) of two binned samples, and when its value counts as drift.
 *
 * PSI = Σ (c_i − r_i) · ln(c_i / r_i) over the bins, with r_i and c_i the shares of the reference and current rows
 * in bin i. It is an effect size (a symmetric Kullback–Leibler divergence): for a large sample from the same
 * distribution it tends to 0, so a verdict based on it does not flip just because a file is large, as a
 * p-value test's does. Conventional bands: below 0.1 stable, 0.1 to 0.25 a moderate shift, 0.25 or more a major one.
 *
 * On a small sample PSI is biased upwards by sampling noise: with k bins and no drift, PSI ≈ (1/n_r + 1/n_c) · χ²(k−1).
 * So a column drifts when its PSI reaches the major band and also exceeds the 99.9th percentile of that noise:
 * the size of the sample can only make the verdict more cautious, never flip it to drift.
 */

/** PSI at or above which a shift is called moderate. */
export const PSI_MODERATE = 0.1;
/** PSI at or above which a shift is called major: the drift threshold of large samples. */
export const PSI_MAJOR = 0.25;
/** Share given to an empty bin, so that its log ratio is finite (Evidently's and most tools' choice). */
export const EMPTY_SHARE = 1e-4;
/** The 99.9th percentile of the standard normal distribution. */
const Z_999 = 3.090232306167813;

/** Sum of counts. */
const total = (xs: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
};

/**
 * PSI between reference and current row counts over the same bins. An empty bin counts as a share of
 * `EMPTY_SHARE`; a bin empty on both sides adds nothing. 0 when either side has no rows.
 */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  if (reference.length !== current.length) throw new Error("psi: reference and current need the same bins");
  const nr = total(reference);
  const nc = total(current);
  if (nr === 0 || nc === 0) return 0;
  let s = 0;
  for (let i = 0; i < reference.length; i++) {
    if (reference[i] === 0 && current[i] === 0) continue;
    const r = Math.max(reference[i]! / nr, EMPTY_SHARE);
    const c = Math.max(current[i]! / nc, EMPTY_SHARE);
    s += (c - r) * Math.log(c / r);
  }
  return s;
}

/** The `p` quantile of a χ² distribution with `df` degrees of freedom, by Wilson and Hilferty's cube-root approximation, at z = {@link Z_999}. */
export function chiSquare999(df: number): number {
  if (df <= 0) return 0;
  const a = 2 / (9 * df);
  return df * (1 - a + Z_999 * Math.sqrt(a)) ** 3;
}

/** How large PSI gets from sampling noise alone (99.9th percentile), for `bins` non-empty bins and the two sample sizes. */
export function noiseFloor(bins: number, referenceRows: number, currentRows: number): number {
  if (referenceRows === 0 || currentRows === 0) return Infinity;
  return chiSquare999(bins - 1) * (1 / referenceRows + 1 / currentRows);
}

/** A PSI value's band. */
export type Band = "stable" | "moderate" | "major";

/** The band of a PSI value: below {@link PSI_MODERATE} stable, below {@link PSI_MAJOR} moderate, else major. */
export const band = (value: number): Band =>
  value >= PSI_MAJOR ? "major" : value >= PSI_MODERATE ? "moderate" : "stable";

/** The PSI of two binned samples and its verdict. */
export interface PsiVerdict {
  /** The PSI. */
  value: number;
  /** The value at or above which it is drift: {@link PSI_MAJOR}, or the noise floor of small samples when higher. */
  threshold: number;
  /** The band of the value. */
  band: Band;
  /** Whether the value reaches the threshold. */
  drifted: boolean;
}

/** PSI of the counts, the threshold for these sample sizes, and whether it is drift. */
export function psiVerdict(reference: ArrayLike<number>, current: ArrayLike<number>): PsiVerdict {
  let used = 0;
  for (let i = 0; i < reference.length; i++) if (reference[i]! > 0 || current[i]! > 0) used++;
  const value = psi(reference, current);
  const threshold = Math.max(PSI_MAJOR, noiseFloor(used, total(reference), total(current)));
  return { value, threshold, band: band(value), drifted: value >= threshold };
}
