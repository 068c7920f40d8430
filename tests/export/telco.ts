/** The Telco train/test split of the reference (tests/fixtures/telco-test-ids.json), models trained on it, and
 * the `input` relation of the test rows, typed as the model types them. */
import { loadTable, type RawTable } from "../../src/data/load.js";
import { typeTable } from "../../src/data/typed.js";
import { train } from "../../src/pipeline/api.js";
import type { ChurnModel } from "../../src/artifact/churn-model.js";
import type { InputTable } from "./engines.js";

export { telcoSplit } from "../helpers.js";

/** A model of `family` trained on `trainCsv` (seed 42, customerID as the identifier), written to `out`. */
export async function trainTelco(
  trainCsv: string,
  family: string,
  out: string,
  model: Record<string, unknown> = {},
  features: Record<string, unknown> = {},
): Promise<ChurnModel> {
  const r = await train({
    data: trainCsv,
    target: "Churn",
    idColumns: ["customerID"],
    model: family,
    seed: 42,
    config: { model, features },
    out,
  });
  return r.model;
}

/** The `input` relation of a raw table: the model's id columns and inputs, typed as churnkit types them. */
export function inputOf(model: ChurnModel, rawTable: RawTable): InputTable {
  const typed = typeTable(rawTable, model.artifact.inputs);
  return {
    rows: rawTable.rows,
    columns: [
      ...model.artifact.id_columns.map((c) => ({
        name: c,
        type: "categorical" as const,
        values: rawTable.data[c]! as (string | null)[],
      })),
      ...[...typed.columns.values()].map((c) => ({
        name: c.name,
        type: c.type,
        values:
          c.type === "boolean"
            ? Array.from(c.values as Float64Array, (v) => (Number.isNaN(v) ? null : v === 1))
            : c.values,
      })),
    ],
  };
}

export { loadTable };
