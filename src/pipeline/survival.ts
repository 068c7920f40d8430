/**
 * The survival task's steps of training (a `data.duration` column): which families fit it, reading and checking the
 * durations, and the model.json `survival` section (horizons, value column, baseline hazard, follow-up counts).
 */
import type { Config } from "../config/schema.js";
import type { TrainingSource } from "../data/source.js";
import type { Task } from "../core/types.js";
import { family, knownFamilies } from "../learners/families.js";
import { familyTasks } from "../learners/registry.js";
import type { BaselineHazard } from "../learners/baseline-hazard.js";
import type { FollowUp } from "../evaluation/follow-up.js";
import type { SurvivalMetrics } from "../evaluation/survival-summary.js";
import type { SurvivalSection } from "../artifact/artifact-type.js";
import { UserError } from "../utils/errors.js";

/** The task a config asks for: survival with `data.duration`, else classification. */
export const taskOf = (cfg: Config): Task => (cfg.data.duration ? "survival" : "classification");

/** Whether family `name` fits `task` (its spec's `tasks`, default classification only). */
export const fits = (name: string, task: Task): boolean => familyTasks(family(name)).includes(task);

/** The registered families that fit `task`, in registration order. */
export const familiesFor = (task: Task): string[] => knownFamilies().filter((f) => fits(f, task));

/** Refuse a family that cannot fit `task` (exit 2), naming the families that can. */
export function checkFamilyTask(name: string, task: Task, how: string): void {
  if (fits(name, task)) return;
  const can = familiesFor(task);
  throw new UserError(
    task === "survival"
      ? `model family "${name}" cannot fit the survival task (${how}); families that can: ${can.join(", ") || "none registered"}, or auto`
      : `model family "${name}" fits only the survival task; give a duration column (data.duration, --duration) or choose one of ${can.join(", ")}`,
  );
}

/**
 * The duration of each of `rows` (the labelled rows, all when absent) of `source`: a number ≥ 0 in every row, else a
 * UserError naming the first bad row.
 */
export async function readDurations(
  source: TrainingSource,
  column: string,
  rows: readonly number[] | undefined,
): Promise<Float64Array> {
  const typed = await source.typed([{ name: column, type: "numeric" }], rows);
  const d = typed.columns.get(column)!.values as Float64Array;
  for (let i = 0; i < d.length; i++)
    if (!(d[i]! >= 0) || !Number.isFinite(d[i]!))
      throw new UserError(
        `${source.origin}: row ${(rows ? rows[i]! : i) + 1}: duration column "${column}" is ${Number.isNaN(d[i]!) ? "missing" : d[i]}; every training row needs a duration >= 0 (or drop the row)`,
      );
  return d;
}

/** Check the survival settings against the table before any work: columns present, no classification-only options. */
export function checkSurvivalConfig(cfg: Config, columns: readonly string[], origin: string): void {
  const d = cfg.data;
  const dur = d.duration!;
  const missing = (what: string, c: string) =>
    new UserError(`${origin}: ${what} column "${c}" is not in the file; columns are: ${columns.join(", ")}`);
  if (!columns.includes(dur)) throw missing("duration (data.duration, --duration)", dur);
  if (dur === d.target) throw new UserError(`data.duration: "${dur}" is the target column; give the duration column`);
  const v = cfg.survival.value;
  if (v !== undefined && !columns.includes(v)) throw missing("value (survival.value)", v);
  if (v === dur) throw new UserError(`survival.value: "${v}" is the duration column; give a value per duration unit`);
  if (cfg.model.calibration !== "none")
    throw new UserError(
      `model.calibration "${cfg.model.calibration}" is for classification; a survival model's probabilities come from its baseline hazard: set it to none`,
    );
  if (cfg.model.threshold === "profit")
    throw new UserError(
      'model.threshold "profit" is for classification; give a survival model a fixed threshold on churn_within of the first horizon (a number), or leave the default',
    );
}

/**
 * The decision threshold of a survival model's churn_prediction (on churn_within of the first horizon): a fixed
 * number from the config, else 0.5. A survival task has no labelled "churned within H" rows to tune one on (censored
 * customers' outcomes past their duration are unknown), so "f1" means the fixed 0.5.
 */
export const survivalThreshold = (cfg: Config): number =>
  typeof cfg.model.threshold === "number" ? cfg.model.threshold : 0.5;

/** model.json's survival section. */
export function survivalSection(
  cfg: Config,
  baseline: BaselineHazard,
  follow: FollowUp,
  validation: SurvivalMetrics | null,
): SurvivalSection {
  return {
    duration: cfg.data.duration!,
    horizons: [...cfg.survival.horizons],
    value: cfg.survival.value ?? null,
    baseline,
    follow_up: follow,
    validation,
  };
}
