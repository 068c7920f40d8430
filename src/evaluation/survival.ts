/**
 * Survival metrics for a model that predicts when customers leave: the Kaplan–Meier estimate (of
 * survival, and of the censoring distribution for inverse-probability-of-censoring weights, IPCW),
 * Harrell's C-index, the cumulative/dynamic time-dependent AUC and the Brier score with IPCW, and
 * the integrated Brier score. Definitions follow scikit-survival (`kaplan_meier_estimator`,
 * `concordance_index_censored`, `cumulative_dynamic_auc`, `brier_score`, `integrated_brier_score`),
 * so numbers compare with Python's; the few places that differ (scikit-survival raises where these
 * return NaN or extend a curve) are said at each function. Pure functions on arrays, O(n log n).
 */

/** Durations and events of some rows: row i left (event 1) or was last seen (event 0, censored) at time[i]. */
export interface SurvivalData {
  /** Each row's duration (e.g. months of tenure): the time of the event, or of censoring. */
  time: ArrayLike<number>;
  /** 1: the row's event (churn) happened at its time; 0: censored there (still a customer when last seen). */
  event: ArrayLike<number>;
}

/** A product-limit (Kaplan–Meier) estimate: a step function, 1 before the first time. */
export interface KaplanMeierCurve {
  /** Distinct times, ascending, at which the estimate steps down (the event times; for the censoring distribution, the censoring times). */
  time: Float64Array;
  /** The estimate just after each time (right-continuous): S(t) = Π over steps ≤ t of (1 − events / at risk). */
  survival: Float64Array;
  /** Rows at risk at each time (time ≥ it; for the censoring distribution, less the events at that time). */
  atRisk: Float64Array;
  /** Events at each time (for the censoring distribution: censorings). */
  events: Float64Array;
}

function checkLengths(data: SurvivalData, what: string, other?: ArrayLike<number>): void {
  const n = data.time.length;
  if (data.event.length !== n || (other && other.length !== n))
    throw new Error(
      `${what}: time, event${other ? " and scores" : ""} differ in length (${n}, ${data.event.length}${other ? `, ${other.length}` : ""})`,
    );
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(data.time[i])) throw new Error(`${what}: time of row ${i} is not a finite number`);
}

/**
 * The product-limit estimate at each distinct time. `reverse` estimates the censoring distribution
 * as scikit-survival does: censorings are the events, and rows whose event happens at the same time
 * leave the risk set first.
 */
function productLimit(data: SurvivalData, reverse: boolean): KaplanMeierCurve {
  checkLengths(data, "Kaplan–Meier");
  const n = data.time.length;
  // Two native sorts (all times; event times) instead of an index sort with a comparator.
  const all = Float64Array.from(data.time).sort();
  let e = 0;
  for (let i = 0; i < n; i++) if (data.event[i]) e++;
  const ev = new Float64Array(e);
  for (let i = 0, k = 0; i < n; i++) if (data.event[i]) ev[k++] = data.time[i]!;
  ev.sort();
  const time: number[] = [];
  const survival: number[] = [];
  const atRisk: number[] = [];
  const events: number[] = [];
  let s = 1;
  for (let i = 0, k = 0; i < n;) {
    const t = all[i]!;
    let j = i;
    while (j < n && all[j] === t) j++;
    let d = 0;
    for (; k < e && ev[k] === t; k++) d++;
    const total = j - i;
    const risk = reverse ? n - i - d : n - i;
    const count = reverse ? total - d : d;
    if (count > 0) {
      s *= 1 - count / risk;
      time.push(t);
      survival.push(s);
      atRisk.push(risk);
      events.push(count);
    }
    i = j;
  }
  return {
    time: Float64Array.from(time),
    survival: Float64Array.from(survival),
    atRisk: Float64Array.from(atRisk),
    events: Float64Array.from(events),
  };
}

/** Kaplan–Meier estimate of the survival function S(t) = P(T > t) of the rows. */
export function kaplanMeier(data: SurvivalData): KaplanMeierCurve {
  return productLimit(data, false);
}

/**
 * Kaplan–Meier estimate of the censoring distribution G(t) = P(C > t) (scikit-survival's
 * `kaplan_meier_estimator(reverse=True)`): the weights 1/G of {@link timeDependentAuc} and
 * {@link brierScores} come from it. With no censored row it is 1 everywhere.
 */
export function censoringKaplanMeier(data: SurvivalData): KaplanMeierCurve {
  return productLimit(data, true);
}

