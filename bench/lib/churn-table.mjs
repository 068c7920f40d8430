// A churn-like table of any size, written as CSV in chunks (never one string per cell held at once):
// 20 numeric columns (some missing), 8 categorical (3 to 500 levels), 2 yes/no, an id, a yes/no target
// drawn from a logistic model with interactions, so that trees and linear models both have something to find.
// Deterministic for a seed. Shared by the scale benchmarks (bench/scale.mjs and others).
import { createWriteStream } from "node:fs";
import { once } from "node:events";

/** mulberry32: a small seeded generator. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const LEVELS = [3, 4, 5, 8, 12, 30, 100, 500];
export const HEADER = [
  "customer_id",
  ...Array.from({ length: 20 }, (_, j) => `num${j}`),
  ...LEVELS.map((_, j) => `cat${j}`),
  "autopay",
  "paperless",
  "churn",
];

/** Per-level effects of each categorical column (fixed by the table's own seed, not the rows'). */
function levelEffects(seed) {
  const r = rng(seed ^ 0x9e3779b9);
  return LEVELS.map((k, j) => Float64Array.from({ length: k }, () => (r() - 0.5) * (j < 4 ? 1.2 : 0.6)));
}

/**
 * Write `rows` rows to `path` (CSV with a header). `seed` selects the rows; the model behind the target is the
 * same for every seed of one `modelSeed`, so a train file and a test file share it.
 */
export async function writeChurnTable(path, rows, seed, modelSeed = 1) {
  await writeLines(path, churnLines(rows, seed, modelSeed));
}

function* churnLines(rows, seed, modelSeed) {
  const r = rng(seed);
  const eff = levelEffects(modelSeed);
  yield HEADER.join(",");
  const num = new Float64Array(20);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < 20; j++) num[j] = j % 5 === 4 ? -Math.log(1 - r()) * 3 : r() * 2 - 1; // every 5th heavy-tailed
    const cats = LEVELS.map((k) => Math.floor(Math.pow(r(), 1.5) * k)); // skewed level frequencies
    const autopay = r() < 0.6;
    const paperless = r() < 0.5;
    let z =
      -1.2 +
      1.1 * num[0] -
      0.8 * num[1] +
      0.9 * num[2] * num[3] +
      0.6 * Math.sin(3 * num[5]) +
      0.25 * Math.min(num[4], 6) -
      0.5 * (num[6] > 0.3 ? 1 : 0) +
      (autopay ? -0.5 : 0.2) +
      (paperless ? 0.3 : 0);
    for (let j = 0; j < LEVELS.length; j++) z += eff[j][cats[j]];
    const churn = r() < 1 / (1 + Math.exp(-z));
    const cells = [`C${seed}-${i}`];
    for (let j = 0; j < 20; j++) cells.push(r() < 0.03 * ((j % 4) + 1) ? "" : num[j].toFixed(4));
    for (let j = 0; j < LEVELS.length; j++) cells.push(`L${j}_${cats[j]}`);
    cells.push(autopay ? "Yes" : "No", paperless ? "Yes" : "No", churn ? "Yes" : "No");
    yield cells.join(",");
  }
}

/**
 * Write `lines` (an iterable or async iterable of strings, without line ends) to `path`, 4,096 lines per write and
 * waiting for the stream to drain, so that a table of millions of rows is never one string or one array of lines.
 */
export async function writeLines(path, lines) {
  const out = createWriteStream(path);
  let buf = [];
  for await (const line of lines) {
    buf.push(line);
    if (buf.length === 4096) {
      if (!out.write(buf.join("\n") + "\n")) await once(out, "drain");
      buf = [];
    }
  }
  if (buf.length) out.write(buf.join("\n") + "\n");
  out.end();
  await once(out, "finish");
}
