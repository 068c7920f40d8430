/**
 * Survival metrics: Kaplan–Meier by hand, the C-index and time-dependent AUC against the values of
 * scikit-survival's own test suite (tests/test_metrics.py) and against O(n²) brute force from the
 * definitions on random cases with tied times, tied risks and censoring; the Brier score likewise; all
 * of them against a numpy transcription of scikit-survival's algorithms on a few hundred rows
 * (tests/fixtures/survival-sksurv.json, written by `/usr/bin/python3 bench/survival_ref.py`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  brierScores,
  censoringKaplanMeier,
  concordance,
  concordanceIndex,
  curveAt,
  kaplanMeier,
  timeDependentAuc,
  type SurvivalData,
} from "../../src/evaluation/survival.js";
import { Rng } from "../../src/utils/random.js";
import { ROOT } from "../helpers.js";

const data = (time: number[], event: (number | boolean)[]): SurvivalData => ({
  time: Float64Array.from(time),
  event: Uint8Array.from(event.map(Number)),
});

/** Random survival data on a coarse grid (many tied times) with about `censored` of the rows censored. */
function randomData(rng: Rng, n: number, grid: number, censored: number): SurvivalData {
  const time = new Float64Array(n);
  const event = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    time[i] = 1 + Math.floor(rng.next() * grid);
    event[i] = rng.next() < censored ? 0 : 1;
  }
  return { time, event };
}

/** Risks with ties: integers in [0, levels). */
function randomRisk(rng: Rng, n: number, levels: number): Float64Array {
  return Float64Array.from({ length: n }, () => Math.floor(rng.next() * levels));
}

/** Kaplan–Meier from the definition: at each distinct time, S *= 1 − d/n with n the rows whose time ≥ t. */
function bruteKm(d: SurvivalData, reverse: boolean): (t: number) => number {
  const n = d.time.length;
  const times = [...new Set(Array.from(d.time))].sort((a, b) => a - b);
  const steps: [number, number][] = [];
  let s = 1;
  for (const t of times) {
    let atRisk = 0;
    let events = 0;
    let censored = 0;
    for (let i = 0; i < n; i++) {
      if (d.time[i]! >= t) atRisk++;
      if (d.time[i] === t) d.event[i] ? events++ : censored++;
    }
    const [count, risk] = reverse ? [censored, atRisk - events] : [events, atRisk];
    if (count > 0) s *= 1 - count / risk;
    steps.push([t, s]);
  }
  return (t) => {
    let v = 1;
    for (const [u, sv] of steps) if (u <= t) v = sv;
    return v;
  };
}

/** Harrell's C from the definition, pair by pair (scikit-survival's comparable pairs). */
function bruteC(d: SurvivalData, risk: ArrayLike<number>) {
  let con = 0;
  let dis = 0;
  let tie = 0;
  let tiedTime = 0;
  for (let i = 0; i < risk.length; i++) {
    if (!d.event[i]) continue;
    for (let j = 0; j < risk.length; j++) {
      const later = d.time[j]! > d.time[i]!;
      const censoredSameTime = d.time[j] === d.time[i] && !d.event[j];
      if (!later && !censoredSameTime) continue;
      if (censoredSameTime) tiedTime++;
      if (risk[i] === risk[j]) tie++;
      else if (risk[i]! > risk[j]!) con++;
      else dis++;
    }
  }
  return { cIndex: (con + tie / 2) / (con + dis + tie), concordant: con, discordant: dis, tiedRisk: tie, tiedTime };
}

/** Cumulative/dynamic AUC at t from its definition: weighted pairs of (case, control). */
function bruteAuc(train: SurvivalData, test: SurvivalData, risk: ArrayLike<number>, t: number): number {
  const g = bruteKm(train, true);
  let num = 0;
  let den = 0;
  for (let i = 0; i < risk.length; i++) {
    if (!(test.event[i] && test.time[i]! <= t)) continue;
    const w = 1 / g(test.time[i]!);
    for (let j = 0; j < risk.length; j++) {
      if (!(test.time[j]! > t)) continue;
      den += w;
      num += w * (risk[i]! > risk[j]! ? 1 : risk[i] === risk[j] ? 0.5 : 0);
    }
  }
  return num / den;
}

