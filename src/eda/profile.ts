/**
 * Profile a table for exploratory data analysis, in DuckDB SQL over the VARCHAR relation of
 * `sourceSql(path)`: every statistic is an aggregate computed by DuckDB, so files larger than
 * memory work (DuckDB streams the file, and spills big hash tables and sorts to disk); only
 * aggregates (one row per column, category or bin) come back into JavaScript.
 *
 * Column types follow inferSchema (schema.ts): numeric when every non-missing value is a number,
 * boolean when every one is a boolean word (at most two, ignoring case), else categorical.
 * Differences: numbers are read with DuckDB's TRY_CAST to DOUBLE (restricted to finite values
 * without "_" separators), so an overflowing literal such as "1e400" is text here but a number
 * there; and values are trimmed of spaces only (DuckDB's trim; JavaScript's trim also removes
 * tabs and other whitespace). Identifiers follow inferSchema's unique-text and name rules (unique per
 * row, at least 20 rows; numeric ones also need whole numbers and an id-like name); its value rule
 * (at least 6 digits and a flat churn rate along the order, data/identifier.ts) is not applied here yet,
 * so such a column shows as a feature with its single-column AUC.
 */
import { statSync } from "node:fs";
import { checkColumnNames, checkDataFile, formatOf, sourceSql, type RawTable } from "../data/load.js";
import { ident } from "../data/duckdb.js";
import { ID_NAME } from "../data/identifier.js";
import { guessTarget, type ColumnType } from "../data/schema.js";
import { resolveTarget } from "../data/target.js";
import { UserError } from "../utils/errors.js";
import { categoryDetails } from "./categorical.js";
import { correlations } from "./correlation.js";
import { numericDetails } from "./numeric.js";
import { boolWordExpr, cleanSql, int, numExpr, query, tempName, type Row } from "./sql.js";
import type { ColumnProfile, Profile, TargetProfile } from "./types.js";
import { collectWarnings } from "./warnings.js";

/** Options of {@link profile}. */
export interface ProfileOptions {
  /** Target column. Default: guessed by name (churn, target, label, …) among two-valued columns; none if no guess. */
  target?: string;
  /** The target's positive label; default inferred as in target.ts (Yes/No, 1/0, true/false). */
  positive?: string;
  /** Most frequent values kept per categorical column; default 20. */
  topK?: number;
  /** Histogram bins of numeric columns; default 20. */
  bins?: number;
  /** Quantile bins for churn rates of numeric columns; default 10 (deciles). */
  quantileBins?: number;
  /** Above this many rows, quantiles are approximate (approx_quantile); default 5,000,000. */
  exactLimit?: number;
  /** Most numeric columns in the correlation matrices (the query's memory grows with its square); default 50. */
  maxCorrelationColumns?: number;
  /** Files up to this size (bytes) are parsed once into a temporary in-memory table; larger ones are re-read by each pass. Default 256 MB. */
  materializeLimit?: number;
}

/** Default of {@link ProfileOptions.materializeLimit}. */
export const MATERIALIZE_LIMIT = 256 * 1024 * 1024;

