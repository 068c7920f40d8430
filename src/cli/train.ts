import type { Command } from "commander";
import { InvalidArgumentError, Option } from "commander";
import { BUILTIN_FAMILIES } from "../learners/builtin.js";
import { MAX_THREADS } from "../utils/threads.js";
import { cliLogger, parseIntArg, parseList, parseThreadsArg, printJson } from "./common.js";

interface TrainFlags {
  data: string;
  target?: string;
  positive?: string;
  drop?: string[];
  model?: string;
  config?: string;
  seed?: number;
  out: string;
  json?: boolean;
  duration?: string;
  horizons?: number[];
  threads?: number;
}

/** `--horizons 3,6,12`: positive numbers, comma-separated; anything else is a usage error naming the flag. */
function parseHorizons(v: string): number[] {
  const hs = parseList(v).map(Number);
  if (hs.length === 0 || hs.some((h) => !(Number.isFinite(h) && h > 0)))
    throw new InvalidArgumentError(`--horizons must be positive numbers separated by commas (e.g. 3,6,12), got "${v}"`);
  return hs;
}

/** Register `churnkit train`: fit a model on a table given by flags (and an optional config) and save it. */
export function trainCommand(program: Command): void {
  program
    .command("train")
    .description(
      "train a model on all rows of a file (a stratified validation split inside measures it) and write the model directory",
    )
    .requiredOption("--data <file>", "training table (CSV, Parquet or JSON)")
    .option("--target <col>", "target column (default: config, else guessed)")
    .option("--positive <label>", "target label that means churn, when not obvious")
    .option("--drop <cols>", "columns to leave out, comma-separated (added to the config's data.drop)", parseList)
    .addOption(new Option("--model <family>", "model family").choices([...BUILTIN_FAMILIES, "auto"]))
    .option("--duration <col>", "duration column (e.g. tenure): train a survival model of when customers leave")
    .option(
      "--horizons <list>",
      "survival horizons in the duration's unit, comma-separated (default 3,6,12)",
      parseHorizons,
    )
    .option("--config <file>", "YAML or JSON config")
    .option("--seed <n>", "seed for every random choice", parseIntArg("--seed"))
    .option(
      "--threads <n>",
      "threads for fitting and DuckDB (default min(2, cores); the model is the same on any number)",
      parseThreadsArg(MAX_THREADS),
    )
    .requiredOption("--out <dir>", "model directory to write")
    .option("--json", "print a JSON summary on stdout")
    .action(async (o: TrainFlags) => {
      const log = cliLogger();
      const { ChurnKit } = await import("../pipeline/churnkit.js");
      const { readConfigFile } = await import("../config/load.js");
      const { applyTrainOverrides } = await import("../config/overrides.js");
      const base = o.config ? readConfigFile(o.config) : {};
      const kit = new ChurnKit(
        applyTrainOverrides(base, {
          seed: o.seed,
          path: o.data,
          target: o.target,
          positive: o.positive,
          drop: o.drop,
          family: o.model,
          duration: o.duration,
          horizons: o.horizons,
          threads: o.threads,
        }),
        log,
        o.config ?? "command line",
      );
      kit.names = { target: "--target", positive: "--positive" };
      const { withModelDir } = await import("../utils/lock.js");
      // Checked and locked before the (long) training, so that a bad --out or a second writer fails at once.
      const inputs = [
        { flag: "--data", path: o.data },
        { flag: "--config", path: o.config },
      ];
      const metrics = await withModelDir(o.out, { flag: "--out", inputs }, log, async () => {
        const started = performance.now() / 1000;
        const source = await kit.open();
        try {
          const loadSeconds = performance.now() / 1000 - started;
          const result = await kit.train(source);
          const m = kit.metricsFile(result, loadSeconds, started);
          await kit.save(o.out, result.model, m, result.validationRows, "validation split", result.validationRowsOf);
          return m;
        } finally {
          source.close();
        }
      });
      if (o.json)
        printJson({
          out: o.out,
          family: metrics.family,
          validation: metrics.validation,
          ...(metrics.survival ? { survival: metrics.survival } : {}),
          leaderboard: metrics.leaderboard,
          timings: metrics.timings,
        });
      else if (metrics.survival)
        process.stdout.write(
          `survival model (${metrics.family}) written to ${o.out}; validation C-index ${metrics.survival.validation.c_index.toFixed(4)}\n`,
        );
      else
        process.stdout.write(
          `model (${metrics.family}) written to ${o.out}; validation AUC ${metrics.validation!.auc.toFixed(4)}\n`,
        );
    });
}
