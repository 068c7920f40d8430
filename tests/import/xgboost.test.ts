/**
 * `churnkit import --from xgboost` against XGBoost 1.7.4's own numbers (tests/fixtures/xgboost, written by
 * bench/xgboost_import_fixtures.py): probabilities to 1e-6, TreeSHAP contributions to XGBoost's pred_contribs,
 * the float32 split rule on values placed on the split conditions, and the model file's problems as one line.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ChurnModel } from "../../src/artifact/churn-model.js";
import type { ModelArtifact } from "../../src/artifact/artifact.js";
import { loadTable, type RawTable } from "../../src/data/load.js";
import { float32Below } from "../../src/import/float32.js";
import { importModel, readForeign } from "../../src/import/import.js";
import type { GbdtState } from "../../src/learners/gbdt/gbdt.js";
import { logger } from "../../src/utils/logging.js";
import { errorOf, ROOT, TELCO, tmp } from "../helpers.js";

const FX = join(ROOT, "tests", "fixtures", "xgboost");
const log = logger();

interface Expected {
  ids: string[];
  probability: number[];
  margin: number[];
  contributions: { features: string[]; rows: number[][] };
}
const expected = (name: string): Expected => JSON.parse(readFileSync(join(FX, `${name}.expected.json`), "utf8"));

/** Row index of each id of `ids` in `t`'s column `idColumn`. */
function rowsOf(t: RawTable, idColumn: string, ids: string[]): number[] {
  const at = new Map(t.data[idColumn]!.map((v, i) => [String(v), i]));
  return ids.map((id) => at.get(id)!);
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe("XGBoost on the Telco file (native categories, indicators, missing TotalCharges)", () => {
  let artifact: ModelArtifact;
  let model: ChurnModel;
  let telco: RawTable;
  const e = expected("telco");
  beforeAll(async () => {
    artifact = await importModel({ from: "xgboost", file: join(FX, "telco.model.json"), data: TELCO, log });
    model = ChurnModel.fromArtifact(artifact);
    telco = await loadTable(TELCO);
  }, 60_000);

  it("learns the inputs from --data: types, sorted category codes, the target, the id column, reference statistics", () => {
    expect(artifact.model.family).toBe("gbdt");
    expect(artifact.inputs.find((c) => c.name === "Partner")?.type).toBe("boolean");
    expect(artifact.inputs.find((c) => c.name === "tenure")?.type).toBe("numeric");
    expect(artifact.preprocess.categorical.find((c) => c.column === "Contract")?.levels).toEqual([
      "Month-to-month",
      "One year",
      "Two year",
    ]);
    expect(artifact.target).toEqual({ column: "Churn", positive: "Yes", negatives: ["No"] });
    expect(artifact.id_columns).toEqual(["customerID"]);
    expect(Object.keys(artifact.reference_stats)).toHaveLength(19);
    expect(artifact.reference_score?.histogram?.counts.reduce((s, c) => s + c, 0)).toBe(7043);
    expect(artifact.data_fingerprint.rows).toBe(7043);
    expect((artifact.model.state as GbdtState).n_iter).toBe(40);
  });

  it("scores the test split as XGBoost's predict_proba, to 1e-6", async () => {
    const rows = rowsOf(telco, "customerID", e.ids);
    const { probability } = await model.predictProba(telco);
    const ours = rows.map((r) => probability[r]!);
    expect(ours).toHaveLength(1409);
    expect(maxDiff(ours, e.probability)).toBeLessThan(1e-6);
  });

  it("explains with TreeSHAP as XGBoost's pred_contribs (cover = sum_hessian), additive in log-odds", async () => {
    const rows = rowsOf(telco, "customerID", e.ids.slice(0, e.contributions.rows.length));
    const ex = await model.explain(telco, { rows });
    ex.forEach((x, k) => {
      const ref = e.contributions.rows[k]!;
      e.contributions.features.forEach((f, j) => expect(Math.abs(x.contributions[f]! - ref[j]!)).toBeLessThan(1e-5));
      expect(Math.abs(x.base_value - ref[ref.length - 1]!)).toBeLessThan(1e-5);
      const sum = Object.values(x.contributions).reduce((s, v) => s + v, x.base_value);
      expect(Math.abs(sum - Math.log(x.probability / (1 - x.probability)))).toBeLessThan(1e-9);
      expect(Math.abs(sum - e.margin[k]!)).toBeLessThan(1e-5);
    });
  });
});

describe("XGBoost with missing values, partition category splits and values on the float32 split conditions", () => {
  const e = expected("missing");
  let artifact: ModelArtifact;
  let rows: RawTable;
  beforeAll(async () => {
    artifact = await importModel({
      from: "xgboost",
      file: join(FX, "missing.model.json"),
      data: join(FX, "missing-train.csv"),
      log,
    });
    rows = await loadTable(join(FX, "missing.csv"));
  }, 60_000);

  it("scores every row as XGBoost, the rows on split conditions included", async () => {
    const { probability } = await ChurnModel.fromArtifact(artifact).predictProba(rows);
    expect(Array.from(rows.data.id!, String)).toEqual(e.ids);
    expect(maxDiff(probability, e.probability)).toBeLessThan(1e-6);
  });

  it("needs the float32 rule: the split conditions taken as double thresholds misroute rows XGBoost routes", async () => {
    const doc = JSON.parse(readFileSync(join(FX, "missing.model.json"), "utf8").replace(/NaN/g, "null"));
    const raw = doc.learner.gradient_booster.model.trees as { split_conditions: (number | null)[] }[];
    const state = structuredClone(artifact.model.state) as GbdtState;
    // Same trees, each threshold T replaced by its float32 condition c (the float32 just above T): x <= c.
    const conditionOf = (t: number) => -float32Below(-Math.fround(t));
    let numeric = 0;
    const naive = state.trees.map((t, k) => ({
      ...t,
      threshold: t.threshold.map((th, i) => {
        if (t.feature[i]! < 0 || t.catLeft[i]) return th;
        const c = conditionOf(th);
        expect(raw[k]!.split_conditions.map((v) => (v === null ? v : Math.fround(v)))).toContain(c);
        numeric++;
        return c;
      }),
    }));
    expect(numeric).toBeGreaterThan(50);
    const wrong = ChurnModel.fromArtifact({
      ...artifact,
      model: { ...artifact.model, state: { ...state, trees: naive } },
    });
    const { probability } = await wrong.predictProba(rows);
    let misrouted = 0;
    for (let i = 0; i < probability.length; i++) if (Math.abs(probability[i]! - e.probability[i]!) > 1e-6) misrouted++;
    expect(misrouted).toBeGreaterThan(10);
  });

  it("explains as XGBoost's pred_contribs, missing values included", async () => {
    const picked = Array.from({ length: e.contributions.rows.length }, (_, i) => i);
    const ex = await ChurnModel.fromArtifact(artifact).explain(rows, { rows: picked });
    ex.forEach((x, k) => {
      const ref = e.contributions.rows[k]!;
      e.contributions.features.forEach((f, j) => expect(Math.abs(x.contributions[f]! - ref[j]!)).toBeLessThan(1e-5));
      expect(Math.abs(x.base_value - ref[ref.length - 1]!)).toBeLessThan(1e-5);
    });
  });

  it("without --data: types from feature_types, categories read as their codes, and XGBoost's numbers still", async () => {
    const a = await importModel({ from: "xgboost", file: join(FX, "missing.model.json"), log });
    expect(a.inputs).toEqual([
      { name: "age", type: "numeric" },
      { name: "monthly spend", type: "numeric" },
      { name: "visits", type: "numeric" },
      { name: "plan", type: "categorical" },
      { name: "active", type: "boolean" },
    ]);
    expect(a.preprocess.categorical[0]!.levels).toEqual(["0", "1", "2", "3", "4"]);
    expect(a.reference_stats).toEqual({});
    expect(a.data_fingerprint.rows).toBe(0);
    // The same rows with the plan given as its code (sorted labels, as the fixture coded them).
    const codes = ["basic", "max", "plus", "pro", "team"];
    const coded: RawTable = {
      ...rows,
      data: {
        ...rows.data,
        plan: rows.data.plan!.map((v) => (v === null || v === "" ? v : String(codes.indexOf(String(v))))),
      },
    };
    const { probability } = await ChurnModel.fromArtifact(a).predictProba(coded);
    expect(maxDiff(probability, e.probability)).toBeLessThan(1e-6);
  });
});

/** The parts of an XGBoost model.json the tests below edit. */
interface XgbDoc {
  learner: {
    objective: { name: string };
    learner_model_param: { num_class: string; base_score: string };
    gradient_booster: { name: string; model: { trees: { left_children: number[]; split_indices: number[] }[] } };
  };
}

describe("XGBoost model files that cannot be imported", () => {
  const dir = tmp("churnkit-import-");
  const variant = (name: string, edit: (doc: XgbDoc) => void): string => {
    const text = readFileSync(join(FX, "missing.model.json"), "utf8").replace(/NaN/g, "null");
    const doc = JSON.parse(text);
    edit(doc);
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(doc));
    return p;
  };
  const message = async (file: string, data?: string) =>
    (await errorOf(() => importModel({ from: "xgboost", file, data, log }))).message;

  it("names the objective, the multiclass model, the booster", async () => {
    const reg = variant("reg.json", (d) => (d.learner.objective.name = "reg:squarederror"));
    expect(await message(reg)).toMatch(/reg\.json: objective "reg:squarederror" is not supported; .*binary:logistic/);
    const multi = variant("multi.json", (d) => {
      d.learner.learner_model_param.num_class = "3";
      d.learner.objective.name = "multi:softprob";
    });
    expect(await message(multi)).toMatch(/multi\.json: a multiclass .*num_class 3.*multi:softprob/);
    const dart = variant("dart.json", (d) => (d.learner.gradient_booster.name = "dart"));
    expect(await message(dart)).toMatch(/booster "dart" is not supported/);
  });

  it("refuses a missing file, a file that is not JSON, and a broken tree, in one line naming the file", async () => {
    expect(await message(join(dir, "nope.json"))).toMatch(/nope\.json: model file not found/);
    const text = join(dir, "model.txt");
    writeFileSync(text, readFileSync(join(ROOT, "tests", "fixtures", "lightgbm", "hand.model.txt")));
    expect(await message(text)).toMatch(
      /model\.txt: not an XGBoost JSON model \(.*\); save it with booster\.save_model/,
    );
    const cycle = variant("cycle.json", (d) => (d.learner.gradient_booster.model.trees[2]!.left_children[1] = 0));
    expect(await message(cycle)).toMatch(/cycle\.json: tree 2: node 0 is reached twice/);
    const bad = variant("bad.json", (d) => (d.learner.gradient_booster.model.trees[0]!.split_indices[0] = 9));
    expect(await message(bad)).toMatch(/bad\.json: tree 0, node 0: feature index 9 out of range 0\.\.4/);
    for (const m of [await message(cycle), await message(bad)]) expect(m).not.toMatch(/\n/);
  });

  it("reads XGBoost 3.1's base_score list and refuses a base_score that is not one probability", async () => {
    const list = variant("list.json", (d) => (d.learner.learner_model_param.base_score = "[2.5E-1]"));
    expect(readForeign("xgboost", list).baseline).toBeCloseTo(Math.log(0.25 / 0.75), 6);
    const two = variant("two.json", (d) => (d.learner.learner_model_param.base_score = "[2.5E-1,5E-1]"));
    expect(await message(two)).toMatch(/base_score is "\[2\.5E-1,5E-1\]", not one probability/);
  });

  it("names the model's column that --data lacks, and a text column the model splits as a number", async () => {
    const csv = readFileSync(join(FX, "missing-train.csv"), "utf8").replace(/^id,age,/, "id,AGE,");
    const data = join(dir, "renamed.csv");
    writeFileSync(data, csv);
    expect(await message(join(FX, "missing.model.json"), data)).toMatch(
      /renamed\.csv: no column "age", a feature of the xgboost model .*missing\.model\.json; give the table/,
    );
    const text = join(dir, "text.csv");
    writeFileSync(text, readFileSync(join(FX, "missing-train.csv"), "utf8").replace(/\n(t0),[^,]*,/, "\n$1,old,"));
    expect(await message(join(FX, "missing.model.json"), text)).toMatch(
      /text\.csv: column "age" holds text, but the xgboost model splits it as a number/,
    );
  });
});

