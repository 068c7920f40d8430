// The survival task through the CLI at scale: `churnkit run` (split, train, test metrics, importance, report) and
// `churnkit evaluate` of the model on a fresh table, each on a generated survival table of N rows (default
// 1,000,000): an id, 10 numbers, a 6-level category, a monthly charge, `tenure` (whole months 1..72, heavy ties)
// and `churn` (Yes/No, the event). Exponential event times, log hazard linear in 4 numbers, a step and the category,
// independent censoring (as bench/survival-scale.mjs, which times the fits alone). Prints one JSON line per command:
// CPU seconds (user + sys) and peak RSS from GNU time (/usr/bin/time -v), wall seconds, and the C-index.
// Usage: npm run build && node bench/survival-cli.mjs [--rows N] [--model cox|gbdt] [--repeats 5] [--cli dist/cli/main.js]
// (--cli another build, e.g. a copy of an older dist/, to measure before and after a change.)
// One run (2 shared cores, load ~10), 1M rows, cox, CPU s / peak RSS (figures from before the table was drawn by
// bench/lib/survival-table.mjs: the same model, other random rows, so C-indices differ in the last digits):
//   before (3bc11a6, survival test rows and evaluate read as text): run 60.9 s / 1,173 MB (no importance),
//     evaluate 18.5 s / 1,908 MB;
//   after (typed): run 63.0 s / 1,171 MB without importance, 63.9 s / 1,178 MB with it (50,000 test rows, 5 repeats),
//     evaluate 18.1 s / 826 MB (19.1 s / 803 MB in a second run); the same C-index to every digit (0.74321, 0.74167).
//   run's cost is training's (load 7 s, preprocess 13 s, fit 29 s wall of 116 s); its peak is training's too.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { rng, writeLines } from "./lib/churn-table.mjs";
import { NUM, simulateSurvival } from "./lib/survival-table.mjs";

const { values: opt } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    model: { type: "string", default: "cox" },
    cli: { type: "string", default: join(import.meta.dirname, "..", "dist", "cli", "main.js") },
    repeats: { type: "string", default: "5" },
  },
});
const N = Number(opt.rows);
const OUT = join(import.meta.dirname, "out");
mkdirSync(OUT, { recursive: true });

/**
 * Write `rows` survival rows to `path` as CSV: bench/lib/survival-table.mjs's simulation (monthly durations) plus an
 * id and a monthly charge drawn from a separate stream, so the simulated rows are the other survival benches' own.
 */
async function writeSurvivalTable(path, rows, seed) {
  const d = simulateSurvival(rows, seed);
  const r = rng(seed ^ 0x5bd1e995);
  function* lines() {
    yield [
      "customer_id",
      ...Array.from({ length: NUM }, (_, j) => `num${j}`),
      "plan",
      "monthly",
      "tenure",
      "churn",
    ].join(",");
    for (let i = 0; i < rows; i++) {
      const nums = Array.from(d.num, (col) => col[i].toFixed(4));
      const monthly = (20 + r() * 80).toFixed(2);
      yield [`S${seed}-${i}`, ...nums, `P${d.cat[i]}`, monthly, d.time[i], d.event[i] ? "Yes" : "No"].join(",");
    }
  }
  await writeLines(path, lines());
}

async function table(name, rows, seed) {
  const path = join(OUT, `${name}.csv`);
  if (!existsSync(path)) {
    process.stderr.write(`writing ${path} (${rows} rows)\n`);
    await writeSurvivalTable(path, rows, seed);
  }
  return path;
}

/** Run the CLI under GNU time: CPU seconds (user + sys), peak RSS (MB), wall seconds, stdout. */
function timed(args) {
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-v", process.execPath, resolve(opt.cli), ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`churnkit ${args.join(" ")} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  const num = (re) => Number(re.exec(r.stderr)?.[1] ?? NaN);
  return {
    cpu_s: Math.round((num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/)) * 100) / 100,
    peak_rss_mb: Math.round(num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024),
    wall_s: Math.round(wall * 100) / 100,
    stdout: r.stdout,
  };
}

const train = await table(`survival-${N}`, N, 1);
const fresh = await table(`survival-${N}-fresh`, N, 2);
const dir = join(OUT, `survival-${N}-${opt.model}-model`);
const config = join(OUT, `survival-${N}-${opt.model}.json`);
writeFileSync(
  config,
  JSON.stringify({
    data: { path: train, target: "churn", duration: "tenure", id_columns: ["customer_id"] },
    survival: { horizons: [3, 6, 12], value: "monthly" },
    model: { family: opt.model },
    evaluation: { permutation_repeats: Number(opt.repeats) },
    out: dir,
  }),
);
rmSync(dir, { recursive: true, force: true });
const cli = opt.cli;
const run = timed(["run", "--config", config, "--json"]);
const runJson = JSON.parse(run.stdout);
const metrics = JSON.parse(readFileSync(join(dir, "metrics.json"), "utf8"));
const line = (o) =>
  console.log(
    JSON.stringify({
      rows: N,
      model: opt.model,
      repeats: Number(opt.repeats),
      cli,
      ...o,
      load: loadavg().map((l) => Math.round(l * 100) / 100),
    }),
  );
line({
  command: "run",
  cpu_s: run.cpu_s,
  peak_rss_mb: run.peak_rss_mb,
  wall_s: run.wall_s,
  test_c_index: runJson.survival.test.c_index,
  test_rows: runJson.survival.test.rows,
  importance_rows: metrics.feature_importance?.rows ?? null,
  top_importance: metrics.feature_importance ? Object.keys(metrics.feature_importance.permutation).slice(0, 5) : null,
});
const ev = timed(["evaluate", "--model", dir, "--data", fresh, "--json"]);
const evJson = JSON.parse(ev.stdout);
line({
  command: "evaluate",
  data_rows: evJson.rows,
  cpu_s: ev.cpu_s,
  peak_rss_mb: ev.peak_rss_mb,
  wall_s: ev.wall_s,
  c_index: evJson.c_index,
});
