#!/usr/bin/env node
// Regenerate tests/fixtures/v0.6.0/: one model per family trained by churnkit 0.6.0's own CLI, and 0.6.0's
// predictions and explanations of one shared input file, so that tests/artifact/compat-0.6.0.test.ts can check
// that the current code loads those models and scores them to the same numbers.
//
//   git worktree add --detach /work/wt/v060 e59e164 && (cd /work/wt/v060 && npm ci && npm run build)
//   node tools/make-v060-fixtures.mjs [--v060 /work/wt/v060] [--data telco-customer-churn.csv] [--out tests/fixtures/v0.6.0]
//
// Everything is deterministic (a seeded sample, seed 42 for training): a rerun gives the same files apart from
// model.json's created_at. The work directory (training sample, configs, full model directories) is kept and printed.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const COMMIT = "e59e164";
const { values: opt } = parseArgs({
  options: {
    v060: { type: "string", default: "/work/wt/v060" },
    data: { type: "string", default: "/work/shared/data/telco-customer-churn.csv" },
    out: { type: "string", default: "tests/fixtures/v0.6.0" },
  },
});
const v060 = resolve(opt.v060);
const out = resolve(opt.out);
const bin = join(v060, "dist", "cli", "main.js");

const head = execFileSync("git", ["-C", v060, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
if (!head.startsWith(COMMIT)) throw new Error(`${v060} is at ${head}, not 0.6.0's ${COMMIT}`);
const version = execFileSync(process.execPath, [bin, "--version"], { encoding: "utf8" }).trim();
if (version !== "0.6.0") throw new Error(`${bin} says ${version}, not 0.6.0`);

// --- the rows: a seeded stratified sample of 500 for training, 50 others to score --------------------------------
const text = readFileSync(opt.data, "utf8");
if (text.includes('"')) throw new Error(`${opt.data}: quoted fields; this script splits plain CSV only`);
const [header, ...lines] = text.split(/\r?\n/).filter((l) => l.length > 0);
const cols = header.split(",");
const rows = lines.map((l) => l.split(","));
const col = (name) => {
  const i = cols.indexOf(name);
  if (i < 0) throw new Error(`${opt.data}: no column ${name}`);
  return i;
};
const [iChurn, iTotal] = [col("Churn"), col("TotalCharges")];

let seed = 60; // mulberry32
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const shuffled = (xs) => {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};
const all = rows.map((_, i) => i);
const blankTotal = all.filter((i) => rows[i][iTotal].trim() === "");
const pool = all.filter((i) => rows[i][iTotal].trim() !== "");
const byClass = (ids) => [ids.filter((i) => rows[i][iChurn] === "Yes"), ids.filter((i) => rows[i][iChurn] !== "Yes")];
const [yes, no] = byClass(pool).map(shuffled);
const take = (n) => {
  const k = Math.round((n * yes.length) / (yes.length + no.length));
  return [...yes.splice(0, k), ...no.splice(0, n - k)];
};
// Training sees two blank TotalCharges rows (0.6.0 imputes them); scoring has three others.
const train = [...take(498), ...blankTotal.slice(0, 2)].sort((a, b) => a - b);
const score = shuffled([...take(47), ...blankTotal.slice(2, 5)]);

// Edge cases in the scored rows, each in a row of its own (row numbers are 0-based in the input file).
const scoreRows = score.map((i) => rows[i].slice());
const edits = [
  [5, "MonthlyCharges", ""], // a missing number
  [7, "PaymentMethod", "Cryptocurrency"], // an unseen category
  [9, "Contract", ""], // a missing category
  [11, "InternetService", "Satellite"], // another unseen category
  [13, "Partner", ""], // a missing boolean
];
for (const [r, c, v] of edits) scoreRows[r][col(c)] = v;

const csv = (names, rs) => [names, ...rs].map((r) => r.join(",")).join("\n") + "\n";
const work = mkdtempSync(join(tmpdir(), "churnkit-v060-"));
writeFileSync(
  join(work, "train.csv"),
  csv(
    cols,
    train.map((i) => rows[i]),
  ),
);
const keep = cols.map((_, j) => j).filter((j) => j !== iChurn); // scoring input has no target
writeFileSync(
  join(work, "input.csv"),
  csv(
    keep.map((j) => cols[j]),
    scoreRows.map((r) => keep.map((j) => r[j])),
  ),
);

// --- the models: every family, small; derived features and calibration spread over them ----------------------
const derived = '  derived:\n    avg_monthly_charge: "TotalCharges / NULLIF(tenure, 0)"\n';
const families = {
  logreg: { params: "{ C: 0.5 }", calibration: "none", derived: true },
  tree: { params: "{ max_depth: 4, min_samples_leaf: 5 }", calibration: "isotonic", derived: false },
  forest: { params: "{ n_estimators: 5, max_depth: 4, min_samples_leaf: 3 }", calibration: "none", derived: true },
  gbdt: {
    params: "{ max_iter: 8, max_leaf_nodes: 6, max_depth: 3, min_samples_leaf: 10 }",
    calibration: "platt",
    derived: true,
  },
};
const run = (args) => {
  const r = execFileSync(process.execPath, [bin, ...args], {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, CHURNKIT_NO_PROGRESS: "1", CHURNKIT_LOG_LEVEL: "silent" },
    maxBuffer: 64 << 20,
  });
  return r;
};
const commands = [];
const rowList = scoreRows.map((_, i) => i).join(",");
mkdirSync(out, { recursive: true });
copyFileSync(join(work, "input.csv"), join(out, "input.csv"));
for (const [name, f] of Object.entries(families)) {
  const config = [
    "seed: 42",
    "data:",
    "  path: train.csv",
    "  target: Churn",
    "  id_columns: [ customerID ]",
    "features:",
    f.derived ? derived.trimEnd() : "  derived: {}",
    "model:",
    `  family: ${name}`,
    `  params: ${f.params}`,
    `  calibration: ${f.calibration}`,
    "evaluation:",
    "  permutation_repeats: 0",
    "",
  ].join("\n");
  writeFileSync(join(work, `${name}.yaml`), config);
  const dir = join(out, name);
  mkdirSync(dir, { recursive: true });
  const steps = [
    ["train", "--config", `${name}.yaml`, "--data", "train.csv", "--seed", "42", "--out", `models/${name}`],
    ["predict", "--model", `models/${name}`, "--data", "input.csv", "--out", `${name}-predictions.csv`],
    ["predict", "--model", `models/${name}`, "--data", "input.csv", "--out", `${name}-predictions.jsonl`],
    ["explain", "--model", `models/${name}`, "--data", "input.csv", "--rows", rowList, "--json"],
  ];
  for (const s of steps) commands.push(`churnkit ${s.join(" ")}`);
  run(steps[0]);
  run(steps[1]);
  run(steps[2]);
  writeFileSync(join(work, `${name}-explain.json`), run(steps[3]));
  copyFileSync(join(work, "models", name, "model.json"), join(dir, "model.json"));
  copyFileSync(join(work, `${name}-predictions.csv`), join(dir, "predictions.csv"));
  copyFileSync(join(work, `${name}-predictions.jsonl`), join(dir, "predictions.jsonl"));
  copyFileSync(join(work, `${name}-explain.json`), join(dir, "explain.json"));
  writeFileSync(join(out, `${name}.yaml`), config);
}
const settings = Object.entries(families)
  .map(([n, f]) => `| ${n} | \`${f.params}\` | ${f.calibration} | ${f.derived ? "avg_monthly_charge" : "none"} |`)
  .join("\n");
const edited = edits.map(
  ([r, c, v]) => `- row ${r}: ${c} = ${v === "" ? "empty (missing)" : `"${v}" (not seen in training)`}`,
);
const blanks = scoreRows.flatMap((r, i) => (r[iTotal].trim() === "" ? [i] : [])).join(", ");
writeFileSync(
  join(out, "README.md"),
  `# Models written by churnkit 0.6.0

Written by \`tools/make-v060-fixtures.mjs\` (rerun it to regenerate this folder) with the CLI of churnkit 0.6.0, the
release commit ${head}, built in a detached worktree:

\`\`\`
git worktree add --detach /work/wt/v060 ${COMMIT}
(cd /work/wt/v060 && npm ci && npm run build)
node tools/make-v060-fixtures.mjs --v060 /work/wt/v060 --data /work/shared/data/telco-customer-churn.csv --out tests/fixtures/v0.6.0
\`\`\`

Node ${process.version}. tests/artifact/compat-0.6.0.test.ts loads each model with the current code and checks that it
scores and explains \`input.csv\` exactly as 0.6.0 did (and that reading leaves the files unchanged). Do not edit these
files by hand: they are what 0.6.0 wrote.

## Data
- Training: 500 rows of the Telco churn table (${rows.length} rows), a stratified sample drawn with a seeded shuffle
  (mulberry32, seed 60), two of them with a blank TotalCharges (a single space in that file). Not kept here: the script redraws it.
- \`input.csv\`: 50 other rows (47 stratified, and 3 with a blank TotalCharges: rows ${blanks}), without the Churn
  column, in shuffled order, with these cells changed (0-based rows):
${edited.join("\n")}

## Models (seed 42, \`evaluation.permutation_repeats: 0\`; configs: \`<family>.yaml\`)
| family | model.params | model.calibration | features.derived |
| --- | --- | --- | --- |
${settings}

Each \`<family>/\` holds 0.6.0's \`model.json\` (its metrics.json and report.html are not needed to load it), and 0.6.0's
output for \`input.csv\`: \`predictions.csv\`, \`predictions.jsonl\` and \`explain.json\` (every row, \`--json\`).

## Commands
Run in a work directory holding train.csv, input.csv and the configs, with \`churnkit\` = \`node /work/wt/v060/dist/cli/main.js\`
and CHURNKIT_LOG_LEVEL=silent; the explain command's stdout is explain.json.

\`\`\`
${commands.join("\n")}
\`\`\`
`,
);
console.log(`wrote ${out} (work directory ${work})`);
