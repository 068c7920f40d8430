/**
 * The main object (the guide's MainObject): holds one resolved configuration and a logger,
 * and runs each step of the pipeline with them. `run.ts` chains the steps end to end.
 */
import { fileURLToPath } from "node:url";
import { resolveConfig } from "../config/load.js";
import type { Config, ConfigInput } from "../config/schema.js";
import { parseConfig } from "../config/load.js";
import { loadTable, type RawTable } from "../data/load.js";
import { fileSource } from "../data/load-typed.js";
import { useThreads } from "../data/duckdb.js";
import { guessTarget, inferSchema, inferSchemaFrom } from "../data/schema.js";
import type { TrainingSource } from "../data/source.js";
import { checkDerived } from "../features/derived.js";
import { saveArtifact } from "../artifact/artifact.js";
import { modelReport } from "../report/model-report.js";
import type { DetailedMetrics } from "../evaluation/detailed.js";
import type { SurvivalMetrics } from "../evaluation/survival-summary.js";
import type { ChurnModel } from "../artifact/churn-model.js";
import type { FeatureImportance } from "../artifact/importance.js";
import type { MetricsFile } from "../artifact/metrics-file.js";
import {
  CONFIG_NAMES,
  trainOnTable,
  type SettingNames,
  type Timings,
  type TrainingInput,
  type TrainResult,
  type TrainStepOptions,
} from "./train.js";
import { howToSet } from "../data/target.js";
import { UserError } from "../utils/errors.js";
import { withModelDir } from "../utils/lock.js";
import { logger, type Logger } from "../utils/logging.js";

export type { MetricsFile } from "../artifact/metrics-file.js";

/** The bundled IBM Telco customer churn table (7,043 customers). */
export const BUNDLED_DATA = fileURLToPath(new URL("../../data/telco-customer-churn.csv", import.meta.url));

const now = () => performance.now() / 1000;

/** The main object: one resolved configuration, a logger, and each step of the pipeline (load, train, save). */
export class ChurnKit {
  /**
   * The resolved configuration, every default filled in. `load` replaces it with a copy that names the guessed
   * target; the parsed object itself is never written to.
   */
  get config(): Config {
    return this.resolved;
  }
  private resolved: Config;
  /** Where progress and decisions are logged (pino). */
  readonly log: Logger;
  private readonly where: string;
  /** The config file this was built from ({@link ChurnKit.fromFile}), if any: an input, never an output. */
  configFile?: string;
  /**
   * How the calling command sets the target and its positive label, named by error remedies: the config
   * keys by default (`data.positive in churn.yaml` from a file); `churnkit train` sets its flags.
   */
  names: SettingNames = CONFIG_NAMES;

  /** `where` names the config's source (a file) in error messages. */
  constructor(config: ConfigInput | Config = {}, log: Logger = logger(), where = "config") {
    this.resolved = parseConfig(config, where);
    this.log = log;
    this.where = where;
  }

  /**
   * Refuse derived features that are not allowed, naming the config (before any data is read); and bound DuckDB's
   * threads by `threads` first (the sandbox that checks them opens with them).
   */
  private async checkDerived(): Promise<void> {
    await useThreads(this.config.threads);
    const derived = Object.entries(this.config.features.derived).map(([name, sql]) => ({ name, sql }));
    return checkDerived(derived, { config: this.where });
  }

  /** Build from a config file (YAML/JSON) plus overrides (CLI flags). */
  static fromFile(path: string | undefined, overrides: Record<string, unknown> = {}, log?: Logger): ChurnKit {
    const kit = new ChurnKit(resolveConfig(path, overrides), log);
    kit.configFile = path;
    if (path) kit.names = { target: `data.target in ${path}`, positive: `data.positive in ${path}` };
    return kit;
  }

  /** The data file this configuration trains on (the bundled data when none is set). */
  get dataPath(): string {
    return this.config.data.path ?? BUNDLED_DATA;
  }

