import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { ChurnKit } from "../../src/pipeline/churnkit.js";
import { loadTable } from "../../src/data/load.js";
import { runPipeline, type RunResult } from "../../src/pipeline/run.js";
import { TEST_IDS, telcoLines, tmp } from "../helpers.js";

describe("runPipeline on the bundled data", () => {
  let dir: string;
  let out: string;
  let r: RunResult;
  beforeAll(async () => {
    dir = tmp();
    out = join(dir, "model");
    r = await runPipeline(new ChurnKit({ out }));
  });

  it("writes model.json and metrics.json into the out directory, and nothing else is left behind", () => {
    expect(r.out).toBe(out);
    expect(existsSync(join(out, "model.json"))).toBe(true);
    expect(existsSync(join(out, "metrics.json"))).toBe(true);
    expect(readdirSync(dir)).toEqual(["model"]); // no temporary directories
  });

  it("metrics.json has validation and test metrics and the timings", () => {
    const m = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
    expect(m.family).toBe("logreg");
    for (const part of [m.validation, m.test]) {
      for (const k of [
        "rows",
        "auc",
        "pr_auc",
        "log_loss",
        "brier",
        "accuracy",
        "precision",
        "recall",
        "f1",
        "threshold",
      ])
        expect(typeof part[k]).toBe("number");
      expect(Object.keys(part.confusion).sort()).toEqual(["fn", "fp", "tn", "tp"]);
    }
    // Stratified 80/20 test split of 7,043 rows: round(5174·0.2) + round(1869·0.2) = 1035 + 374.
    expect(m.test.rows).toBe(1409);
    expect(m.test.confusion.tp + m.test.confusion.fn).toBe(374);
    expect(m.test.auc).toBeGreaterThan(0.82);
    expect(m.validation.auc).toBeGreaterThan(0.8);
    expect(m.validation.rows).toBe(1127); // 20% of the 5,634 training rows
    for (const k of ["load_s", "preprocess_s", "fit_s", "total_s"]) {
      expect(typeof m.timings[k]).toBe("number");
      expect(m.timings[k]).toBeGreaterThanOrEqual(0);
    }
    expect(m.timings.total_s).toBeGreaterThanOrEqual(m.timings.load_s + m.timings.fit_s);
    expect(m).toEqual(JSON.parse(JSON.stringify(r.metrics)));
  });

  it("model.json records the training rows (the split's training part) and the config", () => {
    const a = JSON.parse(readFileSync(join(out, "model.json"), "utf8"));
    expect(a.format).toBe("churnkit-model");
    expect(a.data_fingerprint.rows).toBe(7043 - 1409);
    expect(a.config.out).toBe(out);
    expect(a.target.column).toBe("Churn");
  });
});

describe("acceptance: the scikit-learn reference split", () => {
  it("logreg reaches test ROC AUC >= 0.840 (scikit-learn: 0.842)", async () => {
    const dir = tmp();
    const testIds = new Set(JSON.parse(readFileSync(TEST_IDS, "utf8")) as string[]);
    expect(testIds.size).toBe(1409);
    const { header, lines } = telcoLines();
    const trainLines = lines.filter((l) => !testIds.has(l.split(",")[0]!));
    const testLines = lines.filter((l) => testIds.has(l.split(",")[0]!));
    expect(testLines).toHaveLength(1409);
    expect(trainLines).toHaveLength(7043 - 1409);
    const trainCsv = join(dir, "train.csv");
    const testCsv = join(dir, "test.csv");
    writeFileSync(trainCsv, [header, ...trainLines].join("\n") + "\n");
    writeFileSync(testCsv, [header, ...testLines].join("\n") + "\n");

    const { model } = await train({ data: trainCsv, target: "Churn", drop: ["customerID"], model: "logreg", seed: 42 });
    expect(model.artifact.inputs.map((c) => c.name)).not.toContain("customerID");
    const m = await model.evaluate(await loadTable(testCsv));
    expect(m.rows).toBe(1409);
    expect(m.auc).toBeGreaterThanOrEqual(0.84);
  });
});
