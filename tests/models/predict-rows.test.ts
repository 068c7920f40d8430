/**
 * Every input row is scored, whatever else uses DuckDB meanwhile: a stream has a connection of
 * its own, and the shared connection runs one query at a time (a query started on a DuckDB
 * connection ends the one it was running).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { duck, withConnection } from "../../src/data/duckdb.js";
import { tableFromRows } from "../../src/data/load.js";
import { loadModel, type ChurnModel } from "../../src/artifact/churn-model.js";
import { predictFile } from "../../src/io/predict.js";
import { tmp } from "../helpers.js";
import { MANY, derivedModel, idsInOrder, scoredIds, telcoCsv, telcoFile } from "../rows.js";

let model: ChurnModel;
beforeAll(async () => {
  model = await loadModel(await derivedModel("logreg"));
}, 60_000);

describe("the shared DuckDB connection", () => {
  it("refuses streams, pending queries, appenders and closing", async () => {
    const con = await duck();
    for (const m of ["stream", "start", "startStream", "createAppender", "prepare", "closeSync"] as const) {
      expect(() => (con[m] as (sql: string) => unknown)("SELECT 1")).toThrow(
        `DuckDB: ${m}() is not allowed on the shared connection; use withConnection()`,
      );
    }
  });

  it("runs one query at a time: a failed query does not hold up the next ones", async () => {
    const con = await duck();
    const answers = await Promise.allSettled([
      con.runAndReadAll("SELECT count(*) FROM range(100000)"),
      con.runAndReadAll("SELECT no_such_column"),
      con.runAndReadAll("SELECT 7"),
    ]);
    expect(answers.map((a) => a.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(answers.map((a) => (a.status === "fulfilled" ? Number(a.value.getRows()[0]![0]) : null))).toEqual([
      100000,
      null,
      7,
    ]);
  });

  it("gives withConnection a connection of its own, closed afterwards", async () => {
    // A temporary table lives in its connection only: another task's connection does not see it.
    const seen = await withConnection(async (a) => {
      await a.run("CREATE TEMP TABLE mine AS SELECT 1 AS x");
      const other = await withConnection((b) =>
        b.runAndReadAll("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'mine'"),
      );
      const own = await a.runAndReadAll("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'mine'");
      return [Number(own.getRows()[0]![0]), Number(other.getRows()[0]![0])];
    });
    expect(seen).toEqual([1, 0]);
  });
});

/** Telco rows without the target, as API callers send them. */
function requestRows(n: number): Record<string, unknown>[] {
  const lines = telcoCsv(n, undefined, false).trimEnd().split("\n");
  const header = lines[0]!.split(",");
  return lines.slice(1).map((l) => Object.fromEntries(l.split(",").map((v, j) => [header[j]!, v])));
}

describe("scoring with a derived feature", () => {
  it("gives concurrent calls the same probabilities as one call at a time", async () => {
    // Each call evaluates the derived feature in DuckDB (a temporary table filled by an appender);
    // on a shared connection an appender's flush ended other calls' queries.
    const rows = requestRows(200);
    const sizes = Array.from({ length: 300 }, (_, i) => 1 + ((i * 37) % 200));
    const one = await model.predictProba(tableFromRows(rows));
    const got = await Promise.all(
      sizes.map(async (k) => (await model.predictProba(tableFromRows(rows.slice(0, k)))).probability),
    );
    got.forEach((p, i) => expect(Array.from(p)).toEqual(Array.from(one.probability.subarray(0, sizes[i]))));
  }, 60_000);
});

describe("predictFile with a derived feature", () => {
  it(`writes all ${MANY} rows in input order while other DuckDB work runs`, async () => {
    const input = telcoFile(MANY);
    const out = join(tmp(), "scores.csv");
    // The derived feature is evaluated per batch, and request-sized scoring and shared-connection
    // queries run meanwhile: none of them may end the stream.
    const requests = Array.from({ length: 30 }, (_, i) => i + 1);
    const asObjects = requestRows(40);
    const [r, ...others] = await Promise.all([
      predictFile(model, input, out),
      ...requests.map(async (k) => (await model.predictProba(tableFromRows(asObjects.slice(0, k)))).probability.length),
      ...requests.map(async (k) => Number((await (await duck()).runAndReadAll(`SELECT ${k}`)).getRows()[0]![0])),
    ]);
    expect(r).toEqual({ rows: MANY, unseen: 0 });
    expect(others).toEqual([...requests, ...requests]);
    const text = readFileSync(out, "utf8");
    expect(text.split("\n")[0]).toBe("customerID,churn_probability,churn_prediction");
    expect(scoredIds(text)).toEqual(idsInOrder(MANY));
  }, 60_000);

  it("names the row of a bad value in a late batch and writes nothing", async () => {
    const input = telcoFile(MANY, (f, i) => i === 29_999 && (f[5] = "abc"));
    const dir = tmp();
    await expect(predictFile(model, input, join(dir, "scores.csv"))).rejects.toThrow(
      `${input}: row 30000, column "tenure": "abc" is not a number; fix the value or leave it empty for missing`,
    );
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});
