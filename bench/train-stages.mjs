// Where `churnkit train --model gbdt` spends its time outside the fit, stage by stage, on one file: the steps of
// src/pipeline/train.ts (prepareTraining, then trainOnTable with refit and importance off) called one by one, each
// printed with wall and CPU seconds (process.cpuUsage: every thread of the process, DuckDB's and the gbdt workers'
// included) and the RSS after it. Not a test; the machine is shared, so trust the CPU column and run it twice.
// It mirrors train.ts's order, not its code: when train.ts changes its steps, change this list.
//   npm run build && node bench/train-stages.mjs --data FILE --target COL [--threads N]
import { parseArgs } from "node:util";
import { parseConfig } from "../dist/config/load.js";
import { useThreads } from "../dist/data/duckdb.js";
import { orderRelations } from "../dist/data/identifier-order.js";
import { fileSource } from "../dist/data/load-typed.js";
import { fitPreprocess, transform } from "../dist/data/preprocess.js";
import { featureColumns, inferSchemaFrom } from "../dist/data/schema.js";
import { stratifiedSplit } from "../dist/data/split.js";
import { numericStats, referenceStats, SCORE_EDGES } from "../dist/data/stats.js";
import { encodeTarget, resolveTarget } from "../dist/data/target.js";
import { takeTyped } from "../dist/data/typed.js";
import { detailedMetrics } from "../dist/evaluation/detailed.js";
import { findLeaks } from "../dist/evaluation/leakage.js";
import { chooseThreshold } from "../dist/evaluation/threshold.js";
import { selectFeatures } from "../dist/features/select.js";
import { family } from "../dist/learners/families.js";
import { heldOutText } from "../dist/pipeline/held-out.js";

const { values: o } = parseArgs({
  options: { data: { type: "string" }, target: { type: "string" }, threads: { type: "string" } },
});
const target = o.target;
const threads = o.threads === undefined ? undefined : Number(o.threads);
const cfg = parseConfig({ model: { family: "gbdt" }, data: { target }, ...(threads ? { threads } : {}) });
await useThreads(cfg.threads);

let w0 = performance.now();
let c0 = process.cpuUsage();
const total = { wall: 0, cpu: 0 };
function lap(name) {
  const wall = (performance.now() - w0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  total.wall += wall;
  total.cpu += cpu;
  const rss = (process.memoryUsage().rss / 2 ** 30).toFixed(2);
  console.log(
    `${name.padEnd(30)} wall ${wall.toFixed(2).padStart(7)}  cpu ${cpu.toFixed(2).padStart(7)}  rss ${rss} GB`,
  );
  w0 = performance.now();
  c0 = process.cpuUsage();
}

const src = await fileSource(o.data);
lap("open: read CSV + column facts");
const rel = await orderRelations(src, { target, skip: [] });
const schema = inferSchemaFrom(src, { target, orderRelation: rel });
lap("schema inference");
const labels = await src.labels(target);
const { y } = encodeTarget(labels, resolveTarget(labels, target));
lap("target labels");
const features = featureColumns(schema);
const typed = await src.typed(features.map((c) => ({ name: c.name, type: c.type })));
lap("typed feature columns");
const { kept } = selectFeatures(
  typed,
  features.map((c) => ({ column: c.name, type: c.type })),
  cfg.features,
);
findLeaks(typed, kept, y, []);
lap("feature selection + leakage");
const { first: trainRows, second: valRows } = stratifiedSplit(y, cfg.split.validation_size, cfg.seed);
lap("validation split");
const spec = family("gbdt");
const train = takeTyped(typed, trainRows);
const pre = fitPreprocess(train, kept, spec.needs, cfg.preprocess);
const { X } = transform(pre, train);
lap("preprocess (fit + encode)");
const clf = await spec.create({}).fit(
  X,
  Uint8Array.from(trainRows, (i) => y[i]),
  { seed: cfg.seed, threads },
);
lap("gbdt fit");
const { X: Xv } = transform(pre, takeTyped(typed, valRows));
const yv = Uint8Array.from(valRows, (i) => y[i]);
const p = clf.predictProba(Xv);
const threshold = chooseThreshold(yv, p, { rule: "f1" });
detailedMetrics(yv, p, threshold.value);
lap("validation: score + metrics");
await src.fingerprint();
lap("data fingerprint");
referenceStats(
  typed,
  kept.map((k) => k.column),
);
numericStats(p, "numeric", SCORE_EDGES);
lap("reference statistics");
await heldOutText(src, valRows, yv, p, cfg.evaluation.importance_max_rows, cfg.seed);
lap("held-out rows as text");
src.close();
console.log(`${"total".padEnd(30)} wall ${total.wall.toFixed(2).padStart(7)}  cpu ${total.cpu.toFixed(2).padStart(7)}`);
