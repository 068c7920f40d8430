/**
 * Sorting numbers: one radix sort for the large arrays of binning (learners/binning) and of the reference statistics
 * (data/stats.ts), with the built-in sort's order.
 */
/** Below this many values, the built-in sort is as fast as {@link sortNumbers}' radix passes. */
const RADIX_MIN = 4096;

/**
 * Sort `a` (no NaN) in place ascending, in the order of `Float64Array.prototype.sort` (−0 before +0), and
 * return it. Large arrays: an LSD radix sort on the 64-bit patterns (four 16-bit digits, a digit all values
 * share skipped), about 4x faster than the built-in sort on the 200,000-value samples of large fits and 1M-row columns.
 */
export function sortNumbers(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < RADIX_MIN) return a.sort();
  // Little-endian words [lo, hi] of each double, mapped to unsigned keys that order as the numbers do:
  // negatives have every bit flipped, the rest only the sign bit.
  const w = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    const hi = w[2 * i + 1]!;
    if (hi >>> 31) {
      w[2 * i] = ~w[2 * i]! >>> 0;
      w[2 * i + 1] = ~hi >>> 0;
    } else w[2 * i + 1] = (hi | 0x80000000) >>> 0;
  }
  let src: Uint32Array = w;
  let dst: Uint32Array = new Uint32Array(2 * n);
  const count = new Int32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[2 * i + word]! >>> shift) & 0xffff]!++;
    if (count[(src[word]! >>> shift) & 0xffff] === n) continue; // every value has this digit
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const lo = src[2 * i]!;
      const hi = src[2 * i + 1]!;
      const k = count[((word ? hi : lo) >>> shift) & 0xffff]!++;
      dst[2 * k] = lo;
      dst[2 * k + 1] = hi;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== w) w.set(src);
  for (let i = 0; i < n; i++) {
    const hi = w[2 * i + 1]!;
    if (hi >>> 31) w[2 * i + 1] = (hi & 0x7fffffff) >>> 0;
    else {
      w[2 * i] = ~w[2 * i]! >>> 0;
      w[2 * i + 1] = ~hi >>> 0;
    }
  }
  return a;
}
