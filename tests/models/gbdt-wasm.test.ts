import { afterEach, describe, expect, it } from "vitest";
import type { FeatureInfo, Matrix } from "../../src/core/types.js";
import { Rng } from "../../src/utils/random.js";
import { GbdtEstimator } from "../../src/learners/gbdt/gbdt.js";
import { buildRows, histogramCounts, makeLayout } from "../../src/learners/gbdt/histogram.js";
import { buildWide, sumWide } from "../../src/learners/gbdt/kernel-histogram.js";
import {
  histogramKernelText,
  instantiateKernel,
  kernelMemory,
  MIN_UNROLLED_CELLS,
} from "../../src/learners/gbdt/histogram-wasm.js";
import { wasmFromText } from "../../src/utils/wasm-text.js";

/** Bits of every slot: Object.is tells -0 from 0, and NaN is equal to itself. */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

describe("gbdt histogram WebAssembly kernel", () => {
  const saved = process.env.CHURNKIT_WASM;
  afterEach(() => {
    if (saved === undefined) delete process.env.CHURNKIT_WASM;
    else process.env.CHURNKIT_WASM = saved;
  });

  it("assembles into a module this Node validates and runs on shared memory, and CHURNKIT_WASM=0 turns it off", () => {
    const bytes = wasmFromText(histogramKernelText());
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]);
    const memory = kernelMemory(1 << 20);
    expect(memory).not.toBeNull();
    expect(memory!.buffer).toBeInstanceOf(SharedArrayBuffer);
    const k = instantiateKernel(memory!);
    expect(typeof k?.addRows).toBe("function");
    expect(typeof k?.addAll).toBe("function");
    expect(typeof k?.addAllSums).toBe("function");
    process.env.CHURNKIT_WASM = "0";
    expect(kernelMemory(1 << 20)).toBeNull();
  });

  it.each([
    ["feature loop", false],
    ["unrolled for the layout", true],
  ])("builds the same histogram bits as the JS loop (%s): row subsets, all rows, a run of features", (_, unroll) => {
    const n = 20_000;
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
    // Two wide block buffers (kernel-histogram.ts).
    const pWide = take(2 * 8 * 4 * layout.size);
    const memory = kernelMemory(at)!;
    const buf = memory.buffer;
    const offsets = new Int32Array(buf, pOff, nf);
    offsets.set(layout.offsets);
    // Unrolled: as for a table of MIN_UNROLLED_CELLS cells (its calls over all features take the unrolled code).
    const kernel = (unroll ? instantiateKernel(memory, offsets, MIN_UNROLLED_CELLS) : instantiateKernel(memory))!;
    expect(kernel).not.toBeNull();
    const bins = new Uint8Array(buf, pBins, n * nf);
    // Value bins, the missing bin (nBins[j]), and skewed columns that put long runs into one bin.
    for (let r = 0; r < n; r++)
      for (let j = 0; j < nf; j++) bins[r * nf + j] = rng.next() < 0.1 ? nBins[j]! : rng.int(nBins[j]!);
    const kLayout = { ...layout, offsets };
    const grad = new Float64Array(buf, pGrad, n);
    const hess = new Float64Array(buf, pHess, n);
    for (let r = 0; r < n; r++) {
      // Magnitudes that make float sums order-sensitive, and a -0.
      grad[r] = r === 7 ? -0 : (rng.next() - 0.5) * 10 ** rng.int(12);
      hess[r] = rng.next() * 0.25;
    }
    // Rows of a dense node (taken without the touch ahead: kernel-histogram.ts, NEAR_ROWS), then of a sparse one.
    const dense = Uint32Array.from({ length: n }, (_, i) => i).filter(() => rng.next() < 0.4);
    const sparse = Uint32Array.from({ length: n }, (_, i) => i).filter(() => rng.next() < 0.05);
    const subset = new Uint32Array(dense.length + sparse.length);
    subset.set(dense);
    subset.set(sparse, dense.length);
    const [d, s] = [dense.length, subset.length];
    const rows = new Uint32Array(buf, pRows, n);
    rows.set(subset);
    const wide = new Float64Array(buf, pWide, 2 * 4 * layout.size);
    const kHist = new Float64Array(3 * layout.size);
    const jsHist = new Float64Array(3 * layout.size);
    const jsBlock = new Float64Array(3 * layout.size);
    const cases: [Int32Array, Uint32Array | null, number, number][] = [
      [Int32Array.from({ length: nf }, (_, j) => j), rows, 0, d],
      [Int32Array.from({ length: nf }, (_, j) => j), rows, d, s],
      [Int32Array.from({ length: nf }, (_, j) => j), null, 0, n],
      // Fewer rows than one chunk of touched rows (histogram-kernel-text.ts, TOUCH_ROWS = 128), and whole chunks.
      [Int32Array.from({ length: nf }, (_, j) => j), rows, d + 5, d + 70],
      [Int32Array.from({ length: nf }, (_, j) => j), rows, d + 200, d + 200 + 4 * 128],
      [Int32Array.from([2, 3, 4, 5]), rows, 13, d - 5],
      [Int32Array.from([2, 3, 4, 5]), rows, d + 13, s - 5],
      // Column subsampling: runs of consecutive features, one kernel call each.
      [Int32Array.from([0, 2, 3, 6, 8]), rows, 0, d],
      [Int32Array.from([0, 2, 3, 6, 8]), rows, d, s],
      [Int32Array.from([1, 4, 5, 7]), null, 100, n],
      [Int32Array.from([0]), null, 1, 2],
    ];
    for (const [features, r, start, end] of cases) {
      // Two blocks split at `mid`, summed in block order, against the JS loop's two blocks summed the same way.
      const mid = start + ((end - start) >> 1);
      // Stale values everywhere: a build must zero the active slots itself.
      for (const h of [wide, kHist, jsHist, jsBlock]) h.fill(3);
      const w0 = wide.subarray(0, 4 * layout.size);
      const w1 = wide.subarray(4 * layout.size);
      buildWide(w0, kLayout, bins, nf, features, r, start, mid, grad, hess, kernel, false);
      buildWide(w1, kLayout, bins, nf, features, r, mid, end, grad, hess, kernel, false);
      sumWide(kHist, wide, 2, layout, features, true);
      const js = r ? subset : null;
      buildRows(jsHist, layout, bins, nf, features, js, start, mid, grad, hess);
      buildRows(jsBlock, layout, bins, nf, features, js, mid, end, grad, hess);
      const jc = histogramCounts(jsHist, layout);
      const bc = histogramCounts(jsBlock, layout);
      for (let t = 0; t < layout.size; t++) {
        jsHist[2 * t] = jsHist[2 * t]! + jsBlock[2 * t]!;
        jsHist[2 * t + 1] = jsHist[2 * t + 1]! + jsBlock[2 * t + 1]!;
        jc[t] = jc[t]! + bc[t]!;
      }
      // Slots of inactive features are not written: compare the active ones.
      for (const j of features) {
        const from = layout.offsets[j]!;
        const to = from + nBins[j]! + 1;
        expect(sameBits(kHist.subarray(2 * from, 2 * to), jsHist.subarray(2 * from, 2 * to))).toBe(true);
        expect(Array.from(histogramCounts(kHist, layout).subarray(from, to))).toEqual(
          Array.from(jc.subarray(from, to)),
        );
        // It did add something: the feature's counts sum to the rows.
        expect(
          histogramCounts(kHist, layout)
            .subarray(from, to)
            .reduce((x, y) => x + y, 0),
        ).toBe(end - start);
      }
      if (r === null) {
        // Sums only (a root whose counts are known): the same sums, the counts left at 0.
        buildWide(w0, kLayout, bins, nf, features, null, start, mid, grad, hess, kernel, true);
        buildWide(w1, kLayout, bins, nf, features, null, mid, end, grad, hess, kernel, true);
        const again = new Float64Array(3 * layout.size);
        sumWide(again, wide, 2, layout, features, true);
        for (const j of features) {
          const from = layout.offsets[j]!;
          const to = from + nBins[j]! + 1;
          expect(sameBits(again.subarray(2 * from, 2 * to), kHist.subarray(2 * from, 2 * to))).toBe(true);
          expect(
            histogramCounts(again, layout)
              .subarray(from, to)
              .every((v) => v === 0),
          ).toBe(true);
        }
      }
    }
  });

  it.each([
    [20_000, 12],
    // Rows x 8 features = MIN_UNROLLED_CELLS: the unrolled kernel (histogram-wasm.ts, kernelFor).
    [MIN_UNROLLED_CELLS / 8, 3],
  ])("fits byte-identical models with and without the kernel (CHURNKIT_WASM=0), %i rows", (n, trees) => {
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
      { max_iter: trees, early_stopping: false },
      { max_iter: trees, subsample: 0.7, colsample: 0.6, max_leaf_nodes: null, max_depth: 5 },
    ]) {
      delete process.env.CHURNKIT_WASM;
      const withKernel = JSON.stringify(new GbdtEstimator(params).fit(X, y, { seed: 5 }).state());
      process.env.CHURNKIT_WASM = "0";
      const jsLoop = JSON.stringify(new GbdtEstimator(params).fit(X, y, { seed: 5 }).state());
      expect(withKernel).toBe(jsLoop);
      expect(withKernel.length).toBeGreaterThan(1000);
    }
  });
});
