/**
 * Drift of a table against a model's reference statistics: each input column's rows are counted over the bins
 * of its training distribution (bins.ts), batch by batch, so a file of any size is checked in constant memory
 * (apart from the distinct levels of categorical columns); then each column, and the model's score, gets its PSI
 * and verdict (psi.ts), and the table gets an overall verdict.
 */
import type { ModelArtifact } from "../artifact/artifact.js";
import type { ColumnStats, LevelHistogram, NumericHistogram } from "../data/stats.js";
import type { TypedTable } from "../data/typed.js";
import { UserError } from "../utils/errors.js";
import { VERSION } from "../version.js";
import { countLevels, countNumeric, levelBins, numericBins, type Bins, type LevelBins } from "./bins.js";
import { psiVerdict, type Band } from "./psi.js";

/** The name the model's score goes by in drift results. */
export const SCORE_COLUMN = "churn_probability";

/** One bin of a column's drift: its label and the share of reference and current rows in it. */
export interface DriftBin {
  /** "≤ 12", "12 – 29", a level, "(other levels)" or "(missing)". */
  label: string;
  /** Share of the reference rows, 0 to 1. */
  reference: number;
  /** Share of the current rows, 0 to 1. */
  current: number;
}

/** The drift of one column (or of the score). */
export interface ColumnDrift {
  /** The column's name ({@link SCORE_COLUMN} for the score). */
  column: string;
  /** How the column is read. */
  type: "numeric" | "boolean" | "categorical";
  /** The statistic: always "psi" (population stability index). */
  statistic: "psi";
  /** Its value. */
  value: number;
  /** The value at or above which the column drifted: 0.25, or the noise floor of a small sample when higher. */
  threshold: number;
  /** "stable" (below 0.1), "moderate" (0.1 to 0.25) or "major" (0.25 or more). */
  band: Band;
  /** Whether the column drifted (value ≥ threshold). */
  drifted: boolean;
  /** Rows of the reference (training rows; validation rows for the score). */
  reference_rows: number;
  /** Rows of the current data. */
  current_rows: number;
  /** Share of missing values in the reference rows. */
  missing_reference: number;
  /** Share of missing values in the current rows. */
  missing_current: number;
  /** Mean of the non-missing reference values (numbers only). */
  mean_reference?: number;
  /** Mean of the non-missing current values (numbers only). */
  mean_current?: number;
  /** Distinct current levels never seen in training (categories only). */
  unseen_levels?: number;
  /** Share of current rows with such a level (categories only). */
  unseen_share?: number;
  /** The most frequent unseen levels, 5 at most (categories only). */
  unseen_examples?: string[];
  /**
   * Whether model.json lists every training level, so that `unseen_*` are exact (categories only); when false
   * (more than 1,000 levels), "unseen" means not among the 1,000 most frequent training levels.
   */
  unseen_exact?: boolean;
  /** The bins the PSI is computed over, with their shares. */
  bins: DriftBin[];
}

/** The drift of a table. */
export interface DriftResult {
  /** Rows of the current data. */
  rows: number;
  /** Each input column of the model, in the model's order. */
  columns: ColumnDrift[];
  /** The model's churn probability: validation-split scores at training vs the current rows' scores. */
  score: ColumnDrift;
  /** Names of the input columns that drifted. */
  drifted_columns: string[];
  /** Share of the input columns that drifted, 0 to 1. */
  drifted_share: number;
  /** The overall verdict, by {@link DriftResult.rule}. */
  drifted: boolean;
  /** The rule of the overall verdict, in words. */
  rule: string;
}

type Plan =
  | {
      kind: "numeric";
      name: string;
      stats: ColumnStats;
      h: NumericHistogram;
      bins: Bins;
      counts: number[];
      sum: number;
    }
  | {
      kind: "levels";
      name: string;
      stats: ColumnStats;
      h: LevelHistogram;
      bins: LevelBins;
      levels: Map<string | null, number>;
    };

const shares = (counts: number[]): number[] => {
  const n = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (n > 0 ? c / n : 0));
};

/** Counts the current rows of every input column and of the score, batch by batch; then {@link DriftCounter.result}. */
export class DriftCounter {
  private readonly plans: Plan[];
  private readonly score: Extract<Plan, { kind: "numeric" }>;
  private rows = 0;

