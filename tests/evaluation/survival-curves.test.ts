/**
 * What the report's survival charts draw, and the one-call survival metrics: curve points, mean
 * predicted survival against Kaplan–Meier, risk groups and calibration at a horizon on data drawn
 * from a known exponential model (so the numbers have a right answer), and hand-checked small cases.
 */
import { describe, expect, it } from "vitest";
import {
  curvePoints,
  horizonCalibration,
  observedVsPredicted,
  riskGroupCurves,
} from "../../src/evaluation/survival-curves.js";
import { brierTimes, survivalMetrics } from "../../src/evaluation/survival-summary.js";
import { concordanceIndex, kaplanMeier, type SurvivalData } from "../../src/evaluation/survival.js";
import { Rng } from "../../src/utils/random.js";

/**
 * n customers with hazard 0.05·exp(risk), risk uniform in [−1.5, 1.5], followed up to 48 months with
 * uniform administrative censoring in [12, 48]: the true S_i(t) = exp(−0.05·exp(risk_i)·t).
 */
function exponentialData(n: number, seed: number) {
  const rng = new Rng(seed);
  const risk = new Float64Array(n);
  const time = new Float64Array(n);
  const event = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    risk[i] = -1.5 + 3 * rng.next();
    const t = -Math.log(1 - rng.next()) / (0.05 * Math.exp(risk[i]!));
    const c = 12 + 36 * rng.next();
    time[i] = Math.min(t, c);
    event[i] = t <= c ? 1 : 0;
  }
  const survivalAt = (i: number, t: number) => Math.exp(-0.05 * Math.exp(risk[i]!) * t);
  return { data: { time, event } as SurvivalData, risk, survivalAt };
}

describe("survival curve points", () => {
  it("start at (0, 1), step at each event time and carry the last value to the end of follow-up", () => {
    const km = kaplanMeier({ time: [2, 1, 3, 2, 4, 5], event: [1, 1, 0, 0, 1, 0] });
    const c = curvePoints(km, 5);
    expect(c.time).toEqual([0, 1, 2, 4, 5]);
    expect(c.survival[0]).toBe(1);
    expect(c.survival[3]).toBeCloseTo(1 / 3, 15);
    expect(c.survival[4]).toBe(c.survival[3]);
    const thin = curvePoints(kaplanMeier(exponentialData(5000, 1).data), 48, 50);
    expect(thin.time.length).toBe(50);
    expect(thin.time[0]).toBe(0);
    expect(thin.time[49]).toBe(48); // the end of follow-up
  });

  it("the true model's mean predicted survival follows the Kaplan–Meier curve", () => {
    const { data, survivalAt } = exponentialData(20000, 2);
    const { observed, predicted } = observedVsPredicted(data, survivalAt, 60);
    expect(predicted.time).toEqual(observed.time);
    expect(observed.time.length).toBe(60);
    let worst = 0;
    for (let k = 0; k < observed.time.length; k++)
      worst = Math.max(worst, Math.abs(observed.survival[k]! - predicted.survival[k]!));
    expect(worst).toBeLessThan(0.02);
    // A model twice as pessimistic is visibly off.
    const off = observedVsPredicted(data, (i, t) => survivalAt(i, 2 * t), 60);
    const mid = off.observed.time.findIndex((t) => t > 12);
    expect(off.observed.survival[mid]! - off.predicted.survival[mid]!).toBeGreaterThan(0.1);
  });
});

describe("risk groups", () => {
  it("split rows into tertiles by risk, equal risks together, and the high-risk curve falls fastest", () => {
    const { data, risk } = exponentialData(9000, 3);
    const groups = riskGroupCurves(data, risk);
    expect(groups.map((g) => g.label)).toEqual(["low risk", "medium risk", "high risk"]);
    expect(groups.map((g) => g.rows)).toEqual([3000, 3000, 3000]);
    expect(groups[0]!.risk_max).toBeLessThan(groups[1]!.risk_min);
    const at24 = groups.map((g) => g.curve.survival[g.curve.time.findIndex((t) => t > 24) - 1]!);
    expect(at24[0]).toBeGreaterThan(at24[1]! + 0.1);
    expect(at24[1]).toBeGreaterThan(at24[2]! + 0.1);
    // Each group's curve is its own Kaplan–Meier: the low group's events are its rows' events.
    let lowEvents = 0;
    for (let i = 0; i < risk.length; i++) if (risk[i]! <= groups[0]!.risk_max) lowEvents += data.event[i]!;
    expect(groups[0]!.events).toBe(lowEvents);

    const tied = riskGroupCurves({ time: [1, 2, 3, 4, 5, 6], event: [1, 1, 1, 1, 1, 1] }, [0, 0, 0, 0, 1, 2], 3);
    expect(tied.map((g) => g.rows)).toEqual([4, 1, 1]);
    const quartiles = riskGroupCurves(data, risk, 4);
    expect(quartiles.map((g) => g.label)).toEqual([
      "risk quartile 1 (lowest)",
      "risk quartile 2",
      "risk quartile 3",
      "risk quartile 4 (highest)",
    ]);
    expect(riskGroupCurves({ time: [], event: [] }, [])).toEqual([]);
  });
});

