/**
 * Cox's partial likelihood, shared by the survival families (`cox` fits it by Newton, `gbdt` boosts it).
 *
 * Rows are sorted by duration once ({@link riskOrder}); rows of equal duration form one group, and the risk set
 * of a group is every row whose duration is at least the group's. With risk scores η and e = exp(η), a group with
 * events D (d of them) adds to the log partial likelihood
 * - Breslow: Σ_D η − d · log S₀, S₀ = Σ_{risk set} e;
 * - Efron: Σ_D η − Σ_{l<d} log(S₀ − (l/d) · Σ_D e).
 * Both equal the exact partial likelihood when no two events share a duration. The value is invariant to adding
 * a constant to every η, so exponentials are taken of η − max η (no overflow).
 */

/** How tied event durations are handled: Efron's approximation, or Breslow's (coarser, cheaper). */
export type CoxTies = "efron" | "breslow";

/** Check the survival inputs of a fit: durations and 0/1 events, one per row, and at least one event. */
export function checkSurvival(who: string, n: number, y: Uint8Array, duration: Float64Array | undefined): Float64Array {
  if (!duration) throw new Error(`${who}: fits the survival task only: it needs each row's duration (ctx.duration)`);
  if (duration.length !== n || y.length !== n)
    throw new Error(`${who}: ${n} rows but ${duration.length} durations and ${y.length} events`);
  let events = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new Error(`${who}: event of row ${i} is ${y[i]}, expected 0 or 1`);
    if (!(duration[i]! >= 0) || duration[i] === Infinity)
      throw new Error(`${who}: duration of row ${i} is ${duration[i]}, expected a finite number >= 0`);
    events += y[i]!;
  }
  if (events === 0) throw new Error(`${who}: no row has the event; a survival model needs at least one`);
  return duration;
}

/** Rows sorted by duration, ascending, in groups of equal duration. */
export interface RiskOrder {
  /** Row indices by ascending duration (ties in row order, so the order is deterministic). */
  order: Uint32Array;
  /** Group g is `order[groupStart[g] .. groupStart[g + 1])`; the last entry is the row count. */
  groupStart: Uint32Array;
}

/** Sort rows by duration (once per fit) and group equal durations. Durations must be finite. */
export function riskOrder(duration: Float64Array): RiskOrder {
  const n = duration.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(duration[i]!)) throw new Error(`survival: the duration of row ${i} is ${duration[i]}`);
    order[i] = i;
  }
  order.sort((a, b) => duration[a]! - duration[b]! || a - b);
  const starts: number[] = [];
  for (let k = 0; k < n; k++) if (k === 0 || duration[order[k]!] !== duration[order[k - 1]!]) starts.push(k);
  starts.push(n);
  return { order, groupStart: Uint32Array.from(starts) };
}

/** The largest value of `eta` (0 for none): the shift that keeps every exp(η − max) ≤ 1. */
export function maxOf(eta: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < eta.length; i++) if (eta[i]! > m) m = eta[i]!;
  return m === -Infinity ? 0 : m;
}

/** Log partial likelihood of risk scores `eta` with 0/1 `event`s (see the file comment). */
export function logPartialLikelihood(ro: RiskOrder, event: Uint8Array, eta: Float64Array, ties: CoxTies): number {
  const { order, groupStart } = ro;
  const m = maxOf(eta);
  let S0 = 0;
  let ll = 0;
  for (let g = groupStart.length - 2; g >= 0; g--) {
    let T0 = 0;
    let d = 0;
    for (let k = groupStart[g]!; k < groupStart[g + 1]!; k++) {
      const i = order[k]!;
      const e = Math.exp(eta[i]! - m);
      S0 += e;
      if (event[i]) {
        T0 += e;
        d++;
        ll += eta[i]! - m;
      }
    }
    if (d === 0) continue;
    if (ties === "breslow" || d === 1) ll -= d * Math.log(S0);
    else for (let l = 0; l < d; l++) ll -= Math.log(S0 - (l / d) * T0);
  }
  return ll;
}

/**
 * The negative log partial likelihood per event (`ties` as the fit's), the loss gbdt's early stopping watches;
 * 0 when there is no event.
 */
export function coxLossPerEvent(ro: RiskOrder, event: Uint8Array, eta: Float64Array, ties: CoxTies): number {
  let d = 0;
  for (let i = 0; i < event.length; i++) d += event[i]!;
  return d === 0 ? 0 : -logPartialLikelihood(ro, event, eta, ties) / d;
}

