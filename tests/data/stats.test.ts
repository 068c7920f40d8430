import { describe, expect, it } from "vitest";
import { kthSmallest, medianOf, present } from "../../src/data/stats.js";
import { Rng } from "../../src/utils/random.js";

/** Arrays that trip selection: random, few distinct values, sorted, reversed, all equal, tiny. */
function cases(): Float64Array[] {
  const rng = new Rng(11);
  const out: Float64Array[] = [];
  for (const n of [1, 2, 3, 4, 5, 8, 31, 100, 1001]) {
    out.push(Float64Array.from({ length: n }, () => rng.next() * 200 - 100));
    out.push(Float64Array.from({ length: n }, () => rng.int(4) - 1.5));
    out.push(Float64Array.from({ length: n }, (_, i) => i));
    out.push(Float64Array.from({ length: n }, (_, i) => n - i));
    out.push(new Float64Array(n).fill(2.5));
  }
  return out;
}

describe("selection (the median of preprocessing)", () => {
  it("kthSmallest is the k-th of the sorted values for every k, with everything before it ≤ and after ≥", () => {
    for (const a of cases()) {
      const sorted = a.slice().sort();
      const ks = a.length <= 100 ? a.keys() : [0, 1, 499, 500, 501, a.length - 1].values();
      for (const k of ks) {
        const b = a.slice();
        const v = kthSmallest(b, k);
        let bad = 0;
        for (let i = 0; i < b.length; i++) if (i < k ? b[i]! > v : i > k && b[i]! < v) bad++;
        expect([v, b[k], bad]).toEqual([sorted[k], v, 0]);
        expect(b.slice().sort()).toEqual(sorted); // a reordering, nothing lost
      }
    }
  });

  it("medianOf equals the sorted middle (mean of the middle two), NaN for none, finite near the largest numbers", () => {
    for (const a of cases()) {
      const s = a.slice().sort();
      const m = s.length >> 1;
      expect(medianOf(a.slice())).toBe(s.length % 2 ? s[m] : s[m - 1]! / 2 + s[m]! / 2);
    }
    expect(medianOf(new Float64Array(0))).toBeNaN();
    expect(medianOf(Float64Array.of(1.7e308, 1.6e308))).toBe(1.6e308 / 2 + 1.7e308 / 2);
  });

  it("present keeps the values that are not NaN, in order", () => {
    expect(Array.from(present(Float64Array.of(NaN, 3, -0, NaN, 1, NaN)))).toEqual([3, -0, 1]);
    expect(present(Float64Array.of(NaN)).length).toBe(0);
  });
});
