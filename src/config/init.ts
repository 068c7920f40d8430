/**
 * `churnkit init`: a commented YAML config for a data file, with the columns and their
 * inferred types, the guessed target and identifiers, and every setting at its default,
 * so that a user starts from something that runs.
 */
import { guessTarget, inferSchemaFrom, type FactsTable, type Schema } from "../data/schema.js";
import YAML from "yaml";
import { family, knownFamilies } from "../learners/registry.js";
import { configSchema } from "./schema.js";

/** A value on one line after `key: ` (lists in flow style, `[a, b]`: a block list there is not valid YAML). */
const q = (v: unknown): string => YAML.stringify(v, { lineWidth: 0, collectionStyle: "flow" }).trim();

/** Column names that say "how long this customer has stayed". */
const DURATION_NAME =
  /^(tenure|tenure_?months|months?|days|days_?active|weeks|duration|lifetime|months_?active|account_?length|age_?days)$/i;

/**
 * A column that is obviously the survival task's duration: named like one (tenure, months, days_active, ...), numeric,
 * every value a number >= 0 (missing ones aside). Undefined when none or several are.
 */
export function guessDuration(t: FactsTable, schema: Schema): string | undefined {
  const found = schema.columns.filter((c) => {
    if (c.type !== "numeric" || c.role !== "feature" || !DURATION_NAME.test(c.name.replace(/\s+/g, "_"))) return false;
    const f = t.facts(c.name);
    return f.numeric === f.nonMissing && f.min >= 0;
  });
  return found.length === 1 ? found[0]!.name : undefined;
}

/**
 * The text `churnkit init` writes: every config key with its default and description, and, when a table is
 * given, its inferred target, id columns and column types filled in.
 */
