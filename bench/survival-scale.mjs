// The survival fits at scale: cox and gbdt (survival) on N simulated rows (default 1,000,000), with the
// model columns built directly (the CLI's reading and encoding are measured by bench/scale.mjs).
// The table: bench/lib/survival-table.mjs (10 numbers, a 6-level category, whole-month durations 1..72).
// Prints one JSON line per fit: CPU seconds (process.cpuUsage), wall seconds, peak RSS, load average,
// and the C-index on 100,000 fresh rows; gbdt on 1 and 2 threads must give the same state byte for byte.
// Usage: npm run build && node bench/survival-scale.mjs [ROWS] [TIES]   (gbdt's ties: efron, the default, or breslow)
import { loadavg } from "node:os";
import { family, checkParams } from "../dist/learners/families.js";
import { concordanceIndex } from "../dist/evaluation/survival.js";
import { nativeMatrix, oneHotMatrix, simulateSurvival } from "./lib/survival-table.mjs";

const N = Number(process.argv[2] ?? 1_000_000);
const TIES = process.argv[3] ?? "efron";
const train = simulateSurvival(N, 1);
const test = simulateSurvival(100_000, 2);
const round = (x, k = 4) => Math.round(x * 10 ** k) / 10 ** k;

async function fit(name, params, X, Xt, threads) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const model = await family(name)
    .create(checkParams(name, params))
    .fit(X, train.event, { seed: 0, threads, duration: train.time });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const c = concordanceIndex({ time: test.time, event: test.event }, model.predictRaw(Xt));
  console.log(
    JSON.stringify({
      rows: N,
      model: name,
      params,
      threads,
      c_index: round(c),
      fit_wall_s: round(wall, 2),
      fit_cpu_s: round((cpu.user + cpu.system) / 1e6, 2),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      load: loadavg().map((l) => round(l, 2)),
    }),
  );
  return JSON.stringify(model.state());
}

let events = 0;
for (const e of train.event) events += e;
console.log(JSON.stringify({ rows: N, events, distinct_durations: new Set(train.time).size }));
await fit("cox", {}, oneHotMatrix(train), oneHotMatrix(test), 1);
const gbdt = { max_iter: 100, early_stopping: false, ties: TIES };
const one = await fit("gbdt", gbdt, nativeMatrix(train), nativeMatrix(test), 1);
const two = await fit("gbdt", gbdt, nativeMatrix(train), nativeMatrix(test), 2);
console.log(JSON.stringify({ gbdt_same_state_on_1_and_2_threads: one === two }));
if (one !== two) process.exitCode = 1;
