/**
 * Correlations between numeric columns: Pearson r (DuckDB's corr over pairwise-complete rows)
 * and Spearman ρ (Pearson r of average ranks). Ranks come from a window over the table of value
 * counts (cumulative count before a value + (ties + 1) / 2), joined back to the rows: a sort of the
 * distinct values instead of one of all rows per column. Each column is ranked over its own
 * non-missing values, so with missing values ρ differs slightly from a pairwise-complete re-ranking.
 *
 * The query holds one aggregate per pair and one join per column: its memory grows with the square
 * of the column count (2,000 columns: 2 million aggregates, out of memory at 18.8 GiB), and a matrix
 * that wide cannot be read anyway. So at most `max` columns are correlated (default 50: 1,225 pairs):
 * with a target, those most associated with it (|point-biserial r|), else the first in file order.
 */
import { ident } from "../data/duckdb.js";
import { num, query } from "./sql.js";
import type { ValueCounts } from "./numeric.js";
import type { ColumnProfile, Correlations } from "./types.js";

/** Default of the number of numeric columns correlated ({@link correlations}' `max`). */
export const MAX_CORRELATION_COLUMNS = 50;

/**
 * The numeric columns to correlate: all of `cols` when at most `max`, else the `max` most associated
 * with the target (|point-biserial r|, ties and unknowns in file order), or the first `max` without a target.
 */
export function correlationColumns(
  cols: ColumnProfile[],
  max: number,
  hasTarget: boolean,
): Pick<Correlations, "columns" | "candidates" | "selectedBy"> {
  const candidates = cols.length;
  if (candidates <= max) return { columns: cols.map((c) => c.name), candidates };
  const strength = (c: ColumnProfile) => Math.abs(c.association?.pointBiserial ?? 0) || 0;
  const order = cols.map((c, i) => ({ c, i, s: hasTarget ? strength(c) : 0 }));
  const kept = order
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, max)
    .sort((a, b) => a.i - b.i); // the matrix keeps file order
  return {
    columns: kept.map((k) => k.c.name),
    candidates,
    selectedBy: hasTarget ? "target association" : "file order",
  };
}

/**
 * Pearson and Spearman matrices of the numeric columns `cols` of the relation `src` (at most `max`
 * of them, chosen by {@link correlationColumns}).
 */
export async function correlations(
  path: string,
  src: string,
  cols: ColumnProfile[],
  counts: ValueCounts | undefined,
  opts: { max?: number; hasTarget: boolean },
): Promise<Correlations> {
  const chosen = correlationColumns(cols, opts.max ?? MAX_CORRELATION_COLUMNS, opts.hasTarget);
  const names = chosen.columns;
  const k = names.length;
  const empty = () => names.map((_, i) => names.map((_, j) => (i === j ? 1 : null)) as (number | null)[]);
  const pearson = empty();
  const spearman = empty();
  if (k < 2) return { ...chosen, pearson, spearman };
  const pairs: [number, number][] = [];
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) pairs.push([i, j]);
  const ranks = names.map(
    (c, i) =>
      `r${i} AS (SELECT x, sum(n) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - n + (n + 1) / 2.0 AS r FROM ${counts!.table} WHERE name = '${counts!.alias.get(c)}')`,
  );
  const joins = names.map((c, i) => `LEFT JOIN r${i} ON s.${ident(c)} = r${i}.x`).join(" ");
  const aggs = pairs.map(
    ([i, j]) =>
      `corr(s.${ident(names[i]!)}, s.${ident(names[j]!)}) AS p${i}_${j}, corr(r${i}.r, r${j}.r) AS s${i}_${j}`,
  );
  const row = (await query(`WITH ${ranks.join(", ")} SELECT ${aggs.join(", ")} FROM ${src} s ${joins}`, path))[0]!;
  for (const [i, j] of pairs) {
    const p = finite(num(row[`p${i}_${j}`]));
    const s = finite(num(row[`s${i}_${j}`]));
    pearson[i]![j] = pearson[j]![i] = p;
    spearman[i]![j] = spearman[j]![i] = s;
  }
  return { ...chosen, pearson, spearman };
}

const finite = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v);