export function initConfigText(t: FactsTable | undefined, dataPath: string | undefined): string {
  const d = configSchema.parse({});
  const schema = t ? inferSchemaFrom(t, { oddNumbers: "warn" }) : undefined; // training names odd cells
  const target = schema ? guessTarget(schema) : undefined;
  const duration = t && schema ? guessDuration(t, schema) : undefined;
  const ids = schema
    ? schema.columns.filter((c) => c.role === "identifier" && c.name !== target).map((c) => c.name)
    : [];
  const L: string[] = [];
  L.push("# churnkit configuration. Every key is optional; the value shown is the default unless noted.");
  L.push("# Command-line flags override this file. Check it with: churnkit run --config THIS_FILE");
  L.push("");
  L.push("# Seed for every random choice: the same seed gives a byte-identical model.json.");
  L.push(`seed: ${d.seed}`);
  L.push(
    "# Threads for the gbdt and forest fits and DuckDB (default min(2, cores)); the model is the same on any number.",
  );
  L.push("# threads: 2");
  L.push("");
  L.push("data:");
  L.push("  # Training table: CSV, Parquet or JSON (relative to this file).");
  L.push(dataPath ? `  path: ${q(dataPath)}` : "  # path: customers.csv   (default: the bundled Telco churn data)");
  L.push("  # Target column; its positive label is inferred for Yes/No, 1/0, true/false.");
  L.push(
    target
      ? `  target: ${q(target)}   # guessed from the data`
      : "  # target: Churn   (no obvious target found: set it)",
  );
  L.push("  # positive: Yes   # the label that means churn, needed when not obvious");
  L.push(
    "  # Identifier columns: kept in predictions, never features. Unique-per-row text columns are found automatically.",
  );
  L.push(`  id_columns: ${q(ids)}`);
  L.push("  # Columns to leave out entirely.");
  L.push("  drop: []");
  L.push("  # Force a type where inference guesses wrong: numeric, categorical or boolean.");
  L.push("  types: {}");
  L.push("  # Columns that alone separate the classes (single-column AUC above 0.99, a sign of target leakage)");
  L.push("  # but are known before the customer churns: list them once checked and training stops warning.");
  L.push("  allow_leaky: []");
  L.push(
    "  # Duration column: how long each customer has stayed (e.g. months of tenure). Set, training fits a survival",
  );
  L.push("  # model of when customers leave (families cox, gbdt or auto); never a feature.");
  L.push(
    duration
      ? `  # duration: ${q(duration)}   # looks like one (named so, numbers >= 0): uncomment to predict when customers leave`
      : "  # duration: tenure",
  );
  if (schema) {
    L.push("  # Columns found (name: type, role):");
    for (const c of schema.columns)
      L.push(
        `  #   ${c.name}: ${c.type}, ${c.name === target ? "target" : c.role}${c.nullable ? ", has missing values" : ""}${c.note ? ` (${c.note})` : ""}`,
      );
  }
  L.push("");
  L.push("split:");
  L.push("  # Share held out as the test set by `churnkit run` (stratified).");
  L.push(`  test_size: ${d.split.test_size}`);
  L.push("  # Share of training rows held out for validation metrics and early stopping.");
  L.push(`  validation_size: ${d.split.validation_size}`);
  L.push("  # Cross-validation folds for `model.family: auto`.");
  L.push(`  folds: ${d.split.folds}`);
  L.push("");
  L.push("preprocess:");
  L.push("  # Fill for missing numbers (models that need it): median or mean.");
  L.push(`  numeric_imputation: ${d.preprocess.numeric_imputation}`);
  L.push("  # Fill for missing categories: most_frequent or missing_level.");
  L.push(`  categorical_imputation: ${d.preprocess.categorical_imputation}`);
  L.push("  # A category not seen in training: ignore (encode as unknown, flag it) or error.");
  L.push(`  unseen_category: ${d.preprocess.unseen_category}`);
  L.push(
    '  # Cap per categorical column: at most this many levels, each seen at least min_category_count times; the rest share one "(other)" level.',
  );
  L.push(`  max_categories: ${d.preprocess.max_categories}`);
  L.push(`  min_category_count: ${d.preprocess.min_category_count}`);
  L.push("");
  L.push("features:");
  L.push(
    "  # Derived features: name: SQL expression over input columns, evaluated by DuckDB at training and prediction.",
  );
  L.push("  derived: {}");
  L.push("  # derived:");
  L.push('  #   avg_monthly_charge: "TotalCharges / NULLIF(tenure, 0)"');
  L.push("  # Drop features with a single value, and features missing in more than max_missing_share of rows.");
  L.push(`  drop_constant: ${d.features.drop_constant}`);
  L.push(`  max_missing_share: ${d.features.max_missing_share}`);
  L.push("");
  L.push("model:");
  L.push("  # A model family, or auto (cross-validated choice among the families in search.families):");
  for (const name of knownFamilies()) L.push(`  #   ${name}: ${family(name).report.description}`);
  L.push(`  family: ${d.model.family}`);
  L.push("  # Hyperparameters of the family (see the README), e.g. logreg { C: 1.0, class_weight: balanced },");
  L.push("  # gbdt { learning_rate: 0.1, max_leaf_nodes: 31, min_samples_leaf: 20 }, forest { n_estimators: 100 }.");
  L.push("  # max_bins (tree, forest, gbdt): at most that many bins per feature, plus one for missing; null = exact.");
  L.push("  params: {}");
  L.push(
    "  # Decision threshold: f1 (best F1 on the validation split), profit (needs economics), or a probability such as 0.4.",
  );
  L.push(`  threshold: ${d.model.threshold}`);
  L.push("  # Retention economics for `threshold: profit`:");
  L.push("  # economics: { value_saved: 500, offer_cost: 40, success_rate: 0.3 }");
  L.push("  # Probability calibration on the validation split: none, platt or isotonic.");
  L.push(`  calibration: ${d.model.calibration}`);
  L.push("  # Refit on all training rows after measuring on the validation split.");
  L.push(`  refit: ${d.model.refit}`);
  L.push("");
  L.push("search:");
  L.push("  # Families compared by `auto`, and random hyperparameter candidates per family besides the defaults.");
  L.push(`  families: ${q(d.search.families)}`);
  L.push(`  candidates: ${d.search.candidates}`);
  L.push("  # Cross-validate on at most this many training rows (stratified sample); the winner is fitted on all.");
  L.push(`  max_rows: ${d.search.max_rows}`);
  L.push("");
  L.push("evaluation:");
  L.push("  # Shuffles per column for permutation importance on held-out rows (0 skips it).");
  L.push(`  permutation_repeats: ${d.evaluation.permutation_repeats}`);
  L.push("  # Bootstrap resamples for a 95% interval of the test AUC (0 skips it).");
  L.push(`  bootstrap: ${d.evaluation.bootstrap}`);
  L.push("  # Permutation importance is measured on at most this many held-out rows (stratified sample).");
  L.push(`  importance_max_rows: ${d.evaluation.importance_max_rows}`);
  L.push("");
  L.push("survival:");
  L.push("  # With data.duration: horizons in the duration's unit; predictions get churn_within_H for each.");
  L.push(`  horizons: ${q(d.survival.horizons)}`);
  L.push("  # A value per duration unit (e.g. MonthlyCharges): predictions get revenue_at_risk_H as well.");
  L.push("  # value: MonthlyCharges");
  L.push("");
  L.push("# Model directory written by `churnkit run`.");
  L.push(`out: ${q(d.out)}`);
  return L.join("\n") + "\n";
}
