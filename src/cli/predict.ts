import type { Command } from "commander";
import { join } from "node:path";
import { UserError } from "../utils/errors.js";
import { cleanLeftovers } from "../utils/fs.js";
import { checkOutputFile, outputError } from "../utils/output.js";
import { cliLogger, parseFloatArg } from "./common.js";

/** Register `churnkit predict`: stream a table through a saved model and write one score per input row. */
export function predictCommand(program: Command): void {
  program
    .command("predict")
    .description(
      "score a table: id column(s), churn_probability, churn_prediction, in input order (streams any file size in constant memory)",
    )
    .requiredOption("--model <dir>", "model directory")
    .requiredOption(
      "--data <file>",
      "table to score: a CSV, Parquet or JSON file, a quoted glob of them, or a folder of Parquet files (hive partitions)",
    )
    .option("--out <file>", "output file, .csv or .jsonl (default: CSV on stdout)")
    .option("--threshold <x>", "decision threshold (default: the model's)", parseFloatArg("--threshold"))
    .action(async (o: { model: string; data: string; out?: string; threshold?: number }) => {
      const log = cliLogger();
      const { loadModel } = await import("../artifact/churn-model.js");
      const { predictFile } = await import("../io/predict.js");
      if (o.threshold !== undefined && !(o.threshold > 0 && o.threshold < 1)) {
        throw new UserError(`--threshold must be between 0 and 1 (exclusive), got ${o.threshold}`);
      }
      if (o.out)
        checkOutputFile(o.out, {
          flag: "--out",
          inputs: [
            { flag: "--data", path: o.data },
            { flag: "--model", path: o.model },
            { flag: "--model", path: join(o.model, "model.json") },
          ],
          specialHint: "omit --out to write to standard output",
        });
      // A killed earlier predict into the same file left its temporary file (our name, a dead pid): remove it.
      if (o.out) for (const p of (await cleanLeftovers(o.out)).removed) log.info(`removed ${p}, left by a killed run`);
      const model = await loadModel(o.model);
      let r;
      try {
        r = await predictFile(model, o.data, o.out, o.threshold);
      } catch (e) {
        // The input is read by DuckDB (its errors are not errno errors): a file-system error here is the output's.
        throw o.out ? outputError(e, o.out, "--out") : e;
      }
      if (r.unseen > 0)
        log.warn(
          `${r.unseen} value(s) were categories not seen in training; scored by the model's unseen-category policy ("${model.artifact.preprocess.options.unseen_category}")`,
        );
      log.info(`scored ${r.rows} rows${o.out ? ` into ${o.out}` : ""}`);
    });
}
