/**
 * Explanations for POST /predict?explain=true: `ChurnModel.explain` (models/explain.ts), cut to
 * the largest {@link TOP_CONTRIBUTIONS} per row with models/explain's `topContributions` (the
 * same order as `churnkit explain` and the report), each with the row's input value. A model
 * that cannot explain (model.json from an older churnkit) throws its UserError: a 400.
 */
import type { RawTable } from "../data/load.js";
import { topContributions } from "../models/explain.js";
import type { ChurnModel } from "../models/model.js";

/** How many contributions per row the server returns. */
export const TOP_CONTRIBUTIONS = 5;

/** One feature's push on the score (log-odds), as the server returns it. */
export interface Contribution {
  /** Input column (a derived feature's name when it is one). */
  feature: string;
  /** The row's value of that column; null when missing or when the feature is derived (not in the input). */
  value?: unknown;
  /** Log-odds contribution. */
  contribution: number;
}

/** The top {@link TOP_CONTRIBUTIONS} contributions (by size) of each row, in row order, with the row's input value. */
export async function explainRows(model: ChurnModel, table: RawTable): Promise<Contribution[][]> {
  const explained = await model.explain(table);
  return explained.map((e) =>
    topContributions(e, TOP_CONTRIBUTIONS).map(([feature, contribution]) => ({
      feature,
      value: table.data[feature]?.[e.row] ?? null,
      contribution,
    })),
  );
}
