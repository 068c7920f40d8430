// Every row scored, for every model family, with and without a derived feature: writes a large CSV
// of the bundled Telco rows (cycled, customerIDs C0, C1, ...), trains each family on the bundled
// data (once with the derived feature avg_charge = TotalCharges / NULLIF(tenure, 0), once without),
// runs `node dist/cli/main.js predict --out` on the big file and checks that the output has exactly
// one row per input row, in input order. Prints one line per model: exit code, rows written, ids in
// order, wall time and rows/s. Exits 1 if any run wrote a different number of rows or failed.
// Usage: npm run build && node bench/predict-rows.mjs [--rows 2000000] [--families logreg,tree,forest,gbdt] [--json]
import { spawn } from "node:child_process";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "dist", "cli", "main.js");
const TELCO = join(ROOT, "data", "telco-customer-churn.csv");
const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "2000000" },
    families: { type: "string", default: "logreg,tree,forest,gbdt" },
    json: { type: "boolean", default: false },
  },
});
const say = (s) => process.stderr.write(s + "\n");
const n = Number(args.rows);
const work = join(tmpdir(), `churnkit-predict-rows-${process.pid}`);
mkdirSync(work, { recursive: true });

// 1. The input: n Telco rows with unique, ordered ids (written in 1 MB pieces, honouring back-pressure).
const input = join(work, `telco-${n}.csv`);
{
  const all = readFileSync(TELCO, "utf8").trimEnd().split(/\r?\n/);
  const lines = all.slice(1).map((l) => l.slice(l.indexOf(",")));
  const ws = createWriteStream(input);
  const put = (s) => (ws.write(s) ? undefined : new Promise((r) => ws.once("drain", r)));
  await put(all[0] + "\n");
  let buf = "";
  for (let i = 0; i < n; i++) {
    buf += `C${i}${lines[i % lines.length]}\n`;
    if (buf.length > 1 << 20) {
      await put(buf);
      buf = "";
    }
  }
  await new Promise((r) => ws.end(buf, r));
  say(`wrote ${n} rows to ${input}`);
}

/** Run a command; resolves with its exit code, stderr and wall time in seconds. */
function run(cmd, argv) {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const env = { ...process.env, CHURNKIT_NO_PROGRESS: "1", CHURNKIT_LOG_LEVEL: "warn" };
    const child = spawn(cmd, argv, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr, seconds: (performance.now() - t0) / 1000 }));
  });
}

/** Data rows of a scored CSV, and whether their ids are C0, C1, ... in order. */
async function scored(path) {
  if (!existsSync(path)) return { rows: 0, inOrder: false };
  let rows = -1; // the header
  let inOrder = true;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (rows >= 0 && inOrder && line.slice(0, line.indexOf(",")) !== `C${rows}`) inOrder = false;
    rows++;
  }
  return { rows: Math.max(rows, 0), inOrder };
}

// 2. Each family, with and without the derived feature.
const derivedConfig = join(work, "derived.json");
writeFileSync(
  derivedConfig,
  JSON.stringify({ features: { derived: { avg_charge: "TotalCharges / NULLIF(tenure, 0)" } } }),
);
const results = [];
for (const family of args.families.split(",")) {
  for (const derived of [false, true]) {
    const model = join(work, `${family}${derived ? "-derived" : ""}`);
    const t = await run(process.execPath, [
      BIN,
      "train",
      "--data",
      TELCO,
      "--target",
      "Churn",
      "--model",
      family,
      ...(derived ? ["--config", derivedConfig] : []),
      "--out",
      model,
    ]);
    if (t.code !== 0) throw new Error(`training ${family} failed: ${t.stderr}`);
    const out = join(work, "scores.csv");
    rmSync(out, { force: true });
    const p = await run(process.execPath, [BIN, "predict", "--model", model, "--data", input, "--out", out]);
    const s = await scored(out);
    const r = {
      family,
      derived,
      exit: p.code,
      rows: s.rows,
      in_order: s.inOrder,
      seconds: Number(p.seconds.toFixed(1)),
      rows_per_s: Math.round(s.rows / p.seconds),
      ...(p.code !== 0 ? { error: p.stderr.trim().split("\n")[0] } : {}),
    };
    results.push(r);
    say(
      `${family.padEnd(7)} derived=${String(derived).padEnd(5)} exit ${r.exit}  rows ${r.rows}/${n}  in order ${r.in_order}  ${r.seconds} s  ${r.rows_per_s} rows/s${r.error ? `  ${r.error}` : ""}`,
    );
  }
}
rmSync(work, { recursive: true, force: true });
if (args.json) process.stdout.write(JSON.stringify({ input_rows: n, results }, null, 2) + "\n");
if (results.some((r) => r.exit !== 0 || r.rows !== n || !r.in_order)) process.exitCode = 1;
