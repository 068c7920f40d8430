// Scoring speed of a churnkit model exported to ONNX, in onnxruntime-node (CPU), against churnkit's own scoring of
// the same rows. Writes a seeded churn table (bench/lib/churn-table.mjs: 20 numeric columns with gaps, 8 categorical
// with 3 to 500 levels, 2 yes/no), trains a 100-tree gbdt (early stopping off) on --train rows, exports it with
// onnxFormat, types --rows scoring rows once (not timed), then times: the ONNX graph over all rows in batches of
// --batch rows (inputs as float32 and string tensors), with ORT's default threads and with one thread; and
// churnkit's encode + score of the same typed rows. Checks that every row got a probability and reports the largest
// difference from churnkit's. Prints wall and CPU seconds, rows/s and the load average.
// Usage: npm run build && node bench/onnx-speed.mjs [--rows 1000000] [--train 100000] [--batch 100000]
import { mkdirSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { writeChurnTable } from "./lib/churn-table.mjs";
import { train } from "../dist/pipeline/api.js";
import { loadModel } from "../dist/artifact/churn-model.js";
import { readArtifact } from "../dist/artifact/artifact.js";
import { loadTable } from "../dist/data/load.js";
import { typeTable } from "../dist/data/typed.js";
import { onnxFormat } from "../dist/export/onnx/index.js";

const { values: opt } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    train: { type: "string", default: "100000" },
    batch: { type: "string", default: "100000" },
  },
});
const n = Number(opt.rows);
const batch = Number(opt.batch);
const say = (s) => process.stderr.write(s + "\n");
const work = join(tmpdir(), `churnkit-onnx-speed-${process.pid}`);
mkdirSync(work, { recursive: true });

/** Wall and CPU seconds (user + system, all threads) of `fn`. */
async function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

try {
  const trainCsv = join(work, "train.csv");
  const scoreCsv = join(work, "score.csv");
  await writeChurnTable(trainCsv, Number(opt.train), 1);
  await writeChurnTable(scoreCsv, n, 2);
  const dir = join(work, "model");
  const fit = await timed(() =>
    train({
      data: trainCsv,
      target: "churn",
      idColumns: ["customer_id"],
      model: "gbdt",
      params: { max_iter: 100, early_stopping: false },
      seed: 42,
      out: dir,
    }),
  );
  const a = readArtifact(dir);
  const trees = a.model.state.trees.length;
  const exported = await timed(() => onnxFormat.write(a));
  const bytes = exported.value;
  say(
    `trained a ${trees}-tree gbdt in ${fit.wall.toFixed(1)} s; ONNX file ${(bytes.length / 1e6).toFixed(2)} MB in ${exported.wall.toFixed(2)} s`,
  );

  const raw = await loadTable(scoreCsv);
  const typed = typeTable(raw, a.inputs);
  const columns = a.inputs.map((c) => ({ ...c, values: typed.columns.get(c.name).values }));
  say(`typed ${typed.rows} rows`);

  /** The feeds of rows [from, to): float32 for numbers and booleans, strings ("" missing) for categories. */
  const feeds = (from, to) => {
    const out = {};
    for (const c of columns) {
      const part = c.values.slice(from, to);
      out[c.name] =
        part instanceof Float64Array
          ? new ort.Tensor("float32", Float32Array.from(part), [to - from, 1])
          : new ort.Tensor(
              "string",
              part.map((s) => s ?? ""),
              [to - from, 1],
            );
    }
    return out;
  };

  const results = {};
  for (const [label, options] of [
    ["onnxruntime default threads", {}],
    ["onnxruntime 1 thread", { intraOpNumThreads: 1, interOpNumThreads: 1 }],
  ]) {
    const session = await ort.InferenceSession.create(bytes, options);
    const probability = new Float64Array(n);
    let scored = 0;
    const run = { wall: 0, cpu: 0 };
    const t = await timed(async () => {
      for (let from = 0; from < n; from += batch) {
        const to = Math.min(n, from + batch);
        const input = feeds(from, to);
        const r = await timed(() => session.run(input));
        run.wall += r.wall;
        run.cpu += r.cpu;
        probability.set(r.value.probability.data, from);
        scored += r.value.probability.data.length;
      }
    });
    await session.release();
    if (scored !== n) throw new Error(`${label}: ${scored} probabilities for ${n} rows`);
    results[label] = { probability, ...t };
    say(
      `${label}: ${n} rows in ${t.wall.toFixed(2)} s wall, ${t.cpu.toFixed(2)} s CPU (${Math.round(n / t.wall)} rows/s); ` +
        `session.run alone ${run.wall.toFixed(2)} s wall, ${run.cpu.toFixed(2)} s CPU (${Math.round(n / run.wall)} rows/s)`,
    );
  }

  const model = await loadModel(dir);
  const ours = await timed(async () => model.scoreMatrix((await model.prepareTyped(typed)).X));
  say(
    `churnkit encode + score: ${ours.wall.toFixed(2)} s wall, ${ours.cpu.toFixed(2)} s CPU: ${Math.round(n / ours.wall)} rows/s`,
  );
  let diff = 0;
  const p = results["onnxruntime default threads"].probability;
  for (let i = 0; i < n; i++) diff = Math.max(diff, Math.abs(p[i] - ours.value[i]));
  say(`max |onnx - churnkit| over ${n} rows: ${diff}`);
  say(
    `load average: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
