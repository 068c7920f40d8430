/**
 * The end-to-end run (the guide's pipeline.py): load → hold out a stratified test split →
 * train (schema, features, preprocessing, model, validation) → evaluate on the test split →
 * write the model directory.
 */
import { stratifiedSplit } from "../data/split.js";
import { heldOutText } from "./held-out.js";
import { detailedMetrics } from "../evaluation/detailed.js";
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
  // Typed by DuckDB (data/load-typed.ts): the training and test rows never become one JS string per cell.
  // The whole file's facts are not read (unless to guess the target): training infers its schema from the subset's.
  const source = await kit.open(kit.dataPath, { facts: false });
  try {
    const loadSeconds = now() - started;
    const { data, split, seed, evaluation } = kit.config;
    const labels = await source.labels(data.target!);
    const target = resolveTarget(labels, data.target!, data.positive, kit.names.positive);
    const { y, rows } = encodeTarget(labels, target);
    const { first, second } = stratifiedSplit(y, split.test_size, seed);
    const train = await source.subset(Int32Array.from(first, (i) => rows[i]!));
    const test = await source.subset(
      Int32Array.from(second, (i) => rows[i]!),
      { facts: false }, // scored, not inferred from
    );
    kit.log.info(`split: ${train.rows} training rows, ${test.rows} test rows (stratified, seed ${seed})`);
    // Importance is measured once, on the test split, below.
    const result = await kit.train(train, { importance: false });
    const model = result.model;
    const reps = evaluation.permutation_repeats;
    if (model.survival) {
      // Typed, as classification's: the durations and features never become JS strings; only the bounded sample
      // for importance and the report is read back as text (held-out.ts, stratified by the event).
      const scored = await model.scoreSurvivalLabelled(test);
      const survivalTest = model.measureSurvival(scored);
      kit.log.info(
        `test C-index ${survivalTest.c_index.toFixed(4)}, integrated Brier ${survivalTest.integrated_brier.toFixed(4)}`,
      );
      const max = evaluation.importance_max_rows;
      const heldOut = await heldOutText(test, scored.rows, scored.y, scored.probability, max, seed);
      const importance =
        reps > 0
          ? await featureImportance(model, heldOut.importance, "test split", {
              repeats: reps,
              seed,
              maxRows: max,
              ofRows: heldOut.of,
            })
          : undefined;
      const metrics = kit.metricsFile(result, loadSeconds, started, undefined, importance, survivalTest);
      await kit.save(out, model, metrics, heldOut.report, "test split", heldOut.of);
      return { out, model, metrics };
    }
    // Every test row is labelled: scored once, for the metrics and for the rows read back (the highest-risk).
    const { y: yTest, probability: pTest } = await model.scoreLabelled(test);
    const testMetrics = detailedMetrics(yTest, pTest, model.threshold, { bootstrap: evaluation.bootstrap, seed });
    kit.log.info(
      `test AUC ${testMetrics.auc.toFixed(4)}, accuracy ${testMetrics.accuracy.toFixed(4)}, F1 ${testMetrics.f1.toFixed(4)}`,
    );
    const all = Int32Array.from({ length: test.rows }, (_, i) => i);
    const heldOut = await heldOutText(test, all, yTest, pTest, evaluation.importance_max_rows, seed);
    const importance =
      reps > 0
        ? await featureImportance(model, heldOut.importance, "test split", {
            repeats: reps,
            seed,
            maxRows: evaluation.importance_max_rows,
            ofRows: heldOut.of,
          })
        : undefined;
    const metrics = kit.metricsFile(result, loadSeconds, started, testMetrics, importance);
    await kit.save(out, model, metrics, heldOut.report, "test split", heldOut.of);
    return { out, model, metrics };
  } finally {
    source.close(); // with its subsets
  }
}
