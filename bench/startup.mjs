#!/usr/bin/env node
// The fixed cost of churnkit commands: wall and CPU seconds (user+sys, children included) of small runs, via
// /usr/bin/time, each command N times (default 3). Small inputs, so what is measured is start-up, not work.
// Usage: node bench/startup.mjs [--runs N] [--only name,...]   (needs /work/data1m/model, or CHURNKIT_BENCH_MODEL)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] || 0) || 3;
const only = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : null;
const tmp = process.env.CHURNKIT_BENCH_TMP ?? "/tmp/startup";
const model = process.env.CHURNKIT_BENCH_MODEL ?? "/work/data1m/model";
const bigCsv = process.env.CHURNKIT_BENCH_CSV ?? "/work/data1m/train.csv";
mkdirSync(tmp, { recursive: true });
const k1 = join(tmp, "k1.csv");
const k1p = join(tmp, "k1.parquet");
if (!existsSync(k1)) {
  // The first 1,001 lines (header + 1,000 rows) of the big table.
  const head = readFileSync(bigCsv, { encoding: "latin1", flag: "r" }).split("\n", 1001).join("\n") + "\n";
  writeFileSync(k1, head, "latin1");
}
if (!existsSync(k1p)) {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const c = await (await DuckDBInstance.create(":memory:")).connect();
  await c.run(`COPY (SELECT * FROM read_csv('${k1}')) TO '${k1p}' (FORMAT parquet)`);
}

const cli = ["dist/cli/main.js"];
const cases = {
  version: [...cli, "--version"],
  "predict-csv": [...cli, "predict", "--model", model, "--data", k1, "--out", join(tmp, "p1.csv")],
  "predict-parquet": [...cli, "predict", "--model", model, "--data", k1p, "--out", join(tmp, "p1p.csv")],
  train: [
    ...cli,
    "train",
    "--data",
    "data/telco-customer-churn.csv",
    "--target",
    "Churn",
    "--drop",
    "customerID",
    "--out",
    join(tmp, "m"),
  ],
  explain: [...cli, "explain", "--model", model, "--data", k1, "--rows", "0,1,2,3,4"],
};

for (const [name, argv] of Object.entries(cases)) {
  if (only && !only.includes(name)) continue;
  const rows = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", process.execPath, ...argv], { encoding: "utf8" });
    const last = r.stderr.trim().split("\n").pop();
    const [wall, user, sys, kb] = last.split(" ").map(Number);
    if (r.status !== 0) throw new Error(`${name} failed (${r.status}): ${r.stderr}`);
    rows.push({ wall, cpu: user + sys, mb: kb / 1024 });
  }
  const f = (k) => rows.map((x) => x[k].toFixed(2)).join(" ");
  console.log(`${name.padEnd(16)} wall ${f("wall")}  cpu ${f("cpu")}  peak MB ${f("mb")}`);
}
