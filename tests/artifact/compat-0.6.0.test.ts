/**
 * Models written by churnkit 0.6.0 load and score exactly as 0.6.0 scored them (CLI, API and server). The fixtures (one model.json per
 * family, 0.6.0's predictions and explanations of one input file) come from tools/make-v060-fixtures.mjs; see
 * tests/fixtures/v0.6.0/README.md. Needs `npm run build` (the CLI runs from dist/).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createServer, loadModel, loadTable } from "../../src/index.js";
import { runCli } from "../cli-run.js";
import { ROOT, tmp } from "../helpers.js";

const FIXTURES = join(ROOT, "tests", "fixtures", "v0.6.0");
const INPUT = join(FIXTURES, "input.csv");
const FAMILIES = ["logreg", "tree", "forest", "gbdt"] as const;
const ROWS = 50;
const ALL_ROWS = Array.from({ length: ROWS }, (_, i) => i).join(",");

const text = (...p: string[]): string => readFileSync(join(FIXTURES, ...p), "utf8");
const jsonLines = (s: string): Record<string, unknown>[] =>
  s
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Every file under the fixture folder with its content hash and modification time. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p, `${rel}${e.name}/`);
      else
        out[`${rel}${e.name}`] =
          `${createHash("sha256").update(readFileSync(p)).digest("hex")} ${statSync(p).mtimeMs} ${statSync(p).mode}`;
    }
  };
  walk(FIXTURES, "");
  return out;
}

let before: Record<string, string>;
beforeAll(() => {
  before = snapshot();
});

describe.each(FAMILIES)("a %s model written by churnkit 0.6.0", (family) => {
  const dir = join(FIXTURES, family);

  it("is a 0.6.0 file with its own family", () => {
    const doc = JSON.parse(text(family, "model.json"));
    expect([doc.churnkit_version, doc.format_version, doc.model.family]).toEqual(["0.6.0", "1.0", family]);
  });

  it("`churnkit predict` writes 0.6.0's CSV, byte for byte", async () => {
    const r = await runCli(["predict", "--model", dir, "--data", INPUT], { timeoutMs: 60_000 });
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toBe(text(family, "predictions.csv"));
    expect(r.stdout.split("\n").length).toBe(ROWS + 2); // header, 50 rows, final newline
  });

  it("`churnkit predict --out x.jsonl` writes 0.6.0's JSON lines", async () => {
    const out = join(tmp(), "scores.jsonl");
    const r = await runCli(["predict", "--model", dir, "--data", INPUT, "--out", out], { timeoutMs: 60_000 });
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(readFileSync(out, "utf8")).toBe(text(family, "predictions.jsonl"));
  });

  it("`churnkit explain --json` prints 0.6.0's explanations of every row", async () => {
    const r = await runCli(["explain", "--model", dir, "--data", INPUT, "--rows", ALL_ROWS, "--json"], {
      timeoutMs: 60_000,
    });
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toBe(text(family, "explain.json"));
  });

  it("loadModel: the same doubles, labels and explanations as 0.6.0", async () => {
    const model = await loadModel(dir);
    expect(model.family).toBe(family);
    const table = await loadTable(INPUT);
    const want = jsonLines(text(family, "predictions.jsonl"));
    expect(want.length).toBe(ROWS);
    const got = await model.predict(table);
    expect(got.map((p) => ({ ...p }))).toEqual(want);
    // 0.6.0 printed each probability as the shortest string that reads back as the same double.
    const csv = text(family, "predictions.csv").trimEnd().split("\n").slice(1);
    expect(got.map((p) => `${String(p.customerID)},${p.churn_probability},${p.churn_prediction}`)).toEqual(csv);
    const explained = await model.explain(table);
    expect(JSON.parse(JSON.stringify(explained))).toEqual(JSON.parse(text(family, "explain.json")));
    expect(explained.map((e) => e.row)).toEqual(Array.from({ length: ROWS }, (_, i) => i));
  });

  it("`churnkit serve`'s POST /predict.csv answers 0.6.0's CSV", async () => {
    const app = createServer(await loadModel(dir));
    try {
      const r = await app.inject({
        method: "POST",
        url: "/predict.csv",
        headers: { "content-type": "text/csv" },
        payload: readFileSync(INPUT, "utf8"),
      });
      expect(r.statusCode).toBe(200);
      expect(r.body).toBe(text(family, "predictions.csv"));
    } finally {
      await app.close();
    }
  });
});

// Runs last (tests in a file run in order): everything above read the fixtures through the CLI and the API.
it("reading, scoring and explaining the 0.6.0 models changed no file in the fixture folder, and added none", () => {
  expect(Object.keys(before).length).toBe(1 + 4 + 1 + 4 * 4); // README, configs, input.csv, 4 files per family
  expect(snapshot()).toEqual(before);
});
