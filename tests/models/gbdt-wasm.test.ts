import { afterEach, describe, expect, it } from "vitest";
import type { FeatureInfo, Matrix } from "../../src/core/types.js";
import { Rng } from "../../src/utils/random.js";
import { GbdtEstimator } from "../../src/learners/gbdt/gbdt.js";
import { buildRows, histogramCounts, makeLayout } from "../../src/learners/gbdt/histogram.js";
import {
  assemble,
  histogramKernelBytes,
  instantiateKernel,
  kernelMemory,
} from "../../src/learners/gbdt/histogram-wasm.js";

/** Bits of every slot: Object.is tells -0 from 0, and NaN is equal to itself. */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

describe("gbdt histogram WebAssembly kernel", () => {
  const saved = process.env.CHURNKIT_GBDT_WASM;
  afterEach(() => {
    if (saved === undefined) delete process.env.CHURNKIT_GBDT_WASM;
    else process.env.CHURNKIT_GBDT_WASM = saved;
  });

  it("assembles into a module this Node validates and runs on shared memory", () => {
    const bytes = histogramKernelBytes();
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]);
    const memory = kernelMemory(1 << 20);
    expect(memory).not.toBeNull();
    expect(memory!.buffer).toBeInstanceOf(SharedArrayBuffer);
    const k = instantiateKernel(memory!);
    expect(typeof k?.addRows).toBe("function");
    expect(typeof k?.addAll).toBe("function");
    // The assembler refuses what it does not know rather than emit wrong bytes.
    expect(() => assemble("f64.mul")).toThrow(/cannot assemble/);
    expect(() => assemble("local.get nowhere")).toThrow(/no local/);
    expect(() => assemble("i32.add 3")).toThrow(/no argument/);
    expect(assemble("local.get k\ni32.const -1 ;; comment\ni32.add")).toEqual([0x20, 8, 0x41, 0x7f, 0x6a]);
  });

  it("builds the same histogram bits as the JS loop: row subsets, all rows, a run of features", () => {
    const n = 5000;
    const nf = 9;
    const rng = new Rng(11);
    const nBins = Array.from({ length: nf }, (_, j) => (j % 3 === 1 ? 4 : j === 2 ? 255 : 37));
    const layout = makeLayout(nBins);
    // Regions of one kernel memory, 16-byte aligned, as fit-memory.ts lays them out.
    let at = 0;
    const take = (bytes: number) => {
      const a = at;
      at += Math.ceil(bytes / 16) * 16;
      return a;
    };
    const pBins = take(n * nf);
    const pOff = take(4 * nf);
    const pGrad = take(8 * n);
    const pHess = take(8 * n);
    const pRows = take(4 * n);
    const pHist = take(8 * 3 * layout.size);
    const memory = kernelMemory(at)!;
    const kernel = instantiateKernel(memory)!;
    expect(kernel).not.toBeNull();
    const buf = memory.buffer;
    const bins = new Uint8Array(buf, pBins, n * nf);
    // Value bins, the missing bin (nBins[j]), and skewed columns that put long runs into one bin.
    for (let r = 0; r < n; r++)
      for (let j = 0; j < nf; j++) bins[r * nf + j] = rng.next() < 0.1 ? nBins[j]! : rng.int(nBins[j]!);
    const offsets = new Int32Array(buf, pOff, nf);
    offsets.set(layout.offsets);
    const kLayout = { ...layout, offsets };
    const grad = new Float64Array(buf, pGrad, n);
    const hess = new Float64Array(buf, pHess, n);
    for (let r = 0; r < n; r++) {
      // Magnitudes that make float sums order-sensitive, and a -0.
      grad[r] = r === 7 ? -0 : (rng.next() - 0.5) * 10 ** rng.int(12);
      hess[r] = rng.next() * 0.25;
    }
    const subset = Uint32Array.from({ length: n }, (_, i) => i).filter(() => rng.next() < 0.4);
    const rows = new Uint32Array(buf, pRows, n);
    rows.set(subset);
    const kHist = new Float64Array(buf, pHist, 3 * layout.size);
    const jsHist = new Float64Array(3 * layout.size);
    const cases: [Int32Array, Uint32Array | null, number, number][] = [
      [Int32Array.from({ length: nf }, (_, j) => j), rows, 0, subset.length],
      [Int32Array.from({ length: nf }, (_, j) => j), null, 0, n],
      [Int32Array.from([2, 3, 4, 5]), rows, 13, subset.length - 5],
      [Int32Array.from([0]), null, 1, 2],
    ];
    for (const [features, r, start, end] of cases) {
      // Stale values in both buffers: the build must zero the active slots itself.
      kHist.fill(3);
      jsHist.fill(3);
      buildRows(kHist, kLayout, bins, nf, features, r, start, end, grad, hess, kernel);
      buildRows(jsHist, layout, bins, nf, features, r ? subset : null, start, end, grad, hess);
      expect(sameBits(kHist, jsHist)).toBe(true);
      expect(Array.from(histogramCounts(kHist, layout))).toEqual(Array.from(histogramCounts(jsHist, layout)));
      // It did add something: the counts of the first active feature sum to the rows.
      const f0 = features[0]!;
      const o0 = Number(layout.offsets[f0]);
      const c = histogramCounts(kHist, layout).subarray(o0, o0 + nBins[f0]! + 1);
      expect(c.reduce((a, b) => a + b, 0)).toBe(end - start);
      if (r === null) {
        // Sums only (a root whose counts are known): the same sums, the counts left at 0.
        kHist.fill(3);
        buildRows(kHist, kLayout, bins, nf, features, null, start, end, grad, hess, kernel, true);
        const sums = (h: Float64Array) => h.subarray(0, 2 * layout.size);
        expect(sameBits(sums(kHist), sums(jsHist))).toBe(true);
        expect(c.every((v) => v === 0)).toBe(true);
      }
    }
  });

  it("fits byte-identical models with and without the kernel (CHURNKIT_GBDT_WASM=0)", () => {
    const n = 20_000;
    const rng = new Rng(3);
    const features: FeatureInfo[] = [];
    const columns: Float64Array[] = [];
    for (let j = 0; j < 8; j++) {
      columns.push(
        Float64Array.from({ length: n }, () =>
          j === 3
            ? rng.int(5)
            : j % 2
              ? Math.floor(-Math.log(1 - rng.next()) * 2)
              : rng.next() < 0.1
                ? NaN
                : rng.next(),
        ),
      );
      features.push(
        j === 3
          ? { name: `c${j}`, kind: "categorical", nCategories: 5, source: `c${j}` }
          : { name: `x${j}`, kind: "numeric", source: `x${j}` },
      );
    }
    const X: Matrix = { nRows: n, features, columns };
    const y = Uint8Array.from({ length: n }, (_, r) => {
      const x0 = columns[0]![r]!;
      const z = (Number.isNaN(x0) ? 0.5 : 2 * x0 - 1) + (columns[3]![r] === 2 ? 1 : 0) + 0.2 * columns[1]![r]!;
      return rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    });
    for (const params of [
      { max_iter: 12, early_stopping: false },
      { max_iter: 8, subsample: 0.7, colsample: 0.6, max_leaf_nodes: null, max_depth: 5 },
    ]) {
      delete process.env.CHURNKIT_GBDT_WASM;
      const withKernel = JSON.stringify(new GbdtEstimator(params).fit(X, y, { seed: 5 }).state());
      process.env.CHURNKIT_GBDT_WASM = "0";
      const jsLoop = JSON.stringify(new GbdtEstimator(params).fit(X, y, { seed: 5 }).state());
      expect(withKernel).toBe(jsLoop);
      expect(withKernel.length).toBeGreaterThan(1000);
    }
  });
});
