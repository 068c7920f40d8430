/**
 * A trained churn model: model.json's state plus the rebuilt classifier. This is what
 * `loadModel` returns and what predict, evaluate and serve use. Input rows pass through the
 * same typing, derived features and preprocessing as at training.
 */
import { tableFromRows, takeRows, type RawTable } from "../data/load.js";
import { transform, type UnseenCategory } from "../data/preprocess.js";
import { encodeTarget } from "../data/target.js";
import { rawSource, type TrainingSource } from "../data/source.js";
import { typeTable, type TypedTable } from "../data/typed.js";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { addDerived, checkDerived } from "../features/derived.js";
import { predictionRow, presentIdColumns, type Prediction, type SurvivalShape } from "./prediction-row.js";
import { measureWithBaseline, survivalScores, type SurvivalScores } from "../learners/baseline-hazard.js";
import { expandFollowUp } from "../evaluation/follow-up.js";
import type { SurvivalMetrics } from "../evaluation/survival-summary.js";
import type { ColumnSpec } from "../data/typed.js";
import type { SurvivalSection } from "./artifact-type.js";
import { UserError } from "../utils/errors.js";
import { readArtifact, type ModelArtifact } from "./artifact.js";
import { validateScoring } from "./validate.js";
import { churnProbability } from "./probability.js";
import { explainerFor, explainMatrix, type Explanation } from "./explain.js";
import { family } from "../learners/families.js";
import { detailedMetrics, type DetailedMetrics, type DetailOptions } from "../evaluation/detailed.js";
import type { Classifier, Matrix } from "../core/types.js";

/** One scored row. Identifier columns present in the input are copied in front. */
export type { Prediction } from "./prediction-row.js";

/** Input to predict/evaluate: plain objects (any column order) or a loaded table. */
export type RowsInput = Record<string, unknown>[] | RawTable;

const asTable = (rows: RowsInput): RawTable => (Array.isArray(rows) ? tableFromRows(rows) : rows);

/** What a survival model reads from each input row besides its features. */
export interface SurvivalInputs {
  /** The row's current duration t0 (the duration column), ≥ 0. */
  t0: Float64Array;
  /** The row's value per duration unit (the value column), NaN when missing; absent without a value column. */
  value?: Float64Array;
}

/** The survival columns a model's predictions carry (undefined for a classification model). */
export function survivalShapeOf(a: ModelArtifact): SurvivalShape | undefined {
  const s = a.survival;
  return s ? { horizons: s.horizons, value: s.value !== null } : undefined;
}

/** A trained churn model loaded from model.json: predict, evaluate and explain customer rows. */
export class ChurnModel {
  private constructor(
    /** The parsed model.json. */
    readonly artifact: ModelArtifact,
    private readonly classifier: Classifier,
  ) {}

  /** Build a model from a parsed model.json; its scoring parts are checked first (UserError when corrupt). */
  static fromArtifact(given: ModelArtifact, where = "model.json"): ChurnModel {
    const a = validateScoring(given, where);
    let clf: Classifier;
    try {
      clf = family(a.model.family).fromState(a.model.state);
    } catch (e) {
      throw new UserError(
        `${where}: corrupt model state for family "${a.model.family}" (${e instanceof Error ? e.message : String(e)}); retrain the model`,
      );
    }
    return new ChurnModel(a, clf);
  }

  /**
   * A model just trained: `clf` is the fitted classifier whose `state()` is `a.model.state`, so nothing is rebuilt
   * from the state (the conformance suite checks that `fromState(state())` scores exactly as the fit does).
   */
  static fromFit(a: ModelArtifact, clf: Classifier): ChurnModel {
    return new ChurnModel(a, clf);
  }

  /** The model family ("logreg", "tree", "forest" or "gbdt"). */
  get family(): string {
    return this.artifact.model.family;
  }

  /** The decision threshold chosen at training: a probability at or above it predicts churn. */
  get threshold(): number {
    return this.artifact.threshold.value;
  }

  /** Type, derive and encode input rows exactly as at training. `rowOffset` shifts row numbers in errors. */
  async prepare(
    input: RowsInput,
    rowOffset = 0,
  ): Promise<{
    /** The encoded rows, in input order, as the model's columns. */
    X: Matrix;
    /** Categories training never saw, by row and column (encoded as unknown). */
    unseen: UnseenCategory[];
    /** A survival model's duration (and value) of each row. */
    at?: SurvivalInputs;
  }> {
    const raw = asTable(input);
    return this.prepareTyped(typeTable(raw, this.scoringInputs, rowOffset), rowOffset);
  }

