/**
 * The SQL export on a small hand-made table: missing numbers, booleans and categories, a level folded into
 * "(other)", a category never seen (with and without an "other" level), one-hot with a missing level. Every family,
 * scored in DuckDB and PostgreSQL like `ChurnModel.predict` to 1e-9.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readArtifact } from "../../src/artifact/artifact.js";
import { tableFromRows } from "../../src/data/load.js";
import { formats } from "../../src/export/formats.js";
import { train } from "../../src/pipeline/api.js";
import { join } from "node:path";
import { tmp } from "../helpers.js";
import { compare, PG_URL, runPostgres, scoreDuckDB, scorePostgres, type InputTable } from "./engines.js";
import { inputOf } from "./telco.js";
import { rng } from "../explain/trees.js";

const PLANS = ["basic", "plus", "pro", "rare1", "rare2"]; // the last two are rare: folded into "(other)"
const REGIONS = ["north", "south", "east"]; // all frequent: no "(other)" level

function trainingRows(n: number): Record<string, unknown>[] {
  const r = rng(7);
  return Array.from({ length: n }, (_, i) => {
    const plan = i % 211 === 0 ? "rare1" : i % 199 === 0 ? "rare2" : PLANS[Math.floor(r() * 3)]!;
    const region = r() < 0.1 ? null : REGIONS[Math.floor(r() * 3)]!;
    const usage = r() < 0.15 ? null : Math.round(r() * 1000) / 10;
    const autopay = r() < 0.1 ? null : r() < 0.5;
    const z =
      (usage ?? 50) / 25 - 2 + (plan === "basic" ? 1 : 0) + (region === "south" ? -0.8 : 0) + (autopay ? -0.7 : 0);
    return { id: `c${i}`, usage, autopay, plan, region, churn: r() < 1 / (1 + Math.exp(-z)) ? "yes" : "no" };
  });
}

/** Rows to score: every awkward case once, then some ordinary ones. */
const SCORED: Record<string, unknown>[] = [
  { id: "missing-all", usage: null, autopay: null, plan: null, region: null },
  { id: "unseen-plan", usage: 12.5, autopay: true, plan: "enterprise", region: "north" },
  { id: "pooled-plan", usage: 99.9, autopay: false, plan: "rare2", region: "east" },
  { id: "unseen-region", usage: 40, autopay: true, plan: "pro", region: "west" },
  { id: "quote's", usage: 0, autopay: false, plan: "basic", region: "south" },
  { id: "huge", usage: 1e12, autopay: true, plan: "plus", region: "north" },
  ...trainingRows(60).map((row, i) => ({ ...row, id: `s${i}`, churn: undefined })),
];

const CASES: [string, string, Record<string, unknown>][] = [
  ["logreg (one-hot, most frequent imputation)", "logreg", {}],
  ["logreg (one-hot, a missing level)", "logreg", { preprocess: { categorical_imputation: "missing_level" } }],
  ["tree", "tree", {}],
  ["forest", "forest", { model: { params: { n_estimators: 20 } } }],
  ["gbdt (native categorical splits)", "gbdt", { model: { params: { max_iter: 30, min_samples_leaf: 5 } } }],
];

describe.each(CASES)("SQL export of a hand-made %s model", (_label, family, config) => {
  let sql: string;
  let input: InputTable;
  let want: { id: string; probability: number; prediction: boolean }[];
  beforeAll(async () => {
    const out = join(tmp(), "model");
    const { model } = await train({
      data: trainingRows(600),
      target: "churn",
      idColumns: ["id"],
      model: family,
      seed: 42,
      config: {
        ...config,
        data: { types: { autopay: "boolean" } },
        preprocess: { min_category_count: 5, ...(config.preprocess as object) },
      },
      out,
    });
    const a = readArtifact(out);
    expect(a.preprocess.categorical.find((c) => c.column === "plan")!.other).toBe(true);
    expect(a.preprocess.categorical.find((c) => c.column === "region")!.other).toBe(false);
    expect(a.inputs.find((c) => c.name === "autopay")!.type).toBe("boolean");
    await formats.sql!.prepare!(a);
    sql = formats.sql!.write(a) as string;
    const rows = tableFromRows(SCORED.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== "churn"))));
    input = inputOf(model, rows);
    want = (await model.predict(rows)).map((p) => ({
      id: p.id as string,
      probability: p.churn_probability,
      prediction: p.churn_prediction,
    }));
  }, 120_000);

  it("DuckDB: the awkward rows and the ordinary ones, to 1e-9", async () => {
    const r = compare(await scoreDuckDB(sql, input, "id"), want);
    expect(r).toMatchObject({ rows: SCORED.length, missingIds: 0, decisionsDiffer: 0 });
    expect(r.worst).toBeLessThan(1e-9);
  });

  it.runIf(runPostgres)("PostgreSQL: the same file, to 1e-9", () => {
    expect(PG_URL, "CI runs the PostgreSQL tests: set CHURNKIT_PG_URL (.ci/run starts a server)").toBeDefined();
    const r = compare(scorePostgres(sql, input), want);
    expect(r).toMatchObject({ rows: SCORED.length, missingIds: 0, decisionsDiffer: 0 });
    expect(r.worst).toBeLessThan(1e-9);
  });
});
