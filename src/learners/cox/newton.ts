/**
 * Newton–Raphson for the L2-penalised Cox model: minimise f(β) = −ℓ(β)/n + ½·λ·‖β‖², ℓ the log partial
 * likelihood (Efron or Breslow ties; ../partial-likelihood.ts), with step halving whenever a full step does not
 * decrease f. The derivatives are exact: per distinct event duration t with events D (d of them), risk-set sums
 * S₀ = Σ e, S₁ = Σ e·x and tied-event sums T₀, T₁, and for Efron's l = 0..d−1 (φ = l/d) den_l = S₀ − φ·T₀:
 *   ∇(−ℓ) = Σ_t Σ_l (S₁ − φT₁)/den_l − Σ_D x,
 *   ∇²(−ℓ) = Σ_t Σ_l [(S₂ − φT₂)/den_l − (S₁ − φT₁)(S₁ − φT₁)ᵀ/den_l²].
 * The S₂/T₂ part is Aᵀ·diag(w)·A with one weight per row (each row's e times what every event duration it is at
 * risk at gives it), built by logreg's design Gram; only the outer products are per event duration.
 */
import { choleskySolve } from "../logreg/linalg.js";
import { designGram, designTimes, designTransposeTimes, type Design } from "../logreg/design.js";
import { logPartialLikelihood, maxOf, type CoxTies, type RiskOrder } from "../partial-likelihood.js";

/** A Cox problem: the design (its intercept coordinate unused), events, the rows' risk order, ties, λ. */
export interface CoxProblem {
  /** The model matrix as logreg's design (the last coordinate, the intercept, is kept at 0). */
  A: Design;
  /** 1: the event happened at the row's duration; 0: censored there. */
  event: Uint8Array;
  /** The rows sorted and grouped by duration. */
  ro: RiskOrder;
  /** Tie handling. */
  ties: CoxTies;
  /** L2 penalty λ per row (f = −ℓ/n + ½λ‖β‖²). */
  penalizer: number;
}

/** The solution: coefficients per model column, the log partial likelihood there, iterations, convergence. */
export interface CoxSolution {
  /** One coefficient per model column. */
  coef: Float64Array;
  /** ℓ(β) at the solution (unpenalised). */
  logLikelihood: number;
  /** Newton iterations taken. */
  iterations: number;
  /** Whether the step tolerance (or the optimum in floating point) was reached. */
  converged: boolean;
}

/** f(β) (see the file comment); `eta` receives A·β. */
export function coxObjective(P: CoxProblem, b: Float64Array, eta: Float64Array): number {
  designTimes(P.A, b, eta);
  let pen = 0;
  for (let j = 0; j < P.A.d - 1; j++) pen += b[j]! * b[j]!;
  return -logPartialLikelihood(P.ro, P.event, eta, P.ties) / P.A.n + 0.5 * P.penalizer * pen;
}

/** Add `scale` · (row i of the design) to `v` (length d). */
function addRow(A: Design, i: number, scale: number, v: Float64Array): void {
  for (let k = 0; k < A.dense.length; k++) v[A.denseAt[k]!]! += scale * A.dense[k]![i]!;
  for (let e = A.onesPtr[i]!; e < A.onesPtr[i + 1]!; e++) v[A.ones[e]!]! += scale;
}

/** H −= α·u·vᵀ + α·v·uᵀ (lower triangle; u = v: α·2uuᵀ, so callers halve it). */
function subtractSymmetric(H: Float64Array, d: number, alpha: number, u: Float64Array, v: Float64Array): void {
  if (alpha === 0) return;
  for (let j = 0; j < d; j++) {
    const uj = u[j]!;
    const vj = v[j]!;
    if (uj === 0 && vj === 0) continue;
    const row = j * d;
    for (let k = 0; k <= j; k++) H[row + k]! -= alpha * (uj * v[k]! + vj * u[k]!);
  }
}

/**
 * Gradient of f into `g` and the lower triangle of its Hessian into `H` (d×d, the intercept's row and column
 * unused) at β with margins `eta` = A·β. Returns the largest |g_j| over the coefficients.
 */
