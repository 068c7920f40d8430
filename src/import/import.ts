/**
 * `churnkit import`: an XGBoost JSON or LightGBM text model becomes a churnkit model directory whose model.json is
 * a `gbdt` model like a trained one (flat trees with covers, so TreeSHAP explains it; inputs, preprocessing and,
 * with --data, reference statistics), so that predict, explain, evaluate, serve and drift take it as it is.
 * The foreign file is read as data (xgboost.ts, lightgbm.ts): nothing in it is evaluated.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { FORMAT, FORMAT_VERSION, type ModelArtifact } from "../artifact/artifact.js";
import { ChurnModel } from "../artifact/churn-model.js";
import { validateArtifact } from "../artifact/validate.js";
import { configSchema, preprocessSchema } from "../config/schema.js";
import type { FeatureInfo } from "../core/types.js";
import { fingerprint } from "../data/fingerprint.js";
import { fileSource } from "../data/load-typed.js";
import type { PreprocessState } from "../data/preprocess.js";
import { numericStats, SCORE_EDGES } from "../data/stats.js";
import { checkParams, family } from "../learners/families.js";
import { GBDT_ENCODING, type GbdtState } from "../learners/gbdt/gbdt.js";
import { UserError } from "../utils/errors.js";
import type { Logger } from "../utils/logging.js";
import { VERSION } from "../version.js";
import { planFromData, planFromModel, type ColumnPlan } from "./columns.js";
import { toFlatTree, type ForeignModel } from "./foreign.js";
import { readLightgbm } from "./lightgbm.js";
import { readXgboost } from "./xgboost.js";

/** The model formats `churnkit import --from` reads. */
export const IMPORT_SOURCES = ["xgboost", "lightgbm"] as const;
/** One of {@link IMPORT_SOURCES}. */
export type ImportSource = (typeof IMPORT_SOURCES)[number];

/** Options of {@link importModel}. */
export interface ImportOptions {
  /** The foreign model's library. */
  from: ImportSource;
  /** The model file (XGBoost JSON, LightGBM text). */
  file: string;
  /** A table (CSV, Parquet, JSON) to learn input types, categories and reference statistics from; optional. */
  data?: string;
  /** Target column of `data` (default: guessed, a two-valued column named like churn). */
  target?: string;
  /** The target's positive label when not obvious. */
  positive?: string;
  /** Where the import says what it translated and assumed. */
  log: Logger;
}

/** Read the foreign model file (a UserError names it when it is missing or unreadable). */
export function readForeign(from: ImportSource, file: string): ForeignModel {
  if (!existsSync(file)) throw new UserError(`${file}: model file not found; check the path`);
  if (statSync(file).isDirectory()) throw new UserError(`${file}: is a directory; name the ${from} model file`);
  const text = readFileSync(file, "utf8");
  return from === "xgboost" ? readXgboost(text, file) : readLightgbm(text, file);
}

/** The model.json of the imported model (checked as `churnkit predict` checks one). */
export async function importModel(o: ImportOptions): Promise<ModelArtifact> {
  const m = readForeign(o.from, o.file);
  o.log.info(
    `${o.from} ${m.version} model: ${m.trees.length} trees, ${m.features.length} features (${m.features.filter((f) => f.used).length} used), baseline log-odds ${m.baseline}`,
  );
  for (const n of m.notes) o.log.info(n);
  const plan = await columnsOf(m, o);
  const artifact = assemble(m, plan, o);
  // Score the data rows once: the reference distribution of churn probabilities for drift checks.
  if (plan.typed) {
    const model = ChurnModel.fromArtifact(artifact, "imported model");
    const { X } = await model.prepareTyped(plan.typed);
    artifact.reference_score = numericStats(model.scoreMatrix(X), "numeric", SCORE_EDGES);
  }
  // The file churnkit will read back, checked as it will be (a problem here is a bug of the import).
  return validateArtifact(JSON.parse(JSON.stringify(artifact)), `imported ${o.from} model`);
}

async function columnsOf(m: ForeignModel, o: ImportOptions): Promise<ColumnPlan> {
  const po = { target: o.target, positive: o.positive, file: o.file, log: o.log };
  if (!o.data) return planFromModel(m, po);
  const source = await fileSource(o.data);
  try {
    return await planFromData(m, source, po);
  } finally {
    source.close();
  }
}

/** model.json from the foreign model and its columns. */
function assemble(m: ForeignModel, plan: ColumnPlan, o: ImportOptions): ModelArtifact {
  const features: FeatureInfo[] = m.features.map((f, j) => {
    const levels = plan.levels[j];
    return levels
      ? { name: f.name, kind: "categorical", nCategories: levels.length, source: f.name }
      : { name: f.name, kind: "numeric", source: f.name };
  });
  const preprocess: PreprocessState = {
    needs: GBDT_ENCODING,
    options: preprocessSchema.parse({}),
    numeric: plan.inputs.flatMap((c, j) =>
      c.type === "categorical"
        ? []
        : [{ column: c.name, type: c.type, fill: plan.moments[j]!.mean, ...plan.moments[j]! }],
    ),
    categorical: plan.inputs.flatMap((c, j) =>
      c.type === "categorical"
        ? [{ column: c.name, levels: plan.levels[j]!, other: false, fill: null, missingLevel: false }]
        : [],
    ),
    inputs: plan.inputs.map((c) => ({ column: c.name, type: c.type })),
    features,
  };
  const categories = features.map((f) => f.nCategories ?? 0);
  const state: GbdtState = {
    version: 1,
    baseline: m.baseline,
    learning_rate: m.learningRate ?? 1,
    n_iter: m.trees.length,
    n_features: features.length,
    feature_kinds: features.map((f) => f.kind),
    trees: m.trees.map((t) => toFlatTree(t, categories)),
    validation_loss: null,
  };
  if (m.learningRate === null)
    o.log.info(`the ${o.from} file does not record its learning rate (already in the leaf values); stored as 1`);
  const params = checkParams("gbdt", {
    learning_rate: state.learning_rate,
    max_iter: Math.max(1, m.trees.length),
    early_stopping: false,
  });
  const config = configSchema.parse({
    data: { path: o.data ?? o.file, target: plan.target.column, positive: plan.target.positive },
    model: { family: "gbdt", params, threshold: 0.5 },
  });
  const empty = { origin: o.file, columns: plan.inputs.map((c) => c.name), rows: 0, data: {} };
  for (const c of empty.columns) (empty.data as Record<string, []>)[c] = [];
  return {
    format: FORMAT,
    format_version: FORMAT_VERSION,
    churnkit_version: VERSION,
    created_at: new Date().toISOString(),
    target: plan.target,
    schema: plan.schema,
    inputs: plan.inputs,
    id_columns: plan.idColumns,
    derived: [],
    dropped: [],
    preprocess,
    model: { family: "gbdt", params, state_version: family("gbdt").stateVersion, state },
    threshold: { value: 0.5, rule: "fixed" },
    calibration: null,
    validation_metrics: null,
    data_fingerprint: plan.fingerprint ?? fingerprint(empty),
    config,
    reference_stats: plan.referenceStats,
  };
}
