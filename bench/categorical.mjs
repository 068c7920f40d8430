// churnkit vs scikit-learn / XGBoost on generated tables with a high-cardinality category (issue 14):
// "state50" (4,000 rows, a 50-level category with little signal) and "region300" (20,000 rows, a skewed
// 300-level category; bench/synthetic.mjs's table). For each seed the table is drawn anew and split 80/20,
// stratified (src/data/split.ts), and every model scores the same test rows. Anchors: bench/categorical_ref.py.
// Prints mean ± sd of test ROC AUC over seeds, and the mean paired gap of each churnkit family to its anchor.
// Usage: npm run build && node bench/categorical.mjs [--tables state50,region300] [--seeds 1,2,3,4,5]
//   [--families logreg,tree,forest,gbdt,auto] [--config '{"preprocess":{...}}'] [--params '{"gbdt":{...}}']
//   [--no-anchors] [--json out.json]
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { stratifiedSplit } from "../dist/data/split.js";
import { TABLES, tableLines } from "./lib/categorical-tables.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: {
    tables: { type: "string", default: "state50,region300" },
    seeds: { type: "string", default: "1,2,3,4,5" },
    families: { type: "string", default: "logreg,tree,forest,gbdt,auto" },
    config: { type: "string", default: "{}" },
    params: { type: "string", default: "{}" },
    rows: { type: "string" },
    "no-anchors": { type: "boolean", default: false },
    json: { type: "string" },
    python: { type: "string", default: "/usr/bin/python3" },
  },
});
const families = opt.families.split(",").filter(Boolean);
const extraParams = JSON.parse(opt.params);
// The anchors' settings: a depth-6 tree and a 100-tree forest, as bench/models.mjs.
const baseParams = { tree: { max_depth: 6 }, forest: { n_estimators: 100 } };
const ANCHOR = { logreg: ["logreg"], tree: ["tree"], forest: ["forest"], gbdt: ["hgb", "xgboost"] };

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, CHURNKIT_LOG_LEVEL: "silent" } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${(r.stderr || "failed").trim().split("\n").pop()}`);
  return r.stdout
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
};

const out = join(here, "out", "categorical");
mkdirSync(out, { recursive: true });
const results = []; // {table, seed, model, auc, fit_s}
for (const table of opt.tables.split(",")) {
  const t = TABLES[table];
  for (const seed of opt.seeds.split(",").map(Number)) {
    const [header, ...body] = tableLines(table, opt.rows ? Number(opt.rows) : null, seed);
    const y = Uint8Array.from(body, (l) => (l.endsWith(`,${t.positive}`) ? 1 : 0));
    const { first, second } = stratifiedSplit(y, 0.2, seed);
    const train = join(out, `${table}-${seed}-train.csv`);
    const test = join(out, `${table}-${seed}-test.csv`);
    writeFileSync(train, [header, ...Array.from(first, (i) => body[i])].join("\n") + "\n");
    writeFileSync(test, [header, ...Array.from(second, (i) => body[i])].join("\n") + "\n");
    if (!opt["no-anchors"])
      for (const r of run(opt.python, [join(here, "categorical_ref.py"), train, test, t.target, t.positive, t.id]))
        results.push({ table, seed, model: r.model, auc: r.auc, fit_s: r.fit_s });
    for (const family of families) {
      const params = { ...baseParams[family], ...extraParams[family] };
      const [r] = run(process.execPath, [
        join(here, "fit-one.mjs"),
        family,
        train,
        test,
        t.target,
        t.id,
        JSON.stringify(params),
        opt.config,
      ]);
      results.push({ table, seed, model: `churnkit ${family}`, auc: r.auc, fit_s: r.fit_s, chosen: r.chosen });
      process.stderr.write(`${table} seed ${seed} ${family}: ${r.auc.toFixed(4)}${r.chosen ? ` (${r.chosen})` : ""}\n`);
    }
  }
}
if (opt.json) writeFileSync(opt.json, JSON.stringify(results, null, 1) + "\n");

const stats = (xs) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : 0;
  return { m, sd };
};
const aucOf = (table, model) =>
  new Map(results.filter((r) => r.table === table && r.model === model).map((r) => [r.seed, r.auc]));
for (const table of opt.tables.split(",")) {
  console.log(
    `\n${table} (${opt.seeds.split(",").length} seeds): test ROC AUC mean ± sd; gap = churnkit − anchor, paired by seed`,
  );
  const models = [...new Set(results.filter((r) => r.table === table).map((r) => r.model))];
  for (const model of models) {
    const a = [...aucOf(table, model).values()];
    const { m, sd } = stats(a);
    let line = `  ${model.padEnd(18)} ${m.toFixed(4)} ± ${sd.toFixed(4)}`;
    const family = model.startsWith("churnkit ") ? model.slice(9) : null;
    const anchors = family === "auto" ? ["logreg", "tree", "forest", "hgb", "xgboost"] : (ANCHOR[family] ?? []);
    const mine = aucOf(table, model);
    for (const anchor of family ? anchors : []) {
      const theirs = aucOf(table, anchor);
      if (theirs.size === 0) continue;
      const gaps = [...mine].filter(([s]) => theirs.has(s)).map(([s, v]) => v - theirs.get(s));
      const g = stats(gaps);
      line += `   vs ${anchor} ${g.m >= 0 ? "+" : ""}${g.m.toFixed(4)} ± ${g.sd.toFixed(4)}`;
    }
    if (family === "auto") {
      const chosen = results.filter((r) => r.table === table && r.model === model).map((r) => r.chosen);
      line += `   chose ${chosen.join(",")}`;
    }
    console.log(line);
  }
}
