/**
 * Breslow's baseline cumulative hazard and the quantities read off S(t) = exp(−H0(t)·exp(risk)), against a case
 * computed by hand: durations 1, 2, 2, 3, 4, events 1, 1, 0, 1, 0, relative hazards exp(risk) 1, 2, 1, 2, 1.
 * Risk sets: t=1 all five (sum 7), t=2 the last four (sum 6), t=3 the last two (sum 3); one event at each.
 */
import { describe, expect, it } from "vitest";
import {
  baselineHazard,
  breslowBaseline,
  churnWithin,
  cumulativeHazardAt,
  expectedRemaining,
  expectedTimeLost,
  survivalAt,
  survivalScores,
} from "../../src/learners/baseline-hazard.js";

const time = Float64Array.from([1, 2, 2, 3, 4]);
const event = Uint8Array.from([1, 1, 0, 1, 0]);
const L2 = Math.log(2);
const risk = Float64Array.from([0, L2, 0, L2, 0]);
const H = [1 / 7, 1 / 7 + 1 / 6, 1 / 7 + 1 / 6 + 1 / 3];

describe("breslowBaseline", () => {
  it("rises by events / Σ exp(risk) over the risk set at each distinct event time", () => {
    const b = breslowBaseline(time, event, risk);
    expect(b.times).toEqual([1, 2, 3]);
    b.cumulative_hazard.forEach((h, k) => expect(h).toBeCloseTo(H[k]!, 14));
    expect(b.max_time).toBe(4);
    // A step function: 0 before the first event time, flat after the last.
    expect(cumulativeHazardAt(b, 0.5)).toBe(0);
    expect(cumulativeHazardAt(b, 2.5)).toBeCloseTo(H[1]!, 14);
    expect(cumulativeHazardAt(b, 100)).toBeCloseTo(H[2]!, 14);
  });

  it("does not depend on a constant added to every risk (H0 scales by its exponential), and does not overflow", () => {
    const b = breslowBaseline(time, event, risk);
    const shifted = breslowBaseline(
      time,
      event,
      risk.map((r) => r + 700),
    );
    shifted.cumulative_hazard.forEach((h, k) => expect(h * Math.exp(700)).toBeCloseTo(b.cumulative_hazard[k]!, 12));
    expect(survivalAt(shifted, 700, 3)).toBeCloseTo(survivalAt(b, 0, 3), 12);
  });

  it("counts tied event times together", () => {
    const b = breslowBaseline(Float64Array.from([2, 2, 5]), Uint8Array.from([1, 1, 1]), new Float64Array(3));
    expect(b.times).toEqual([2, 5]);
    expect(b.cumulative_hazard[0]).toBeCloseTo(2 / 3, 14);
    expect(b.cumulative_hazard[1]).toBeCloseTo(2 / 3 + 1, 14);
  });
});

/**
 * Efron's estimator, by hand: durations 2, 2, 2, 5, 5, 7, events 1, 1, 0, 1, 1, 0, relative hazards 1, 2, 1, 3, 1, 2.
 * t=2: R = 10, tied D = 1 + 2 = 3, d = 2: 1/10 + 1/(10 − 3/2). t=5: R = 6, D = 4, d = 2: 1/6 + 1/(6 − 2).
 * R 4.2 / survival 3.5-3 gives the same: basehaz(coxph(Surv(t, e) ~ x, ties = "efron", init = 1, iter.max = 0),
 * centered = FALSE) with x = log(relative hazard) is 0.21764705882352942, 0.63431372549019605 (and with
 * ties = "breslow" 0.2, 0.5333333333333333).
 */
