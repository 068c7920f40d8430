// Speed of exact TreeSHAP explanations: 100 trees of depth 6, 5,000 rows, one thread.
// Build first: npx tsc -p tsconfig.json ; then: node bench/explain-speed.mjs
// Uses a real gbdt fitted on synthetic data when dist/learners/gbdt/gbdt.js is there, else random trees.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { explainRows, gbdtEnsemble, prepareEnsemble } from "../dist/explain/ensemble.js";
import { FlatTreeBuilder } from "../dist/core/flat-tree.js";

const NF = 30;
const N_TRAIN = 20_000;
const N_EXPLAIN = 5_000;

let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Synthetic churn-like data: 25 numeric columns (5% missing), 5 categorical (4 codes); y from a noisy logistic score. */
function synthetic(n) {
  const features = Array.from({ length: NF }, (_, j) =>
    j < 25
      ? { name: `x${j}`, kind: "numeric", source: `x${j}` }
      : { name: `c${j}`, kind: "categorical", nCategories: 4, source: `c${j}` },
  );
  const columns = features.map((f) =>
    Float64Array.from({ length: n }, () =>
      f.kind === "categorical" ? Math.floor(rand() * 4) : rand() < 0.05 ? NaN : rand() * 2 - 1,
    ),
  );
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = (j) => (Number.isNaN(columns[j][i]) ? 0 : columns[j][i]);
    const z = 1.5 * v(0) - v(1) + v(2) * v(3) + (columns[25][i] === 2 ? 1 : 0) + 0.5 * Math.sin(3 * v(4)) - 0.5;
    y[i] = rand() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X: { nRows: n, features, columns }, y };
}

function randomTrees() {
  const tree = () => {
    const b = new FlatTreeBuilder();
    const grow = (d) => {
      const i = b.addNode(0, 0, 0);
      if (d >= 6) {
        const c = 1 + Math.floor(rand() * 50);
        b.value[i] = 0.1 * (rand() - 0.5);
        b.count[i] = c;
        b.hessian[i] = 0.2 * c;
        return i;
      }
      const f = Math.floor(rand() * 25);
      const l = grow(d + 1);
      const r = grow(d + 1);
      b.split(i, f, rand() * 2 - 1, null, rand() < 0.5, l, r, 1);
      b.count[i] = b.count[l] + b.count[r];
      b.hessian[i] = b.hessian[l] + b.hessian[r];
      return i;
    };
    grow(0);
    return b.finish();
  };
  return Array.from({ length: 100 }, tree);
}

async function gbdtModel(X, y) {
  const path = fileURLToPath(new URL("../dist/learners/gbdt/gbdt.js", import.meta.url));
  if (!existsSync(path)) return { why: "dist/learners/gbdt/gbdt.js not built" };
  try {
    const mod = await import(path);
    if (typeof mod.GbdtEstimator !== "function") return { why: "gbdt.js exports no GbdtEstimator" };
    const t0 = performance.now();
    const model = await new mod.GbdtEstimator({
      max_iter: 100,
      max_depth: 6,
      max_leaf_nodes: null,
      early_stopping: false,
    }).fit(X, y, { seed: 0, threads: 1 });
    return { model, fitSeconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    return { why: `gbdt fit failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

const train = synthetic(N_TRAIN);
const test = synthetic(N_EXPLAIN);
const fitted = await gbdtModel(train.X, train.y);
let ensemble;
let source;
if (fitted.model) {
  ensemble = gbdtEnsemble(fitted.model.trees, fitted.model.state().baseline);
  const leaves = fitted.model.trees.reduce((a, t) => a + t.feature.filter((f) => f < 0).length, 0);
  source = `gbdt fitted on ${N_TRAIN} synthetic rows in ${fitted.fitSeconds.toFixed(2)} s: ${ensemble.trees.length} trees, ${(leaves / ensemble.trees.length).toFixed(1)} leaves per tree`;
} else {
  ensemble = { trees: randomTrees(), scale: Array(100).fill(1), base: 0 };
  source = `random trees (${fitted.why}): 100 trees, depth 6, 64 leaves each`;
}
console.log(`model: ${source}; ${NF} features`);

function run(opts, X, label) {
  const pe = prepareEnsemble(ensemble, NF, opts);
  const warm = { nRows: 200, features: X.features, columns: X.columns.map((c) => c.subarray(0, 200)) };
  explainRows(pe, warm);
  const t0 = performance.now();
  const c0 = process.cpuUsage().user;
  const out = explainRows(pe, X);
  const wall = (performance.now() - t0) / 1000;
  const cpu = (process.cpuUsage().user - c0) / 1e6;
  let worst = 0;
  for (let i = 0; i < out.nRows; i++) {
    let s = out.baseValue;
    for (let j = 0; j < NF; j++) s += out.contributions[i * NF + j];
    worst = Math.max(worst, Math.abs(s - out.predictions[i]));
  }
  console.log(
    `${label}: ${X.nRows} rows in ${wall.toFixed(2)} s wall (${cpu.toFixed(2)} s CPU): ${Math.round(X.nRows / wall)} rows/s wall, ${Math.round(X.nRows / cpu)} rows/s CPU; max |base + Σφ − raw| = ${worst.toExponential(1)}`,
  );
  return out;
}

const out = run({}, test.X, "TreeSHAP (per-leaf tables)");
if (fitted.model) {
  const raw = fitted.model.predictRaw(test.X);
  let worst = 0;
  for (let i = 0; i < raw.length; i++) worst = Math.max(worst, Math.abs(raw[i] - out.predictions[i]));
  console.log(`max |prediction − GbdtModel.predictRaw| = ${worst.toExponential(1)}`);
}
const few = { nRows: 500, features: test.X.features, columns: test.X.columns.map((c) => c.subarray(0, 500)) };
run({ algorithm: "recursive" }, few, "TreeSHAP (Algorithm 2 only, for reference)");
