/**
 * Delayed labels: the predictions made earlier (`churnkit predict`'s output: id column(s) and
 * churn_probability) joined with the labels that arrived later, on the id, by DuckDB. What comes out
 * is the 0/1 labels and probabilities of the rows that have both, and the counts of those that do
 * not: a prediction without a label is left out of the metrics (never counted as a stayer), and so
 * is a label without a prediction; both counts are reported. The labels are read by data/target's
 * own rules (which value is churn, missing values, labels never seen in training).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { withConnection, ident } from "../data/duckdb.js";
import { checkDataFile, sourceSql, unreadable, type RawTable, type RawValue } from "../data/load.js";
import { encodeTarget, resolveTarget, targetLabels, type TargetInfo } from "../data/target.js";
import { dict } from "../utils/dict.js";
import { UserError } from "../utils/errors.js";

/** The probability column of a predictions file (as `churnkit predict` writes it). */
export const PROBABILITY_COLUMN = "churn_probability";
/** Columns of a predictions file that are not identifiers. */
const SCORE_COLUMNS = new Set([PROBABILITY_COLUMN, "churn_prediction"]);

/** Options of {@link joinLabels}. */
export interface LabelsJoinOptions {
  /** The predictions file (CSV, Parquet or JSON Lines) with the id column(s) and churn_probability. */
  predictions: string;
  /** The labels file with the id column(s) and the target column. */
  labels: string;
  /** Id column(s), in both files. Default: the predictions file's columns other than churn_probability and churn_prediction. */
  id?: string[];
  /** The labels file's target column. Default: `target.column`, else the labels file's one column that is not an id. */
  column?: string;
  /** The model's target (its positive label; labels it never saw are an error). Without it the positive label is inferred. */
  target?: TargetInfo;
  /** The positive label when there is no `target` and it is not obvious (as `--positive`). */
  positive?: string;
}

/** What {@link joinLabels} found. */
export interface JoinedLabels {
  /** 0/1 label of each row that has a prediction and a label, in the labels file's order. */
  y: Uint8Array;
  /** Its churn probability, from the predictions file. */
  p: Float64Array;
  /** The id column(s) joined on. */
  id: string[];
  /** The labels' target: column and positive label. */
  target: TargetInfo;
  /** Predictions with no label: no row of that id in the labels file, or a missing value in its target column. */
  predictionsWithoutLabels: number;
  /** Labelled rows with no prediction of that id. */
  labelsWithoutPredictions: number;
}

const list = (xs: readonly string[]): string => xs.slice(0, 20).join(", ") + (xs.length > 20 ? ", …" : "");

async function columnsOf(con: DuckDBConnection, file: string): Promise<string[]> {
  checkDataFile(file);
  try {
    return (await con.runAndReadAll(`SELECT * FROM (${sourceSql(file)}) LIMIT 0`)).columnNames();
  } catch (e) {
    throw unreadable(file, e);
  }
}

function requireColumns(file: string, columns: string[], wanted: string[], what: string, flag: string): void {
  const missing = wanted.find((c) => !columns.includes(c));
  if (missing !== undefined)
    throw new UserError(
      `${file}: ${what} column "${missing}" not found; its columns are: ${list(columns)}${flag ? `; pass ${flag}` : ""}`,
    );
}

/** Refuse an id that appears twice in `file` (a join would then count that row twice). */
async function refuseDuplicates(con: DuckDBConnection, file: string, id: string[]): Promise<void> {
  const keys = id.map(ident).join(", ");
  const r = await con.runAndReadAll(
    `SELECT ${keys}, count(*)::INTEGER AS n FROM (${sourceSql(file)}) WHERE ${id.map((c) => `${ident(c)} IS NOT NULL`).join(" AND ")} GROUP BY ALL HAVING count(*) > 1 ORDER BY n DESC LIMIT 1`,
  );
  const row = r.getRowsJS()[0];
  if (!row) return;
  const value =
    id.length === 1
      ? JSON.stringify(row[0])
      : `(${row
          .slice(0, -1)
          .map((v) => JSON.stringify(v))
          .join(", ")})`;
  throw new UserError(
    `${file}: id ${value} appears ${String(row[row.length - 1])} times in column${id.length > 1 ? "s" : ""} ${id.map((c) => `"${c}"`).join(", ")}; each id must appear once to be joined`,
  );
}

/** A relation of `file` with its row number (1-based, file order: DuckDB's streaming window keeps the scan order). */
const numbered = (file: string, id: string[], value: string, as: string): string =>
  `SELECT (row_number() OVER ())::INTEGER AS _row, ${id.map((c, i) => `${ident(c)} AS _k${i}`).join(", ")}, ${ident(value)} AS ${as} FROM (${sourceSql(file)})`;

/** A probability read from the predictions file, or a UserError naming the file, row and column. */
function probability(v: RawValue, file: string, row: number): number {
  const x = typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  if (!(x >= 0 && x <= 1))
    throw new UserError(
      `${file}: row ${row}, column "${PROBABILITY_COLUMN}": ${JSON.stringify(v)} is not a probability from 0 to 1; use the output of churnkit predict`,
    );
  return x;
}

