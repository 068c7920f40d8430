/**
 * churnkit: train, evaluate, explain, version and serve churn models from a customer table.
 * @packageDocumentation
 */
export { train, type TrainOptions, type TrainOutput } from "./pipeline/api.js";
export { loadModel, ChurnModel, type Prediction, type RowsInput, type SurvivalInputs } from "./artifact/churn-model.js";
export type { SurvivalShape } from "./artifact/prediction-row.js";
export type { SurvivalSection } from "./artifact/artifact-type.js";
export type { FollowUp } from "./evaluation/follow-up.js";
export type { SurvivalMetrics } from "./evaluation/survival-summary.js";
export {
  baselineHazard,
  breslowBaseline,
  churnWithin,
  expectedRemaining,
  type BaselineHazard,
  type SurvivalScores,
} from "./learners/baseline-hazard.js";
export type { CoxTies } from "./learners/partial-likelihood.js";
export { ChurnKit, BUNDLED_DATA, type MetricsFile } from "./pipeline/churnkit.js";
export { runPipeline, type RunResult } from "./pipeline/run.js";
export { configSchema, type Config, type ConfigInput, type ModelFamily } from "./config/schema.js";
export {
  registerFamily,
  unregisterFamily,
  family,
  knownFamilies,
  autoFamilies,
  isFamily,
  checkParams,
  type FamilySpec,
  type AnyFamilySpec,
  type Explainer,
  type ExplainerContext,
  type LinearScoreForm,
  type ScoreForm,
  type TreesScoreForm,
  type FamilyReportHints,
} from "./learners/families.js";
import { knownFamilies as registered } from "./learners/families.js";
/** @deprecated The built-in model families, as registered when churnkit loads; use {@link knownFamilies}. */
export const MODEL_FAMILIES: readonly string[] = Object.freeze(registered());
export { type BatchExplanation, type OutputSpace, type TreeEnsemble } from "./explain/ensemble.js";
export { Rng, type ArrayLikeMutable } from "./utils/random.js";
export { type StateContext } from "./learners/flat-tree-schema.js";
export { resolveConfig, parseConfig } from "./config/load.js";
export { loadTable, tableFromRows, type RawTable, type RawValue } from "./data/load.js";
export { inferSchema, type Schema, type ColumnSchema, type ColumnType, type ColumnRole } from "./data/schema.js";
export { stratifiedSplit, stratifiedKFold, trainValidationTest } from "./data/split.js";
export {
  computeMetrics,
  rocAuc,
  averagePrecision,
  logLoss,
  brier,
  confusion,
  type Metrics,
  type Confusion,
} from "./evaluation/metrics.js";
export { readArtifact, FORMAT_VERSION, SURVIVAL_FORMAT_VERSION, type ModelArtifact } from "./artifact/artifact.js";
export { validateArtifact } from "./artifact/validate.js";
export { checkDrift, scanForDrift, type ScanInfo } from "./monitor/read.js";
export { DriftCounter, SCORE_COLUMN, type ColumnDrift, type DriftBin, type DriftResult } from "./monitor/drift.js";
export { driftReport, type DriftReportInput } from "./monitor/report.js";
export { psi, psiVerdict, PSI_MODERATE, PSI_MAJOR, type Band, type PsiVerdict } from "./monitor/psi.js";
export { modelJsonSchema } from "./artifact/model-json-schema.js";
export {
  LogregEstimator,
  LogregModel,
  logregParamsSchema,
  type LogregParams,
  type LogregState,
} from "./learners/logreg/logreg.js";
export type { Matrix, FeatureInfo, Classifier, Estimator, FitContext, FlatTree, Task } from "./core/types.js";
export type { Leaderboard, LeaderboardChoice, LeaderboardRow } from "./pipeline/select.js";
export { UserError } from "./utils/errors.js";
export { VERSION } from "./version.js";
export { createServer, parseSize, type ServeOptions } from "./serve/server.js";
export { rowJsonSchema, openApiDocument, type JsonSchema } from "./serve/schema.js";
export type { ServedPrediction } from "./serve/routes.js";
export type { RequestLogLine } from "./serve/request-log.js";
export type { Explanation } from "./artifact/explain.js";
export { permutationImportance, type FeatureImportance, type ImportanceStat } from "./artifact/importance.js";
export type { DetailedMetrics } from "./evaluation/detailed.js";
export { chooseThreshold, type ChosenThreshold, type Economics } from "./evaluation/threshold.js";
export { CartEstimator, CartModel, cartParamsSchema } from "./learners/tree/cart.js";
export { ForestEstimator, ForestModel, forestParamsSchema } from "./learners/forest/forest.js";
export { maxFeaturesSchema, classWeightSchema } from "./learners/tree/params.js";
export { GbdtEstimator, GbdtModel, gbdtParamsSchema, AUTO_EARLY_STOPPING_MIN_ROWS } from "./learners/gbdt/gbdt.js";
export {
  profile,
  edaReport,
  type ProfileOptions,
  type EdaReportOptions,
  type Profile,
  type ColumnProfile,
  type TargetProfile,
  type Warning,
  type Correlations,
} from "./eda/index.js";
export {
  renderSvg,
  buildReport,
  categoryChart,
  histogramChart,
  curveChart,
  calibrationChart,
  heatmapChart,
  importanceChart,
  confusionMatrixChart,
  type Block,
  type Section,
  type ReportInput,
} from "./visualization/index.js";
export { modelReport, type ModelReportInput } from "./report/model-report.js";
export type { TrainResult, PreparedTraining, TrainStepOptions, TrainingInput } from "./pipeline/train.js";
export type { SubsetOptions, TrainingSource } from "./data/source.js";
export type { ColumnFacts, FactsTable } from "./data/schema.js";
export type { Fingerprint } from "./data/fingerprint.js";
export type { InferOptions } from "./data/schema.js";
export type { OrderRelation } from "./data/identifier.js";
export type { PermutationOptions, ModelPermutationOptions } from "./artifact/importance.js";
export type { DetailOptions } from "./evaluation/detailed.js";
export type { CalibrationBin, LiftRow, RocPoint, PrPoint } from "./evaluation/curves.js";
export type { ThresholdRule } from "./evaluation/threshold.js";
export type { UnseenCategory, PreprocessState, PreprocessOptions } from "./data/preprocess.js";
export type { ColumnSpec } from "./data/typed.js";
export type {
  ColumnStats,
  NumericColumnStats,
  CategoricalColumnStats,
  NumericHistogram,
  LevelHistogram,
} from "./data/stats.js";
export type { TargetInfo } from "./data/target.js";
export type { DurationLeak, LeakyColumn } from "./evaluation/leakage.js";
export type { SettingNames } from "./pipeline/train.js";
export type { CalibrationState } from "./learners/calibration.js";
export type { CartParams, CartState } from "./learners/tree/cart.js";
export type { ForestParams, ForestState } from "./learners/forest/forest.js";
export type { GbdtParams, GbdtState } from "./learners/gbdt/gbdt.js";
export type { FeatureKind, EncodingNeeds, FlatTreeJSON } from "./core/types.js";
export type { Timings } from "./pipeline/train.js";
export type { PreparedData } from "./pipeline/fit.js";
export type { DerivedFeature } from "./features/derived.js";
export type { DroppedFeature } from "./features/select.js";
export type { CategoricalState, NumericState } from "./data/preprocess.js";
export type { TableBlock } from "./visualization/report.js";
export type {
  CalibrationChartInput,
  CategoryChartInput,
  ConfusionInput,
  CurveChartInput,
  HeatmapInput,
  HistogramInput,
  ImportanceChartInput,
  RenderOptions,
} from "./visualization/index.js";
export type { NumericStats, RateGroup, CategoryStat, QuantileBin, TargetAssociation } from "./eda/types.js";
export type { Contribution } from "./serve/explain.js";
export type {
  CalibrationPoint,
  CalibrationSeries,
  CategoryDatum,
  CurveSeries,
  CurvePoint,
  HistogramBin,
  RateBin,
  ImportanceItem,
} from "./visualization/index.js";
export type { TypedTable, TypedColumn } from "./data/typed.js";
export type { Plain } from "./config/load.js";
