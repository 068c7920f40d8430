/**
 * The model matrix as logreg's solvers read it, with the intercept as a last coordinate of 1s,
 * without copying the matrix: real-valued columns are used in place, and one-hot columns (every
 * value 0 or 1, at most half of them 1) are kept as per-row lists of the coordinates that are 1.
 * One-hot columns are most of a churn matrix's width, so their lists cost 4 bytes per row and
 * category, where a sparse (CSR) copy of the whole matrix costs 12 bytes per non-zero.
 */
import type { Matrix } from "../../core/types.js";

/** A design matrix: dense columns by reference, one-hot columns as row lists, the intercept last. */
export interface Design {
  /** Rows. */
  n: number;
  /** Coordinates: the model columns in matrix order, then the intercept. */
  d: number;
  /** Real-valued columns, the matrix's own arrays (not copies). */
  dense: Float64Array[];
  /** Coordinate of each dense column (ascending). */
  denseAt: Int32Array;
  /** Row i's one-hot 1s are at coordinates ones[onesPtr[i] .. onesPtr[i+1]), ascending. */
  onesPtr: Int32Array;
  /** Coordinates of the one-hot 1s, row after row. */
  ones: Int32Array;
}

/** Whether a column is one-hot-like: only 0s and 1s, and at most half 1s (so that listing the 1s is the smaller form). */
function isIndicator(c: Float64Array): boolean {
  let ones = 0;
  for (let i = 0; i < c.length; i++) {
    const v = c[i]!;
    if (v === 1) ones++;
    else if (v !== 0) return false;
  }
  return ones <= c.length / 2;
}

/** Read a column-major matrix as a {@link Design} (see the file comment). */
export function toDesign(X: Matrix): Design {
  const n = X.nRows;
  const p = X.columns.length;
  const dense: Float64Array[] = [];
  const denseAt: number[] = [];
  const indicators: number[] = [];
  X.columns.forEach((c, j) => {
    if (isIndicator(c)) indicators.push(j);
    else {
      dense.push(c);
      denseAt.push(j);
    }
  });
  const onesPtr = new Int32Array(n + 1);
  for (const j of indicators) {
    const c = X.columns[j]!;
    for (let i = 0; i < n; i++) if (c[i] === 1) onesPtr[i + 1]!++;
  }
  for (let i = 0; i < n; i++) onesPtr[i + 1]! += onesPtr[i]!;
  const ones = new Int32Array(onesPtr[n]!);
  const fill = onesPtr.slice(0, n);
  // Columns in ascending order, so each row's list ascends (the Hessian fills its lower triangle by it).
  for (const j of indicators) {
    const c = X.columns[j]!;
    for (let i = 0; i < n; i++) if (c[i] === 1) ones[fill[i]!++] = j;
  }
  return { n, d: p + 1, dense, denseAt: Int32Array.from(denseAt), onesPtr, ones };
}

/** intercept + Σ_j coef[j] · X[:, j] for every row of `X` (a linear model's raw scores). */
export function linearScores(coef: readonly number[], intercept: number, X: Matrix): Float64Array {
  const out = new Float64Array(X.nRows).fill(intercept);
  coef.forEach((b, j) => {
    const col = X.columns[j]!;
    for (let i = 0; i < X.nRows; i++) out[i]! += b * col[i]!;
  });
  return out;
}

/** z = A·b (intercept included: b's last entry). */
export function designTimes(D: Design, b: Float64Array, z: Float64Array): void {
  const { n, dense, denseAt, onesPtr, ones } = D;
  z.fill(b[D.d - 1]!);
  for (let k = 0; k < dense.length; k++) {
    const bk = b[denseAt[k]!]!;
    if (bk === 0) continue;
    const c = dense[k]!;
    for (let i = 0; i < n; i++) z[i]! += bk * c[i]!;
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let e = onesPtr[i]!; e < onesPtr[i + 1]!; e++) s += b[ones[e]!]!;
    z[i]! += s;
  }
}

