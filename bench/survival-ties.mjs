// gbdt on the Cox partial likelihood with Breslow's and Efron's ties, and XGBoost survival:cox, on simulated tables
// with tied durations (bench/lib/survival-table.mjs): durations in whole months, quarters or years (within 1..72),
// an additive log hazard or one with an interaction, several seeds. gbdt: its survival defaults (FamilySpec.taskParams)
// with each `ties`, 5,000 training rows; XGBoost: bench/xgboost_cox_synthetic.py (run from here, on the same rows
// written to bench/out/survival-ties/) with the same settings. Scored on 20,000 fresh rows of the same model:
// Harrell's C-index (src/evaluation/survival.ts) and the test rows' Efron partial log-likelihood per event (a proper
// measure of the fitted hazards, less noisy than a rank statistic; ties do not matter to it across models).
// Prints one JSON line per table and a summary per kind of table.
// Usage: npm run build && node bench/survival-ties.mjs [SEEDS]   (XGBoost skipped without /usr/bin/python3 + xgboost)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { simulateSurvival } from "./lib/survival-table.mjs";
import { fitSurvivalGbdt, survivalScores } from "./lib/survival-gbdt.mjs";

const SEEDS = Number(process.argv[2] ?? 4);
const TRAIN = 5000;
const TEST = 20_000;
const dir = new URL("out/survival-ties/", import.meta.url).pathname;
const round = (x) => Math.round(x * 1e5) / 1e5;
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;

const tables = [];
for (const grain of [1, 3, 12])
  for (const interaction of [false, true])
    for (let s = 0; s < SEEDS; s++) {
      const name = `g${grain}-${interaction ? "int" : "add"}-s${100 + s}`;
      const train = simulateSurvival(TRAIN, 100 + s, { grain, interaction });
      const test = simulateSurvival(TEST, 900 + s, { grain, interaction });
      tables.push({ name, grain, interaction, seed: 100 + s, train, test });
    }

// The same rows for XGBoost: column-major float64, train then test rows of each column.
mkdirSync(dir, { recursive: true });
for (const { name, train, test } of tables) {
  const cols = [...train.num.map((c, j) => [c, test.num[j]]), [train.cat, test.cat], [train.time, test.time]];
  cols.push([Float64Array.from(train.event), Float64Array.from(test.event)]);
  const out = new Float64Array(cols.length * (TRAIN + TEST));
  cols.forEach(([a, b], j) => {
    out.set(a, j * (TRAIN + TEST));
    out.set(b, j * (TRAIN + TEST) + TRAIN);
  });
  writeFileSync(`${dir}${name}.f64`, out);
}
writeFileSync(`${dir}manifest.json`, JSON.stringify(tables.map((t) => ({ name: t.name, train: TRAIN, test: TEST }))));
const py = spawnSync("/usr/bin/python3", [new URL("xgboost_cox_synthetic.py", import.meta.url).pathname, dir], {
  encoding: "utf8",
});
const xgboost = py.status === 0;
console.log(
  xgboost ? py.stdout.trim() : `(XGBoost skipped: ${(py.stderr || String(py.error)).trim().split("\n").pop()})`,
);

let cpu = 0;
async function gbdt(train, test, ties) {
  const r = await fitSurvivalGbdt(train, test, { ties });
  cpu += r.cpu;
  return r;
}

const models = ["breslow", "efron", ...(xgboost ? ["xgboost exact", "xgboost hist"] : [])];
const groups = new Map();
for (const t of tables) {
  const r = {};
  for (const ties of ["breslow", "efron"]) r[ties] = await gbdt(t.train, t.test, ties);
  if (xgboost)
    for (const m of ["exact", "hist"]) {
      const buf = readFileSync(`${dir}${t.name}.xgboost-${m}.f64`);
      r[`xgboost ${m}`] = survivalScores(t.test, new Float64Array(buf.buffer, buf.byteOffset, TEST));
    }
  console.log(
    JSON.stringify({
      table: t.name,
      distinct_durations: new Set(t.train.time).size,
      train_events: t.train.event.reduce((a, b) => a + b, 0),
      c_index: Object.fromEntries(models.map((m) => [m, round(r[m].c)])),
      test_pl_per_event: Object.fromEntries(models.map((m) => [m, round(r[m].pl)])),
    }),
  );
  const key = `grain ${t.grain}, ${t.interaction ? "interaction" : "additive"}`;
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(r);
}
// Per kind of table: each model's mean, and efron's paired differences (mean, tables where efron is ahead).
const vs = (rs, other, k) => {
  const d = rs.map((r) => r.efron[k] - r[other][k]);
  return { mean: round(mean(d)), efron_ahead: `${d.filter((x) => x > 0).length}/${d.length}` };
};
for (const [key, rs] of groups) {
  console.log(
    JSON.stringify({
      summary: key,
      mean_c_index: Object.fromEntries(models.map((m) => [m, round(mean(rs.map((r) => r[m].c)))])),
      mean_test_pl: Object.fromEntries(models.map((m) => [m, round(mean(rs.map((r) => r[m].pl)))])),
      efron_minus: Object.fromEntries(
        models.filter((m) => m !== "efron").map((m) => [m, { c: vs(rs, m, "c"), pl: vs(rs, m, "pl") }]),
      ),
    }),
  );
}
console.log(JSON.stringify({ gbdt_fit_cpu_s_total: Math.round(cpu * 100) / 100 }));