/** Index of the first element of the ascending `a` that is ≥ x (`strict`: > x). */
function search(a: ArrayLike<number>, x: number, strict: boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? a[mid]! <= x : a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A Kaplan–Meier curve's value at t: 1 before its first time, else the value at the last time ≤ t (kept beyond the last time). */
export function curveAt(curve: KaplanMeierCurve, t: number): number {
  const k = search(curve.time, t, true);
  return k === 0 ? 1 : curve.survival[k - 1]!;
}

/** The C-index and the pair counts behind it (as scikit-survival's `concordance_index_censored` returns them). */
export interface Concordance {
  /** Harrell's C-index: (concordant + tiedRisk / 2) / comparable pairs; NaN when no pair is comparable (every row censored). */
  cIndex: number;
  /** Comparable pairs where the row that left first has the higher risk. */
  concordant: number;
  /** Comparable pairs where it has the lower risk. */
  discordant: number;
  /** Comparable pairs whose risks are tied (within the tolerance), counted ½. */
  tiedRisk: number;
  /** Comparable pairs with the same time: an event and a row censored at that time. */
  tiedTime: number;
}

/**
 * Harrell's concordance of a risk score (higher risk = earlier event), with the pair counts.
 * Comparable pairs as scikit-survival's `concordance_index_censored`: row i with an event and row j
 * with a later time, or censored at the same time; risks within `tiedTolerance` (default 1e-8, as
 * there) count ½. O(n log n): rows by descending time, the risks of the rows still at risk in a
 * Fenwick tree over the distinct risk values.
 */
export function concordance(data: SurvivalData, risk: ArrayLike<number>, tiedTolerance = 1e-8): Concordance {
  checkLengths(data, "C-index", risk);
  const n = risk.length;
  const { time, event } = data;
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(risk[i])) throw new Error(`C-index: risk of row ${i} is not a finite number`);
  const sorted = Float64Array.from(risk).sort();
  let u = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[u - 1]) sorted[u++] = sorted[i]!;
  const values = sorted.subarray(0, u);
  const tree = new Float64Array(u + 1);
  const add = (i: number): void => {
    for (let k = search(values, risk[i]!, false) + 1; k <= u; k += k & -k) tree[k]!++;
  };
  // Rows (risk values) below index k of `values`.
  const below = (k: number): number => {
    let s = 0;
    for (; k > 0; k -= k & -k) s += tree[k]!;
    return s;
  };
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => time[b]! - time[a]!);
  let inTree = 0;
  let concordant = 0;
  let tied = 0;
  let discordant = 0;
  let tiedTime = 0;
  for (let g = 0; g < n;) {
    const t = time[order[g]!]!;
    let h = g;
    while (h < n && time[order[h]!] === t) h++;
    // An event is comparable with every later row and with the rows censored at its own time.
    let censoredHere = 0;
    for (let k = g; k < h; k++)
      if (!event[order[k]!]) {
        add(order[k]!);
        censoredHere++;
      }
    inTree += censoredHere;
    for (let k = g; k < h; k++) {
      const i = order[k]!;
      if (!event[i]) continue;
      const lower = below(search(values, risk[i]! - tiedTolerance, false));
      const upTo = below(search(values, risk[i]! + tiedTolerance, true));
      concordant += lower;
      tied += upTo - lower;
      discordant += inTree - upTo;
      tiedTime += censoredHere;
    }
    for (let k = g; k < h; k++)
      if (event[order[k]!]) {
        add(order[k]!);
        inTree++;
      }
    g = h;
  }
  const pairs = concordant + tied + discordant;
  return {
    cIndex: pairs === 0 ? NaN : (concordant + tied / 2) / pairs,
    concordant,
    discordant,
    tiedRisk: tied,
    tiedTime,
  };
}

/** Harrell's C-index of a risk score (higher risk = earlier event); ties in risk count ½. See {@link concordance}. */
export function concordanceIndex(data: SurvivalData, risk: ArrayLike<number>): number {
  return concordance(data, risk).cIndex;
}

/** Distinct finite times, ascending (scikit-survival takes `np.unique(times)` too). */
function distinctTimes(times: readonly number[], what: string): number[] {
  for (const t of times) if (!Number.isFinite(t)) throw new Error(`${what}: time ${t} is not a finite number`);
  return [...new Set(times)].sort((a, b) => a - b);
}

/**
 * Each test row's inverse probability of censoring weight at its own time, 1/G(time), from the
 * censoring distribution of the training rows; Infinity where G is 0 there.
 */
function inverseCensoringWeights(censoring: KaplanMeierCurve, time: ArrayLike<number>): Float64Array {
  const w = new Float64Array(time.length);
  for (let i = 0; i < time.length; i++) w[i] = 1 / curveAt(censoring, time[i]!);
  return w;
}

/** Time-dependent AUC at each horizon and its mean over the horizons. */
export interface TimeDependentAuc {
  /** The horizons, distinct and ascending. */
  times: number[];
  /** AUC at each horizon: how well the risk ranks the rows that left by then above those still there. NaN where undefined (see {@link timeDependentAuc}). */
  auc: number[];
  /** Mean AUC over the horizons weighted by the drop of the test rows' Kaplan–Meier estimate between them (scikit-survival's `mean_auc`); the AUC itself for one horizon. */
  mean: number;
}

