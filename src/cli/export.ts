import { join } from "node:path";
import type { Command } from "commander";
import { UserError } from "../utils/errors.js";
import { cleanLeftovers, writeFileAtomic } from "../utils/fs.js";
import { checkOutputFile } from "../utils/output.js";
import { cliLogger } from "./common.js";

/**
 * Register `churnkit export --model DIR --format onnx|sql --out FILE [--force]`: write the model in a format another
 * engine scores (formats in src/export/formats.ts). An existing --out is replaced only with --force.
 */
export function exportCommand(program: Command): void {
  program
    .command("export")
    .description("write the model as a file another engine scores: one SQL query (sql) or an ONNX graph (onnx)")
    .requiredOption("--model <dir>", "model directory")
    .requiredOption("--format <name>", "export format: onnx or sql")
    .requiredOption("--out <file>", "file to write")
    .option("--force", "replace --out if it exists")
    .action(async (o: { model: string; format: string; out: string; force?: boolean }) => {
      const { formats } = await import("../export/formats.js");
      const format = Object.hasOwn(formats, o.format) ? formats[o.format] : undefined;
      if (!format)
        throw new UserError(
          `--format: unknown export format "${o.format}"; known: ${Object.keys(formats).sort().join(", ")}`,
        );
      checkOutputFile(o.out, {
        flag: "--out",
        inputs: [{ flag: "--model", path: join(o.model, "model.json") }],
        overwrite: o.force === true,
        overwriteHint: "pass --force to replace it, or choose another output path",
      });
      const log = cliLogger();
      for (const p of (await cleanLeftovers(o.out)).removed) log.info(`removed ${p}, left by a killed run`);
      const { loadModel } = await import("../artifact/churn-model.js");
      const { artifact } = await loadModel(o.model);
      await format.prepare?.(artifact);
      const content = format.write(artifact);
      await writeFileAtomic(o.out, content);
      const bytes = typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
      process.stdout.write(
        `model (${artifact.model.family}) exported as ${format.name} to ${o.out} (${bytes} bytes)\n`,
      );
    });
}
