/**
 * The train flow's overrides of a config, in one place, so that `churnkit train` flags and the
 * `train()` options of the API mean the same thing.
 */
import { merge, type Plain } from "./load.js";

/** What `churnkit train` flags and `train()` options can set over a config (unset = keep the config's). */
export interface TrainOverrides {
  /** Seed for every random choice. */
  seed?: number;
  /** Training table path. */
  path?: string;
  /** Target column. */
  target?: string;
  /** Target label meaning churn. */
  positive?: string;
  /** Columns to leave out, added to the config's `data.drop` (not replacing it). */
  drop?: string[];
  /** Identifier columns (replace the config's `data.id_columns`). */
  idColumns?: string[];
  /** Model family. */
  family?: string;
  /** Family hyperparameters (merged key by key into the config's `model.params`). */
  params?: Record<string, unknown>;
  /** Duration column: the survival task (`data.duration`). */
  duration?: string;
  /** Survival horizons (replace the config's `survival.horizons`). */
  horizons?: number[];
  /** Threads for fitting and DuckDB (`threads`). */
  threads?: number;
}

/**
 * Apply train overrides to a config object (not yet validated). `drop` appends to the config's `data.drop`
 * (first occurrence kept, no duplicates): a user who set `data.drop: [a]` in a config and adds `--drop b` (or
 * `train({ drop: ["b"] })`) expects both left out. Every other override replaces the config's value.
 */
export function applyTrainOverrides(base: Plain, o: TrainOverrides): Plain {
  const baseDrop = (base.data as { drop?: unknown } | undefined)?.drop;
  // A config `data.drop` that is not a list is kept as it is, so that validation names it.
  const listed = baseDrop === undefined ? [] : Array.isArray(baseDrop) ? (baseDrop as string[]) : undefined;
  const drop = o.drop && listed ? [...new Set([...listed, ...o.drop])] : undefined;
  return merge(base, {
    seed: o.seed,
    threads: o.threads,
    data: {
      path: o.path,
      target: o.target,
      positive: o.positive,
      drop,
      id_columns: o.idColumns,
      duration: o.duration,
    },
    model: { family: o.family, params: o.params },
    survival: o.horizons ? { horizons: o.horizons } : undefined,
  });
}
