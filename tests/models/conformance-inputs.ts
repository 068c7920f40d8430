/** The input columns and preprocessing options both conformance suites (classifiers, survival) encode with. */

/** x (numeric, with missing values), noise (numeric) and plan (categorical). */
export const inputs = [
  { column: "x", type: "numeric" as const },
  { column: "noise", type: "numeric" as const },
  { column: "plan", type: "categorical" as const },
];

/** Median and most-frequent imputation, unseen categories ignored. */
export const opts = {
  numeric_imputation: "median" as const,
  categorical_imputation: "most_frequent" as const,
  unseen_category: "ignore" as const,
  max_categories: 50,
  min_category_count: 1,
};
