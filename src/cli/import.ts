import type { Command } from "commander";
import { Option } from "commander";
import { cliLogger } from "./common.js";

interface ImportFlags {
  from: "xgboost" | "lightgbm";
  data?: string;
  target?: string;
  positive?: string;
  out: string;
}

/** Register `churnkit import`: an XGBoost or LightGBM model file as a churnkit model directory. */
export function importCommand(program: Command): void {
  program
    .command("import")
    .description(
      "turn an XGBoost JSON or LightGBM text model into a churnkit model directory (predict, explain, serve, drift)",
    )
    .argument("<file>", "the model file: XGBoost save_model JSON, or LightGBM save_model text")
    .addOption(
      new Option("--from <library>", "the library that wrote it")
        .choices(["xgboost", "lightgbm"])
        .makeOptionMandatory(),
    )
    .option(
      "--data <file>",
      "a table (the training data) to learn input types, categories and reference statistics from",
    )
    .option("--target <col>", "target column of --data (default: guessed)")
    .option("--positive <label>", "target label that means churn, when not obvious")
    .requiredOption("--out <dir>", "model directory to write")
    .action(async (file: string, o: ImportFlags) => {
      const log = cliLogger();
      const { importModel } = await import("../import/import.js");
      const { saveArtifact } = await import("../artifact/artifact.js");
      const { withModelDir } = await import("../utils/lock.js");
      const inputs = [
        { flag: "model file", path: file },
        { flag: "--data", path: o.data },
      ];
      const artifact = await withModelDir(o.out, { flag: "--out", inputs }, log, async () => {
        const a = await importModel({ from: o.from, file, data: o.data, target: o.target, positive: o.positive, log });
        await saveArtifact(o.out, a);
        return a;
      });
      process.stdout.write(
        `${o.from} model imported to ${o.out}: ${artifact.inputs.length} input columns, ${(artifact.model.state as { n_iter: number }).n_iter} trees\n`,
      );
    });
}
