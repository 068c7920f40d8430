import { afterEach, describe, expect, it } from "vitest";
import { Rng } from "../../src/utils/random.js";
import { histogramCounts, makeLayout, subtractHistogram } from "../../src/learners/gbdt/histogram.js";
import { findBestSplit, SplitScratch, type SplitConstraints } from "../../src/learners/gbdt/splitting.js";
import { splitKernel } from "../../src/learners/gbdt/split-kernel.js";

describe("gbdt split-finding WebAssembly kernel", () => {
  const saved = process.env.CHURNKIT_WASM;
  afterEach(() => {
    if (saved === undefined) delete process.env.CHURNKIT_WASM;
    else process.env.CHURNKIT_WASM = saved;
  });

  it("finds the JS scan's split, bit for bit, on histograms in its memory", () => {
    const nBins = [255, 3, 40, 255, 1, 17, 255, 2];
    const layout = makeLayout(nBins);
    const length = 3 * layout.size;
    const { pool, kernel } = splitKernel(length, 4);
    expect(kernel).not.toBeNull();
    const inKernel = pool.acquire();
    expect(inKernel.buffer).toBe(kernel!.buffer);
    const plain = new Float64Array(length);
    const features = Int32Array.from(nBins.keys());
    const categorical = new Uint8Array(nBins.length);
    const rng = new Rng(3);
    let splits = 0;
    for (let trial = 0; trial < 400; trial++) {
      plain.fill(0);
      const cnt = histogramCounts(plain, layout);
      // Sparse or dense nodes, with or without missing values, some bins empty, some with zero-sum gradients.
      const rows = [30, 100, 1000, 20000][trial % 4]!;
      const missing = trial % 3 === 0 ? 0 : 0.1;
      let G = 0;
      let H = 0;
      for (let r = 0; r < rows; r++) {
        const g = trial % 7 === 0 ? 0 : rng.next() - 0.4;
        const h = trial % 11 === 0 ? 0.25 : rng.next() * 0.25;
        for (let j = 0; j < nBins.length; j++) {
          const b = rng.next() < missing ? nBins[j]! : Math.floor(rng.next() ** (1 + (trial % 5)) * nBins[j]!);
          const t = layout.offsets[j]! + b;
          plain[2 * t] = plain[2 * t]! + g;
          plain[2 * t + 1] = plain[2 * t + 1]! + h;
          cnt[t] = cnt[t]! + 1;
        }
        G += g;
        H += h;
      }
      inKernel.set(plain);
      const c: SplitConstraints = {
        l2: trial % 2 === 0 ? 0 : 0.5,
        minSamplesLeaf: [1, 5, 20][trial % 3]!,
        minChildWeight: trial % 4 === 0 ? 1 : 1e-3,
        minDataPerGroup: 100,
      };
      const js = findBestSplit(plain, layout, categorical, features, G, H, rows, c, new SplitScratch());
      const wasm = findBestSplit(inKernel, layout, categorical, features, G, H, rows, c, new SplitScratch(kernel));
      expect(wasm).toEqual(js);
      if (js) {
        splits++;
        expect(Object.is(wasm!.gain, js.gain) && Object.is(wasm!.gLeft, js.gLeft)).toBe(true);
      }
    }
    expect(splits).toBeGreaterThan(300);
  });

  it("subtracts histograms as subtractHistogram does, with and without a gap in the active features", () => {
    const layout = makeLayout([255, 3, 40, 255, 1, 17]);
    const length = 3 * layout.size;
    const { pool, kernel } = splitKernel(length, 4);
    const [p, c] = [pool.acquire(), pool.acquire()];
    const rng = new Rng(5);
    for (const features of [Int32Array.from([0, 1, 2, 3, 4, 5]), Int32Array.from([1, 2, 4])]) {
      for (let i = 0; i < 2 * layout.size; i++) [p[i], c[i]] = [rng.next() - 0.5, rng.next() * 1e-3];
      const [pc, cc] = [histogramCounts(p, layout), histogramCounts(c, layout)];
      for (let t = 0; t < layout.size; t++) [pc[t], cc[t]] = [rng.int(1000) + 1000, rng.int(1000)];
      const expected = Float64Array.from(p);
      subtractHistogram(Float64Array.from(p), Float64Array.from(c), expected, layout, features);
      expect(kernel!.subtract(p, c, p, layout, features)).toBe(true);
      expect(Array.from(p)).toEqual(Array.from(expected));
    }
    expect(kernel!.subtract(new Float64Array(length), c, p, layout, Int32Array.from([0]))).toBe(false);
  });

  it("is off with CHURNKIT_WASM=0: an ordinary pool and the JS scan", () => {
    process.env.CHURNKIT_WASM = "0";
    const { pool, kernel } = splitKernel(300, 31);
    expect(kernel).toBeNull();
    expect(pool.acquire().buffer).toBeInstanceOf(ArrayBuffer);
  });

  it("hands out ordinary buffers past its capacity", () => {
    const { pool, kernel } = splitKernel(300, 2);
    const bufs = Array.from({ length: 6 }, () => pool.acquire());
    expect(bufs.filter((b) => b.buffer === kernel!.buffer).length).toBe(4);
    const offsets = bufs.filter((b) => b.buffer === kernel!.buffer).map((b) => b.byteOffset);
    expect(new Set(offsets).size).toBe(4);
    expect(offsets.every((o) => o >= 64 && o % 8 === 0)).toBe(true);
  });
});
