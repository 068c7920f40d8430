/**
 * Classification metrics for a binary target and predicted probabilities.
 * Definitions follow scikit-learn: roc_auc_score (ties count one half), average_precision_score
 * (step-wise PR AUC), log_loss (probabilities clipped to [1e-15, 1 − 1e-15]), brier_score_loss.
 */

export interface Confusion {
  /** True positives: churners predicted to churn. */
  tp: number;
  /** False positives: non-churners predicted to churn. */
  fp: number;
  /** True negatives: non-churners predicted to stay. */
  tn: number;
  /** False negatives: churners predicted to stay. */
  fn: number;
}

/** The metrics `evaluate --json` prints and metrics.json stores. */
export interface Metrics {
  /** Rows scored. */
  rows: number;
  /** Share of positive rows. */
  positive_rate: number;
  /** ROC AUC: the probability that a random churner scores above a random non-churner (ties count ½). */
  auc: number;
  /** Area under the precision-recall curve (average precision), which weighs the rare churners more than AUC. */
  pr_auc: number;
  /** Mean log loss (cross-entropy) of the probabilities; lower is better. */
  log_loss: number;
  /** Brier score: mean squared error of the probabilities; lower is better. */
  brier: number;
  /** Share of rows predicted correctly at `threshold`. */
  accuracy: number;
  /** At `threshold`: share of predicted churners who churned. */
  precision: number;
  /** At `threshold`: share of churners predicted to churn. */
  recall: number;
  /** At `threshold`: harmonic mean of precision and recall. */
  f1: number;
  /** The decision threshold the counting metrics use: probability >= threshold predicts churn. */
  threshold: number;
  /** The confusion counts at `threshold`. */
  confusion: Confusion;
}

/** Row order by descending score (stable: ties keep input order). */
function orderDesc(p: ArrayLike<number>): Int32Array {
  const idx = Int32Array.from({ length: p.length }, (_, i) => i);
  return idx.sort((a, b) => p[b]! - p[a]! || a - b);
}

/**
 * ROC AUC via ranks: the probability a random positive outscores a random negative (ties ½).
 * The one implementation in churnkit (metrics, model selection, importance, the forest's out-of-bag
 * score). A sample with only one class has no AUC: the result is NaN (a number, like
 * {@link averagePrecision}); callers that store it in JSON turn it into null.
 */
export function rocAuc(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const n = y.length;
  let pos = 0;
  let nan = false;
  for (let i = 0; i < n; i++) {
    if (y[i]) pos++;
    if (Number.isNaN(p[i]!)) nan = true;
  }
  if (pos === 0 || pos === n) return NaN;
  return nan ? rocAucByRanks(y, p) : rocAucByPairs(y, p, pos);
}

/**
 * ROC AUC of scores without NaN, counted pair by pair: each class's scores sorted as numbers (a typed sort, several
 * times faster than sorting row indices with a comparator: permutation importance computes about 150 AUCs of
 * 50,000 rows), then for each positive the negatives below it and tied with it. Every count is a whole or half
 * number, so the result is exactly the rank formula's.
 */
function rocAucByPairs(y: ArrayLike<number>, p: ArrayLike<number>, pos: number): number {
  const n = y.length;
  const neg = n - pos;
  const ps = new Float64Array(pos);
  const ns = new Float64Array(neg);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (y[i]) ps[a++] = p[i]!;
    else ns[b++] = p[i]!;
  }
  ps.sort();
  ns.sort();
  let sum = 0;
  let below = 0;
  for (let i = 0; i < pos;) {
    const s = ps[i]!;
    let k = i;
    while (k < pos && ps[k] === s) k++;
    while (below < neg && ns[below]! < s) below++;
    let tied = below;
    while (tied < neg && ns[tied] === s) tied++;
    sum += (k - i) * (below + (tied - below) / 2);
    i = k;
  }
  return sum / (pos * neg);
}

/** ROC AUC via ranks (the definition, kept for scores with NaN, whose place in the order it decides). */
function rocAucByRanks(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const n = y.length;
  const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a]! - p[b]!);
  let rankSumPos = 0;
  let pos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && p[idx[j + 1]!] === p[idx[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (y[idx[k]!]) {
        rankSumPos += avgRank;
        pos++;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Average precision: Σ (R_k − R_{k−1}) · P_k over distinct score thresholds. */
export function averagePrecision(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const idx = orderDesc(p);
  let totalPos = 0;
  for (let i = 0; i < y.length; i++) totalPos += y[i]!;
  if (totalPos === 0) return NaN;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j < idx.length && p[idx[j]!] === p[idx[i]!]) {
      if (y[idx[j]!]) tp++;
      else fp++;
      j++;
    }
    const recall = tp / totalPos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
    i = j;
  }
  return ap;
}

/** Mean log loss (cross-entropy) of probabilities, clipped to [1e-15, 1 − 1e-15]. */
export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(Math.max(p[i]!, 1e-15), 1 - 1e-15);
    s -= y[i] ? Math.log(q) : Math.log(1 - q);
  }
  return s / y.length;
}

/**
 * Mean log loss of raw scores (log-odds) `raw`, computed stably as softplus(z) − y·z: no sigmoid and
 * no clipping, so it stays exact for confident scores. The same quantity as {@link logLoss} of
 * sigmoid(raw) (up to its clipping); gbdt's early stopping uses this form on its raw scores.
 */
export function logLossFromRaw(y: ArrayLike<number>, raw: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < raw.length; i++) {
    const z = raw[i]!;
    s += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[i]! * z;
  }
  return s / raw.length;
}

/** Brier score: mean squared difference between probability and outcome. */
export function brier(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i]! - y[i]!) ** 2;
  return s / y.length;
}

/** Confusion matrix when rows with probability >= threshold are predicted positive. */
export function confusion(y: ArrayLike<number>, p: ArrayLike<number>, threshold: number): Confusion {
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < y.length; i++) {
    const pred = p[i]! >= threshold;
    if (y[i]) pred ? c.tp++ : c.fn++;
    else pred ? c.fp++ : c.tn++;
  }
  return c;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Every metric at once. */
export function computeMetrics(y: ArrayLike<number>, p: ArrayLike<number>, threshold: number): Metrics {
  const c = confusion(y, p, threshold);
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i]!;
  return {
    rows: y.length,
    positive_rate: y.length ? pos / y.length : 0,
    auc: rocAuc(y, p),
    pr_auc: averagePrecision(y, p),
    log_loss: logLoss(y, p),
    brier: brier(y, p),
    accuracy: ratio(c.tp + c.tn, y.length),
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    threshold,
    confusion: c,
  };
}
