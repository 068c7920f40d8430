import { describe, expect, it } from "vitest";
import type { FeatureInfo, Matrix } from "../../src/core/types.js";
import { Rng } from "../../src/utils/random.js";
import { GbdtEstimator } from "../../src/learners/gbdt/gbdt.js";
import { BinMapper } from "../../src/learners/binning/bin-mapper.js";
import { makeLayout } from "../../src/learners/gbdt/histogram.js";
import {
  blockRange,
  claimBlock,
  claimWord,
  histogramBuilder,
  MIN_PARALLEL_TABLE,
} from "../../src/learners/gbdt/parallel.js";

/** 24,000 rows × 12 columns: numeric, counts, missing values and a 7-category column. */
function table(seed: number): { X: Matrix; y: Uint8Array } {
  const n = 24_000;
  const nf = 12;
  const rng = new Rng(seed);
  const features: FeatureInfo[] = [];
  const columns: Float64Array[] = [];
  for (let j = 0; j < nf; j++) {
    const c = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      if (j === 5) c[r] = rng.int(7);
      else if (j % 3 === 1) c[r] = Math.floor(-Math.log(1 - rng.next()) * 3);
      else c[r] = rng.next() < 0.1 ? NaN : rng.next();
    }
    columns.push(c);
    features.push(
      j === 5
        ? { name: `c${j}`, kind: "categorical", nCategories: 7, source: `c${j}` }
        : { name: `x${j}`, kind: "numeric", source: `x${j}` },
    );
  }
  const y = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const x0 = columns[0]![r]!;
    const z = -1 + 2 * (x0 > 0.5 ? 1 : 0) + (columns[5]![r]! % 3 === 0 ? 1 : 0) + 0.3 * columns[1]![r]! - 1.5 * x0 * x0;
    y[r] = rng.next() < 1 / (1 + Math.exp(-(Number.isNaN(x0) ? z + 1 : z))) ? 1 : 0;
  }
  return { X: { nRows: n, features, columns }, y };
}

describe("gbdt on worker threads", () => {
  it("claims each block of a task exactly once, and none of an older task", () => {
    const claim = new BigInt64Array(new SharedArrayBuffer(8));
    claim[0] = claimWord(7, 3, 0);
    expect([claimBlock(claim, 7), claimBlock(claim, 7), claimBlock(claim, 7), claimBlock(claim, 7)]).toEqual([
      0, 1, 2, -1,
    ]);
    claim[0] = claimWord(8, 2, 0);
    expect(claimBlock(claim, 7)).toBe(-1);
    expect(claimBlock(claim, 8)).toBe(0);
    // Blocks cover the active features once, in order.
    expect([0, 1, 2].map((b) => blockRange(b, 3, 10))).toEqual([
      [0, 3],
      [3, 6],
      [6, 10],
    ]);
  });

  it("uses no worker for a small table or from TypeScript source", () => {
    const { X, y } = table(1);
    const m = BinMapper.fit(X, 255);
    const layout = makeLayout(m.features.map((f) => f.nBins));
    expect(X.nRows * X.columns.length).toBeGreaterThanOrEqual(MIN_PARALLEL_TABLE);
    // Under vitest there is no compiled worker.js beside parallel.ts.
    expect(histogramBuilder(m.transform(X), y, layout, 2).threads).toBe(1);
  });

  it("builds a large node's histogram in row blocks: the same bits on 1 and 2 threads, the one-piece sums", async () => {
    const distPar = await import("../../dist/learners/gbdt/parallel.js");
    const distBin = await import("../../dist/learners/binning/bin-mapper.js");
    const distHist = await import("../../dist/learners/gbdt/histogram.js");
    const { X, y } = table(4);
    const m = distBin.BinMapper.fit(X, 255);
    const binned = m.transform(X);
    const layout = distHist.makeLayout(m.features.map((f) => f.nBins));
    const n = X.nRows;
    // More rows than one block (24,000 rows: 5 blocks at the root, 2 for the odd-row half).
    expect(distHist.histogramBlocks(n, distHist.maxBlocks(layout))).toBeGreaterThan(2);
    const rng = new Rng(5);
    const grad = Float64Array.from({ length: n }, () => rng.next() - 0.5);
    const hess = Float64Array.from({ length: n }, () => 0.25 * rng.next());
    const odd = Uint32Array.from({ length: n >> 1 }, (_, i) => 2 * i + 1);
    const features = Int32Array.from({ length: X.columns.length }, (_, j) => j);
    const build = (threads: number) => {
      const b = distPar.histogramBuilder(binned, y, layout, threads);
      b.grad.set(grad);
      b.hess.set(hess);
      b.rows.set(odd);
      const root = new Float64Array(3 * layout.size);
      const half = new Float64Array(3 * layout.size);
      b.build(root, features, true, 0, n);
      b.build(half, features, false, 0, odd.length);
      const t = b.threads;
      b.close();
      return { root, half, t };
    };
    const one = build(1);
    const two = build(2);
    expect([one.t, two.t]).toEqual([1, 2]);
    expect(Array.from(two.root)).toEqual(Array.from(one.root));
    expect(Array.from(two.half)).toEqual(Array.from(one.half));
    const whole = new Float64Array(3 * layout.size);
    distHist.buildHistogram(whole, layout, binned, features, odd, 0, odd.length, grad, hess);
    for (let s = 0; s < whole.length; s++) {
      // Counts exactly; sums of gradients and hessians in another order, within rounding.
      if (s % 3 === 2) expect(one.half[s]).toBe(whole[s]);
      else expect(Math.abs(one.half[s]! - whole[s]!)).toBeLessThan(1e-9);
    }
  });

  it("fits byte-identical models on 1 and 2 threads (compiled build in dist/), and the same as the source", async () => {
    const dist = await import("../../dist/learners/gbdt/gbdt.js");
    const distPar = await import("../../dist/learners/gbdt/parallel.js");
    const distBin = await import("../../dist/learners/binning/bin-mapper.js");
    const distHist = await import("../../dist/learners/gbdt/histogram.js");
    const { X, y } = table(2);
    const m = distBin.BinMapper.fit(X, 255);
    const probe = distPar.histogramBuilder(m.transform(X), y, distHist.makeLayout(m.features.map((f) => f.nBins)), 2);
    expect(probe.threads).toBe(2);
    probe.close();
    for (const params of [
      { max_iter: 15, early_stopping: false },
      { max_iter: 10, subsample: 0.7, colsample: 0.6, max_leaf_nodes: null, max_depth: 5 },
    ]) {
      const est = new dist.GbdtEstimator(params);
      const one = JSON.stringify(est.fit(X, y, { seed: 3, threads: 1 }).state());
      const two = JSON.stringify(est.fit(X, y, { seed: 3, threads: 2 }).state());
      expect(two).toBe(one);
      expect(JSON.stringify(new GbdtEstimator(params).fit(X, y, { seed: 3 }).state())).toBe(one);
    }
  });
});
