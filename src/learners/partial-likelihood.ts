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
 * The negative log partial likelihood (Breslow) per event, the loss gbdt's early stopping watches; 0 when
 * there is no event.
 */
export function coxLossPerEvent(ro: RiskOrder, event: Uint8Array, eta: Float64Array): number {
  let d = 0;
  for (let i = 0; i < event.length; i++) d += event[i]!;
  return d === 0 ? 0 : -logPartialLikelihood(ro, event, eta, "breslow") / d;
}

/**
 * Gradient and diagonal hessian of the negative log partial likelihood (Breslow) in each row's score, as
 * XGBoost's `survival:cox` boosts it: with R(t) = Σ_{event groups s ≤ t} d_s / S₀(s) and Q(t) the same of
 * d_s / S₀(s)², row i gets grad = e_i · R(t_i) − δ_i and hess = e_i · R(t_i) − e_i² · Q(t_i). (XGBoost adds the
 * events of a tie one row at a time, so a row's numbers depend on where the sort put it within its tie; here every
 * row of a group sees the whole group, which is Breslow's likelihood's own derivative.)
 */
export function coxGradients(
  ro: RiskOrder,
  event: Uint8Array,
  eta: Float64Array,
  grad: Float64Array,
  hess: Float64Array,
  groupScratch: Float64Array,
): void {
  const { order, groupStart } = ro;
  const nGroups = groupStart.length - 1;
  const m = maxOf(eta);
  // Descending: S₀ of each group (its risk set), times its event count, into R and Q terms.
  let S0 = 0;
  for (let g = nGroups - 1; g >= 0; g--) {
    let d = 0;
    for (let k = groupStart[g]!; k < groupStart[g + 1]!; k++) {
      const i = order[k]!;
      const e = Math.exp(eta[i]! - m);
      grad[i] = e; // kept for the ascending pass
      S0 += e;
      d += event[i]!;
    }
    groupScratch[g] = d === 0 ? 0 : d / S0;
    groupScratch[nGroups + g] = d === 0 ? 0 : d / (S0 * S0);
  }
  // Ascending: cumulative R and Q up to each group.
  let R = 0;
  let Q = 0;
  for (let g = 0; g < nGroups; g++) {
    R += groupScratch[g]!;
    Q += groupScratch[nGroups + g]!;
    for (let k = groupStart[g]!; k < groupStart[g + 1]!; k++) {
      const i = order[k]!;
      const e = grad[i]!;
      grad[i] = e * R - event[i]!;
      hess[i] = Math.max(0, e * R - e * e * Q); // ≥ 0 exactly (e ≤ S₀ of every group it is at risk in), bar rounding
    }
  }
}
