/**
 * Breslow's baseline cumulative hazard and the quantities read off S(t) = exp(−H0(t)·exp(risk)), against a case
 * computed by hand: durations 1, 2, 2, 3, 4, events 1, 1, 0, 1, 0, relative hazards exp(risk) 1, 2, 1, 2, 1.
 * Risk sets: t=1 all five (sum 7), t=2 the last four (sum 6), t=3 the last two (sum 3); one event at each.
 */
import { describe, expect, it } from "vitest";
import {
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
