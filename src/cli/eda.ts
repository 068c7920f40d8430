import type { Command } from "commander";
import { UserError } from "../utils/errors.js";
import { cleanLeftovers, writeFileAtomic } from "../utils/fs.js";
import { checkOutputFile } from "../utils/output.js";
import { cliLogger, printJson } from "./common.js";

/**
 * `churnkit eda --data FILE [--target COL] --out FILE.html`: profile a table and write one
 * self-contained HTML report (atomically). When the data has a problem that the report can still
 * show (a column entirely missing, a target with one value), the report is written, states the
 * problem, and the command exits 2 with that problem as its one line.
 */
export function edaCommand(program: Command): void {
  program
    .command("eda")
    .description(
      "explore a table: types, missing values, distributions, churn rates, correlations and warnings, as one self-contained HTML report",
    )
    .requiredOption("--data <file>", "table to explore (CSV, Parquet or JSON)")
    .option("--target <col>", "target column (default: guessed by name, e.g. Churn)")
    .option("--positive <label>", "the target's positive label (default: inferred, e.g. Yes of Yes/No)")
    .requiredOption("--out <file.html>", "report to write")
    .option("--json", "also print the profile as JSON on stdout")
    .action(async (o: { data: string; target?: string; positive?: string; out: string; json?: boolean }) => {
      const log = cliLogger();
      // Before the profile, so that a bad --out fails at once; an existing regular file is replaced (atomically).
      checkOutputFile(o.out, { flag: "--out", inputs: [{ flag: "--data", path: o.data }] });
      for (const p of (await cleanLeftovers(o.out)).removed) log.info(`removed ${p}, left by a killed run`);
      // Loaded here so that other subcommands do not pay for DuckDB and vega at start-up.
      const { profile } = await import("../eda/profile.js");
      // The report's chart modules (vega) load while DuckDB computes the profile on its own threads.
      const reportModule = import("../eda/report.js");
      reportModule.catch(() => {}); // a load failure surfaces at the await below, not as an unhandled rejection
      const p = await profile(o.data, { target: o.target, positive: o.positive });
      const { edaReport } = await reportModule;
      const html = await edaReport(p);
      await writeFileAtomic(o.out, html);
      log.info(
        `profiled ${p.rows} rows × ${p.columns.length} columns in ${(p.elapsedMs / 1000).toFixed(1)} s; report written to ${o.out}`,
      );
      for (const w of p.warnings.filter((w) => w.severity === "warning")) log.warn(w.message);
      if (o.json) printJson(p);
      const problem = p.warnings.find((w) => w.severity === "error");
      if (problem) throw new UserError(`${problem.message} (the report ${o.out} shows it)`);
    });
}
