/**
 * Correlations between numeric columns: Pearson r (DuckDB's corr over pairwise-complete rows)
 * and Spearman ρ (Pearson r of average ranks). Ranks come from a window over the table of value
 * counts (cumulative count before a value + (ties + 1) / 2), joined back to the rows: a sort of the
 * distinct values instead of one of all rows per column. Each column is ranked over its own
 * non-missing values, so with missing values ρ differs slightly from a pairwise-complete re-ranking.
 */
import { ident } from "../data/duckdb.js";
import { num, query } from "./sql.js";
import type { ValueCounts } from "./numeric.js";
import type { Correlations } from "./types.js";

/** Pearson and Spearman matrices of `names` (numeric columns of the relation `src`). */
export async function correlations(
  path: string,
  src: string,
  names: string[],
  counts: ValueCounts | undefined,
): Promise<Correlations> {
  const k = names.length;
  const empty = () => names.map((_, i) => names.map((_, j) => (i === j ? 1 : null)) as (number | null)[]);
  const pearson = empty();
  const spearman = empty();
  if (k < 2) return { columns: names, pearson, spearman };
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
  return { columns: names, pearson, spearman };
}

const finite = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v);
