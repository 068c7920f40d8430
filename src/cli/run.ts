import { join } from "node:path";
import type { Command } from "commander";
import { MAX_THREADS } from "../utils/threads.js";
import { cliLogger, parseThreadsArg, printJson } from "./common.js";

/** Register `churnkit run`: the whole pipeline (load, split, train, test, report, save) from a config. */
export function runCommand(program: Command): void {
  program
    .command("run")
    .description(
      "full pipeline: load, split, train, evaluate on a held-out test split, write the model directory (no config: the bundled Telco data)",
    )
    .option("--config <file>", "YAML or JSON config (see `churnkit init`)")
    .option("--out <dir>", "model directory to write (default: config `out`, models/churn)")
    .option(
      "--threads <n>",
      "threads for fitting and DuckDB (default: config `threads`, else min(2, cores))",
      parseThreadsArg(MAX_THREADS),
    )
    .option("--json", "print a JSON summary on stdout")
    .action(async (o: { config?: string; out?: string; json?: boolean; threads?: number }) => {
      const log = cliLogger();
      const { ChurnKit } = await import("../pipeline/churnkit.js");
      const { runPipeline } = await import("../pipeline/run.js");
      const { formatLeaderboard } = await import("../pipeline/select.js");
      const { withModelDir } = await import("../utils/lock.js");
      const overrides = { ...(o.out ? { out: o.out } : {}), ...(o.threads ? { threads: o.threads } : {}) };
      const kit = ChurnKit.fromFile(o.config, overrides, log);
      const inputs = [
        { flag: o.config ? `data.path in ${o.config}` : "the bundled data", path: kit.dataPath },
        { flag: "--config", path: o.config },
      ];
      // Checked and locked before any work, with the names the user gave (runPipeline takes the same lock again).
      const flag = o.out || !o.config ? "--out" : `${o.config}: out`;
      const r = await withModelDir(kit.config.out, { flag, inputs }, log, () => runPipeline(kit));
      const files = {
        model: join(r.out, "model.json"),
        metrics: join(r.out, "metrics.json"),
        report: join(r.out, "report.html"),
      };
      if (o.json) {
        printJson({
          out: r.out,
          files,
          family: r.metrics.family,
          test: r.metrics.test,
          validation: r.metrics.validation,
          ...(r.metrics.survival ? { survival: r.metrics.survival } : {}),
          leaderboard: r.metrics.leaderboard,
          timings: r.metrics.timings,
        });
        return;
      }
      const t = r.metrics.test;
      const st = r.metrics.survival?.test;
      const lines = [
        `model (${r.metrics.family}) written to ${r.out}`,
        `  ${files.model}`,
        `  ${files.metrics}`,
        `  ${files.report}`,
        st
          ? `test set: ${st.rows} rows, C-index ${st.c_index.toFixed(4)}, integrated Brier ${st.integrated_brier.toFixed(4)}, time-dependent AUC ${st.td_auc.map((x) => `${x.auc.toFixed(4)} at ${x.horizon}`).join(", ")}`
          : `test set: ${t!.rows} rows, AUC ${t!.auc.toFixed(4)}, PR AUC ${t!.pr_auc.toFixed(4)}, accuracy ${t!.accuracy.toFixed(4)}, F1 ${t!.f1.toFixed(4)} at threshold ${t!.threshold.toFixed(4)} (${r.model.artifact.threshold.rule})`,
      ];
      if (r.metrics.leaderboard)
        lines.push(
          "",
          `leaderboard (${r.metrics.leaderboard.folds}-fold cross-validation):`,
          formatLeaderboard(r.metrics.leaderboard),
        );
      process.stdout.write(lines.join("\n") + "\n");
    });
}
