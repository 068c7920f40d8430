// churnkit vs scikit-learn / XGBoost, side by side, on the same stratified 80/20 split.
// Not a test and not run in CI. Usage:
//   npm run build && node bench/models.mjs [--families logreg,tree,forest,gbdt,auto]   (default: every registered family, and auto)
//   node bench/models.mjs --train T.csv --test S.csv --target COL [--drop a,b]   (another table)
// Each model is fitted in a process of its own (peak memory is per model). The Python side runs
// only where Debian's python3-sklearn / python3-xgboost are installed (/usr/bin/python3).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { autoFamilies } from "../dist/learners/families.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const { values: opt } = parseArgs({
  options: {
    families: { type: "string", default: [...autoFamilies(), "auto"].join(",") },
    train: { type: "string" },
    test: { type: "string" },
    target: { type: "string", default: "Churn" },
    positive: { type: "string", default: "Yes" },
    drop: { type: "string", default: "customerID" },
    python: { type: "string", default: "/usr/bin/python3" },
  },
});

/** The scikit-learn reference split of the bundled data, rebuilt from the committed test ids. */
function telcoSplit() {
  const out = join(here, "out");
  const train = join(out, "telco-train.csv");
  const test = join(out, "telco-test.csv");
  if (existsSync(train) && existsSync(test)) return { train, test };
  mkdirSync(out, { recursive: true });
  const testIds = new Set(JSON.parse(readFileSync(join(root, "tests/fixtures/telco-test-ids.json"), "utf8")));
  const lines = readFileSync(join(root, "data/telco-customer-churn.csv"), "utf8").split(/\r?\n/).filter(Boolean);
  const [header, ...body] = lines;
  // customerID is the first field and never quoted in this file.
  const isTest = (l) => testIds.has(l.slice(0, l.indexOf(",")));
  writeFileSync(train, [header, ...body.filter((l) => !isTest(l))].join("\n") + "\n");
  writeFileSync(test, [header, ...body.filter(isTest)].join("\n") + "\n");
  return { train, test };
}

const { train, test } = opt.train && opt.test ? { train: opt.train, test: opt.test } : telcoSplit();
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, CHURNKIT_LOG_LEVEL: "silent" } });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || "failed").trim().split("\n").pop() };
  return JSON.parse(r.stdout.trim().split("\n").pop());
};
const hasPython = spawnSync(opt.python, ["-c", "import sklearn, xgboost"]).status === 0;
const reference = { logreg: ["logreg"], tree: ["tree"], forest: ["forest"], gbdt: ["hgb", "xgboost"], auto: [] };
const refNames = {
  logreg: "sklearn LogisticRegression",
  tree: "sklearn DecisionTree(depth 6)",
  forest: "sklearn RandomForest(100)",
  hgb: "sklearn HistGradientBoosting",
  xgboost: "XGBoost hist(100, depth 6)",
};
const defaults = { tree: { max_depth: 6 }, forest: { n_estimators: 100 } };

const rows = [];
for (const family of opt.families.split(",")) {
  const ck = run(process.execPath, [
    join(here, "fit-one.mjs"),
    family,
    train,
    test,
    opt.target,
    opt.drop,
    JSON.stringify(defaults[family] ?? {}),
  ]);
  rows.push({ name: `churnkit ${family}${ck.chosen ? ` (chose ${ck.chosen})` : ""}`, ...ck });
  if (!hasPython) continue;
  for (const ref of reference[family] ?? []) {
    const sk = run(opt.python, [join(here, "sklearn_ref.py"), train, test, opt.target, opt.positive, ref, opt.drop]);
    rows.push({ name: refNames[ref], ...sk, ratio: sk.fit_s ? ck.fit_s / sk.fit_s : undefined });
  }
}
const f = (v, d) => (typeof v === "number" ? v.toFixed(d) : "-");
console.log(`train ${train}\ntest  ${test}\n`);
console.log(
  `${"model".padEnd(44)} ${"AUC".padStart(7)} ${"fit s".padStart(8)} ${"peak MB".padStart(8)}  churnkit/ref fit time`,
);
for (const r of rows) {
  if (r.error) console.log(`${r.name.padEnd(44)} error: ${r.error}`);
  else
    console.log(
      `${r.name.padEnd(44)} ${f(r.auc, 4).padStart(7)} ${f(r.fit_s, 3).padStart(8)} ${f(r.peak_rss_mb, 0).padStart(8)}  ${r.ratio ? r.ratio.toFixed(2) + "×" : ""}`,
    );
}
if (!hasPython)
  console.log(
    `\n(${opt.python} has no scikit-learn/XGBoost: apt-get install python3-sklearn python3-xgboost python3-pandas)`,
  );
