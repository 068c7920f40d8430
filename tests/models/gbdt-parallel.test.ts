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