  /** The input columns scoring reads: the model's inputs, then a survival model's duration and value columns. */
  get scoringInputs(): ColumnSpec[] {
    return scoringInputs(this.artifact);
  }

  /**
   * Derive and encode typed input columns (the model's {@link ChurnModel.scoringInputs}, e.g. typed by DuckDB) exactly
   * as at training. `rowOffset` shifts row numbers in errors; `column(n)` makes the matrix's columns (preprocess.ts
   * `transform`: a scoring stream's reused arrays).
   */
  async prepareTyped(
    typed: TypedTable,
    rowOffset = 0,
    column?: (n: number) => Float64Array,
  ): Promise<{
    /** The encoded rows, in input order, as the model's columns. */
    X: Matrix;
    /** Categories training never saw, by row and column (encoded as unknown). */
    unseen: UnseenCategory[];
    /** A survival model's duration (and value) of each row. */
    at?: SurvivalInputs;
  }> {
    const { table } = await addDerived(typed, this.artifact.derived, { model: "model.json" });
    const s = this.artifact.survival;
    const encoded = transform(this.artifact.preprocess, table, column);
    return s ? { ...encoded, at: survivalInputs(s, typed, rowOffset) } : encoded;
  }

  /** A survival model's horizons and value column (undefined for a classification model). */
  get survival(): SurvivalSection | undefined {
    return this.artifact.survival;
  }

  /** The survival columns predictions carry (undefined for a classification model). */
  get survivalShape(): SurvivalShape | undefined {
    return survivalShapeOf(this.artifact);
  }

  /**
   * A survival model's predictions for an encoded matrix: log relative hazard, churn_within_H, expected_remaining,
   * revenue_at_risk_H. `rowOffset` shifts row numbers in errors.
   */
  scoreSurvival(X: Matrix, at: SurvivalInputs, rowOffset = 0): SurvivalScores {
    const s = this.artifact.survival;
    if (!s) throw new Error("scoreSurvival: not a survival model");
    const risk = this.classifier.predictRaw(X);
    for (let i = 0; i < risk.length; i++)
      if (!Number.isFinite(risk[i]!))
        throw new UserError(
          `model: the log relative hazard of input row ${i + 1 + rowOffset} is ${risk[i]}, not a finite number; check that row's values, or retrain the model`,
        );
    return survivalScores(s.baseline, s.horizons, risk, at.t0, at.value);
  }

  /** Churn probabilities, one per input row, in input order. */
  async predictProba(input: RowsInput): Promise<{
    /** Probability of churn of each row, in input order (calibrated when the model is). */
    probability: Float64Array;
    /** Categories training never saw, by row and column (encoded as unknown). */
    unseen: UnseenCategory[];
  }> {
    const { X, unseen, at } = await this.prepare(input);
    return { probability: this.scoreMatrix(X, 0, at), unseen };
  }

  /**
   * Probabilities for an encoded matrix: the classifier's, then the stored calibration if any.
   * `rowOffset` shifts row numbers in errors (a chunk of a stream).
   */
  scoreMatrix(X: Matrix, rowOffset = 0, at?: SurvivalInputs): Float64Array {
    if (this.artifact.survival) {
      // A survival model's probability: of leaving within the first horizon from each row's current duration.
      if (!at) throw new Error("scoreMatrix: a survival model scores rows with their durations (prepare's `at`)");
      return this.scoreSurvival(X, at, rowOffset).within[0]!;
    }
    return churnProbability(this.classifier, this.artifact.calibration, X, rowOffset);
  }

  /** Log-odds scores, one per row (what explanations add up to). */
  async predictRaw(input: RowsInput): Promise<Float64Array> {
    const { X } = await this.prepare(input);
    return this.classifier.predictRaw(X);
  }

  /**
   * Score rows: identifier columns, churn_probability and churn_prediction (and a survival model's churn_within_H,
   * expected_remaining, revenue_at_risk_H), in input order.
   */
  async predict(input: RowsInput, opts: { threshold?: number } = {}): Promise<Prediction[]> {
    const raw = asTable(input);
    const threshold = opts.threshold ?? this.threshold;
    const ids = presentIdColumns(this.artifact.id_columns, (c) => Object.hasOwn(raw.data, c));
    const shape = this.survivalShape;
    if (shape) {
      const { X, at } = await this.prepare(raw);
      const scores = this.scoreSurvival(X, at!);
      return Array.from(scores.within[0]!, (p, i) => predictionRow(ids, raw.data, i, p, threshold, { shape, scores }));
    }
    const { probability } = await this.predictProba(raw);
    return Array.from(probability, (p, i) => predictionRow(ids, raw.data, i, p, threshold));
  }

