/**
 * A survival model's metrics on held-out rows, in one object: Harrell's C-index, the cumulative/dynamic AUC at each
 * horizon and the integrated Brier score (both with inverse-probability-of-censoring weights from the training rows),
 * computed by the functions of `survival.ts`.
 */
import { brierScores, concordanceIndex, timeDependentAuc } from "./survival.js";

/** What `evaluate --json` prints for a survival model, and what model.json and metrics.json keep. */
export interface SurvivalMetrics {
  /** Held-out rows measured. */
  rows: number;
  /** Of them, rows with the event (churned). */
  events: number;
  /** Harrell's C-index of the log relative hazard (0.5: random; 1: every pair ordered right). */
  c_index: number;
  /** The horizons of `td_auc`, ascending, in the duration's unit. */
  horizons: number[];
  /** Cumulative/dynamic AUC at each horizon: who churns by H against who stays past H. */
  td_auc: number[];
  /** Integrated Brier score of the predicted survival curves over the horizons' range (lower is better). */
  integrated_brier: number;
}

/** Points of the even grid the integrated Brier score is computed on. */
export const IBS_POINTS = 25;

/** Durations and events of a set of rows. */
export interface TimesEvents {
  /** Each row's duration. */
  time: Float64Array;
  /** 1 where the row churned at its duration, 0 where it was censored there. */
  event: Uint8Array;
}

/**
 * Measure a survival model on `test` rows: C-index of `risk`, cumulative/dynamic AUC at each horizon, and the
 * integrated Brier score of `survivalAt(i, t)` (row i's predicted S(t) from the start) from the first horizon to the
 * last (cut at the test rows' longest duration; NaN with a single horizon), the censoring weights estimated on `train`.
 */
export function measureSurvival(
  train: TimesEvents,
  test: TimesEvents,
  risk: Float64Array,
  survivalAt: (i: number, t: number) => number,
  horizons: readonly number[],
): SurvivalMetrics {
  let events = 0;
  for (let i = 0; i < test.event.length; i++) events += test.event[i]!;
  let maxTest = 0;
  for (let i = 0; i < test.time.length; i++) if (test.time[i]! > maxTest) maxTest = test.time[i]!;
  // The IBS integrates the Brier score over an even grid from the first horizon to the last (within the test rows).
  const from = horizons[0]!;
  const to = Math.min(horizons[horizons.length - 1]!, maxTest * (1 - 1e-9));
  const times =
    to > from ? Array.from({ length: IBS_POINTS }, (_, k) => from + ((to - from) * k) / (IBS_POINTS - 1)) : [];
  return {
    rows: test.time.length,
    events,
    c_index: concordanceIndex(test, risk),
    horizons: [...horizons],
    td_auc: timeDependentAuc(train, test, risk, horizons).auc,
    integrated_brier: times.length >= 2 ? brierScores(train, test, survivalAt, times).integrated : NaN,
  };
}

/** The training rows' durations as distinct times with their counts of events and of censored rows. */
export interface FollowUp {
  /** Distinct durations, ascending. */
  times: number[];
  /** Rows that churned at each time. */
  events: number[];
  /** Rows still customers (censored) at each time. */
  censored: number[];
}

/** The training rows' durations as distinct times with their event and censoring counts (model.json `follow_up`). */
export function followUp(time: Float64Array, event: Uint8Array): FollowUp {
  const counts = new Map<number, [number, number]>();
  for (let i = 0; i < time.length; i++) {
    const c = counts.get(time[i]!) ?? [0, 0];
    c[event[i]! ? 0 : 1]++;
    counts.set(time[i]!, c);
  }
  const times = [...counts.keys()].sort((a, b) => a - b);
  return {
    times,
    events: times.map((t) => counts.get(t)![0]),
    censored: times.map((t) => counts.get(t)![1]),
  };
}

/** The rows a {@link FollowUp} counts, as arrays again (the censoring distribution of IPCW metrics). */
export function expandFollowUp(f: FollowUp): TimesEvents {
  const time: number[] = [];
  const event: number[] = [];
  f.times.forEach((t, k) => {
    for (let j = 0; j < f.events[k]!; j++) (time.push(t), event.push(1));
    for (let j = 0; j < f.censored[k]!; j++) (time.push(t), event.push(0));
  });
  return { time: Float64Array.from(time), event: Uint8Array.from(event) };
}
