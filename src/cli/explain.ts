import type { Command } from "commander";
import { UserError } from "../utils/errors.js";
import { cliLogger, parseIntArg, printJson } from "./common.js";

const parseRows = (v: string): number[] =>
  v.split(",").map((s) => {
    const t = s.trim();
    if (!/^\d+$/.test(t))
      throw new UserError(`--rows: "${t}" is not a row number; give 0-based row numbers like 0,5,9`);
    return Number(t);
  });

/** Register `churnkit explain`: per-row contributions behind a saved model's predictions. */
export function explainCommand(program: Command): void {
  program
    .command("explain")
    .description(
      "explain predictions per customer: each input column's contribution to the churn log-odds (exact TreeSHAP / linear)",
    )
    .requiredOption("--model <dir>", "model directory")
    .requiredOption("--data <file>", "customers to explain (CSV, Parquet or JSON)")
    .option("--rows <n,...>", "0-based rows to explain (default: the first 10)")
    .option("--top <k>", "reasons per customer in the text output", parseIntArg("--top"), 5)
    .option("--json", "print every row's base_value and contributions as JSON")
    .action(async (o: { model: string; data: string; rows?: string; top: number; json?: boolean }) => {
      cliLogger();
      const { loadTable } = await import("../data/load.js");
      const { loadModel } = await import("../artifact/churn-model.js");
      const { describeContribution, topContributions } = await import("../artifact/explain.js");
      if (o.top < 1) throw new UserError(`--top must be at least 1, got ${o.top}`);
      const model = await loadModel(o.model);
      const table = await loadTable(o.data);
      const rows = o.rows ? parseRows(o.rows) : Array.from({ length: Math.min(10, table.rows) }, (_, i) => i);
      const explained = await model.explain(table, { rows });
      if (o.json) return printJson(explained);
      const ids = model.artifact.id_columns.filter((c) => c in table.data);
      const lines: string[] = [];
      const s = model.survival;
      // A survival model's contributions are to the log hazard; its probability is of leaving within the first horizon.
      const what = s ? `chance of leaving within ${s.horizons[0]} (${s.duration})` : "churn probability";
      for (const e of explained) {
        const id = ids.map((c) => `${c} ${table.data[c]![e.row]}`).join(", ");
        lines.push(
          `row ${e.row}${id ? ` (${id})` : ""}: ${what} ${(e.probability * 100).toFixed(1)}%${e.probability >= model.threshold ? " — predicted to churn" : ""}`,
        );
        for (const [col, v] of topContributions(e, o.top)) {
          const value = col in table.data ? table.data[col]![e.row] : "(derived)";
          lines.push(`  ${describeContribution(col, value, v, s ? "churn hazard" : undefined)}`);
        }
      }
      process.stdout.write(lines.join("\n") + "\n");
    });
}
