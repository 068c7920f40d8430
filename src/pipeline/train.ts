/**
 * Training: from a raw table and a resolved config to a fitted ChurnModel and its
 * validation metrics. Flow: schema → target → typing → derived features → selection →
 * split → preprocessing → fit → measure on validation → refit on all rows.
 */
import type { Config } from "../config/schema.js";
import type { RawTable } from "../data/load.js";
import { featureColumns, idColumns, inferSchemaFrom, type ColumnSchema, type Schema } from "../data/schema.js";
import { rawSource, type TrainingSource } from "../data/source.js";
import { heldOutText } from "./held-out.js";
import { stratifiedSplit } from "../data/split.js";
import { numericStats, referenceStats, SCORE_EDGES } from "../data/stats.js";
import { encodeTarget, howToSet, resolveTarget, type TargetInfo } from "../data/target.js";
import { orderRelations } from "../data/identifier-order.js";
import { addDerived, referencedColumns, type DerivedFeature } from "../features/derived.js";
import { selectFeatures, type DroppedFeature } from "../features/select.js";
import { UserError } from "../utils/errors.js";
import { logger, type Logger } from "../utils/logging.js";
import { VERSION } from "../version.js";
import { FORMAT, FORMAT_VERSION, SURVIVAL_FORMAT_VERSION, type ModelArtifact } from "../artifact/artifact.js";
import { checkParams, family } from "../learners/families.js";
import { applyCalibration, fitIsotonic, fitPlatt, type CalibrationState } from "../learners/calibration.js";
import { detailedMetrics, type DetailedMetrics } from "../evaluation/detailed.js";
import {
  durationLeakMessage,
  findDurationLeaks,
  findLeaks,
  leakMessage,
  type DurationLeak,
  type LeakyColumn,
} from "../evaluation/leakage.js";
import type { SurvivalMetrics } from "../evaluation/survival-summary.js";
import { measureWithBaseline, survivalScores } from "../learners/baseline-hazard.js";
import { followUp } from "../evaluation/follow-up.js";
import {
  checkFamilyTask,
  checkSurvivalConfig,
  readDurations,
  survivalSection,
  survivalThreshold,
  taskOf,
} from "./survival.js";
import { chooseThreshold, type ChosenThreshold, type ThresholdRule } from "../evaluation/threshold.js";
import type { FeatureImportance } from "../artifact/importance.js";
import { validationImportance } from "./importance-step.js";
import { ChurnModel } from "../artifact/churn-model.js";
import { encodeRows, fitFamily, type PreparedData } from "./fit.js";
import { selectFamily } from "./select.js";
import type { Leaderboard, Timings } from "../artifact/metrics-file.js";

export type { Timings } from "../artifact/metrics-file.js";

/** Everything training produces: the model, its validation metrics and what the report needs. */
export interface TrainResult {
  /** The trained model. */
  model: ChurnModel;
  /** Its metrics on the validation split (null for a survival model: see `survival`). */
  validation: DetailedMetrics | null;
  /** A survival model's C-index, time-dependent AUC and integrated Brier score on the validation split. */
  survival?: SurvivalMetrics;
  /** A survival task's inputs that look like functions of the duration, in input order. */
  durationLeakage?: DurationLeak[];
  /** With `family: auto`: how the families compared. */
  leaderboard?: Leaderboard;
  /**
   * The validation rows as text, for the report's explanations: all of them, or past
   * `evaluation.importance_max_rows` a stratified sample plus the highest-risk rows (held-out.ts).
   */
  validationRows: RawTable;
  /** How many validation rows `validationRows` was drawn from. */
  validationRowsOf: number;
  /** Permutation (and gain/coefficient) importance, measured on the validation split. */
  importance?: FeatureImportance;
  /** Inputs that alone separate the classes almost perfectly (possible target leakage), in input order. */
  leakage: LeakyColumn[];
  /** Seconds per training step (loading and the total are added by the caller). */
  timings: Omit<Timings, "load_s" | "total_s">;
}

const now = () => performance.now() / 1000;

/**
 * How the calling command takes the target settings, for the remedies of its errors: flags for
 * `churnkit train` ("--target", "--positive"), config keys for `run` and the API ("data.target").
 */
export interface SettingNames {
  /** How the target column is set. */
  target: string;
  /** How the positive label is set. */
  positive: string;
}

/** The config keys, for callers without flags. */
export const CONFIG_NAMES: SettingNames = { target: "data.target", positive: "data.positive" };

