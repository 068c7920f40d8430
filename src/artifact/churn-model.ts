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
import { predictionRow, presentIdColumns, type Prediction } from "./prediction-row.js";
import { UserError } from "../utils/errors.js";
import { readArtifact, type ModelArtifact } from "./artifact.js";
import { validateScoring } from "./validate.js";
import { applyCalibration } from "../learners/calibration.js";
import { explainerFor, explainMatrix, type Explanation } from "./explain.js";
import { family } from "../learners/families.js";
import { detailedMetrics, type DetailedMetrics, type DetailOptions } from "../evaluation/detailed.js";
import type { Classifier, Matrix } from "../core/types.js";

/** One scored row. Identifier columns present in the input are copied in front. */
export type { Prediction } from "./prediction-row.js";

/** Input to predict/evaluate: plain objects (any column order) or a loaded table. */
export type RowsInput = Record<string, unknown>[] | RawTable;

const asTable = (rows: RowsInput): RawTable => (Array.isArray(rows) ? tableFromRows(rows) : rows);

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
  }> {
    const raw = asTable(input);
    return this.prepareTyped(typeTable(raw, this.artifact.inputs, rowOffset));
  }

  /** Derive and encode typed input columns (the model's inputs, e.g. typed by DuckDB) exactly as at training. */
  async prepareTyped(typed: TypedTable): Promise<{
    /** The encoded rows, in input order, as the model's columns. */
    X: Matrix;
    /** Categories training never saw, by row and column (encoded as unknown). */
    unseen: UnseenCategory[];
  }> {
    const { table } = await addDerived(typed, this.artifact.derived, { model: "model.json" });
    return transform(this.artifact.preprocess, table);
  }

  /** Churn probabilities, one per input row, in input order. */
  async predictProba(input: RowsInput): Promise<{
    /** Probability of churn of each row, in input order (calibrated when the model is). */
    probability: Float64Array;
    /** Categories training never saw, by row and column (encoded as unknown). */
    unseen: UnseenCategory[];
  }> {
    const { X, unseen } = await this.prepare(input);
    return { probability: this.scoreMatrix(X), unseen };
  }

  /**
   * Probabilities for an encoded matrix: the classifier's, then the stored calibration if any.
   * `rowOffset` shifts row numbers in errors (a chunk of a stream).
   */
  scoreMatrix(X: Matrix, rowOffset = 0): Float64Array {
    const p0 = this.classifier.predictProba(X);
    const cal = this.artifact.calibration;
    const p = cal ? applyCalibration(cal, this.classifier.predictRaw(X), p0) : p0;
    // Last line of defence: a probability that is not a number is an error, never a value served.
    for (let i = 0; i < p.length; i++) {
      if (!(p[i]! >= 0 && p[i]! <= 1)) {
        throw new UserError(
          `model: churn probability of input row ${i + 1 + rowOffset} is ${p[i]}, not a number in [0, 1]; check that row's values, or retrain the model`,
        );
      }
    }
    return p;
  }

  /** Log-odds scores, one per row (what explanations add up to). */
  async predictRaw(input: RowsInput): Promise<Float64Array> {
    const { X } = await this.prepare(input);
    return this.classifier.predictRaw(X);
  }

  /** Score rows: identifier columns, churn_probability and churn_prediction, in input order. */
  async predict(input: RowsInput, opts: { threshold?: number } = {}): Promise<Prediction[]> {
    const raw = asTable(input);
    const { probability } = await this.predictProba(raw);
    const threshold = opts.threshold ?? this.threshold;
    const ids = presentIdColumns(this.artifact.id_columns, (c) => Object.hasOwn(raw.data, c));
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
    const target = this.artifact.target;
    if (!source.columns.includes(target.column))
      throw new UserError(
        `${source.origin}: target column "${target.column}" not found; evaluation needs the true labels`,
      );
    const { y, rows } = encodeTarget(await source.labels(target.column), target, true);
    if (rows.length === 0)
      throw new UserError(
        `${source.origin}: no rows with a value in target column "${target.column}"; evaluation needs labelled rows`,
      );
    const { X } = await this.prepareTyped(await source.typed(this.artifact.inputs, rows));
    return { y, rows, probability: this.scoreMatrix(X) };
  }

  /**
   * Per-customer explanations in log-odds, per input column: for each row,
   * base_value + Σ contributions = log(p / (1 − p)). `rows` picks 0-based rows of the input.
   */
  async explain(input: RowsInput, opts: { rows?: number[] } = {}): Promise<Explanation[]> {
    const raw = asTable(input);
    const explainer = (this.explainer ??= explainerFor(this.artifact));
    const picked = opts.rows ?? Array.from({ length: raw.rows }, (_, i) => i);
    for (const r of picked) {
      if (!Number.isInteger(r) || r < 0 || r >= raw.rows)
        throw new UserError(`${raw.origin}: row ${r} is out of range; the input has rows 0 to ${raw.rows - 1}`);
    }
    const { X } = await this.prepare(opts.rows ? takeRows(raw, picked) : raw);
    return explainMatrix(this.artifact, explainer, X, picked);
  }

  private explainer?: ReturnType<typeof explainerFor>;

  /** The fitted classifier, for explanations and importance. */
  get estimator(): Classifier {
    return this.classifier;
  }
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
