import { describe, expect, it } from "vitest";
import type { FeatureInfo, Matrix } from "../../src/core/types.js";
import { Rng } from "../../src/utils/random.js";
import { gatherPartition, partitionBlock, partitionRows, updateRows } from "../../src/learners/gbdt/row-tasks.js";

/** `n` rows × 4 numeric columns (one with missing values) and 0/1 labels. */
function table(n: number, seed: number): { X: Matrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const features: FeatureInfo[] = [];
  const columns: Float64Array[] = [];
  for (let j = 0; j < 4; j++) {
    columns.push(Float64Array.from({ length: n }, () => (j === 3 && rng.next() < 0.1 ? NaN : rng.next())));
    features.push({ name: `x${j}`, kind: "numeric", source: `x${j}` });
  }
  const y = Uint8Array.from({ length: n }, (_, r) => (rng.next() < columns[0]![r]! ? 1 : 0));
  return { X: { nRows: n, features, columns }, y };
}

describe("gbdt row tasks (partition, score update) in blocks", () => {
  it("partitions in any number of blocks exactly as the one-piece stable partition", () => {
    const rng = new Rng(1);
    const n = 5000;
    const column = Uint8Array.from({ length: n }, () => rng.int(9));
    const table = Uint8Array.from([1, 0, 0, 1, 1, 0, 1, 0, 1]);
    const start = 700;
    const end = 4321;
    const base = Uint32Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const want = base.slice();
    const nLeftWant = partitionRows(want, start, end, column, table, new Uint32Array(n));
    // Stable: the left part keeps the rows' order and holds exactly the rows whose bin goes left.
    const leftRows = Array.from(base.subarray(start, end)).filter((r) => table[column[r]!] === 1);
    expect(Array.from(want.subarray(start, start + nLeftWant))).toEqual(leftRows);
    for (const blocks of [1, 2, 3, 7, 64]) {
      const rows = base.slice();
      const left = new Uint32Array(n);
      const right = new Uint32Array(n);
      const counts = new Int32Array(3 * 64);
      // Blocks in any order (threads claim them as they go).
      for (let b = blocks - 1; b >= 0; b--)
        partitionBlock(rows, start, end, b, blocks, column, table, left, right, counts);
      expect(gatherPartition(rows, start, end, blocks, left, right, counts)).toBe(nLeftWant);
      expect(Array.from(rows)).toEqual(Array.from(want));
    }
  });

  it("adds leaf values over position blocks as over all positions, and resets the row array", () => {
    const n = 1000;
    const rows = Uint32Array.from({ length: n }, (_, i) => (i * 613) % n);
    // Three leaves tiling the positions.
    const leaves = Float64Array.from([0, 300, 0.5, 300, 301, -2, 301, 1000, 0.125]);
    const raw = Float64Array.from({ length: n }, (_, i) => i / 1000);
    const want = raw.slice();
    for (let k = 0; k < n; k++) want[rows[k]!]! += k < 300 ? 0.5 : k < 301 ? -2 : 0.125;
    for (const cut of [
      [0, n],
      [0, 150, 301, 302, 999, n],
    ]) {
      const got = raw.slice();
      const r = rows.slice();
      for (let i = cut.length - 2; i >= 0; i--) updateRows(got, r, leaves, 3, cut[i]!, cut[i + 1]!, true);
      expect(Array.from(got)).toEqual(Array.from(want));
      expect(Array.from(r)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it("partitions and updates the same on 1 and 2 threads (compiled build in dist/)", async () => {
    const distPar = await import("../../dist/learners/gbdt/parallel.js");
    const distBin = await import("../../dist/learners/binning/bin-mapper.js");
    const distHist = await import("../../dist/learners/gbdt/histogram.js");
    const distRow = await import("../../dist/learners/gbdt/row-tasks.js");
    // Large enough for parallel partition and update tasks.
    const n = 80_000;
    expect(n).toBeGreaterThan(2 * distRow.MIN_PARALLEL_PARTITION);
    const { X, y } = table(n, 2);
    const m = distBin.BinMapper.fit(X, 255);
    const binned = m.transform(X);
    const layout = distHist.makeLayout(m.features.map((f) => f.nBins));
    const run = (threads: number) => {
      const b = distPar.histogramBuilder(binned, y, layout, threads);
      for (let i = 0; i < n; i++) b.rows[i] = (i * 48271) % n;
      b.raw.fill(0.1);
      const table0 = Uint8Array.from({ length: m.features[0]!.nBins + 1 }, (_, k) => (k % 3 === 0 ? 1 : 0));
      const table3 = Uint8Array.from({ length: m.features[3]!.nBins + 1 }, (_, k) => (k < 100 ? 1 : 0));
      const nLeft = b.partition(0, n, 0, table0);
      const nLeft2 = b.partition(nLeft, n, 3, table3);
      const rows = b.rows.slice();
      const value = Float64Array.from([0, 0.25, -0.5, 1]);
      b.update(
        [
          { node: 1, start: 0, end: nLeft },
          { node: 2, start: nLeft, end: nLeft + nLeft2 },
          { node: 3, start: nLeft + nLeft2, end: n },
        ],
        value,
        true,
      );
      const out = {
        t: b.threads,
        nLeft,
        nLeft2,
        rows,
        raw: b.raw.slice(),
        grad: b.grad.slice(),
        reset: b.rows.slice(),
      };
      b.close();
      return out;
    };
    const one = run(1);
    const two = run(2);
    expect([one.t, two.t]).toEqual([1, 2]);
    expect(one.nLeft).toBeGreaterThan(0.2 * n);
    expect(one.nLeft2).toBeGreaterThan(0.1 * n);
    expect([two.nLeft, two.nLeft2]).toEqual([one.nLeft, one.nLeft2]);
    expect(Array.from(two.rows)).toEqual(Array.from(one.rows));
    expect(Array.from(two.raw)).toEqual(Array.from(one.raw));
    expect(Array.from(two.grad)).toEqual(Array.from(one.grad));
    expect(Array.from(two.reset)).toEqual(Array.from({ length: n }, (_, i) => i));
    // The leaf values landed on the right rows: row r's raw score is 0.1 + its leaf's value.
    const leafOf = new Float64Array(n);
    for (let k = 0; k < n; k++) leafOf[one.rows[k]!] = k < one.nLeft ? 0.25 : k < one.nLeft + one.nLeft2 ? -0.5 : 1;
    for (let r = 0; r < n; r += 997) expect(one.raw[r]).toBe(0.1 + leafOf[r]!);
  });
});
