/**
 * `churnkit evaluate`, in two modes: a model scores a labelled table (`--model --data`), or
 * predictions made earlier are joined with labels that arrived later (`--predictions --labels`,
 * delayed labels; `--model` optional, for its threshold and target labels).
 */
import type { Command } from "commander";
import type { DetailedMetrics } from "../evaluation/detailed.js";
import type { SurvivalMetrics } from "../evaluation/survival-summary.js";
import { UserError } from "../utils/errors.js";
import { cliLogger, parseFloatArg, parseIntArg, parseList, printJson } from "./common.js";

interface EvaluateArgs {
  model?: string;
  data?: string;
  predictions?: string;
  labels?: string;
  id?: string[];
  target?: string;
  positive?: string;
  threshold?: number;
  bootstrap?: number;
  json?: boolean;
}

/** The metrics as text, one per line; `rule` says where the threshold came from. */
function metricsText(m: DetailedMetrics, rule: string): string[] {
  const c = m.confusion;
  return [
    `rows        ${m.rows} (positive rate ${m.positive_rate.toFixed(4)})`,
    `ROC AUC     ${m.auc.toFixed(4)}${m.auc_ci ? ` (95% CI ${m.auc_ci.low.toFixed(4)}–${m.auc_ci.high.toFixed(4)})` : ""}`,
    `PR AUC      ${m.pr_auc.toFixed(4)}`,
    `log loss    ${m.log_loss.toFixed(4)}`,
    `Brier       ${m.brier.toFixed(4)}`,
    `KS          ${m.ks.toFixed(4)}`,
    `calibration ECE ${m.calibration.ece.toFixed(4)}`,
    `lift        top decile ×${m.lift.top_decile.toFixed(2)} (churn rate ${(m.lift.deciles[0]!.rate * 100).toFixed(1)}% vs ${(m.positive_rate * 100).toFixed(1)}% overall)`,
    `at threshold ${m.threshold.toFixed(4)} (${rule}): accuracy ${m.accuracy.toFixed(4)}, precision ${m.precision.toFixed(4)}, recall ${m.recall.toFixed(4)}, F1 ${m.f1.toFixed(4)}`,
    `confusion   tp ${c.tp}  fp ${c.fp}  tn ${c.tn}  fn ${c.fn}`,
  ];
}

/** `--model --data`: score a labelled table. */
async function evaluateData(o: EvaluateArgs & { model: string; data: string }): Promise<void> {
  const { fileSource } = await import("../data/load-typed.js");
  const { loadModel } = await import("../artifact/churn-model.js");
  const model = await loadModel(o.model);
  if (model.survival) checkSurvivalFlags(o);
  // Typed by DuckDB: a million-row file never becomes one JS string per cell.
  const source = await fileSource(o.data, { facts: false });
  let m: DetailedMetrics;
  try {
    if (model.survival) return printSurvival(await model.evaluateSurvival(source), o);
    m = await model.evaluateSource(source, {
      threshold: o.threshold,
      bootstrap: o.bootstrap,
      seed: model.artifact.config.seed,
    });
  } finally {
    source.close();
  }
  if (o.json) return printJson(m);
  const t = model.artifact.threshold;
  const rule = `${t.rule}${t.expected_profit !== undefined ? `, validation expected profit ${t.expected_profit.toFixed(2)}` : ""}`;
  process.stdout.write(metricsText(m, o.threshold !== undefined ? "--threshold" : rule).join("\n") + "\n");
}

/** Refuse the classification-only flags for a survival model (before any data is read). */
function checkSurvivalFlags(o: EvaluateArgs): void {
  if (o.threshold !== undefined || o.bootstrap !== undefined)
    throw new UserError(
      `${o.threshold !== undefined ? "--threshold" : "--bootstrap"} is for classification models; a survival model is measured by its C-index, time-dependent AUC and integrated Brier score`,
    );
}

/** A survival model's metrics on a labelled table: C-index, time-dependent AUC per horizon, integrated Brier score. */
function printSurvival(m: SurvivalMetrics, o: EvaluateArgs): void {
  if (o.json) return printJson(m);
  process.stdout.write(
    [
      `rows        ${m.rows} (${m.events} churned, ${m.rows - m.events} still customers)`,
      `C-index     ${m.c_index.toFixed(4)}`,
      ...m.td_auc.map(
        (x) => `AUC at ${String(x.horizon).padEnd(4)} ${x.auc.toFixed(4)} (time-dependent, cumulative/dynamic)`,
      ),
      `IBS         ${m.integrated_brier.toFixed(4)} (integrated Brier score over ${m.brier[0]?.time} to ${m.brier[m.brier.length - 1]?.time})`,
    ].join("\n") + "\n",
  );
}

/** The default threshold without a model. */
const DEFAULT_THRESHOLD = 0.5;

