/**
 * Preprocessing with learned, serialisable state: imputation, category vocabularies with a
 * cap and an unseen-category policy, one-hot or native category codes, and standardisation.
 * What a model family needs is given by its EncodingNeeds; `fit` learns on training rows only.
 */
import { UserError, show } from "../utils/errors.js";
import type { EncodingNeeds, FeatureInfo, Matrix } from "../core/types.js";
import type { ColumnType } from "./schema.js";
import { meanStd, medianOf, present } from "./stats.js";
import { CODE_MISSING, type TypedTable } from "./typed.js";

/** Settings of the preprocessing step (config `preprocess`). */
export interface PreprocessOptions {
  /** Fill for missing numbers: "median" (default) or "mean". */
  numeric_imputation: "median" | "mean";
  /** Fill for missing categories: "most_frequent" (default) or "missing_level" (a level of its own). */
  categorical_imputation: "most_frequent" | "missing_level";
  /** Unseen category at prediction: "ignore" (default; encoded as unknown and flagged) or "error". */
  unseen_category: "ignore" | "error";
  /** Most levels kept per categorical column (default 100); the rest share the "other" level. */
  max_categories: number;
  /** Levels seen fewer times share the "other" level (default 5). */
  min_category_count: number;
}

/** Learned state of one numeric or boolean input column. */
export interface NumericState {
  /** The input column's name. */
  column: string;
  /** How the column is read; boolean columns are 1/0 numbers from here on. */
  type: "numeric" | "boolean";
  /** Imputation value (median or mean of training). */
  fill: number;
  /** Training mean and standard deviation (for standardisation and drift checks). */
  mean: number;
  /** Training standard deviation (population); standardisation divides by it. */
  std: number;
}

/** Learned state of one categorical input column. */
export interface CategoricalState {
  /** The input column's name. */
  column: string;
  /** Kept levels, most frequent first; code i is levels[i]. */
  levels: string[];
  /** Whether rare levels were pooled into an extra "other" level (code levels.length). */
  other: boolean;
  /** Imputation level for one-hot with most_frequent imputation. */
  fill: string | null;
  /** Whether a dedicated missing level column exists (missing_level imputation). */
  missingLevel: boolean;
  /**
   * The training levels pooled into "other" (rare or beyond max_categories), so that prediction does not
   * count them as unseen. Absent when there are none, more than 10,000 (POOLED_LIMIT), or in models before 0.8.
   */
  pooled?: string[];
}

/**
 * Everything preprocessing learned on the training rows, stored in model.json, so prediction encodes rows
 * exactly as training did.
 */
export interface PreprocessState {
  /** What the model family asked for (imputation, one-hot, standardisation). */
  needs: EncodingNeeds;
  /** The `preprocess` settings it was fitted with. */
  options: PreprocessOptions;
  /** Learned state of each numeric and boolean input column, in input order. */
  numeric: NumericState[];
  /** Learned state of each categorical input column, in input order. */
  categorical: CategoricalState[];
  /** Input columns in model order. */
  inputs: {
    /** The input column's name. */
    column: string;
    /** How it is read. */
    type: ColumnType;
  }[];
  /** Model columns produced by `transform`. */
  features: FeatureInfo[];
}

/** A category value the model never saw, reported back to the caller. */
export interface UnseenCategory {
  /** Row of the input (0-based) that holds the value. */
  row: number;
  /** Column that holds the value. */
  column: string;
  /** The category as given; it was encoded as unknown (`unseen_category: ignore`). */
  value: string;
}

/** At most this many pooled levels are stored per column (model.json stays small for very wide columns). */
export const POOLED_LIMIT = 10_000;
/** The level that pools rare categories (beyond `max_categories` or under `min_category_count`). */
export const OTHER_LEVEL = "(other)";
/** The level of its own that missing categories get with `categorical_imputation: missing_level`. */
export const MISSING_LEVEL = "(missing)";

