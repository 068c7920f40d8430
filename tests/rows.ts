/** Shared by the row-count tests: a large Telco-shaped CSV with unique ids, and a model with a derived feature. */
import { join } from "node:path";
import { train } from "../src/pipeline/api.js";
import { telcoLines, TELCO, tmp, write } from "./helpers.js";

/** More rows than one DuckDB chunk (2,048) and than one scoring batch (16,384). */
export const MANY = 40_000;

/** A derived feature (evaluated by DuckDB per scoring batch, the case that once cut streams short). */
export const DERIVED = { avg_charge: "TotalCharges / NULLIF(tenure, 0)" };

/** CSV text of `n` Telco rows (cycled) whose customerIDs are C0, C1, ... in order; `edit` may change a row's fields. */
export function telcoCsv(n: number, edit?: (fields: string[], i: number) => void, target = true): string {
  const { header, lines } = telcoLines();
  const out: string[] = [target ? header : header.replace(/,Churn$/, "")];
  for (let i = 0; i < n; i++) {
    const fields = lines[i % lines.length]!.split(",");
    fields[0] = `C${i}`;
    if (!target) fields.pop();
    edit?.(fields, i);
    out.push(fields.join(","));
  }
  return out.join("\n") + "\n";
}

/** Write {@link telcoCsv} to a new temporary directory; returns the file's path. */
export const telcoFile = (n: number, edit?: (fields: string[], i: number) => void): string =>
  write(tmp(), `telco-${n}.csv`, telcoCsv(n, edit));

/** Train `family` with {@link DERIVED} on the bundled Telco data into a temporary model directory. */
export async function derivedModel(family = "logreg"): Promise<string> {
  const dir = join(tmp("churnkit-derived-"), family);
  await train({ data: TELCO, model: family, config: { features: { derived: DERIVED } }, out: dir });
  return dir;
}

/** The first field (the customerID) of every data row of scored CSV text. */
export function scoredIds(csv: string): string[] {
  const lines = csv.trimEnd().split("\n");
  return lines.slice(1).map((l) => l.slice(0, l.indexOf(",")));
}

/** C0, C1, ..., C{n-1}: the ids {@link telcoCsv} writes, in order. */
export const idsInOrder = (n: number): string[] => Array.from({ length: n }, (_, i) => `C${i}`);
