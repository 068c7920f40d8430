import { describe, expect, it } from "vitest";
import {
  designGram,
  designGramDiagonal,
  designTimes,
  designTransposeTimes,
  toDesign,
} from "../../src/learners/logreg/design.js";
import { LogregEstimator, LogregModel, type LogregParams, type LogregState } from "../../src/learners/logreg/logreg.js";
import { chooseSolver } from "../../src/learners/logreg/solver.js";
import { classWeights } from "../../src/learners/class-weights.js";
import { sigmoid, type Matrix } from "../../src/core/types.js";
import { Rng } from "../../src/utils/random.js";

function matrix(columns: Float64Array[]): Matrix {
  return {
    nRows: columns[0]!.length,
    features: columns.map((_, j) => ({ name: `x${j}`, kind: "numeric" as const, source: `x${j}` })),
    columns,
  };
}

/**
 * n rows: `numeric` standard normal columns, then one 0/1 column per level of each category in `levels`
 * (every level kept, as churnkit's one-hot encoding does, so each category's columns sum to the intercept's).
 * y ~ Bernoulli(sigmoid(z)) with effects on the first 10 numbers and on every level.
 */
function table(n: number, numeric: number, levels: number[], seed: number): { X: Matrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const cols = Array.from({ length: numeric }, () => new Float64Array(n));
  const effects = levels.map((k) => Array.from({ length: k }, () => normal() * 0.7));
  const onehot = levels.map((k) => Array.from({ length: k }, () => new Float64Array(n)));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let z = -0.4;
    for (let j = 0; j < numeric; j++) {
      cols[j]![i] = normal();
      if (j < 10) z += ((j % 2 ? 1 : -1) * cols[j]![i]!) / (1 + j);
    }
    levels.forEach((k, c) => {
      const l = Math.min(k - 1, Math.floor(k * rng.next() * rng.next())); // skewed: a few big levels, a tail
      onehot[c]![l]![i] = 1;
      z += effects[c]![l]!;
    });
    y[i] = rng.next() < sigmoid(z) ? 1 : 0;
  }
  return { X: matrix([...cols, ...onehot.flat()]), y };
}

/** Max |difference| over coefficients and intercept. */
function maxDiff(a: LogregState, b: LogregState): number {
  let m = Math.abs(a.intercept - b.intercept);
  a.coef.forEach((v, j) => (m = Math.max(m, Math.abs(v - b.coef[j]!))));
  return m;
}

/** max_j |∂f/∂β_j| / (C·n), the quantity `tol` bounds (rows weighted by their class weight). */
function gradientMax(X: Matrix, y: Uint8Array, s: LogregState, params: Partial<LogregParams>): number {
  const C = params.C ?? 1;
  const [w0, w1] = classWeights(y, params.class_weight ?? null);
  const p = new LogregModel(s).predictProba(X);
  const r = Float64Array.from(p, (pi, i) => (y[i] ? w1 : w0) * (pi - y[i]!));
  let g0 = 0;
  for (let i = 0; i < X.nRows; i++) g0 += r[i]!;
  let m = Math.abs(C * g0);
  s.coef.forEach((b, j) => {
    let t = 0;
    for (let i = 0; i < X.nRows; i++) t += X.columns[j]![i]! * r[i]!;
    m = Math.max(m, Math.abs(C * t + b));
  });
  return m / (C * X.nRows);
}

