// gbdt fit speed against scikit-learn's HistGradientBoostingClassifier, in the same run on the same machine.
// Generates churn-like numeric tables (seeded; a few columns with missing values and some with few distinct
// values), trains churnkit's gbdt (GbdtEstimator on typed columns, no CSV parsing) and sklearn HGB (default
// threads) with the same max_iter, learning_rate, max_leaf_nodes, max_bins, min_samples_leaf and early stopping
// off, and prints fit seconds and test ROC AUC of each. Data goes to Python as raw Float64 files.
// Each fit reports wall seconds and CPU seconds (all threads of the process: process.cpuUsage here,
// time.process_time in Python); on a shared machine CPU seconds are the figure to trust. --repeat N fits each
// size N times, churnkit and scikit-learn back to back, so both see the same load.
// Usage: npm run build && node bench/gbdt-speed.mjs [--sizes 26000x14,1000000x30] [--threads N] [--iter 100]
//        [--repeat 1] [--skip-sklearn] [--predict] [--base DIR]
// --predict also times block prediction, rows/s; --base DIR also fits with another build's dist/ (DIR/dist,
// e.g. of the previous release), back to back with this one, for before/after figures under the same load.
// --sklearn-threads N sets OMP_NUM_THREADS for scikit-learn (default: unset, its default threads); on a loaded
// machine its OpenMP threads spin while they wait, so 1 thread shows its CPU seconds of real work.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { rocAuc } from "../dist/evaluation/metrics.js";
import { accumulateTrees } from "../dist/core/flat-tree.js";

const { values: opt } = parseArgs({
  options: {
    sizes: { type: "string", default: "26000x14,1000000x30" },
    threads: { type: "string" },
    iter: { type: "string", default: "100" },
    repeat: { type: "string", default: "1" },
    "skip-sklearn": { type: "boolean", default: false },
    predict: { type: "boolean", default: false },
    base: { type: "string" },
    "sklearn-threads": { type: "string" },
  },
});
const { GbdtEstimator } = await import(new URL("../dist/learners/gbdt/gbdt.js", import.meta.url).href);
const base = opt.base
  ? (await import(pathToFileURL(join(opt.base, "dist/learners/gbdt/gbdt.js")).href)).GbdtEstimator
  : null;
const maxIter = Number(opt.iter);
const params = { max_iter: maxIter, learning_rate: 0.1, max_leaf_nodes: 31, early_stopping: false };

