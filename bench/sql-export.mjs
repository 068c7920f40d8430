// The SQL export at scale: a 100-tree gbdt (or forest) trained on a 100k-row churn-like table
// (bench/lib/churn-table.mjs), its query's size, and the time DuckDB takes to plan it and to score --rows rows with
// it (wall and this process's CPU, DuckDB's threads included), and PostgreSQL when CHURNKIT_PG_URL is set (wall,
// and the server process's CPU read from /proc, so the server must run on this machine), beside `churnkit predict`
// on the same rows; each engine's probabilities are compared with churnkit's. Not a test and not run in CI.
//   npm run build && node bench/sql-export.mjs [--rows 1000000] [--model gbdt|forest]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { writeChurnTable } from "./lib/churn-table.mjs";

const { values: opt } = parseArgs({
  options: { rows: { type: "string", default: "1000000" }, model: { type: "string", default: "gbdt" } },
});
const ROWS = Number(opt.rows);
const FAMILY = opt.model;
if (FAMILY !== "gbdt" && FAMILY !== "forest") throw new Error("--model is gbdt or forest");
const OUT = join(import.meta.dirname, "out");
mkdirSync(OUT, { recursive: true });
const CLI = join(import.meta.dirname, "..", "dist", "cli", "main.js");

function run(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`churnkit ${args.join(" ")}: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

const trainCsv = join(OUT, "sql-train-100000.csv");
const testCsv = join(OUT, `sql-test-${ROWS}.csv`);
if (!existsSync(trainCsv)) await writeChurnTable(trainCsv, 100_000, 11);
if (!existsSync(testCsv)) await writeChurnTable(testCsv, ROWS, 12);
const model = join(OUT, `sql-${FAMILY}-model`);
const config = join(OUT, `sql-${FAMILY}.json`);
// gbdt: 100 rounds without early stopping; forest: its defaults (100 trees of unlimited depth).
const params = FAMILY === "gbdt" ? { model: { params: { max_iter: 100, early_stopping: false } } } : {};
writeFileSync(config, JSON.stringify({ data: { id_columns: ["customer_id"] }, ...params }));
if (!existsSync(join(model, "model.json")))
  run(["train", "--data", trainCsv, "--target", "churn", "--model", FAMILY, "--config", config, "--out", model]);
const artifact = JSON.parse(readFileSync(join(model, "model.json"), "utf8"));
const sqlFile = join(OUT, `sql-${FAMILY}.sql`);
run(["export", "--model", model, "--format", "sql", "--out", sqlFile, "--force"]);
const sql = readFileSync(sqlFile, "utf8");
const trees = artifact.model.state.trees;
const nodes = trees.reduce((s, t) => s + t.feature.length, 0);
console.log(`model: ${FAMILY}, ${trees.length} trees, ${nodes} nodes; query ${statSync(sqlFile).size} bytes`);

const predictCsv = join(OUT, `sql-${FAMILY}-predict-${ROWS}.csv`);
rmSync(predictCsv, { force: true });
const predictSeconds = run(["predict", "--model", model, "--data", testCsv, "--out", predictCsv]);
console.log(
  `churnkit predict: ${ROWS} rows in ${predictSeconds.toFixed(2)} s (whole command, wall); ${(ROWS / predictSeconds).toFixed(0)} rows/s`,
);

const db = await DuckDBInstance.create(":memory:", { threads: "2" });
const con = await db.connect();
const typed = artifact.inputs.map((c) => {
  const q = `"${c.name}"`;
  if (c.type === "numeric") return `TRY_CAST(${q} AS DOUBLE) AS ${q}`;
  if (c.type === "boolean")
    return `CASE WHEN lower(CAST(${q} AS VARCHAR)) IN ('yes', 'true', '1') THEN TRUE WHEN lower(CAST(${q} AS VARCHAR)) IN ('no', 'false', '0') THEN FALSE END AS ${q}`;
  return `CAST(${q} AS VARCHAR) AS ${q}`;
});
await con.run(
  `CREATE TABLE input AS SELECT CAST(customer_id AS VARCHAR) AS customer_id, ${typed.join(", ")} FROM read_csv('${testCsv}', all_varchar = true)`,
);
const query = sql.replace(/;\s*$/, "");
let cpu0 = process.cpuUsage();
let t0 = performance.now();
await con.run(`EXPLAIN ${query}`);
const planCpu = process.cpuUsage(cpu0);
console.log(
  `DuckDB plan (EXPLAIN): ${((performance.now() - t0) / 1000).toFixed(2)} s wall, ${((planCpu.user + planCpu.system) / 1e6).toFixed(2)} s CPU`,
);
cpu0 = process.cpuUsage();
t0 = performance.now();
await con.run(`CREATE TABLE scores AS ${query}`);
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const n = Number((await con.runAndReadAll("SELECT count(*) FROM scores")).getRows()[0][0]);
console.log(
  `DuckDB (2 threads): ${n} rows scored by the query, planning included, in ${wall.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU; ${(n / wall).toFixed(0)} rows/s`,
);
async function compare(engine, scores) {
  const cmp = await con.runAndReadAll(
    `SELECT count(*), max(abs(CAST(s.churn_probability AS DOUBLE) - CAST(p.churn_probability AS DOUBLE))),
       sum(CASE WHEN CAST(s.churn_prediction AS BOOLEAN) <> (p.churn_prediction IN ('true', '1')) THEN 1 ELSE 0 END)
     FROM ${scores} s JOIN read_csv('${predictCsv}', all_varchar = true) p ON s.customer_id = p.customer_id`,
  );
  const [joined, worst, differ] = cmp.getRowsJS()[0];
  console.log(
    `${engine} vs churnkit predict: ${joined} rows joined, max |Δp| ${Number(worst).toExponential(2)}, decisions differing ${differ}`,
  );
}
await compare("DuckDB", "scores");
if (process.env.CHURNKIT_PG_URL) await postgres(query);
else console.log("PostgreSQL: skipped (set CHURNKIT_PG_URL)");
console.log(
  `load average: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
con.closeSync();
db.closeSync();

/** Scores the test rows in PostgreSQL with the same query, in one psql session; prints wall and server CPU. */
async function postgres(query) {
  const scoresCsv = join(OUT, `sql-${FAMILY}-pg-${ROWS}.csv`);
  const cols = ["customer_id", ...artifact.inputs.map((c) => c.name), "churn"];
  const typed = artifact.inputs.map((c) => {
    const q = `"${c.name}"`;
    if (c.type === "numeric") return `CAST(NULLIF(${q}, '') AS DOUBLE PRECISION) AS ${q}`;
    if (c.type === "boolean")
      return `CASE WHEN lower(${q}) IN ('yes', 'true', '1') THEN TRUE WHEN lower(${q}) IN ('no', 'false', '0') THEN FALSE END AS ${q}`;
    return `NULLIF(${q}, '') AS ${q}`;
  });
  const stat = (name) =>
    `SELECT pg_backend_pid() AS pid \\gset\n\\setenv PGPID :pid\n\\! cat /proc/$PGPID/stat > ${join(OUT, name)}`;
  // JIT off: PostgreSQL's default JIT (above a plan cost of 100,000, which 100,000 rows of this query exceed)
  // spends minutes compiling the trees' expressions with LLVM.
  const script = [
    `CREATE TEMP TABLE raw (${cols.map((c) => `"${c}" text`).join(", ")});`,
    `\\copy raw FROM '${testCsv}' WITH (FORMAT csv, HEADER true)`,
    `CREATE TEMP TABLE input AS SELECT customer_id, ${typed.join(", ")} FROM raw;`,
    "SET jit = off;",
    stat("pg-stat-0"),
    "\\timing on",
    `CREATE TEMP TABLE scores AS ${query};`,
    "\\timing off",
    stat("pg-stat-1"),
    `\\copy scores TO '${scoresCsv}' WITH (FORMAT csv, HEADER true)`,
  ].join("\n");
  const r = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", process.env.CHURNKIT_PG_URL, "-f", "-"], {
    input: script,
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  const ms = Number(/Time: ([\d.]+) ms/.exec(r.stdout)?.[1]);
  // utime + stime of the server process (fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s).
  const ticks = (f) => {
    const fields = readFileSync(join(OUT, f), "utf8").split(") ")[1].split(" ");
    return Number(fields[11]) + Number(fields[12]);
  };
  const cpu = (ticks("pg-stat-1") - ticks("pg-stat-0")) / 100;
  console.log(
    `PostgreSQL (jit off): ${ROWS} rows scored by the query, planning included, in ${(ms / 1000).toFixed(2)} s wall, ${cpu.toFixed(2)} s server CPU; ${(ROWS / (ms / 1000)).toFixed(0)} rows/s`,
  );
  const again = await DuckDBInstance.create(":memory:");
  const c2 = await again.connect();
  await c2.run(`CREATE VIEW pg AS SELECT * FROM read_csv('${scoresCsv}', all_varchar = true)`);
  const cmp = await c2.runAndReadAll(
    `SELECT count(*), max(abs(CAST(s.churn_probability AS DOUBLE) - CAST(p.churn_probability AS DOUBLE))),
       sum(CASE WHEN (s.churn_prediction = 't') <> (p.churn_prediction IN ('true', '1')) THEN 1 ELSE 0 END)
     FROM pg s JOIN read_csv('${predictCsv}', all_varchar = true) p ON s.customer_id = p.customer_id`,
  );
  const [joined, worst, differ] = cmp.getRowsJS()[0];
  console.log(
    `PostgreSQL vs churnkit predict: ${joined} rows joined, max |Δp| ${Number(worst).toExponential(2)}, decisions differing ${differ}`,
  );
  c2.closeSync();
  again.closeSync();
}
