/**
 * churnkit: train, evaluate, explain, version and serve churn models from a customer table.
 * @packageDocumentation
 */
export { train, type TrainOptions, type TrainOutput } from "./api.js";
export { loadModel, ChurnModel, type Prediction, type RowsInput } from "./models/model.js";
export { ChurnKit, BUNDLED_DATA, type MetricsFile } from "./churnkit.js";
export { runPipeline, type RunResult } from "./pipeline.js";
export { configSchema, MODEL_FAMILIES, type Config, type ConfigInput, type ModelFamily } from "./config/schema.js";
export { resolveConfig, parseConfig } from "./config/load.js";
export { loadTable, tableFromRows, type RawTable, type RawValue } from "./data/load.js";
export { inferSchema, type Schema, type ColumnSchema, type ColumnType, type ColumnRole } from "./data/schema.js";
export { stratifiedSplit, stratifiedKFold, trainValidationTest } from "./data/split.js";
export { computeMetrics, rocAuc, averagePrecision, logLoss, brier, confusion, type Metrics, type Confusion } from "./models/metrics.js";
export { readArtifact, FORMAT_VERSION, type ModelArtifact } from "./models/artifact.js";
export { LogregEstimator, LogregModel, logregParamsSchema, type LogregParams, type LogregState } from "./models/logreg/logreg.js";
export type { Matrix, FeatureInfo, Classifier, Estimator, FitContext, FlatTree } from "./models/types.js";
export type { Leaderboard, LeaderboardRow } from "./models/select.js";
export { UserError } from "./utils/errors.js";
export { VERSION } from "./version.js";
export { createServer, parseSize, type ServeOptions } from "./serve/server.js";
export { rowJsonSchema, openApiDocument, type JsonSchema } from "./serve/schema.js";
export type { ServedPrediction } from "./serve/routes.js";
export type { Explanation } from "./models/explain.js";
export { permutationImportance, type FeatureImportance, type ImportanceStat } from "./models/importance.js";
export type { DetailedMetrics } from "./models/evaluation/detailed.js";
export { chooseThreshold, type ChosenThreshold, type Economics } from "./models/evaluation/threshold.js";
export { CartEstimator, CartModel, cartParamsSchema } from "./models/tree/cart.js";
export { ForestEstimator, ForestModel, forestParamsSchema } from "./models/forest/forest.js";
export { GbdtEstimator, GbdtModel, gbdtParamsSchema } from "./models/gbdt/gbdt.js";
export { profile, edaReport, type ProfileOptions, type EdaReportOptions, type Profile, type ColumnProfile, type TargetProfile, type Warning, type Correlations } from "./eda/index.js";
export { renderSvg, buildReport, categoryChart, histogramChart, curveChart, calibrationChart, heatmapChart, importanceChart, confusionMatrixChart, type Block, type Section, type ReportInput } from "./visualization/index.js";
export { modelReport, type ModelReportInput } from "./report/model-report.js";
