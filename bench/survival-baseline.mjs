// Efron's baseline hazard against Breslow's, for models fitted with Efron's ties (cox's and gbdt's default):
// 1. against R: survival::basehaz(coxph(Surv(t, e) ~ x, ties = "efron", init = 1, iter.max = 0), centered = FALSE)
//    with x = the fitted cox model's log hazard of each Telco training row (skipped without Rscript + survival;
//    Debian: apt-get install r-cran-survival);
// 2. what it changes: the same fitted model (risk scores unchanged, so the C-index and the time-dependent AUC are
//    too), its test rows' integrated Brier score (IPCW, src/evaluation/survival-summary.ts) with each baseline, on
//    the Telco split (bench/lib/telco-split.mjs) and on simulated tables with durations in whole months, quarters and
//    years (bench/lib/survival-table.mjs; 5,000 training rows, 20,000 fresh test rows).
// Usage: npm run build && node bench/survival-baseline.mjs
import { mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { checkParams, family } from "../dist/learners/families.js";
import { baselineHazard, measureWithBaseline } from "../dist/learners/baseline-hazard.js";
import { nativeMatrix, oneHotMatrix, simulateSurvival } from "./lib/survival-table.mjs";
import { telcoSurvivalSplit } from "./lib/telco-split.mjs";
import { writeLines } from "./lib/churn-table.mjs";

const round = (x) => Math.round(x * 1e6) / 1e6;
const HORIZONS = [3, 6, 12];
const GBDT = family("gbdt").taskParams.survival;

async function fit(name, params, X, s) {
  return family(name).create(checkParams(name, params)).fit(X, s.event, { seed: 0, threads: 1, duration: s.time });
}

/** Integrated Brier (and the horizons' AUC, the same for both) of one model with each baseline. */
function compare(label, trS, teS, riskTrain, riskTest) {
  const out = { table: label };
  for (const ties of ["breslow", "efron"]) {
    const b = baselineHazard(trS.time, trS.event, riskTrain, ties);
    const m = measureWithBaseline(trS, teS, riskTest, b, HORIZONS);
    out[`ibs_${ties}`] = round(m.integrated_brier);
    out[`td_auc_${ties}`] = m.td_auc.map((x) => round(x.auc));
    out[`H0_end_${ties}`] = round(b.cumulative_hazard.at(-1));
  }
  out.ibs_efron_minus_breslow = round(out.ibs_efron - out.ibs_breslow);
  return out;
}

const cpu0 = process.cpuUsage();
const { trS, teS, matrices } = await telcoSurvivalSplit();
const results = [];
const telcoRisk = {};
for (const [name, params] of [
  ["cox", {}],
  ["gbdt", GBDT],
]) {
  const { X, Xt } = matrices(name);
  const model = await fit(name, params, X, trS);
  telcoRisk[name] = model.predictRaw(X);
  results.push(compare(`telco ${name} (ties efron)`, trS, teS, telcoRisk[name], model.predictRaw(Xt)));
}

// 1. R's Efron baseline of the cox model's training scores.
const dir = new URL("out/", import.meta.url).pathname;
mkdirSync(dir, { recursive: true });
const csv = `${dir}survival-baseline-telco.csv`;
const risk = telcoRisk.cox;
await writeLines(csv, ["t,e,x", ...Array.from(trS.time, (t, i) => `${t},${trS.event[i]},${risk[i].toPrecision(17)}`)]);
const script = `suppressMessages(library(survival)); d <- read.csv("${csv}");
f <- coxph(Surv(t, e) ~ x, data = d, ties = "efron", init = 1, control = coxph.control(iter.max = 0));
h <- basehaz(f, centered = FALSE); h <- h[!duplicated(h$hazard) | h$time == min(h$time), ];
cat(sprintf("%.17g %.17g", h$time, h$hazard), sep = "\\n")`;
const r = spawnSync("Rscript", ["-e", script], { encoding: "utf8" });
if (r.status === 0) {
  const R = new Map(
    r.stdout
      .trim()
      .split("\n")
      .map((l) => l.split(" ").map(Number)),
  );
  const ours = baselineHazard(trS.time, trS.event, risk, "efron");
  let maxRel = 0;
  ours.times.forEach((t, k) => {
    const want = R.get(t);
    maxRel = Math.max(maxRel, Math.abs(ours.cumulative_hazard[k] - want) / want);
  });
  console.log(
    JSON.stringify({
      check: "R survival::basehaz ties efron, Telco cox scores",
      times: ours.times.length,
      max_rel_diff: maxRel,
    }),
  );
} else console.log(`(R skipped: ${(r.stderr || String(r.error)).trim().split("\n").pop()})`);

// 2. Simulated tables.
for (const grain of [1, 3, 12])
  for (const seed of [100, 101]) {
    const train = simulateSurvival(5000, seed, { grain });
    const test = simulateSurvival(20_000, 900 + seed, { grain });
    for (const [name, params, enc] of [
      ["cox", {}, oneHotMatrix],
      ["gbdt", GBDT, nativeMatrix],
    ]) {
      const model = await fit(name, params, enc(train), train);
      const label = `sim grain ${grain} seed ${seed} ${name}`;
      results.push(compare(label, train, test, model.predictRaw(enc(train)), model.predictRaw(enc(test))));
    }
  }
for (const x of results) console.log(JSON.stringify(x));
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ cpu_s: round((cpu.user + cpu.system) / 1e6) }));
