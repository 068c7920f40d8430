/**
 * The result of {@link profile}: a plain, JSON-serialisable description of a table for
 * exploratory data analysis. Shares are fractions in 0–1; counts are row counts.
 */
import type { ColumnRole, ColumnType } from "../data/schema.js";

/** Summary statistics of a numeric column (over its non-missing values). */
export interface NumericStats {
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /** Arithmetic mean. */
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator, as pandas' describe); null with one value. */
  std: number | null;
  /** Quantiles by linear interpolation (numpy's default): p5, p25, p50 (median), p75, p95. */
  quantiles: {
    /** 5th percentile. */
    p5: number;
    /** First quartile. */
    p25: number;
    /** Median. */
    p50: number;
    /** Third quartile. */
    p75: number;
    /** 95th percentile. */
    p95: number;
  };
  /** Quantiles are exact (false: DuckDB's approx_quantile, used above `exactLimit` rows). */
  exact: boolean;
  /** Every value is a whole number. */
  integer: boolean;
  /** Equal-width histogram: bins [start, end), the last one closed; whole numbers with a range below 40 get one bin per value, [v − 0.5, v + 0.5). */
  histogram: {
    /** Lower edge of the bin (included). */
    start: number;
    /** Upper edge of the bin (excluded, except in the last bin). */
    end: number;
    /** Rows whose value falls in the bin. */
    count: number;
  }[];
}

/** A group of rows (a category, or a quantile bin of a numeric column) and its churn rate. */
export interface RateGroup {
  /** Rows in the group (including rows whose target is missing). */
  count: number;
  /** Rows with a known target. */
  known: number;
  /** Positive (churned) rows. */
  positives: number;
  /** positives / known; null when no row of the group has a target. */
  rate: number | null;
}

/** One frequent value of a categorical or boolean column. */
export interface CategoryStat extends Partial<RateGroup> {
  /** The value (trimmed text). */
  value: string;
  /** Rows with this value. */
  count: number;
  /** count / rows of the table. */
  share: number;
}

/** One quantile bin of a numeric column, with its churn rate. */
export interface QuantileBin extends RateGroup {
  /** Smallest and largest value in the bin (a value never straddles two bins, so ties make fewer, uneven bins). */
  start: number;
  /** Largest value in the bin (included). */
  end: number;
}

/** Association of one column with the target. */
export interface TargetAssociation {
  /** Cramér's V of the category × target table (categorical/boolean columns; missing values left out); 0–1. */
  cramersV?: number | null;
  /** Pearson correlation of the value with the 0/1 target (numeric columns: point-biserial). */
  pointBiserial?: number | null;
  /**
   * How well the column alone separates the classes: ROC AUC of the value (numeric) or of the
   * in-sample churn rate of the category (categorical), folded to ≥ 0.5. Above 0.99 suggests leakage.
   */
  auc?: number | null;
}

/** Everything known about one column. */
export interface ColumnProfile {
  /** The column's name in the file. */
  name: string;
  /** Type by churnkit's rules (see profile.ts for how this compares with inferSchema). */
  type: ColumnType;
  /** "target", "identifier" (unique per row), "ignored" (no values at all) or "feature". */
  role: ColumnRole;
  /** Why the role, when not plainly "feature". */
  note?: string;
  /** Rows whose value is missing (null, empty or a missing token such as NA). */
  missing: number;
  /** missing / rows. */
  missingShare: number;
  /** Distinct non-missing values (exact). */
  distinct: number;
  /** Numeric columns (not identifiers): summary statistics and histogram. */
  numeric?: NumericStats;
  /** Categorical and boolean columns (not identifiers): the most frequent values, with churn rates when there is a target. */
  top?: CategoryStat[];
  /** Rows not among `top` (other values), with their churn rate when there is a target. */
  other?: {
    /** How many distinct values are not among `top`. */
    values: number;
  } & Partial<RateGroup> & {
      /** Rows whose value is not among `top`. */
      count: number;
    };
  /** Numeric columns with a target: churn rate per quantile bin (deciles by default). */
  rateByQuantile?: QuantileBin[];
  /** With a target: association of this column with it. */
  association?: TargetAssociation;
}

/** What the target is and how it is distributed. */
export interface TargetProfile {
  /** The target column's name. */
  column: string;
  /** Label counted as churn (1). */
  positive: string;
  /** The other label(s). */
  negatives: string[];
  /** Chosen by name because no target was given. */
  guessed: boolean;
  /** Rows with a target value. */
  known: number;
  /** Rows whose target is the positive label. */
  positives: number;
  /** positives / known. */
  rate: number;
  /** Rows whose target is missing (left out of every churn rate). */
  missing: number;
}

/** Something the reader should know about the data. */
export interface Warning {
  /** "error": the data cannot be used as it is (the CLI writes the report, then exits 2). */
  severity: "error" | "warning" | "info";
  /** What was found, as a stable code a script can match on; `message` says it for people. */
  kind:
    | "no-rows"
    | "target-one-value"
    | "all-missing"
    | "identifier"
    | "constant"
    | "missing"
    | "duplicates"
    | "leakage"
    | "target-missing"
    | "high-cardinality"
    | "correlations-capped";
  /** The column concerned, when one. */
  column?: string;
  /** One line: what, where, and what to do. */
  message: string;
}

/** Correlations between numeric feature columns (identifiers and constant columns left out). */
export interface Correlations {
  /** Column names, the order of the matrices' rows and columns (file order). */
  columns: string[];
  /** Numeric feature columns that could have been correlated (more than `columns` when capped). */
  candidates: number;
  /** When capped: how `columns` were chosen among the candidates. */
  selectedBy?: "target association" | "file order";
  /** Pearson r over pairwise-complete rows; null when undefined (a constant column). */
  pearson: (number | null)[][];
  /** Spearman ρ: Pearson r of average ranks (ranked over each column's non-missing values). */
  spearman: (number | null)[][];
}

/** The profile of a table. */
export interface Profile {
  /** The file profiled. */
  source: string;
  /** The file's format, from its extension. */
  format: "csv" | "parquet" | "json";
  /** Number of rows in the file. */
  rows: number;
  /** Per column, in file order. */
  columns: ColumnProfile[];
  /** The target and its distribution; absent when no target was given or guessed. */
  target?: TargetProfile;
  /** Correlations between numeric feature columns. */
  correlations: Correlations;
  /** Rows identical to an earlier row in every column. */
  duplicateRows: number;
  /** Rows identical to an earlier row in every column except identifier columns (equal to duplicateRows without identifiers). */
  duplicateRowsIgnoringIds: number;
  /** Most severe first. */
  warnings: Warning[];
  /** Settings used. */
  settings: {
    /** Most frequent values kept per categorical column (default 20). */
    topK: number;
    /** Histogram bins of numeric columns (default 20). */
    bins: number;
    /** Quantile bins for churn rates of numeric columns (default 10, deciles). */
    quantileBins: number;
    /** Rows above which quantiles are approximate (default 5,000,000). */
    exactLimit: number;
  };
  /** Time taken, milliseconds. */
  elapsedMs: number;
}
