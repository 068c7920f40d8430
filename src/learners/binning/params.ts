/**
 * `max_bins`, one hyperparameter with one meaning in `tree`, `forest` and `gbdt` (see bin-mapper.ts);
 * the families differ only in its range and default.
 */
import { z } from "zod";
import { BINNING_SUBSAMPLE } from "./edges.js";
import { MAX_BINS_LIMIT } from "./bin-mapper.js";

// Not toLocaleString: its first call loads ICU's number formatting, ~15 ms at import of every learner.
const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+$)/g, ",");

/** What `max_bins` means, word for word in every family's schema (and so in schema/model.schema.json). */
export const MAX_BINS_DESCRIPTION =
  "At most this many value bins per feature, plus one bin for missing values (the same in tree, forest and gbdt). " +
  "Numeric edges are the inner quantiles of the training values (scikit-learn's rule; a column with fewer " +
  `distinct values gets one bin per value), found on at most ${thousands(BINNING_SUBSAMPLE)} ` +
  "training rows sampled with the seed; categories beyond max_bins - 1 share a bin. " +
  "null: exact, one bin per distinct value (no sampling).";

/** What `min_data_per_group` means, word for word in tree, forest and gbdt (see binning/categorical.ts). */
export const MIN_DATA_PER_GROUP_DESCRIPTION =
  "Categorical splits over more than 4 categories present at a node use only the categories with at least " +
  "this many training rows there (gbdt: hessian-weighted); the rarer ones stay on one side, and each side " +
  "holds at most 32 categories (LightGBM's min_data_per_group and max_cat_threshold). " +
  "1 with a single tree overfits many-level columns; 10 in gbdt is scikit-learn's HistGradientBoosting rule.";

/** `min_data_per_group` of `tree`, `forest` and `gbdt`: an integer >= 1. See {@link MIN_DATA_PER_GROUP_DESCRIPTION}. */
export const minDataPerGroupSchema = z.number().int().min(1).meta({ description: MIN_DATA_PER_GROUP_DESCRIPTION });

/**
 * `max_bins` of `tree` and `forest`: an integer in 2..65535, or null for exact thresholds (one bin per
 * distinct training value, as scikit-learn's exact splitter). See {@link MAX_BINS_DESCRIPTION}.
 */
export const maxBinsSchema = z
  .number()
  .int()
  .min(2)
  .max(MAX_BINS_LIMIT)
  .nullable()
  .meta({ description: MAX_BINS_DESCRIPTION });

/**
 * `max_bins` of `gbdt`: an integer in 2..255 (its bins are bytes, so no exact mode). See
 * {@link MAX_BINS_DESCRIPTION}.
 */
export const byteMaxBinsSchema = z.number().int().min(2).max(255).meta({ description: MAX_BINS_DESCRIPTION });
