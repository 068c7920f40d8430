// Simulated survival tables, shared by the survival benchmarks (bench/survival-scale.mjs, bench/survival-ties.mjs).
// 10 standard-normal numeric columns and a 6-level category; exponential event times whose log hazard is linear in
// 4 numbers plus the category plus one step (and, with `interaction`, a product of two numbers and a bump in a
// third, which a sum of single-feature effects cannot represent); independent exponential censoring; durations
// rounded up to whole `grain`s within 1..72 (grain 1: whole months, heavy ties as Telco's tenure; 12: years).
import { rng } from "./churn-table.mjs";

export const NUM = 10;
export const LEVELS = 6;
const LEVEL_EFFECT = [0.6, 0, -0.3, 0.2, -0.6, 0.1];

/** `n` rows for `seed`: columns `num` (NUM Float64Arrays), `cat` (codes), `time`, `event`. */
export function simulateSurvival(n, seed, { grain = 1, interaction = false } = {}) {
  const r = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const num = Array.from({ length: NUM }, () => new Float64Array(n));
  const cat = new Float64Array(n);
  const time = new Float64Array(n);
  const event = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < NUM; j++) num[j][i] = normal();
    cat[i] = Math.floor(r() * LEVELS);
    let lh = 0.7 * num[0][i] - 0.5 * num[1][i] + 0.3 * num[2][i] + (num[3][i] > 0.5 ? 0.8 : 0) + LEVEL_EFFECT[cat[i]];
    if (interaction) lh += 0.6 * num[4][i] * num[5][i] + (Math.abs(num[6][i]) < 0.7 ? -0.7 : 0);
    const t = (-Math.log(1 - r()) / Math.exp(lh)) * 20;
    const c = -Math.log(1 - r()) * 40;
    time[i] = Math.min(72, Math.max(grain, Math.ceil(Math.min(t, c) / grain) * grain));
    event[i] = t <= c && t <= 72 ? 1 : 0;
  }
  return { num, cat, time, event };
}

const numericInfo = (j) => ({ name: `num${j}`, kind: "numeric", source: `num${j}` });
/** gbdt's encoding: the numbers as they are, the category as codes. */
export function nativeMatrix(d) {
  return {
    nRows: d.time.length,
    features: [
      ...d.num.map((_, j) => numericInfo(j)),
      { name: "cat", kind: "categorical", nCategories: LEVELS, source: "cat" },
    ],
    columns: [...d.num, d.cat],
  };
}
/** cox's encoding (and XGBoost's): the numbers (already standard normal) and one 0/1 column per level. */
export function oneHotMatrix(d) {
  const levels = Array.from({ length: LEVELS }, (_, k) => Float64Array.from(d.cat, (c) => (c === k ? 1 : 0)));
  return {
    nRows: d.time.length,
    features: [
      ...d.num.map((_, j) => numericInfo(j)),
      ...levels.map((_, k) => ({ name: `cat=${k}`, kind: "numeric", source: "cat" })),
    ],
    columns: [...d.num, ...levels],
  };
}
