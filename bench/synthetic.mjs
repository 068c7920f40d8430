// A churn-like table churnkit has never seen, with known structure, to check that the defaults
// generalise beyond the bundled data: mixed types, missing values, a high-cardinality category,
// a non-linear effect and an interaction. Writes bench/out/synthetic-{train,test}.csv (80/20) and
// runs bench/models.mjs on them. Usage: node bench/synthetic.mjs [--rows 20000] [--seed 1]
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { tableLines } from "./lib/categorical-tables.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: { rows: { type: "string", default: "20000" }, seed: { type: "string", default: "1" } },
});
// The table's generator is shared with bench/categorical.mjs (its "region300" table).
const lines = tableLines("region300", Number(opt.rows), Number(opt.seed) >>> 0 || 1);
const n = lines.length - 1;
const out = join(here, "out");
mkdirSync(out, { recursive: true });
const [head, ...rows] = lines;
const test = rows.filter((_, i) => i % 5 === 0);
const train = rows.filter((_, i) => i % 5 !== 0);
writeFileSync(join(out, "synthetic-train.csv"), [head, ...train].join("\n") + "\n");
writeFileSync(join(out, "synthetic-test.csv"), [head, ...test].join("\n") + "\n");
console.log(
  `synthetic churn table: ${n} rows, churn rate ${(rows.filter((l) => l.endsWith(",yes")).length / n).toFixed(3)}`,
);
const r = spawnSync(
  process.execPath,
  [
    join(here, "models.mjs"),
    "--train",
    join(out, "synthetic-train.csv"),
    "--test",
    join(out, "synthetic-test.csv"),
    "--target",
    "churned",
    "--positive",
    "yes",
    "--drop",
    "account_id",
  ],
  { stdio: "inherit" },
);
process.exitCode = r.status ?? 1;