/** Profile the file at `path`. Throws a UserError for an unreadable file, no rows, or a bad target. */
export async function profile(path: string, opts: ProfileOptions = {}): Promise<Profile> {
  const t0 = Date.now();
  checkDataFile(path);
  const settings = {
    topK: opts.topK ?? 20,
    bins: opts.bins ?? 20,
    quantileBins: opts.quantileBins ?? 10,
    exactLimit: opts.exactLimit ?? 5_000_000,
  };
  const names = (await query(`DESCRIBE ${sourceSql(path)}`, path)).map((r) => String(r.column_name));
  const dup = names.find((c, i) => names.findIndex((d) => d.toLowerCase() === c.toLowerCase()) !== i);
  if (dup) throw new UserError(`${path}: column "${dup}" appears twice; rename one of them`);
  await checkColumnNames(path, names); // a CSV header's repeat, which DuckDB renamed ("a", "a_1")
  if (opts.target !== undefined && !names.includes(opts.target))
    throw new UserError(`${path}: target column "${opts.target}" not found; columns are: ${names.join(", ")}`);

  // Small files are parsed once into a temporary table; bigger ones are streamed by every pass.
  const size = statSync(path).size;
  const kind = size <= (opts.materializeLimit ?? MATERIALIZE_LIMIT) ? "TABLE" : "VIEW";
  const smallFile = size <= 16 * 1024 * 1024;
  const clean = tempName("clean");
  const temps: string[] = [];
  const drop = async (name: string, what: string = kind) => {
    await query(`DROP ${what} IF EXISTS ${name}`, path).catch(() => undefined);
    temps.splice(temps.indexOf(name), 1);
  };
  try {
    temps.push(clean);
    await query(`CREATE OR REPLACE TEMP ${kind} ${clean} AS ${cleanSql(names, sourceSql(path))}`, path);
    // Pass 1: rows, and per column the counts that decide its type and role.
    const agg = names.flatMap((c, i) => [
      `count(${ident(c)}) AS n${i}`,
      `count(__ck_x${i}) AS num${i}`,
      `count(CASE WHEN __ck_x${i} = floor(__ck_x${i}) THEN 1 END) AS int${i}`,
      `count(__ck_b${i}) AS bw${i}`,
      ...(smallFile ? [] : [`count(DISTINCT __ck_b${i}) AS bd${i}`, `count(DISTINCT ${ident(c)}) AS d${i}`]),
    ]);
    // Each value is cast once (inner projection), then tested (middle), then counted. The aliases have a prefix
    // that no column name is expected to have: a column named "x0" must not be taken for the cast of column 0.
    const cast = names.flatMap((c, i) => [
      ident(c),
      `TRY_CAST(${ident(c)} AS DOUBLE) AS __ck_r${i}`,
      `${boolWordExpr(c)} AS __ck_b${i}`,
    ]);
    const typed = names.flatMap((c, i) => [
      ident(c),
      `CASE WHEN isfinite(__ck_r${i}) AND NOT contains(${ident(c)}, '_') THEN __ck_r${i} END AS __ck_x${i}`,
      `__ck_b${i}`,
    ]);
    const p1 = (
      await query(
        `SELECT count(*) AS rows, ${agg.join(", ")} FROM (SELECT ${typed.join(", ")} FROM (SELECT ${cast.join(", ")} FROM ${clean}))`,
        path,
      )
    )[0]!;
    if (smallFile) {
      // Distinct counts of a small table: one grouped pass over the unpivoted values (many DISTINCT aggregates have a high fixed cost).
      const alias = names.map((c, i) => `${ident(c)} AS c${i}`).join(", ");
      const d = await query(
        `SELECT name, count(DISTINCT v) AS d, count(DISTINCT ${boolWordExpr("v")}) AS bd FROM (UNPIVOT (SELECT ${alias} FROM ${clean}) ON ${names.map((_, i) => `c${i}`).join(", ")} INTO NAME name VALUE v) GROUP BY name`,
        path,
      );
      for (const r of d)
        Object.assign(p1, { [`d${String(r.name).slice(1)}`]: r.d, [`bd${String(r.name).slice(1)}`]: r.bd });
    }
    const rows = int(p1.rows);
    if (rows === 0) throw new UserError(`${path}: has no data rows; it needs at least one row below the header`);
    const columns: ColumnProfile[] = names.map((name, i) => typedColumn(name, rows, p1, i));

    const target = await resolveProfileTarget(path, clean, columns, opts);
    const tcol = target && "column" in target ? target : undefined;
    if (tcol)
      for (const c of columns)
        if (c.name === tcol.column) Object.assign(c, { role: "target" as const, note: undefined });

    // The relation the detail passes read: numeric columns as DOUBLE, others as cleaned text, plus the 0/1 target.
    const src = tempName("src");
    const pos = tcol
      ? `CASE WHEN ${ident(tcol.column)} IS NULL THEN NULL WHEN lower(${ident(tcol.column)}) = lower(${lit(tcol.positive)}) THEN 1 ELSE 0 END`
      : "NULL::INTEGER";
    const cols = columns.map((c) => (c.type === "numeric" ? `${numExpr(c.name)} AS ${ident(c.name)}` : ident(c.name)));
    temps.push(src);
    await query(
      `CREATE OR REPLACE TEMP ${kind} ${src} AS SELECT ${cols.join(", ")}, ${pos}::INTEGER AS __churnkit_y FROM ${clean}`,
      path,
    );
    if (kind === "TABLE") await drop(clean);

    const features = columns.filter((c) => c.role === "feature");
    const numeric = features.filter((c) => c.type === "numeric");
    const categorical = features.filter((c) => c.type !== "numeric");
    const nums = await numericDetails(path, src, numeric, rows, settings, !!tcol);
    if (nums) temps.push(nums.table);
    await categoryDetails(path, src, categorical, rows, settings.topK, !!tcol);
    const corr = await correlations(
      path,
      src,
      numeric.filter((c) => c.distinct > 1),
      nums,
      { max: opts.maxCorrelationColumns, hasTarget: !!tcol },
    );
    if (nums) await drop(nums.table, "TABLE");

    const keyAll = names.map(ident).join(", ");
    const ids = columns.filter((c) => c.role === "identifier");
    const dupSql = (keys: string) =>
      `SELECT coalesce(sum(n - 1), 0) AS d FROM (SELECT count(*) AS n FROM ${src} GROUP BY ${keys}) WHERE n > 1`;
    const duplicateRows = int((await query(dupSql(keyAll), path))[0]!.d);
    const rest = names.filter((n) => !ids.some((c) => c.name === n));
    const duplicateRowsIgnoringIds =
      ids.length && rest.length ? int((await query(dupSql(rest.map(ident).join(", ")), path))[0]!.d) : duplicateRows;

    const result: Profile = {
      source: path,
      format: formatOf(path),
      rows,
      columns,
      ...(tcol ? { target: tcol } : {}),
      correlations: corr,
      duplicateRows,
      duplicateRowsIgnoringIds,
      warnings: [],
      settings,
      elapsedMs: 0,
    };
    result.warnings = collectWarnings(result, target && "oneValue" in target ? target.oneValue : undefined);
    result.elapsedMs = Date.now() - t0;
    return result;
  } finally {
    for (const t of [...temps].reverse()) await drop(t, t.includes("_nums_") ? "TABLE" : kind);
  }
}