  /**
   * The bins of every input column and of the score, from the model's reference statistics. A model file written
   * before churnkit 0.12 (format 1.0) has none: a UserError says to retrain it; one imported without --data has
   * none either: the UserError says to import it again with --data.
   */
  constructor(a: ModelArtifact, where = "model.json") {
    // A model `churnkit import` made without --data has no reference rows (its fingerprint counts none): retraining
    // is no advice for a model churnkit did not train; importing it again with a reference table is.
    const hasReference =
      !!a.reference_score?.histogram &&
      a.inputs.every((c) => Object.hasOwn(a.reference_stats, c.name) && a.reference_stats[c.name]!.histogram);
    if (!hasReference && a.data_fingerprint.rows === 0)
      throw new UserError(
        `${where}: no reference statistics to check drift against: the model was imported (churnkit import) without --data; import it again with a reference table (the table it was trained on, or rows of a reference period): churnkit import --from xgboost|lightgbm ${a.config.data.path ?? "FILE"} --data TABLE --out DIR`,
      );
    const retrain = `retrain the model with churnkit ${VERSION} to check drift`;
    // A survival model's duration column is checked too (its predictions are conditional on it), when the model
    // file holds its reference (churnkit 0.13 on).
    const d = a.survival?.duration;
    const columns =
      d !== undefined && !a.inputs.some((c) => c.name === d) && Object.hasOwn(a.reference_stats, d)
        ? [...a.inputs, { name: d, type: "numeric" as const }]
        : a.inputs;
    this.plans = columns.map((c) => {
      const stats = Object.hasOwn(a.reference_stats, c.name) ? a.reference_stats[c.name] : undefined;
      if (!stats?.histogram)
        throw new UserError(
          `${where}: no reference histogram of column "${c.name}" (model format ${a.format_version}, written by churnkit ${a.churnkit_version}); ${retrain}`,
        );
      if ((stats.type === "categorical") !== (c.type === "categorical"))
        throw new UserError(
          `${where}: corrupt model file (reference_stats.${c.name} is ${stats.type}, the input is ${c.type}); retrain the model`,
        );
      if (stats.type === "categorical") {
        const h = stats.histogram;
        return { kind: "levels", name: c.name, stats, h, bins: levelBins(h), levels: new Map() };
      }
      const h = stats.histogram;
      const bins = numericBins(h);
      return { kind: "numeric", name: c.name, stats, h, bins, counts: bins.reference.map(() => 0), sum: 0 };
    });
    const s = a.reference_score;
    if (!s?.histogram)
      throw new UserError(
        `${where}: no reference score distribution (model format ${a.format_version}, written by churnkit ${a.churnkit_version}); ${retrain}`,
      );
    const bins = numericBins(s.histogram);
    this.score = {
      kind: "numeric",
      name: SCORE_COLUMN,
      stats: s,
      h: s.histogram,
      bins,
      counts: bins.reference.map(() => 0),
      sum: 0,
    };
  }

  /** Count one batch: its typed input columns (as the model types them) and the model's scores of its rows. */
  add(t: TypedTable, scores: Float64Array): void {
    for (const p of this.plans) {
      const values = t.columns.get(p.name)!.values;
      if (p.kind === "numeric") addNumbers(p, values as Float64Array);
      else for (const v of values as (string | null)[]) p.levels.set(v, (p.levels.get(v) ?? 0) + 1);
    }
    addNumbers(this.score, scores);
    this.rows += t.rows;
  }

  /**
   * The drift of every column and of the score, and the overall verdict: drift when at least one input column
   * drifted and at least `share` of them did (default 0: any one column), or when the score drifted.
   */
  result(share = 0): DriftResult {
    const columns = this.plans.map((p) => (p.kind === "numeric" ? numericDrift(p) : levelDrift(p)));
    const score = numericDrift(this.score);
    const drifted = columns.filter((c) => c.drifted).map((c) => c.column);
    const driftedShare = columns.length ? drifted.length / columns.length : 0;
    const some = share > 0 ? `at least ${+(share * 100).toFixed(1)}% of the input columns` : "any input column";
    return {
      rows: this.rows,
      columns,
      score,
      drifted_columns: drifted,
      drifted_share: driftedShare,
      drifted: (drifted.length > 0 && driftedShare >= share) || score.drifted,
      rule: `drift when ${some} or the score has PSI ≥ 0.25 (and above the noise of small samples)`,
    };
  }
}

function addNumbers(p: Extract<Plan, { kind: "numeric" }>, values: Float64Array): void {
  countNumeric(p.h, values, p.counts);
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) p.sum += values[i]!;
}

function common(name: string, stats: ColumnStats, bins: Bins, counts: number[]) {
  const v = psiVerdict(bins.reference, counts);
  const refShares = shares(bins.reference);
  const curShares = shares(counts);
  const nr = bins.reference.reduce((s, c) => s + c, 0);
  const nc = counts.reduce((s, c) => s + c, 0);
  const last = counts.length - 1; // the missing bin
  return {
    column: name,
    type: stats.type,
    statistic: "psi" as const,
    ...v,
    reference_rows: nr,
    current_rows: nc,
    missing_reference: refShares[last]!,
    missing_current: curShares[last]!,
    bins: bins.labels
      .map((label, i) => ({
        label,
        reference: refShares[i]!,
        current: curShares[i]!,
        used: bins.reference[i]! + counts[i]! > 0,
      }))
      .filter((b) => b.used)
      .map(({ label, reference, current }) => ({ label, reference, current })),
  };
}

function numericDrift(p: Extract<Plan, { kind: "numeric" }>): ColumnDrift {
  const c = common(p.name, p.stats, p.bins, p.counts);
  const present = c.current_rows - p.counts[p.counts.length - 1]!;
  return {
    ...c,
    mean_reference: p.stats.type === "categorical" ? NaN : p.stats.mean,
    mean_current: present > 0 ? p.sum / present : NaN,
  };
}

function levelDrift(p: Extract<Plan, { kind: "levels" }>): ColumnDrift {
  const counts = p.bins.reference.map(() => 0);
  countLevels(p.bins, p.levels, counts);
  const known = new Set(p.h.levels);
  const unseen = [...p.levels].filter(([l]) => l !== null && !known.has(l)) as [string, number][];
  unseen.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const c = common(p.name, p.stats, p.bins, counts);
  return {
    ...c,
    unseen_levels: unseen.length,
    unseen_share: c.current_rows > 0 ? unseen.reduce((s, [, n]) => s + n, 0) / c.current_rows : 0,
    unseen_examples: unseen.slice(0, 5).map(([l]) => l),
    unseen_exact: p.h.other === 0,
  };
}
