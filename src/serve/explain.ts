/**
 * Explanations for POST /predict?explain=true. Kept apart so that it can follow the model's
 * explanation API: it calls `model.explain(rows)` when the model has one (a UserError from it,
 * such as a model too old to explain, is a 400), and reads each row's contributions in log-odds
 * per input column. A model without `explain` gets 400 "this model version cannot explain
 * predictions".
 */
import type { RawTable } from "../data/load.js";
import type { ChurnModel, RowsInput } from "../models/model.js";
import { UserError } from "../utils/errors.js";

/** How many contributions per row the server returns. */
export const TOP_CONTRIBUTIONS = 5;

/** One feature's push on the score (log-odds), as the server returns it. */
export interface Contribution {
  /** The input column (one-hot and derived model columns folded back into it). */
  feature: string;
  /** The row's value of that column, when the explainer reports it. */
  value?: unknown;
  /** How much it moved the row's raw score (log-odds) from the model's baseline; positive pushes towards churn. */
  contribution: number;
}

type Explainer = (rows: RowsInput) => unknown;

/** The model's explain method, if it has one. */
export function explainerOf(model: ChurnModel): Explainer | undefined {
  const fn = (model as unknown as { explain?: unknown }).explain;
  return typeof fn === "function" ? (fn.bind(model) as Explainer) : undefined;
}

/** The error (HTTP 4xx) when the loaded model has no explain method, so a request with `explain` cannot be answered. */
export const CANNOT_EXPLAIN = "this model version cannot explain predictions";

/** Throw the 400 of a model without explanations. Call before scoring. */
export function assertCanExplain(model: ChurnModel): void {
  if (!explainerOf(model)) throw new UserError(CANNOT_EXPLAIN);
}

/**
 * One row's contributions out of the explainer's result, in any of the shapes it may take:
 * `{contributions: {column: number}}` (ChurnModel.explain), or a list of {feature, contribution}.
 */
function contributionsOf(item: unknown, valueOf: (column: string) => unknown): Contribution[] {
  const raw = Array.isArray(item) ? item : (item as { contributions?: unknown } | null)?.contributions;
  let list: Contribution[];
  if (Array.isArray(raw)) {
    list = raw.map((c: Record<string, unknown>): Contribution => {
      const feature = String(c.feature ?? c.name ?? c.column ?? "?");
      const value = c.value !== undefined ? c.value : valueOf(feature);
      return { feature, value, contribution: Number(c.contribution ?? c.shap ?? 0) };
    });
  } else if (raw !== null && typeof raw === "object") {
    list = Object.entries(raw as Record<string, unknown>).map(([feature, c]) => ({
      feature,
      value: valueOf(feature),
      contribution: Number(c),
    }));
  } else list = [];
  return list.filter((c) => Number.isFinite(c.contribution));
}

/** The top {@link TOP_CONTRIBUTIONS} contributions (by size) of each row, in row order, with the row's input value. */
export async function explainRows(model: ChurnModel, table: RawTable): Promise<Contribution[][]> {
  const explain = explainerOf(model);
  if (!explain) throw new UserError(CANNOT_EXPLAIN);
  const result = await explain(table);
  const perRow = Array.isArray(result) ? result : ((result as { rows?: unknown[] } | null)?.rows ?? []);
  return perRow.map((item, i) => {
    const row = typeof (item as { row?: unknown })?.row === "number" ? (item as { row: number }).row : i;
    const valueOf = (column: string) => table.data[column]?.[row] ?? null;
    return contributionsOf(item, valueOf)
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, TOP_CONTRIBUTIONS);
  });
}
