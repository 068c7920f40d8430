/**
 * The configuration schema (zod). Every key has a default, so an empty config is valid;
 * the defaults train on the bundled Telco data. `churnkit init` writes this schema out as
 * commented YAML, so keep descriptions short and true.
 */
import { z } from "zod";
import { autoFamilies, isFamily, knownFamilies } from "../learners/registry.js";
import { show } from "../utils/errors.js";
import { given } from "../utils/zod-errors.js";
import { MAX_THREADS } from "../utils/threads.js";

/**
 * The name of a registered model family (`logreg`, `tree`, `forest`, `gbdt`, or one added with
 * `registerFamily`). Family names are checked when a config is parsed, against the registry as it
 * is then, so that a family registered after this module loads is accepted.
 */
export type ModelFamily = string;

/** The error for a bad choice (utils/zod-errors.ts' wording), with the choices read from the registry at parse time. */
const choices = (extra: string[]) => (issue: { input?: unknown }) =>
  `expected one of ${[...knownFamilies(), ...extra].map((f) => JSON.stringify(f)).join(", ")}, got ${show(issue.input)}`;
/** A registered family's name (JSON Schema: the registry's names, added when the schema is generated). */
export const familyNameSchema = z.string().refine(isFamily, { error: choices([]) });
/** A registered family's name, or `auto`. */
export const familyOrAutoSchema = z.string().refine((f) => f === "auto" || isFamily(f), { error: choices(["auto"]) });

const columnName = z.string().min(1);

/** The `data` section: which table to train on, its target and the columns to keep out of the features. */
export const dataSchema = z
  .object({
    /** Training table: CSV, Parquet or JSON. Default: the bundled Telco data. */
    path: z.string().min(1).optional(),
    /** Target column (0/1, Yes/No, true/false, or any labels with `positive`). Default: guessed (a two-valued column named like churn). */
    target: columnName.optional(),
    /** The target label that means churn; needed when it is not obvious. */
    positive: z.string().optional(),
    /** Identifier columns: kept in predictions, never used as features. Unique-per-row text columns are found automatically. */
    id_columns: z.array(columnName).default([]),
    /** Columns to leave out entirely. */
    drop: z.array(columnName).default([]),
    /** Force a column's type when inference guesses wrong. */
    types: z.record(z.string(), z.enum(["numeric", "categorical", "boolean"])).default({}),
    /**
     * Columns checked and known before churn although they alone separate the classes (single-column AUC
     * above 0.99): training logs no leakage warning for them (metrics.json still records them).
     */
    allow_leaky: z.array(columnName).default([]),
    /**
     * Duration column (e.g. tenure in months, >= 0) for the survival task: then the target is the event (churned at
     * that duration, else still a customer) and the model predicts when customers leave. Never a feature.
     */
    duration: columnName.optional(),
  })
  .strict();

/** The `split` section: how rows are held out for testing, validation and cross-validation. */
export const splitSchema = z
  .object({
    /** Share of rows held out as the test set by `run` (stratified). */
    test_size: z.number().gt(0).lt(1).default(0.2),
    /** Share of the training rows held out for validation metrics and early stopping (stratified). */
    validation_size: z.number().gt(0).lt(1).default(0.2),
    /** Folds for cross-validation in `--model auto`. */
    folds: z.number().int().min(2).max(20).default(5),
  })
  .strict();

/** The `preprocess` section: imputation and category handling, learned on training rows and stored in the model. */
export const preprocessSchema = z
  .object({
    /** Fill for missing numbers (models that cannot take missing values): median or mean of training. */
    numeric_imputation: z.enum(["median", "mean"]).default("median"),
    /** Fill for missing categories: the most frequent level, or a level of its own. */
    categorical_imputation: z.enum(["most_frequent", "missing_level"]).default("most_frequent"),
    /** A category never seen in training: "ignore" encodes it as unknown (all-zero one-hot, or missing for trees) and flags it; "error" rejects the row. */
    unseen_category: z.enum(["ignore", "error"]).default("ignore"),
    /** At most this many levels per categorical column; rarer levels share one "other" level. */
    max_categories: z.number().int().min(1).max(1000).default(100),
    /** Levels seen fewer times than this in training share the "other" level. */
    min_category_count: z.number().int().min(1).default(5),
  })
  .strict();

/** The `features` section: derived features (row-wise SQL expressions) and automatic feature selection. */
export const featuresSchema = z
  .object({
    /** Derived features: name → SQL expression over input columns, evaluated by DuckDB at training and prediction. */
    derived: z
      .record(
        z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a feature name must be a letter or _ followed by letters, digits or _"),
        z.string().min(1),
      )
      .default({}),
    /** Drop features with a single value in training. */
    drop_constant: z.boolean().default(true),
    /** Drop features missing in more than this share of training rows. */
    max_missing_share: z.number().gt(0).max(1).default(0.95),
  })
  .strict();

/**
 * Retention economics (`model.economics`): what a saved customer is worth and what an offer costs, for `threshold:
 * profit`.
 */
export const economicsSchema = z
  .object({
    /** Value of keeping a customer who would have churned (e.g. a year of margin). */
    value_saved: z.number({ error: "expected a number (the value of a saved customer)" }).nonnegative(),
    /** Cost of one retention offer, paid for every contacted customer. */
    offer_cost: z.number({ error: "expected a number (the cost of one offer)" }).nonnegative(),
    /** Share of contacted churners the offer keeps, from 0 to 1. */
    success_rate: z.number({ error: "expected a number from 0 to 1" }).min(0).max(1),
  })
  .strict();

/**
 * model.threshold's error names both of its forms, whichever was meant: zod would report only the branch the value's
 * type matched ("expected a number less than 1, got 2"), leaving the words unsaid.
 */
