// `churnkit drift` on a large request log of `serve --log-requests` (JSON Lines, read line by line by
// src/monitor/log-lines.ts) against the same rows as CSV (read by DuckDB): CPU seconds, wall time, peak memory,
// and whether both give the same drift result (they must: the same rows). Optionally also with another build
// (--bin, e.g. an older dist/ whose reader was DuckDB's read_json) on the same log.
// A 50,000-row generated churn table (bench/lib/churn-table.mjs, 30 columns) trains a logreg model; the log holds
// --rows rows of the same generator (another seed), as the server writes them (numbers as JSON numbers).
// Usage: npm run build && node bench/drift-log.mjs [--rows 1000000] [--bin OTHER/dist/cli/main.js] [--keep]
import { spawn } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { HEADER, writeChurnTable, writeLines } from "./lib/churn-table.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "dist", "cli", "main.js");
const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    bin: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const rows = Number(args.rows);
const dir = mkdtempSync(join(tmpdir(), "churnkit-drift-log-"));

/** Run `node bin ARGS` under /usr/bin/time: exit code, stdout, CPU seconds (user + system), wall seconds, peak MB. */
function run(bin, argv) {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "TIME %e %U %S %M", process.execPath, bin, ...argv], {
      env: { ...process.env, CHURNKIT_LOG_LEVEL: "warn", CHURNKIT_NO_PROGRESS: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (status) => {
      const m = /TIME (\S+) (\S+) (\S+) (\S+)/.exec(err);
      resolve({
        status,
        stdout: out,
        stderr: err.replace(/TIME .*\n?/, ""),
        wall: Number(m?.[1]),
        cpu: Number(m?.[2]) + Number(m?.[3]),
        peakMb: Number(m?.[4]) / 1024,
      });
    });
  });
}

/** The CSV as a request log: one {"time","row","churn_probability","churn"} line per row, numbers as numbers. */
async function toLog(csv, log) {
  await writeLines(log, logLines(csv));
}

async function* logLines(csv) {
  const lines = createInterface({ input: createReadStream(csv), crlfDelay: Infinity });
  const numeric = HEADER.map((h) => /^num\d+$/.test(h));
  const keep = HEADER.map((h) => h !== "churn");
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    const cells = line.split(",");
    const row = {};
    for (let j = 0; j < HEADER.length; j++)
      if (keep[j]) row[HEADER[j]] = cells[j] === "" ? null : numeric[j] ? Number(cells[j]) : cells[j];
    yield `{"time":"2026-12-01T00:00:00.000Z","row":${JSON.stringify(row)},"churn_probability":0.5,"churn":true}`;
  }
}

try {
  const train = join(dir, "train.csv");
  await writeChurnTable(train, 50_000, 1);
  const model = join(dir, "model");
  const t = await run(BIN, ["train", "--data", train, "--target", "churn", "--model", "logreg", "--out", model]);
  if (t.status !== 0) throw new Error(`train failed: ${t.stderr}`);
  const csv = join(dir, "current.csv");
  await writeChurnTable(csv, rows, 2);
  const log = join(dir, "requests.jsonl");
  await toLog(csv, log);
  console.log(
    `${rows} rows: CSV ${(statSync(csv).size / 1e6).toFixed(0)} MB, request log ${(statSync(log).size / 1e6).toFixed(0)} MB`,
  );

  const results = {};
  const cases = [
    ["CSV (DuckDB)", BIN, csv],
    ["request log", BIN, log],
    ...(args.bin ? [["request log, --bin", args.bin, log]] : []),
  ];
  for (const [name, bin, data] of cases) {
    const r = await run(bin, ["drift", "--model", model, "--data", data, "--json"]);
    if (r.status !== 0) {
      console.log(`${name}: exit ${r.status}: ${r.stderr.trim()}`);
      continue;
    }
    const result = JSON.parse(r.stdout);
    results[name] = result;
    console.log(
      `${name.padEnd(20)} rows ${result.rows}  CPU ${r.cpu.toFixed(2)} s  wall ${r.wall.toFixed(2)} s  peak ${r.peakMb.toFixed(0)} MB  ${(result.rows / r.cpu / 1e3).toFixed(0)}k rows per CPU second`,
    );
  }
  const a = results["CSV (DuckDB)"];
  const b = results["request log"];
  if (a && b) {
    const same =
      JSON.stringify(a.columns) === JSON.stringify(b.columns) && JSON.stringify(a.score) === JSON.stringify(b.score);
    console.log(`request log and CSV give the same drift result: ${same ? "yes" : "NO"}`);
    if (!same) process.exitCode = 1;
  }
} finally {
  if (args.keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
