/**
 * The target-leakage rule, one for `churnkit eda` and for training (src/evaluation/leakage.ts): a column
 * that alone separates the classes almost perfectly is probably recorded after (or because) the customer
 * churned. How well a column separates them is its single-column AUC: the ROC AUC of the value (numeric
 * and boolean columns) or of the in-sample churn rate of its category (categorical columns, ties one
 * half), folded to at least 0.5. eda computes it in DuckDB SQL over the file, training on typed arrays.
 */

/** Single-column AUC above which a column is flagged as possible target leakage. */
export const LEAK_AUC = 0.99;
/** The AUC of a category mapping is only checked for columns with at most this many values (and at most rows / 5). */
export const LEAK_MAX_LEVELS = 100;

/** Whether a categorical column with `levels` distinct values in `rows` rows has a meaningful category AUC. */
export const leakCheckable = (levels: number, rows: number): boolean =>
  levels >= 2 && levels <= Math.min(LEAK_MAX_LEVELS, rows / 5);

/** An AUC folded to at least 0.5: a column that ranks churners last separates them as well as one that ranks them first. */
export const foldAuc = (auc: number): number => Math.max(auc, 1 - auc);

/** Whether a (folded) single-column AUC counts as possible leakage. */
export const leaks = (auc: number | null | undefined): auc is number =>
  auc !== undefined && auc !== null && auc > LEAK_AUC;

/**
 * How a leaking column separates the classes, for messages: a threshold for numbers, the churn rate per
 * value for categories and booleans (for two values both AUCs are the same).
 */
export function leakHow(type: "numeric" | "boolean" | "categorical", auc: number): string {
  return type === "numeric"
    ? `a threshold on it separates the classes with AUC ${auc.toFixed(3)}`
    : `its values map to churn almost perfectly (AUC ${auc.toFixed(3)} from the churn rate per value)`;
}
