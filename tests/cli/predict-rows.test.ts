/**
 * `churnkit predict` writes every input row, in order, for a model with a derived feature on
 * more rows than one DuckDB chunk and one scoring batch (once it stopped at 16,384 with exit 0).
 * Runs the built CLI: run `npm run build` before this file.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tmp, write } from "../helpers.js";
import { MANY, derivedModel, idsInOrder, scoredIds, telcoCsv, telcoFile } from "../rows.js";
import { runCli } from "../cli-run.js";

/** Run the CLI with info logs (the "scored N rows" line) and no progress bar. */
const cli = (args: string[]) => runCli(args, { level: "info" });

let model: string;
let input: string;
beforeAll(async () => {
  model = await derivedModel("logreg");
  input = telcoFile(MANY);
}, 180_000);

describe.concurrent(`churnkit predict, derived feature, ${MANY} rows`, () => {
  it("writes every row to --out, in input order", async () => {
    const out = join(tmp(), "scores.csv");
    const r = await cli(["predict", "--model", model, "--data", input, "--out", out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`scored ${MANY} rows into ${out}`);
    const text = readFileSync(out, "utf8");
    expect(text.split("\n")[0]).toBe("customerID,churn_probability,churn_prediction");
    expect(scoredIds(text)).toEqual(idsInOrder(MANY));
  }, 180_000);

  it("writes every row to stdout and to JSON Lines", async () => {
    const r = await cli(["predict", "--model", model, "--data", input]);
    expect(r.status, r.stderr).toBe(0);
    expect(scoredIds(r.stdout)).toEqual(idsInOrder(MANY));
    const out = join(tmp(), "scores.jsonl");
    expect((await cli(["predict", "--model", model, "--data", input, "--out", out])).status).toBe(0);
    const ids = readFileSync(out, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => (JSON.parse(l) as { customerID: string }).customerID);
    expect(ids).toEqual(idsInOrder(MANY));
  }, 180_000);

  it("fails with exit 2 naming the row of a bad value in the third batch, and writes nothing", async () => {
    const bad = telcoFile(MANY, (f, i) => i === 35_000 && (f[18] = "lots"));
    const dir = tmp();
    const out = join(dir, "scores.csv");
    const r = await cli(["predict", "--model", model, "--data", bad, "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      `churnkit: ${bad}: row 35001, column "MonthlyCharges": "lots" is not a number; fix the value or leave it empty for missing`,
    ]);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  }, 180_000);

  it("scores every row of JSON Lines where one line has an extra key past the first batches", async () => {
    // DuckDB reads only the model's columns (typed in SQL), so a key the model does not use does not end the stream;
    // every row is scored, in order (when every column was read as text, such a line ended the stream early).
    const csv = telcoCsv(MANY).trimEnd().split("\n");
    const header = csv[0]!.split(",");
    const jsonl = csv.slice(1).map((line, i) => {
      const row = Object.fromEntries(line.split(",").map((v, j) => [header[j]!, v]));
      return JSON.stringify(i === 35_000 ? { ...row, extra: 1 } : row);
    });
    const dir = tmp();
    const bad = write(dir, "rows.jsonl", jsonl.join("\n") + "\n");
    const out = join(dir, "scores.csv");
    const r = await cli(["predict", "--model", model, "--data", bad, "--out", out]);
    expect(r.status, r.stderr).toBe(0);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(MANY + 1);
    expect(lines[35_001]!.split(",")[0]).toBe(JSON.parse(jsonl[35_000]!).customerID);
  }, 180_000);

  it("fails with exit 2 and DuckDB's cause for a ragged line past the first batches, and writes nothing", async () => {
    // DuckDB's stream ends early, without an error, at a line it cannot parse; the row count names it.
    const bad = telcoFile(MANY, (f, i) => i === 35_000 && f.push("extra"));
    const dir = tmp();
    const out = join(dir, "scores.csv");
    const r = await cli(["predict", "--model", model, "--data", bad, "--out", out]);
    expect(r.status, r.stderr).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^churnkit: ${bad}: cannot be read as CSV \\(.*CSV Error on Line: 35002`));
    expect(lines[0]).toContain(`; ${out} was not written`);
    expect(readdirSync(dir)).toEqual([]);
  }, 180_000);
});
