/** XGBoost's float32 rule `float32(x) < c` as a flat tree's `x <= T`, checked on every kind of float32. */
import { describe, expect, it } from "vitest";
import { doubleBelow, float32Below, float32CutAsDouble } from "../../src/import/float32.js";
import { Rng } from "../../src/utils/random.js";

const doubleAbove = (x: number): number => -doubleBelow(-x);
const bits = new Uint32Array(1);
const asFloat = new Float32Array(bits.buffer);

/** The property: T goes left as a float32 would, and the next double up does not. */
function check(c: number): void {
  const t = float32CutAsDouble(c);
  if (!(Math.fround(t) < c) || Math.fround(doubleAbove(t)) < c)
    throw new Error(`c = ${c}: T = ${t} does not split where float32 does`);
}

describe("float32CutAsDouble", () => {
  it("splits every double where XGBoost's float32 comparison does, on edge and random float32 values", () => {
    const edges = [0, -0, 1, -1, 0.5, 2 ** 24, 2 ** -126, -(2 ** -126), 2 ** -149, -(2 ** -149), 3.4028234663852886e38];
    for (const c of [...edges, -3.4028234663852886e38, 16.118824, 0.1, -0.1]) check(Math.fround(c));
    const rng = new Rng(15);
    let n = 0;
    for (let i = 0; i < 200_000; i++) {
      bits[0] = Math.floor(rng.next() * 2 ** 32);
      const c = asFloat[0]!;
      if (!Number.isFinite(c)) continue;
      check(c);
      n++;
    }
    expect(n).toBeGreaterThan(190_000);
  });

  it("differs from the naive x <= c: a double just under c rounds up to c and goes right", () => {
    const c = Math.fround(16.118824);
    const x = doubleBelow(c);
    expect(Math.fround(x)).toBe(c); // XGBoost: float32(x) = c, not < c: right
    expect(x <= float32CutAsDouble(c)).toBe(false);
    expect(x <= c).toBe(true); // the naive translation would send it left
    // The midpoint rounds to the even neighbour: whichever it is, T is the last double that rounds below c.
    const mid = float32Below(c) / 2 + c / 2;
    expect(float32CutAsDouble(c)).toBe(Math.fround(mid) < c ? mid : doubleBelow(mid));
  });

  it("refuses what is not a finite float32", () => {
    expect(() => float32CutAsDouble(0.1)).toThrow(/float32/);
    expect(() => float32CutAsDouble(NaN)).toThrow(/float32/);
    expect(() => float32CutAsDouble(Infinity)).toThrow(/float32/);
  });
});