  /** Load the training table; fills in the target when it can be guessed. */
  async load(path = this.dataPath): Promise<RawTable> {
    await this.checkDerived();
    const t = await loadTable(path);
    this.log.info(`loaded ${t.rows} rows × ${t.columns.length} columns from ${path}`);
    this.guessTarget(path, () => inferSchema(t));
    return t;
  }

  /**
   * Open the training file typed by DuckDB (no JS string per cell: data/load-typed.ts), for {@link ChurnKit.train};
   * fills in the target when it can be guessed. Close the source when done. With `facts: false` (a caller that
   * trains on a subset, which counts its own), the schema facts of the whole file are counted only when the target
   * must be guessed from them: at 1M rows × 30 columns they cost about 13 CPU seconds.
   */
  async open(path = this.dataPath, opts: { facts?: boolean } = {}): Promise<TrainingSource> {
    await this.checkDerived();
    const src = await fileSource(path, { facts: opts.facts !== false || !this.config.data.target });
    try {
      this.log.info(`loaded ${src.rows} rows × ${src.columns.length} columns from ${path}`);
      this.guessTarget(path, () => inferSchemaFrom(src));
    } catch (e) {
      src.close();
      throw e;
    }
    return src;
  }

  private guessTarget(path: string, schema: () => ReturnType<typeof inferSchema>): void {
    if (this.config.data.target) return;
    const guess = guessTarget(schema());
    if (!guess) throw new UserError(`${path}: cannot guess the target column; ${howToSet(this.names.target, "COL")}`);
    this.log.info(`target column guessed: "${guess}" (${howToSet(this.names.target, "COL")} to choose another)`);
    this.resolved = { ...this.resolved, data: { ...this.resolved.data, target: guess } };
  }

  /** Fit on a whole table (validation split inside). */
  async train(t: TrainingInput, opts: TrainStepOptions = {}): Promise<TrainResult> {
    await this.checkDerived();
    return trainOnTable(t, this.config, this.log, { names: this.names, ...opts });
  }

  /**
   * Write the model directory atomically: model.json, metrics.json and report.html (explaining `heldOut` rows, drawn
   * from the `heldOutOf` rows of the split when fewer).
   * Refused (UserError) when `dir` is not a churnkit model directory or another process is writing it.
   */
  async save(
    dir: string,
    model: ChurnModel,
    metrics: MetricsFile,
    heldOut?: RawTable,
    heldOutName?: string,
    heldOutOf?: number,
  ): Promise<void> {
    // Re-entrant: a command that claimed `dir` at its start (check, lock, leftovers) already holds it.
    await withModelDir(dir, {}, this.log, async () => {
      const t0 = now();
      const report = await modelReport({ model, metrics, heldOut, heldOutName, heldOutOf });
      metrics.timings.report_s = now() - t0;
      await saveArtifact(dir, model.artifact, {
        "metrics.json": JSON.stringify(metrics, null, 1) + "\n",
        "report.html": report,
      });
    });
    this.log.info(`model written to ${dir}`);
  }

  /** Assemble metrics.json from a training result. */
  metricsFile(
    result: TrainResult,
    loadSeconds: number,
    started: number,
    test?: DetailedMetrics,
    importance?: FeatureImportance,
    survivalTest?: SurvivalMetrics,
  ): MetricsFile {
    const fi = importance ?? result.importance;
    return {
      family: result.model.family,
      validation: result.validation,
      ...(test ? { test } : {}),
      ...(result.survival
        ? { survival: { validation: result.survival, ...(survivalTest ? { test: survivalTest } : {}) } }
        : {}),
      ...(result.durationLeakage ? { duration_leakage: result.durationLeakage } : {}),
      ...(result.leaderboard ? { leaderboard: result.leaderboard } : {}),
      ...(fi ? { feature_importance: fi } : {}),
      leakage: result.leakage,
      timings: { load_s: loadSeconds, ...result.timings, total_s: now() - started } as Timings,
    };
  }
}