/** Scratch length {@link coxGradients} needs for a risk order: four numbers per duration group. */
export function coxScratchLength(ro: RiskOrder): number {
  return 4 * (ro.groupStart.length - 1);
}

/**
 * Gradient and diagonal hessian of the negative log partial likelihood in each row's score, the quantities gbdt
 * boosts (as XGBoost's `survival:cox`). Group g (duration t_g, events D_g, d_g of them, T₀ = Σ_D e) has the
 * denominators den_l = S₀ − φ_l·T₀, φ_l = l/d_g, l = 0..d_g−1 (Breslow: φ_l = 0, every den_l = S₀). A row at
 * risk in g has weight 1 in each den_l, a tied event of g (1 − φ_l), so with
 *   R(t) = Σ_{g: t_g ≤ t} Σ_l 1/den_l,   Q(t) = Σ_{g: t_g ≤ t} Σ_l 1/den_l²
 * and, for a row's own group, B = Σ_l φ_l/den_l, C = Σ_l (2φ_l − φ_l²)/den_l²:
 *   censored row:  grad = e·R(t),            hess = e·R(t) − e²·Q(t);
 *   event row:     grad = e·(R(t) − B) − 1,  hess = e·(R(t) − B) − e²·(Q(t) − C).
 * Breslow (B = C = 0) is what XGBoost's objective intends; XGBoost adds the events of a tie one row at a time in
 * its sort order, so a row's numbers there depend on where it lands within its tie. Here every row of a group sees
 * the whole group: the exact derivatives of the likelihoods in logPartialLikelihood. `groupScratch` holds
 * {@link coxScratchLength} numbers.
 */
export function coxGradients(
  ro: RiskOrder,
  event: Uint8Array,
  eta: Float64Array,
  grad: Float64Array,
  hess: Float64Array,
  groupScratch: Float64Array,
  ties: CoxTies,
): void {
  const { order, groupStart } = ro;
  const nGroups = groupStart.length - 1;
  const m = maxOf(eta);
  const R = groupScratch.subarray(0, nGroups);
  const Q = groupScratch.subarray(nGroups, 2 * nGroups);
  const B = groupScratch.subarray(2 * nGroups, 3 * nGroups);
  const C = groupScratch.subarray(3 * nGroups, 4 * nGroups);
  // Descending: each group's risk-set sum S₀ (later rows plus its own) and its terms.
  let later = 0;
  for (let g = nGroups - 1; g >= 0; g--) {
    let d = 0;
    let T0 = 0;
    let rest = later; // S₀ − T₀, summed directly (no cancellation when most of the risk set is tied events)
    for (let k = groupStart[g]!; k < groupStart[g + 1]!; k++) {
      const i = order[k]!;
      const e = Math.exp(eta[i]! - m);
      grad[i] = e; // kept for the ascending pass
      if (event[i]) {
        d++;
        T0 += e;
      } else rest += e;
    }
    later = rest + T0;
    R[g] = Q[g] = B[g] = C[g] = 0;
    if (d === 0) continue;
    if (ties === "breslow" || d === 1) {
      R[g] = d / later;
      Q[g] = d / (later * later);
      continue;
    }
    for (let l = 0; l < d; l++) {
      const phi = l / d;
      const den = rest + (1 - phi) * T0;
      R[g]! += 1 / den;
      Q[g]! += 1 / (den * den);
      B[g]! += phi / den;
      C[g]! += (phi * (2 - phi)) / (den * den);
    }
  }
  // Ascending: cumulative R and Q up to each group.
  let r = 0;
  let q = 0;
  for (let g = 0; g < nGroups; g++) {
    r += R[g]!;
    q += Q[g]!;
    const b = B[g]!;
    const c = C[g]!;
    for (let k = groupStart[g]!; k < groupStart[g + 1]!; k++) {
      const i = order[k]!;
      const e = grad[i]!;
      const ev = event[i]!;
      const a = ev ? r - b : r;
      grad[i] = e * a - ev;
      // ≥ 0 exactly (each term c·e/den·(1 − c·e/den) with c·e ≤ den), bar rounding
      hess[i] = Math.max(0, e * a - e * e * (ev ? q - c : q));
    }
  }
}
