// The survival fits at scale: cox and gbdt (survival) on N simulated rows (default 1,000,000), with the
// model columns built directly (the CLI's reading and encoding are measured by bench/scale.mjs).
// 10 numeric columns and a 6-level category; exponential event times, log hazard linear in 4 numbers plus
// the category plus one step, independent censoring, durations in whole months 1..72 (heavy ties, as tenure).
// Prints one JSON line per fit: CPU seconds (process.cpuUsage), wall seconds, peak RSS, load average,
// and the C-index on 100,000 fresh rows; gbdt on 1 and 2 threads must give the same state byte for byte.
// Usage: npm run build && node bench/survival-scale.mjs [ROWS]
import { loadavg } from "node:os";
import { family, checkParams } from "../dist/learners/families.js";
import { concordanceIndex } from "../dist/evaluation/survival.js";
import { rng } from "./lib/churn-table.mjs";

const N = Number(process.argv[2] ?? 1_000_000);
const NUM = 10;
const LEVELS = 6;
const LEVEL_EFFECT = [0.6, 0, -0.3, 0.2, -0.6, 0.1];

function simulate(n, seed) {
  const r = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const num = Array.from({ length: NUM }, () => new Float64Array(n));
  const cat = new Float64Array(n);
  const time = new Float64Array(n);
  const event = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < NUM; j++) num[j][i] = normal();
    cat[i] = Math.floor(r() * LEVELS);
    const lh = 0.7 * num[0][i] - 0.5 * num[1][i] + 0.3 * num[2][i] + (num[3][i] > 0.5 ? 0.8 : 0) + LEVEL_EFFECT[cat[i]];
    const t = (-Math.log(1 - r()) / Math.exp(lh)) * 20;
    const c = -Math.log(1 - r()) * 40;
    time[i] = Math.min(72, Math.max(1, Math.ceil(Math.min(t, c))));
    event[i] = t <= c && t <= 72 ? 1 : 0;
  }
  return { num, cat, time, event };
}

const numericInfo = (j) => ({ name: `num${j}`, kind: "numeric", source: `num${j}` });
/** gbdt's encoding: the numbers as they are, the category as codes. */
function nativeMatrix(d, n) {
  return {
    nRows: n,
    features: [
      ...d.num.map((_, j) => numericInfo(j)),
      { name: "cat", kind: "categorical", nCategories: LEVELS, source: "cat" },
    ],
    columns: [...d.num, d.cat],
  };
}
/** cox's encoding: the numbers (already standard normal) and one 0/1 column per level. */
function oneHotMatrix(d, n) {
  const levels = Array.from({ length: LEVELS }, (_, k) => Float64Array.from(d.cat, (c) => (c === k ? 1 : 0)));
  return {
    nRows: n,
    features: [
      ...d.num.map((_, j) => numericInfo(j)),
      ...levels.map((_, k) => ({ name: `cat=${k}`, kind: "numeric", source: "cat" })),
    ],
    columns: [...d.num, ...levels],
  };
}

const train = simulate(N, 1);
const test = simulate(100_000, 2);
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
await fit("cox", {}, oneHotMatrix(train, N), oneHotMatrix(test, 100_000), 1);
const gbdt = { max_iter: 100, early_stopping: false };
const one = await fit("gbdt", gbdt, nativeMatrix(train, N), nativeMatrix(test, 100_000), 1);
const two = await fit("gbdt", gbdt, nativeMatrix(train, N), nativeMatrix(test, 100_000), 2);
console.log(JSON.stringify({ gbdt_same_state_on_1_and_2_threads: one === two }));
if (one !== two) process.exitCode = 1;
