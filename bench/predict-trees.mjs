// The tree predictors of `churnkit predict` on one model and one file, in memory: the file is read and encoded once
// (the scoring stream's own windows), then each layout scores every row three times and the best CPU time is printed
// as ns per row per tree: the leaf-mask forest (core/mask-forest.ts, the WebAssembly kernel; what accumulateTrees
// uses for trees of at most 64 leaves), the binned forest (binned-forest.ts, the layout before it) and node-by-node
// routing (routed-forest.ts). Each layout's sums are checked bit for bit against goesLeft row by row (leafIndex).
// Not a test; the machine is shared, so trust the CPU column. Exits 1 if any layout differs.
//   npm run build && node bench/predict-trees.mjs --model DIR --data FILE.{csv,parquet}
import { parseArgs } from "node:util";
import { loadModel } from "../dist/artifact/churn-model.js";
import { withConnection } from "../dist/data/duckdb.js";
import { forEachWindow, scoringSource } from "../dist/io/scoring-source.js";
import { accumulateBinned, binForest } from "../dist/core/binned-forest.js";
import { maskLayout, MaskScorer } from "../dist/core/mask-forest.js";
import { accumulateRouted } from "../dist/core/routed-forest.js";
import { flatTreeFromJSON, leafIndex } from "../dist/core/flat-tree.js";

const { values: o } = parseArgs({ options: { model: { type: "string" }, data: { type: "string" } } });
const model = await loadModel(o.model);
const state = model.artifact.model.state;
if (!Array.isArray(state.trees)) throw new Error(`${o.model}: not a tree model`);
const trees = state.trees.map(flatTreeFromJSON);
const start = typeof state.baseline === "number" ? state.baseline : 0;
const input = o.data;

// 1. The model matrix of every row, one column array per model column (predict's scoring stream, without ids).
const source = await scoringSource(model, input, () => []);
const parts = [];
await withConnection(
  (con) =>
    forEachWindow(con, source, input, async (w) => {
      parts.push((await model.prepareTyped(w.typed, w.offset)).X);
    }),
  source.database,
);
const n = parts.reduce((s, X) => s + X.nRows, 0);
const nf = parts[0].columns.length;
const columns = Array.from({ length: nf }, () => new Float64Array(n));
let at = 0;
for (const X of parts) {
  X.columns.forEach((c, j) => columns[j].set(c, at));
  at += X.nRows;
}
parts.length = 0;
const X = { nRows: n, features: model.artifact.preprocess.features, columns };
let leaves = 0;
for (const t of trees) for (const f of t.feature) if (f < 0) leaves++;
console.log(`${n} rows x ${nf} columns, ${trees.length} trees, ${(leaves / trees.length).toFixed(1)} leaves per tree`);

// 2. The reference: goesLeft row by row, trees in order.
const want = new Float64Array(n).fill(start);
for (let r = 0; r < n; r++) for (const t of trees) want[r] += t.value[leafIndex(t, X, r)];

// 3. Each layout, best of three.
let bad = false;
function layout(name, score) {
  let best = Infinity;
  let out;
  for (let i = 0; i < 3; i++) {
    out = new Float64Array(n).fill(start);
    const c0 = process.cpuUsage();
    score(out);
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1e6);
  }
  let differ = 0;
  for (let r = 0; r < n; r++) if (!Object.is(out[r], want[r])) differ++;
  if (differ) bad = true;
  const ns = (best * 1e9) / n / trees.length;
  console.log(`${name.padEnd(24)} cpu ${best.toFixed(3)} s  ${ns.toFixed(2)} ns/row/tree  rows differing ${differ}`);
}
const t0 = performance.now();
const F = binForest(trees, nf);
const L = F && maskLayout(F);
const scorer = F && L && MaskScorer.create(F, L);
console.log(
  `laid out in ${(performance.now() - t0).toFixed(0)} ms (mask tables ${L ? (L.image.length / 1024).toFixed(0) : "-"} KB)`,
);
if (scorer) layout("leaf masks (wasm)", (out) => scorer.accumulate(X, out));
else console.log("leaf masks: not applicable to this forest");
if (F) layout("binned forest", (out) => accumulateBinned(F, X, out));
layout("node by node", (out) => accumulateRouted(trees, X, out));
if (bad) process.exitCode = 1;
