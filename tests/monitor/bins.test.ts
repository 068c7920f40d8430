/** The reference histograms of stats.ts and the bins drift counts over (bins.ts), against values computed by hand. */
import { describe, expect, it } from "vitest";
import { binIndex, categoricalStats, MAX_LEVELS, numericStats, SCORE_EDGES } from "../../src/data/stats.js";
import { countLevels, countNumeric, levelBins, numericBins } from "../../src/monitor/bins.js";

describe("numeric reference histograms", () => {
  it("1 … 10: edges at the linear-interpolation deciles 1.9, 2.8, … 9.1, one value per bin", () => {
    const s = numericStats(Float64Array.from([3, 1, 2, 10, 4, 5, 6, 7, 8, 9, NaN]));
    expect(s.histogram!.edges.map((e) => +e.toFixed(12))).toEqual([1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1]);
    expect(s.histogram!.counts).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(s.histogram!.missing).toBe(1);
    expect(s.missing_share).toBeCloseTo(1 / 11, 15);
    expect(s.mean).toBe(5.5);
  });

  it("repeated values: equal deciles merge into one edge (seven 0s, three 1s → edges 0, 0.3, 1)", () => {
    const s = numericStats(Float64Array.from([0, 0, 0, 0, 0, 0, 0, 1, 1, 1]), "boolean");
    expect(s.type).toBe("boolean");
    // The 0.7 decile sits at position 6.3: 0 + (1 − 0) × (6.3 − 6), which is 0.2999999999999998 in doubles.
    expect(s.histogram).toEqual({ edges: [0, 0.2999999999999998, 1], counts: [7, 0, 3, 0], missing: 0 });
  });

  it("the score's histogram is over the fixed grid 0.05, 0.1, … 0.95, whatever the scores", () => {
    expect(SCORE_EDGES).toHaveLength(19);
    expect([SCORE_EDGES[0], SCORE_EDGES[1], SCORE_EDGES[18]]).toEqual([0.05, 0.1, 0.95]);
    const h = numericStats(Float64Array.from([0.25, 0.2501, 0.2502, 0.05, 0.99]), "numeric", SCORE_EDGES).histogram!;
    expect(h.edges).toEqual(SCORE_EDGES);
    expect(h.counts.map((c, i) => [i, c]).filter(([, c]) => c! > 0)).toEqual([
      [0, 1],
      [4, 1],
      [5, 2],
      [19, 1],
    ]);
  });

  it("an all-missing column has no edges and one bin", () => {
    expect(numericStats(Float64Array.from([NaN, NaN])).histogram).toEqual({ edges: [], counts: [0], missing: 2 });
  });

  it("binIndex: the number of edges below the value (a value on an edge goes left)", () => {
    const e = [1, 2, 3];
    expect([0, 1, 1.5, 2, 3, 3.1, -Infinity, Infinity].map((x) => binIndex(e, x))).toEqual([0, 0, 1, 1, 2, 3, 0, 3]);
    expect(binIndex([], 5)).toBe(0);
  });

  it("drift bins: a label per decile interval plus missing; current values counted into them", () => {
    const h = { edges: [1, 2.5], counts: [4, 3, 2], missing: 1 };
    const b = numericBins(h);
    expect(b).toEqual({ labels: ["≤ 1", "1 – 2.5", "> 2.5", "(missing)"], reference: [4, 3, 2, 1] });
    const counts = [0, 0, 0, 0];
    countNumeric(h, Float64Array.from([0, 1, 2, 2.5, 7, NaN, NaN]), counts);
    expect(counts).toEqual([2, 2, 1, 2]);
  });
});

describe("categorical reference histograms", () => {
  it("level counts by decreasing count (ties in code-unit order), missing counted apart", () => {
    const s = categoricalStats(["b", "a", "b", null, "c", "a", "b", "constructor"]);
    expect(s.histogram).toEqual({ levels: ["b", "a", "c", "constructor"], counts: [3, 2, 1, 1], other: 0, missing: 1 });
    expect(s.distinct).toBe(4);
    expect(s.top).toEqual({ b: 3 / 8, a: 2 / 8, c: 1 / 8, constructor: 1 / 8 });
  });

  it(`keeps ${MAX_LEVELS} levels at most; the rest are counted as other`, () => {
    const values = Array.from({ length: MAX_LEVELS + 5 }, (_, i) => `L${String(i).padStart(4, "0")}`);
    const s = categoricalStats([...values, "L0000"]);
    expect(s.histogram!.levels).toHaveLength(MAX_LEVELS);
    expect(s.histogram!.levels[0]).toBe("L0000");
    expect(s.histogram!.counts[0]).toBe(2);
    expect(s.histogram!.other).toBe(5);
  });

  it("drift bins: levels with 1% of the training rows or more, then other levels (unseen included), then missing", () => {
    // 1000 rows: c (0.5%) and d (0.4%) share the other bin with the 1 row beyond the stored levels.
    const h = { levels: ["a", "b", "c", "d"], counts: [600, 380, 5, 4], other: 1, missing: 10 };
    const b = levelBins(h);
    expect(b.labels).toEqual(["a", "b", "(other levels)", "(missing)"]);
    expect(b.reference).toEqual([600, 380, 10, 10]);
    const counts = [0, 0, 0, 0];
    countLevels(
      b,
      new Map<string | null, number>([
        ["a", 5],
        ["c", 1],
        ["zzz", 2],
        [null, 3],
      ]),
      counts,
    );
    expect(counts).toEqual([5, 0, 3, 3]);
  });
});
