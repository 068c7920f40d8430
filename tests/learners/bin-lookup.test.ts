/**
 * The bucketed bin lookup (src/learners/binning/bin-lookup.ts) against edges.ts's binOf, the bin rule itself:
 * the same bin for every value, on edges that are spread, clustered, tiny, huge, few and many, and for values
 * on, beside and beyond the edges (±Infinity included). And the binner's input checks still name the row.
 */
import { describe, expect, it } from "vitest";
import { BinLookup, binNumeric } from "../../src/learners/binning/bin-lookup.js";
import { binOf, numericEdges } from "../../src/learners/binning/edges.js";
import { BinMapper } from "../../src/learners/binning/bin-mapper.js";
import { Rng } from "../../src/utils/random.js";

const rng = new Rng(5);
const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
const sources: Record<string, () => number> = {
  uniform: () => rng.next() * 10,
  counts: () => Math.floor(-Math.log(1 - rng.next()) * 3),
  lognormal: () => Math.exp(3 * normal()),
  "mass at 0 and a wide tail": () => (rng.next() < 0.5 ? 0 : Math.exp(8 * normal())),
  "tiny and huge": () => (rng.next() < 0.01 ? 1e300 * normal() : normal() * 1e-300),
  negative: () => -Math.exp(4 * normal()),
  "signed zeros": () => (rng.next() < 0.3 ? -0 : rng.next() < 0.5 ? 0 : normal()),
};

describe("BinLookup", () => {
  for (const [name, draw] of Object.entries(sources)) {
    it(`gives binOf's bin for every value (${name})`, () => {
      for (const maxBins of [2, 9, 32, 255]) {
        const sample = Float64Array.from({ length: 20_000 }, draw);
        const edges = numericEdges(sample, maxBins);
        const lookup = new BinLookup(edges);
        const values = [
          ...Array.from({ length: 5000 }, draw),
          Infinity,
          -Infinity,
          Number.MAX_VALUE,
          -Number.MAX_VALUE,
        ];
        for (const e of edges) values.push(e, e * (1 + 1e-15), e * (1 - 1e-15), e + 1e-300, e - 1e-300);
        for (const v of values)
          if (lookup.bin(v) !== binOf(edges, v)) expect([v, lookup.bin(v)]).toEqual([v, binOf(edges, v)]);
      }
    });
  }

  it("handles no edge, one edge and edges spanning the whole double range", () => {
    for (const edges of [[], [0.5], [-Number.MAX_VALUE, 0, Number.MAX_VALUE], [1, 1 + 2 ** -52, 1 + 2 ** -51]]) {
      const e = Float64Array.from(edges);
      const lookup = new BinLookup(e);
      for (const v of [-Infinity, -1, 0, 0.5, 1, 1 + 2 ** -52, 2, Infinity]) expect(lookup.bin(v)).toBe(binOf(e, v));
    }
    const wide = Float64Array.from({ length: 40 }, (_, i) => (i - 20) * 8e306);
    const lookup = new BinLookup(wide);
    for (let i = -25; i < 25; i++) expect(lookup.bin(i * 7e306)).toBe(binOf(wide, i * 7e306));
  });

  it("bins rows of a column (through a row list too) with NaN as missing", () => {
    const col = Float64Array.from([0.5, NaN, 3, -1, 2.5, 7]);
    const lookup = new BinLookup(Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const out = new Uint8Array(12);
    binNumeric(lookup, col, null, 0, 6, out, 2, 1, 99);
    expect(Array.from(out.filter((_, i) => i % 2 === 1))).toEqual([1, 99, 3, 0, 3, 7]);
    const picked = new Uint8Array(3);
    binNumeric(lookup, col, Uint32Array.from([5, 1, 0]), 0, 3, picked, 1, 0, 99);
    expect(Array.from(picked)).toEqual([7, 99, 1]);
  });
});

describe("BinMapper input checks", () => {
  const num = (name: string) => ({ name, kind: "numeric" as const, source: name });
  it("names the first row holding an infinite value, and a bad category code", () => {
    const col = Float64Array.from({ length: 1000 }, (_, i) => (i === 700 ? -Infinity : i === 800 ? Infinity : i));
    const X = { nRows: 1000, features: [num("a")], columns: [col] };
    expect(() => BinMapper.fit(X, 255)).toThrow(
      'feature "a" row 700 is -Infinity; use a finite number or NaN for missing',
    );
    // Through a row list: the first listed row that is bad.
    expect(() => BinMapper.fit(X, 255, Uint32Array.from([1, 800, 700]))).toThrow('feature "a" row 800 is Infinity');
    const codes = Float64Array.from({ length: 50 }, (_, i) => (i === 30 ? 2.5 : i === 40 ? 3 : i % 3));
    const C = {
      nRows: 50,
      features: [{ name: "c", kind: "categorical" as const, nCategories: 3, source: "c" }],
      columns: [codes],
    };
    expect(() => BinMapper.fit(C, 255)).toThrow('categorical feature "c" row 30 holds 2.5, not a code in 0..2');
    codes[30] = NaN;
    expect(() => BinMapper.fit(C, 255)).toThrow("row 40 holds 3");
    codes[40] = -0;
    expect(BinMapper.fit(C, 255).features[0]!.nBins).toBe(3);
  });
});