const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Type and role of column `i` from the pass-1 counts (the rules of schema.ts). */
function typedColumn(name: string, rows: number, p1: Row, i: number): ColumnProfile {
  const n = int(p1[`n${i}`]);
  const numeric = int(p1[`num${i}`]);
  const integer = int(p1[`int${i}`]);
  const distinct = int(p1[`d${i}`]);
  let type: ColumnType = "categorical";
  if (n > 0 && numeric === n) type = "numeric";
  else if (n > 0 && int(p1[`bw${i}`]) === n && int(p1[`bd${i}`]) <= 2) type = "boolean";
  const base = { name, type, missing: rows - n, missingShare: (rows - n) / rows, distinct };
  const unique = n === rows && distinct === rows && rows >= 20;
  if (n === 0) return { ...base, role: "ignored", note: "all values missing" };
  if (unique && type === "categorical") return { ...base, role: "identifier", note: "unique per row" };
  if (unique && type === "numeric" && integer === n && ID_NAME.test(name))
    return { ...base, role: "identifier", note: "integer unique per row with an id-like name" };
  return { ...base, role: "feature" };
}

/**
 * The target: the user's column, or a guess by name. Returns its profile, `{ oneValue }` when the
 * column has fewer than two labels (the report says so; no churn rates), or undefined (no target).
 */
async function resolveProfileTarget(
  path: string,
  clean: string,
  columns: ColumnProfile[],
  opts: ProfileOptions,
): Promise<TargetProfile | { oneValue: { column: string; label: string | null } } | undefined> {
  const guessed = opts.target === undefined;
  const column = opts.target ?? guessTarget({ columns: columns.map((c) => ({ ...c, nullable: c.missing > 0 })) });
  if (column === undefined) return undefined;
  const rows = await query(
    `SELECT ${ident(column)} AS label, count(*) AS n FROM ${clean} WHERE ${ident(column)} IS NOT NULL GROUP BY 1 ORDER BY n DESC, label LIMIT 1000`,
    path,
  );
  const labels = rows.map((r) => String(r.label));
  if (labels.length < 2) return guessed ? undefined : { oneValue: { column, label: labels[0] ?? null } };
  const table: RawTable = {
    origin: path,
    columns: columns.map((c) => c.name),
    rows: labels.length,
    data: { [column]: labels },
  };
  let info;
  try {
    info = resolveTarget(table, column, opts.positive, "--positive");
  } catch (e) {
    if (guessed) return undefined; // a guess that does not resolve is no target
    throw e;
  }
  const count = (l: string) => int(rows.find((r) => String(r.label) === l)?.n);
  const positives = labels
    .filter((l) => l.toLowerCase() === info.positive.toLowerCase())
    .reduce((s, l) => s + count(l), 0);
  const known = rows.reduce((s, r) => s + int(r.n), 0);
  const col = columns.find((c) => c.name === column)!;
  return {
    column,
    positive: info.positive,
    negatives: info.negatives,
    guessed,
    known,
    positives,
    rate: positives / known,
    missing: col.missing,
  };
}
