// `churnkit import --from xgboost --data` and `predict` of the imported model on a 1,000,000-row churn table
// (bench/lib/churn-table.mjs): wall and CPU seconds and peak RSS of each command (GNU time), and the largest gap
// between churnkit's and XGBoost's probabilities on the first rows. The model is trained by Debian's
// python3-xgboost on a 50,000-row table of the same generator (bench/xgboost_scale_model.py). Not a test, not CI.
//   npm run build && node bench/import-scale.mjs [--rows 1000000] [--check 20000]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeChurnTable } from "./lib/churn-table.mjs";

const { values: opt } = parseArgs({
  options: { rows: { type: "string", default: "1000000" }, check: { type: "string", default: "20000" } },
});
const OUT = join(import.meta.dirname, "out");
mkdirSync(OUT, { recursive: true });
const CLI = join(import.meta.dirname, "..", "dist", "cli", "main.js");
const rows = Number(opt.rows);

/** Run a command under GNU time: wall, user + system CPU seconds, peak RSS. */
function timed(cmd, args) {
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-v", cmd, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  const field = (name) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(r.stderr)?.[1]);
  return {
    wall_s: +wall.toFixed(2),
    cpu_s: +(field("User time \\(seconds\\)") + field("System time \\(seconds\\)")).toFixed(2),
    peak_rss_mb: Math.round(field("Maximum resident set size \\(kbytes\\)") / 1024),
  };
}

const train = join(OUT, "import-train-50k.csv");
const data = join(OUT, `import-${rows}.csv`);
if (!existsSync(train)) await writeChurnTable(train, 50_000, 11);
if (!existsSync(data)) await writeChurnTable(data, rows, 12);
const model = join(OUT, "import-xgboost.json");
const expected = join(OUT, "import-xgboost-expected.json");
const py = spawnSync(
  "/usr/bin/python3",
  [join(import.meta.dirname, "xgboost_scale_model.py"), train, data, model, expected, opt.check],
  {
    encoding: "utf8",
  },
);
if (py.status !== 0) throw new Error(`xgboost_scale_model.py failed:\n${py.stderr}`);
const dir = join(OUT, "import-model");
rmSync(dir, { recursive: true, force: true });
const load = loadavg()[0];
const imp = timed(process.execPath, [CLI, "import", "--from", "xgboost", model, "--data", data, "--out", dir]);
const scores = join(OUT, "import-scores.csv");
rmSync(scores, { force: true });
const pred = timed(process.execPath, [CLI, "predict", "--model", dir, "--data", data, "--out", scores]);
const ref = JSON.parse(readFileSync(expected, "utf8"));
const lines = readFileSync(scores, "utf8").split("\n");
let worst = 0;
ref.ids.forEach((id, i) => {
  const [got, p] = lines[i + 1].split(",");
  if (got !== id) throw new Error(`row ${i + 1}: id ${got}, expected ${id}`);
  worst = Math.max(worst, Math.abs(Number(p) - ref.probability[i]));
});
console.log(
  JSON.stringify({
    rows,
    load_average_1m: +load.toFixed(2),
    import: imp,
    predict: { ...pred, rows_per_s: Math.round(rows / pred.wall_s) },
    scored_lines: lines.filter(Boolean).length - 1,
    checked_rows: ref.ids.length,
    max_abs_diff_vs_xgboost: worst,
  }),
);
