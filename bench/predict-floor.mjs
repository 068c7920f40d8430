// What `churnkit predict` can reach on this machine: the floor of each part of it, measured alone. DuckDB's read of
// the model's columns only (streamed; materialized, then every chunk taken; two streams of a Parquet file's row
// groups at once on two connections; a CSV read into a temporary table in parallel, then streamed), the scoring
// query itself (io/scoring-source.ts, as predict streams it, with and without its identifier pieces), the JavaScript
// typing of its chunks (score-typed.ts windows) and the encoding, the trees alone in memory and the CSV lines, and
// the process's start-up. Prints one table: wall and CPU seconds (process.cpuUsage: every thread of the process,
// DuckDB's included; a child's from /usr/bin/time) and rows per wall second, best of two runs of each. Each row is a
// part alone; predict runs them side by side on two cores, so its wall time is at best about the largest of its
// parts' CPU-seconds per core. Not a test; the machine is shared, so trust the CPU column and run it twice.
//   npm run build && node bench/predict-floor.mjs --model DIR --data FILE.{csv,parquet} [--data FILE ...]
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { loadModel } from "../dist/artifact/churn-model.js";
import { ident, literal } from "../dist/data/duckdb.js";
import { formatOf } from "../dist/data/load.js";
import { ScoringWindows, scoringSql } from "../dist/data/score-typed.js";
import { csvBytesPacked } from "../dist/io/lines.js";
import { scoringSource, WINDOW_ROWS } from "../dist/io/scoring-source.js";

const { values: o } = parseArgs({
  options: { model: { type: "string" }, data: { type: "string", multiple: true } },
});
const model = await loadModel(o.model);
const table = [];

/** Best of two runs of `fn` (which resolves to the rows it handled): wall and CPU seconds. */
async function best(name, fn) {
  let wall = Infinity;
  let cpu = Infinity;
  let rows = 0;
  for (let i = 0; i < 2; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    rows = await fn();
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, (performance.now() - t0) / 1000);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  table.push({ name, rows, wall, cpu });
  console.error(`${name}: ${wall.toFixed(2)} s, ${cpu.toFixed(2)} CPU-s`);
}

/** Best of three runs of a child process, from /usr/bin/time (wall, user + system). */
function child(name, args) {
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < 3; i++) {
    const r = spawnSync("/usr/bin/time", ["-f", "TIME %e %U %S", ...args], { encoding: "utf8" });
    const line = r.stderr.split("\n").find((l) => l.startsWith("TIME"));
    const [, w, u, s] = line.split(" ").map(Number);
    wall = Math.min(wall, w);
    cpu = Math.min(cpu, u + s);
  }
  table.push({ name, rows: 0, wall, cpu });
}

/** Chunks of `sql` streamed on `con`, dropped (or given to `use`); resolves to the rows. */
async function streamed(con, sql, use) {
  const res = await con.stream(sql);
  let rows = 0;
  for (;;) {
    const chunk = await res.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    rows += chunk.rowCount;
    use?.(chunk);
  }
  return rows;
}

/** `sql` materialized, then every chunk taken (and touched: its first vector). */
async function materialized(con, sql) {
  const res = await con.run(sql);
  let rows = 0;
  for (let i = 0; i < res.chunkCount; i++) {
    const chunk = res.getChunk(i);
    rows += chunk.rowCount;
    chunk.getColumnVector(0);
  }
  return rows;
}

