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
      const { fileSource } = await import("../data/load-typed.js");
      const { loadModel } = await import("../artifact/churn-model.js");
      const { describeContribution, topContributions } = await import("../artifact/explain.js");
      if (o.top < 1) throw new UserError(`--top must be at least 1, got ${o.top}`);
      const model = await loadModel(o.model);
      // Only the rows asked for are read back as text (the file is held in DuckDB, not as one JS string per cell).
      const source = await fileSource(o.data, { facts: false });
      let table;
      let rows: number[];
      try {
        rows = o.rows ? parseRows(o.rows) : Array.from({ length: Math.min(10, source.rows) }, (_, i) => i);
        const out = rows.find((r) => r >= source.rows);
        if (out !== undefined)
          throw new UserError(`${o.data}: row ${out} is out of range; the input has rows 0 to ${source.rows - 1}`);
        table = await source.rawRows(rows);
      } finally {
        source.close();
      }
      // Row k of `table` is file row rows[k]: explained as such, and numbered so in the output.
      const explained = (await model.explain(table)).map((e, k) => ({ ...e, row: rows[k]! }));
      if (o.json) return printJson(explained);
      const ids = model.artifact.id_columns.filter((c) => c in table.data);
      const lines: string[] = [];
      const s = model.survival;
      // A survival model's contributions are to the log hazard; its probability is of leaving within the first horizon.
      const what = s ? `chance of leaving within ${s.horizons[0]} (${s.duration})` : "churn probability";
      for (const [k, e] of explained.entries()) {
        const id = ids.map((c) => `${c} ${table.data[c]![k]}`).join(", ");
        lines.push(
          `row ${e.row}${id ? ` (${id})` : ""}: ${what} ${(e.probability * 100).toFixed(1)}%${e.probability >= model.threshold ? " — predicted to churn" : ""}`,
        );
        for (const [col, v] of topContributions(e, o.top)) {
          const value = col in table.data ? table.data[col]![k] : "(derived)";
          lines.push(`  ${describeContribution(col, value, v, s ? "churn hazard" : undefined)}`);
        }
      }
      process.stdout.write(lines.join("\n") + "\n");
    });
}
