// gbdt survival with numeric bin edges as quantiles of the row count (`bin_weights: "count"`, scikit-learn's rule) and
// of the initial Cox hessian (`"hessian"`, the survival default through "auto"; XGBoost's weighted sketch), on
// simulated tables (bench/lib/survival-table.mjs: durations in whole months or years, additive log hazard or one with
// an interaction, several seeds; 5,000 training rows, scored on 20,000 fresh rows) and on the Telco split
// (bench/survival-telco.mjs has it against XGBoost). Both fits use the family's survival defaults (Efron's ties).
// Scores: Harrell's C-index and the test rows' Efron partial log-likelihood per event (a proper measure of the fitted
// hazards, less noisy than a rank statistic). Per kind of table: the paired difference hessian − count (mean, sample
// standard deviation, tables where hessian is ahead).
// Usage: npm run build && node bench/survival-bins.mjs [SEEDS]
import { simulateSurvival } from "./lib/survival-table.mjs";
import { fitSurvivalGbdt } from "./lib/survival-gbdt.mjs";

const SEEDS = Number(process.argv[2] ?? 5);
const TRAIN = 5000;
const TEST = 20_000;
const WEIGHTS = ["count", "hessian"];
const round = (x) => Math.round(x * 1e5) / 1e5;
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const sd = (a) => Math.sqrt(a.reduce((s, x) => s + (x - mean(a)) ** 2, 0) / Math.max(1, a.length - 1));

let cpu = 0;
async function fit(train, test, bin_weights) {
  const r = await fitSurvivalGbdt(train, test, { bin_weights });
  cpu += r.cpu;
  return r;
}

const groups = new Map();
for (const grain of [1, 12])
  for (const interaction of [false, true])
    for (let s = 0; s < SEEDS; s++) {
      const seed = 100 + s;
      const train = simulateSurvival(TRAIN, seed, { grain, interaction });
      const test = simulateSurvival(TEST, 900 + s, { grain, interaction });
      const r = {};
      for (const w of WEIGHTS) r[w] = await fit(train, test, w);
      console.log(
        JSON.stringify({
          table: `g${grain}-${interaction ? "int" : "add"}-s${seed}`,
          c_index: Object.fromEntries(WEIGHTS.map((w) => [w, round(r[w].c)])),
          test_pl_per_event: Object.fromEntries(WEIGHTS.map((w) => [w, round(r[w].pl)])),
        }),
      );
      const key = `grain ${grain}, ${interaction ? "interaction" : "additive"}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(r);
    }
const paired = (rs, k) => {
  const d = rs.map((r) => r.hessian[k] - r.count[k]);
  return { mean: round(mean(d)), sd: round(sd(d)), hessian_ahead: `${d.filter((x) => x > 0).length}/${d.length}` };
};
const all = [...groups.values()].flat();
for (const [key, rs] of [...groups, ["all tables", all]])
  console.log(
    JSON.stringify({
      summary: key,
      mean_c_index: Object.fromEntries(WEIGHTS.map((w) => [w, round(mean(rs.map((r) => r[w].c)))])),
      hessian_minus_count: { c: paired(rs, "c"), pl: paired(rs, "pl") },
    }),
  );
console.log(JSON.stringify({ gbdt_fit_cpu_s_total: Math.round(cpu * 100) / 100 }));
