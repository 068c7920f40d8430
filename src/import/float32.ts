/**
 * XGBoost's split rule in churnkit's. XGBoost stores each input value as a float32 and sends it left when
 * `float32(x) < c` (c a float32 split condition); a flat tree sends a double x left when `x <= T`. Rounding to
 * float32 is monotone, so the doubles that go left are exactly those below one cut point: `T` is the largest
 * double whose float32 is still below c. It sits at the midpoint m between c and the float32 just below it
 * (exact in a double: a float32 has 24 significant bits, m needs 25), or one double under m when m itself rounds
 * up to c (round half to even). So for every double x (NaN aside, which follows the missing direction):
 * `Math.fround(x) < c` if and only if `x <= float32CutAsDouble(c)`.
 */

/** The largest finite float32. */
const F32_MAX = 3.4028234663852886e38;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The float32 just below the float32 `c` (toward −∞); −Infinity below the lowest finite float32. */
export function float32Below(c: number): number {
  f32[0] = c;
  if (c === 0) {
    u32[0] = 0x80000001; // the negative float32 closest to zero
    return f32[0];
  }
  // Positive floats decrease with their bits, negative ones increase in magnitude.
  u32[0] = c > 0 ? u32[0]! - 1 : u32[0]! + 1;
  return f32[0];
}

/** The double just below the double `x` (toward −∞). */
export function doubleBelow(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  f64[0] = x;
  u64[0] = x > 0 ? u64[0]! - 1n : u64[0]! + 1n;
  return f64[0];
}

/**
 * The largest double T with `Math.fround(T) < c`, for a finite float32 `c`: the flat-tree threshold (`x <= T`)
 * that reproduces XGBoost's `float32(x) < c` for every double x. Throws (a programming error) for a `c` that is
 * not a finite float32; the importer refuses such conditions first.
 */
export function float32CutAsDouble(c: number): number {
  if (!Number.isFinite(c) || Math.fround(c) !== c) throw new Error(`not a finite float32: ${c}`);
  // Below the lowest float32 the next step would be -2^128 (where rounding reaches -Infinity).
  const below = c === -F32_MAX ? -(2 ** 128) : float32Below(c);
  const mid = below / 2 + c / 2; // halves first: exact, and no overflow near the largest float32
  return Math.fround(mid) < c ? mid : doubleBelow(mid);
}