describe("logreg's design matrix", () => {
  // Columns: real; one-hot (2 of 5 ones); one-hot (1 of 5); 0/1 with 4 of 5 ones (dense: listing ones would be longer); 0/1/2.
  const cols = [
    [0.5, -1, 2, 0, 1.5],
    [1, 0, 0, 1, 0],
    [0, 1, 0, 0, 0],
    [1, 1, 1, 0, 1],
    [0, 1, 2, 0, 1],
  ].map((c) => Float64Array.from(c));
  const X = matrix(cols);
  const A = toDesign(X);
  /** Row i of the design with its intercept 1, brute force. */
  const row = (i: number) => [...cols.map((c) => c[i]!), 1];

  it("keeps real-valued columns by reference and lists each row's one-hot 1s", () => {
    expect(A.d).toBe(6);
    expect(A.dense.length).toBe(3);
    A.dense.forEach((c, k) => expect(c).toBe(cols[[0, 3, 4][k]!])); // the matrix's own arrays, not copies
    expect(Array.from(A.denseAt)).toEqual([0, 3, 4]);
    expect(Array.from(A.onesPtr)).toEqual([0, 1, 2, 2, 3, 3]);
    expect(Array.from(A.ones)).toEqual([1, 2, 1]);
  });

  it("A·b, Aᵀ·r, diag(AᵀHA) and AᵀHA equal their dense definitions", () => {
    const b = Float64Array.from([0.3, -1.2, 0.7, 2, -0.5, 0.25]);
    const r = Float64Array.from([1, -2, 0.5, 3, -1]);
    const z = new Float64Array(5);
    designTimes(A, b, z);
    z.forEach((v, i) =>
      expect(v).toBeCloseTo(
        row(i).reduce((s, x, j) => s + x * b[j]!, 0),
        14,
      ),
    );
    const g = new Float64Array(6).fill(99); // overwritten, not added to
    designTransposeTimes(A, r, g);
    g.forEach((v, j) =>
      expect(v).toBeCloseTo(
        [0, 1, 2, 3, 4].reduce((s, i) => s + row(i)[j]! * r[i]!, 0),
        14,
      ),
    );
    const h = Float64Array.from([0.1, 0.2, 0.25, 0.05, 0.15]);
    const dense = (j: number, k: number) => [0, 1, 2, 3, 4].reduce((s, i) => s + h[i]! * row(i)[j]! * row(i)[k]!, 0);
    const diag = new Float64Array(6);
    designGramDiagonal(A, h, diag);
    diag.forEach((v, j) => expect(v).toBeCloseTo(dense(j, j), 14));
    const H = new Float64Array(36);
    designGram(A, h, H);
    for (let j = 0; j < 6; j++)
      for (let k = 0; k < 6; k++) expect(H[j * 6 + k]).toBeCloseTo(k <= j ? dense(j, k) : 0, 14); // lower triangle
  });
});

describe("logreg's solvers", () => {
  const cases: [string, () => { X: Matrix; y: Uint8Array }, Partial<LogregParams>][] = [
    ["narrow, 3,000 × 5", () => table(3000, 5, [], 1), {}],
    ["one-hot, 4,000 × (3 + 3 categories of 3, 5, 8 levels)", () => table(4000, 3, [3, 5, 8], 2), {}],
    ["one-hot, C = 100, balanced", () => table(4000, 3, [3, 5, 8], 3), { C: 100, class_weight: "balanced" }],
    ["wide, 150 × 400", () => table(150, 400, [], 4), {}],
    ["wide, 150 × 400, C = 0.1, balanced", () => table(150, 400, [], 5), { C: 0.1, class_weight: "balanced" }],
    ["wide with one-hot, 300 × (250 + categories of 10, 20 levels)", () => table(300, 250, [10, 20], 6), {}],
  ];
  for (const [name, make, params] of cases) {
    it(`newton and newton-cg give the same coefficients to 1e-6: ${name}`, () => {
      const { X, y } = make();
      const newton = new LogregEstimator({ ...params, solver: "newton" }).fit(X, y).state();
      const cg = new LogregEstimator({ ...params, solver: "newton-cg" }).fit(X, y).state();
      expect(newton.converged).toBe(true);
      expect(cg.converged).toBe(true);
      expect(maxDiff(newton, cg)).toBeLessThan(1e-6);
      expect(gradientMax(X, y, cg, params)).toBeLessThan(1e-8);
    });
  }

  it("auto: newton on churn-shaped tables (narrow or one-hot, any rows), newton-cg on 300 × 2,000", () => {
    const wide = toDesign(table(300, 2000, [], 7).X);
    expect(chooseSolver(wide, "auto")).toBe("newton-cg");
    expect(chooseSolver(toDesign(table(20000, 6, [4, 10, 30], 8).X), "auto")).toBe("newton");
    expect(chooseSolver(toDesign(table(300, 40, [], 9).X), "auto")).toBe("newton");
    expect(chooseSolver(wide, "newton")).toBe("newton"); // an explicit choice is kept
  });

  it("fits the 300 × 2,000 table of the issue with solver auto, to the gradient tolerance", () => {
    const { X, y } = table(300, 2000, [], 7);
    const s = new LogregEstimator().fit(X, y).state();
    expect(s.converged).toBe(true);
    expect(gradientMax(X, y, s, {})).toBeLessThan(1e-8);
  });

  it("newton-cg is deterministic: the same data gives the same state, to the byte", () => {
    const { X, y } = table(150, 400, [6], 10);
    const fit = () => JSON.stringify(new LogregEstimator({ solver: "newton-cg" }).fit(X, y).state());
    expect(fit()).toBe(fit());
  });
});
