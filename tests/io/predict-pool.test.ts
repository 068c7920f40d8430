/**
 * Batch scoring in worker threads (io/score-pool.ts) writes the very bytes of scoring on the main thread, every row
 * in order, to CSV and to JSON Lines. Workers run only from the compiled build: run `npm run build` before this file.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { TELCO, tmp } from "../helpers.js";
import { idsInOrder, scoredIds, telcoFile } from "../rows.js";
import { literal, withConnection } from "../../src/data/duckdb.js";

// Past POOL_AFTER_ROWS (100,000), and not a multiple of the 16,384-row window.
const ROWS = 140_123;

let model: string;
let input: string;
beforeAll(async () => {
  model = join(tmp("churnkit-pool-"), "gbdt");
  await train({ data: TELCO, model: "gbdt", out: model });
  input = telcoFile(ROWS);
}, 180_000);

describe(`predict on worker threads, ${ROWS} rows`, () => {
  it("writes the same CSV and JSON Lines bytes as the main thread alone", async () => {
    const { loadModel } = await import("../../dist/artifact/churn-model.js");
    const { predictFile, POOL_AFTER_ROWS } = await import("../../dist/io/predict.js");
    const { ScorePool } = await import("../../dist/io/score-pool.js");
    expect(ROWS).toBeGreaterThan(POOL_AFTER_ROWS);
    const m = await loadModel(model);
    const dir = tmp();
    for (const ext of ["csv", "jsonl"]) {
      const one = join(dir, `one.${ext}`);
      const two = join(dir, `two.${ext}`);
      const before = ScorePool.started;
      expect(await predictFile(m, input, one, undefined, undefined, 1)).toEqual({ rows: ROWS, unseen: 0 });
      expect(ScorePool.started).toBe(before); // one thread: no workers
      expect(await predictFile(m, input, two, undefined, undefined, 2)).toEqual({ rows: ROWS, unseen: 0 });
      expect(ScorePool.started).toBe(before + 1); // this thread reading, one worker scoring
      const a = readFileSync(one);
      expect(a.equals(readFileSync(two))).toBe(true);
      if (ext === "csv") expect(scoredIds(a.toString("utf8"))).toEqual(idsInOrder(ROWS));
    }
  }, 180_000);
});

/**
 * Ids the workers' CSV lines are made from without a string per cell (score-typed.ts packCells): missing, quoted,
 * non-ASCII, longer than the 36 characters sent in pieces, 12 and 13 bytes; in a CSV and in a Parquet file of small
 * row groups (read out of order on several threads).
 */
function oddId(i: number): string {
  switch (i % 11) {
    case 0:
      return "";
    case 1:
      return `"a,${i}"`; // a comma inside quotes: the field is quoted again on output
    case 2:
      return `"q""${i}"`;
    case 3:
      return `Ĉ${i}`;
    case 4:
      return `long-${i}-${"x".repeat(40)}`;
    case 5:
      return `${i}`.padStart(12, "k");
    case 6:
      return `${i}`.padStart(13, "k");
    default:
      return `C${i}`;
  }
}

describe(`predict on worker threads, ${ROWS} rows with odd ids`, () => {
  it("writes the same CSV bytes as the main thread alone, from CSV and from Parquet", async () => {
    const { loadModel } = await import("../../dist/artifact/churn-model.js");
    const { predictFile } = await import("../../dist/io/predict.js");
    const { ScorePool } = await import("../../dist/io/score-pool.js");
    const m = await loadModel(model);
    const dir = tmp();
    const csv = telcoFile(ROWS, (fields, i) => (fields[0] = oddId(i)));
    const parquet = join(dir, "odd.parquet");
    await withConnection((con) =>
      con.run(
        `COPY (SELECT * FROM read_csv(${literal(csv)}, all_varchar = true)) TO ${literal(parquet)} (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
      ),
    );
    for (const input of [csv, parquet]) {
      const one = join(dir, "one.csv");
      const two = join(dir, "two.csv");
      await predictFile(m, input, one, undefined, undefined, 1);
      const before = ScorePool.started;
      await predictFile(m, input, two, undefined, undefined, 2);
      expect(ScorePool.started).toBe(before + 1);
      const a = readFileSync(one, "utf8");
      const lines = a.trimEnd().split("\n");
      expect(lines).toHaveLength(ROWS + 1);
      expect(lines[1]).toMatch(/^,0\.\d+,(true|false)$/); // row 0's id is missing
      expect(lines[2]).toMatch(/^"a,1",/);
      expect(lines[3]).toMatch(/^"q""2",/);
      expect(lines[4]).toMatch(/^Ĉ3,/);
      expect(lines[5]).toMatch(new RegExp(`^long-4-${"x".repeat(40)},`));
      expect(readFileSync(two, "utf8") === a).toBe(true);
    }
  }, 180_000);

  it("reads ids longer than 12 bytes exactly when the first rows' ids are short (no pieces sent)", async () => {
    const { loadModel } = await import("../../dist/artifact/churn-model.js");
    const { predictFile } = await import("../../dist/io/predict.js");
    const m = await loadModel(model);
    const dir = tmp();
    // Short ids past scoring-source.ts's probe of the first rows, then the odd ones.
    const csv = telcoFile(ROWS, (fields, i) => (fields[0] = i < 5000 ? `C${i}` : oddId(i)));
    expect(statSync(csv).size).toBeGreaterThan(16 * 1024 * 1024); // probed (scoring-source.ts PROBE_AT_BYTES)
    const text = join(dir, "text.csv");
    const typed = join(dir, "typed.csv");
    await predictFile(m, csv, text, undefined, () => undefined); // every column as text, by the JS rules
    await predictFile(m, csv, typed, undefined, undefined, 2);
    const a = readFileSync(text, "utf8");
    expect(a).toContain(`long-5009-${"x".repeat(40)},`);
    expect(readFileSync(typed, "utf8") === a).toBe(true);
  }, 180_000);
});
