#!/usr/bin/env node
/**
 * EDA benchmark: time `churnkit eda` (the built CLI, dist/) on the bundled Telco file and on a
 * generated 1,000,000-row churn-like CSV (written once into bench/out/). Prints wall seconds,
 * peak RSS of the CLI process and the report's size, against the targets
 * (bundled < 3 s; 1M rows < 60 s and < 2 GB peak RSS; report < 5 MB).
 *
 *   npx tsc -p tsconfig.json && node bench/eda.mjs [--rows N]
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { rng } from "./lib/churn-table.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "bench", "out");
const CLI = join(ROOT, "dist", "cli", "main.js");
const argRows = process.argv.indexOf("--rows");
const ROWS = argRows > 0 ? Number(process.argv[argRows + 1]) : 1_000_000;

/** Write a churn-like CSV of `rows` rows (Telco-shaped columns, churn from a logistic model). */
export async function generate(path, rows, seed = 42) {
  const r = rng(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const out = createWriteStream(path);
  const write = (s) => (out.write(s) ? undefined : new Promise((res) => out.once("drain", res)));
  await write(
    "customerID,gender,SeniorCitizen,Partner,tenure,Contract,InternetService,PaymentMethod,PaperlessBilling,MonthlyCharges,TotalCharges,Churn\n",
  );
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    const tenure = Math.floor(r() * 73);
    const contract = pick(["Month-to-month", "Month-to-month", "One year", "Two year"]);
    const internet = pick(["DSL", "Fiber optic", "Fiber optic", "No"]);
    const pay = pick(["Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"]);
    const senior = r() < 0.16 ? 1 : 0;
    const monthly =
      Math.round((20 + (internet === "Fiber optic" ? 50 : internet === "DSL" ? 25 : 0) + r() * 30) * 100) / 100;
    const total = tenure === 0 && r() < 0.5 ? " " : (monthly * Math.max(tenure, 1) * (0.95 + r() * 0.1)).toFixed(2);
    const z =
      -1.2 +
      (contract === "Month-to-month" ? 1.4 : contract === "One year" ? 0 : -1.2) +
      (internet === "Fiber optic" ? 0.7 : 0) -
      tenure * 0.035 +
      senior * 0.4 +
      (pay === "Electronic check" ? 0.5 : 0);
    const churn = r() < 1 / (1 + Math.exp(-z)) ? "Yes" : "No";
    chunk += `C${String(i).padStart(8, "0")},${r() < 0.5 ? "Female" : "Male"},${senior},${r() < 0.48 ? "Yes" : "No"},${tenure},${contract},${internet},${pay},${r() < 0.6 ? "Yes" : "No"},${monthly},${total},${churn}\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = "";
    }
  }
  await write(chunk);
  await new Promise((res) => out.end(res));
}

/** Run `churnkit eda` through GNU time (when installed) for the child's peak RSS; wall seconds measured here. */
function run(data, out, target) {
  const args = [CLI, "eda", "--data", data, "--out", out, ...(target ? ["--target", target] : [])];
  const timed = existsSync("/usr/bin/time");
  const t0 = process.hrtime.bigint();
  const r = timed
    ? spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, ...args], {
        encoding: "utf8",
        env: { ...process.env, CHURNKIT_LOG_LEVEL: "warn" },
      })
    : spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, CHURNKIT_LOG_LEVEL: "warn" } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const lines = (r.stderr ?? "").trim().split("\n");
  const rssMB = timed && /^\d+$/.test(lines.at(-1) ?? "") ? Number(lines.at(-1)) / 1024 : NaN;
  return {
    status: r.status,
    seconds,
    rssMB,
    stderr: lines.filter((l) => !/^\d+$/.test(l)).join("\n"),
    size: existsSync(out) ? statSync(out).size : 0,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(CLI)) throw new Error(`${CLI} not found; run npx tsc -p tsconfig.json first`);
  mkdirSync(OUT, { recursive: true });
  const big = join(OUT, `churn-${ROWS}.csv`);
  if (!existsSync(big)) {
    const t0 = Date.now();
    await generate(big, ROWS);
    console.log(
      `generated ${big} (${(statSync(big).size / 1e6).toFixed(1)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  const cases = [
    {
      name: "bundled Telco (7,043 rows)",
      data: join(ROOT, "data", "telco-customer-churn.csv"),
      out: join(OUT, "eda-telco.html"),
      target: "Churn",
      maxS: 3,
    },
    {
      name: `generated (${ROWS.toLocaleString("en")} rows)`,
      data: big,
      out: join(OUT, `eda-${ROWS}.html`),
      target: "Churn",
      maxS: 60,
    },
  ];
  for (const c of cases) {
    const r = run(c.data, c.out, c.target);
    const ok = r.status === 0 && r.seconds < c.maxS && !(r.rssMB > 2048) && r.size < 5e6;
    console.log(
      `${c.name}: ${r.seconds.toFixed(2)} s (target < ${c.maxS} s), peak RSS ${Number.isNaN(r.rssMB) ? "n/a" : r.rssMB.toFixed(0) + " MB"} (target < 2048 MB), report ${(r.size / 1e6).toFixed(2)} MB (target < 5 MB), exit ${r.status} ${ok ? "OK" : "MISSED"}`,
    );
    if (r.status !== 0) console.log(r.stderr);
  }
}
