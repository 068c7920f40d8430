/**
 * Probability calibration fitted on the validation split: Platt scaling (a logistic curve on
 * the model's log-odds) or isotonic regression (pool-adjacent-violators, interpolated
 * linearly between fitted points as scikit-learn does). The state is plain JSON in model.json.
 */
import { sigmoid } from "../core/types.js";

/**
 * A fitted probability calibration, stored in model.json: Platt scaling of the raw score, or an isotonic
 * (non-decreasing, piecewise-linear) map of the uncalibrated probability.
 */
export type CalibrationState =
  | {
      /** Platt scaling: p = σ(a·raw + b). */
      method: "platt";
      /** Slope applied to the raw score. */
      a: number;
      /** Intercept. */
      b: number;
    }
  | {
      /** Isotonic regression, interpolated linearly between its knots. */
      method: "isotonic";
      /** Knots: uncalibrated probabilities, increasing. */
      x: number[];
      /** Calibrated probability at each knot, non-decreasing. */
      y: number[];
    };

/** Platt scaling: p = σ(a·raw + b), fitted by Newton's method on the log loss. */
export function fitPlatt(y: ArrayLike<number>, raw: ArrayLike<number>): CalibrationState {
  let a = 1;
  let b = 0;
  for (let it = 0; it < 50; it++) {
    let ga = 0,
      gb = 0,
      haa = 1e-9,
      hab = 0,
      hbb = 1e-9;
    for (let i = 0; i < y.length; i++) {
      const p = sigmoid(a * raw[i]! + b);
      const r = p - y[i]!;
      const w = p * (1 - p);
      ga += r * raw[i]!;
      gb += r;
      haa += w * raw[i]! * raw[i]!;
      hab += w * raw[i]!;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-12) break;
  }
  return { method: "platt", a, b };
}

/** Isotonic regression of y on p (non-decreasing), by pool-adjacent-violators. */
export function fitIsotonic(y: ArrayLike<number>, p: ArrayLike<number>): CalibrationState {
  const idx = Int32Array.from({ length: y.length }, (_, i) => i).sort((i, j) => p[i]! - p[j]! || i - j);
  // Blocks of (sum of y, weight, mean x); ties in p start merged so that equal scores get one value.
  const sy: number[] = [];
  const w: number[] = [];
  const sx: number[] = [];
  for (const i of idx) {
    const last = sy.length - 1;
    if (last >= 0 && sx[last]! / w[last]! === p[i]) {
      sy[last]! += y[i]!;
      w[last]!++;
      sx[last]! += p[i];
    } else {
      sy.push(y[i]!);
      w.push(1);
      sx.push(p[i]!);
    }
    while (sy.length > 1 && sy[sy.length - 2]! / w[w.length - 2]! > sy[sy.length - 1]! / w[w.length - 1]!) {
      const ty = sy.pop()!,
        tw = w.pop()!,
        tx = sx.pop()!;
      sy[sy.length - 1]! += ty;
      w[w.length - 1]! += tw;
      sx[sx.length - 1]! += tx;
    }
  }
  return { method: "isotonic", x: sx.map((s, k) => s / w[k]!), y: sy.map((s, k) => s / w[k]!) };
}

/** Apply a calibration to raw scores and uncalibrated probabilities. */
export function applyCalibration(c: CalibrationState, raw: ArrayLike<number>, proba: ArrayLike<number>): Float64Array {
  const out = new Float64Array(raw.length);
  if (c.method === "platt") {
    for (let i = 0; i < raw.length; i++) out[i] = sigmoid(c.a * raw[i]! + c.b);
    return out;
  }
  const { x, y } = c;
  for (let i = 0; i < proba.length; i++) {
    const v = proba[i]!;
    if (v <= x[0]!) out[i] = y[0]!;
    else if (v >= x[x.length - 1]!) out[i] = y[y.length - 1]!;
    else {
      let lo = 0,
        hi = x.length - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (x[mid]! <= v) lo = mid;
        else hi = mid;
      }
      const t = (v - x[lo]!) / (x[hi]! - x[lo]!);
      out[i] = y[lo]! + t * (y[hi]! - y[lo]!);
    }
  }
  return out;
}
