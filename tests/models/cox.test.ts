/**
 * The `cox` family against values derived by hand and against brute force: the partial likelihood evaluated
 * from its definition (every risk set summed directly, O(n²)), its finite-difference gradient and Hessian.
 */
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { checkParams, family } from "../../src/learners/families.js";
import { CoxEstimator, CoxModel } from "../../src/learners/cox/cox.js";
import { coxDerivatives, coxObjective } from "../../src/learners/cox/newton.js";
import { toDesign } from "../../src/learners/logreg/design.js";
import { logPartialLikelihood, riskOrder, type CoxTies } from "../../src/learners/partial-likelihood.js";
import type { Matrix } from "../../src/core/types.js";
import { Rng } from "../../src/utils/random.js";

function matrix(columns: number[][] | Float64Array[]): Matrix {
  return {
    nRows: columns[0]!.length,
    features: columns.map((_, j) => ({ name: `x${j}`, kind: "numeric" as const, source: `x${j}` })),
    columns: columns.map((c) => Float64Array.from(c)),
  };
}

/** The log partial likelihood straight from its definition: for each event, its own risk set summed anew. */
function bruteLogLik(X: Matrix, time: Float64Array, event: Uint8Array, beta: number[], ties: CoxTies): number {
  const n = X.nRows;
  const eta = Array.from({ length: n }, (_, i) => beta.reduce((s, b, j) => s + b * X.columns[j]![i]!, 0));
  const times = [...new Set(Array.from(time).filter((_, i) => event[i]))];
  let ll = 0;
  for (const t of times) {
    const D = eta.filter((_, i) => time[i] === t && event[i]);
    const risk = eta.filter((_, i) => time[i]! >= t).reduce((s, v) => s + Math.exp(v), 0);
    const tied = D.reduce((s, v) => s + Math.exp(v), 0);
    for (let l = 0; l < D.length; l++) {
      ll += D[l]!;
      ll -= Math.log(ties === "efron" ? risk - (l / D.length) * tied : risk);
    }
  }
  return ll;
}

/** n rows of normal features, exponential event times with hazard exp(x·beta), censoring, durations rounded to ties. */
function simulate(n: number, beta: number[], seed: number, round = 1) {
  const rng = new Rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const cols = beta.map(() => new Float64Array(n));
  const time = new Float64Array(n);
  const event = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0;
    beta.forEach((b, j) => {
      const x = normal();
      cols[j]![i] = x;
      z += b * x;
    });
    const t = -Math.log(1 - rng.next()) / Math.exp(z);
    const c = -Math.log(1 - rng.next()) * 2;
    time[i] = Math.ceil(Math.min(t, c) * round) / round;
    event[i] = t <= c ? 1 : 0;
  }
  return { X: matrix(cols), time, event };
}

const fit = (X: Matrix, event: Uint8Array, time: Float64Array, p: Record<string, unknown> = {}) =>
  new CoxEstimator({ penalizer: 0, ...p }).fit(X, event, { duration: time });

describe("cox: values derived by hand", () => {
  it("four untied events, x = 1,0,1,0: e^β solves u² − u − 4 = 0, for Efron and Breslow alike", () => {
    const X = matrix([[1, 0, 1, 0]]);
    const t = Float64Array.from([1, 2, 3, 4]);
    const e = Uint8Array.from([1, 1, 1, 1]);
    const want = Math.log((1 + Math.sqrt(17)) / 2);
    expect(fit(X, e, t).state().coef[0]).toBeCloseTo(want, 10);
    expect(fit(X, e, t, { ties: "breslow" }).state().coef[0]).toBeCloseTo(want, 10);
  });

  it("two tied events (x = 1, 0) before a third (x = 0): Efron's e^β = √6, Breslow's 2", () => {
    const X = matrix([[1, 0, 0]]);
    const t = Float64Array.from([1, 1, 2]);
    const e = Uint8Array.from([1, 1, 1]);
    expect(fit(X, e, t).state().coef[0]).toBeCloseTo(Math.log(6) / 2, 10);
    expect(fit(X, e, t, { ties: "breslow" }).state().coef[0]).toBeCloseTo(Math.log(2), 10);
  });
});