/**
 * Delayed labels are for a classifier's probabilities. A survival model's predictions are conditional on each
 * customer's duration when scored, and a later label says whether and when (after how long) the customer left, so
 * its metrics (C-index, AUC per horizon) are measured on the labelled table with durations, by the model.
 */
export function survivalPredictions(file: string, columns: readonly string[]): UserError {
  return new UserError(
    `${file}: ${columns.length ? `holds a survival model's predictions (${list([...columns])})` : "was scored by a survival model"}; --predictions/--labels is for classification models: add the later labels and durations to the scored table and run churnkit evaluate --model DIR --data FILE`,
  );
}

/** Join `predictions` with `labels` on the id (see {@link LabelsJoinOptions}); every problem is a one-line UserError naming the file and column. */
export function joinLabels(o: LabelsJoinOptions): Promise<JoinedLabels> {
  return withConnection(async (con) => {
    const predCols = await columnsOf(con, o.predictions);
    const survival = predCols.filter((c) => /^churn_within_/.test(c) || c === "expected_remaining");
    if (survival.length > 0) throw survivalPredictions(o.predictions, survival);
    const labelCols = await columnsOf(con, o.labels);
    const id = o.id ?? predCols.filter((c) => !SCORE_COLUMNS.has(c));
    if (id.length === 0)
      throw new UserError(
        `${o.predictions}: has no id column, only ${list(predCols)}; score with a model that has an id column, or pass --id COL`,
      );
    requireColumns(o.predictions, predCols, id, "id", "--id COL");
    requireColumns(o.labels, labelCols, id, "id", "--id COL");
    requireColumns(o.predictions, predCols, [PROBABILITY_COLUMN], "probability", "");
    const others = labelCols.filter((c) => !id.includes(c));
    const column = o.column ?? o.target?.column ?? (others.length === 1 ? others[0] : undefined);
    if (column === undefined)
      throw new UserError(
        `${o.labels}: which column holds the labels? its columns besides the id are: ${list(others)}; pass --target COL`,
      );
    requireColumns(o.labels, labelCols, [column], "target", "--target COL");
    await refuseDuplicates(con, o.predictions, id);
    await refuseDuplicates(con, o.labels, id);

    const on = id.map((_, i) => `p._k${i} = l._k${i}`).join(" AND ");
    const P = numbered(o.predictions, id, PROBABILITY_COLUMN, "_p");
    const L = numbered(o.labels, id, column, "_label");
    let joined, unlabelled;
    try {
      // Every row of the labels file, in its order, with the prediction of its id (null when there is none).
      joined = await con.runAndReadAll(
        `WITH p AS (${P}), l AS (${L}) SELECT l._label, p._p, p._row AS _prow FROM l LEFT JOIN p ON ${on} ORDER BY l._row`,
      );
      unlabelled = await con.runAndReadAll(
        `WITH p AS (${P}), l AS (${L}) SELECT count(*)::INTEGER FROM p ANTI JOIN l ON ${on}`,
      );
    } catch (e) {
      throw unreadable(`${o.predictions} or ${o.labels}`, e);
    }
    const [labelValues, probs, predRows] = joined.getColumnsJS() as [RawValue[], RawValue[], (number | null)[]];
    const data = dict<RawValue[]>();
    data[column] = labelValues;
    const table: RawTable = { origin: o.labels, columns: [column], rows: labelValues.length, data };

    const labels = targetLabels(table, column);
    if (labels.length !== 2)
      throw new UserError(
        `${o.labels}: target column "${column}" has ${labels.length} distinct label${labels.length === 1 ? "" : "s"}${labels.length ? ` (${list(labels.map((l) => JSON.stringify(l)))})` : ""}; evaluating needs exactly two, churned and not`,
      );
    const target = o.target ? { ...o.target, column } : resolveTarget(table, column, o.positive);
    // strict with a model: a label it never saw in training is an error naming the row, never a silent 0.
    const { y: yAll, rows } = encodeTarget(table, target, o.target !== undefined);
    let matched = 0;
    for (const r of rows) if (predRows[r] !== null) matched++;
    const y = new Uint8Array(matched);
    const p = new Float64Array(matched);
    let k = 0;
    rows.forEach((r, i) => {
      const prow = predRows[r];
      if (prow === null || prow === undefined) return;
      y[k] = yAll[i]!;
      p[k++] = probability(probs[r], o.predictions, prow);
    });
    const labelled = new Set(rows);
    let withoutLabel = Number(unlabelled.getRowsJS()[0]![0]);
    for (let r = 0; r < table.rows; r++) if (predRows[r] !== null && !labelled.has(r)) withoutLabel++;
    return {
      y,
      p,
      id,
      target,
      predictionsWithoutLabels: withoutLabel,
      labelsWithoutPredictions: rows.length - matched,
    };
  });
}
