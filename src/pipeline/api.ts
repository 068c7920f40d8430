/**
 * The programmatic entry points: `train` a model from a file or rows, `loadModel` to score.
 */
import { ChurnKit, type MetricsFile } from "./churnkit.js";
import { readConfigFile } from "../config/load.js";
import { applyTrainOverrides } from "../config/overrides.js";
import type { ConfigInput, ModelFamily } from "../config/schema.js";
import { tableFromRows } from "../data/load.js";
import type { ChurnModel } from "../artifact/churn-model.js";
import { UserError } from "../utils/errors.js";
import { withModelDir } from "../utils/lock.js";
import { logger, type Logger } from "../utils/logging.js";

/** Options of {@link train}. Unset options come from `config`, then from the defaults. */
export interface TrainOptions {
  /** A CSV/Parquet/JSON file path, or rows as plain objects. Default: the bundled Telco data. */
  data?: string | Record<string, unknown>[];
  /** Target column. Default: guessed (a two-valued column named like churn). */
  target?: string;
  /** Target label meaning churn, when not obvious. */
  positive?: string;
  /** Columns to leave out, in addition to the config's `data.drop` (appended, as `churnkit train --drop`). */
  drop?: string[];
  /** Identifier columns (kept in predictions, not used as features). */
  idColumns?: string[];
  /** Model family: a registered one (see `knownFamilies()`) or "auto". Default "logreg". */
  model?: ModelFamily;
  /** Family hyperparameters. */
  params?: Record<string, unknown>;
  /** Seed for every random choice. Default 42. */
  seed?: number;
  /** Duration column (e.g. "tenure"): train a survival model of when customers leave (`data.duration`). */
  duration?: string;
  /** Survival horizons in the duration's unit (`survival.horizons`). Default [3, 6, 12]. */
  horizons?: number[];
  /** A config file path, or a config object. */
  config?: string | ConfigInput;
  /**
   * When set, the model directory is written here (atomically). Checked before any work: it may not be an input,
   * an existing directory that is not a churnkit model directory, or a path another process is writing (UserError).
   */
  out?: string;
  /** Logger (pino); silent by default. */
  log?: Logger;
}

/** What {@link train} returns: the trained model and the contents of metrics.json. */
export interface TrainOutput {
  /** The trained model, ready to predict, explain or save. */
  model: ChurnModel;
  /** What metrics.json holds for it: validation metrics, leaderboard, importance and timings. */
  metrics: MetricsFile;
}

/** Train a churn model on all given rows (a validation split inside measures it). */
export async function train(options: TrainOptions = {}): Promise<TrainOutput> {
  const started = performance.now() / 1000;
  const base =
    typeof options.config === "string"
      ? readConfigFile(options.config)
      : ((options.config ?? {}) as Record<string, unknown>);
  const kit = new ChurnKit(
    applyTrainOverrides(base, {
      seed: options.seed,
      path: typeof options.data === "string" ? options.data : undefined,
      target: options.target,
      positive: options.positive,
      drop: options.drop,
      idColumns: options.idColumns,
      family: options.model,
      params: options.params,
      duration: options.duration,
      horizons: options.horizons,
    }),
    options.log ?? logger(),
    typeof options.config === "string" ? options.config : "config",
  );
  const work = async (): Promise<TrainOutput> => {
    const raw = Array.isArray(options.data) ? tableFromRows(options.data, "rows") : await kit.open();
    try {
      if (Array.isArray(options.data) && !kit.config.data.target)
        throw new UserError("train: `target` is required when training on rows");
      const loadSeconds = performance.now() / 1000 - started;
      const result = await kit.train(raw);
      const metrics = kit.metricsFile(result, loadSeconds, started);
      if (options.out)
        await kit.save(
          options.out,
          result.model,
          metrics,
          result.validationRows,
          "validation split",
          result.validationRowsOf,
        );
      return { model: result.model, metrics };
    } finally {
      if (!("data" in raw)) raw.close();
    }
  };
  if (!options.out) return work();
  const inputs = [
    { flag: "data", path: typeof options.data === "string" ? options.data : undefined },
    { flag: "config", path: typeof options.config === "string" ? options.config : undefined },
  ];
  // Checked and locked before any work, so that a bad `out` or a second writer fails at once.
  return withModelDir(options.out, { flag: "out", inputs }, kit.log, work);
}