/** IPCW Brier score at t from its definition. */
function bruteBrier(train: SurvivalData, test: SurvivalData, s: (i: number, t: number) => number, t: number) {
  const g = bruteKm(train, true);
  // A weight is 0 where G is 0 (scikit-survival's brier_score).
  const w = (t: number) => (g(t) > 0 ? 1 / g(t) : 0);
  let sum = 0;
  for (let i = 0; i < test.time.length; i++) {
    if (test.time[i]! <= t && test.event[i]) sum += s(i, t) ** 2 * w(test.time[i]!);
    else if (test.time[i]! > t) sum += (1 - s(i, t)) ** 2 * w(t);
  }
  return sum / test.time.length;
}

describe("Kaplan–Meier", () => {
  it("steps at the event times by 1 − events / at risk (hand-computed)", () => {
    // Times 1 2 2 3 4 5 with events at 1, 2 (one of the two), 4: S(1) = 5/6, S(2) = 5/6·3/4, S(4) = ·1/2.
    const km = kaplanMeier(data([2, 1, 3, 2, 4, 5], [1, 1, 0, 0, 1, 0]));
    expect(Array.from(km.time)).toEqual([1, 2, 4]);
    expect(Array.from(km.atRisk)).toEqual([6, 5, 2]);
    expect(Array.from(km.events)).toEqual([1, 1, 1]);
    expect(km.survival[0]).toBeCloseTo(5 / 6, 15);
    expect(km.survival[1]).toBeCloseTo((5 / 6) * (4 / 5), 15);
    expect(km.survival[2]).toBeCloseTo((5 / 6) * (4 / 5) * (1 / 2), 15);
    expect(curveAt(km, 0.5)).toBe(1);
    expect(curveAt(km, 3.9)).toBe(km.survival[1]);
    expect(curveAt(km, 4)).toBe(km.survival[2]);
    expect(curveAt(km, 99)).toBe(km.survival[2]);
  });

  it("of the censoring distribution, events at a tied time leave the risk set first (scikit-survival's reverse=True)", () => {
    // Censored at 2 (one), 3, 5; at 2 the event leaves first: 4 at risk, G(2) = 3/4; G(3) = 3/4·2/3; G(5) = 0.
    const g = censoringKaplanMeier(data([2, 1, 3, 2, 4, 5], [1, 1, 0, 0, 1, 0]));
    expect(Array.from(g.time)).toEqual([2, 3, 5]);
    expect(Array.from(g.atRisk)).toEqual([4, 3, 1]);
    expect(Array.from(g.survival)).toEqual([3 / 4, (3 / 4) * (2 / 3), 0]);
    const none = censoringKaplanMeier(data([1, 2, 3], [1, 1, 1]));
    expect(none.time.length).toBe(0);
    expect(curveAt(none, 2)).toBe(1);
  });

  it("matches the definition on random data with ties, both ways", () => {
    const rng = new Rng(7);
    for (let rep = 0; rep < 30; rep++) {
      const d = randomData(rng, 5 + Math.floor(rng.next() * 60), 12, 0.4);
      for (const reverse of [false, true]) {
        const km = reverse ? censoringKaplanMeier(d) : kaplanMeier(d);
        const brute = bruteKm(d, reverse);
        for (let t = 0; t <= 13; t += 0.5) expect(curveAt(km, t)).toBeCloseTo(brute(t), 12);
      }
    }
  });

  it("refuses mismatched lengths and non-finite times", () => {
    expect(() => kaplanMeier({ time: [1, 2], event: [1] })).toThrow(/differ in length \(2, 1\)/);
    expect(() => kaplanMeier({ time: [1, NaN], event: [1, 0] })).toThrow(/time of row 1 is not a finite number/);
  });
});

