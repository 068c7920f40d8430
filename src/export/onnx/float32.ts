/**
 * Thresholds for float32 inputs. churnkit compares doubles (`x <= t`); the graph's numeric inputs are float32, cast
 * to double inside (exactly), and compared with a double threshold t' chosen here, so that a float32 input reaches
 * the leaf churnkit gives it:
 *
 * - Every float32 f other than F = fround(t), the float32 nearest t, is decided exactly: no float32 lies strictly
 *   between F's neighbours and F, so f <= t ⟺ f <= t' for any t' in [prev(F), F] (prev: the float32 below).
 * - F itself stands for every number that rounds to it, on both sides of t. It is read as the shortest decimal D
 *   that rounds to it (what a value written in decimal, 83.15, becomes on its way into float32), and goes left
 *   exactly when churnkit sends D left (D <= t): t' = F then, prev(F) otherwise. Both cases occur: the gbdt
 *   binner's thresholds are often data values (t = 83.15: the input 83.15 must go left, and fround(83.15) > 83.15),
 *   and a midpoint computed in double may fall just below a decimal (t = (90.4 + 90.5) / 2 = 90.44999999999999: the
 *   input 90.45 must go right, and fround(90.45) < 90.45).
 *
 * The limits: the exact binary value F is decided as D is (it differs from churnkit's own decision on F only when
 * D and F lie on either side of t); a value given in decimal is decided as churnkit decides it unless it rounds to
 * F and lies on the other side of t from D, within half a float32 step (2^-24 relative) of t.
 */

/** The float32 just below `f` (a float32). */
export function previousFloat32(f: number): number {
  if (f === 0) return -(2 ** -149);
  const a = new Float32Array([f]);
  const bits = new Uint32Array(a.buffer);
  bits[0] = f > 0 ? bits[0]! - 1 : bits[0]! + 1;
  return a[0]!;
}

/** The shortest decimal (at most 9 significant digits) whose float32 rounding is the float32 `f`, as a double. */
export function shortestDecimal(f: number): number {
  for (let digits = 1; digits < 9; digits++) {
    const d = Number(f.toPrecision(digits));
    if (Math.fround(d) === f) return d;
  }
  return f;
}

/** The threshold t' that decides float32 inputs `f <= t'` as churnkit decides `x <= t` (see above). */
export function float32Threshold(t: number): number {
  const f = Math.fround(t);
  if (f === t || !Number.isFinite(f)) return f; // exact, or beyond float32's range (every finite float32 is on one side)
  return shortestDecimal(f) <= t ? f : previousFloat32(f);
}
