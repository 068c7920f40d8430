/**
 * Categorical and boolean columns: the most frequent values with their churn rates, Cramér's V
 * against the target, and the AUC of the in-sample category → churn-rate mapping, from a table
 * of (column, value) counts grouped in DuckDB.
 */
import { ident } from "../data/duckdb.js";
import { foldAuc, leakCheckable } from "./leakage.js";
import { int, num, query, tempName } from "./sql.js";
import type { ColumnProfile, RateGroup } from "./types.js";

const group = (n: unknown, ny: unknown, pos: unknown): RateGroup => {
  const known = int(ny);
  const positives = int(pos);
  return { count: int(n), known, positives, rate: known ? positives / known : null };
};

/** Fill in `top`, `other` and `association` of the categorical/boolean feature columns `cols`. */
export async function categoryDetails(
  path: string,
  src: string,
  cols: ColumnProfile[],
  rows: number,
  topK: number,
  hasTarget: boolean,
): Promise<void> {
  if (cols.length === 0) return;
  const alias = (i: number) => `c${i}`;
  const cats = tempName("cats");
  const unpivot = `UNPIVOT (SELECT ${cols.map((c, i) => `${ident(c.name)} AS ${alias(i)}`).join(", ")}, __churnkit_y FROM ${src}) ON ${cols.map((_, i) => alias(i)).join(", ")} INTO NAME name VALUE value`;
  await query(
    `CREATE OR REPLACE TEMP TABLE ${cats} AS SELECT name, value, count(*) AS n, sum(__churnkit_y) AS pos, count(__churnkit_y) AS ny FROM (${unpivot}) GROUP BY name, value`,
    path,
  );
  try {
    const top = await query(
      `SELECT * FROM ${cats} QUALIFY row_number() OVER (PARTITION BY name ORDER BY n DESC, value) <= ${topK} ORDER BY name, n DESC, value`,
      path,
    );
    const totals = await query(
      `SELECT name, count(*) AS levels, sum(n) AS n, sum(ny) AS ny, sum(pos) AS pos FROM ${cats} GROUP BY name`,
      path,
    );
    // Cramér's V for a binary target: chi² = Σ (pos_c − ny_c·p)² / (ny_c·p·(1 − p)), V = sqrt(chi² / N).
    const v = hasTarget
      ? await query(
          `WITH t AS (SELECT name, sum(pos)::DOUBLE / sum(ny) AS p, sum(ny)::DOUBLE AS total, count(*) AS levels FROM ${cats} WHERE ny > 0 GROUP BY name)
           SELECT name, CASE WHEN levels < 2 OR p = 0 OR p = 1 THEN NULL ELSE sqrt(sum((c.pos - c.ny * p) ^ 2 / (c.ny * p * (1 - p))) / total) END AS v
           FROM ${cats} c JOIN t USING (name) WHERE c.ny > 0 GROUP BY name, p, total, levels`,
          path,
        )
      : [];
    // AUC of the category → churn rate mapping: categories ranked by rate, tied rates one group.
    const auc = hasTarget
      ? await query(
          `WITH g AS (SELECT name, pos::DOUBLE / ny AS rate, sum(pos)::DOUBLE AS pos, sum(ny - pos)::DOUBLE AS neg FROM ${cats} WHERE ny > 0 GROUP BY name, rate),
                c AS (SELECT name, pos, neg, sum(neg) OVER (PARTITION BY name ORDER BY rate ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - neg AS below FROM g)
           SELECT name, sum(pos * (below + 0.5 * neg)) / nullif(sum(pos) * sum(neg), 0) AS auc FROM c GROUP BY name`,
          path,
        )
      : [];
    cols.forEach((c, i) => {
      const name = alias(i);
      const mine = top.filter((r) => r.name === name);
      c.top = mine.map((r) => ({
        value: String(r.value),
        count: int(r.n),
        share: int(r.n) / rows,
        ...(hasTarget ? group(r.n, r.ny, r.pos) : {}),
      }));
      const t = totals.find((r) => r.name === name);
      const levels = int(t?.levels);
      if (levels > mine.length) {
        const sum = (k: "n" | "ny" | "pos") => int(t?.[k]) - mine.reduce((s, r) => s + int(r[k]), 0);
        c.other = {
          values: levels - mine.length,
          ...(hasTarget ? group(sum("n"), sum("ny"), sum("pos")) : { count: sum("n") }),
        };
      }
      if (hasTarget) {
        const a = num(auc.find((r) => r.name === name)?.auc);
        c.association = {
          cramersV: num(v.find((r) => r.name === name)?.v),
          auc: leakCheckable(levels, rows) && a !== null ? foldAuc(a) : null,
        };
      }
    });
  } finally {
    await query(`DROP TABLE IF EXISTS ${cats}`, path);
  }
}
