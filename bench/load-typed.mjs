#!/usr/bin/env node
/**
 * Loading + typing benchmark on a generated churn-like CSV of N rows × 32 columns (an id, 20 numeric
 * columns with some missing, 8 categorical ones of 3..500 levels, 2 yes/no, a yes/no target), written
 * once into bench/out/. Each step runs in a child process under `/usr/bin/time -v`, which reports wall
 * seconds and peak RSS:
 * - `text`: the 0.7 path, every value as a JS string (loadTable → inferSchema → typeTable);
 * - `typed`: DuckDB types the file and hands columns over as typed arrays (fileSource → inferSchemaFrom → typed);
 * - `train`: `churnkit train --model logreg` end to end (with `--train`).
 *
 *   npm run build && node bench/load-typed.mjs [--rows 1000000] [--steps text,typed,train]
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    steps: { type: "string", default: "text,typed,train" },
    step: { type: "string" }, // internal: run one step in this process
    file: { type: "string" },
  },
});

/** Write the churn-like CSV (deterministic: a fixed-seed generator). */
async function generate(path, n) {
  let s = 12345;
  const rnd = () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296;
  const levels = [3, 5, 8, 12, 30, 60, 200, 500];
  const header = ["customer_id"];
  for (let j = 0; j < 20; j++) header.push(`num_${j}`);
  for (let j = 0; j < 8; j++) header.push(`cat_${j}`);
  header.push("flag_a", "flag_b", "churn");
  const out = createWriteStream(path);
  out.write(header.join(",") + "\n");
  let buf = "";
  for (let i = 0; i < n; i++) {
    const row = [`C${i}`];
    let z = -1;
    for (let j = 0; j < 20; j++) {
      const x = rnd() * 100;
      if (j < 6) z += (x - 50) / (80 + 20 * j);
      row.push(rnd() < 0.03 * (j % 4) ? "" : j % 3 === 0 ? String(Math.floor(x)) : x.toFixed(2));
    }
    for (let j = 0; j < 8; j++) {
      const k = Math.floor(rnd() ** 2 * levels[j]);
      if (j < 3) z += (k % 3) * 0.3;
      row.push(rnd() < 0.01 ? "" : `L${j}_${k}`);
    }
    const a = rnd() < 0.4;
    z += a ? 0.5 : 0;
    row.push(a ? "Yes" : "No", rnd() < 0.5 ? "yes" : "no", rnd() < 1 / (1 + Math.exp(-z)) ? "Yes" : "No");
    buf += row.join(",") + "\n";
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once("drain", r));
      buf = "";
    }
  }
  out.write(buf);
  await new Promise((r) => out.end(r));
}

/** One step, in this process (timed from outside). */
async function runStep(step, file) {
  const lib = (p) => import(pathToFileURL(join(ROOT, "dist", p)).href);
  if (step === "text") {
    const { loadTable } = await lib("data/load.js");
    const { inferSchema, featureColumns } = await lib("data/schema.js");
    const { typeTable } = await lib("data/typed.js");
    const raw = await loadTable(file);
    const schema = inferSchema(raw, { target: "churn" });
    const t = typeTable(
      raw,
      featureColumns(schema).map((c) => ({ name: c.name, type: c.type })),
    );
    console.log(`text: ${t.rows} rows, ${t.columns.size} typed columns`);
  } else if (step === "typed") {
    const { fileSource } = await lib("data/load-typed.js");
    const { inferSchemaFrom, featureColumns } = await lib("data/schema.js");
    const src = await fileSource(file);
    const schema = inferSchemaFrom(src, { target: "churn" });
    const t = await src.typed(featureColumns(schema).map((c) => ({ name: c.name, type: c.type })));
    src.close();
    console.log(`typed: ${t.rows} rows, ${t.columns.size} typed columns`);
  }
}

/** Run `argv` under /usr/bin/time -v: wall seconds and peak RSS (MB). */
function timed(argv) {
  const r = spawnSync("/usr/bin/time", ["-v", ...argv], { encoding: "utf8", maxBuffer: 1 << 26 });
  const wall = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  if (r.status !== 0) process.stderr.write(r.stderr.split("\n").slice(-30).join("\n"));
  return { status: r.status, seconds, rssMB: rss ? Number(rss[1]) / 1024 : NaN };
}

if (args.step) {
  await runStep(args.step, args.file);
} else {
  const n = Number(args.rows);
  mkdirSync(join(ROOT, "bench", "out"), { recursive: true });
  const file = join(ROOT, "bench", "out", `load-typed-${n}.csv`);
  if (!existsSync(file)) {
    const t0 = Date.now();
    await generate(file, n);
    console.log(`generated ${file} (${(statSync(file).size / 1e6).toFixed(0)} MB) in ${(Date.now() - t0) / 1000} s`);
  }
  const me = fileURLToPath(import.meta.url);
  for (const step of args.steps.split(",")) {
    let r;
    if (step === "train") {
      const dir = mkdtempSync(join(tmpdir(), "churnkit-load-typed-"));
      const argv = ["node", join(ROOT, "dist", "cli", "main.js"), "train", "--data", file, "--target", "churn"];
      r = timed([...argv, "--model", "logreg", "--seed", "1", "--out", join(dir, "model")]);
      rmSync(dir, { recursive: true, force: true });
    } else r = timed(["node", me, "--step", step, "--file", file]);
    console.log(
      `${step}: ${r.seconds.toFixed(1)} s wall, peak RSS ${r.rssMB.toFixed(0)} MB, exit ${r.status} (${n.toLocaleString("en")} rows × 32 columns)`,
    );
  }
}
