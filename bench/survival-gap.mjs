// What churnkit's gbdt and XGBoost survival:cox differ by on the Telco split, seen from churnkit's side:
// churnkit's gbdt fitted on XGBoost's own input matrix (bench/xgboost_cox_gap.py writes it: one-hot, every
// level, numbers as they are), with XGBoost's settings, then one difference at a time (bins, ties, encoding).
// Read with bench/xgboost_cox_gap.py's lines (XGBoost with Breslow's and Efron's gradients as custom objectives).
// Usage: npm run build && /usr/bin/python3 bench/xgboost_cox_gap.py && node bench/survival-gap.mjs
import { readFileSync } from "node:fs";
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
const variants = [
  ["survival defaults (255 bins)", {}],
  ...(checkParams("gbdt", { ...base }).ties !== undefined
    ? [
        ["ties breslow", { ties: "breslow" }],
        ["ties efron", { ties: "efron" }],
      ]
    : []),
];
console.log(
  JSON.stringify({ distinct_MonthlyCharges_train: new Set(X.columns[m.names.indexOf("MonthlyCharges")]).size }),
);
for (const [label, extra] of variants) {
  const cpu0 = process.cpuUsage();
  const model = await family("gbdt")
    .create(checkParams("gbdt", { ...base, ...extra }))
    .fit(X, trS.event, { seed: 0, threads: 1, duration: trS.time });
  const cpu = process.cpuUsage(cpu0);
  const risk = model.predictRaw(Xt);
  console.log(
    JSON.stringify({
      churnkit_gbdt_on_xgboost_matrix: label,
      c_index: round(concordance(teS, risk).cIndex),
      c_index_strict: round(strictC(teS, risk)),
      fit_cpu_s: round((cpu.user + cpu.system) / 1e6),
    }),
  );
}
