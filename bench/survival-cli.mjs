// The survival task through the CLI at scale: `churnkit run` (split, train, test metrics, importance, report) and
// `churnkit evaluate` of the model on a fresh table, each on a generated survival table of N rows (default
// 1,000,000): an id, 10 numbers, a 6-level category, a monthly charge, `tenure` (whole months 1..72, heavy ties)
// and `churn` (Yes/No, the event). Exponential event times, log hazard linear in 4 numbers, a step and the category,
// independent censoring (as bench/survival-scale.mjs, which times the fits alone). Prints one JSON line per command:
// CPU seconds (user + sys) and peak RSS from GNU time (/usr/bin/time -v), wall seconds, and the C-index.
// Usage: npm run build && node bench/survival-cli.mjs [--rows N] [--model cox|gbdt] [--repeats 5] [--cli dist/cli/main.js]
// (--cli another build, e.g. a copy of an older dist/, to measure before and after a change.)
// One run (2 shared cores, load ~10), 1M rows, cox, CPU s / peak RSS:
//   before (3bc11a6, survival test rows and evaluate read as text): run 60.9 s / 1,173 MB (no importance),
//     evaluate 18.5 s / 1,908 MB;
//   after (typed): run 63.0 s / 1,171 MB without importance, 63.9 s / 1,178 MB with it (50,000 test rows, 5 repeats),
//     evaluate 18.1 s / 826 MB (19.1 s / 803 MB in a second run); the same C-index to every digit (0.74321, 0.74167).
//   run's cost is training's (load 7 s, preprocess 13 s, fit 29 s wall of 116 s); its peak is training's too.
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { rng } from "./lib/churn-table.mjs";

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
const LEVEL_EFFECT = [0.6, 0, -0.3, 0.2, -0.6, 0.1];

/** Write `rows` survival rows to `path` as CSV, in chunks (never one string per cell held at once). */
async function writeSurvivalTable(path, rows, seed) {
  const r = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const out = createWriteStream(path);
  out.write(
    ["customer_id", ...Array.from({ length: 10 }, (_, j) => `num${j}`), "plan", "monthly", "tenure", "churn"].join(
      ",",
    ) + "\n",
  );
  const num = new Float64Array(10);
  let buf = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < 10; j++) num[j] = normal();
    const cat = Math.floor(r() * 6);
    const lh = 0.7 * num[0] - 0.5 * num[1] + 0.3 * num[2] + (num[3] > 0.5 ? 0.8 : 0) + LEVEL_EFFECT[cat];
    const t = (-Math.log(1 - r()) / Math.exp(lh)) * 20;
    const c = -Math.log(1 - r()) * 40;
    const tenure = Math.min(72, Math.max(1, Math.ceil(Math.min(t, c))));
    const event = t <= c && t <= 72;
    const monthly = (20 + r() * 80).toFixed(2);
    buf.push(
      [`S${seed}-${i}`, ...Array.from(num, (x) => x.toFixed(4)), `P${cat}`, monthly, tenure, event ? "Yes" : "No"].join(
        ",",
      ),
    );
    if (buf.length === 4096) {
      if (!out.write(buf.join("\n") + "\n")) await once(out, "drain");
      buf = [];
    }
  }
  if (buf.length) out.write(buf.join("\n") + "\n");
  out.end();
  await once(out, "finish");
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
