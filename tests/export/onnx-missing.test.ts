/**
 * The ONNX export on a small table with missing values, rare levels pooled into "(other)", levels never seen in
 * training, boolean columns and every calibration: onnxruntime-node gives churnkit's probabilities.
 */
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { readArtifact } from "../../src/artifact/artifact.js";
import { tableFromRows } from "../../src/data/load.js";
import { onnxFormat } from "../../src/export/onnx/index.js";
import { errorOf } from "../helpers.js";
import { registerFamily, unregisterFamily } from "../../src/learners/families.js";
import { naiveBayes } from "../models/naive-bayes-family.js";
import { maxAbsDiff, onnxFeeds, scoreChurnkit, scoreOnnx, trainModel } from "./onnx-run.js";

/** A seeded table: numbers with gaps, a yes/no column, a plan with rare levels, a region with gaps. */
function rows(n: number, seed: number, scoring = false): Record<string, unknown>[] {
  let s = seed >>> 0;
  const r = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const plans = ["basic", "plus", "pro", "family"];
  const regions = ["north", "south", "east", "west"];
  return Array.from({ length: n }, (_, i) => {
    const usage = r() < 0.15 ? null : Math.round(r() * 1000) / 10;
    const months = Math.floor(r() * 72);
    const autopay = r() < 0.1 ? "" : r() < 0.5 ? "yes" : "no";
    const u = r();
    let plan: string | null = u < 0.01 ? "rare1" : u < 0.02 ? "rare2" : plans[Math.floor(r() * 4)]!;
    if (r() < 0.05) plan = null;
    if (scoring && r() < 0.1) plan = "never-seen";
    let region: string | null = r() < 0.2 ? null : regions[Math.floor(r() * 4)]!;
    if (scoring && r() < 0.05) region = r() < 0.5 ? "NA" : "mars";
    const z = 0.03 * (usage ?? 40) - 0.05 * months + (plan === "pro" ? 1 : 0) + (autopay === "yes" ? -0.7 : 0.3);
    return {
      id: `c${i}`,
      usage,
      months,
      autopay,
      plan,
      region,
      churned: r() < 1 / (1 + Math.exp(-z)) ? "yes" : "no",
    };
  });
}

const train = rows(800, 7);
const score = tableFromRows(rows(300, 99, true), "scoring");
const scoreFloat32 = tableFromRows(
  rows(300, 99, true).map((r) => ({ ...r, usage: r.usage === null ? null : Math.fround(r.usage as number) })),
  "scoring",
);

const cases: {
  model: "logreg" | "tree" | "forest" | "gbdt";
  calibration: "none" | "platt" | "isotonic";
  imputation: "most_frequent" | "missing_level";
  params?: Record<string, unknown>;
}[] = [
  { model: "logreg", calibration: "none", imputation: "most_frequent" },
  { model: "logreg", calibration: "platt", imputation: "missing_level" },
  { model: "logreg", calibration: "isotonic", imputation: "missing_level" },
  { model: "tree", calibration: "isotonic", imputation: "most_frequent", params: { max_depth: 5 } },
  { model: "forest", calibration: "platt", imputation: "most_frequent", params: { n_estimators: 30 } },
  { model: "forest", calibration: "none", imputation: "most_frequent", params: { n_estimators: 30 } },
  { model: "gbdt", calibration: "none", imputation: "most_frequent" },
  { model: "gbdt", calibration: "isotonic", imputation: "most_frequent" },
];

