// Load test of `churnkit serve` on loopback.
// Trains (or reuses) a 100-tree gbdt on the bundled Telco data (logreg if gbdt is not built),
// starts `node dist/cli/main.js serve` on a free 127.0.0.1 port (request log to a file), runs
// autocannon with single-row POST /predict at concurrency 16 (and GET /health as a baseline for
// the machine), then times 1,000-row requests.
// Targets: >= 2,000 req/s, p99 < 20 ms, 0 errors; a 1,000-row request < 50 ms (median of 20).
// Usage: npm run build && node bench/serve-load.mjs [--model DIR] [--duration S] [--connections N] [--json]
import { spawn } from "node:child_process";
import { existsSync, openSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { values: args } = parseArgs({
  options: {
    model: { type: "string" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "16" },
    json: { type: "boolean", default: false },
  },
});
const say = (s) => process.stderr.write(s + "\n");

const { train } = await import(dist("pipeline/api.js"));
const { knownFamilies } = await import(dist("learners/families.js"));
const { loadTable } = await import(dist("data/load.js"));

// 1. The model: a 100-tree gbdt when that family is built, else logreg.
const family = knownFamilies().includes("gbdt") ? "gbdt" : "logreg";
if (family !== "gbdt")
  say("note: the gbdt family is not registered in dist/learners/families.js; benchmarking logreg instead");
let modelDir = args.model;
if (!modelDir) {
  modelDir = join(tmpdir(), `churnkit-serve-bench-${family}`);
  if (!existsSync(join(modelDir, "model.json"))) {
    say(`training ${family}${family === "gbdt" ? " (100 trees, no early stopping)" : ""} into ${modelDir} ...`);
    const params = family === "gbdt" ? { max_iter: 100, early_stopping: false } : {};
    await train({ data: join(ROOT, "data", "telco-customer-churn.csv"), model: family, params, out: modelDir });
  }
}

// 2. Rows to send: Telco customers as JSON (values as text, as in the file), without the target.
const telco = await loadTable(join(ROOT, "data", "telco-customer-churn.csv"));
const rowAt = (i) =>
  Object.fromEntries(telco.columns.filter((c) => c !== "Churn").map((c) => [c, telco.data[c][i % telco.rows]]));

// 3. The server, as users run it, in its own process.
const port = await new Promise((resolve) => {
  const s = createServer();
  s.listen(0, "127.0.0.1", () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const logFile = join(tmpdir(), `churnkit-serve-bench-${process.pid}.log`);
const server = spawn(
  process.execPath,
  [join(ROOT, "dist", "cli", "main.js"), "serve", "--model", modelDir, "--port", String(port), "--max-body", "4mb"],
  {
    env: { ...process.env, CHURNKIT_LOG_LEVEL: "info" },
    stdio: ["ignore", "ignore", openSync(logFile, "w")],
  },
);
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}); see ${logFile}`);
  if (
    await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    )
  )
    break;
  if (i > 600) throw new Error("the server did not start within 60 s");
  await new Promise((r) => setTimeout(r, 100));
}
const info = await (await fetch(`${base}/model`)).json();
say(`serving ${info.family} (${modelDir}) at ${base}; request log in ${logFile}`);

const post = (rows) =>
  fetch(`${base}/predict`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(rows),
  });
// Warm up (JIT, first-request paths).
for (let i = 0; i < 200; i++) await (await post(rowAt(i))).arrayBuffer();

// 4. Single-row load.
const one = JSON.stringify(rowAt(0));
const load = await autocannon({
  url: `${base}/predict`,
  method: "POST",
  headers: { "content-type": "application/json" },
  body: one,
  connections: Number(args.connections),
  duration: Number(args.duration),
});

// Context on a shared machine: the same load on GET /health (fastify and the request log, no model).
const health = await autocannon({
  url: `${base}/health`,
  connections: Number(args.connections),
  duration: Math.max(3, Math.round(Number(args.duration) / 2)),
});

// 5. 1,000-row requests: median of 20.
const thousand = Array.from({ length: 1000 }, (_, i) => rowAt(i));
const times = [];
for (let i = 0; i < 21; i++) {
  const t0 = performance.now();
  const r = await post(thousand);
  const body = await r.json();
  const ms = performance.now() - t0;
  if (r.status !== 200 || body.predictions.length !== 1000) throw new Error(`1,000-row request failed: ${r.status}`);
  if (i > 0) times.push(ms); // the first is a warm-up
}
times.sort((a, b) => a - b);
const median = (times[9] + times[10]) / 2;

server.kill("SIGTERM");
const code = await new Promise((r) => server.on("exit", r));

const result = {
  family: info.family,
  connections: Number(args.connections),
  duration_s: Number(args.duration),
  requests_per_s: Math.round(load.requests.average),
  latency_ms: { p50: load.latency.p50, p90: load.latency.p90, p99: load.latency.p99, max: load.latency.max },
  requests: load.requests.total,
  errors: load.errors,
  timeouts: load.timeouts,
  non_2xx: load.non2xx,
  rows_1000_median_ms: Math.round(median * 10) / 10,
  health_baseline: { requests_per_s: Math.round(health.requests.average), p99_ms: health.latency.p99 },
  server_exit_code: code,
  cpus: (await import("node:os")).availableParallelism(),
  loadavg_1m: (await import("node:os")).loadavg()[0].toFixed(2),
};
const pass = {
  "req/s >= 2000": result.requests_per_s >= 2000,
  "p99 < 20 ms": result.latency_ms.p99 < 20,
  "0 errors": result.errors + result.timeouts + result.non_2xx === 0,
  "1,000 rows < 50 ms": result.rows_1000_median_ms < 50,
};
if (args.json) process.stdout.write(JSON.stringify({ ...result, targets: pass }, null, 2) + "\n");
else {
  console.log(
    `model ${result.family}, ${result.connections} connections, ${result.duration_s} s, ${result.cpus} CPUs, load average ${result.loadavg_1m}`,
  );
  console.log(
    `single-row POST /predict: ${result.requests_per_s} req/s, p50 ${result.latency_ms.p50} ms, p99 ${result.latency_ms.p99} ms, max ${result.latency_ms.max} ms`,
  );
  console.log(
    `  ${result.requests} requests, ${result.errors} errors, ${result.timeouts} timeouts, ${result.non_2xx} non-2xx`,
  );
  console.log(
    `baseline GET /health (no model): ${result.health_baseline.requests_per_s} req/s, p99 ${result.health_baseline.p99_ms} ms`,
  );
  console.log(`1,000-row POST /predict: median ${result.rows_1000_median_ms} ms (20 requests)`);
  for (const [k, ok] of Object.entries(pass)) console.log(`  ${ok ? "PASS" : "MISS"} ${k}`);
  console.log(`server stopped on SIGTERM with exit code ${code}`);
}
