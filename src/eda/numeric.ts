/**
 * Numeric columns: summary statistics, histogram, churn rate per quantile bin and the AUC of the
 * value against the target, from a table of (column, value) counts grouped in DuckDB.
 */
import { ident } from "../data/duckdb.js";
import { foldAuc } from "./leakage.js";
import { int, num, query, tempName, type Row } from "./sql.js";
import type { ColumnProfile, Profile, QuantileBin } from "./types.js";

/** Integer columns with a range below this get one histogram bin per value. */
const UNIT_BIN_RANGE = 40;

/** The temporary table of (name, x, n, pos, ny) counts per column and value, and the `name` of each column in it. */
export interface ValueCounts {
  table: string;
  alias: Map<string, string>;
}

/**
 * Fill in `numeric`, `rateByQuantile` and `association` of the numeric feature columns `cols`.
 * Returns the table of value counts (the caller drops it), or undefined without numeric columns.
 */
export async function numericDetails(
  path: string,
  src: string,
  cols: ColumnProfile[],
  rows: number,
  settings: Profile["settings"],
  hasTarget: boolean,
): Promise<ValueCounts | undefined> {
  if (cols.length === 0) return undefined;
  const exact = rows <= settings.exactLimit;
  const q = exact ? "quantile_cont" : "approx_quantile";
  const agg = cols.flatMap((c, i) => {
    const x = ident(c.name);
    return [
      `min(${x}) AS min${i}`,
      `max(${x}) AS max${i}`,
      `avg(${x}) AS mean${i}`,
      `stddev_samp(${x}) AS std${i}`,
      `${q}(${x}, [0.05, 0.25, 0.5, 0.75, 0.95]) AS q${i}`,
      `count(CASE WHEN ${x} <> floor(${x}) THEN 1 END) AS frac${i}`,
      ...(hasTarget ? [`corr(${x}, __churnkit_y) AS pb${i}`] : []),
    ];
  });
  const s = (await query(`SELECT ${agg.join(", ")} FROM ${src}`, path))[0]!;

  const alias = (i: number) => `c${i}`;
  const nums = tempName("nums");
  const unpivot = `UNPIVOT (SELECT ${cols.map((c, i) => `${ident(c.name)} AS ${alias(i)}`).join(", ")}, __churnkit_y FROM ${src}) ON ${cols.map((_, i) => alias(i)).join(", ")} INTO NAME name VALUE x`;
  await query(
    `CREATE OR REPLACE TEMP TABLE ${nums} AS SELECT name, x, count(*) AS n, sum(__churnkit_y) AS pos, count(__churnkit_y) AS ny FROM (${unpivot}) GROUP BY name, x`,
    path,
  );
  const params = cols.map((c, i) => {
    const lo = num(s[`min${i}`])!;
    const hi = num(s[`max${i}`])!;
    const integer = int(s[`frac${i}`]) === 0;
    // Whole numbers over a small range: one bin per value, centred on it.
    if (integer && hi - lo < UNIT_BIN_RANGE) return { lo: lo - 0.5, w: 1, b: hi - lo + 1, integer };
    if (hi === lo) return { lo, w: 1, b: 1, integer };
    return { lo, w: (hi - lo) / settings.bins, b: settings.bins, integer };
  });
  const values = params.map((p, i) => `('${alias(i)}', ${p.lo}::DOUBLE, ${p.w}::DOUBLE, ${p.b})`).join(", ");
  const hist = await query(
    `SELECT name, least(floor((x - p.lo) / p.w), p.b - 1)::INTEGER AS bin, sum(n) AS n FROM ${nums} JOIN (VALUES ${values}) p(name, lo, w, b) USING (name) GROUP BY ALL ORDER BY 1, 2`,
    path,
  );
  const quant = hasTarget ? await quantileBins(path, nums, settings.quantileBins) : [];
  const auc = hasTarget ? await aucs(path, nums) : [];
  cols.forEach((c, i) => {
    const p = params[i]!;
    const qs = (s[`q${i}`] as unknown[]).map((v) => num(v)!);
    const counts = new Array<number>(p.b).fill(0);
    for (const h of hist) if (h.name === alias(i)) counts[int(h.bin)] = int(h.n);
    c.numeric = {
      min: num(s[`min${i}`])!,
      max: num(s[`max${i}`])!,
      mean: num(s[`mean${i}`])!,
      std: num(s[`std${i}`]),
      quantiles: { p5: qs[0]!, p25: qs[1]!, p50: qs[2]!, p75: qs[3]!, p95: qs[4]! },
      exact,
      integer: p.integer,
      histogram: counts.map((count, k) => ({ start: p.lo + k * p.w, end: p.lo + (k + 1) * p.w, count })),
    };
    if (hasTarget) {
      c.rateByQuantile = quant.filter((r) => r.name === alias(i)).map(({ name: _, ...b }) => b);
      const a = num(auc.find((r) => r.name === alias(i))?.auc);
      c.association = { pointBiserial: num(s[`pb${i}`]), auc: a === null ? null : foldAuc(a) };
    }
  });
  return { table: nums, alias: new Map(cols.map((c, i) => [c.name, alias(i)])) };
}

/** Churn rate per quantile bin: rows in order of value, cut into `q` groups by cumulative count; a value never straddles two bins. */
async function quantileBins(path: string, nums: string, q: number): Promise<(QuantileBin & { name: string })[]> {
  const rows = await query(
    `WITH c AS (SELECT name, x, n, pos, ny, sum(n) OVER (PARTITION BY name ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - n AS before, sum(n) OVER (PARTITION BY name) AS total FROM ${nums})
     SELECT name, floor(before * ${q} / total)::INTEGER AS bin, min(x) AS lo, max(x) AS hi, sum(n) AS n, sum(pos) AS pos, sum(ny) AS ny FROM c GROUP BY name, bin ORDER BY name, bin`,
    path,
  );
  return rows.map((r: Row) => {
    const known = int(r.ny);
    const positives = int(r.pos);
    return {
      name: String(r.name),
      start: num(r.lo)!,
      end: num(r.hi)!,
      count: int(r.n),
      known,
      positives,
      rate: known ? positives / known : null,
    };
  });
}

/** ROC AUC of each column's value as a score for the target (ties count one half), by Mann–Whitney over grouped values. */
async function aucs(path: string, nums: string): Promise<Row[]> {
  return query(
    `WITH c AS (SELECT name, pos::DOUBLE AS pos, (ny - pos)::DOUBLE AS neg, (sum(ny - pos) OVER (PARTITION BY name ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - (ny - pos))::DOUBLE AS below FROM ${nums} WHERE ny > 0)
     SELECT name, sum(pos * (below + 0.5 * neg)) / nullif(sum(pos) * sum(neg), 0) AS auc FROM c GROUP BY name`,
    path,
  );
}