describe("ONNX export with missing values and unseen categories", () => {
  for (const c of cases) {
    it(`${c.model}, calibration ${c.calibration}, ${c.imputation}: churnkit's probabilities to 1e-9`, async () => {
      const dir = await trainModel({
        data: train,
        target: "churned",
        idColumns: ["id"],
        model: c.model,
        params: c.params,
        config: {
          preprocess: { categorical_imputation: c.imputation, min_category_count: 20 },
          model: { calibration: c.calibration },
        },
      });
      const a = readArtifact(dir);
      expect(a.calibration?.method ?? "none").toBe(c.calibration);
      const plan = a.preprocess.categorical.find((s) => s.column === "plan")!;
      expect(plan.other).toBe(true); // rare1 and rare2 pooled into "(other)"
      const ours = await scoreChurnkit(dir, score);
      const onnx = await scoreOnnx(dir, score);
      // Trees see each value on the side of each threshold churnkit sees it; a linear model sees the value rounded
      // to float32 (usage in tenths: a relative change of up to 2^-24, times its coefficient).
      expect(maxAbsDiff(onnx.probability, ours.probability)).toBeLessThan(c.model === "logreg" ? 1e-6 : 1e-9);
      expect(Array.from(onnx.label, Number)).toEqual(
        Array.from(ours.probability, (p) => (p >= ours.threshold ? 1 : 0)),
      );
      if (c.model === "logreg") {
        // Values that are float32 already: the same probabilities, to rounding. (For trees, a float32 value that is
        // a threshold rounded to float32 is read as that threshold: tests/export/onnx-float32.test.ts.)
        const exact = await scoreChurnkit(dir, scoreFloat32);
        expect(maxAbsDiff((await scoreOnnx(dir, scoreFloat32)).probability, exact.probability)).toBeLessThan(1e-12);
      }
    }, 60_000);
  }

  it('reads "" and churnkit\'s missing-value words as missing, and an unseen level as "(other)"', async () => {
    const dir = await trainModel({
      data: train,
      target: "churned",
      idColumns: ["id"],
      model: "gbdt",
      config: { preprocess: { min_category_count: 20 } },
    });
    const a = readArtifact(dir);
    const session = await ort.InferenceSession.create(onnxFormat.write(a) as Uint8Array);
    const base = tableFromRows([{ id: "x", usage: 12.5, months: 3, autopay: "yes", plan: "basic", region: "north" }]);
    const run = async (column: string, values: string[]): Promise<number[]> => {
      const feeds = onnxFeeds(a, base);
      const out: number[] = [];
      for (const v of values) {
        feeds[column] = new ort.Tensor("string", [v], [1, 1]);
        out.push(Number((await session.run(feeds)).probability!.data[0]));
      }
      return out;
    };
    const [empty, na, none] = await run("region", ["", "NA", "None"]);
    expect(na).toBe(empty);
    expect(none).toBe(empty);
    const missing = tableFromRows([{ id: "x", usage: 12.5, months: 3, autopay: "yes", plan: "basic", region: null }]);
    const ours = await scoreChurnkit(dir, missing);
    expect(empty).toBeCloseTo(ours.probability[0]!, 12);
    const [rare, unseen] = await run("plan", ["rare1", "never-seen"]);
    expect(unseen).toBe(rare);
  }, 60_000);
});

describe("ONNX export refusals", () => {
  it("refuses a derived feature, naming it", async () => {
    const dir = await trainModel({
      data: train,
      target: "churned",
      idColumns: ["id"],
      model: "gbdt",
      config: { features: { derived: { usage_per_month: "usage / (months + 1)" } } },
    });
    const err = await errorOf(() => onnxFormat.write(readArtifact(dir)));
    expect(err.name).toBe("UserError");
    expect(err.message).toBe(
      'model.json: derived feature "usage_per_month" ("usage / (months + 1)") cannot be written as ONNX; export to SQL (--format sql), or retrain without features.derived',
    );
  }, 60_000);

  it("refuses a family without a score form, naming it", async () => {
    registerFamily({ ...naiveBayes, scoreForm: undefined });
    try {
      const dir = await trainModel({ data: train, target: "churned", idColumns: ["id"], model: "naive-bayes" });
      const err = await errorOf(() => onnxFormat.write(readArtifact(dir)));
      expect(err.name).toBe("UserError");
      expect(err.message).toMatch(/^model\.json: model family "naive-bayes" cannot be exported/);
    } finally {
      unregisterFamily("naive-bayes");
    }
  }, 60_000);
});