const thresholdError = (issue: { input?: unknown }) =>
  `expected "f1", "profit" or a fixed probability greater than 0 and less than 1, got ${given(issue.input)}`;

/** The `model` section: the family, its hyperparameters, the decision threshold and calibration. */
export const modelSchema = z
  .object({
    /** A registered family (logreg, tree, forest, gbdt, ...), or auto (cross-validated choice among search.families). */
    family: familyOrAutoSchema.default("logreg"),
    /**
     * Hyperparameters of the family (see README); checked against the family's own schema. `max_bins` means
     * the same in tree, forest and gbdt: at most that many value bins per feature plus one for missing,
     * numeric edges from the quantiles of at most 200,000 training rows sampled with the seed; null (tree's
     * default, forest too) = exact thresholds. Defaults: tree null, forest 255, gbdt 255 (its maximum).
     */
    params: z.record(z.string(), z.unknown()).default({}),
    /**
     * Decision threshold: "f1" (the validation threshold with the best F1), "profit" (the one
     * maximising expected retention profit, see `economics`), or a fixed probability in (0, 1).
     */
    threshold: z
      .union([z.enum(["f1", "profit"]), z.number().gt(0, { error: thresholdError }).lt(1, { error: thresholdError })], {
        error: thresholdError,
      })
      .default("f1"),
    /** Retention economics, required with `threshold: profit`. */
    economics: economicsSchema.optional(),
    /** Probability calibration fitted on the validation split: none, platt or isotonic. */
    calibration: z.enum(["none", "platt", "isotonic"]).default("none"),
    /** After measuring on the validation split, refit on all training rows. */
    refit: z.boolean().default(true),
  })
  .strict();

/** The `search` section: what `family: auto` compares and how many random candidates it tries. */
export const searchSchema = z
  .object({
    /** Families `auto` compares. Default: every registered family that does not opt out (the four built-in ones). */
    families: z.array(familyNameSchema).min(1).default(autoFamilies),
    /** Random hyperparameter candidates per family, besides the defaults (successive halving keeps the best). */
    candidates: z.number().int().min(0).max(50).default(4),
    /**
     * At most this many training rows are cross-validated (a stratified sample, so the search costs the same on any
     * larger table); the winner is then fitted on every training row.
     */
    max_rows: z.number().int().min(100).default(50_000),
  })
  .strict();

/** The `evaluation` section: the optional extra measurements (permutation importance, bootstrap AUC interval). */
export const evaluationSchema = z
  .object({
    /** Shuffles per column for permutation importance on held-out rows; 0 skips it. */
    permutation_repeats: z.number().int().min(0).max(100).default(5),
    /** Bootstrap resamples for a 95% confidence interval of test AUC; 0 skips it. */
    bootstrap: z.number().int().min(0).max(10000).default(0),
    /** Permutation importance is measured on at most this many held-out rows (a stratified sample). */
    importance_max_rows: z.number().int().min(100).default(50_000),
  })
  .strict();

/** The `survival` section: what a survival model (one with `data.duration`) predicts for each customer. */
export const survivalSchema = z
  .object({
    /** Horizons, in the duration's unit: each prediction has churn_within_H, the chance of leaving within H from now. */
    horizons: z
      .array(z.number().gt(0))
      .min(1)
      .refine((h) => h.every((x, i) => i === 0 || x > h[i - 1]!), "expected ascending horizons, each once")
      .default([3, 6, 12]),
    /** Value column (e.g. MonthlyCharges, per duration unit): predictions add revenue_at_risk_H = value × H × churn_within_H. */
    value: columnName.optional(),
  })
  .strict();

/** The whole configuration: every section with its defaults (see the README's Configuration table). */
export const configSchema = z
  .object({
    /** Seed for every random choice; the same seed gives a byte-identical model.json. */
    seed: z.number().int().min(0).default(42),
    /**
     * Threads for the gbdt and forest fits (worker threads) and for DuckDB's reading and typing. Default: min(2,
     * cores). The model is byte-identical whatever it is, so model.json does not record it.
     */
    threads: z.number().int().min(1).max(MAX_THREADS).optional(),
    /** The training table, its target and positive label, id and dropped columns, forced types (config `data`). */
    data: dataSchema.default(dataSchema.parse({})),
    /** Hold-out shares and cross-validation folds (config `split`). */
    split: splitSchema.default(splitSchema.parse({})),
    /** Imputation and category handling (config `preprocess`). */
    preprocess: preprocessSchema.default(preprocessSchema.parse({})),
    /** Derived features and feature selection (config `features`). */
    features: featuresSchema.default(featuresSchema.parse({})),
    /** Family, hyperparameters, threshold, calibration and refit (config `model`). */
    model: modelSchema.default(modelSchema.parse({})),
    /** What `family: auto` compares (config `search`). Read at parse time: the default families are the registry's then, not at module load. */
    search: searchSchema.default(() => searchSchema.parse({})),
    /** Permutation importance and bootstrap settings (config `evaluation`). */
    evaluation: evaluationSchema.default(evaluationSchema.parse({})),
    /** Horizons and the value column of the survival task (config `survival`; used with `data.duration`). */
    survival: survivalSchema.default(survivalSchema.parse({})),
    /** Where `run` writes the model directory. */
    out: z.string().min(1).default("models/churn"),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.model.threshold === "profit" && !c.model.economics) {
      ctx.addIssue({
        code: "custom",
        path: ["model", "economics"],
        message: 'required when model.threshold is "profit": give value_saved, offer_cost and success_rate',
      });
    }
  });

/** A resolved configuration, every default filled in. */
export type Config = z.infer<typeof configSchema>;
/** A configuration as written by a user: every key optional. */
export type ConfigInput = z.input<typeof configSchema>;
