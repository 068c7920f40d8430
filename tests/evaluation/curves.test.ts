import { describe, expect, it } from "vitest";
import { bootstrapAuc, calibration, ksStatistic, liftTable, prCurve, rocCurve } from "../../src/evaluation/curves.js";
import { detailedMetrics } from "../../src/evaluation/detailed.js";
import { chooseThreshold } from "../../src/evaluation/threshold.js";
import { applyCalibration, fitIsotonic, fitPlatt } from "../../src/learners/calibration.js";
import { parseConfig } from "../../src/config/load.js";
import { rocAuc } from "../../src/evaluation/metrics.js";
import { Rng } from "../../src/utils/random.js";

describe("curves", () => {
  it("ROC points run from (0,0) to (1,1) with one point per distinct score", () => {
    const y = [0, 0, 1, 1];
    const p = [0.1, 0.4, 0.35, 0.8];
    const roc = rocCurve(y, p);
    expect(roc.map((r) => [r.fpr, r.tpr])).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
    // Trapezoid area under these points equals the rank AUC.
    let area = 0;
    for (let i = 1; i < roc.length; i++)
      area += ((roc[i]!.fpr - roc[i - 1]!.fpr) * (roc[i]!.tpr + roc[i - 1]!.tpr)) / 2;
    expect(area).toBeCloseTo(rocAuc(y, p), 12);
  });

  it("PR points give precision and recall at each threshold", () => {
    const pr = prCurve([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]);
    expect(pr).toEqual([
      { recall: 0.5, precision: 1, threshold: 0.9 },
      { recall: 0.5, precision: 0.5, threshold: 0.8 },
      { recall: 1, precision: 2 / 3, threshold: 0.7 },
      { recall: 1, precision: 0.5, threshold: 0.1 },
    ]);
  });

  it("KS is the largest gap between the class score distributions", () => {
    // Positives 0.9, 0.8; negatives 0.7, 0.2 → perfectly separated, KS 1.
    expect(ksStatistic([1, 1, 0, 0], [0.9, 0.8, 0.7, 0.2])).toBe(1);
    // At threshold 0.6: tpr 1/2, fpr 0 → 0.5; at 0.4: tpr 1, fpr 1/2 → 0.5.
    expect(ksStatistic([1, 0, 1, 0], [0.6, 0.5, 0.4, 0.1])).toBe(0.5);
  });

  it("lift by decile on a crafted set", () => {
    // 20 rows, 4 churners: all in the top 2 rows and rows 5, 6 by score.
    const p = Array.from({ length: 20 }, (_, i) => 1 - i / 20);
    const y = p.map((_, i) => (i < 2 || i === 4 || i === 5 ? 1 : 0));
    const { deciles, top_decile } = liftTable(y, p);
    expect(deciles).toHaveLength(10);
    expect(deciles[0]).toMatchObject({ decile: 1, rows: 2, positives: 2, rate: 1 });
    // overall rate 4/20 = 0.2 → top decile lift 1 / 0.2 = 5
    expect(top_decile).toBeCloseTo(5, 12);
    expect(deciles[2]).toMatchObject({ positives: 2, rate: 1 });
    expect(deciles[2]!.cumulative_gain).toBe(1);
    expect(deciles[9]!.cumulative_gain).toBe(1);
    expect(deciles[9]!.cumulative_lift).toBeCloseTo(1, 12);
  });

  it("calibration bins and ECE", () => {
    const y = [0, 0, 1, 1, 1];
    const p = [0.05, 0.15, 0.95, 0.85, 0.92];
    const c = calibration(y, p, 10);
    expect(c.bins.map((b) => [b.lower, b.rows, b.observed_rate])).toEqual([
      [0, 1, 0],
      [0.1, 1, 0],
      [0.8, 1, 1],
      [0.9, 2, 1],
    ]);
    const ece = (0.05 + 0.15 + (1 - 0.85) + 2 * (1 - 0.935)) / 5;
    expect(c.ece).toBeCloseTo(ece, 12);
  });

  it("bootstrap interval brackets the AUC and is reproducible", () => {
    const rng = new Rng(3);
    const y = Array.from({ length: 400 }, () => (rng.next() < 0.3 ? 1 : 0));
    const p = y.map((v) => 0.3 * v + 0.7 * rng.next());
    const a = bootstrapAuc(y, p, 300, 0.95, 7);
    const auc = rocAuc(y, p);
    expect(a.low).toBeLessThan(auc);
    expect(a.high).toBeGreaterThan(auc);
    expect(bootstrapAuc(y, p, 300, 0.95, 7)).toEqual(a);
    expect(detailedMetrics(y, p, 0.5, { bootstrap: 50, seed: 1 }).auc_ci?.resamples).toBe(50);
  });
});

