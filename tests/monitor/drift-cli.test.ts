/**
 * Evidence for `churnkit drift` (the built CLI): on three tables (the bundled Telco and two generated ones), a model
 * trained on 80% of the rows finds no drift in the other 20%; a copy of those rows with one numeric column moved by
 * one standard deviation and one categorical column's levels reassigned is flagged on exactly those two columns;
 * `--fail-on-drift` exits 3 only then. A 200,000-row sample from the same distribution is not drift either (the
 * verdict does not flip with size). Also: the request log of `serve --log-requests`, an old model file, bad flags.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli-run.js";
import { ROOT, tmp } from "../helpers.js";
import { VERSION } from "../../src/version.js";
import { bank, sdOf, shifted, split, subscriptions, telco, writeCsv, type Csv } from "./tables.js";

interface Drift {
  rows: number;
  columns: { column: string; type: string; statistic: string; value: number; drifted: boolean; band: string }[];
  score: { column: string; value: number; drifted: boolean };
  drifted_columns: string[];
  drifted_share: number;
  drifted: boolean;
}

const TIMEOUT = 240_000;

interface Case {
  name: string;
  table: () => Csv;
  target: string;
  numeric: string;
  categorical: string;
  levels: Record<string, string>;
  inputs: number;
}

const CASES: Case[] = [
  {
    name: "Telco",
    table: telco,
    target: "Churn",
    numeric: "tenure",
    categorical: "Contract",
    levels: { "Month-to-month": "Two year", "Two year": "One year", "One year": "Month-to-month" },
    inputs: 19,
  },
  {
    name: "subscriptions (generated)",
    table: () => subscriptions(6000, 7),
    target: "churned",
    numeric: "monthly_fee",
    categorical: "plan",
    levels: { premium: "starter", starter: "premium" },
    inputs: 7,
  },
  {
    name: "bank (generated)",
    table: () => bank(5000, 11),
    target: "exited",
    numeric: "age",
    categorical: "country",
    levels: { France: "Spain", Spain: "France" },
    inputs: 6,
  },
];

async function drift(model: string, data: string, extra: string[] = []) {
  const r = await runCli(["drift", "--model", model, "--data", data, "--json", ...extra]);
  return { status: r.status, stderr: r.stderr, result: r.stdout ? (JSON.parse(r.stdout) as Drift) : undefined };
}

describe.each(CASES)("drift on $name", (c) => {
  const dir = tmp("churnkit-drift-");
  const model = join(dir, "model");
  let held = "";
  let moved = "";

  beforeAll(async () => {
    const [train, rest] = split(c.table(), 3);
    const trainCsv = writeCsv(dir, "train.csv", train);
    held = writeCsv(dir, "held-out.csv", rest);
    moved = writeCsv(dir, "shifted.csv", shifted(rest, c.numeric, sdOf(train, c.numeric), c.categorical, c.levels));
    const r = await runCli(["train", "--data", trainCsv, "--target", c.target, "--model", "logreg", "--out", model]);
    expect(r.status, r.stderr).toBe(0);
  }, TIMEOUT);

  it(
    "held-out rows: no column drifts, nor the score; --fail-on-drift exits 0",
    async () => {
      const { status, stderr, result } = await drift(model, held, ["--fail-on-drift"]);
      expect(status, stderr).toBe(0);
      expect(result!.columns).toHaveLength(c.inputs);
      expect(result!.columns.filter((x) => x.drifted)).toEqual([]);
      expect(Math.max(...result!.columns.map((x) => x.value))).toBeLessThan(0.1);
      expect(result!.score.drifted).toBe(false);
      expect(result!.drifted_share).toBe(0);
      expect(result!.drifted).toBe(false);
    },
    TIMEOUT,
  );

  it(
    "shifted copy: exactly the two shifted columns drift; --fail-on-drift exits 3, without it 0",
    async () => {
      const { status, stderr, result } = await drift(model, moved, ["--fail-on-drift"]);
      expect(status, stderr).toBe(3);
      expect(stderr).toBe("");
      expect(result!.drifted_columns.sort()).toEqual([c.categorical, c.numeric].sort());
      for (const x of result!.columns) expect(x.band === "major", x.column).toBe(x.drifted);
      expect(result!.drifted_share).toBeCloseTo(2 / c.inputs, 12);
      expect(result!.drifted).toBe(true);
      expect((await drift(model, moved)).status).toBe(0);
    },
    TIMEOUT,
  );
});

describe("drift does not flip with the size of the data", () => {
  it(
    "a 200,000-row sample of the generated distribution is not drift",
    async () => {
      const dir = tmp("churnkit-drift-big-");
      const model = join(dir, "model");
      const r = await runCli([
        "train",
        ...["--data", writeCsv(dir, "train.csv", subscriptions(5000, 21))],
        ...["--target", "churned", "--model", "logreg", "--out", model],
      ]);
      expect(r.status, r.stderr).toBe(0);
      const { status, stderr, result } = await drift(model, writeCsv(dir, "big.csv", subscriptions(200_000, 22)), [
        "--fail-on-drift",
      ]);
      expect(status, stderr).toBe(0);
      expect(result!.rows).toBe(200_000);
      expect(result!.drifted_columns).toEqual([]);
      expect(Math.max(...result!.columns.map((x) => x.value))).toBeLessThan(0.05);
      expect(result!.score.drifted).toBe(false);
    },
    TIMEOUT,
  );
});

describe("drift: request logs, reports and errors", () => {
  const dir = tmp("churnkit-drift-log-");
  const model = join(dir, "model");
  let rest: Csv;
  let held = "";

  beforeAll(async () => {
    const [train, r] = split(subscriptions(3000, 5), 9);
    rest = r;
    held = writeCsv(dir, "held-out.csv", rest);
    const t = await runCli([
      "train",
      ...["--data", writeCsv(dir, "train.csv", train), "--target", "churned", "--model", "logreg", "--out", model],
    ]);
    expect(t.status, t.stderr).toBe(0);
  }, TIMEOUT);

  it(
    "reads a request log of serve --log-requests (JSON Lines) as the same rows as the CSV",
    async () => {
      const numeric = new Set(["tenure_months", "monthly_fee", "support_calls", "days_since_login"]);
      const lines = rest.rows.map((r, i) => {
        const row = Object.fromEntries(
          rest.header.map((h, j) => [h, r[j] === "" ? null : numeric.has(h) ? Number(r[j]) : r[j]]),
        );
        delete row.churned;
        return JSON.stringify({
          time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
          row,
          churn_probability: 0.5,
        });
      });
      const log = join(dir, "requests.jsonl");
      writeFileSync(log, lines.join("\n") + "\n");
      const fromLog = await drift(model, log);
      const fromCsv = await drift(model, held);
      expect(fromLog.status, fromLog.stderr).toBe(0);
      expect(fromLog.result!.rows).toBe(rest.rows.length);
      expect(fromLog.result!.columns).toEqual(fromCsv.result!.columns);
      expect(fromLog.result!.score).toEqual(fromCsv.result!.score);
      // A key absent from a row's object is a missing value there.
      const partial = join(dir, "partial.jsonl");
      writeFileSync(
        partial,
        lines.map((l, i) => (i % 2 ? l.replace(/"days_since_login":(null|\d+),/, "") : l)).join("\n") + "\n",
      );
      const p = await drift(model, partial);
      expect(p.status, p.stderr).toBe(0);
      const login = p.result!.columns.find((c) => c.column === "days_since_login") as unknown as {
        missing_current: number;
      };
      expect(login.missing_current).toBeGreaterThan(0.5);
    },
    TIMEOUT,
  );

  it(
    "--out writes the HTML report; --out naming the data file is refused",
    async () => {
      const out = join(dir, "drift.html");
      const r = await runCli(["drift", "--model", model, "--data", held, "--out", out]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^no drift \(drift when any input column/m);
      const html = readFileSync(out, "utf8");
      expect(html).toContain("<h2>Score distribution</h2>");
      expect(html).toContain("No input column drifted.");
      const bad = await runCli(["drift", "--model", model, "--data", held, "--out", held]);
      expect(bad.status).toBe(2);
      expect(bad.stderr.trim().split("\n")).toHaveLength(1);
      expect(bad.stderr).toContain("--data");
    },
    TIMEOUT,
  );

  it(
    "a model file without reference histograms is exit 2, one line: retrain with this version",
    async () => {
      const old = join(dir, "old");
      const cp = await runCli(["train", "--data", held, "--target", "churned", "--model", "logreg", "--out", old]);
      expect(cp.status, cp.stderr).toBe(0);
      const file = join(old, "model.json");
      const a = JSON.parse(readFileSync(file, "utf8")) as {
        format_version: string;
        reference_stats: Record<string, { histogram?: unknown }>;
        reference_score?: unknown;
      };
      a.format_version = "1.0";
      for (const s of Object.values(a.reference_stats)) delete s.histogram;
      delete a.reference_score;
      writeFileSync(file, JSON.stringify(a));
      const r = await runCli(["drift", "--model", old, "--data", held]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(
        /^churnkit: \S+model\.json: no reference histogram of column "tenure_months" \(model format 1\.0, written by churnkit [\d.]+\); retrain the model with churnkit [\d.]+ to check drift\n$/,
      );
      // The same file still predicts: only drift needs the histograms.
      expect((await runCli(["predict", "--model", old, "--data", held])).status).toBe(0);
    },
    TIMEOUT,
  );

  it(
    "the model files churnkit 0.6.0 wrote (tests/fixtures/v0.6.0) are exit 2: retrain with this version",
    async () => {
      const fixtures = join(ROOT, "tests", "fixtures", "v0.6.0");
      for (const f of ["logreg", "gbdt"]) {
        const r = await runCli(["drift", "--model", join(fixtures, f), "--data", join(fixtures, "input.csv")]);
        expect(r.status, f).toBe(2);
        expect(r.stderr).toBe(
          `churnkit: ${join(fixtures, f, "model.json")}: no reference histogram of column "gender" (model format 1.0, written by churnkit 0.6.0); retrain the model with churnkit ${VERSION} to check drift\n`,
        );
      }
    },
    TIMEOUT,
  );

  it(
    "bad input and flags are exit 2 with one line",
    async () => {
      const noPlan = writeCsv(dir, "no-plan.csv", {
        header: rest.header.filter((h) => h !== "plan"),
        rows: rest.rows.map((r) => r.filter((_, j) => rest.header[j] !== "plan")),
      });
      const r = await runCli(["drift", "--model", model, "--data", noPlan]);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `churnkit: ${noPlan}: missing column "plan"; the model was trained with it, add it to the input\n`,
      );
      const share = await runCli(["drift", "--model", model, "--data", held, "--drift-share", "2"]);
      expect(share.status).toBe(2);
      expect(share.stderr).toContain('--drift-share must be a number from 0 to 1, got "2"');
      const none = await runCli(["drift", "--model", model, "--data", join(dir, "nope.csv")]);
      expect(none.status).toBe(2);
      expect(none.stderr).toBe(`churnkit: ${join(dir, "nope.csv")}: file not found; check the path\n`);
    },
    TIMEOUT,
  );
});
