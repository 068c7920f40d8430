/**
 * Feature importance. Permutation importance works for every family: shuffle one original
 * input column of held-out rows, recompute derived features and encodings, and measure how
 * much ROC AUC drops. Because the shuffle happens before derivation and one-hot encoding,
 * the result is reported per input column, with derived and one-hot features folded back.
 */
import type { RawTable } from "../data/load.js";
import { transform } from "../data/preprocess.js";
import { encodeTarget } from "../data/target.js";
import { takeColumn, takeTyped, typeTable, type TypedTable } from "../data/typed.js";
import { addDerived } from "../features/derived.js";
import { dict } from "../utils/dict.js";
import { Rng } from "../utils/random.js";
import { rocAuc } from "./metrics.js";
import type { ModelArtifact } from "./artifact.js";
import type { ChurnModel } from "./model.js";
import { family } from "./define.js";
import { gainImportances } from "./tree/importance.js";

/** Permutation importance of one input column over the repeats. */
export interface ImportanceStat {
  /** Mean drop in ROC AUC over the repeats (higher = more important). */
  mean: number;
  /** Standard deviation of the drop over the repeats. */
  std: number;
}

/** Options of {@link permutationImportance}. */
export interface PermutationOptions {
  /** Shuffles per column. Default 5. */
  repeats?: number;
  /** Seed of the shuffles. Default 0. */
  seed?: number;
}

async function scoreTyped(model: ChurnModel, typed: TypedTable): Promise<Float64Array> {
  const { table } = await addDerived(typed, model.artifact.derived, { model: "model.json" });
  const { X } = transform(model.artifact.preprocess, table);
  return model.scoreMatrix(X);
}

/** Permutation importance per input column on labelled rows, sorted by mean, largest first. */
export async function permutationImportance(
  model: ChurnModel,
  raw: RawTable,
  opts: PermutationOptions = {},
): Promise<Record<string, ImportanceStat>> {
  const repeats = opts.repeats ?? 5;
  const rng = new Rng(opts.seed ?? 0);
  const { y, rows } = encodeTarget(raw, model.artifact.target, true);
  const typedAll = typeTable(raw, model.artifact.inputs);
  // Only labelled rows take part.
  const typed = takeTyped(typedAll, rows);
  const base = rocAuc(y, await scoreTyped(model, typed));
  const out: [string, ImportanceStat][] = [];
  for (const { name } of model.artifact.inputs) {
    const drops: number[] = [];
    const col = typed.columns.get(name)!;
    for (let r = 0; r < repeats; r++) {
      const order = rng.shuffle(Int32Array.from({ length: typed.rows }, (_, i) => i));
      const columns = new Map(typed.columns);
      columns.set(name, takeColumn(col, order));
      drops.push(base - rocAuc(y, await scoreTyped(model, { ...typed, columns })));
    }
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    const std = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats);
    out.push([name, { mean, std }]);
  }
  out.sort((a, b) => b[1].mean - a[1].mean || (a[0] < b[0] ? -1 : 1));
  return Object.fromEntries(out);
}

/** Sum per-model-column values into their input columns (one-hot and derived features fold back). */
export function foldBySource(
  names: { name: string; source: string }[],
  values: ArrayLike<number>,
): Record<string, number> {
  const out = dict<number>();
  names.forEach((f, j) => (out[f.source] = (out[f.source] ?? 0) + values[j]!));
  return out;
}

/**
 * Share of total split gain per input column ({@link gainImportances} over the trees the family names, its
 * spec's `gainTrees`, folded back to input columns), largest first; null for families without trees. The
 * same numbers as the model's own `featureImportances()`, folded.
 */
export function gainImportance(a: ModelArtifact): Record<string, number> | null {
  const trees = family(a.model.family).gainTrees?.(a.model.state);
  if (!trees) return null;
  return sortDesc(foldBySource(a.preprocess.features, gainImportances(trees, a.preprocess.features.length)));
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
  /** Drop in ROC AUC when the column is shuffled, on held-out rows. */
  permutation: Record<string, ImportanceStat>;
  /** Share of total split gain (tree families). */
  gain?: Record<string, number>;
  /** Coefficients on the standardised model columns (logreg). */
  coefficients?: Record<string, number>;
  /** Which rows the permutation importance was measured on. */
  measured_on: string;
}

/**
 * What metrics.json stores under `feature_importance`: permutation importance on `heldOut` rows, plus gain
 * (tree families) or coefficients (logreg) from the model itself.
 */
export async function featureImportance(
  model: ChurnModel,
  heldOut: RawTable,
  measuredOn: string,
  opts: PermutationOptions = {},
): Promise<FeatureImportance> {
  const out: FeatureImportance = {
    permutation: await permutationImportance(model, heldOut, opts),
    measured_on: measuredOn,
  };
  const gain = gainImportance(model.artifact);
  if (gain) out.gain = gain;
  const coefficients = coefficientImportance(model.artifact);
  if (coefficients) out.coefficients = coefficients;
  return out;
}
