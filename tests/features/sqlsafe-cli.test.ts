/**
 * The red-team derived SQL through the built CLI (`npm run build` first): `predict` with a crafted
 * model.json and `train --config` with a crafted config each exit 2 with one exact line, and no
 * file appears. Legitimate derived features train and predict.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { telcoLines, tmp, write } from "../helpers.js";
import { ATTACKS } from "./attacks.js";
import { runCli } from "../cli-run.js";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI in `cwd` (so that a relative path an attack writes would land there), logs silent. */
const cli = (args: string[], cwd: string): Promise<Run> => runCli(args, { cwd });

const yamlString = (s: string) => JSON.stringify(s); // a JSON string is a YAML string

describe.concurrent("derived-feature SQL through the CLI", () => {
  let dir: string;
  let data: string;
  let model: string;

  beforeAll(async () => {
    dir = tmp("churnkit-sqlsafe-");
    const { header, lines } = telcoLines();
    data = write(dir, "sample.csv", [header, ...lines.slice(0, 400)].join("\n") + "\n");
    const config = write(
      dir,
      "legit.yaml",
      [
        "features:",
        "  derived:",
        `    band: ${yamlString("CASE WHEN tenure < 12 THEN 'new' ELSE 'old' END")}`,
        `    per_month: ${yamlString("MonthlyCharges / NULLIF(tenure, 0)")}`,
        `    contract_lower: ${yamlString("lower(Contract)")}`,
      ].join("\n") + "\n",
    );
    model = join(dir, "model");
    const r = await cli(
      ["train", "--data", data, "--target", "Churn", "--config", config, "--model", "logreg", "--out", model],
      dir,
    );
    expect(r.status, r.stderr).toBe(0);
  }, 120_000);

  it("legitimate derived features are trained, stored and used by predict", async () => {
    const a = JSON.parse(readFileSync(join(model, "model.json"), "utf8")) as { derived: { name: string }[] };
    expect(a.derived.map((d) => d.name)).toEqual(["band", "per_month", "contract_lower"]);
    const r = await cli(["predict", "--model", model, "--data", data], dir);
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.trimEnd().split("\n");
    expect(rows[0]).toBe("customerID,churn_probability,churn_prediction");
    expect(rows).toHaveLength(401);
  });

  it.each(ATTACKS)("predict with a model whose derived SQL uses $label: exit 2, one line, no file", async (attack) => {
    const work = tmp("churnkit-sqlsafe-predict-");
    const crafted = join(work, "model");
    cpSync(model, crafted, { recursive: true });
    const file = join(crafted, "model.json");
    const a = JSON.parse(readFileSync(file, "utf8")) as { derived: { name: string; sql: string }[] };
    a.derived[0] = { ...a.derived[0]!, sql: attack.sql }; // keeps its name, so the file is otherwise consistent
    writeFileSync(file, JSON.stringify(a));
    const before = readdirSync(work).sort();
    const r = await cli(["predict", "--model", crafted, "--data", data], work);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `churnkit: ${file}: derived feature "band" uses ${attack.uses}, which is not allowed; retrain without it\n`,
    );
    expect(readdirSync(work).sort()).toEqual(before);
    expect(readdirSync(crafted).sort()).toEqual(["metrics.json", "model.json", "report.html"]);
  });

  it.each(ATTACKS)("train --config with derived SQL that uses $label: exit 2, one line, no file", async (attack) => {
    const work = tmp("churnkit-sqlsafe-train-");
    const config = write(work, "churn.yaml", `features:\n  derived:\n    avg: ${yamlString(attack.sql)}\n`);
    const r = await cli(
      ["train", "--data", data, "--target", "Churn", "--config", "churn.yaml", "--out", "out-model"],
      work,
    );
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      `churnkit: churn.yaml: features.derived.avg: uses ${attack.uses}, which is not allowed; use a row-wise expression over input columns\n`,
    );
    expect(readdirSync(work)).toEqual(["churn.yaml"]);
    expect(readFileSync(config, "utf8")).toContain("avg:");
  });

  it("serve refuses a crafted model before it listens: exit 2, one line", async () => {
    const work = tmp("churnkit-sqlsafe-serve-");
    const crafted = join(work, "model");
    cpSync(model, crafted, { recursive: true });
    const file = join(crafted, "model.json");
    const a = JSON.parse(readFileSync(file, "utf8")) as { derived: { name: string; sql: string }[] };
    a.derived[1] = { ...a.derived[1]!, sql: ATTACKS[0]!.sql };
    writeFileSync(file, JSON.stringify(a));
    const r = await cli(["serve", "--model", crafted, "--port", "0"], work);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      `churnkit: ${file}: derived feature "per_month" uses read_text, which is not allowed; retrain without it\n`,
    );
  });

  it("train --config checks derived SQL before it reads any data", async () => {
    const work = tmp("churnkit-sqlsafe-train-");
    write(work, "churn.yaml", `features:\n  derived:\n    ok: "tenure + 1"\n    late: "now()"\n`);
    const r = await cli(["train", "--data", "missing.csv", "--config", "churn.yaml", "--out", "m"], work);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      "churnkit: churn.yaml: features.derived.late: uses now, which is not allowed; use a row-wise expression over input columns\n",
    );
  });
});