describe("baselineHazard with Efron's ties", () => {
  const t = Float64Array.from([2, 2, 2, 5, 5, 7]);
  const e = Uint8Array.from([1, 1, 0, 1, 1, 0]);
  const r = Float64Array.from([1, 2, 1, 3, 1, 2].map(Math.log));

  it("rises by Σ_{l<d} 1/(R − (l/d)·D) at a tied event time (R's survfit/basehaz with ties efron)", () => {
    const b = baselineHazard(t, e, r, "efron");
    expect(b.estimator).toBe("efron");
    expect(b.times).toEqual([2, 5]);
    expect(b.cumulative_hazard[0]).toBeCloseTo(1 / 10 + 1 / 8.5, 14);
    expect(b.cumulative_hazard[1]).toBeCloseTo(1 / 10 + 1 / 8.5 + 1 / 6 + 1 / 4, 14);
    expect(b.cumulative_hazard[0]).toBeCloseTo(0.21764705882352942, 14);
    expect(b.cumulative_hazard[1]).toBeCloseTo(0.63431372549019605, 14);
    expect(b.max_time).toBe(7);
  });

  it("is Breslow's for breslow ties (and by default), with the estimator named", () => {
    const b = baselineHazard(t, e, r, "breslow");
    expect(b.estimator).toBe("breslow");
    expect(b.cumulative_hazard[0]).toBeCloseTo(0.2, 14);
    expect(b.cumulative_hazard[1]).toBeCloseTo(0.5333333333333333, 14);
    expect(baselineHazard(t, e, r)).toEqual(b);
    expect(breslowBaseline(t, e, r)).toEqual(b);
  });

  it("equals Breslow's where no two events share a time (the hand case above has no tied events)", () => {
    const efron = baselineHazard(time, event, risk, "efron");
    efron.cumulative_hazard.forEach((h, k) => expect(h).toBeCloseTo(H[k]!, 14));
  });

  it("with equal risks is the Fleming–Harrington estimator Σ_{l<d} 1/(n − l), and shift-invariant", () => {
    // Six rows, three events tied at 1, one at 3: 1/6 + 1/5 + 1/4, then 1/2.
    const tt = Float64Array.from([1, 1, 1, 2, 3, 4]);
    const ee = Uint8Array.from([1, 1, 1, 0, 1, 0]);
    const b = baselineHazard(tt, ee, new Float64Array(6), "efron");
    expect(b.cumulative_hazard[0]).toBeCloseTo(1 / 6 + 1 / 5 + 1 / 4, 14);
    expect(b.cumulative_hazard[1]).toBeCloseTo(1 / 6 + 1 / 5 + 1 / 4 + 1 / 2, 14);
    const shifted = baselineHazard(tt, ee, new Float64Array(6).fill(700), "efron");
    shifted.cumulative_hazard.forEach((h, k) => expect(h * Math.exp(700)).toBeCloseTo(b.cumulative_hazard[k]!, 12));
  });

  it("brute force: each step is the sum over l of 1/(risk-set sum less the share l/d of the tied events)", () => {
    // A random table with many ties, checked against a direct double loop over rows.
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const n = 60;
    const tt = Float64Array.from({ length: n }, () => 1 + Math.floor(rand() * 8));
    const ee = Uint8Array.from({ length: n }, () => (rand() < 0.6 ? 1 : 0));
    const rr = Float64Array.from({ length: n }, () => rand() * 4 - 2);
    const b = baselineHazard(tt, ee, rr, "efron");
    const distinct = [...new Set(Array.from(tt).filter((_, i) => ee[i]))].sort((a, b2) => a - b2);
    expect(b.times).toEqual(distinct);
    let h = 0;
    distinct.forEach((u, k) => {
      let R = 0;
      let D = 0;
      let d = 0;
      for (let i = 0; i < n; i++) {
        if (tt[i]! >= u) R += Math.exp(rr[i]!);
        if (tt[i] === u && ee[i]) {
          D += Math.exp(rr[i]!);
          d++;
        }
      }
      for (let l = 0; l < d; l++) h += 1 / (R - (l / d) * D);
      expect(b.cumulative_hazard[k]).toBeCloseTo(h, 12);
    });
    // Efron's removes tied events from the risk set gradually, so each step is at least Breslow's d/R.
    const br = baselineHazard(tt, ee, rr, "breslow");
    b.cumulative_hazard.forEach((x, k) => expect(x).toBeGreaterThan(br.cumulative_hazard[k]!));
  });
});

describe("predictions from the baseline", () => {
  const b = breslowBaseline(time, event, risk);

  it("churn_within_H = 1 − S(t0 + H)/S(t0)", () => {
    expect(churnWithin(b, 0, 1, 2)).toBeCloseTo(1 - Math.exp(-(1 / 6 + 1 / 3)), 14);
    expect(churnWithin(b, L2, 1, 2)).toBeCloseTo(1 - survivalAt(b, L2, 3) / survivalAt(b, L2, 1), 14);
    // Past the last event time nothing more is known: no further hazard.
    expect(churnWithin(b, 0, 3, 5)).toBe(0);
  });

  it("expected_remaining = ∫ S(u)/S(t0) du from t0 to the longest training duration, 0 at or past it", () => {
    expect(expectedRemaining(b, L2, 1)).toBeCloseTo(1 + Math.exp(-1 / 3) + Math.exp(-1), 14);
    expect(expectedRemaining(b, 0, 0)).toBeCloseTo(1 + Math.exp(-1 / 7) + Math.exp(-H[1]!) + Math.exp(-H[2]!), 14);
    expect(expectedRemaining(b, 0, 4)).toBe(0);
    expect(expectedRemaining(b, 0, 9)).toBe(0);
  });

  it("the expected time lost within H is H − ∫_{t0}^{t0+H} S(u)/S(t0) du", () => {
    expect(expectedTimeLost(b, 0, 0, 2)).toBeCloseTo(1 - Math.exp(-1 / 7), 14);
    expect(expectedTimeLost(b, 0, 3.5, 2)).toBe(0);
  });

  it("survivalScores: churn_within non-decreasing in the horizon and in [0, 1], revenue = value × time lost", () => {
    const t0 = Float64Array.from([0, 0.5, 1, 2.5, 4]);
    const r = Float64Array.from([-1, 0, 1, 2, 0]);
    const value = Float64Array.from([10, 20, NaN, 5, 1]);
    const s = survivalScores(b, [1, 2, 3], r, t0, value);
    for (let i = 0; i < 5; i++) {
      for (let k = 0; k < 3; k++) {
        expect(s.within[k]![i]).toBeGreaterThanOrEqual(k ? s.within[k - 1]![i]! : 0);
        expect(s.within[k]![i]).toBeLessThanOrEqual(1);
      }
      expect(s.remaining[i]).toBeCloseTo(expectedRemaining(b, r[i]!, t0[i]!), 14);
    }
    expect(s.revenue![1]![0]).toBeCloseTo(10 * expectedTimeLost(b, -1, 0, 2), 12);
    expect(s.revenue![0]![2]).toBeNaN();
    expect(survivalScores(b, [1], r, t0).revenue).toBeNull();
  });
});