/** Learn the preprocessing state from the training rows. */
export function fitPreprocess(
  t: TypedTable,
  inputs: { column: string; type: ColumnType }[],
  needs: EncodingNeeds,
  options: PreprocessOptions,
): PreprocessState {
  const numeric: NumericState[] = [];
  const categorical: CategoricalState[] = [];
  const features: FeatureInfo[] = [];
  for (const { column, type } of inputs) {
    const col = t.columns.get(column)!;
    if (type !== "categorical") {
      const vals = present(col.values as Float64Array);
      if (vals.length === 0)
        throw new UserError(`column "${column}" has no values in the training rows; drop it or supply data`);
      const { mean, std } = meanStd(vals);
      const fill = options.numeric_imputation === "median" ? medianOf(vals) : mean;
      numeric.push({ column, type, fill, mean, std });
      features.push({ name: column, kind: "numeric", source: column });
      continue;
    }
    const counts = new Map<string, number>();
    let missing = 0;
    for (const v of col.values as (string | null)[]) {
      if (v === null) missing++;
      else counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    // Most frequent first; ties by name so that the order is deterministic.
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const kept = ranked.filter(([, n]) => n >= options.min_category_count).slice(0, options.max_categories);
    // Never pool everything: a column of only rare levels keeps its most frequent ones.
    const levels = (kept.length ? kept : ranked.slice(0, options.max_categories)).map(([l]) => l);
    const other = levels.length < ranked.length;
    const missingLevel = needs.impute && options.categorical_imputation === "missing_level" && missing > 0;
    const fill = ranked[0]?.[0] ?? null;
    // Levels are a prefix of `ranked` (most frequent first), so the pooled ones are the rest.
    const pooled = ranked.length - levels.length <= POOLED_LIMIT ? ranked.slice(levels.length) : [];
    categorical.push({
      column,
      levels,
      other,
      fill,
      missingLevel,
      ...(pooled.length ? { pooled: pooled.map(([l]) => l) } : {}),
    });
    if (needs.oneHot) {
      for (const l of levels) features.push({ name: `${column}=${l}`, kind: "numeric", source: column });
      if (other) features.push({ name: `${column}=${OTHER_LEVEL}`, kind: "numeric", source: column });
      if (missingLevel) features.push({ name: `${column}=${MISSING_LEVEL}`, kind: "numeric", source: column });
    } else {
      features.push({
        name: column,
        kind: "categorical",
        nCategories: levels.length + (other ? 1 : 0),
        source: column,
      });
    }
  }
  return { needs, options, numeric, categorical, inputs, features };
}

/** Whether two level lists are the same, in order (usually the very same array, the model's). */
function sameLevels(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether codes against `vocabulary` read as `s`'s codes: its first levels are `s.levels`, in order, and the rest are
 * levels pooled in training (what the scoring stream codes by, so that a pooled label never becomes a string).
 */
function codedAgainst(vocabulary: readonly string[], s: CategoricalState, pooled: ReadonlySet<string>): boolean {
  if (vocabulary.length < s.levels.length || !sameLevels(vocabulary.slice(0, s.levels.length), s.levels)) return false;
  for (let i = s.levels.length; i < vocabulary.length; i++) if (!pooled.has(vocabulary[i]!)) return false;
  return true;
}

/**
 * Encode rows with a learned state into a model matrix. `newColumn(n)` makes its numeric and code columns (default: new
 * arrays; a scoring stream's reused ones, data/window-buffers.ts): every item is written.
 */
export function transform(
  state: PreprocessState,
  t: TypedTable,
  newColumn: (n: number) => Float64Array = (n) => new Float64Array(n),
): { X: Matrix; unseen: UnseenCategory[] } {
  const n = t.rows;
  const columns: Float64Array[] = [];
  const unseen: UnseenCategory[] = [];
  const numByName = new Map(state.numeric.map((s) => [s.column, s]));
  const catByName = new Map(state.categorical.map((s) => [s.column, s]));
  for (const { column, type } of state.inputs) {
    const col = t.columns.get(column);
    if (!col) throw new UserError(`${t.origin}: missing column "${column}"; the model needs it`);
    if (type !== "categorical") {
      const s = numByName.get(column)!;
      const src = col.values as Float64Array;
      const out = newColumn(n);
      const scale = state.needs.standardize ? (s.std > 0 ? s.std : 1) : 1;
      const shift = state.needs.standardize ? s.mean : 0;
      if (!state.needs.impute && !state.needs.standardize)
        out.set(src); // (v - 0) / 1 is v, -0 and NaN too
      else
        for (let i = 0; i < n; i++) {
          const v = Number.isNaN(src[i]!) && state.needs.impute ? s.fill : src[i]!;
          out[i] = (v - shift) / scale;
        }
      columns.push(out);
      continue;
    }
    const s = catByName.get(column)!;
    const code = new Map(s.levels.map((l, i) => [l, i]));
    const otherCode = s.other ? s.levels.length : -1;
    const pooled = new Set(s.pooled);
    const codes = newColumn(n);
    // Missing rows (for one-hot: missing is imputed, an unseen label is not).
    const missing = new Uint8Array(n);
    const unknown = (i: number, v: string): void => {
      // Not a kept level: it goes to "other" when rare levels were pooled, else it is unknown.
      codes[i] = otherCode >= 0 ? otherCode : NaN;
      // A level pooled in training was seen: scored as "other", neither flagged nor refused. (Without the
      // stored list, more than POOLED_LIMIT or an older model, rare and new cannot be told apart.)
      if (pooled.has(v)) return;
      if (state.options.unseen_category === "error") {
        throw new UserError(
          `${t.origin}: row ${i + 1}, column "${column}": category ${show(v)} was not seen in training (known: ${s.levels.slice(0, 8).join(", ")}${s.levels.length > 8 ? ", …" : ""}); fix the value, or retrain the model with preprocess.unseen_category: ignore`,
        );
      }
      unseen.push({ row: i, column, value: v });
    };
    const coded = col.coded;
    if (coded && codedAgainst(coded.levels, s, pooled)) {
      // Coded against these very levels (the scoring stream): level i is code i, a code past them a pooled level
      // (scored as "other", not flagged); only other labels are looked up.
      const { code: c, labels } = coded;
      const kept = s.levels.length;
      for (let i = 0; i < n; i++) {
        const k = c[i]!;
        if (k >= kept) codes[i] = otherCode >= 0 ? otherCode : NaN;
        else if (k >= 0) codes[i] = k;
        else if (k === CODE_MISSING) {
          codes[i] = NaN;
          missing[i] = 1;
        } else {
          const v = labels.get(i)!;
          const known = code.get(v);
          if (known !== undefined) codes[i] = known;
          else unknown(i, v);
        }
      }
    } else {
      const src = col.values as (string | null)[];
      for (let i = 0; i < n; i++) {
        const v = src[i];
        if (v === null || v === undefined) {
          codes[i] = NaN;
          missing[i] = 1;
          continue;
        }
        const c = code.get(v);
        if (c !== undefined) codes[i] = c;
        else unknown(i, v);
      }
    }
    if (!state.needs.oneHot) {
      columns.push(codes);
      continue;
    }
    const width = s.levels.length + (s.other ? 1 : 0) + (s.missingLevel ? 1 : 0);
    const oh = Array.from({ length: width }, () => new Float64Array(n));
    const fillCode = s.fill !== null ? (code.get(s.fill) ?? otherCode) : -1;
    for (let i = 0; i < n; i++) {
      const c = codes[i]!;
      if (!Number.isNaN(c)) oh[c]![i] = 1;
      else if (missing[i]) {
        if (s.missingLevel) oh[width - 1]![i] = 1;
        else if (state.needs.impute && fillCode >= 0) oh[fillCode]![i] = 1;
      }
    }
    for (const c of oh) columns.push(c);
  }
  return { X: { nRows: n, features: state.features, columns }, unseen };
}