describe("Harrell's C-index", () => {
  // Cases and expected values from scikit-survival's tests/test_metrics.py (concordance_index_censored).
  const sksurv = [
    {
      name: "no censoring, all correct",
      time: [1, 5, 6, 11, 34, 45, 46, 50],
      event: [1, 1, 1, 1, 1, 1, 1, 1],
      risk: [7, 6, 5, 4, 3, 2, 1, 0],
      want: [1, 28, 0, 0, 0],
    },
    {
      name: "no ties",
      time: [1, 5, 6, 11, 34, 45, 46, 50],
      event: [0, 1, 1, 0, 0, 1, 0, 0],
      risk: [5, 8, 11, 34, 12, 3, 9, 12],
      want: [0.2307692, 3, 10, 0, 0],
    },
    {
      name: "tied time",
      time: [1, 5, 6, 11, 11, 34, 45, 45, 50],
      event: [0, 1, 1, 0, 1, 0, 1, 0, 0],
      risk: [5, 8, 11, 19, 34, 12, 3, 9, 12],
      want: [0.4, 8, 12, 0, 2],
    },
    {
      name: "tied time 2",
      time: [1, 5, 6, 11, 11, 34, 45, 45, 50],
      event: [0, 1, 1, 0, 0, 0, 1, 0, 0],
      risk: [5, 8, 11, 19, 34, 12, 3, 9, 12],
      want: [0.2, 3, 12, 0, 1],
    },
    {
      name: "tied event (reversed input)",
      time: [50, 45, 45, 34, 11, 11, 6, 5, 1],
      event: [0, 0, 1, 0, 1, 1, 0, 1, 0],
      risk: [12, 9, 3, 12, 34, 19, 11, 8, 5],
      want: [0.5294118, 9, 8, 0, 1],
    },
    {
      name: "tied risk",
      time: [1, 5, 6, 11, 34, 45, 46, 50],
      event: [0, 1, 1, 0, 1, 1, 0, 0],
      risk: [5, 15, 11, 34, 12, 3, 9, 12],
      want: [0.59375, 9, 6, 1, 0],
    },
    {
      name: "almost tied risk (within 1e-8)",
      time: [1, 5, 6, 11, 34, 45, 46, 50],
      event: [0, 1, 1, 0, 1, 1, 0, 0],
      risk: [5, 15, 11, 34, 12 + 4.5e-9, 3, 9, 12 - 4.5e-9],
      want: [0.59375, 9, 6, 1, 0],
    },
    {
      name: "tied event and time",
      time: [34, 11, 11, 5, 1, 89, 13, 45, 7, 13, 9, 13],
      event: [1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1],
      risk: [1, 19, 13, 13, 15, 14, 19, 23, 11, 10, 11, 1],
      want: [0.5681818, 12, 9, 1, 2],
    },
  ];
  for (const c of sksurv)
    it(`scikit-survival's case "${c.name}"`, () => {
      const r = concordance(data(c.time, c.event), Float64Array.from(c.risk));
      expect(r.cIndex).toBeCloseTo(c.want[0]!, 6);
      expect([r.concordant, r.discordant, r.tiedRisk, r.tiedTime]).toEqual(c.want.slice(1));
    });

  it("equals the O(n²) count of pairs on random data with tied times and risks", () => {
    const rng = new Rng(11);
    for (let rep = 0; rep < 60; rep++) {
      const n = 2 + Math.floor(rng.next() * 80);
      const d = randomData(rng, n, 1 + Math.floor(rng.next() * 20), rng.next());
      const risk = randomRisk(rng, n, 1 + Math.floor(rng.next() * 30));
      const want = bruteC(d, risk);
      const got = concordance(d, risk);
      if (want.concordant + want.discordant + want.tiedRisk === 0) expect(got.cIndex).toBeNaN();
      else expect(got.cIndex).toBeCloseTo(want.cIndex, 12);
      expect([got.concordant, got.discordant, got.tiedRisk, got.tiedTime]).toEqual([
        want.concordant,
        want.discordant,
        want.tiedRisk,
        want.tiedTime,
      ]);
    }
  });

  it("is 1 for a risk that orders the events exactly, ½ for a constant, NaN when all rows are censored", () => {
    const d = data([1, 2, 3, 4], [1, 1, 1, 0]);
    expect(concordanceIndex(d, [4, 3, 2, 1])).toBe(1);
    expect(concordanceIndex(d, [1, 2, 3, 4])).toBe(0);
    expect(concordanceIndex(d, [5, 5, 5, 5])).toBe(0.5);
    expect(concordanceIndex(data([1, 2], [0, 0]), [1, 2])).toBeNaN();
    expect(() => concordanceIndex(d, [1, 2, NaN, 3])).toThrow(/risk of row 2 is not a finite number/);
  });
});

