/**
 * A row-major sparse copy of a design matrix (compressed sparse rows), with a constant 1
 * appended to every row for the intercept. One-hot columns make churn matrices about half
 * zeros, and Newton's Hessian costs (non-zeros per row)² per row, so skipping zeros pays.
 */
import type { Matrix } from "../../core/types.js";

/** A design matrix in compressed sparse rows, intercept column included (see the file comment). */
export interface Csr {
  /** Rows and columns (columns include the intercept, last). */
  n: number;
  /** Columns, the intercept included (last). */
  d: number;
  /** Row i's entries are idx/val[ptr[i] .. ptr[i+1]). */
  ptr: Int32Array;
  /** Column index of each stored entry. */
  idx: Int32Array;
  /** Value of each stored entry. */
  val: Float64Array;
}

/** Copy a column-major matrix into CSR form, keeping non-zero entries and appending the intercept's 1 to each row. */
export function toCsr(X: Matrix): Csr {
  const n = X.nRows;
  const p = X.columns.length;
  const ptr = new Int32Array(n + 1);
  for (let j = 0; j < p; j++) {
    const c = X.columns[j]!;
    for (let i = 0; i < n; i++) if (c[i] !== 0) ptr[i + 1]!++;
  }
  for (let i = 0; i < n; i++) ptr[i + 1]! += ptr[i]! + 1; // +1: the intercept entry
  const idx = new Int32Array(ptr[n]!);
  const val = new Float64Array(ptr[n]!);
  const fill = ptr.slice(0, n);
  for (let j = 0; j < p; j++) {
    const c = X.columns[j]!;
    for (let i = 0; i < n; i++) {
      const v = c[i]!;
      if (v !== 0) {
        idx[fill[i]!] = j;
        val[fill[i]!] = v;
        fill[i]!++;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    idx[fill[i]!] = p;
    val[fill[i]!] = 1;
  }
  return { n, d: p + 1, ptr, idx, val };
}

/** out[i] = x_i · b */
export function csrMultiply(A: Csr, b: Float64Array, out: Float64Array): void {
  const { ptr, idx, val } = A;
  for (let i = 0; i < A.n; i++) {
    let s = 0;
    for (let k = ptr[i]!; k < ptr[i + 1]!; k++) s += val[k]! * b[idx[k]!]!;
    out[i] = s;
  }
}

/** g += Aᵀ r and the lower triangle of H += Aᵀ diag(h) A (row-major d×d). */
export function csrGradHessian(A: Csr, r: Float64Array, h: Float64Array, g: Float64Array, H: Float64Array): void {
  const { ptr, idx, val, d } = A;
  for (let i = 0; i < A.n; i++) {
    const ri = r[i]!;
    const hi = h[i]!;
    const end = ptr[i + 1]!;
    for (let a = ptr[i]!; a < end; a++) {
      const ja = idx[a]!;
      const va = val[a]!;
      g[ja]! += va * ri;
      const hv = hi * va;
      const row = ja * d;
      // Column indices within a row ascend, so entries b <= a fill the lower triangle.
      for (let b = ptr[i]!; b <= a; b++) H[row + idx[b]!]! += hv * val[b]!;
    }
  }
}