async function floors(input) {
  const tag = input.split("/").pop();
  const parquet = formatOf(input) === "parquet";
  const two = await DuckDBInstance.create(":memory:", { threads: "2" });
  const one = await DuckDBInstance.create(":memory:", { threads: "1" });
  const con2 = await two.connect();
  const con1 = await one.connect();
  const source = await scoringSource(model, input);
  const wanted = source.wanted;
  const names = [...wanted.inputs.map((s) => s.name), ...wanted.text];
  const cols = names.map(ident).join(", ");
  const p = literal(input);
  const read = parquet
    ? `SELECT ${cols} FROM read_parquet(${p})`
    : `SELECT ${cols} FROM read_csv(${p}, all_varchar = true, header = true)`;
  await best(`${tag}: read ${names.length} columns, streamed (2 threads)`, () => streamed(con2, read));
  if (!parquet) await best(`${tag}: read, streamed (1 thread)`, () => streamed(con1, read));
  await best(`${tag}: read, materialized + chunks taken`, () => materialized(con2, read));
  // Two connections, each streaming every other row group in turn (one stream of DuckDB reads on one thread).
  const groups = parquet
    ? (
        await con2.runAndReadAll(
          `SELECT any_value(row_group_num_rows) FROM parquet_metadata(${p}) GROUP BY row_group_id ORDER BY row_group_id`,
        )
      )
        .getRows()
        .map(([n]) => Number(n))
    : [];
  const twoStreams = async (instance, sqlOf) => {
    const lane = async (k) => {
      const con = await instance.connect();
      let rows = 0;
      for (let g = k, from = groups.slice(0, k).reduce((a, b) => a + b, 0); g < groups.length; g += 2) {
        rows += await streamed(con, sqlOf(`file_row_number >= ${from} AND file_row_number < ${from + groups[g]}`));
        from += groups[g] + (groups[g + 1] ?? 0);
      }
      con.closeSync();
      return rows;
    };
    const r = await Promise.all([lane(0), lane(1)]);
    return r[0] + r[1];
  };
  if (groups.length > 1) {
    await best(`${tag}: read, 2 streams of alternate row groups`, () =>
      twoStreams(two, (where) => `SELECT ${cols} FROM read_parquet(${p}, file_row_number = true) WHERE ${where}`),
    );
  }
  if (!parquet) {
    // In bounded memory only as far as DuckDB spills the temporary table; then streamed back (in insertion order).
    await best(`${tag}: read into a temp table (2 threads), streamed`, async () => {
      await con2.run(`CREATE OR REPLACE TEMP TABLE t AS ${read}`);
      const rows = await streamed(con2, `SELECT * FROM t`);
      await con2.run(`DROP TABLE t`);
      return rows;
    });
  }
  // The scoring query as predict streams it (its database), with the identifiers' pieces and without them. (Since
  // scoring-source.ts probes a large file's ids, a file of short ids streams without pieces: the two rows then
  // measure the same query.)
  const db = await source.database;
  const conS = await db.connect();
  await best(`${tag}: scoring query streamed, chunks dropped`, () => streamed(conS, source.sql));
  const plain = { ...wanted, text: [] };
  const from = source.relation;
  const idOnly = scoringSql(plain, from, source.positioned ? "churnkit_position" : undefined).replace(
    " FROM (",
    `, ${wanted.text.map((c) => `${ident(c)}::VARCHAR`).join(", ")} FROM (`,
  );
  await best(`${tag}: scoring query, ids as text only (no pieces)`, () => streamed(conS, idOnly));
  await best(`${tag}: scoring query, no ids`, () =>
    streamed(conS, scoringSql(plain, from, source.positioned ? "churnkit_position" : undefined)),
  );
  if (groups.length > 1) {
    await best(`${tag}: scoring query, 2 streams of alternate row groups`, async () =>
      twoStreams(db, (where) =>
        scoringSql(wanted, `${source.relation} WHERE ${where}`, source.positioned ? "churnkit_position" : undefined),
      ),
    );
  }
  // The JavaScript stages on chunks already in memory (the scoring query materialized once).
  const res = await conS.run(source.sql);
  const chunks = Array.from({ length: res.chunkCount }, (_, i) => res.getChunk(i));
  let windows = [];
  await best(`${tag}: JS typing into windows (in memory)`, async () => {
    const w = new ScoringWindows(wanted, input, WINDOW_ROWS, source.positioned);
    windows = [];
    for (const c of chunks) for (const x of w.add(c)) windows.push(x);
    for (const x of w.finish()) windows.push(x);
    return windows.reduce((s, x) => s + x.typed.rows, 0);
  });
  chunks.length = 0;
  let encoded = [];
  await best(`${tag}: encoding, prepareTyped (in memory)`, async () => {
    encoded = [];
    for (const w of windows) encoded.push((await model.prepareTyped(w.typed, w.offset)).X);
    return encoded.reduce((s, X) => s + X.nRows, 0);
  });
  let scores = [];
  await best(`${tag}: trees alone, scoreMatrix (1 thread, in memory)`, async () => {
    scores = encoded.map((X, i) => model.scoreMatrix(X, windows[i].offset));
    return scores.reduce((s, p) => s + p.length, 0);
  });
  await best(`${tag}: ids packed + CSV lines (in memory)`, async () => {
    windows.forEach((w, i) => csvBytesPacked(w.packed(), scores[i], model.threshold));
    return windows.reduce((s, x) => s + x.typed.rows, 0);
  });
  // What predict runs for this input, side by side on two cores: at best the start-up and half the parts' CPU.
  const ran = ["scoring query streamed", "JS typing", "encoding", "trees alone", "ids packed"].map(
    (k) => table.find((r) => r.name.startsWith(`${tag}: ${k}`)).cpu,
  );
  const start = table.find((r) => r.name === "process: churnkit --version").wall;
  const bound = start + ran.reduce((a, b) => a + b, 0) / 2;
  table.push({
    name: `${tag}: predict at best (start-up + parts' CPU / 2 cores)`,
    rows: windows.at(-1).offset + windows.at(-1).typed.rows,
    wall: bound,
    cpu: NaN,
  });
  conS.closeSync();
  con1.closeSync();
  con2.closeSync();
}

// First the process start-up, which each input's bound adds.
child("process: node -e 0", [process.execPath, "-e", "0"]);
child("process: churnkit --version", [process.execPath, "dist/cli/main.js", "--version"]);
for (const input of o.data) await floors(input);

const pad = (s, n) => String(s).padStart(n);
console.log(`${"part".padEnd(62)} ${pad("wall s", 7)} ${pad("CPU s", 7)} ${pad("rows/s", 11)}`);
for (const r of table) {
  const rate = r.rows ? Math.round(r.rows / r.wall).toLocaleString("en-US") : "";
  console.log(
    `${r.name.padEnd(62)} ${pad(r.wall.toFixed(2), 7)} ${pad(Number.isNaN(r.cpu) ? "" : r.cpu.toFixed(2), 7)} ${pad(rate, 11)}`,
  );
}