describe("cox: brute force", () => {
  const { X, time, event } = simulate(120, [0.8, -0.5, 0.3], 7, 4); // durations rounded to quarters: many ties

  it("evaluates the partial likelihood as its definition does (Efron and Breslow, with ties)", () => {
    const ro = riskOrder(time);
    const beta = [0.3, -0.2, 0.1];
    const eta = Float64Array.from({ length: X.nRows }, (_, i) =>
      beta.reduce((s, b, j) => s + b * X.columns[j]![i]!, 0),
    );
    for (const ties of ["efron", "breslow"] as const)
      expect(logPartialLikelihood(ro, event, eta, ties)).toBeCloseTo(bruteLogLik(X, time, event, beta, ties), 10);
    expect(new Set(time).size).toBeLessThan(X.nRows / 2);
  });

  it("has the exact gradient and Hessian (central differences of the objective)", () => {
    for (const ties of ["efron", "breslow"] as const) {
      const P = { A: toDesign(X), event, ro: riskOrder(time), ties, penalizer: 0.05 };
      const d = P.A.d;
      const b = Float64Array.from([0.4, -0.1, 0.2, 0]);
      const eta = new Float64Array(X.nRows);
      coxObjective(P, b, eta);
      const g = new Float64Array(d);
      const H = new Float64Array(d * d);
      coxDerivatives(P, b, eta, g, H);
      const h = 1e-5;
      const gradAt = (bb: Float64Array) => {
        const gg = new Float64Array(d);
        const e2 = new Float64Array(X.nRows);
        coxObjective(P, bb, e2);
        coxDerivatives(P, bb, e2, gg, new Float64Array(d * d));
        return gg;
      };
      for (let j = 0; j < d - 1; j++) {
        const up = b.slice();
        const dn = b.slice();
        up[j]! += h;
        dn[j]! -= h;
        const fd = (coxObjective(P, up, eta) - coxObjective(P, dn, eta)) / (2 * h);
        expect(g[j]).toBeCloseTo(fd, 8);
        const gu = gradAt(up);
        const gd = gradAt(dn);
        for (let k = 0; k <= j; k++) expect(H[j * d + k]).toBeCloseTo((gu[k]! - gd[k]!) / (2 * h), 7);
      }
    }
  });

  it("fits the maximum: the definition's gradient is 0 there and every nearby point is lower", () => {
    for (const ties of ["efron", "breslow"] as const) {
      const s = fit(X, event, time, { ties }).state();
      expect(s.converged).toBe(true);
      const ll = bruteLogLik(X, time, event, s.coef, ties);
      expect(s.log_partial_likelihood).toBeCloseTo(ll, 9);
      for (let j = 0; j < 3; j++) {
        const h = 1e-4;
        const up = s.coef.map((b, k) => (k === j ? b + h : b));
        const dn = s.coef.map((b, k) => (k === j ? b - h : b));
        const fu = bruteLogLik(X, time, event, up, ties);
        const fdn = bruteLogLik(X, time, event, dn, ties);
        expect(Math.abs((fu - fdn) / (2 * h))).toBeLessThan(1e-5);
        expect(fu).toBeLessThan(ll);
        expect(fdn).toBeLessThan(ll);
      }
    }
  });

  it("recovers the simulated log hazard ratios on many rows", () => {
    const big = simulate(4000, [0.8, -0.5, 0.3], 11, 100);
    const { coef } = fit(big.X, big.event, big.time).state();
    expect(coef[0]).toBeCloseTo(0.8, 1);
    expect(coef[1]).toBeCloseTo(-0.5, 1);
    expect(coef[2]).toBeCloseTo(0.3, 1);
  });

  it("gives Efron and Breslow the same fit without tied durations", () => {
    const untied = simulate(300, [0.5, 0.2], 3, 1e9);
    expect(new Set(untied.time).size).toBe(300);
    const a = fit(untied.X, untied.event, untied.time).state();
    const b = fit(untied.X, untied.event, untied.time, { ties: "breslow" }).state();
    a.coef.forEach((c, j) => expect(c).toBeCloseTo(b.coef[j]!, 12));
    expect(a.log_partial_likelihood).toBeCloseTo(b.log_partial_likelihood, 10);
  });

  it("shrinks the coefficients as the penalty grows", () => {
    const norm = (p: number) => Math.hypot(...fit(X, event, time, { penalizer: p }).state().coef);
    expect(norm(0.1)).toBeLessThan(norm(0.01));
    expect(norm(1)).toBeLessThan(norm(0.1));
  });
});

describe("cox: inputs", () => {
  const X = matrix([[1, 0, 1]]);
  it("fits the survival task only, with one finite duration per row and an event somewhere", () => {
    const e = Uint8Array.from([1, 0, 1]);
    expect(() => new CoxEstimator().fit(X, e)).toThrow(/cox: fits the survival task only/);
    expect(() => new CoxEstimator().fit(X, e, { duration: Float64Array.from([1, 2]) })).toThrow(
      /3 rows but 2 durations/,
    );
    expect(() => new CoxEstimator().fit(X, e, { duration: Float64Array.from([1, NaN, 2]) })).toThrow(
      /duration of row 1 is NaN/,
    );
    expect(() => new CoxEstimator().fit(X, new Uint8Array(3), { duration: Float64Array.from([1, 2, 3]) })).toThrow(
      /no row has the event/,
    );
  });

  it("checks its hyperparameters and has no probability", () => {
    expect(() => new CoxEstimator({ ties: "exact" as "efron" })).toThrow(ZodError);
    expect(checkParams("cox", {})).toEqual({ penalizer: 0.01, ties: "efron", max_iter: 100, tol: 1e-9 });
    expect(family("cox").tasks).toEqual(["survival"]);
    const m = new CoxModel({ coef: [2], log_partial_likelihood: 0, n_iter: 1, converged: true });
    expect(Array.from(m.predictRaw(X))).toEqual([2, 0, 2]);
    expect(() => m.predictProba()).toThrow(/no churn probability/);
  });
});
