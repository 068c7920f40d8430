import type { Command } from "commander";
import { cliLogger, parseFloatArg, parseIntArg, printJson } from "./common.js";

/** Register `churnkit evaluate`: score a labelled table with a saved model and print its metrics. */
export function evaluateCommand(program: Command): void {
  program
    .command("evaluate")
    .description("score a labelled table with a model and report its metrics")
    .requiredOption("--model <dir>", "model directory")
    .requiredOption("--data <file>", "labelled table (CSV, Parquet or JSON) with the target column")
    .option("--threshold <x>", "decision threshold (default: the model's)", parseFloatArg("--threshold"))
    .option(
      "--bootstrap <n>",
      "bootstrap resamples for a 95% confidence interval of AUC (default: none)",
      parseIntArg("--bootstrap"),
    )
    .option("--json", "print metrics as JSON on stdout")
    .action(async (o: { model: string; data: string; threshold?: number; bootstrap?: number; json?: boolean }) => {
      cliLogger();
      const { loadTable } = await import("../data/load.js");
      const { loadModel } = await import("../artifact/churn-model.js");
      const model = await loadModel(o.model);
      const m = await model.evaluate(await loadTable(o.data), {
        threshold: o.threshold,
        bootstrap: o.bootstrap,
        seed: model.artifact.config.seed,
      });
      if (o.json) return printJson(m);
      const c = m.confusion;
      process.stdout.write(
        [
          `rows        ${m.rows} (positive rate ${m.positive_rate.toFixed(4)})`,
          `ROC AUC     ${m.auc.toFixed(4)}${m.auc_ci ? ` (95% CI ${m.auc_ci.low.toFixed(4)}–${m.auc_ci.high.toFixed(4)})` : ""}`,
          `PR AUC      ${m.pr_auc.toFixed(4)}`,
          `log loss    ${m.log_loss.toFixed(4)}`,
          `Brier       ${m.brier.toFixed(4)}`,
          `KS          ${m.ks.toFixed(4)}`,
          `calibration ECE ${m.calibration.ece.toFixed(4)}`,
          `lift        top decile ×${m.lift.top_decile.toFixed(2)} (churn rate ${(m.lift.deciles[0]!.rate * 100).toFixed(1)}% vs ${(m.positive_rate * 100).toFixed(1)}% overall)`,
          `at threshold ${m.threshold.toFixed(4)} (${model.artifact.threshold.rule}${model.artifact.threshold.expected_profit !== undefined ? `, validation expected profit ${model.artifact.threshold.expected_profit.toFixed(2)}` : ""}): accuracy ${m.accuracy.toFixed(4)}, precision ${m.precision.toFixed(4)}, recall ${m.recall.toFixed(4)}, F1 ${m.f1.toFixed(4)}`,
          `confusion   tp ${c.tp}  fp ${c.fp}  tn ${c.tn}  fn ${c.fn}`,
        ].join("\n") + "\n",
      );
    });
}
