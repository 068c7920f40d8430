/**
 * The one binner of tree, forest and gbdt (src/learners/binning): its numeric edges checked by brute force
 * on small known inputs, missing values in their own bin, seeded sampling above the threshold only, and
 * each family's held-out AUC against the numbers it had before the binner was shared.
 */
import { describe, expect, it } from "vitest";
import { BinMapper } from "../../src/learners/binning/bin-mapper.js";
import { leftCodes } from "../../src/learners/binning/categorical.js";
import { BINNING_SUBSAMPLE, binOf, edgeSample, numericEdges } from "../../src/learners/binning/edges.js";
import { sortNumbers } from "../../src/utils/sort-numbers.js";
import { CartEstimator } from "../../src/learners/tree/cart.js";
import { ForestEstimator } from "../../src/learners/forest/forest.js";
import type { FeatureInfo, Matrix } from "../../src/core/types.js";
import { Rng } from "../../src/utils/random.js";

const num = (name: string): FeatureInfo => ({ name, kind: "numeric", source: name });
const matrix = (features: FeatureInfo[], columns: Float64Array[]): Matrix => ({
  nRows: columns[0]!.length,
  features,
  columns,
});

/** Bin of each value by the edges' rule (x <= edges[b]), by linear scan: the brute-force reference. */
function bruteBin(edges: Float64Array, v: number): number {
  let b = 0;
  while (b < edges.length && v > edges[b]!) b++;
  return b;
}

/** Columns with known shapes: continuous, heavy ties, a heavy tail, few distinct values. */
function column(kind: string, n: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: n }, () => {
    const u = rng.next();
    if (kind === "continuous") return u * 100 - 30;
    if (kind === "ties") return u < 0.6 ? 0 : Math.round(rng.next() * 40) / 4;
    if (kind === "tail") return 1 / Math.pow(1 - u, 1 / 1.1);
    return Math.floor(u * 7);
  });
}