/** A seeded table: `nTrain + nTest` rows × `nCols` Float64 columns and 0/1 labels. */
function makeTable(nRows, nCols, seed) {
  let s = seed >>> 0 || 1;
  const rnd = () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const cols = Array.from({ length: nCols }, () => new Float64Array(nRows));
  const y = new Uint8Array(nRows);
  const w = Array.from({ length: nCols }, () => normal() * 0.4);
  for (let r = 0; r < nRows; r++) {
    let z = -1;
    for (let j = 0; j < nCols; j++) {
      // Column kinds cycle: continuous, skewed count (few distinct values), continuous with 10% missing.
      let v;
      if (j % 3 === 0) v = normal();
      else if (j % 3 === 1) v = Math.floor(-Math.log(1 - rnd()) * 3);
      else v = rnd() < 0.1 ? NaN : rnd() * 10;
      cols[j][r] = v;
      if (Number.isNaN(v)) z += 0.3;
      else if (j % 3 === 0) z += w[j] * v + (j === 0 ? 0.5 * v * v - 0.5 : 0);
      else if (j % 3 === 1) z += w[j] * Math.min(v, 5) * 0.3;
      else z += (v > 6 ? w[j] : 0) + (j === 2 && cols[0][r] > 0 ? 0.4 : 0);
    }
    y[r] = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { cols, y };
}

function slice(t, from, to) {
  const cols = t.cols.map((c) => c.subarray(from, to));
  return {
    X: { nRows: to - from, features: cols.map((_, j) => ({ name: `x${j}`, kind: "numeric" })), columns: cols },
    y: t.y.subarray(from, to),
  };
}

const PY = `
import sys, time, json, numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
d, n_train, n_test, n_cols, max_iter = sys.argv[1], *map(int, sys.argv[2:6])
X = np.fromfile(d + "/X.f64").reshape(n_cols, n_train + n_test).T.copy()
y = np.fromfile(d + "/y.u8", dtype=np.uint8)
m = HistGradientBoostingClassifier(max_iter=max_iter, learning_rate=0.1, max_leaf_nodes=31, early_stopping=False,
                                   random_state=0)
for _ in range(int(sys.argv[6])):
    c0 = time.process_time(); t0 = time.perf_counter(); m.fit(X[:n_train], y[:n_train])
    fit = time.perf_counter() - t0; cpu = time.process_time() - c0
    p = m.predict_proba(X[n_train:])[:, 1]
    print(json.dumps({"fit_s": fit, "cpu_s": cpu, "auc": roc_auc_score(y[n_train:], p), "trees": m.n_iter_}))
`;

const work = join(tmpdir(), `churnkit-gbdt-speed-${process.pid}`);
mkdirSync(work, { recursive: true });
try {
  for (const size of opt.sizes.split(",")) {
    const [nTrain, nCols] = size.split("x").map(Number);
    const nTest = Math.max(5000, Math.round(nTrain / 4));
    const t = makeTable(nTrain + nTest, nCols, 7);
    const train = slice(t, 0, nTrain);
    const test = slice(t, nTrain, nTrain + nTest);
    const threads = opt.threads === undefined ? undefined : Number(opt.threads);
    if (!opt["skip-sklearn"]) {
      const X = new Float64Array(nCols * (nTrain + nTest));
      t.cols.forEach((c, j) => X.set(c, j * (nTrain + nTest)));
      writeFileSync(join(work, "X.f64"), X);
      writeFileSync(join(work, "y.u8"), t.y);
    }
    for (let rep = 0; rep < Number(opt.repeat); rep++) {
      const fitWith = (Estimator, label) => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const model = new Estimator(params).fit(train.X, train.y, { seed: 0, threads });
        const fitS = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(c0);
        const cpuS = (cpu.user + cpu.system) / 1e6;
        const auc = rocAuc(test.y, model.predictProba(test.X));
        console.log(
          `${nTrain}x${nCols} ${label}: fit ${fitS.toFixed(2)} s (cpu ${cpuS.toFixed(2)} s), test AUC ${auc.toFixed(4)}, trees ${model.trees.length}` +
            ` (threads ${threads ?? "default"})`,
        );
        return model;
      };
      if (base) fitWith(base, "base gbdt    ");
      const model = fitWith(GbdtEstimator, "churnkit gbdt");
      if (opt.predict) {
        // Blocks of rows through all trees (what predict does) vs one tree at a time over all rows (before 0.8).
        const rate = (f) => {
          const p0 = performance.now();
          f();
          return Math.round(nTrain / ((performance.now() - p0) / 1000)).toLocaleString("en");
        };
        const blocks = rate(() => model.predictRaw(train.X));
        const out = new Float64Array(nTrain);
        const perTree = rate(() => model.trees.forEach((tr) => accumulateTrees([tr], train.X, out)));
        console.log(
          `${nTrain}x${nCols} churnkit predict, ${model.trees.length} trees in memory: ${blocks} rows/s in row blocks` +
            ` (tree by tree over all rows: ${perTree} rows/s)`,
        );
      }
      if (!opt["skip-sklearn"]) {
        const args = ["-c", PY, work, String(nTrain), String(nTest), String(nCols), String(maxIter), "1"];
        const env = { ...process.env };
        if (opt["sklearn-threads"]) env.OMP_NUM_THREADS = opt["sklearn-threads"];
        const r = spawnSync("/usr/bin/python3", args, { encoding: "utf8", env });
        if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
        const py = JSON.parse(r.stdout.trim());
        console.log(
          `${nTrain}x${nCols} sklearn HGB${opt["sklearn-threads"] ? ` (${opt["sklearn-threads"]} thr)` : ""}:   fit ${py.fit_s.toFixed(2)} s (cpu ${py.cpu_s.toFixed(2)} s), test AUC ${py.auc.toFixed(4)}, trees ${py.trees}`,
        );
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
