/**
 * `churnkit import --from lightgbm` on a LightGBM text model written by hand from the documented format
 * (tests/fixtures/lightgbm/hand.model.txt; LightGBM is not in Debian, so no LightGBM ran). Its expected scores come
 * from two places that do not use the importer: sums of leaves worked out by hand for a few rows, and a brute-force
 * evaluator of LightGBM's own decision rule (Tree::Decision, include/LightGBM/tree.h) over the trees transcribed
 * by hand below, on thousands of rows placed on and around every threshold, NaN, zero and category edge.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ChurnModel } from "../../src/artifact/churn-model.js";
import type { RawTable, RawValue } from "../../src/data/load.js";
import { importModel } from "../../src/import/import.js";
import { Rng } from "../../src/utils/random.js";
import { logger } from "../../src/utils/logging.js";
import { errorOf, ROOT, tmp } from "../helpers.js";

const FILE = join(ROOT, "tests", "fixtures", "lightgbm", "hand.model.txt");
const TEXT = readFileSync(FILE, "utf8");
const log = logger();
const dir = tmp("churnkit-lgb-");
const variant = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const imported = async (file = FILE, data?: string) =>
  ChurnModel.fromArtifact(await importModel({ from: "lightgbm", file, data, log }));

/** The fixture's trees, transcribed by hand (not parsed): split feature, threshold, decision_type, children, bitset. */
interface Split {
  f: number;
  t: number;
  dt: number;
  l: number;
  r: number;
  bits?: number[];
}
const TREES: { splits: Split[]; leaves: number[] }[] = [
  {
    splits: [
      { f: 0, t: 12.5, dt: 10, l: -1, r: 1 },
      { f: 2, t: 0, dt: 9, l: -2, r: -3, bits: [10, 66] }, // codes 1, 3, 33, 38 go left
    ],
    leaves: [0.3, -0.2, 0.15],
  },
  {
    splits: [
      { f: 1, t: 70.25, dt: 0, l: 1, r: 2 },
      { f: 3, t: 1.0000000180025095e-35, dt: 6, l: -1, r: -2 },
      { f: 0, t: 40, dt: 8, l: -3, r: -4 },
    ],
    leaves: [-0.05, 0.12, 0.08, -0.1],
  },
  { splits: [], leaves: [0.01] },
  { splits: [{ f: 1, t: -3.5, dt: 10, l: -1, r: -2 }], leaves: [0.07, -0.03] },
];
const K_ZERO = Math.fround(1e-35);

/** LightGBM's Tree::Decision for one split and a double x (NaN = missing). */
function decide(s: Split, x: number): number {
  if (s.dt & 1) {
    if (Number.isNaN(x)) return s.r;
    const c = Math.trunc(x);
    if (c < 0) return s.r;
    const w = c >> 5;
    return w < s.bits!.length && (s.bits![w]! >>> (c & 31)) & 1 ? s.l : s.r;
  }
  const missing = (s.dt >> 2) & 3;
  if (Number.isNaN(x) && missing !== 2) x = 0;
  if ((missing === 1 && x >= -K_ZERO && x <= K_ZERO) || (missing === 2 && Number.isNaN(x))) return s.dt & 2 ? s.l : s.r;
  return x <= s.t ? s.l : s.r;
}