/** g = Aᵀ·r (intercept included: g's last entry is Σ r). */
export function designTransposeTimes(D: Design, r: Float64Array, g: Float64Array): void {
  const { n, dense, denseAt, onesPtr, ones } = D;
  g.fill(0);
  let s0 = 0;
  for (let i = 0; i < n; i++) {
    const ri = r[i]!;
    s0 += ri;
    for (let e = onesPtr[i]!; e < onesPtr[i + 1]!; e++) g[ones[e]!]! += ri;
  }
  g[D.d - 1] = s0;
  for (let k = 0; k < dense.length; k++) {
    const c = dense[k]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i]! * r[i]!;
    g[denseAt[k]!] = s;
  }
}

/** diag(Aᵀ·diag(h)·A), the Jacobi preconditioner of the conjugate-gradient solver. */
export function designGramDiagonal(D: Design, h: Float64Array, out: Float64Array): void {
  const { n, dense, denseAt, onesPtr, ones } = D;
  out.fill(0);
  let s0 = 0;
  for (let i = 0; i < n; i++) {
    const hi = h[i]!;
    s0 += hi;
    for (let e = onesPtr[i]!; e < onesPtr[i + 1]!; e++) out[ones[e]!]! += hi;
  }
  out[D.d - 1] = s0;
  for (let k = 0; k < dense.length; k++) {
    const c = dense[k]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += h[i]! * c[i]! * c[i]!;
    out[denseAt[k]!] = s;
  }
}

/** Rows per block of {@link designGram}: a block of every dense column stays in the CPU's cache (2,048 × 8 bytes a column). */
const GRAM_BLOCK = 2048;

/**
 * The lower triangle of H += Aᵀ·diag(h)·A (row-major d×d). Rows go in blocks, so that the q²/2 dense
 * column pairs are dot products over cached values; a row's one-hot 1s each add its q values h_i·x_ik
 * to a (one-hot coordinate × dense column) table, one contiguous run per 1, folded into H at the end.
 */
export function designGram(D: Design, h: Float64Array, H: Float64Array): void {
  const { n, d, dense, denseAt, onesPtr, ones } = D;
  const q = dense.length;
  const last = d - 1; // the intercept's row: the last, so (intercept, j) is always at last·d + j
  const B = Math.min(n, GRAM_BLOCK);
  const t = new Float64Array(B * q); // t[r·q + k] = h_i·x_ik for row i = i0 + r
  const tk = new Float64Array(B); // the same for one k, contiguous for the dot products
  const cross = new Float64Array(d * q); // cross[b·q + k] = Σ_i h_i·x_ik over rows whose coordinate b is 1
  for (let i0 = 0; i0 < n; i0 += B) {
    const i1 = Math.min(n, i0 + B);
    for (let k = 0; k < q; k++) {
      const a = denseAt[k]!;
      const c = dense[k]!;
      let s0 = 0;
      for (let i = i0; i < i1; i++) {
        const ti = h[i]! * c[i]!;
        tk[i - i0] = ti;
        t[(i - i0) * q + k] = ti;
        s0 += ti;
      }
      H[last * d + a]! += s0;
      for (let k2 = 0; k2 <= k; k2++) {
        const c2 = dense[k2]!;
        let s = 0;
        for (let i = i0; i < i1; i++) s += tk[i - i0]! * c2[i]!;
        H[a * d + denseAt[k2]!]! += s;
      }
    }
    let s00 = 0;
    for (let i = i0; i < i1; i++) {
      const hi = h[i]!;
      s00 += hi;
      const end = onesPtr[i + 1]!;
      const tr = (i - i0) * q;
      for (let e = onesPtr[i]!; e < end; e++) {
        const b = ones[e]!;
        H[last * d + b]! += hi;
        const row = b * d;
        for (let e2 = onesPtr[i]!; e2 <= e; e2++) H[row + ones[e2]!]! += hi;
        const cb = b * q;
        for (let k = 0; k < q; k++) cross[cb + k]! += t[tr + k]!;
      }
    }
    H[last * d + last]! += s00;
  }
  for (let b = 0; b < last; b++) {
    for (let k = 0; k < q; k++) {
      const v = cross[b * q + k]!;
      if (v === 0) continue;
      const a = denseAt[k]!;
      H[b > a ? b * d + a : a * d + b]! += v;
    }
  }
}
