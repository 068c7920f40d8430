/** PSI, its bands and its small-sample noise floor, against values computed by hand. */
import { describe, expect, it } from "vitest";
import { band, chiSquare999, noiseFloor, psi, psiVerdict } from "../../src/monitor/psi.js";

describe("psi", () => {
  it("is Σ (c − r) ln(c / r) over the bins' shares", () => {
    // (0.25 − 0.5) ln 0.5 + (0.75 − 0.5) ln 1.5
    expect(psi([50, 50], [25, 75])).toBeCloseTo(0.2746530721670274, 15);
    // Counts, not shares: the same shares give the same PSI.
    expect(psi([500, 500], [250, 750])).toBeCloseTo(0.2746530721670274, 15);
    expect(psi([3, 7], [3, 7])).toBe(0);
  });

  it("gives an empty bin a share of 1e-4, and skips a bin empty on both sides", () => {
    // (0.9 − 1) ln 0.9 + (0.1 − 0.0001) ln(0.1 / 0.0001)
    expect(psi([100, 0], [90, 10])).toBeCloseTo(0.7006208039360982, 14);
    expect(psi([100, 0, 0], [90, 10, 0])).toBeCloseTo(0.7006208039360982, 14);
    expect(Number.isFinite(psi([0, 10], [10, 0]))).toBe(true);
  });

  it("is 0 when a side has no rows, and refuses bins that differ", () => {
    expect(psi([0, 0], [1, 2])).toBe(0);
    expect(() => psi([1, 2], [1, 2, 3])).toThrow("same bins");
  });
});

describe("bands and the verdict", () => {
  it("bands: below 0.1 stable, 0.1 to 0.25 moderate, 0.25 or more major", () => {
    expect([0, 0.0999, 0.1, 0.2499, 0.25, 3].map(band)).toEqual([
      "stable",
      "stable",
      "moderate",
      "moderate",
      "major",
      "major",
    ]);
  });

  it("χ² 99.9th percentiles by Wilson–Hilferty, within 3% of the exact ones (10.83 for 1 df, 27.88 for 9)", () => {
    expect(chiSquare999(1)).toBeCloseTo(11.157245003403657, 12);
    expect(chiSquare999(9)).toBeCloseTo(28.060581403876874, 12);
    expect(chiSquare999(9) / 27.877164871256568).toBeLessThan(1.01);
    expect(chiSquare999(0)).toBe(0);
    expect(noiseFloor(2, 1000, 10)).toBeCloseTo(11.157245003403657 * (1 / 1000 + 1 / 10), 12);
    expect(noiseFloor(2, 1000, 0)).toBe(Infinity);
  });

  it("a moderate shift is not drift; a major one is, on a large sample", () => {
    // 50/50 → 30/70: (−0.2) ln 0.6 + 0.2 ln 1.4
    const moderate = psiVerdict([500, 500], [300, 700]);
    expect(moderate.value).toBeCloseTo(0.2 * Math.log(1.4 / 0.6), 14);
    expect(moderate).toMatchObject({ band: "moderate", drifted: false, threshold: 0.25 });
    // 50/50 → 20/80: PSI 0.41589; noise floor 11.157 × (1/1000 + 1/1000) = 0.0223 < 0.25
    expect(psiVerdict([500, 500], [200, 800])).toEqual({
      value: expect.closeTo(0.41588830833596724, 14),
      threshold: 0.25,
      band: "major",
      drifted: true,
    });
  });

  it("the same shares on 10 rows are within sampling noise: not drift (the threshold rises, never falls below 0.25)", () => {
    const small = psiVerdict([500, 500], [2, 8]);
    expect(small.value).toBeCloseTo(0.41588830833596724, 14);
    expect(small.threshold).toBeCloseTo(11.157245003403657 * (1 / 1000 + 1 / 10), 12);
    expect(small).toMatchObject({ band: "major", drifted: false });
    // More rows from the same shares: drift from 100 rows on (the floor is 0.1227 there, under 0.25).
    expect(psiVerdict([500, 500], [20, 80])).toMatchObject({ threshold: 0.25, drifted: true });
    expect(psiVerdict([500, 500], [200_000, 800_000])).toMatchObject({ threshold: 0.25, drifted: true });
  });
});