/**
 * Cumulative/dynamic AUC at each horizon t with IPCW (Uno et al. 2007; Hung and Chiang 2010), as
 * scikit-survival's `cumulative_dynamic_auc`: cases are test rows with an event at or before t,
 * weighted 1/G(their time) with G the censoring distribution of the `train` rows; controls are the
 * rows still there after t. AUC(t) = Σ cases·controls w_i [risk_i > risk_j, ½ when tied within
 * `tiedTolerance`] / (Σ w_i · controls). Where scikit-survival raises, this gives NaN: a horizon with
 * no case or no control (t below the first or at/after the last test time), or a case whose G is 0.
 * G is kept constant after the last training time (scikit-survival refuses test times beyond it).
 */
export function timeDependentAuc(
  train: SurvivalData,
  test: SurvivalData,
  risk: ArrayLike<number>,
  horizons: readonly number[],
  tiedTolerance = 1e-8,
): TimeDependentAuc {
  checkLengths(test, "time-dependent AUC", risk);
  const times = distinctTimes(horizons, "time-dependent AUC");
  const n = risk.length;
  const { time, event } = test;
  const weight = inverseCensoringWeights(censoringKaplanMeier(train), time);
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => risk[b]! - risk[a]!);
  const auc = times.map((t) => {
    let casesAbove = 0;
    let controls = 0;
    let sum = 0;
    for (let g = 0; g < n;) {
      // A tie group: consecutive risks within the tolerance of each other, as scikit-survival chains them.
      let h = g;
      let cases = 0;
      let ctrl = 0;
      do {
        const i = order[h]!;
        if (time[i]! > t) ctrl++;
        else if (event[i]) cases += weight[i]!;
        h++;
      } while (h < n && Math.abs(risk[order[h - 1]!]! - risk[order[h]!]!) <= tiedTolerance);
      sum += ctrl * (casesAbove + cases / 2);
      casesAbove += cases;
      controls += ctrl;
      g = h;
    }
    return casesAbove > 0 && controls > 0 && Number.isFinite(casesAbove) ? sum / (casesAbove * controls) : NaN;
  });
  let mean = auc[0] ?? NaN;
  if (times.length > 1) {
    const km = kaplanMeier(test);
    let prev = 1;
    let integral = 0;
    for (let k = 0; k < times.length; k++) {
      const s = curveAt(km, times[k]!);
      integral += auc[k]! * (prev - s);
      prev = s;
    }
    mean = integral / (1 - prev);
  }
  return { times, auc, mean };
}

/** Brier scores at some times and their integral. */
export interface BrierScores {
  /** The times, distinct and ascending. */
  times: number[];
  /** IPCW Brier score at each time: the weighted mean squared error of the predicted S(t); lower is better. */
  brier: number[];
  /** Integrated Brier score: the trapezoid integral of `brier` over `times` divided by their span; NaN for fewer than two times. */
  integrated: number;
}

/**
 * Brier score at each time t with IPCW (Graf et al. 1999), as scikit-survival's `brier_score`:
 * the mean over test rows of S_i(t)² / G(time_i) for rows with an event at or before t, plus
 * (1 − S_i(t))² / G(t) for rows still there after t (censored rows before t add 0), with G the
 * censoring distribution of the `train` rows (a weight is 0 where G is 0, as there). The integrated
 * Brier score is `integrated_brier_score`: trapezoids over the times, divided by their span.
 * `survivalAt(i, t)` is test row i's predicted S(t), called once per row and time.
 */
export function brierScores(
  train: SurvivalData,
  test: SurvivalData,
  survivalAt: (row: number, t: number) => number,
  times: readonly number[],
): BrierScores {
  checkLengths(test, "Brier score");
  const ts = distinctTimes(times, "Brier score");
  const censoring = censoringKaplanMeier(train);
  const { time, event } = test;
  const n = time.length;
  const atOwnTime = inverseCensoringWeights(censoring, time);
  const finite = (w: number): number => (Number.isFinite(w) ? w : 0);
  const brier = ts.map((t) => {
    const atT = finite(1 / curveAt(censoring, t));
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const s = survivalAt(i, t);
      if (time[i]! > t) sum += (1 - s) ** 2 * atT;
      else if (event[i]) sum += s ** 2 * finite(atOwnTime[i]!);
    }
    return sum / n;
  });
  let integrated = NaN;
  if (ts.length >= 2) {
    let area = 0;
    for (let k = 1; k < ts.length; k++) area += ((brier[k]! + brier[k - 1]!) / 2) * (ts[k]! - ts[k - 1]!);
    integrated = area / (ts[ts.length - 1]! - ts[0]!);
  }
  return { times: ts, brier, integrated };
}
