/**
 * `churnkit import` as a user runs it (the built CLI): the imported directory scores with `predict`, explains with
 * `explain`, serves with `serve` (a real server on loopback) like a trained one; bad input is exit 2 and one line.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli-run.js";
import { ROOT, TELCO, tmp } from "../helpers.js";
import { freePort, killAll, serve, waitForHealth } from "../serve/process.js";

const FX = join(ROOT, "tests", "fixtures", "xgboost");
const dir = tmp("churnkit-import-cli-");
const model = join(dir, "telco");
const expected = JSON.parse(readFileSync(join(FX, "telco.expected.json"), "utf8")) as {
  ids: string[];
  probability: number[];
};

beforeAll(async () => {
  const r = await runCli(
    ["import", "--from", "xgboost", join(FX, "telco.model.json"), "--data", TELCO, "--out", model],
    {
      timeoutMs: 120_000,
    },
  );
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/xgboost model imported to .*telco: 19 input columns, 40 trees/);
}, 150_000);
afterAll(killAll);

describe("churnkit import, then the model's commands", () => {
  it("predict scores the Telco test split as XGBoost (ids kept, 1e-6)", async () => {
    const out = join(dir, "scores.csv");
    const r = await runCli(["predict", "--model", model, "--data", TELCO, "--out", out], { timeoutMs: 120_000 });
    expect(r.status).toBe(0);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("customerID,churn_probability,churn_prediction");
    const p = new Map(lines.slice(1).map((l) => [l.split(",")[0]!, Number(l.split(",")[1])]));
    expect(p.size).toBe(7043);
    let worst = 0;
    expected.ids.forEach((id, i) => (worst = Math.max(worst, Math.abs(p.get(id)! - expected.probability[i]!))));
    expect(worst).toBeLessThan(1e-6);
  }, 120_000);

  it("explain --json: base value plus contributions is the log-odds of each probability", async () => {
    const r = await runCli(["explain", "--model", model, "--data", TELCO, "--rows", "0,1,2", "--json"], {
      timeoutMs: 120_000,
    });
    expect(r.status).toBe(0);
    const ex = JSON.parse(r.stdout) as {
      probability: number;
      base_value: number;
      contributions: Record<string, number>;
    }[];
    expect(ex).toHaveLength(3);
    for (const x of ex) {
      expect(Object.keys(x.contributions)).toHaveLength(19);
      const sum = Object.values(x.contributions).reduce((s, v) => s + v, x.base_value);
      expect(Math.abs(sum - Math.log(x.probability / (1 - x.probability)))).toBeLessThan(1e-9);
    }
  }, 120_000);

  it("serve answers /predict with XGBoost's probabilities, and explains", async () => {
    const port = await freePort();
    const run = serve(["--model", model, "--port", String(port)], { CHURNKIT_LOG_LEVEL: "silent" });
    await waitForHealth(port, run);
    const lines = readFileSync(TELCO, "utf8").trim().split("\n");
    const header = lines[0]!.split(",");
    const wanted = new Set(expected.ids.slice(0, 20));
    const rows = lines
      .slice(1)
      .map((l) => Object.fromEntries(l.split(",").map((v, j) => [header[j]!, v])))
      .filter((r) => wanted.has(r.customerID as string));
    const res = await fetch(`http://127.0.0.1:${port}/predict?explain=true`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(rows),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      model: { family: string };
      predictions: { customerID: string; churn_probability: number; contributions: unknown[] }[];
    };
    expect(body.model.family).toBe("gbdt");
    expect(body.predictions).toHaveLength(20);
    for (const p of body.predictions) {
      const i = expected.ids.indexOf(p.customerID);
      expect(Math.abs(p.churn_probability - expected.probability[i]!)).toBeLessThan(1e-6);
      expect(p.contributions.length).toBeGreaterThan(0);
    }
    run.child.kill("SIGTERM");
    expect(await run.exit).toBe(0);
  }, 120_000);
});

describe("churnkit import: bad input is exit 2 and one line", () => {
  const fails = async (args: string[], pattern: RegExp) => {
    const r = await runCli(["import", ...args, "--out", join(dir, "bad")], { timeoutMs: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  };

  it("a wrong objective, a model file that is not JSON, a missing file, a column --data lacks", async () => {
    const reg = join(dir, "reg.json");
    writeFileSync(
      reg,
      readFileSync(join(FX, "missing.model.json"), "utf8").replace(
        '"name":"binary:logistic"',
        '"name":"reg:squarederror"',
      ),
    );
    await fails(["--from", "xgboost", reg], /^churnkit: .*reg\.json: objective "reg:squarederror" is not supported/);
    const notJson = join(dir, "model.json");
    writeFileSync(notJson, "this is not a model\n");
    await fails(["--from", "xgboost", notJson], /^churnkit: .*model\.json: not an XGBoost JSON model/);
    await fails(["--from", "lightgbm", join(dir, "none.txt")], /^churnkit: .*none\.txt: model file not found/);
    const data = join(dir, "no-plan.csv");
    writeFileSync(data, readFileSync(join(FX, "missing-train.csv"), "utf8").replace(",plan,", ",PLAN,"));
    await fails(
      ["--from", "xgboost", join(FX, "missing.model.json"), "--data", data],
      /^churnkit: .*no-plan\.csv: no column "plan", a feature of the xgboost model/,
    );
    // A usage error: commander's line, then the project's usual pointer to --help.
    const r = await runCli(["import", "--from", "catboost", reg, "--out", join(dir, "bad")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /option '--from <library>' argument 'catboost' is invalid. Allowed choices are xgboost, lightgbm/,
    );
  }, 180_000);
});
