/** The survival task's guard against inputs that are functions of the duration (evaluation/leakage.ts). */
import { describe, expect, it } from "vitest";
import { DURATION_RHO, durationLeakMessage, findDurationLeaks, spearman } from "../../src/evaluation/leakage.js";
import { typed } from "../helpers.js";

describe("spearman", () => {
  it("is Pearson's r of average ranks: 1 for any increasing function, −1 for a decreasing one", () => {
    const x = Float64Array.from([1, 2, 3, 4, 5]);
    expect(
      spearman(
        x,
        x.map((v) => v ** 3),
      ),
    ).toBeCloseTo(1, 14);
    expect(
      spearman(
        x,
        x.map((v) => -Math.exp(v)),
      ),
    ).toBeCloseTo(-1, 14);
    // Ties share their mean rank: ranks of [1, 2, 2, 3] are [0, 1.5, 1.5, 3]; by hand r = 0.9486832980505138.
    expect(spearman(Float64Array.from([1, 2, 2, 3]), Float64Array.from([1, 2, 3, 4]))).toBeCloseTo(
      0.9486832980505138,
      14,
    );
    expect(spearman(Float64Array.from([1, 1, 1]), Float64Array.from([1, 2, 3]))).toBeNaN();
  });
});

describe("findDurationLeaks", () => {
  const n = 400;
  const tenure = Float64Array.from({ length: n }, (_, i) => (i * 37) % 73);
  const monthly = Array.from({ length: n }, (_, i) => 20 + ((i * 13) % 80));
  const t = typed({
    tenure: Array.from(tenure),
    monthly,
    total: monthly.map((m, i) => (i % 50 === 0 ? null : m * tenure[i]!)),
    plan: monthly.map((m) => (m > 60 ? "big" : "small")),
  });
  const inputs = [
    { column: "monthly", type: "numeric" as const },
    { column: "total", type: "numeric" as const },
    { column: "plan", type: "categorical" as const },
  ];

  it("flags a numeric input whose |ρ| with the duration is at least DURATION_RHO (missing values left out)", () => {
    const leaks = findDurationLeaks(t, inputs, tenure);
    expect(leaks.map((l) => l.column)).toEqual(["total"]);
    expect(leaks[0]!.rank_correlation).toBeGreaterThanOrEqual(DURATION_RHO);
    expect(leaks[0]!.allowed).toBe(false);
    expect(durationLeakMessage(leaks[0]!, "tenure")).toMatch(
      /^column "total" looks like a function of the duration column "tenure" \(Spearman ρ 0\.\d{3}\): .*data\.allow_leaky/,
    );
  });

  it("marks a column listed in data.allow_leaky as allowed", () => {
    expect(findDurationLeaks(t, inputs, tenure, ["total"])[0]!.allowed).toBe(true);
  });
});
