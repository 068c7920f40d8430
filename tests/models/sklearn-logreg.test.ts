/**
 * churnkit's logreg, with each solver, against frozen scikit-learn 1.2.1 LogisticRegression numbers
 * (tests/fixtures/sklearn-logreg.json, written by `/usr/bin/python3 bench/sklearn_ref.py fixtures`; see
 * bench/sklearn_logreg_fixtures.py). Same data (frozen in the fixture), same C, penalty l2 and class_weight.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toDesign } from "../../src/learners/logreg/design.js";
import { LogregEstimator, type LogregState } from "../../src/learners/logreg/logreg.js";
import { chooseSolver } from "../../src/learners/logreg/solver.js";
import type { Matrix } from "../../src/core/types.js";
import { ROOT } from "../helpers.js";

interface RefFit {
  coef: number[];
  intercept: number;
  n_iter: number;
  objective: number;
}
interface Fixture {
  sklearn: string;
  data: Record<"narrow" | "onehot" | "wide", { X: number[][]; y: number[] }>;
  cases: {
    data: "narrow" | "onehot" | "wide";
    params: { C: number; class_weight: "balanced" | null };
    lbfgs: RefFit;
    newton_cholesky: RefFit;
    lbfgs_vs_newton: number;
  }[];
}

const REF = JSON.parse(readFileSync(join(ROOT, "tests", "fixtures", "sklearn-logreg.json"), "utf8")) as Fixture;

function matrix(rows: number[][]): Matrix {
  const columns = Array.from({ length: rows[0]!.length }, (_, j) => Float64Array.from(rows, (r) => r[j]!));
  return {
    nRows: rows.length,
    features: columns.map((_, j) => ({ name: `x${j}`, kind: "numeric" as const, source: `x${j}` })),
    columns,
  };
}

/** Max |difference| over coefficients and intercept. */
function maxDiff(s: { coef: number[]; intercept: number }, ref: { coef: number[]; intercept: number }): number {
  let m = Math.abs(s.intercept - ref.intercept);
  s.coef.forEach((b, j) => (m = Math.max(m, Math.abs(b - ref.coef[j]!))));
  return m;
}

/** ½‖coef‖² + C Σ w_i logloss_i, as the fixture computes it. */
function objective(X: number[][], y: number[], C: number, cw: "balanced" | null, s: LogregState): number {
  const pos = y.reduce((a, b) => a + b, 0);
  const [w0, w1] = cw === "balanced" ? [y.length / (2 * (y.length - pos)), y.length / (2 * pos)] : [1, 1];
  let f = 0.5 * s.coef.reduce((a, b) => a + b * b, 0);
  X.forEach((row, i) => {
    const z = s.intercept + row.reduce((a, v, j) => a + v * s.coef[j]!, 0);
    const m = y[i] ? z : -z;
    f += C * (y[i] ? w1 : w0) * (m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m)));
  });
  return f;
}

describe("logreg against scikit-learn's LogisticRegression", () => {
  it("the fixture is scikit-learn 1.2.1's, with six cases over three tables", () => {
    expect(REF.sklearn).toBe("1.2.1");
    expect(REF.cases.map((c) => c.data)).toEqual(["narrow", "narrow", "onehot", "onehot", "wide", "wide"]);
    expect(REF.data.wide.X.length).toBe(80);
    expect(REF.data.wide.X[0]!.length).toBe(300);
  });

  it("solver auto picks newton on the narrow and one-hot tables, newton-cg on the wide one", () => {
    const picked = (["narrow", "onehot", "wide"] as const).map((k) =>
      chooseSolver(toDesign(matrix(REF.data[k].X)), "auto"),
    );
    expect(picked).toEqual(["newton", "newton", "newton-cg"]);
  });

  for (const c of REF.cases) {
    const { C, class_weight } = c.params;
    it(`${c.data}, C = ${C}, class_weight ${class_weight}: every solver reaches newton-cholesky's optimum and beats lbfgs`, () => {
      const { X, y } = REF.data[c.data];
      const M = matrix(X);
      const labels = Uint8Array.from(y);
      for (const solver of ["auto", "newton", "newton-cg"] as const) {
        const s = new LogregEstimator({ C, class_weight, solver }).fit(M, labels).state();
        expect(s.converged).toBe(true);
        // newton-cholesky (tol 1e-12) is at the optimum in floating point: the same coefficients to 1e-6.
        expect(maxDiff(s, c.newton_cholesky)).toBeLessThan(1e-6);
        // lbfgs stops on its own relative-decrease test: as close to it as it is to the optimum, and no worse an objective.
        expect(maxDiff(s, c.lbfgs)).toBeLessThan(c.lbfgs_vs_newton + 1e-6);
        const f = objective(X, y, C, class_weight, s);
        expect(f).toBeLessThanOrEqual(c.lbfgs.objective + 1e-12 * c.lbfgs.objective);
        expect(Math.abs(f - c.newton_cholesky.objective)).toBeLessThan(1e-10 * c.newton_cholesky.objective);
      }
    });
  }
});
