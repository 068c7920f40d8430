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
import { tmp } from "../helpers.js";
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
