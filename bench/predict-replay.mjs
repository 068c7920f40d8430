// The JavaScript side of `churnkit predict` without DuckDB's reading: the scoring stream's windows are read into
// memory once, then replayed as predict handles them: encoded (prepareTyped), scored by the trees and turned into CSV
// bytes, either all on the main thread or with the scoring and the CSV lines on a worker (io/score-pool.ts, what
// predict does past POOL_AFTER_ROWS), at most 4 windows in flight, in order. Prints wall and CPU seconds (every
// thread) of each, best of three, and checks that both give the same bytes. Not a test; the machine is shared.
//   npm run build && node bench/predict-replay.mjs --model DIR --data FILE.{csv,parquet} [--workers 1]
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { loadModel } from "../dist/artifact/churn-model.js";
import { withConnection } from "../dist/data/duckdb.js";
import { csvBytes } from "../dist/io/lines.js";
import { ScorePool } from "../dist/io/score-pool.js";
import { forEachWindow, scoringSource } from "../dist/io/scoring-source.js";

const { values: o } = parseArgs({
  options: { model: { type: "string" }, data: { type: "string" }, workers: { type: "string", default: "1" } },
});
const model = await loadModel(o.model);
const input = o.data;
const source = await scoringSource(model, input, () => model.artifact.id_columns);
const ids = source.wanted.text;
const windows = [];
await withConnection(
  (con) =>
    forEachWindow(con, source, input, async (w) => {
      windows.push(w);
    }),
  source.database,
);
const rows = windows.reduce((s, w) => s + w.typed.rows, 0);
const th = model.threshold;
const idsOf = (w) => ids.map((c) => w.text[c]);

async function mainOnly() {
  const h = createHash("sha256");
  for (const w of windows) {
    const { X } = await model.prepareTyped(w.typed, w.offset);
    h.update(csvBytes(idsOf(w), model.scoreMatrix(X, w.offset), th));
  }
  return h.digest("hex");
}

async function pooled(pool) {
  const h = createHash("sha256");
  const queue = [];
  for (const w of windows) {
    const { X } = await model.prepareTyped(w.typed, w.offset);
    queue.push(pool.score(X, w.offset, w.packed(), th));
    while (queue.length >= 4) h.update((await queue.shift()).csv);
  }
  while (queue.length) h.update((await queue.shift()).csv);
  return h.digest("hex");
}

async function best(name, run) {
  let wall = Infinity;
  let cpu = Infinity;
  let hash;
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    hash = await run();
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, (performance.now() - t0) / 1000);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  console.log(
    `${name.padEnd(28)} wall ${wall.toFixed(2)} s  cpu ${cpu.toFixed(2)} s  ${Math.round(rows / wall)} rows/s`,
  );
  return hash;
}

console.log(`${rows} rows in ${windows.length} windows`);
const a = await best("main thread only", mainOnly);
const t0 = performance.now();
const pool = ScorePool.start(model, Number(o.workers));
const b = await best(`main + ${o.workers} scoring worker(s)`, () => pooled(pool));
console.log(`(pool started and warm within the first run; ${((performance.now() - t0) / 1000).toFixed(1)} s in all)`);
await pool.close();
console.log(a === b ? "same bytes" : "DIFFERENT BYTES");
if (a !== b) process.exitCode = 1;
