/** Out-of-bag evaluation of a bootstrap forest. */
import { rocAuc } from "../../evaluation/metrics.js";
import { OOB_SCALE, type OobSums } from "./grow.js";

/**
 * OOB ROC AUC: each training row is scored by the mean probability of the trees whose
 * bootstrap sample left it out; rows that every tree saw are skipped. null (the state's JSON
 * form of metrics' NaN) when the scored rows hold only one class.
 */
export function oobAuc(oob: OobSums, y: Uint8Array): number | null {
  let m = 0;
  for (let r = 0; r < y.length; r++) if (oob.count[r]! > 0) m++;
  const score = new Float64Array(m);
  const label = new Uint8Array(m);
  for (let r = 0, k = 0; r < y.length; r++) {
    if (oob.count[r]! > 0) {
      score[k] = oob.sum[r]! / OOB_SCALE / oob.count[r]!;
      label[k++] = y[r]!;
    }
  }
  const auc = rocAuc(label, score);
  return Number.isNaN(auc) ? null : auc;
}