/** LightGBM's raw score of one row (features as doubles, the category as its code, NaN missing). */
function lightgbmRaw(x: number[]): number {
  let sum = 0;
  for (const t of TREES) {
    if (t.splits.length === 0) {
      sum += t.leaves[0]!;
      continue;
    }
    let node = 0;
    while (node >= 0) {
      const s = t.splits[node]!;
      node = decide(s, x[s.f]!);
    }
    sum += t.leaves[~node]!;
  }
  return sum;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const label = (c: number) => `p${String(c).padStart(2, "0")}`;

/** Rows as a raw table; the category is given as its label (pandas_categorical), unseen as "p99". */
function table(rows: { tenure: number; charges: number; plan: number | "unseen"; usage: number }[]): RawTable {
  const num = (v: number): RawValue => (Number.isNaN(v) ? null : v);
  return {
    origin: "rows",
    columns: ["tenure", "charges", "plan", "usage"],
    rows: rows.length,
    data: {
      tenure: rows.map((r) => num(r.tenure)),
      charges: rows.map((r) => num(r.charges)),
      plan: rows.map((r) => (r.plan === "unseen" ? "p99" : Number.isNaN(r.plan) ? null : label(r.plan))),
      usage: rows.map((r) => num(r.usage)),
    },
  };
}

describe("a hand-written LightGBM text model", () => {
  it("scores rows as worked out by hand (NaN, None and Zero missing types, exact thresholds, both bitset words)", async () => {
    const rows = table([
      { tenure: 5, charges: 50, plan: 10, usage: 3 },
      { tenure: NaN, charges: 80, plan: 33, usage: 0 },
      { tenure: 12.5, charges: NaN, plan: 0, usage: NaN },
      { tenure: 13, charges: 70.25, plan: 3, usage: 0 },
      { tenure: 50, charges: 100, plan: 38, usage: 5 },
      { tenure: 20, charges: -5, plan: 2, usage: -1e-36 },
      { tenure: 20, charges: 70.26, plan: NaN, usage: 4 },
      { tenure: 20, charges: 10, plan: "unseen", usage: 2e-35 },
      { tenure: 30, charges: -3.5, plan: 39, usage: 7 },
    ]);
    // Leaf by leaf, trees 0..3 (tree 2 is a single leaf of 0.01).
    const byHand = [
      0.3 + 0.12 + 0.01 - 0.03,
      0.3 - 0.1 + 0.01 - 0.03,
      0.3 - 0.05 + 0.01 + 0.07,
      -0.2 - 0.05 + 0.01 - 0.03,
      -0.2 - 0.1 + 0.01 - 0.03,
      0.15 - 0.05 + 0.01 + 0.07,
      0.15 + 0.08 + 0.01 - 0.03,
      0.15 + 0.12 + 0.01 - 0.03,
      0.15 + 0.12 + 0.01 + 0.07,
    ];
    const model = await imported();
    const { probability, unseen } = await model.predictProba(rows);
    byHand.forEach((z, i) => expect(Math.abs(probability[i]! - sigmoid(z))).toBeLessThan(1e-12));
    expect(unseen).toEqual([{ row: 7, column: "plan", value: "p99" }]);
  });

  it("scores 5,000 rows on and around every threshold as LightGBM's decision rule does", async () => {
    const rng = new Rng(7);
    const pick = <T>(xs: T[]): T => xs[rng.int(xs.length)]!;
    const near = (t: number) => [t, t - Math.abs(t) * 1e-15 - 1e-300, t + Math.abs(t) * 1e-15 + 1e-300];
    const tenure = [NaN, 0, 72, ...near(12.5), ...near(40)];
    const charges = [NaN, 0, -0, -10, 118.75, ...near(70.25), ...near(-3.5)];
    const usage = [NaN, 0, -0, 1e-36, -1e-36, K_ZERO, -K_ZERO, 2e-35, -2e-35, 3, -3, ...near(K_ZERO)];
    const plan: (number | "unseen")[] = [NaN, "unseen", ...Array.from({ length: 40 }, (_, c) => c)];
    const rows = Array.from({ length: 5000 }, () => ({
      tenure: rng.next() < 0.2 ? rng.next() * 80 : pick(tenure),
      charges: rng.next() < 0.2 ? rng.next() * 130 - 10 : pick(charges),
      plan: pick(plan),
      usage: pick(usage),
    }));
    const expected = rows.map((r) => lightgbmRaw([r.tenure, r.charges, r.plan === "unseen" ? NaN : r.plan, r.usage]));
    const model = await imported();
    const raw = await model.predictRaw(table(rows));
    let worst = 0;
    expected.forEach((z, i) => (worst = Math.max(worst, Math.abs(raw[i]! - z))));
    expect(worst).toBeLessThan(1e-12);
  });

  it("explains additively, from the base value the leaf counts give by hand", async () => {
    const model = await imported();
    const rows = table([
      { tenure: 5, charges: 50, plan: 10, usage: 3 },
      { tenure: NaN, charges: NaN, plan: 38, usage: 0 },
    ]);
    const ex = await model.explain(rows);
    // Σ leaf × leaf_count / root count per tree.
    const base = (0.3 * 40 - 0.2 * 25 + 0.15 * 35) / 100 + (-0.05 * 30 + 0.12 * 30 + 0.08 * 20 - 0.1 * 20) / 100;
    for (const x of ex) {
      expect(x.base_value).toBeCloseTo(base + 0.01 + (0.07 * 45 - 0.03 * 55) / 100, 12);
      const sum = Object.values(x.contributions).reduce((s, v) => s + v, x.base_value);
      expect(Math.abs(sum - Math.log(x.probability / (1 - x.probability)))).toBeLessThan(1e-9);
    }
    expect(ex[0]!.contributions.usage).not.toBe(0);
  });

  it("applies sigmoid:S and average_output as LightGBM's binary objective does", async () => {
    const rows = table([{ tenure: 5, charges: 50, plan: 10, usage: 3 }]);
    const z = lightgbmRaw([5, 50, 10, 3]);
    const scaled = await imported(variant("s.txt", TEXT.replace("sigmoid:1", "sigmoid:0.7")));
    expect((await scaled.predictProba(rows)).probability[0]).toBeCloseTo(sigmoid(0.7 * z), 12);
    const averaged = await imported(
      variant("a.txt", TEXT.replace("objective=binary sigmoid:1\n", "$&average_output\n")),
    );
    expect((await averaged.predictProba(rows)).probability[0]).toBeCloseTo(sigmoid(z / 4), 12);
  });

  it("reads the categories from pandas_categorical, or as codes without it; --data gives statistics", async () => {
    const a = await importModel({ from: "lightgbm", file: FILE, log });
    expect(a.preprocess.categorical[0]!.levels).toEqual(Array.from({ length: 40 }, (_, c) => label(c)));
    const noLabels = variant("codes.txt", TEXT.replace(/pandas_categorical:.*\n/, "pandas_categorical:null\n"));
    const b = await importModel({ from: "lightgbm", file: noLabels, log });
    expect(b.preprocess.categorical[0]!.levels).toEqual(Array.from({ length: 39 }, (_, c) => String(c)));
    const csv = ["tenure,charges,plan,usage,churn", "5,50,p10,3,yes", "20,,p33,0,no", "40,80,p38,,yes", "1,2,p02,0,no"];
    const data = variant("rows.csv", csv.join("\n") + "\n");
    const c = await importModel({ from: "lightgbm", file: FILE, data, log });
    expect(c.target).toEqual({ column: "churn", positive: "yes", negatives: ["no"] });
    expect(c.preprocess.categorical[0]!.levels).toHaveLength(40);
    expect(Object.keys(c.reference_stats).sort()).toEqual(["charges", "plan", "tenure", "usage"]);
  });

  it("refuses what one churnkit split cannot express or churnkit cannot score, in one line naming tree and node", async () => {
    const message = async (file: string) => (await errorOf(() => importModel({ from: "lightgbm", file, log }))).message;
    // Tree 1, node 1: Zero missing type with the default to the right, threshold 1e-35: zeros would go left.
    const zero = variant("zero.txt", TEXT.replace("decision_type=0 6 8", "decision_type=0 4 8"));
    expect(await message(zero)).toMatch(
      /zero\.txt: tree 1, node 1: missing type Zero .*default right.*zero_as_missing/,
    );
    const multi = variant(
      "multi.txt",
      TEXT.replace("num_class=1", "num_class=3").replace("per_iteration=1", "per_iteration=3"),
    );
    expect(await message(multi)).toMatch(/multi\.txt: a multiclass LightGBM model \(num_class 3/);
    const reg = variant("reg.txt", TEXT.replace("objective=binary sigmoid:1", "objective=regression"));
    expect(await message(reg)).toMatch(/reg\.txt: objective "regression" is not supported/);
    const linear = variant("linear.txt", TEXT.replace("is_linear=0", "is_linear=1"));
    expect(await message(linear)).toMatch(/linear\.txt: tree 0: linear trees/);
    const cut = variant("cut.txt", TEXT.replace("left_child=1 -1 -3", "left_child=1 -1"));
    expect(await message(cut)).toMatch(/cut\.txt: tree 1: "left_child=" must hold 3 integers/);
    const json = variant(
      "model.json",
      readFileSync(join(ROOT, "tests", "fixtures", "xgboost", "missing.model.json"), "utf8"),
    );
    expect(await message(json)).toMatch(/model\.json: not a LightGBM text model/);
  });
});