describe("the model file is data", () => {
  it("imports feature names that look like code or object keys as plain column names", async () => {
    const dir = tmp("churnkit-import-names-");
    const names = ["__proto__", "constructor", '"); process.exit(3); //', "toString", "active"];
    const doc = JSON.parse(readFileSync(join(FX, "missing.model.json"), "utf8").replace(/NaN/g, "null"));
    doc.learner.feature_names = names;
    const file = join(dir, "names.json");
    writeFileSync(file, JSON.stringify(doc));
    const header = readFileSync(join(FX, "missing.csv"), "utf8").split("\n")[0]!;
    const csv = readFileSync(join(FX, "missing.csv"), "utf8").replace(
      header,
      `id,${names.map((n) => `"${n.replace(/"/g, '""')}"`).join(",")},churned`,
    );
    const data = join(dir, "names.csv");
    writeFileSync(data, csv);
    const a = await importModel({ from: "xgboost", file, data, log });
    expect(a.inputs.map((c) => c.name)).toEqual(names);
    expect(Object.hasOwn(a.reference_stats, "__proto__")).toBe(true);
    const { probability } = await ChurnModel.fromArtifact(a).predictProba(await loadTable(data));
    expect(maxDiff(probability, expected("missing").probability)).toBeLessThan(1e-6);
  });
});