describe("numeric edges (one rule in every family)", () => {
  it("sorts large samples by radix exactly as the built-in sort does (signs, zeros, tiny, huge, infinite)", () => {
    const rng = new Rng(11);
    const special = [Infinity, -Infinity, 1, -1, 0, -0, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE];
    const gens: (() => number)[] = [
      () => rng.next() * 10 - 5,
      () => rng.int(5),
      () => (rng.next() < 0.5 ? -0 : 0),
      () => Math.exp(rng.next() * 1400 - 700) * (rng.next() < 0.5 ? -1 : 1),
      () => special[rng.int(special.length)]!,
    ];
    for (const g of gens) {
      for (const n of [3, 5000, 70_000]) {
        const a = Float64Array.from({ length: n }, g);
        const want = Array.from(a.slice().sort());
        const got = Array.from(sortNumbers(a));
        // Object.is tells -0 from +0.
        expect(got.every((v, i) => Object.is(v, want[i]))).toBe(true);
      }
    }
  });

  it("gives the quantile edges of a known input, and one bin per value when they are few", () => {
    const v = Float64Array.from({ length: 1000 }, (_, i) => i);
    expect(Array.from(numericEdges(v, 4))).toEqual([249.5, 499.5, 749.5]);
    expect(Array.from(numericEdges(Float64Array.from([3, 1, 1, 2, NaN, 3]), 255))).toEqual([1.5, 2.5]);
    // Exact mode: every distinct value its own bin, however many there are.
    expect(numericEdges(v, null)).toHaveLength(999);
    // Adjacent doubles: the edge stays below the upper value, so each value keeps its bin.
    const a = 1;
    const b = 1 + Number.EPSILON;
    expect(Array.from(numericEdges(Float64Array.from([a, b]), null))).toEqual([a]);
    expect(Array.from(numericEdges(Float64Array.from([-Number.MAX_VALUE, Number.MAX_VALUE]), null))).toEqual([0]);
  });

  it("weighted quantiles: each edge follows the first value whose cumulative weight reaches k/max_bins", () => {
    // Values 0..9, weight 1 each but value 7 weighs 11: total 20, targets 5, 10, 15 of max_bins 4.
    const v = Float64Array.from({ length: 10 }, (_, i) => i);
    const w = Float64Array.from({ length: 10 }, (_, i) => (i === 7 ? 11 : 1));
    // Cumulative 1..7 at values 0..6, 18 at 7: the 5th unit ends at 4, 10 and 15 both at 7 (one edge).
    expect(Array.from(numericEdges(v, 4, w))).toEqual([4.5, 7.5]);
    // Equal weights: the same bins as counting rows, row by row (n/max_bins each).
    const u = Float64Array.from({ length: 1000 }, (_, i) => 999 - i);
    expect(Array.from(numericEdges(u, 4, new Float64Array(1000).fill(0.3)))).toEqual([249.5, 499.5, 749.5]);
    // Few distinct values, or no positive weight: the weights change nothing.
    const few = Float64Array.from([3, 1, 1, 2, NaN, 3]);
    expect(Array.from(numericEdges(few, 255, Float64Array.from([9, 0, 0, 1, 1, 1])))).toEqual([1.5, 2.5]);
    expect(Array.from(numericEdges(u, 4, new Float64Array(1000)))).toEqual(Array.from(numericEdges(u, 4)));
    expect(() => numericEdges(u, 4, new Float64Array(999))).toThrow("bin weights: 999 weights for 1000 values");
    expect(() => numericEdges(v, 4, Float64Array.from(w).fill(-1, 3, 4))).toThrow("weight 3 is -1");
  });

  it("weighted quantiles by brute force: rows of weight w count w times", () => {
    const rng = new Rng(5);
    const n = 3000;
    const col = Float64Array.from({ length: n }, () => Math.round(rng.next() * 1000) / 10);
    const w = Int32Array.from({ length: n }, () => 1 + Math.floor(rng.next() * 4));
    // Brute force: the rows repeated by their weights, edges at the first value whose count reaches k·W/max_bins.
    const rep = Array.from(col)
      .flatMap((v, i) => new Array<number>(w[i]!).fill(v))
      .sort((a, b) => a - b);
    const W = rep.length;
    const mb = 16;
    const want: number[] = [];
    for (let k = 1; k < mb; k++) {
      const v = rep[Math.ceil((k * W) / mb) - 1]!;
      const next = rep.find((x) => x > v)!;
      const e = 0.5 * (v + next);
      if (want.length === 0 || e > want[want.length - 1]!) want.push(e);
    }
    expect(Array.from(numericEdges(col, mb, Float64Array.from(w)))).toEqual(want);
    // Through the binner, weights indexed by row and read at the fitted rows only.
    const rows = Uint32Array.from({ length: n / 2 }, (_, i) => 2 * i);
    const sub = Float64Array.from(rows, (r) => col[r]!);
    const m = BinMapper.fit(matrix([num("x")], [col]), mb, rows, 0, Float64Array.from(w));
    expect(Array.from(m.features[0]!.edges)).toEqual(
      Array.from(
        numericEdges(
          sub,
          mb,
          Float64Array.from(rows, (r) => w[r]!),
        ),
      ),
    );
    expect(() => BinMapper.fit(matrix([num("x")], [col]), mb, null, 0, new Float64Array(3))).toThrow(
      "bin weights: 3 weights for 3000 rows",
    );
  });

  it.each([
    ["continuous", 2],
    ["continuous", 16],
    ["continuous", 255],
    ["ties", 4],
    ["ties", 16],
    ["tail", 8],
    ["tail", 64],
    ["few", 4],
    ["few", 255],
  ])("brute force on a %s column, max_bins %i: edges between distinct values, bins of about n/max_bins", (kind, mb) => {
    const n = 2000;
    const col = column(kind, n, new Rng(mb));
    col[17] = NaN;
    const m = BinMapper.fit(matrix([num("x")], [col]), mb);
    const fb = m.features[0]!;
    const e = fb.edges;
    const sorted = col.filter((v) => !Number.isNaN(v)).sort();
    const distinct = sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
    expect(fb.nBins).toBe(e.length + 1);
    expect(fb.nBins).toBeLessThanOrEqual(mb);
    for (let k = 0; k < e.length; k++) {
      if (k > 0) expect(e[k]!).toBeGreaterThan(e[k - 1]!);
      // Between distinct values: some value at or below it, some above it.
      expect(distinct.some((v) => v <= e[k]!) && distinct.some((v) => v > e[k]!)).toBe(true);
    }
    if (distinct.length <= mb) {
      expect(fb.nBins).toBe(distinct.length);
      distinct.forEach((v, i) => expect(bruteBin(e, v)).toBe(i));
    }
    // Rows per bin (the binner's codes agree with the brute-force rule); missing has its own bin.
    const coded = m.codeColumns(matrix([num("x")], [col]))[0]!;
    const count = new Array<number>(fb.nBins + 1).fill(0);
    for (let r = 0; r < n; r++) {
      const b = Number.isNaN(col[r]!) ? fb.nBins : bruteBin(e, col[r]!);
      expect(coded.codes[r]).toBe(b);
      count[b]!++;
    }
    expect(count[fb.nBins]).toBe(1);
    expect(coded.hasMissing).toBe(true);
    const target = sorted.length / mb;
    for (let b = 0; b < fb.nBins; b++) {
      expect(count[b]!).toBeGreaterThan(0);
      // About n/max_bins rows: the rows strictly inside a bin (not tied with its smallest or largest value)
      // are at most n/max_bins + 1; only ties at a bin's ends, which no edge can split, make it bigger.
      const lo = coded.lo[b]!;
      const hi = coded.hi[b]!;
      const inside = sorted.filter((v) => v > lo && v < hi).length;
      expect(inside).toBeLessThanOrEqual(target + 1);
    }
    if (kind === "continuous" && distinct.length > mb)
      for (let b = 0; b < fb.nBins; b++) expect(Math.abs(count[b]! - target)).toBeLessThanOrEqual(1);
  });

  it("puts missing values in their own bin, last, in both layouts", () => {
    const col = Float64Array.from([NaN, 1, 2, NaN, 3]);
    const X = matrix([num("x")], [col]);
    const m = BinMapper.fit(X, 255);
    expect(m.features[0]!.nBins).toBe(3);
    expect(Array.from(m.transform(X).bins)).toEqual([3, 0, 1, 3, 2]);
    const c = m.codeColumns(X)[0]!;
    expect(Array.from(c.codes)).toEqual([3, 0, 1, 3, 2]);
    expect([c.nCodes, c.hasMissing]).toEqual([3, true]);
    expect(Array.from(c.lo)).toEqual([1, 2, 3]);
    // More than 255 bins need the column layout (tree, forest); gbdt's bytes refuse them.
    const wide = matrix([num("w")], [Float64Array.from({ length: 300 }, (_, i) => i)]);
    const exact = BinMapper.fit(wide, null);
    expect(exact.codeColumns(wide)[0]!.codes).toBeInstanceOf(Int32Array);
    expect(() => exact.transform(wide)).toThrow("feature 0 has 300 bins; byte bins need max_bins <= 255");
    expect(() => BinMapper.fit(wide, 1)).toThrow("max_bins must be an integer in 2..65535 or null, got 1");
  });

  it("routes categories absent from the training rows like missing values", () => {
    const X = matrix(
      [{ name: "c", kind: "categorical", nCategories: 4, source: "c" }],
      [Float64Array.from([0, 1, 1, 3, NaN])],
    );
    const fb = BinMapper.fit(X, 255).features[0]!;
    expect(fb.unseenCodes).toEqual([2]);
    expect(Array.from(BinMapper.fit(X, 255).codeColumns(X)[0]!.codes)).toEqual([0, 1, 1, 3, 4]);
    expect(leftCodes(fb, [1], true)).toEqual([1, 2]);
    expect(leftCodes(fb, [1, 0], false)).toEqual([0, 1]);
  });
});