export function coxDerivatives(
  P: CoxProblem,
  b: Float64Array,
  eta: Float64Array,
  g: Float64Array,
  H: Float64Array,
): number {
  const { A, event, ro, ties } = P;
  const { n, d } = A;
  const { order, groupStart } = ro;
  const nGroups = groupStart.length - 1;
  const m = maxOf(eta);
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) e[i] = Math.exp(eta[i]! - m);
  const inv = new Float64Array(nGroups); // Σ_l 1/den_l of each group
  const phiInv = new Float64Array(nGroups); // Σ_l φ_l/den_l (Efron's share taken off a tied event's own weight)
  const S1 = new Float64Array(d);
  const T1 = new Float64Array(d);
  H.fill(0);
  let S0 = 0;
  for (let gr = nGroups - 1; gr >= 0; gr--) {
    let T0 = 0;
    let nd = 0;
    for (let k = groupStart[gr]!; k < groupStart[gr + 1]!; k++) {
      const i = order[k]!;
      S0 += e[i]!;
      addRow(A, i, e[i]!, S1);
      if (event[i]) {
        T0 += e[i]!;
        nd++;
      }
    }
    if (nd === 0) continue;
    if (ties === "breslow" || nd === 1) {
      inv[gr] = nd / S0;
      subtractSymmetric(H, d, (0.5 * nd) / (S0 * S0), S1, S1);
      continue;
    }
    T1.fill(0);
    for (let k = groupStart[gr]!; k < groupStart[gr + 1]!; k++) {
      const i = order[k]!;
      if (event[i]) addRow(A, i, e[i]!, T1);
    }
    let a = 0;
    let bb = 0;
    let c = 0;
    for (let l = 0; l < nd; l++) {
      const phi = l / nd;
      const den = S0 - phi * T0;
      inv[gr]! += 1 / den;
      phiInv[gr]! += phi / den;
      a += 1 / (den * den);
      bb += phi / (den * den);
      c += (phi * phi) / (den * den);
    }
    // Σ_l (S₁ − φT₁)(S₁ − φT₁)ᵀ/den² = a·S₁S₁ᵀ − b·(S₁T₁ᵀ + T₁S₁ᵀ) + c·T₁T₁ᵀ
    subtractSymmetric(H, d, 0.5 * a, S1, S1);
    subtractSymmetric(H, d, -bb, S1, T1);
    subtractSymmetric(H, d, 0.5 * c, T1, T1);
  }
  // Ascending: each row's weight from every event duration up to its own.
  const r = new Float64Array(n);
  const w = new Float64Array(n);
  let cum = 0;
  for (let gr = 0; gr < nGroups; gr++) {
    cum += inv[gr]!;
    for (let k = groupStart[gr]!; k < groupStart[gr + 1]!; k++) {
      const i = order[k]!;
      const wi = e[i]! * (event[i] ? cum - phiInv[gr]! : cum);
      w[i] = wi;
      r[i] = wi - event[i]!;
    }
  }
  designGram(A, w, H);
  designTransposeTimes(A, r, g);
  const p = d - 1;
  let gmax = 0;
  for (let j = 0; j < p; j++) {
    g[j] = g[j]! / n + P.penalizer * b[j]!;
    gmax = Math.max(gmax, Math.abs(g[j]!));
    for (let k = 0; k <= j; k++) H[j * d + k] = H[j * d + k]! / n;
    H[j * d + j]! += P.penalizer;
  }
  g[p] = 0;
  return gmax;
}

/** Minimise f from β = 0 until a step moves no coefficient by `tol`, f stops decreasing, or `maxIter` iterations. */
export function solveCox(P: CoxProblem, maxIter: number, tol: number): CoxSolution {
  const { n, d } = P.A;
  const p = d - 1;
  const beta = new Float64Array(d);
  const trial = new Float64Array(d);
  const eta = new Float64Array(n);
  const g = new Float64Array(d);
  const H = new Float64Array(d * d);
  const Hp = new Float64Array(p * p);
  let f = coxObjective(P, beta, eta);
  let iter = 0;
  let converged = false;
  for (; iter < maxIter; iter++) {
    if (coxDerivatives(P, beta, eta, g, H) === 0) {
      converged = true;
      break;
    }
    for (let j = 0; j < p; j++) for (let k = 0; k <= j; k++) Hp[j * p + k] = Hp[k * p + j] = H[j * d + k]!;
    const step = choleskySolve(Hp, g.subarray(0, p), p);
    let accepted = false;
    let fNew = f;
    let moved = 0;
    // Step halving: f is convex, so a short enough Newton step decreases it unless β is already optimal.
    for (let s = 1, halvings = 0; halvings < 40; s /= 2, halvings++) {
      for (let j = 0; j < p; j++) trial[j] = beta[j]! - s * step[j]!;
      fNew = coxObjective(P, trial, eta);
      moved = 0;
      for (let j = 0; j < p; j++) moved = Math.max(moved, Math.abs(s * step[j]!));
      if (fNew <= f) {
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      converged = true; // no decrease possible in floating point: at the optimum
      designTimes(P.A, beta, eta);
      break;
    }
    beta.set(trial);
    const same = fNew === f;
    f = fNew;
    // Newton converges quadratically: once a step is below tol, the next one would be below tol².
    if (same || moved < tol) {
      converged = true;
      iter++;
      break;
    }
  }
  designTimes(P.A, beta, eta);
  return {
    coef: beta.slice(0, p),
    logLikelihood: logPartialLikelihood(P.ro, P.event, eta, P.ties),
    iterations: iter,
    converged,
  };
}