describe("time-dependent AUC", () => {
  // scikit-survival's uno_auc_data_15 / _20 cases (tests/test_metrics.py, cumulative_dynamic_auc).
  const t15 = [10.88, 19.78, 40.92, 98.7, 70.19, 10.15, 28.95, 29.57, 17.9, 63.78, 36.22, 83.14, 13.69, 99.51, 3.19];
  const e15 = [1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1];
  const risk15 = [
    -1.019, -0.016, 0.132, 0.269, -0.777, -1.077, 0.894, -1.227, -0.417, 0.072, -1.275, -0.91, -0.825, -0.292, -0.045,
  ];
  const train20 = data(
    [
      77.6, 57.6, 66.6, 67.0, 31.5, 5.5, 67.4, 43.7, 31.7, 71.9, 81.1, 56.2, 88.1, 2.9, 62.0, 17.2, 88.0, 26.4, 93.5,
      79.9,
    ],
    [1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1],
  );
  const y15 = data(t15, e15);
  const cases: {
    name: string;
    train: SurvivalData;
    test: SurvivalData;
    times: number[];
    auc: number[];
    mean: number;
  }[] = [
    { name: "single time", train: y15, test: y15, times: [28], auc: [0.362963], mean: 0.362963 },
    { name: "two times", train: y15, test: y15, times: [15, 66], auc: [0.3030303, 0.45], mean: 0.3943949 },
    {
      name: "min to max times",
      train: y15,
      test: y15,
      times: [3.19, 15, 66, 99.51 - 1e-6],
      auc: [0.6428571, 0.3030303, 0.45, 0.3162996],
      mean: 0.3999539,
    },
    { name: "train/test", train: train20, test: y15, times: [15, 66], auc: [0.3030303, 0.4357061], mean: 0.385509 },
    {
      name: "tied test time",
      train: train20,
      test: data([19.78, ...t15.slice(1)], e15),
      times: [66, 15],
      auc: [0.375, 0.4357061],
      mean: 0.4204885,
    },
  ];
  for (const c of cases)
    it(`scikit-survival's case "${c.name}"`, () => {
      const r = timeDependentAuc(c.train, c.test, Float64Array.from(risk15), c.times);
      expect(r.times).toEqual([...c.times].sort((a, b) => a - b));
      r.auc.forEach((a, k) => expect(a).toBeCloseTo(c.auc[k]!, 6));
      expect(r.mean).toBeCloseTo(c.mean, 6);
    });

  it("equals the weighted pair count on random data with ties and a separate training set", () => {
    const rng = new Rng(5);
    for (let rep = 0; rep < 40; rep++) {
      const n = 4 + Math.floor(rng.next() * 60);
      const test = randomData(rng, n, 15, 0.3 + 0.4 * rng.next());
      const train = randomData(rng, 10 + Math.floor(rng.next() * 80), 16, 0.4);
      const risk = randomRisk(rng, n, 2 + Math.floor(rng.next() * 12));
      const horizons = [2, 5, 9, 12];
      const r = timeDependentAuc(train, test, risk, horizons);
      horizons.forEach((t, k) => {
        const want = bruteAuc(train, test, risk, t);
        if (Number.isNaN(want)) expect(r.auc[k]).toBeNaN();
        else expect(r.auc[k]).toBeCloseTo(want, 12);
      });
    }
  });

  it("treats risks within 1e-8 of each other as tied, as scikit-survival does", () => {
    const test = data([1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 0, 0]);
    const exact = timeDependentAuc(test, test, [3, 2, 2, 1, 2, 0], [2.5, 4.5]);
    const near = timeDependentAuc(test, test, [3, 2 + 4e-9, 2, 1, 2 - 4e-9, 0], [2.5, 4.5]);
    expect(near.auc).toEqual(exact.auc);
    // The brute force counts the tie ½: case at 2 (risk 2) against the control at 5 (risk 2).
    expect(exact.auc[0]).toBeCloseTo(bruteAuc(test, test, [3, 2, 2, 1, 2, 0], 2.5), 12);
    const apart = timeDependentAuc(test, test, [3, 2 + 1e-6, 2, 1, 2 - 1e-6, 0], [2.5]);
    expect(apart.auc[0]).toBeGreaterThan(exact.auc[0]!);
  });

  it("is NaN at a horizon with no case or no control, or a case whose censoring weight is infinite", () => {
    const test = data([1, 2, 3, 4], [1, 1, 0, 1]);
    const r = timeDependentAuc(test, test, [4, 3, 2, 1], [0.5, 2, 4]);
    expect(r.auc[0]).toBeNaN(); // nobody has left by 0.5
    expect(r.auc[1]).toBe(1);
    expect(r.auc[2]).toBeNaN(); // nobody is left after 4
    // Training censoring ends at 3 with G = 0 after it: the case at 4 has no weight.
    const train = data([1, 2, 3], [1, 1, 0]);
    expect(timeDependentAuc(train, data([1, 4, 5], [1, 1, 0]), [3, 2, 1], [4.5]).auc[0]).toBeNaN();
  });
});

