/** Out-of-bag evaluation of a bootstrap forest, and the ROC AUC it reports. */
import { OOB_SCALE, type OobSums } from "./grow.js";

/**
 * ROC AUC of `score` against labels `y`, over the rows where `mask` is 1 (all rows if absent).
 * Mann–Whitney form with average ranks for ties. null when a class is absent.
 */
export function rocAuc(score: Float64Array, y: Uint8Array, mask?: Uint8Array): number | null {
  const idx: number[] = [];
  for (let i = 0; i < score.length; i++) if (!mask || mask[i] === 1) idx.push(i);
  idx.sort((a, b) => score[a]! - score[b]!);
  let nPos = 0;
  let rankSumPos = 0;
  for (let i = 0; i < idx.length;) {
    let k = i;
    while (k + 1 < idx.length && score[idx[k + 1]!] === score[idx[i]!]) k++;
    const avgRank = (i + k) / 2 + 1;
    for (let q = i; q <= k; q++) {
      if (y[idx[q]!] === 1) {
        nPos++;
        rankSumPos += avgRank;
      }
    }
    i = k + 1;
  }
  const nNeg = idx.length - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * OOB ROC AUC: each training row is scored by the mean probability of the trees whose
 * bootstrap sample left it out; rows that every tree saw are skipped.
 */
export function oobAuc(oob: OobSums, y: Uint8Array): number | null {
  const n = y.length;
  const score = new Float64Array(n);
  const mask = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    if (oob.count[r]! > 0) {
      mask[r] = 1;
      score[r] = oob.sum[r]! / OOB_SCALE / oob.count[r]!;
    }
  }
  return rocAuc(score, y, mask);
}
