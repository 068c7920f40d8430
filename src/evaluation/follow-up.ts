/**
 * A survival model's training follow-up, kept in model.json: the training rows' durations as distinct times with their
 * counts of events and of censored rows, from which `evaluate` rebuilds the censoring distribution of its IPCW metrics.
 */
import type { SurvivalData } from "./survival.js";

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
export function expandFollowUp(f: FollowUp): { time: Float64Array; event: Uint8Array } & SurvivalData {
  const time: number[] = [];
  const event: number[] = [];
  f.times.forEach((t, k) => {
    for (let j = 0; j < f.events[k]! + f.censored[k]!; j++) {
      time.push(t);
      event.push(j < f.events[k]! ? 1 : 0);
    }
  });
  return { time: Float64Array.from(time), event: Uint8Array.from(event) };
}