/** `--predictions --labels`: join earlier predictions with later labels on the id, then the metrics of the rows with both. */
async function evaluateDelayed(o: EvaluateArgs & { predictions: string; labels: string }): Promise<void> {
  const log = cliLogger();
  const { joinLabels, survivalPredictions } = await import("../evaluation/labels-join.js");
  const { detailedMetrics } = await import("../evaluation/detailed.js");
  const model = o.model ? await (await import("../artifact/churn-model.js")).loadModel(o.model) : undefined;
  if (model?.survival) throw survivalPredictions(o.predictions, []);
  const j = await joinLabels({
    predictions: o.predictions,
    labels: o.labels,
    id: o.id,
    column: o.target,
    target: model?.artifact.target,
    positive: o.positive,
  });
  const ids = j.id.map((c) => `"${c}"`).join(", ");
  if (j.y.length === 0)
    throw new UserError(
      `${o.labels}: no labelled row has a prediction in ${o.predictions} (joined on ${ids}); check that both files hold the same ids, or pass --id COL`,
    );
  const threshold = o.threshold ?? model?.threshold ?? DEFAULT_THRESHOLD;
  const rule =
    o.threshold !== undefined ? "--threshold" : model ? `the model's, ${model.artifact.threshold.rule}` : "default";
  const m = detailedMetrics(j.y, j.p, threshold, { bootstrap: o.bootstrap, seed: model?.artifact.config.seed ?? 0 });
  const left = `${j.predictionsWithoutLabels} prediction${j.predictionsWithoutLabels === 1 ? "" : "s"} without a label, ${j.labelsWithoutPredictions} label${j.labelsWithoutPredictions === 1 ? "" : "s"} without a prediction`;
  if (o.json) {
    if (j.predictionsWithoutLabels + j.labelsWithoutPredictions > 0) log.warn(`${left}: left out of the metrics`);
    return printJson({
      ...m,
      id: j.id,
      target: j.target.column,
      positive: j.target.positive,
      predictions_without_labels: j.predictionsWithoutLabels,
      labels_without_predictions: j.labelsWithoutPredictions,
    });
  }
  process.stdout.write(
    [
      `joined      ${m.rows} predictions with their labels on ${ids} (target "${j.target.column}", churn = ${JSON.stringify(j.target.positive)})`,
      `left out    ${left}`,
      ...metricsText(m, rule),
    ].join("\n") + "\n",
  );
}

/** Register `churnkit evaluate`: score a labelled table with a saved model, or join earlier predictions with later labels, and print the metrics. */
export function evaluateCommand(program: Command): void {
  program
    .command("evaluate")
    .description(
      "report a model's metrics: on a labelled table (--model --data), or on earlier predictions joined with labels that arrived later (--predictions --labels)",
    )
    .option("--model <dir>", "model directory (with --data: required; with --predictions: its threshold and labels)")
    .option("--data <file>", "labelled table (CSV, Parquet or JSON) with the target column")
    .option("--predictions <file>", "output of churnkit predict: id column(s) and churn_probability")
    .option("--labels <file>", "the labels that arrived later: id column(s) and the target column")
    .option(
      "--id <col,...>",
      "id column(s) to join on (default: the predictions file's columns but the scores)",
      parseList,
    )
    .option("--target <col>", "the labels file's target column (default: the model's, else its one non-id column)")
    .option("--positive <label>", "with --labels and no --model: the label that means churn, when not obvious")
    .option(
      "--threshold <x>",
      "decision threshold (default: the model's; without a model 0.5)",
      parseFloatArg("--threshold"),
    )
    .option(
      "--bootstrap <n>",
      "bootstrap resamples for a 95% confidence interval of AUC (default: none)",
      parseIntArg("--bootstrap"),
    )
    .option("--json", "print metrics as JSON on stdout")
    .action(async (o: EvaluateArgs) => {
      cliLogger();
      if (o.predictions !== undefined || o.labels !== undefined) {
        if (o.data !== undefined)
          throw new UserError("--data cannot be combined with --predictions/--labels; use one of the two modes");
        if (o.predictions === undefined || o.labels === undefined)
          throw new UserError(
            `${o.predictions === undefined ? "--labels" : "--predictions"} needs ${o.predictions === undefined ? "--predictions FILE" : "--labels FILE"} too`,
          );
        return evaluateDelayed({ ...o, predictions: o.predictions, labels: o.labels });
      }
      if (o.model === undefined || o.data === undefined)
        throw new UserError(
          "evaluate needs --model DIR --data FILE (a labelled table), or --predictions FILE --labels FILE (delayed labels)",
        );
      for (const [flag, v] of [
        ["--id", o.id],
        ["--target", o.target],
        ["--positive", o.positive],
      ] as const)
        if (v !== undefined)
          throw new UserError(`${flag} is for --predictions/--labels; with --data the model's own is used`);
      return evaluateData({ ...o, model: o.model, data: o.data });
    });
}
