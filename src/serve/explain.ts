/**
 * Explanations for POST /predict?explain=true: `ChurnModel.explain` (artifact/explain.ts), cut to
 * the largest {@link TOP_CONTRIBUTIONS} per row with artifact/explain's `topContributions` (the
 * same order as `churnkit explain` and the report), each with the row's input value. A model
 * that cannot explain (model.json from an older churnkit) is a 400 that starts with
 * {@link CANNOT_EXPLAIN} (the served page falls back to plain scoring on it), checked before scoring.
 */
import type { RawTable } from "../data/load.js";
import { explainerFor, topContributions } from "../artifact/explain.js";
import type { ChurnModel } from "../artifact/churn-model.js";
import { UserError } from "../utils/errors.js";

/** Start of the 400 message of a model that cannot explain; the cause follows. */
export const CANNOT_EXPLAIN = "this model version cannot explain predictions";

/** Per model: null when it can explain, else why not (explainerFor's UserError message). */
const verdicts = new WeakMap<ChurnModel, string | null>();

/** Throw the 400 of a model that cannot explain (artifact/explain's own check, done once per model). Call before scoring. */
export function assertCanExplain(model: ChurnModel): void {
  let why = verdicts.get(model);
  if (why === undefined) {
    try {
      explainerFor(model.artifact);
      why = null;
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      why = e.message;
    }
    verdicts.set(model, why);
  }
  if (why !== null) throw new UserError(`${CANNOT_EXPLAIN}: ${why}`);
}

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
