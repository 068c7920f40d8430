// A churn-like table churnkit has never seen, with known structure, to check that the defaults
// generalise beyond the bundled data: mixed types, missing values, a high-cardinality category,
// a non-linear effect and an interaction. Writes bench/out/synthetic-{train,test}.csv (80/20) and
// runs bench/models.mjs on them. Usage: node bench/synthetic.mjs [--rows 20000] [--seed 1]
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: { rows: { type: "string", default: "20000" }, seed: { type: "string", default: "1" } },
});
let s = Number(opt.seed) >>> 0 || 1;
const rnd = () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296;
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());

const n = Number(opt.rows);
const header = [
  "account_id",
  "tenure_months",
  "monthly_fee",
  "plan",
  "region",
  "support_calls",
  "autopay",
  "contract",
  "days_since_login",
  "discount",
  "churned",
];
const lines = [header.join(",")];
const regionEffect = Array.from({ length: 300 }, () => normal() * 0.4);
for (let i = 0; i < n; i++) {
  const tenure = Math.min(120, Math.floor(-Math.log(1 - rnd()) * 24));
  const plan = pick(["starter", "standard", "plus", "premium", "family"]);
  const fee = { starter: 15, standard: 30, plus: 45, premium: 70, family: 55 }[plan] + normal() * 5;
  const r = Math.floor(Math.pow(rnd(), 2) * 300); // skewed: a few big regions, a long tail
  const calls = Math.floor(-Math.log(1 - rnd()) * 1.5);
  const autopay = rnd() < 0.55 ? "yes" : "no";
  const contract = pick(["monthly", "monthly", "annual", "two-year"]);
  const login = rnd() < 0.12 ? "" : Math.floor(-Math.log(1 - rnd()) * 20);
  const discount = rnd() < 0.3 ? "true" : "false";
  // Known structure: tenure decays risk (non-linear), calls raise it with a threshold, monthly contracts
  // and no autopay raise it, an interaction of premium plan with many calls, missing login is risky.
  let z =
    -1.2 +
    1.6 * Math.exp(-tenure / 12) +
    (calls >= 3 ? 0.9 : 0.15 * calls) +
    (contract === "monthly" ? 0.9 : contract === "annual" ? -0.2 : -0.9);
  z +=
    (autopay === "no" ? 0.5 : 0) +
    (plan === "premium" && calls >= 2 ? 0.8 : 0) +
    (login === "" ? 0.6 : 0.02 * Math.min(login, 60)) +
    regionEffect[r] +
    (discount === "true" ? -0.3 : 0) +
    0.01 * (fee - 40);
  const churn = rnd() < 1 / (1 + Math.exp(-z)) ? "yes" : "no";
  lines.push(
    [`A${100000 + i}`, tenure, fee.toFixed(2), plan, `R${r}`, calls, autopay, contract, login, discount, churn].join(
      ",",
    ),
  );
}
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
