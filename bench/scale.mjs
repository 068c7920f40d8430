// churnkit at scale, side by side with scikit-learn's HistGradientBoostingClassifier and XGBoost (hist) in the
// same run: a churn-like table (bench/lib/churn-table.mjs) of 100k, 1M (and, with --rows, 10M) rows; churnkit's
// `train --model gbdt` (wall, fit seconds from metrics.json, peak RSS, held-out AUC) and `predict` from CSV and
// from Parquet (rows/s of the whole command, peak RSS). Not a test and not run in CI.
//   npm run build && node bench/scale.mjs [--rows 100000,1000000] [--no-python] [--refit]
// Tables are written once into bench/out/ and reused. Peak RSS comes from GNU time (/usr/bin/time -v) when
// installed. The Python side runs only with Debian's python3-sklearn (and python3-xgboost) in /usr/bin/python3.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeChurnTable } from "./lib/churn-table.mjs";

const { values: opt } = parseArgs({
  options: {
    rows: { type: "string", default: "100000,1000000" },
    "no-python": { type: "boolean", default: false },
    refit: { type: "boolean", default: false },
  },
});
const OUT = join(import.meta.dirname, "out");
mkdirSync(OUT, { recursive: true });
const CLI = join(import.meta.dirname, "..", "dist", "cli", "main.js");
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

/** Run a command; wall seconds here, peak RSS (MB) from GNU time when available. */
function timed(cmd, args) {
  const t0 = performance.now();
  const r = TIME
    ? spawnSync(TIME, ["-v", cmd, ...args], { encoding: "utf8", maxBuffer: 1 << 28 })
    : spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? "");
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${(r.stderr ?? "").slice(-2000)}`);
  return { wall, rssMb: m ? Number(m[1]) / 1024 : null, stdout: r.stdout };
}

async function table(name, rows, seed) {
  const path = join(OUT, `${name}.csv`);
  if (!existsSync(path)) {
    process.stderr.write(`writing ${path} (${rows} rows)\n`);
    await writeChurnTable(path, rows, seed);
  }
  return path;
}

function toParquet(csv) {
  const pq = csv.replace(/\.csv$/, ".parquet");
  if (!existsSync(pq)) {
    // churnkit's own DuckDB, through a tiny script: no other tool needed.
    const js = `import {DuckDBInstance} from "@duckdb/node-api"; const c = await (await DuckDBInstance.create(":memory:")).connect(); await c.run("COPY (SELECT * FROM read_csv('${csv}', all_varchar=true)) TO '${pq}' (FORMAT parquet)");`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", js], {
      encoding: "utf8",
      cwd: join(import.meta.dirname, ".."),
    });
    if (r.status !== 0) throw new Error(r.stderr);
  }
  return pq;
}

const f = (x, d = 2) => (x === null || x === undefined ? "–" : Number(x).toFixed(d));
const results = [];
for (const n of opt.rows.split(",").map(Number)) {
  const testRows = Math.min(200_000, Math.max(20_000, Math.round(n / 5)));
  const train = await table(`scale-${n}-train`, n, 1000 + n);
  const test = await table(`scale-${testRows}-test`, testRows, 7);
  const dir = join(OUT, `scale-${n}-model`);
  rmSync(dir, { recursive: true, force: true }); // bench/out is this script's own folder
  const cfg = join(OUT, `scale-config.json`);
  spawnSync("sh", ["-c", `echo '{"model":{"refit":${opt.refit}},"evaluation":{"permutation_repeats":0}}' > ${cfg}`]);
  process.stderr.write(`churnkit train on ${n} rows\n`);
  const tr = timed(process.execPath, [
    CLI,
    "train",
    "--data",
    train,
    "--target",
    "churn",
    "--model",
    "gbdt",
    "--config",
    cfg,
    "--out",
    dir,
    "--json",
  ]);
  const metrics = JSON.parse(readFileSync(join(dir, "metrics.json"), "utf8"));
  const ev = timed(process.execPath, [CLI, "evaluate", "--model", dir, "--data", test, "--json"]);
  const auc = JSON.parse(ev.stdout).auc;
  const preds = join(OUT, `scale-${n}-pred.csv`);
  rmSync(preds, { force: true });
  const pc = timed(process.execPath, [CLI, "predict", "--model", dir, "--data", train, "--out", preds]);
  const pq = toParquet(train);
  rmSync(preds, { force: true });
  const pp = timed(process.execPath, [CLI, "predict", "--model", dir, "--data", pq, "--out", preds]);
  rmSync(preds, { force: true });
  results.push({
    rows: n,
    tool: "churnkit gbdt",
    fit_s: metrics.timings.fit_s,
    wall_s: tr.wall,
    peak_mb: tr.rssMb,
    auc,
    csv_rows_s: n / pc.wall,
    csv_peak_mb: pc.rssMb,
    parquet_rows_s: n / pp.wall,
    parquet_peak_mb: pp.rssMb,
  });
  if (!opt["no-python"] && existsSync("/usr/bin/python3")) {
    process.stderr.write(`scikit-learn / XGBoost on ${n} rows\n`);
    // A Python run that fails (e.g. killed for memory at 10M rows) is a row of the table, not the end of the bench.
    let py;
    try {
      py = timed("/usr/bin/python3", [join(import.meta.dirname, "scale_ref.py"), train, test]);
    } catch (e) {
      const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(String(e.message));
      results.push({
        rows: n,
        tool: `scikit-learn/XGBoost failed: ${String(e.message).split("\n")[1] ?? ""}`.trim(),
        peak_mb: peak ? Number(peak[1]) / 1024 : null,
      });
      continue;
    }
    for (const line of py.stdout.trim().split("\n")) {
      const r = JSON.parse(line);
      if (r.skipped) continue;
      results.push({
        rows: n,
        tool: r.model,
        fit_s: r.fit_s,
        peak_mb: py.rssMb,
        auc: r.auc,
        mem_rows_s: r.predict_rows_s,
      });
    }
  }
}
console.log(
  `| rows | tool | fit s | train wall s | train peak MB | test AUC | predict CSV rows/s (peak MB) | predict Parquet rows/s (peak MB) | in-memory predict rows/s |`,
);
console.log(`| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
for (const r of results)
  console.log(
    `| ${r.rows.toLocaleString("en")} | ${r.tool} | ${f(r.fit_s)} | ${f(r.wall_s, 1)} | ${f(r.peak_mb, 0)} | ${f(r.auc, 4)} | ${r.csv_rows_s ? `${Math.round(r.csv_rows_s).toLocaleString("en")} (${f(r.csv_peak_mb, 0)})` : "–"} | ${r.parquet_rows_s ? `${Math.round(r.parquet_rows_s).toLocaleString("en")} (${f(r.parquet_peak_mb, 0)})` : "–"} | ${r.mem_rows_s ? Math.round(r.mem_rows_s).toLocaleString("en") : "–"} |`,
  );
console.log(
  `\n(${new Date().toISOString()}, ${process.version}; Python peak MB is the whole Python process, both models)`,
);
