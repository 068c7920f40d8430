// churnkit's survival families on the bundled Telco split, against XGBoost survival:cox (bench/xgboost_cox_ref.py).
// Split: tests/fixtures/telco-test-ids.json (bench/make_split.py: stratified 80/20 on Churn, random_state 42).
// Duration `tenure`, event `Churn = Yes`; features: every column but customerID, Churn, tenure, TotalCharges.
// The families are fitted on the encoded rows directly (each family's own encoding needs), not through the CLI.
// Harrell's C-index: src/evaluation/survival.ts (Hmisc's and scikit-survival's comparable pairs: an event and a
// later row, or a row censored at its own duration); "strict" counts only pairs of different durations (lifelines'
// convention, where the 0.8627 comes from). XGBoost's margins: bench/xgboost_cox_ref.py, exact (its default
// tree method on a table this size, the figure) and hist. Paired bootstrap (300 resamples of the test rows,
// seeded): each churnkit model's C minus XGBoost's on the same resample, in both conventions.
// Why the numbers differ where they do: bench/xgboost_cox_gap.py and bench/survival-gap.mjs.
// Usage: npm run build && /usr/bin/python3 bench/xgboost_cox_ref.py && node bench/survival-telco.mjs
import { readFileSync, existsSync } from "node:fs";
import { checkParams, family } from "../dist/learners/families.js";
import { concordance } from "../dist/evaluation/survival.js";
import { rng } from "./lib/churn-table.mjs";
import { telcoSurvivalSplit } from "./lib/telco-split.mjs";

const root = new URL("..", import.meta.url);
const { test, trS, teS, matrices } = await telcoSurvivalSplit();

/**
 * Strict pairs (an event and a strictly later duration) as Harrell's on the same rows with each censored duration
 * moved below its own by less than the gap between any two durations: that drops exactly the pairs of an event
 * and a row censored at its duration, and keeps every other pair as it was.
 */
function strictData({ time, event }) {
  const distinct = [...new Set(time)].sort((a, b) => a - b);
  let gap = Infinity;
  for (let k = 1; k < distinct.length; k++) gap = Math.min(gap, distinct[k] - distinct[k - 1]);
  const shift = Number.isFinite(gap) ? gap / 2 : 1;
  return { time: Float64Array.from(time, (t, i) => (event[i] ? t : t - shift)), event };
}
/** C-index both ways: Harrell's pairs and strictly later rows only. */
function cIndex(s, risk) {
  return { c_index: concordance(s, risk).cIndex, c_index_strict: concordance(strictData(s), risk).cIndex };
}
const round = (x) => Math.round(x * 1e4) / 1e4;

/** Risk scores of the test rows by model label, for the paired bootstrap at the end. */
const scores = new Map();
const show = (c) => ({ c_index: round(c.c_index), c_index_strict: round(c.c_index_strict) });

async function run(name, label, params) {
  const spec = family(name);
  const { X, Xt } = matrices(name);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const model = await spec
    .create(checkParams(name, params))
    .fit(X, trS.event, { seed: 0, threads: 1, duration: trS.time });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const risk = model.predictRaw(Xt);
  scores.set(label, risk);
  const s = model.state();
  const extra = name === "gbdt" ? { trees: s.n_iter } : { n_iter: s.n_iter, converged: s.converged };
  console.log(
    JSON.stringify({
      model: label,
      ...show(cIndex(teS, risk)),
      ...extra,
      fit_wall_s: round(wall),
      fit_cpu_s: round((cpu.user + cpu.system) / 1e6),
    }),
  );
}

const xgbFile = new URL("bench/out/xgboost-cox-telco.json", root);
const xgb = [];
if (existsSync(xgbFile)) {
  const ref = JSON.parse(readFileSync(xgbFile, "utf8"));
  const at = new Map(ref.ids.map((id, k) => [id, k]));
  for (const method of ["exact", "hist"]) {
    const risk = Float64Array.from(test.columns.get("customerID").values, (id) => ref[method][at.get(id)]);
    const label = `xgboost survival:cox (${method}, 300 trees, depth 3, eta 0.05)`;
    scores.set(label, risk);
    xgb.push(label);
    console.log(JSON.stringify({ model: label, ...show(cIndex(teS, risk)) }));
  }
} else console.log(`(no ${xgbFile.pathname}: run /usr/bin/python3 bench/xgboost_cox_ref.py for XGBoost's numbers)`);

// The family's own survival defaults (FamilySpec.taskParams and the schema's), so that the bench measures what
// `train` fits: XGBoost's settings (300 trees, depth 3, lr 0.05, l2 1, min_child_weight 1), Efron's ties.
const defaults = family("gbdt").taskParams.survival;
const GBDT = `gbdt survival defaults (XGBoost's settings, ties ${checkParams("gbdt", defaults).ties})`;
const GBDT_BRESLOW = "gbdt survival defaults with ties breslow (XGBoost's likelihood)";
// Bin edges: the survival default (`bin_weights` auto) is quantiles of the initial Cox hessian; "count" is the row
// count quantiles classification uses (bench/survival-bins.mjs compares the two on simulated tables).
const GBDT_COUNT = "gbdt survival defaults with bin_weights count (row-count bin edges)";
const COX = "cox defaults (Efron, penalizer 0.01)";
await run("gbdt", GBDT, defaults);
await run("gbdt", GBDT_BRESLOW, { ...defaults, ties: "breslow" });
await run("gbdt", GBDT_COUNT, { ...defaults, bin_weights: "count" });
await run("gbdt", "gbdt classification defaults (early stopping on a 10% hold-out)", {});
await run("cox", COX, {});
await run("cox", "cox Breslow", { ties: "breslow" });
for (const penalizer of [0.001, 0.1]) await run("cox", `cox penalizer ${penalizer}`, { penalizer });

// Paired bootstrap of the test rows (seeded): how far apart the C-indices of two models on the same rows are.
if (xgb.length > 0) {
  const draw = rng(42);
  const n = teS.time.length;
  const models = [GBDT, GBDT_BRESLOW, GBDT_COUNT, COX];
  const diffs = new Map();
  for (let b = 0; b < 300; b++) {
    const idx = Array.from({ length: n }, () => Math.floor(draw() * n));
    const s = { time: Float64Array.from(idx, (i) => teS.time[i]), event: Uint8Array.from(idx, (i) => teS.event[i]) };
    const c = new Map(
      [...models, ...xgb].map((m) => [
        m,
        cIndex(
          s,
          Float64Array.from(idx, (i) => scores.get(m)[i]),
        ),
      ]),
    );
    for (const m of models)
      for (const x of xgb)
        for (const k of ["c_index", "c_index_strict"]) {
          const key = `${m}|${x}|${k}`;
          if (!diffs.has(key)) diffs.set(key, []);
          diffs.get(key).push(c.get(m)[k] - c.get(x)[k]);
        }
  }
  for (const m of models)
    for (const x of xgb) {
      const out = { paired_bootstrap: `${m} − ${x}`, replicates: 300 };
      for (const k of ["c_index", "c_index_strict"]) {
        const d = diffs.get(`${m}|${x}|${k}`).sort((a, b) => a - b);
        out[k] = {
          mean: round(d.reduce((a, b) => a + b, 0) / d.length),
          ci95: [round(d[7]), round(d[292])],
          ahead: round(d.filter((v) => v > 0).length / d.length),
        };
      }
      console.log(JSON.stringify(out));
    }
}
