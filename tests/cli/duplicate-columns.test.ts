/**
 * A CSV whose header repeats a column name (DuckDB would read the repeat as "tenure_1" and the model would use one
 * of the two without a word) is exit 2 with one line naming the file and the column, at every command that reads a
 * table: train, predict (one file or a glob, nothing written), evaluate, explain, drift, eda; a repeat in another
 * letter case too. The server's POST /predict.csv answers 400 naming the upload and the column.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../../src/artifact/churn-model.js";
import { createServer } from "../../src/serve/server.js";
import { runCli } from "../cli-run.js";
import { telcoLines, tmp } from "../helpers.js";

const dir = tmp("churnkit-dup-");
const model = join(dir, "model");
const TIMEOUT = 120_000;

/** The first Telco rows with one more column, named `name`, after the others. */
function withRepeat(file: string, name: string): string {
  const { header, lines } = telcoLines();
  writeFileSync(file, [`${header},${name}`, ...lines.slice(0, 1500).map((l) => `${l},7`)].join("\n") + "\n");
  return file;
}

beforeAll(async () => {
  const { header, lines } = telcoLines();
  const train = join(dir, "train.csv");
  writeFileSync(train, [header, ...lines.slice(0, 1500)].join("\n") + "\n");
  const r = await runCli(["train", "--data", train, "--target", "Churn", "--model", "logreg", "--out", model]);
  expect(r.status, r.stderr).toBe(0);
}, TIMEOUT);

describe("a repeated column name in an input CSV", () => {
  const dup = withRepeat(join(dir, "dup.csv"), "tenure");
  const cased = withRepeat(join(dir, "cased.csv"), "TENURE");
  mkdirSync(join(dir, "parts"));
  withRepeat(join(dir, "parts", "part-1.csv"), "tenure");
  const glob = join(dir, "parts", "part-*.csv");

  it.each([
    ["train", join(dir, "m2"), (f: string, out: string) => ["train", "--data", f, "--target", "Churn", "--out", out]],
    [
      "predict",
      join(dir, "scores.csv"),
      (f: string, out: string) => ["predict", "--model", model, "--data", f, "--out", out],
    ],
    ["evaluate", undefined, (f: string) => ["evaluate", "--model", model, "--data", f]],
    ["explain", undefined, (f: string) => ["explain", "--model", model, "--data", f, "--rows", "1"]],
    [
      "drift",
      join(dir, "drift.html"),
      (f: string, out: string) => ["drift", "--model", model, "--data", f, "--out", out],
    ],
    ["eda", join(dir, "eda.html"), (f: string, out: string) => ["eda", "--data", f, "--target", "Churn", "--out", out]],
  ])(
    "%s: exit 2, one line naming the file and the column; nothing written",
    async (_command, out, args) => {
      for (const [file, column] of [
        [dup, "tenure"],
        [cased, "TENURE"],
      ] as const) {
        const r = await runCli(args(file, out ?? ""));
        expect(r.status, r.stderr).toBe(2);
        expect(r.stderr).toBe(`churnkit: ${file}: column "${column}" appears twice; rename one of them\n`);
        expect(r.stdout).toBe("");
      }
      if (out) expect(existsSync(out)).toBe(false);
    },
    TIMEOUT,
  );

  it(
    "predict on a glob of CSV partitions names the pattern",
    async () => {
      const r = await runCli(["predict", "--model", model, "--data", glob]);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`churnkit: ${glob}: column "tenure" appears twice; rename one of them\n`);
      expect(r.stdout).toBe("");
    },
    TIMEOUT,
  );

  it("serve: POST /predict.csv with a repeated column is 400 naming the upload and the column", async () => {
    const app = createServer(await loadModel(model));
    try {
      const { header, lines } = telcoLines();
      const r = await app.inject({
        method: "POST",
        url: "/predict.csv",
        headers: { "content-type": "text/csv" },
        payload: [`${header},tenure`, ...lines.slice(0, 3).map((l) => `${l},7`)].join("\n") + "\n",
      });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toEqual({ error: 'uploaded CSV: column "tenure" appears twice; rename one of them' });
    } finally {
      await app.close();
    }
  });
});