describe("Brier score", () => {
  it("is the hand-computed IPCW mean at one time", () => {
    // Train = test; G: 1 before 2, 2/3 from 2 (1 of 3 at risk censored), 1/3 from 3 (1 of 2).
    const d = data([1, 2, 3, 5], [1, 0, 0, 1]);
    // At t = 4: row 0 a case (weight 1/G(1) = 1), rows 1–2 censored before t (0), row 3 a control (1/G(4) = 3).
    const s = [0.2, 0.5, 0.6, 0.9];
    const r = brierScores(d, d, (i) => s[i]!, [4]);
    expect(r.brier[0]).toBeCloseTo((0.2 ** 2 * 1 + 0.1 ** 2 * 3) / 4, 15);
    expect(r.integrated).toBeNaN();
  });

  it("equals the definition on random data, and the integrated score is the trapezoid over the span", () => {
    const rng = new Rng(3);
    for (let rep = 0; rep < 20; rep++) {
      const n = 5 + Math.floor(rng.next() * 50);
      const test = randomData(rng, n, 15, 0.4);
      const train = randomData(rng, 30, 16, 0.3);
      const scale = Float64Array.from({ length: n }, () => 0.05 + 0.3 * rng.next());
      const s = (i: number, t: number) => Math.exp(-scale[i]! * t);
      const times = [3, 1.5, 7, 11];
      const r = brierScores(train, test, s, times);
      const sorted = [1.5, 3, 7, 11];
      expect(r.times).toEqual(sorted);
      const want = sorted.map((t) => bruteBrier(train, test, s, t));
      r.brier.forEach((b, k) => expect(b).toBeCloseTo(want[k]!, 12));
      const area = (want[0]! + want[1]!) * 0.75 + (want[1]! + want[2]!) * 2 + (want[2]! + want[3]!) * 2;
      expect(r.integrated).toBeCloseTo(area / 9.5, 12);
    }
  });
});

interface ReferenceCase {
  name: string;
  train: { time: number[]; event: number[] };
  test: { time: number[]; event: number[] };
  risk: number[];
  km: { time: number[]; survival: number[] };
  censoring_km: { time: number[]; survival: number[] };
  concordance: { c_index: number; concordant: number; discordant: number; tied_risk: number; tied_time: number };
  td_auc: { times: number[]; auc: number[]; mean: number };
  brier: { times: number[]; brier: number[]; integrated: number };
}

describe("against a numpy transcription of scikit-survival (bench/survival_ref.py)", () => {
  const ref = JSON.parse(readFileSync(join(ROOT, "tests", "fixtures", "survival-sksurv.json"), "utf8")) as {
    cases: ReferenceCase[];
  };
  for (const c of ref.cases)
    it(c.name, () => {
      const train = data(c.train.time, c.train.event);
      const test = data(c.test.time, c.test.event);
      const risk = Float64Array.from(c.risk);
      // scikit-survival's estimator lists every distinct time (factor 1 where nothing happens): compare at each.
      const km = kaplanMeier(test);
      c.km.time.forEach((t, k) => expect(curveAt(km, t)).toBeCloseTo(c.km.survival[k]!, 12));
      const g = censoringKaplanMeier(train);
      c.censoring_km.time.forEach((t, k) => expect(curveAt(g, t)).toBeCloseTo(c.censoring_km.survival[k]!, 12));
      const con = concordance(test, risk);
      expect(con.cIndex).toBeCloseTo(c.concordance.c_index, 12);
      expect([con.concordant, con.discordant, con.tiedRisk, con.tiedTime]).toEqual([
        c.concordance.concordant,
        c.concordance.discordant,
        c.concordance.tied_risk,
        c.concordance.tied_time,
      ]);
      const auc = timeDependentAuc(train, test, risk, c.td_auc.times);
      auc.auc.forEach((a, k) => expect(a).toBeCloseTo(c.td_auc.auc[k]!, 12));
      expect(auc.mean).toBeCloseTo(c.td_auc.mean, 12);
      const s = (i: number, t: number) => Math.exp(-Math.exp(risk[i]!) * 0.05 * t);
      const b = brierScores(train, test, s, c.brier.times);
      expect(b.times).toEqual(c.brier.times);
      b.brier.forEach((v, k) => expect(v).toBeCloseTo(c.brier.brier[k]!, 12));
      expect(b.integrated).toBeCloseTo(c.brier.integrated, 12);
    });
});