  /** Metrics on labelled rows (the target column must be present). */
  async evaluate(input: RowsInput, opts: { threshold?: number } & DetailOptions = {}): Promise<DetailedMetrics> {
    return this.evaluateSource(rawSource(asTable(input)), opts);
  }

  /**
   * Metrics on the labelled rows of a {@link TrainingSource}: a file typed by DuckDB (data/load-typed.ts), whose
   * cells never become JS strings, or rows in memory.
   */
  async evaluateSource(
    source: TrainingSource,
    opts: { threshold?: number } & DetailOptions = {},
  ): Promise<DetailedMetrics> {
    const s = await this.scoreLabelled(source);
    return detailedMetrics(s.y, s.probability, opts.threshold ?? this.threshold, opts);
  }

  /** The labelled rows of a {@link TrainingSource}, scored: what {@link ChurnModel.evaluateSource} measures. */
  async scoreLabelled(source: TrainingSource): Promise<{
    /** 1 for churn, 0 else, one per labelled row. */
    y: Uint8Array;
    /** Row of the source of each entry of `y`. */
    rows: number[];
    /** The churn probability of each labelled row. */
    probability: Float64Array;
  }> {
    if (this.artifact.survival) return this.scoreSurvivalLabelled(source);
    const { y, rows } = await this.labelledRows(source);
    const { X } = await this.prepareTyped(await source.typed(this.artifact.inputs, rows));
    return { y, rows, probability: this.scoreMatrix(X) };
  }

  /** The target of the labelled rows of `source` (UserError when the column is missing or no row has a label). */
  private async labelledRows(source: TrainingSource): Promise<{ y: Uint8Array; rows: number[] }> {
    const target = this.artifact.target;
    if (!source.columns.includes(target.column))
      throw new UserError(
        `${source.origin}: target column "${target.column}" not found; evaluation needs the true labels`,
      );
    const labelled = encodeTarget(await source.labels(target.column), target, true);
    if (labelled.rows.length === 0)
      throw new UserError(
        `${source.origin}: no rows with a value in target column "${target.column}"; evaluation needs labelled rows`,
      );
    return labelled;
  }

  /**
   * A survival model's labelled rows of a {@link TrainingSource} (typed: a file's cells never become JS strings),
   * scored: each row's event, duration, log relative hazard and churn_within of the first horizon from its duration.
   * A missing or negative duration is a UserError naming the row of the source.
   */
  async scoreSurvivalLabelled(source: TrainingSource): Promise<{
    /** The event (1 = churned), one per labelled row. */
    y: Uint8Array;
    /** Row of the source of each entry of `y`. */
    rows: number[];
    /** The duration of each labelled row. */
    time: Float64Array;
    /** The log relative hazard of each labelled row. */
    risk: Float64Array;
    /** churn_within of the first horizon, from each row's duration (what `probability` is for a survival model). */
    probability: Float64Array;
  }> {
    const s = this.artifact.survival;
    if (!s) throw new UserError("this model has no duration column (it is a classification model)");
    if (!source.columns.includes(s.duration))
      throw new UserError(
        `${source.origin}: duration column "${s.duration}" not found; a survival model's evaluation needs each row's duration`,
      );
    const { y, rows } = await this.labelledRows(source);
    const typed = await source.typed(this.scoringInputs, rows);
    const time = typed.columns.get(s.duration)!.values as Float64Array;
    for (let i = 0; i < time.length; i++)
      if (!(time[i]! >= 0) || !Number.isFinite(time[i]!))
        throw new UserError(
          `${source.origin}: row ${rows[i]! + 1}: duration column "${s.duration}" is ${Number.isNaN(time[i]!) ? "missing" : time[i]}; evaluation needs every labelled row's duration (a number >= 0)`,
        );
    const { X, at } = await this.prepareTyped(typed);
    const scores = this.scoreSurvival(X, at!);
    return { y, rows, time, risk: scores.risk, probability: scores.within[0]! };
  }