describe("calibration at a horizon", () => {
  it("bins by prediction and observes churn within the horizon by Kaplan–Meier", () => {
    // Two bins of 2. Low bin: censored at 2, then the one left churns at 5 → KM(6) = 0, observed 1 (not ½:
    // the censored row says nothing after 2). High bin: churn at 1 of 2, the other censored at 8 → observed ½.
    const d: SurvivalData = { time: [2, 5, 1, 8], event: [0, 1, 1, 0] };
    const cal = horizonCalibration(d, [0.1, 0.2, 0.7, 0.9], 6, 2);
    expect(cal.bins.map((b) => [b.rows, b.observed])).toEqual([
      [2, 1],
      [2, 0.5],
    ]);
    expect(cal.bins[0]!.mean_predicted).toBeCloseTo(0.15, 15);
    expect(cal.bins[1]!.mean_predicted).toBeCloseTo(0.8, 15);
    expect(cal.error).toBeCloseTo((2 * 0.85 + 2 * 0.3) / 4, 15);
  });

  it("is close to the diagonal for the true model and far from it for a wrong one", () => {
    const { data, survivalAt } = exponentialData(20000, 4);
    const n = data.time.length;
    const within = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
    const good = horizonCalibration(
      data,
      within((i) => 1 - survivalAt(i, 12)),
      12,
    );
    expect(good.bins.length).toBe(10);
    expect(good.bins.every((b) => b.rows === 2000)).toBe(true);
    expect(good.error).toBeLessThan(0.02);
    const bad = horizonCalibration(
      data,
      within((i) => 1 - survivalAt(i, 24)),
      12,
    );
    expect(bad.error).toBeGreaterThan(0.1);
  });
});

describe("survival metrics in one call", () => {
  it("gives the C-index, td AUC per horizon and the integrated Brier score, better for the true model than for noise", () => {
    const { data: train } = exponentialData(4000, 5);
    const { data: test, risk, survivalAt } = exponentialData(4000, 6);
    const m = survivalMetrics({ train, test, risk, survivalAt, horizons: [12, 3, 6] });
    expect(m.rows).toBe(4000);
    expect(m.c_index).toBe(concordanceIndex(test, risk));
    expect(m.c_index).toBeGreaterThan(0.7);
    expect(m.td_auc.map((a) => a.horizon)).toEqual([3, 6, 12]);
    for (const a of m.td_auc) expect(a.auc).toBeGreaterThan(0.7);
    expect(m.brier.length).toBe(20);
    expect(m.integrated_brier).toBeGreaterThan(0);
    expect(m.integrated_brier).toBeLessThan(0.2);
    const rng = new Rng(9);
    const noise = Float64Array.from(risk, () => rng.next());
    const flat = survivalMetrics({
      train,
      test,
      risk: noise,
      survivalAt: (_, t) => Math.exp(-0.05 * t),
      horizons: [6],
    });
    expect(Math.abs(flat.c_index - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(flat.td_auc[0]!.auc - 0.5)).toBeLessThan(0.05);
    expect(flat.integrated_brier).toBeGreaterThan(m.integrated_brier);
  });

  it("takes the Brier times at the 10th to 90th percentiles of the times, distinct", () => {
    const times = brierTimes({ time: Float64Array.from({ length: 101 }, (_, i) => i), event: new Uint8Array(101) }, 5);
    expect(times).toEqual([10, 30, 50, 70, 90]);
    expect(brierTimes({ time: [3, 3, 3, 3], event: [1, 1, 1, 1] })).toEqual([3]);
    expect(brierTimes({ time: [], event: [] })).toEqual([]);
  });
});
