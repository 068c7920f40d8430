/**
 * The importance of a trained model that metrics.json stores: permutation importance on held-out rows (every
 * family; evaluation/importance.ts), plus split-gain shares (tree families) or coefficients (logreg), each taken
 * from the family's registry spec.
 */
import type { RawTable } from "../data/load.js";
import { transform } from "../data/preprocess.js";
import { encodeTarget } from "../data/target.js";
import { stratifiedSample } from "../data/split.js";
import { takeTyped, typeTable, type TypedTable } from "../data/typed.js";
import {
  aucMetric,
  permutationDrops,
  type ImportanceStat,
  type PermutationOptions,
  type TypedScorer,
} from "../evaluation/importance.js";
import { concordanceIndex } from "../evaluation/survival.js";
import { UserError } from "../utils/errors.js";
import { foldPlan, foldRow } from "../explain/fold.js";
import { addDerived } from "../features/derived.js";
import { family } from "../learners/families.js";
import { gainImportances } from "../learners/tree/importance.js";
import type { ModelArtifact } from "./artifact-type.js";
import type { ChurnModel } from "./churn-model.js";

export type { ImportanceStat, PermutationOptions } from "../evaluation/importance.js";

/** Options of {@link permutationImportance}: the shuffles', and a bound on the rows. */
export interface ModelPermutationOptions extends PermutationOptions {
  /** Measure on at most this many labelled rows (a stratified sample, seeded by `seed`). Default: every row. */
  maxRows?: number;
  /** Called with the number of rows measured on (after sampling). */
  onRows?: (measured: number, labelled: number) => void;
}

/**
 * Permutation importance per input column on the labelled rows of `raw`, sorted by mean, largest first: the drop in
 * ROC AUC of the churn probabilities, or for a survival model in Harrell's C-index of its log relative hazards (the
 * rows' durations, which are never shuffled, are read from its duration column).
 */
export async function permutationImportance(
  model: ChurnModel,
  raw: RawTable,
  opts: ModelPermutationOptions = {},
): Promise<Record<string, ImportanceStat>> {
  const a = model.artifact;
  const labelled = encodeTarget(raw, a.target, true);
  // Only labelled rows take part; past maxRows, a stratified sample of them (by the event for a survival model).
  const sample = opts.maxRows === undefined ? null : stratifiedSample(labelled.y, opts.maxRows, opts.seed ?? 0);
  const rows = sample ? Array.from(sample, (i) => labelled.rows[i]!) : labelled.rows;
  const y = sample ? Uint8Array.from(sample, (i) => labelled.y[i]!) : labelled.y;
  opts.onRows?.(rows.length, labelled.rows.length);
  const s = a.survival;
  const typed = takeTyped(typeTable(raw, s ? model.scoringInputs : a.inputs), rows);
  const encode = async (t: TypedTable) => {
    const { table } = await addDerived(t, a.derived, { model: "model.json" });
    return transform(a.preprocess, table).X;
  };
  let score: TypedScorer = async (t) => model.scoreMatrix(await encode(t));
  let metric = aucMetric(y);
  if (s) {
    const time = typed.columns.get(s.duration)!.values as Float64Array;
    for (let i = 0; i < time.length; i++)
      if (!(time[i]! >= 0) || !Number.isFinite(time[i]!))
        throw new UserError(
          `${raw.origin}: row ${rows[i]! + 1}: duration column "${s.duration}" is ${Number.isNaN(time[i]!) ? "missing" : time[i]}; permutation importance needs every labelled row's duration (a number >= 0)`,
        );
    // The C-index ranks by the log hazard alone: no baseline needed, and the same order as churn_within any horizon.
    score = async (t) => model.estimator.predictRaw(await encode(t));
    metric = (risk) => concordanceIndex({ time, event: y }, risk);
  }
  return permutationDrops(
    score,
    typed,
    metric,
    a.inputs.map((c) => c.name),
    opts,
  );
}

/**
 * Share of total split gain per input column ({@link gainImportances} over the trees the family names, its
 * spec's `gainTrees`, folded back to input columns), largest first; null for families without trees. The
 * same numbers as the model's own `featureImportances()`, folded.
 */
export function gainImportance(a: ModelArtifact): Record<string, number> | null {
  const trees = family(a.model.family).gainTrees?.(a.model.state);
  if (!trees) return null;
  const features = a.preprocess.features;
  return sortDesc(foldRow(foldPlan(features), gainImportances(trees, features.length)));
}

/**
 * Coefficients per model column, largest magnitude first, for families that have them (its spec's
 * `coefficients`; logreg's are on standardised numeric inputs, so comparable); null for the others.
 */
export function coefficientImportance(a: ModelArtifact): Record<string, number> | null {
  const coef = family(a.model.family).coefficients?.(a.model.state);
  if (!coef) return null;
  return Object.fromEntries(
    a.preprocess.features
      .map((f, j) => [f.name, coef[j]!] as [string, number])
      .sort((x, y) => Math.abs(y[1]) - Math.abs(x[1])),
  );
}

const sortDesc = (o: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(o).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)));

/** What metrics.json stores under `feature_importance`. */
export interface FeatureImportance {
  /** Drop in ROC AUC (a survival model's: in Harrell's C-index, see `metric`) when the column is shuffled, on held-out rows. */
  permutation: Record<string, ImportanceStat>;
  /** "c_index" when `permutation` is a survival model's drop in C-index; absent: ROC AUC. */
  metric?: "c_index";
  /** Share of total split gain (tree families). */
  gain?: Record<string, number>;
  /** Coefficients on the standardised model columns (logreg). */
  coefficients?: Record<string, number>;
  /** Which rows the permutation importance was measured on. */
  measured_on: string;
  /** How many labelled rows it was measured on (a stratified sample when fewer than `of_rows`). */
  rows?: number;
  /** How many labelled rows the held-out part had. */
  of_rows?: number;
}

/** Options of {@link featureImportance}: the permutation's, and whose own importance is reported. */
export interface FeatureImportanceOptions extends ModelPermutationOptions {
  /**
   * The model whose gain or coefficients are reported. Default: the permuted model's. Training permutes its first
   * fit (on validation rows that fit never saw) and reports the gain of the refit it saves.
   */
  own?: ModelArtifact;
  /** How many held-out rows `heldOut` was drawn from, when it is already a sample (pipeline/held-out.ts). */
  ofRows?: number;
}

/**
 * What metrics.json stores under `feature_importance`: permutation importance on `heldOut` rows, plus gain
 * (tree families) or coefficients (logreg) from the model itself.
 */
export async function featureImportance(
  model: ChurnModel,
  heldOut: RawTable,
  measuredOn: string,
  opts: FeatureImportanceOptions = {},
): Promise<FeatureImportance> {
  let counts: [number, number] = [0, 0];
  const permutation = await permutationImportance(model, heldOut, {
    ...opts,
    onRows: (m, n) => {
      counts = [m, n];
      opts.onRows?.(m, n);
    },
  });
  const out: FeatureImportance = {
    permutation,
    ...(model.survival ? { metric: "c_index" as const } : {}),
    measured_on: measuredOn,
    rows: counts[0],
    of_rows: opts.ofRows ?? counts[1],
  };
  const own = opts.own ?? model.artifact;
  const gain = gainImportance(own);
  if (gain) out.gain = gain;
  const coefficients = coefficientImportance(own);
  if (coefficients) out.coefficients = coefficients;
  return out;
}
