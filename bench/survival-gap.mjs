// What churnkit's gbdt and XGBoost survival:cox differ by on the Telco split, seen from churnkit's side:
// churnkit's gbdt fitted on XGBoost's own input matrix (bench/xgboost_cox_gap.py writes it: one-hot, every
// level, numbers as they are), with XGBoost's settings (bench/survival-telco.mjs has it on its own encoding).
// Read with bench/xgboost_cox_gap.py's lines (XGBoost with Breslow's and Efron's gradients as custom objectives);
// then churnkit's trees (Efron) against XGBoost's on Efron's gradient, one by one.
// Usage: npm run build && /usr/bin/python3 bench/xgboost_cox_gap.py && node bench/survival-gap.mjs
import { existsSync, readFileSync } from "node:fs";
import { checkParams, family } from "../dist/learners/families.js";
import { concordance } from "../dist/evaluation/survival.js";

const root = new URL("..", import.meta.url);
const m = JSON.parse(readFileSync(new URL("bench/out/telco-cox-onehot.json", root), "utf8"));
const rowsOf = (test) => m.is_test.flatMap((t, i) => (t === test ? [i] : []));
const matrix = (rows) => ({
  nRows: rows.length,
  features: m.names.map((name) => ({ name, kind: "numeric", source: name.split("=")[0] })),
  columns: m.columns.map((c) => Float64Array.from(rows, (i) => c[i])),
});
const tr = rowsOf(false);
const te = rowsOf(true);
const surv = (rows) => ({
  time: Float64Array.from(rows, (i) => m.time[i]),
  event: Uint8Array.from(rows, (i) => m.event[i]),
});
const X = matrix(tr);
const Xt = matrix(te);
const trS = surv(tr);
const teS = surv(te);
const round = (x) => Math.round(x * 1e4) / 1e4;

/** Harrell's C over pairs of an event and a strictly later duration only. */
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

const base = family("gbdt").taskParams.survival;
console.log(
  JSON.stringify({ distinct_MonthlyCharges_train: new Set(X.columns[m.names.indexOf("MonthlyCharges")]).size }),
);
const models = {};
for (const ties of ["efron", "breslow"]) {
  const cpu0 = process.cpuUsage();
  const model = await family("gbdt")
    .create(checkParams("gbdt", { ...base, ties }))
    .fit(X, trS.event, { seed: 0, threads: 1, duration: trS.time });
  const cpu = process.cpuUsage(cpu0);
  models[ties] = model;
  const risk = model.predictRaw(Xt);
  console.log(
    JSON.stringify({
      churnkit_gbdt_on_xgboost_matrix: `survival defaults, ties ${ties}`,
      c_index: round(concordance(teS, risk).cIndex),
      c_index_strict: round(strictC(teS, risk)),
      fit_cpu_s: round((cpu.user + cpu.system) / 1e6),
    }),
  );
}

// Tree by tree against XGBoost on the same gradient (Efron's, bench/xgboost_cox_gap.py, exact): the sorted leaf
// values of tree k. XGBoost keeps gradients and leaf values in float32, so equal trees differ by ~1e-9.
const leavesFile = new URL("bench/out/xgboost-cox-efron-leaves.json", root);
if (existsSync(leavesFile)) {
  const xgbLeaves = JSON.parse(readFileSync(leavesFile, "utf8"));
  const trees = models.efron.state().trees;
  const diffs = trees.map((t, k) => {
    const ours = t.value.filter((_, i) => t.feature[i] < 0).sort((a, b) => a - b);
    const theirs = xgbLeaves[k];
    if (ours.length !== theirs.length) return Infinity;
    return Math.max(...ours.map((v, i) => Math.abs(v - theirs[i])));
  });
  const firstApart = diffs.findIndex((d) => d > 1e-6);
  console.log(
    JSON.stringify({
      trees_compared: trees.length,
      same_leaves_as_xgboost_exact_efron_up_to_tree: firstApart === -1 ? trees.length : firstApart,
      trees_with_same_leaves: diffs.filter((d) => d <= 1e-6).length,
      max_leaf_difference_before:
        firstApart === -1 ? round(Math.max(...diffs)) : Math.max(...diffs.slice(0, firstApart)),
    }),
  );
}
