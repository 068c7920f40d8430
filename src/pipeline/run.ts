/**
 * The end-to-end run (the guide's pipeline.py): load → hold out a stratified test split →
 * train (schema, features, preprocessing, model, validation) → evaluate on the test split →
 * write the model directory.
 */
import { takeRows } from "../data/load.js";
import { stratifiedSplit } from "../data/split.js";
import { encodeTarget, resolveTarget } from "../data/target.js";
import { ChurnKit, type MetricsFile } from "./churnkit.js";
import { featureImportance } from "../artifact/importance.js";
import { withModelDir } from "../utils/lock.js";
import type { ChurnModel } from "../artifact/churn-model.js";

/** What {@link runPipeline} returns. */
export interface RunResult {
  /** The model directory written. */
  out: string;
  /** The trained model. */
  model: ChurnModel;
  /** What metrics.json holds: validation and test metrics, importance and timings. */
  metrics: MetricsFile;
}

const now = () => performance.now() / 1000;

/**
 * The end-to-end run: load, hold out a stratified test split, train, evaluate on the test split, write the model
 * directory with its report. `out` is checked and locked before any work (UserError when it is an input, not a
 * churnkit model directory, or being written by another process).
 */
export async function runPipeline(kit: ChurnKit, out = kit.config.out): Promise<RunResult> {
  const inputs = [
    { flag: "data.path", path: kit.dataPath },
    { flag: "config", path: kit.configFile },
  ];
  return withModelDir(out, { flag: "out", inputs }, kit.log, () => run(kit, out));
}

async function run(kit: ChurnKit, out: string): Promise<RunResult> {
  const started = now();
  const raw = await kit.load();
  const loadSeconds = now() - started;
  const { data, split, seed } = kit.config;
  const target = resolveTarget(raw, data.target!, data.positive, kit.names.positive);
  const { y, rows } = encodeTarget(raw, target);
  const parts = stratifiedSplit(y, split.test_size, seed);
  const train = takeRows(
    raw,
    parts.first.map((i) => rows[i]!),
  );
  const test = takeRows(
    raw,
    parts.second.map((i) => rows[i]!),
  );
  kit.log.info(`split: ${train.rows} training rows, ${test.rows} test rows (stratified, seed ${seed})`);
  // Importance is measured once, on the test split, below.
  const result = await kit.train(train, { importance: false });
  if (result.model.survival) {
    const survivalTest = await result.model.evaluateSurvival(test);
    kit.log.info(
      `test C-index ${survivalTest.c_index.toFixed(4)}, integrated Brier ${survivalTest.integrated_brier.toFixed(4)}`,
    );
    const metrics = kit.metricsFile(result, loadSeconds, started, undefined, undefined, survivalTest);
    await kit.save(out, result.model, metrics, test, "test split");
    return { out, model: result.model, metrics };
  }
  const testMetrics = await result.model.evaluate(test, { bootstrap: kit.config.evaluation.bootstrap, seed });
  kit.log.info(
    `test AUC ${testMetrics.auc.toFixed(4)}, accuracy ${testMetrics.accuracy.toFixed(4)}, F1 ${testMetrics.f1.toFixed(4)}`,
  );
  const reps = kit.config.evaluation.permutation_repeats;
  const importance =
    reps > 0
      ? await featureImportance(result.model, test, "test split", {
          repeats: reps,
          seed,
          maxRows: kit.config.evaluation.importance_max_rows,
        })
      : undefined;
  const metrics = kit.metricsFile(result, loadSeconds, started, testMetrics, importance);
  await kit.save(out, result.model, metrics, test, "test split");
  return { out, model: result.model, metrics };
}