describe("tree and forest split on the binner's bins", () => {
  // x = 0..99, churn when x > 70: exact thresholds find 70.5; two bins (edge 49.5) can only cut at 49.5.
  const x = Float64Array.from({ length: 100 }, (_, i) => i);
  const X = matrix([num("x")], [x]);
  const y = Uint8Array.from(x, (v) => (v > 70 ? 1 : 0));
  it("tree: exact by default, the bins' cut with max_bins", () => {
    expect(new CartEstimator({ max_depth: 1 }).fit(X, y).tree.threshold[0]).toBe(70.5);
    expect(new CartEstimator({ max_depth: 1, max_bins: 2 }).fit(X, y).tree.threshold[0]).toBe(49.5);
  });
  it("forest: the same bins", async () => {
    const p = { n_estimators: 1, bootstrap: false, max_depth: 1, min_samples_leaf: 1, max_features: null };
    expect((await new ForestEstimator({ ...p, max_bins: null }).fit(X, y)).trees[0]!.threshold[0]).toBe(70.5);
    expect((await new ForestEstimator({ ...p, max_bins: 2 }).fit(X, y)).trees[0]!.threshold[0]).toBe(49.5);
  });
});

describe("edge sampling on large tables", () => {
  it("samples only above the threshold, with the seed", () => {
    expect(BINNING_SUBSAMPLE).toBe(200_000);
    expect(edgeSample(null, 10, 1, 10)).toBeNull();
    const rows = Uint32Array.from([5, 7, 9]);
    expect(edgeSample(rows, 3, 1, 3)).toBe(rows);
    const a = edgeSample(null, 1000, 1, 100)!;
    expect(a).toHaveLength(100);
    expect(new Set(a).size).toBe(100);
    expect(a.every((r, i) => r < 1000 && (i === 0 || r > a[i - 1]!))).toBe(true);
    expect(Array.from(edgeSample(null, 1000, 1, 100)!)).toEqual(Array.from(a));
    expect(Array.from(edgeSample(null, 1000, 2, 100)!)).not.toEqual(Array.from(a));
    // Of given rows: a subset of them.
    const some = Uint32Array.from({ length: 500 }, (_, i) => 2 * i);
    expect(edgeSample(some, 500, 1, 50)!.every((r) => r % 2 === 0)).toBe(true);
  });

  it("finds edges on 200,000 rows of a larger table, the same for the same seed, exact mode on all rows", () => {
    const n = BINNING_SUBSAMPLE + 50_000;
    const col = column("continuous", n, new Rng(3));
    const X = matrix([num("x")], [col]);
    const a = BinMapper.fit(X, 64, null, 11).features[0]!.edges;
    expect(Array.from(BinMapper.fit(X, 64, null, 11).features[0]!.edges)).toEqual(Array.from(a));
    expect(Array.from(BinMapper.fit(X, 64, null, 12).features[0]!.edges)).not.toEqual(Array.from(a));
    const sample = edgeSample(null, n, 11)!;
    expect(Array.from(a)).toEqual(
      Array.from(
        numericEdges(
          Float64Array.from(sample, (r) => col[r]!),
          64,
        ),
      ),
    );
    // At the threshold: every row, whatever the seed.
    const at = matrix([num("x")], [col.subarray(0, BINNING_SUBSAMPLE)]);
    const all = Array.from(numericEdges(at.columns[0]!, 64));
    expect(Array.from(BinMapper.fit(at, 64, null, 11).features[0]!.edges)).toEqual(all);
    expect(Array.from(BinMapper.fit(at, 64, null, 12).features[0]!.edges)).toEqual(all);
    expect(BinMapper.fit(X, null, null, 11).features[0]!.nBins).toBe(new Set(col).size);
  });

  it("binOf is the count of edges below the value, for every edge count up to 300", () => {
    let seed = 9;
    const rnd = () => (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296;
    for (let ne = 0; ne <= 300; ne++) {
      const edges = Float64Array.from({ length: ne }, () => rnd() * 4 - 2).sort();
      // Random values, every edge itself, its neighbours, the infinities and both zeros.
      const values = [-Infinity, Infinity, 0, -0, ...Array.from({ length: 40 }, () => rnd() * 5 - 2.5)];
      for (const e of edges) values.push(e, e - 1e-12, e + 1e-12);
      for (const v of values) {
        let below = 0;
        for (const e of edges) if (e < v) below++;
        expect(binOf(edges, v)).toBe(below);
      }
    }
  });
});