  /**
   * A survival model's metrics on labelled rows (the target and duration columns must be present): C-index,
   * time-dependent AUC at each horizon and the integrated Brier score, the censoring weights from the training rows.
   */
  async evaluateSurvival(input: RowsInput | TrainingSource): Promise<SurvivalMetrics> {
    const source = "typed" in input ? input : rawSource(asTable(input));
    const s = this.artifact.survival;
    if (!s) throw new UserError("evaluateSurvival: this model has no duration column (it is a classification model)");
    const scored = await this.scoreSurvivalLabelled(source);
    return this.measureSurvival(scored);
  }

  /** A survival model's metrics of scored rows ({@link ChurnModel.scoreSurvivalLabelled}). */
  measureSurvival(scored: { y: Uint8Array; time: Float64Array; risk: Float64Array }): SurvivalMetrics {
    const s = this.artifact.survival!;
    const rows = { time: scored.time, event: scored.y };
    return measureWithBaseline(expandFollowUp(s.follow_up), rows, scored.risk, s.baseline, s.horizons);
  }

  /**
   * Per-customer explanations in log-odds, per input column: for each row,
   * base_value + Σ contributions = log(p / (1 − p)). A survival model's are in log relative hazard (base_value + Σ =
   * the row's log hazard; `probability` is churn_within of the first horizon). `rows` picks 0-based rows of the input.
   */
  async explain(input: RowsInput, opts: { rows?: number[] } = {}): Promise<Explanation[]> {
    const raw = asTable(input);
    const explainer = (this.explainer ??= explainerFor(this.artifact));
    const picked = opts.rows ?? Array.from({ length: raw.rows }, (_, i) => i);
    for (const r of picked) {
      if (!Number.isInteger(r) || r < 0 || r >= raw.rows)
        throw new UserError(`${raw.origin}: row ${r} is out of range; the input has rows 0 to ${raw.rows - 1}`);
    }
    const { X, at } = await this.prepare(opts.rows ? takeRows(raw, picked) : raw);
    const out = explainMatrix(this.artifact, explainer, X, picked);
    if (this.artifact.survival) {
      // In log relative hazard (base_value + Σ = the row's log hazard); the probability is churn_within the first horizon.
      const within = this.scoreSurvival(X, at!).within[0]!;
      out.forEach((e, i) => (e.probability = within[i]!));
    }
    return out;
  }

  private explainer?: ReturnType<typeof explainerFor>;

  /** The fitted classifier, for explanations and importance. */
  get estimator(): Classifier {
    return this.classifier;
  }
}

/** The input columns scoring reads: `a.inputs`, then a survival model's duration and value columns (numeric). */
export function scoringInputs(a: Pick<ModelArtifact, "inputs" | "survival">): ColumnSpec[] {
  const s = a.survival;
  if (!s) return a.inputs;
  const extra = [s.duration, ...(s.value ? [s.value] : [])].filter((c) => !a.inputs.some((i) => i.name === c));
  return [...a.inputs, ...extra.map((name) => ({ name, type: "numeric" as const }))];
}

/**
 * A survival model's duration (and value) columns of typed rows. A missing or negative duration is a UserError naming
 * the row: the predictions are conditional on how long the customer has stayed.
 */
function survivalInputs(s: SurvivalSection, typed: TypedTable, rowOffset: number): SurvivalInputs {
  const t0 = typed.columns.get(s.duration)?.values;
  if (!(t0 instanceof Float64Array))
    throw new UserError(`${typed.origin}: duration column "${s.duration}" is missing; survival predictions need it`);
  for (let i = 0; i < t0.length; i++)
    if (!(t0[i]! >= 0))
      throw new UserError(
        `${typed.origin}: row ${i + 1 + rowOffset}: duration column "${s.duration}" is ${Number.isNaN(t0[i]!) ? "missing" : t0[i]}; survival predictions need each customer's current duration (a number >= 0)`,
      );
  const v = s.value ? typed.columns.get(s.value)?.values : undefined;
  return { t0, ...(v instanceof Float64Array ? { value: v } : {}) };
}

/**
 * Load a model directory (or model.json). Loading parses JSON only; it runs no code from the file,
 * and derived features are checked against the allow-list before the model can be used.
 */
export async function loadModel(dir: string): Promise<ChurnModel> {
  const a = readArtifact(dir);
  const file = existsSync(dir) && statSync(dir).isDirectory() ? join(dir, "model.json") : dir;
  await checkDerived(
    Array.isArray(a.derived) ? a.derived : [],
    { model: file },
    (Array.isArray(a.inputs) ? a.inputs : []).map((c) => c.name),
  );
  return ChurnModel.fromArtifact(a, dir);
}