describe("threshold", () => {
  const y = [1, 1, 0, 1, 0, 0, 0, 0];
  const p = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1];

  it("F1 rule picks the threshold with the best F1 (brute force)", () => {
    const t = chooseThreshold(y, p, { rule: "f1" });
    let best = 0;
    let at = 0;
    for (const th of p) {
      let tp = 0,
        fp = 0,
        fn = 0;
      y.forEach((v, i) => (p[i]! >= th ? (v ? tp++ : fp++) : v ? fn++ : 0));
      const f1 = (2 * tp) / (2 * tp + fp + fn);
      if (f1 > best) {
        best = f1;
        at = th;
      }
    }
    expect(t.value).toBe(at);
    expect(t.f1).toBeCloseTo(best, 12);
  });

  it("profit rule maximises expected profit and contacts nobody when offers never pay", () => {
    const economics = { value_saved: 100, offer_cost: 10, success_rate: 0.5 };
    const t = chooseThreshold(y, p, { rule: "profit", economics });
    // gain per contacted churner 40, cost per contacted stayer 10: contacting down to 0.6 gives 3·40 − 1·10 = 110.
    expect(t.value).toBe(0.6);
    expect(t.expected_profit).toBe(110);
    const none = chooseThreshold(y, p, {
      rule: "profit",
      economics: { value_saved: 10, offer_cost: 10, success_rate: 0.5 },
    });
    expect(none.expected_profit).toBe(0);
    expect(none.value).toBeGreaterThan(0.9);
  });

  it("economics config errors name the key", () => {
    expect(() => parseConfig({ model: { threshold: "profit" } }, "c.yaml")).toThrow(
      /c\.yaml: model\.economics: required/,
    );
    expect(() =>
      parseConfig(
        { model: { threshold: "profit", economics: { value_saved: -1, offer_cost: 1, success_rate: 0.2 } } },
        "c.yaml",
      ),
    ).toThrow(/model\.economics\.value_saved/);
    expect(() =>
      parseConfig({ model: { threshold: "profit", economics: { value_saved: 1, success_rate: 0.2 } } }, "c.yaml"),
    ).toThrow(/model\.economics\.offer_cost/);
  });
});

describe("calibration", () => {
  it("Platt scaling recovers a known logistic distortion", () => {
    const rng = new Rng(11);
    const raw: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const r = rng.next() * 8 - 4;
      raw.push(r);
      y.push(rng.next() < 1 / (1 + Math.exp(-(0.5 * r - 1))) ? 1 : 0);
    }
    const c = fitPlatt(y, raw);
    if (c.method !== "platt") throw new Error("expected platt");
    expect(c.a).toBeCloseTo(0.5, 1);
    expect(c.b).toBeCloseTo(-1, 1);
  });

  it("isotonic regression is monotone, pools violators, and is exact on monotone data", () => {
    const c = fitIsotonic([0, 1, 0, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.5]);
    if (c.method !== "isotonic") throw new Error("expected isotonic");
    // (0.2, 0.3) violate order and pool to 0.5; ties between equal blocks may stay separate.
    expect(c.y).toEqual([0, 0.5, 1, 1]);
    expect(c.x.map((v) => Number(v.toFixed(12)))).toEqual([0.1, 0.25, 0.4, 0.5]);
    const out = applyCalibration(c, [0, 0, 0, 0], [0.05, 0.25, 0.35, 0.9]);
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(0.5, 12);
    expect(out[2]).toBeCloseTo(0.5 + (0.1 / 0.15) * 0.5, 12);
    expect(out[3]).toBe(1);
    for (let i = 1; i < c.y.length; i++) expect(c.y[i]!).toBeGreaterThanOrEqual(c.y[i - 1]!);
  });
});
