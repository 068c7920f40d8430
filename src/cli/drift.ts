import { join } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { cleanLeftovers, writeFileAtomic } from "../utils/fs.js";
import { checkOutputFile } from "../utils/output.js";
import { cliLogger, printJson } from "./common.js";

/** Exit code of `drift --fail-on-drift` when the verdict is drift (DESIGN.md reserves it). */
export const DRIFT_EXIT_CODE = 3;

const parseShare = (v: string): number => {
  const n = Number(v);
  if (v.trim() === "" || !(n >= 0 && n <= 1))
    throw new InvalidArgumentError(`--drift-share must be a number from 0 to 1, got "${v}"`);
  return n;
};

/**
 * Register `churnkit drift --model DIR --data FILE [--out FILE.html] [--json] [--fail-on-drift]`: compare a table
 * (or a request log of `serve --log-requests`) with the model's training distribution, column by column (PSI), and
 * the model's scores with its validation scores. Exit 3 with --fail-on-drift when the verdict is drift.
 */
export function driftCommand(program: Command): void {
  program
    .command("drift")
    .description(
      "check a table (or a server's request log) for drift from the model's training data, per column and in the score",
    )
    .requiredOption("--model <dir>", "model directory")
    .requiredOption(
      "--data <file>",
      "table to check (CSV, Parquet or JSON), or a JSON Lines request log of serve --log-requests",
    )
    .option("--out <file.html>", "write a self-contained HTML drift report")
    .option("--json", "print the result as JSON on stdout")
    .option("--fail-on-drift", `exit with code ${DRIFT_EXIT_CODE} when the verdict is drift`)
    .option(
      "--drift-share <s>",
      "overall drift needs at least this share of the input columns to drift (default 0: any one column); a drifted score is drift in any case",
      parseShare,
    )
    .action(
      async (o: {
        model: string;
        data: string;
        out?: string;
        json?: boolean;
        failOnDrift?: boolean;
        driftShare?: number;
      }) => {
        const log = cliLogger();
        if (o.out) {
          checkOutputFile(o.out, {
            flag: "--out",
            inputs: [
              { flag: "--data", path: o.data },
              { flag: "--model", path: join(o.model, "model.json") },
            ],
          });
          for (const p of (await cleanLeftovers(o.out)).removed) log.info(`removed ${p}, left by a killed run`);
        }
        const { loadModel } = await import("../artifact/churn-model.js");
        const { DriftCounter } = await import("../monitor/drift.js");
        const { scanForDrift } = await import("../monitor/read.js");
        const model = await loadModel(o.model);
        const counter = new DriftCounter(model.artifact, join(o.model, "model.json"));
        const scan = await scanForDrift(model, o.data, counter);
        const result = counter.result(o.driftShare ?? 0);
        if (scan.skippedLine !== undefined)
          log.warn(
            `${o.data}: skipped line ${scan.skippedLine}, the last one, as not yet complete (no line end, not valid JSON: the server may be writing it); the next check reads it`,
          );
        log.info(
          `checked ${scan.rows} rows${scan.requestLog ? " of a request log" : ""}: ${result.drifted_columns.length} of ${result.columns.length} input columns drifted; score PSI ${result.score.value.toFixed(3)}`,
        );
        if (o.out) {
          const { driftReport } = await import("../monitor/report.js");
          await writeFileAtomic(o.out, await driftReport({ result, artifact: model.artifact, data: o.data }));
          log.info(`drift report written to ${o.out}`);
        }
        if (o.json) printJson(result);
        else process.stdout.write(summary(result));
        if (o.failOnDrift && result.drifted) process.exitCode = DRIFT_EXIT_CODE;
      },
    );
}

type Result = import("../monitor/drift.js").DriftResult;

/** The human-readable result: one line per column, the score, the verdict. */
function summary(r: Result): string {
  // eslint-disable-next-line no-restricted-syntax -- one entry per input column, not per row
  const width = Math.max(6, ...[...r.columns, r.score].map((c) => c.column.length));
  const line = (c: Result["score"]) =>
    `${c.column.padEnd(width)}  PSI ${c.value.toFixed(3).padStart(6)}  ${c.band.padEnd(8)}  ${c.drifted ? "DRIFT" : "ok   "}  missing ${(c.missing_reference * 100).toFixed(1)}% → ${(c.missing_current * 100).toFixed(1)}%${c.unseen_levels ? `  ${c.unseen_levels} unseen level(s): ${(c.unseen_examples ?? []).join(", ")}` : ""}`;
  return (
    [
      ...r.columns.map(line),
      line(r.score),
      r.drifted
        ? `drift: ${r.drifted_columns.length} of ${r.columns.length} input columns drifted (${r.drifted_columns.join(", ") || "none"})${r.score.drifted ? "; the score drifted" : ""}`
        : `no drift (${r.rule})`,
    ].join("\n") + "\n"
  );
}
