/**
 * gbdt's survival objective and its `ties`: a one-split tree whose leaf values are Newton steps worked out by hand
 * from Efron's and Breslow's derivatives (tests/learners/partial-likelihood.test.ts's case: durations 1, 1, 1, 2,
 * events 1, 1, 0, 1, all scores 0), the same model from both ties when no two events share a duration, and early
 * stopping scored with the fit's own ties; bin edges weighted by the initial Cox hessian (`bin_weights`).
 */
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { GbdtEstimator } from "../../src/learners/gbdt/gbdt.js";
import {
  coxGradients,
  coxScratchLength,
  logPartialLikelihood,
  riskOrder,
} from "../../src/learners/partial-likelihood.js";
import { numericEdges } from "../../src/learners/binning/edges.js";
import type { Matrix } from "../../src/core/types.js";
import { Rng } from "../../src/utils/random.js";

const matrix = (cols: Float64Array[]): Matrix => ({
  nRows: cols[0]!.length,
  features: cols.map((_, j) => ({ name: `x${j}`, kind: "numeric" as const, source: `x${j}` })),
  columns: cols,
});

/** Rows with durations in 1..levels (ties; null: continuous, no ties), events, and 3 numbers that shift the log hazard. */
function table(n: number, seed: number, levels: number | null) {
  const rng = new Rng(seed);
  const cols = [0, 1, 2].map(() => Float64Array.from({ length: n }, () => rng.next() * 2 - 1));
  const time = new Float64Array(n);
  const event = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const t = -Math.log(1 - rng.next()) / Math.exp(1.5 * cols[0]![i]! - cols[1]![i]!);
    time[i] = levels === null ? t : Math.min(levels, Math.ceil(t * levels));
    event[i] = rng.next() < 0.8 ? 1 : 0;
  }
  return { X: matrix(cols), time, event };
}

describe("gbdt survival: ties", () => {
  it("a single split's leaves are −G/H of Efron's (default) or Breslow's derivatives at 0, worked by hand", () => {
    const X = matrix([Float64Array.from([0, 0, 1, 1])]);
    const event = Uint8Array.from([1, 1, 0, 1]);
    const duration = Float64Array.from([1, 1, 1, 2]);
    const p = { max_iter: 1, max_depth: 1, learning_rate: 1, min_samples_leaf: 1, early_stopping: false } as const;
    const leaves = (ties?: "efron" | "breslow") => {
      const m = new GbdtEstimator({ ...p, ...(ties ? { ties } : {}) }).fit(X, event, { duration });
      return Array.from(m.predictRaw(X));
    };
    // Efron: the tied events' gradient 1/4 + 1/6 − 1, hessian 47/144; the censored row and the t=2 row 7/12, 59/144.
    const efron = [(14 / 12) * (144 / 94), (-14 / 12) * (144 / 118)];
    leaves().forEach((v, i) => expect(v).toBeCloseTo(efron[i < 2 ? 0 : 1]!, 12));
    leaves("efron").forEach((v, i) => expect(v).toBeCloseTo(efron[i < 2 ? 0 : 1]!, 12));
    // Breslow: every row at risk at t=1 gets 2/4 (hessian 3/8): the leaves are ±(1 / (3/4)).
    leaves("breslow").forEach((v, i) => expect(v).toBeCloseTo(i < 2 ? 4 / 3 : -4 / 3, 12));
  });

  it("fits the same model with either ties when no two events share a duration, different ones with ties", () => {
    const fit = (d: ReturnType<typeof table>, ties: "efron" | "breslow") =>
      JSON.stringify(
        new GbdtEstimator({ max_iter: 20, early_stopping: false, ties })
          .fit(d.X, d.event, { duration: d.time })
          .state(),
      );
    const untied = table(300, 1, null);
    expect(new Set(untied.time).size).toBe(300);
    expect(fit(untied, "efron")).toBe(fit(untied, "breslow"));
    const tied = table(300, 1, 6);
    expect(fit(tied, "efron")).not.toBe(fit(tied, "breslow"));
  });

  it("early stopping watches the validation rows' partial likelihood with the fit's own ties", () => {
    const train = table(400, 2, 5);
    const val = table(200, 3, 5);
    let events = 0;
    for (const e of val.event) events += e;
    for (const ties of ["efron", "breslow"] as const) {
      const m = new GbdtEstimator({ max_iter: 30, early_stopping: true, n_iter_no_change: 30, tol: 0, ties }).fit(
        train.X,
        train.event,
        { duration: train.time, validation: { X: val.X, y: val.event, duration: val.time } },
      );
      const s = m.state();
      const kept = s.validation_loss![s.n_iter - 1]!;
      const raw = m.predictRaw(val.X);
      const ro = riskOrder(val.time);
      expect(kept).toBeCloseTo(-logPartialLikelihood(ro, val.event, raw, ties) / events, 12);
      const other = ties === "efron" ? "breslow" : "efron";
      expect(Math.abs(kept + logPartialLikelihood(ro, val.event, raw, other) / events)).toBeGreaterThan(1e-4);
    }
  });

  it("refuses a ties value it does not know", () => {
    expect(() => new GbdtEstimator({ ties: "exact" as "efron" })).toThrow(ZodError);
  });
});

describe("gbdt survival: bin_weights", () => {
  const d = table(3000, 21, 12);
  /** The fitted state as JSON: survival on `d`, or classification of `y` when given. */
  const json = (bin_weights?: "auto" | "count" | "hessian", y?: Uint8Array) =>
    JSON.stringify(
      new GbdtEstimator({ max_iter: 5, max_bins: 16, early_stopping: false, ...(bin_weights ? { bin_weights } : {}) })
        .fit(d.X, y ?? d.event, y ? {} : { duration: d.time })
        .state(),
    );
  // Booleans, not toBe on the strings: a failure would print two whole models.
  const same = (a: string, b: string) => a === b;

  it("survival splits at the quantiles of the Cox hessian at score 0 (by default), not of the row count", () => {
    const n = d.time.length;
    const hess = new Float64Array(n);
    const ro = riskOrder(d.time);
    coxGradients(
      ro,
      d.event,
      new Float64Array(n),
      new Float64Array(n),
      hess,
      new Float64Array(coxScratchLength(ro)),
      "efron",
    );
    const p = { max_iter: 1, max_depth: 1, max_bins: 8, early_stopping: false } as const;
    const root = (bin_weights: "auto" | "count") => {
      const t = new GbdtEstimator({ ...p, bin_weights }).fit(d.X, d.event, { duration: d.time }).state().trees[0]!;
      return { feature: t.feature[0]!, threshold: t.threshold[0]! };
    };
    const h = root("auto");
    expect(Array.from(numericEdges(d.X.columns[h.feature]!, 8, hess))).toContain(h.threshold);
    const c = root("count");
    expect(Array.from(numericEdges(d.X.columns[c.feature]!, 8))).toContain(c.threshold);
    expect(h.threshold).not.toBe(c.threshold);
    expect(same(json(), json("hessian"))).toBe(true);
    expect(same(json(), json("count"))).toBe(false);
  });

  it("classification keeps count quantiles by default (hessian: p(1 − p), the same for every row)", () => {
    const y = Uint8Array.from(d.time, (t) => (t <= 6 ? 1 : 0));
    expect(JSON.parse(json(undefined, y)).objective).toBeUndefined();
    expect(same(json(undefined, y), json("count", y))).toBe(true);
    // Asked for, equal weights cut by the weighted rule (edges.ts), which can sit one row away from numpy's
    // midpoint percentile: a model of its own, not the count model.
    expect(same(json("hessian", y), json("count", y))).toBe(false);
  });
});
