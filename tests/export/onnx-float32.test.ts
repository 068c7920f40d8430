/** Thresholds for float32 inputs (src/export/onnx/float32.ts), checked by brute force around each threshold. */
import { describe, expect, it } from "vitest";
import { float32Threshold, previousFloat32, shortestDecimal } from "../../src/export/onnx/float32.js";

/** The float32 just above `f`. */
const nextFloat32 = (f: number): number => -previousFloat32(-f);

/** Thresholds of every kind: decimals (data values), double midpoints of decimals, float32 values, extremes. */
function thresholds(): number[] {
  let s = 12345;
  const r = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const out = [0, -0, 1, -1, 0.1, 83.15, 90.44999999999999, 6504.674999999999, 1e-40, 3.5e38, 1e39];
  for (let k = 0; k < 400; k++) {
    const digits = 1 + Math.floor(r() * 4);
    const a = Number((r() * 10 ** (1 + Math.floor(r() * 5)) * (r() < 0.2 ? -1 : 1)).toFixed(digits));
    const b = Number((a + (1 + Math.floor(r() * 3)) / 10 ** digits).toFixed(digits));
    out.push(a, (a + b) / 2, Math.fround(a), a / 2 + b / 2);
  }
  return out;
}

describe("float32Threshold", () => {
  it("decides every float32 near t as churnkit does, but the float32 nearest t, which is decided as its decimal", () => {
    let checked = 0;
    for (const t of thresholds()) {
      const tt = float32Threshold(t);
      const F = Math.fround(t);
      let f = F;
      for (let k = 0; k < 40 && Number.isFinite(f); k++) f = previousFloat32(f);
      for (let k = 0; k < 80 && Number.isFinite(f); k++, f = nextFloat32(f)) {
        const want = f === F && F !== t ? shortestDecimal(F) <= t : f <= t;
        expect(f <= tt, `t=${t} f=${f}`).toBe(want);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100_000);
  });

  it("sends a decimal input equal to the threshold left, and the next decimal right (gbdt's data-value edges)", () => {
    for (const [t, next] of [
      [83.15, 83.16],
      [29.85, 29.9],
      [0.1, 0.2],
      [1889.5, 1889.55],
    ] as const) {
      expect(Math.fround(t) <= float32Threshold(t)).toBe(true);
      expect(Math.fround(next) <= float32Threshold(t)).toBe(false);
    }
    // A midpoint computed in double just below a decimal (a forest threshold on Telco): that decimal goes right.
    const mid = 90.44999999999999;
    expect(90.45 <= mid).toBe(false);
    expect(Math.fround(90.45) <= float32Threshold(mid)).toBe(false);
    expect(Math.fround(90.4) <= float32Threshold(mid)).toBe(true);
  });

  it("keeps float32 thresholds, and those beyond float32's range become infinities", () => {
    expect(float32Threshold(0.5)).toBe(0.5);
    expect(float32Threshold(Math.fround(0.1))).toBe(Math.fround(0.1));
    expect(float32Threshold(1e39)).toBe(Infinity);
    expect(float32Threshold(-1e39)).toBe(-Infinity);
    expect(shortestDecimal(Math.fround(83.15))).toBe(83.15);
    expect(previousFloat32(1)).toBe(1 - 2 ** -24);
    expect(previousFloat32(0)).toBe(-(2 ** -149));
  });
});
