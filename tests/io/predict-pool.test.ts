/**
 * Batch scoring in worker threads (io/score-pool.ts) writes the very bytes of scoring on the main thread, every row
 * in order, to CSV and to JSON Lines. Workers run only from the compiled build: run `npm run build` before this file.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { TELCO, tmp } from "../helpers.js";
import { idsInOrder, scoredIds, telcoFile } from "../rows.js";

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
