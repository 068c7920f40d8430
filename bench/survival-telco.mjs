// churnkit's survival families on the bundled Telco split, against XGBoost survival:cox (bench/xgboost_cox_ref.py).
// Split: tests/fixtures/telco-test-ids.json (bench/make_split.py: stratified 80/20 on Churn, random_state 42).
// Duration `tenure`, event `Churn = Yes`; features: every column but customerID, Churn, tenure, TotalCharges.
// The families are fitted on the encoded rows directly (each family's own encoding needs), not through the CLI.
// Harrell's C-index: src/evaluation/survival.ts (scikit-survival's comparable pairs); "strict" also counts
// only pairs of different durations (lifelines' convention, where the issue's 0.8627 comes from).
// Usage: npm run build && /usr/bin/python3 bench/xgboost_cox_ref.py && node bench/survival-telco.mjs
import { readFileSync, existsSync } from "node:fs";
import { loadTable } from "../dist/data/load.js";
import { typeTable, takeTyped } from "../dist/data/typed.js";
import { fitPreprocess, transform } from "../dist/data/preprocess.js";
import { checkParams, family } from "../dist/learners/families.js";
import { concordance } from "../dist/evaluation/survival.js";
import { rng } from "./lib/churn-table.mjs";

const root = new URL("..", import.meta.url);
const raw = await loadTable(new URL("data/telco-customer-churn.csv", root).pathname);
const numeric = new Set(["SeniorCitizen", "MonthlyCharges", "tenure"]);
const features = raw.columns.filter((c) => !["customerID", "Churn", "tenure", "TotalCharges"].includes(c));
const specs = [...features, "tenure", "Churn", "customerID"].map((name) => ({
  name,
  type: numeric.has(name) ? "numeric" : "categorical",
}));
const table = typeTable(raw, specs);
const testIds = new Set(JSON.parse(readFileSync(new URL("tests/fixtures/telco-test-ids.json", root), "utf8")));
const ids = table.columns.get("customerID").values;
const trainRows = [];
const testRows = [];
ids.forEach((id, i) => (testIds.has(id) ? testRows : trainRows).push(i));
const train = takeTyped(table, trainRows);
const test = takeTyped(table, testRows);
const survival = (t) => ({
  time: t.columns.get("tenure").values,
  event: Uint8Array.from(t.columns.get("Churn").values, (v) => (v === "Yes" ? 1 : 0)),
});
const trS = survival(train);
const teS = survival(test);
const inputs = features.map((column) => ({ column, type: numeric.has(column) ? "numeric" : "categorical" }));
const opts = {
  numeric_imputation: "median",
  categorical_imputation: "most_frequent",
  unseen_category: "ignore",
  max_categories: 50,
  min_category_count: 1,
};

/** C-index both ways: scikit-survival's pairs (an event and a row censored at its time count) and strictly later rows only. */
function cIndex(s, risk) {
  return { c_index: round(concordance(s, risk).cIndex), c_index_strict: round(strictC(s, risk)) };
}
/** Pairs (i event, j strictly later), O(n²) on the 1,409 test rows. */
function strictC({ time, event }, risk) {
  let num = 0;
  let den = 0;
  for (let i = 0; i < time.length; i++) {
    if (!event[i]) continue;
    for (let j = 0; j < time.length; j++) {
      if (!(time[j] > time[i])) continue;
      den++;
      const d = risk[i] - risk[j];
      num += d > 1e-8 ? 1 : Math.abs(d) <= 1e-8 ? 0.5 : 0;
    }
  }
  return num / den;
}
const round = (x) => Math.round(x * 1e4) / 1e4;

/** Risk scores of the test rows by model label, for the paired bootstrap at the end. */
const scores = new Map();

async function run(name, label, params) {
  const spec = family(name);
  const pre = fitPreprocess(train, inputs, spec.needs, opts);
  const X = transform(pre, train).X;
  const Xt = transform(pre, test).X;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const model = await spec
    .create(checkParams(name, params))
    .fit(X, trS.event, { seed: 0, threads: 1, duration: trS.time });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const risk = model.predictRaw(Xt);
  scores.set(label, risk);
  const { c_index, c_index_strict } = cIndex(teS, risk);
  const s = model.state();
  const extra = name === "gbdt" ? { trees: s.n_iter } : { n_iter: s.n_iter, converged: s.converged };
  console.log(
    JSON.stringify({
      model: label,
      c_index,
      c_index_strict,
      ...extra,
      fit_wall_s: round(wall),
      fit_cpu_s: round((cpu.user + cpu.system) / 1e6),
    }),
  );
}

const xgbFile = new URL("bench/out/xgboost-cox-telco.json", root);
if (existsSync(xgbFile)) {
  const ref = JSON.parse(readFileSync(xgbFile, "utf8"));
  const at = new Map(ref.ids.map((id, k) => [id, k]));
  for (const method of ["exact", "hist"]) {
    const risk = Float64Array.from(test.columns.get("customerID").values, (id) => ref[method][at.get(id)]);
    scores.set(`xgboost ${method}`, risk);
    const { c_index, c_index_strict } = cIndex(teS, risk);
    console.log(
      JSON.stringify({
        model: `xgboost survival:cox (${method}, 300 trees, depth 3, eta 0.05)`,
        c_index,
        c_index_strict,
      }),
    );
  }
} else console.log(`(no ${xgbFile.pathname}: run /usr/bin/python3 bench/xgboost_cox_ref.py for XGBoost's numbers)`);

const GBDT = "gbdt survival defaults (XGBoost's settings: 300 trees, depth 3, lr 0.05, l2 1, min_child_weight 1)";
// The family's own survival defaults (FamilySpec.taskParams), so that the bench measures what `train` fits.
const asXgboost = family("gbdt").taskParams.survival;
await run("gbdt", GBDT, asXgboost);
await run("gbdt", "gbdt classification defaults (early stopping on a 10% hold-out)", {});
await run("cox", "cox defaults (Efron, penalizer 0.01)", {});
await run("cox", "cox Breslow", { ties: "breslow" });
for (const penalizer of [0.001, 0.1]) await run("cox", `cox penalizer ${penalizer}`, { penalizer });

// Paired bootstrap of the test rows (seeded): how far apart the C-indices of two models on the same rows are.
if (scores.has("xgboost exact")) {
  const draw = rng(42);
  const n = teS.time.length;
  for (const other of [GBDT, "cox defaults (Efron, penalizer 0.01)"]) {
    const diffs = [];
    for (let b = 0; b < 300; b++) {
      const idx = Array.from({ length: n }, () => Math.floor(draw() * n));
      const s = { time: idx.map((i) => teS.time[i]), event: idx.map((i) => teS.event[i]) };
      const c = (r) =>
        concordance(
          s,
          idx.map((i) => r[i]),
        ).cIndex;
      diffs.push(c(scores.get(other)) - c(scores.get("xgboost exact")));
    }
    diffs.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        paired_bootstrap: `${other} − xgboost exact`,
        replicates: diffs.length,
        mean: round(diffs.reduce((a, b) => a + b, 0) / diffs.length),
        ci95: [round(diffs[7]), round(diffs[292])],
      }),
    );
  }
}