/** What training learns before any model is fitted: schema, target, features. */
export interface PreparedTraining {
  /** Every column with its inferred type and role. */
  schema: Schema;
  /** The target column and its positive label. */
  target: TargetInfo;
  /** Typed, derived and selected training data. */
  data: PreparedData;
  /** Schema columns with role "feature". */
  features: ColumnSchema[];
  /** The derived features, with the types learned from the training rows. */
  derived: DerivedFeature[];
  /** Candidate features that selection left out, with reasons. */
  dropped: DroppedFeature[];
  /** Kept inputs that alone separate the classes almost perfectly (possible target leakage). */
  leakage: LeakyColumn[];
  /** The survival task: kept inputs that look like functions of the duration. */
  durationLeakage?: DurationLeak[];
  /** The training table. */
  source: TrainingSource;
  /** Rows of `source` that have a target value (row i of `data` is row labelled[i] there). */
  labelled: number[];
  /** Seconds this preparation took. */
  seconds: number;
}

/** A raw table (rows in memory) or a {@link TrainingSource} (a file typed by DuckDB: data/load-typed.ts). */
export type TrainingInput = RawTable | TrainingSource;

const asSource = (t: TrainingInput): TrainingSource => ("data" in t ? rawSource(t) : t);

/** Schema → target → typing → derived features → selection, on a whole table. */
export async function prepareTraining(
  input: TrainingInput,
  cfg: Config,
  log: Logger = logger(),
  names: SettingNames = CONFIG_NAMES,
): Promise<PreparedTraining> {
  const tPre = now();
  const d = cfg.data;
  const raw = asSource(input);
  const duration = d.duration;
  if (duration) checkSurvivalConfig(cfg, raw.columns, raw.origin);
  // The survival task's duration is never a feature: the predictions are conditional on it.
  const drop = duration ? [...d.drop, duration] : d.drop;
  // The identifier value rule relates a few candidate columns to the target (a file's are read in DuckDB).
  const orderRelation = await orderRelations(raw, {
    target: d.target,
    positive: d.positive,
    skip: [...drop, ...d.id_columns],
    types: d.types,
  });
  const inferred = inferSchemaFrom(raw, {
    target: d.target,
    positive: d.positive,
    drop,
    ids: d.id_columns,
    types: d.types,
    log,
    orderRelation,
  });
  const schema = duration
    ? {
        columns: inferred.columns.map((c) =>
          c.name === duration ? { ...c, note: "duration of the survival task (data.duration)" } : c,
        ),
      }
    : inferred;
  if (!d.target) throw new UserError(`${raw.origin}: no target column given; ${howToSet(names.target, "COL")}`);
  const labels = await raw.labels(d.target);
  const target = resolveTarget(labels, d.target, d.positive, names.positive);
  const { y, rows: labelled } = encodeTarget(labels, target);
  if (labelled.length < raw.rows)
    log.warn(`${raw.rows - labelled.length} rows have no value in target column "${target.column}" and are left out`);
  const positives = y.reduce((s, v) => s + v, 0);
  if (positives < 2 || y.length - positives < 2) {
    throw new UserError(
      `${raw.origin}: target column "${target.column}" needs at least 2 rows of each class to train and validate, found ${positives} "${target.positive}" and ${y.length - positives} other`,
    );
  }
  const features = featureColumns(schema);
  const typedBase = await raw.typed(
    features.map((c) => ({ name: c.name, type: c.type })),
    labelled.length < raw.rows ? labelled : undefined,
  );
  const derivedSpecs = Object.entries(cfg.features.derived).map(([name, sql]) => ({ name, sql }));
  const { table: typed, derived } = await addDerived(typedBase, derivedSpecs);
  const candidates = [
    ...features.map((c) => ({ column: c.name, type: c.type })),
    ...derived.map((f) => ({ column: f.name, type: f.type })),
  ];
  const { kept, dropped } = selectFeatures(typed, candidates, cfg.features);
  for (const x of dropped) log.warn(`feature "${x.column}" dropped: ${x.reason}`);
  if (kept.length === 0)
    throw new UserError(
      `${raw.origin}: no usable feature columns remain (${dropped.map((x) => `${x.column}: ${x.reason}`).join("; ") || "the table has only the target and identifiers"}); add feature columns`,
    );
  const known = new Set([...raw.columns, ...derived.map((f) => f.name)]);
  const unknown = d.allow_leaky.find((c) => !known.has(c));
  if (unknown !== undefined)
    throw new UserError(
      `column "${unknown}" named in data.allow_leaky is not in ${raw.origin} (nor a derived feature); columns are: ${raw.columns.join(", ")}`,
    );
  // eda's leakage rule on the training rows: one warning per column, unless data.allow_leaky lists it.
  const leakage = findLeaks(typed, kept, y, d.allow_leaky);
  for (const l of leakage) if (!l.allowed) log.warn(leakMessage(l));
  const durations = duration
    ? await readDurations(raw, duration, labelled.length < raw.rows ? labelled : undefined)
    : undefined;
  const durationLeakage = durations ? findDurationLeaks(typed, kept, durations, d.allow_leaky) : undefined;
  for (const l of durationLeakage ?? []) if (!l.allowed) log.warn(durationLeakMessage(l, duration!));
  return {
    schema,
    target,
    data: { typed, y, inputs: kept, ...(durations ? { duration: durations } : {}) },
    ...(durationLeakage ? { durationLeakage } : {}),
    features,
    derived,
    dropped,
    leakage,
    source: raw,
    labelled,
    seconds: now() - tPre,
  };
}

