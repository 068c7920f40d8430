// logreg on wide and on tall data, churnkit against scikit-learn in the same run (issue 13).
//   npm run build && node bench/logreg-wide.mjs [--rows 1000000] [--skip-newton] [--python /usr/bin/python3]
// 1. 300 rows × 2,000 real columns: solver newton (the only solver before 0.8: a dense 2,001² Hessian),
//    solver auto (it picks newton-cg), scikit-learn's lbfgs; max |difference| of the coefficients.
// 2. --rows (1,000,000) rows × 30 columns (18 numeric, 12 categorical: a 100-column model matrix):
//    solver auto (newton here), fit seconds and peak RSS, and scikit-learn's lbfgs on the same matrix.
// Each fit runs in a process of its own, so that its peak RSS is its own; the tables are seeded
// (bench/logreg-wide-data.mjs) and handed to Python as raw binary, so both fit the very same values.
// cpu_s is the process's CPU time during the fit: on a shared machine it varies less than wall time.
// max_coef_diff / max_proba_diff: against the row above the sklearn rows' churnkit fit (coefficients and
// intercept; probabilities on the table's rows).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { TALL_LEVELS, tallTable, wideTable, writeTable } from "./logreg-wide-data.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    "skip-newton": { type: "boolean", default: false },
    python: { type: "string", default: "/usr/bin/python3" },
    child: { type: "string" },
    solver: { type: "string", default: "auto" },
    coef: { type: "string" },
  },
});
const WIDE = { n: 300, p: 2000 };
const make = (kind) => (kind === "wide" ? wideTable(WIDE.n, WIDE.p) : tallTable(Number(opt.rows)));

if (opt.child) {
  // One fit: build the table, fit, print {fit_s, cpu_s, n_iter, converged, matrix_mb, rss_before_fit_mb, peak_rss_mb}.
  const { LogregEstimator } = await import("../dist/learners/logreg/logreg.js");
  const t = make(opt.child);
  const matrixMb = (t.X.columns.length * t.X.nRows * 8) / 2 ** 20;
  const before = process.memoryUsage().rss / 2 ** 20;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const s = new LogregEstimator({ solver: opt.solver }).fit(t.X, t.y).state();
  const fit_s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  writeFileSync(opt.coef, JSON.stringify([...s.coef, s.intercept]));
  const peak = process.resourceUsage().maxRSS / 1024;
  const out = { fit_s, cpu_s: (c.user + c.system) / 1e6, n_iter: s.n_iter, converged: s.converged };
  console.log(JSON.stringify({ ...out, matrix_mb: matrixMb, rss_before_fit_mb: before, peak_rss_mb: peak }));
  process.exit(0);
}

const out = join(here, "out");
mkdirSync(out, { recursive: true });
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || "failed").trim().split("\n").pop() };
  return JSON.parse(r.stdout.trim().split("\n").pop());
};
const coefs = (file) => JSON.parse(readFileSync(file, "utf8"));
const maxDiff = (a, b) => a.reduce((m, v, j) => Math.max(m, Math.abs(v - b[j])), 0);
/** Max |difference| of the two fits' probabilities on the table's rows (coefficients, then the intercept). */
const probaDiff = (X, a, b) => {
  const za = new Float64Array(X.nRows).fill(a.at(-1));
  const zb = new Float64Array(X.nRows).fill(b.at(-1));
  X.columns.forEach((c, j) => {
    for (let i = 0; i < X.nRows; i++) {
      za[i] += a[j] * c[i];
      zb[i] += b[j] * c[i];
    }
  });
  let m = 0;
  for (let i = 0; i < X.nRows; i++) m = Math.max(m, Math.abs(1 / (1 + Math.exp(-za[i])) - 1 / (1 + Math.exp(-zb[i]))));
  return m;
};
const fitChurnkit = (kind, solver) => {
  const coef = join(out, `logreg-${kind}-${solver}.json`);
  return {
    ...run(process.execPath, [
      fileURLToPath(import.meta.url),
      "--child",
      kind,
      "--solver",
      solver,
      "--rows",
      opt.rows,
      "--coef",
      coef,
    ]),
    coef,
  };
};
const fitSklearn = (kind, n, levels, tol) => {
  const coef = join(out, `logreg-${kind}-sklearn-${tol}.json`);
  const args = [
    join(here, "logreg_wide_sklearn.py"),
    join(out, `logreg-${kind}`),
    String(n),
    levels.join(","),
    "1",
    tol,
    "1000",
    coef,
  ];
  return { ...run(opt.python, args), coef };
};
const hasPython = spawnSync(opt.python, ["-c", "import sklearn"]).status === 0;
const rows = [];
const show = (name, r, ref, X) =>
  rows.push({
    name,
    fit_s: r.fit_s?.toFixed(2) ?? r.error,
    cpu_s: r.cpu_s?.toFixed(2),
    n_iter: r.n_iter,
    peak_rss_mb: r.peak_rss_mb?.toFixed(0),
    matrix_mb: r.matrix_mb?.toFixed(0),
    rss_before_fit_mb: r.rss_before_fit_mb?.toFixed(0),
    max_coef_diff: ref && !r.error && !ref.error ? maxDiff(coefs(r.coef), coefs(ref.coef)).toExponential(1) : undefined,
    max_proba_diff:
      ref && !r.error && !ref.error ? probaDiff(X, coefs(r.coef), coefs(ref.coef)).toExponential(1) : undefined,
  });

// 1. wide
const wide = wideTable(WIDE.n, WIDE.p);
writeTable(join(out, "logreg-wide"), wide);
const auto = fitChurnkit("wide", "auto");
const newton = opt["skip-newton"] ? null : fitChurnkit("wide", "newton");
if (newton) show("300×2000 churnkit solver newton (before)", newton);
show("300×2000 churnkit solver auto (newton-cg)", auto, newton, wide.X);
if (hasPython) {
  show("300×2000 sklearn lbfgs tol 1e-4 (default)", fitSklearn("wide", WIDE.n, [], "1e-4"), auto, wide.X);
  show("300×2000 sklearn lbfgs tol 1e-10", fitSklearn("wide", WIDE.n, [], "1e-10"), auto, wide.X);
}

// 2. tall
const n = Number(opt.rows);
const tallT = tallTable(n);
writeTable(join(out, "logreg-tall"), tallT);
const tall = fitChurnkit("tall", "auto");
show(`${n}×30 churnkit solver auto (newton)`, tall);
if (hasPython) {
  const sk = fitSklearn("tall", n, TALL_LEVELS, "1e-4");
  show(`${n}×30 sklearn lbfgs tol 1e-4 (default)`, sk, tall, tallT.X);
}
console.table(rows);
