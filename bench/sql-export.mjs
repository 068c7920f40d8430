// The SQL export at scale: a 100-tree gbdt trained on a 100k-row churn-like table (bench/lib/churn-table.mjs), its
// query's size, and the time DuckDB takes to score 1,000,000 rows with it (wall and this process's CPU, DuckDB's
// threads included), beside `churnkit predict` on the same rows; the two sets of probabilities are compared.
// Not a test and not run in CI.
//   npm run build && node bench/sql-export.mjs [--rows 1000000]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { writeChurnTable } from "./lib/churn-table.mjs";

const { values: opt } = parseArgs({ options: { rows: { type: "string", default: "1000000" } } });
const ROWS = Number(opt.rows);
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
const model = join(OUT, "sql-gbdt-model");
const config = join(OUT, "sql-gbdt.json");
const { writeFileSync } = await import("node:fs");
writeFileSync(
  config,
  JSON.stringify({
    data: { id_columns: ["customer_id"] },
    model: { params: { max_iter: 100, early_stopping: false } },
  }),
);
if (!existsSync(join(model, "model.json")))
  run(["train", "--data", trainCsv, "--target", "churn", "--model", "gbdt", "--config", config, "--out", model]);
const artifact = JSON.parse(readFileSync(join(model, "model.json"), "utf8"));
const sqlFile = join(OUT, "sql-gbdt.sql");
run(["export", "--model", model, "--format", "sql", "--out", sqlFile, "--force"]);
const sql = readFileSync(sqlFile, "utf8");
const trees = artifact.model.state.trees;
const nodes = trees.reduce((s, t) => s + t.feature.length, 0);
console.log(`model: gbdt, ${trees.length} trees, ${nodes} nodes; query ${statSync(sqlFile).size} bytes`);

const predictCsv = join(OUT, "sql-gbdt-predict.csv");
rmSync(predictCsv, { force: true });
const predictSeconds = run(["predict", "--model", model, "--data", testCsv, "--out", predictCsv]);
console.log(`churnkit predict: ${ROWS} rows in ${predictSeconds.toFixed(2)} s (whole command)`);

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
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await con.run(`CREATE TABLE scores AS ${sql.replace(/;\s*$/, "")}`);
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const n = Number((await con.runAndReadAll("SELECT count(*) FROM scores")).getRows()[0][0]);
console.log(
  `DuckDB (2 threads): ${n} rows scored by the query in ${wall.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU; ${(n / wall).toFixed(0)} rows/s`,
);
const cmp = await con.runAndReadAll(
  `SELECT count(*), max(abs(s.churn_probability - p.churn_probability)), sum(CASE WHEN s.churn_prediction <> (p.churn_prediction IN ('true', '1')) THEN 1 ELSE 0 END)
   FROM scores s JOIN read_csv('${predictCsv}', all_varchar = true) p ON s.customer_id = p.customer_id`,
);
const [joined, worst, differ] = cmp.getRowsJS()[0];
console.log(
  `vs churnkit predict: ${joined} rows joined, max |Δp| ${Number(worst).toExponential(2)}, decisions differing ${differ}`,
);
console.log(
  `load average: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
con.closeSync();
db.closeSync();
