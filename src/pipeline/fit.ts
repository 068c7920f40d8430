/**
 * Fitting one family on chosen rows of prepared training data: preprocessing is learned on
 * those rows only, so cross-validation and validation scores never see held-out rows.
 */
import type { Config } from "../config/schema.js";
import { fitPreprocess, transform, type PreprocessState } from "../data/preprocess.js";
import type { ColumnType } from "../data/schema.js";
import { takeTyped, type TypedTable } from "../data/typed.js";
import { columnMeans } from "../explain/linear.js";
import { family } from "../learners/families.js";
import type { Matrix } from "../core/types.js";
import { baselineHazard } from "../learners/baseline-hazard.js";

const now = () => performance.now() / 1000;

/** The training data made ready for model fitting: typed, derived, selected. */
export interface PreparedData {
  /** The labelled training rows, typed, with derived features added. */
  typed: TypedTable;
  /** The 0/1 target of each row (1 = churn; the survival task's event). */
  y: Uint8Array;
  /** The survival task's duration of each row (`data.duration`); absent for classification. */
  duration?: Float64Array;
  /** The input columns kept by feature selection, in model order. */
  inputs: {
    /** The input column's name. */
    column: string;
    /** How it is read. */
    type: ColumnType;
  }[];
}

/** Fit preprocessing + model for one family on `rows` of prepared data (on `threads` threads, default `cfg.threads`). */
export async function fitFamily(
  data: PreparedData,
  rows: Int32Array | null,
  familyName: string,
  params: Record<string, unknown>,
  cfg: Config,
  threads?: number,
) {
  const spec = family(familyName);
  const typed = rows ? takeTyped(data.typed, rows) : data.typed;
  const y = rows ? Uint8Array.from(rows, (i) => data.y[i]!) : data.y;
  const d = data.duration;
  const duration = d && rows ? Float64Array.from(rows, (i) => d[i]!) : d;
  const pre = fitPreprocess(typed, data.inputs, spec.needs, cfg.preprocess);
  const { X } = transform(pre, typed);
  const t0 = now();
  const estimator = spec.create(params);
  const clf = await estimator.fit(X, y, {
    seed: cfg.seed,
    threads: threads ?? cfg.threads,
    ...(duration ? { duration } : {}),
  });
  const fitSeconds = now() - t0;
  // Training means of the model columns: the background of linear explanations.
  // The survival task: the baseline hazard from these rows' durations, events and fitted log hazards, by the
  // estimator that matches the partial likelihood the family fitted (its `ties`: Efron's, else Breslow's).
  const ties = (estimator.params as { ties?: unknown }).ties === "efron" ? "efron" : "breslow";
  const baseline = duration ? baselineHazard(duration, y, clf.predictRaw(X), ties) : undefined;
  return { pre, clf, fitSeconds, means: Array.from(columnMeans(X)), baseline };
}

/** Encode `rows` of the prepared data with a fitted preprocessing state: the matrix and labels a model is scored on. */
export function encodeRows(
  data: PreparedData,
  pre: PreprocessState,
  rows: Int32Array,
): { X: Matrix; y: Uint8Array; duration?: Float64Array } {
  const { X } = transform(pre, takeTyped(data.typed, rows));
  const d = data.duration;
  return {
    X,
    y: Uint8Array.from(rows, (i) => data.y[i]!),
    ...(d ? { duration: Float64Array.from(rows, (i) => d[i]!) } : {}),
  };
}