/** `cfg` less its `threads` setting. */
function withoutThreads(cfg: Config): Omit<Config, "threads"> {
  const { threads: _threads, ...rest } = cfg;
  return rest;
}

/** The threshold rule a config asks for. */
export function thresholdRule(cfg: Config): ThresholdRule {
  const t = cfg.model.threshold;
  if (typeof t === "number") return { rule: "fixed", value: t };
  if (t === "profit") return { rule: "profit", economics: cfg.model.economics! };
  return { rule: "f1" };
}

/** Options of `trainOnTable` and `ChurnKit.train`. */
export interface TrainStepOptions {
  /**
   * Measure permutation importance on the validation split (when `evaluation.permutation_repeats` > 0). Default true;
   * `run` turns it off, since it measures importance on its test split instead.
   */
  importance?: boolean;
  /** How the calling command sets the target settings, for error remedies (default: the config keys). */
  names?: SettingNames;
}

/** Train a model on a whole table according to `cfg`. */
export async function trainOnTable(
  input: TrainingInput,
  cfg: Config,
  log: Logger = logger(),
  opts: TrainStepOptions = {},
): Promise<TrainResult> {
  const prep = await prepareTraining(input, cfg, log, opts.names);
  const raw = prep.source;
  const { schema, target, data, features, derived, dropped } = prep;
  const { y, typed, inputs: kept } = data;
  const preprocessSeconds = prep.seconds;

  // Validation rows measure the model; they are also what `auto` must not see when choosing.
  const { first: trainRows, second: valRows } = stratifiedSplit(y, cfg.split.validation_size, cfg.seed);
  let familyName = cfg.model.family;
  let params = cfg.model.params;
  let leaderboard: Leaderboard | undefined;
  let searchSeconds = 0;
  const task = taskOf(cfg);
  if (familyName !== "auto")
    checkFamilyTask(familyName, task, `asked for by the duration column "${cfg.data.duration}"`);
  if (familyName === "auto") {
    const t0 = now();
    const choice = await selectFamily(data, trainRows, cfg, log);
    searchSeconds = now() - t0;
    familyName = choice.family;
    params = choice.params;
    leaderboard = choice.leaderboard;
    log.info(`auto: chose ${familyName}: ${choice.leaderboard.choice!.reason}`);
  }
  if (task !== "classification") params = { ...family(familyName).taskParams?.[task], ...params };
  const checked = checkParams(familyName, params);
  log.info(`fitting ${familyName} on ${trainRows.length} rows, measuring on ${valRows.length} validation rows`);
  const first = await fitFamily(data, trainRows, familyName, checked, cfg);
  const val = encodeRows(data, first.pre, valRows);
  const rawVal = first.clf.predictRaw(val.X);
  let pVal: Float64Array;
  let calibration: CalibrationState | null = null;
  let threshold: ChosenThreshold;
  let validation: DetailedMetrics | null = null;
  let survivalValidation: SurvivalMetrics | undefined;
  if (task === "survival") {
    // Measured with the first fit's baseline (from the rows it was fitted on), the censoring weights from them too.
    const d = data.duration!;
    const fitRows = {
      time: Float64Array.from(trainRows, (i) => d[i]!),
      event: Uint8Array.from(trainRows, (i) => y[i]!),
    };
    const heldOut = { time: val.duration!, event: val.y };
    survivalValidation = measureWithBaseline(fitRows, heldOut, rawVal, first.baseline!, cfg.survival.horizons);
    pVal = survivalScores(first.baseline!, cfg.survival.horizons.slice(0, 1), rawVal, val.duration!).within[0]!;
    threshold = { rule: "fixed", value: survivalThreshold(cfg) };
    log.info(
      `validation C-index ${survivalValidation.c_index.toFixed(4)}, integrated Brier ${survivalValidation.integrated_brier.toFixed(4)}; time-dependent AUC ${survivalValidation.td_auc.map((x) => `${x.auc.toFixed(4)} at ${x.horizon}`).join(", ")}`,
    );
  } else {
    pVal = first.clf.predictProba(val.X);
    // Calibration and threshold are learned on validation predictions of the first fit and kept
    // for the refitted model (which has no held-out rows of its own).
    if (cfg.model.calibration === "platt") calibration = fitPlatt(val.y, rawVal);
    else if (cfg.model.calibration === "isotonic") calibration = fitIsotonic(val.y, pVal);
    if (calibration) pVal = applyCalibration(calibration, rawVal, pVal);
    threshold = chooseThreshold(val.y, pVal, thresholdRule(cfg));
    validation = detailedMetrics(val.y, pVal, threshold.value);
    log.info(
      `validation AUC ${validation.auc.toFixed(4)}, log loss ${validation.log_loss.toFixed(4)}; threshold ${threshold.value.toFixed(4)} (${threshold.rule})`,
    );
  }
  let final = first;
  if (cfg.model.refit) {
    log.info(`refitting ${familyName} on all ${y.length} training rows`);
    final = await fitFamily(data, null, familyName, checked, cfg);
  }

  const allColumns = raw.columns;
  const needed = new Set(kept.filter((k) => !derived.some((f) => f.name === k.column)).map((k) => k.column));
  for (const f of derived)
    if (kept.some((k) => k.column === f.name))
      for (const c of await referencedColumns(f.sql, allColumns)) needed.add(c);
  const inputs = features.filter((c) => needed.has(c.name)).map((c) => ({ name: c.name, type: c.type }));
  const artifact: ModelArtifact = {
    format: FORMAT,
    format_version: task === "survival" ? SURVIVAL_FORMAT_VERSION : FORMAT_VERSION,
    churnkit_version: VERSION,
    created_at: new Date().toISOString(),
    target,
    schema,
    inputs,
    id_columns: idColumns(schema).map((c) => c.name),
    derived: derived.filter((f) => kept.some((k) => k.column === f.name)),
    dropped,
    preprocess: final.pre,
    feature_means: final.means,
    model: {
      family: familyName,
      params: checked,
      state_version: family(familyName).stateVersion,
      state: final.clf.state(),
    },
    threshold,
    calibration,
    validation_metrics: validation,
    data_fingerprint: await raw.fingerprint(),
    // Without `threads`: how fast it was fitted is not part of the model (which is the same on any number of threads).
    config: { ...withoutThreads(cfg), model: { ...cfg.model, params: checked } },
    // Every input column (those only derived features read included) and every model column.
    reference_stats: {
      ...referenceStats(typed, [...new Set([...inputs.map((c) => c.name), ...kept.map((k) => k.column)])]),
      // A survival model's duration, what its predictions are conditional on, is checked for drift like an input.
      ...(data.duration ? { [cfg.data.duration!]: numericStats(data.duration) } : {}),
    },
    reference_score: numericStats(pVal, "numeric", SCORE_EDGES),
    ...(task === "survival"
      ? { survival: survivalSection(cfg, final.baseline!, followUp(data.duration!, y), survivalValidation ?? null) }
      : {}),
  };
  const model = ChurnModel.fromFit(artifact, final.clf);
  // Validation rows as text for importance and the report, bounded (held-out.ts); ranked by the saved model.
  // (A survival model's ranking is its first fit's chance of leaving within the first horizon.)
  const pSaved =
    final === first || task === "survival" ? pVal : model.scoreMatrix(encodeRows(data, final.pre, valRows).X);
  const heldOut = await heldOutText(
    raw,
    Int32Array.from(valRows, (i) => prep.labelled[i]!),
    val.y,
    pSaved,
    cfg.evaluation.importance_max_rows,
    cfg.seed,
  );
  // Importance is measured by the first fit on the validation rows it never saw.
  let importance: FeatureImportance | undefined;
  const validationRows = heldOut.report;
  if (cfg.evaluation.permutation_repeats > 0 && opts.importance !== false)
    importance = await validationImportance(artifact, first, heldOut, cfg, log);
  const timings: TrainResult["timings"] = {
    preprocess_s: preprocessSeconds,
    fit_s: first.fitSeconds + (final === first ? 0 : final.fitSeconds),
  };
  if (leaderboard) timings.search_s = searchSeconds;
  return {
    model,
    validation,
    ...(survivalValidation ? { survival: survivalValidation } : {}),
    ...(prep.durationLeakage ? { durationLeakage: prep.durationLeakage } : {}),
    validationRows,
    validationRowsOf: heldOut.of,
    leaderboard,
    importance,
    leakage: prep.leakage,
    timings,
  };
}
