/** Shared test helpers: temporary directories and small tables. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RawTable, RawValue } from "../src/data/load.js";
import type { ColumnType } from "../src/data/schema.js";
import type { TypedTable } from "../src/data/typed.js";

process.env.CHURNKIT_LOG_LEVEL = "silent";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const TELCO = join(ROOT, "data", "telco-customer-churn.csv");
export const TEST_IDS = join(ROOT, "tests", "fixtures", "telco-test-ids.json");

export const tmp = (prefix = "churnkit-test-"): string => mkdtempSync(join(tmpdir(), prefix));

export function write(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** A raw table from columns of values. */
export function raw(data: Record<string, RawValue[]>, origin = "test.csv"): RawTable {
  const columns = Object.keys(data);
  return { origin, columns, rows: data[columns[0]!]!.length, data };
}

/** A typed table: numbers → numeric (null → NaN), strings → categorical. */
export function typed(
  cols: Record<string, (number | null)[] | (string | null)[]>,
  types: Record<string, ColumnType> = {},
  origin = "test",
): TypedTable {
  const columns = new Map<string, { name: string; type: ColumnType; values: Float64Array | (string | null)[] }>();
  let rows = 0;
  for (const [name, vals] of Object.entries(cols)) {
    rows = vals.length;
    const isNum = vals.some((v) => typeof v === "number");
    const type = types[name] ?? (isNum ? "numeric" : "categorical");
    columns.set(name, {
      name,
      type,
      values:
        type === "categorical"
          ? (vals as (string | null)[])
          : Float64Array.from(vals as (number | null)[], (v) => (v === null ? NaN : v)),
    });
  }
  return { origin, rows, columns };
}

/** The bundled Telco CSV as header + lines (for writing samples). */
export function telcoLines(): { header: string; lines: string[] } {
  const all = readFileSync(TELCO, "utf8").trimEnd().split(/\r?\n/);
  return { header: all[0]!, lines: all.slice(1) };
}

/** Train and test CSVs of the scikit-learn reference split of the bundled Telco data (TEST_IDS), written in `dir`. */
export function telcoSplit(dir: string = tmp("churnkit-split-")): { train: string; test: string } {
  const testIds = new Set(JSON.parse(readFileSync(TEST_IDS, "utf8")) as string[]);
  const { header, lines } = telcoLines();
  const train = join(dir, "train.csv");
  const test = join(dir, "test.csv");
  writeFileSync(train, [header, ...lines.filter((l) => !testIds.has(l.split(",")[0]!))].join("\n") + "\n");
  writeFileSync(test, [header, ...lines.filter((l) => testIds.has(l.split(",")[0]!))].join("\n") + "\n");
  return { train, test };
}

/** Catch the error of a sync or async function (fails the test when nothing is thrown). */
export async function errorOf(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error, none was thrown");
}
