// Where `churnkit predict`'s time goes, stage by stage, on one file and one saved model: each line runs the
// scoring stream up to one more stage (DuckDB's count of the rows; the typed scoring query fetched and dropped;
// its chunks placed into windows; encoded; scored by the trees; written as CSV lines) and prints wall and CPU
// seconds (process.cpuUsage: every thread of the process, DuckDB's included). The difference between two lines is
// that stage's cost. Every stage runs on the main thread here (predict itself scores a large input on a worker).
// Not a test; the machine is shared, so trust the CPU column and run it twice.
//   npm run build && node bench/predict-stages.mjs --model DIR --data FILE.{csv,parquet} [--only N]
// (--only N runs only the stream up to stage N: 0 the query, 1 windows, 2 encoded, 3 scored, 4 CSV lines; for a
// profile, e.g. node --cpu-prof.)
import { parseArgs } from "node:util";
import { loadModel } from "../dist/artifact/churn-model.js";
import { withConnection } from "../dist/data/duckdb.js";
import { sourceSql } from "../dist/data/load.js";
import { ScoringWindows } from "../dist/data/score-typed.js";
import { csvBytes } from "../dist/io/lines.js";
import { scoringSource, WINDOW_ROWS } from "../dist/io/scoring-source.js";

const { values: o } = parseArgs({
  options: { model: { type: "string" }, data: { type: "string" }, only: { type: "string" } },
});
const l0 = process.cpuUsage();
const model = await loadModel(o.model);
console.log(`model loaded: cpu ${((process.cpuUsage(l0).user + process.cpuUsage(l0).system) / 1e6).toFixed(2)} s`);
const input = o.data;
const source = await scoringSource(model, input);
const wanted = source.wanted;

async function stage(name, upTo) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const rows = await upTo();
  const c = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / 1000;
  const cpu = (c.user + c.system) / 1e6;
  console.log(
    `${name.padEnd(34)} rows ${String(rows).padStart(8)}  wall ${wall.toFixed(2)} s  cpu ${cpu.toFixed(2)} s`,
  );
}

async function stream(level) {
  return withConnection(async (con) => {
    const res = await con.stream(source.sql);
    const windows = new ScoringWindows(wanted, input, WINDOW_ROWS, source.positioned);
    let rows = 0;
    let bytes = 0;
    const use = async (w) => {
      rows += w.typed.rows;
      if (level < 2) return;
      const { X } = await model.prepareTyped(w.typed, w.offset);
      if (level < 3) return;
      const p = model.scoreMatrix(X, w.offset);
      if (level < 4) return;
      bytes += csvBytes(
        wanted.text.map((c) => w.text[c]),
        p,
        model.threshold,
      ).length;
    };
    for (;;) {
      const chunk = await res.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      if (level === 0) {
        rows += chunk.rowCount;
        continue;
      }
      for (const w of windows.add(chunk)) await use(w);
    }
    if (level > 0) for (const w of windows.finish()) await use(w);
    if (level === 4) console.log(`(${(bytes / 1e6).toFixed(1)} MB of CSV lines)`);
    return rows;
  }, source.database);
}

if (o.only !== undefined) {
  await stage(`stream up to stage ${o.only}`, () => stream(Number(o.only)));
  process.exit(0);
}
await stage("count(*) of the input", () =>
  withConnection(async (con) =>
    Number((await con.runAndReadAll(`SELECT count(*) FROM (${sourceSql(input)})`)).getRows()[0][0]),
  ),
);
await stage("scoring query, chunks dropped", () => stream(0));
await stage("+ placed into windows", () => stream(1));
await stage("+ encoded (prepareTyped)", () => stream(2));
await stage("+ scored (scoreMatrix)", () => stream(3));
await stage("+ CSV lines", () => stream(4));
