import { describe, expect, it } from "vitest";
import { averagePrecision, brier, computeMetrics, confusion, logLoss, rocAuc } from "../../src/evaluation/metrics.js";

// Reference values marked "sklearn" were computed once with scikit-learn 1.2.1 (Debian's python3-sklearn):
// roc_auc_score, average_precision_score, log_loss, brier_score_loss on the same arrays.
const Y12 = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1];
const P12 = [0.9, 0.1, 0.6, 0.6, 0.6, 0.3, 0.2, 0.2, 0.75, 0.05, 0.6, 0.4];

describe("ROC AUC", () => {
  it("hand-computed: 3 of 4 positive-negative pairs ordered right", () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
  });

  it("a tie between a positive and a negative counts one half", () => {
    // pairs: (0.5 vs 0.5) ½, (0.5 vs 0.2) 1, (0.9 vs 0.5) 1, (0.9 vs 0.2) 1 → 3.5 / 4
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9])).toBe(0.875);
    expect(rocAuc([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3])).toBe(0.5);
  });

  it("perfect, reversed, and one-class inputs", () => {
    expect(rocAuc([0, 0, 1], [0.1, 0.2, 0.3])).toBe(1);
    expect(rocAuc([1, 1, 0], [0.1, 0.2, 0.3])).toBe(0);
    expect(rocAuc([1, 1], [0.1, 0.2])).toBeNaN();
  });

  it("matches scikit-learn with several ties", () => {
    expect(rocAuc(Y12, P12)).toBeCloseTo(0.7916666666666667, 14); // sklearn
  });

  it("equals the pair count exactly on random scores with many ties, -0 and 0 among them", () => {
    let s = 7;
    const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let trial = 0; trial < 20; trial++) {
      const n = 50 + trial * 37;
      const y = Array.from({ length: n }, () => (next() < 0.3 ? 1 : 0));
      // Few distinct values (ties), a signed zero, and negative scores.
      const p = Array.from({ length: n }, () => [-0, 0, -1.5, 0.25, 0.5, 0.75, 1e-9][Math.floor(next() * 7)]!);
      let pairs = 0;
      let pos = 0;
      for (let i = 0; i < n; i++) {
        if (!y[i]) continue;
        pos++;
        for (let j = 0; j < n; j++) if (!y[j]) pairs += p[i]! > p[j]! ? 1 : p[i] === p[j] ? 0.5 : 0;
      }
      expect(rocAuc(y, p)).toBe(pairs / (pos * (n - pos)));
    }
  });

  it("does not depend on row order", () => {
    const order = [5, 3, 11, 0, 8, 2, 7, 1, 10, 4, 9, 6];
    expect(
      rocAuc(
        order.map((i) => Y12[i]!),
        order.map((i) => P12[i]!),
      ),
    ).toBeCloseTo(rocAuc(Y12, P12), 14);
  });
});

describe("average precision (scikit-learn's step-wise definition)", () => {
  it("hand-computed: Σ (R_k − R_{k−1}) · P_k", () => {
    // descending scores 0.8(+) 0.4(−) 0.35(+) 0.1(−): recall steps 0.5 at precision 1, 0.5 at precision 2/3
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3), 15); // sklearn 0.8333…
  });

  it("tied scores form one threshold", () => {
    // 0.9(+): R .5 P 1; tie at 0.5 (one +, one −): R 1 P 2/3
    expect(averagePrecision([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9])).toBeCloseTo(0.8333333333333333, 15);
    expect(averagePrecision([0, 1, 0, 1, 0], [0.4, 0.4, 0.4, 0.4, 0.4])).toBeCloseTo(0.4, 15); // all tied: the positive rate
  });

  it("matches scikit-learn with several ties", () => {
    expect(averagePrecision(Y12, P12)).toBeCloseTo(0.7746031746031746, 14); // sklearn
  });

  it("no positives gives NaN", () => {
    expect(averagePrecision([0, 0], [0.2, 0.3])).toBeNaN();
  });
});

describe("log loss and Brier score", () => {
  it("hand-computed and scikit-learn values", () => {
    const y = [0, 0, 1, 1];
    const p = [0.1, 0.4, 0.35, 0.8];
    const hand = -(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4;
    expect(logLoss(y, p)).toBeCloseTo(hand, 15);
    expect(logLoss(y, p)).toBeCloseTo(0.47228795380917615, 14); // sklearn
    expect(brier(y, p)).toBeCloseTo((0.01 + 0.16 + 0.4225 + 0.04) / 4, 15); // sklearn 0.158125
    expect(logLoss(Y12, P12)).toBeCloseTo(0.5424563540830395, 14); // sklearn
    expect(brier(Y12, P12)).toBeCloseTo(0.18791666666666665, 14); // sklearn
  });

  it("probabilities of 0 and 1 are clipped to [1e-15, 1 − 1e-15]", () => {
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 10);
    expect(Number.isFinite(logLoss([0, 1], [1, 0]))).toBe(true);
    expect(logLoss([1, 0], [1, 0])).toBeLessThan(1e-14);
  });
});

describe("confusion, precision, recall, F1 at a threshold", () => {
  it("p >= threshold is positive", () => {
    expect(confusion([1, 0, 1, 0], [0.5, 0.5, 0.49, 0.1], 0.5)).toEqual({ tp: 1, fp: 1, tn: 1, fn: 1 });
  });

  it("computeMetrics on the 12-row example at 0.5 and at 0.7", () => {
    const m = computeMetrics(Y12, P12, 0.5);
    // predicted positive (p >= 0.5): rows 0,2,3,4,8,10 → tp 4 (0,2,3,8), fp 2 (4,10); fn 2 (6,11); tn 4
    expect(m.confusion).toEqual({ tp: 4, fp: 2, tn: 4, fn: 2 });
    expect(m.rows).toBe(12);
    expect(m.positive_rate).toBe(0.5);
    expect(m.accuracy).toBeCloseTo(8 / 12, 15);
    expect(m.precision).toBeCloseTo(4 / 6, 15);
    expect(m.recall).toBeCloseTo(4 / 6, 15);
    expect(m.f1).toBeCloseTo(4 / 6, 15);
    expect(m.threshold).toBe(0.5);
    expect(m.auc).toBeCloseTo(0.7916666666666667, 14);
    expect(m.pr_auc).toBeCloseTo(0.7746031746031746, 14);
    const h = computeMetrics(Y12, P12, 0.7);
    expect(h.confusion).toEqual({ tp: 2, fp: 0, tn: 6, fn: 4 });
    expect(h.precision).toBe(1);
    expect(h.recall).toBeCloseTo(2 / 6, 15);
    expect(h.f1).toBeCloseTo((2 * 1 * (1 / 3)) / (1 + 1 / 3), 15);
  });

  it("no predicted positives: precision, recall and F1 are 0, not NaN", () => {
    const m = computeMetrics([1, 0], [0.2, 0.1], 0.5);
    expect(m.precision).toBe(0);
    expect(m.recall).toBe(0);
    expect(m.f1).toBe(0);
    expect(m.accuracy).toBe(0.5);
  });
});
