// Speed of the binner (src/learners/binning) on a large table, and that its output does not change: CPU seconds
// of BinMapper.fit (input checks, 200,000-row edge sample, edges) and of transform (gbdt's row-major bins) and
// codeColumns (tree and forest's codes), with a hash of the edges and bins, for this build and optionally another
// (--base DIR: DIR/dist, e.g. a copy of main's), back to back. Columns: uniform, counts, missing values, lognormal,
// a mass at 0 with a wide tail, tiny and huge magnitudes, negative tails, 300 integers, signed zeros.
// Usage: npm run build && node bench/binning-speed.mjs [--rows 1000000] [--cols 30] [--repeat 2] [--base DIR]
// One run (2026-12-02, 2 cores, load ~2; CPU s, 1M x 30, max_bins 255, all rows; main's build at c3ad68e):
//   main: fit 1.04, transform 1.11; this build: fit 0.44, transform 0.63; hashes equal (also through a row list,
//   at max_bins 32, and codeColumns in exact mode). On bench/gbdt-speed.mjs's simpler table: fit 0.77-0.92 ->
//   0.37-0.47, transform 0.81-0.91 -> 0.36-0.46.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";

const { values: opt } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    cols: { type: "string", default: "30" },
    repeat: { type: "string", default: "2" },
    base: { type: "string" },
  },
});
const n = Number(opt.rows);
const nc = Number(opt.cols);
let s = 7;
const rnd = () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296;
const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
const kinds = [
  () => rnd() * 10,
  () => Math.floor(-Math.log(1 - rnd()) * 3),
  () => (rnd() < 0.1 ? NaN : normal()),
  () => Math.exp(3 * normal()),
  () => (rnd() < 0.5 ? 0 : Math.exp(8 * normal())),
  () => (rnd() < 0.01 ? 1e300 * normal() : normal() * 1e-300),
  () => -Math.exp(4 * normal()),
  () => Math.floor(rnd() * 300),
  () => (rnd() < 0.3 ? -0 : rnd() < 0.5 ? 0 : normal()),
];
const columns = Array.from({ length: nc }, (_, j) => Float64Array.from({ length: n }, kinds[j % kinds.length]));
const X = { nRows: n, features: columns.map((_, j) => ({ name: `x${j}`, kind: "numeric" })), columns };
const rows = Uint32Array.from({ length: Math.round(0.7 * n) }, (_, i) => (i * 7919) % n);
const cpu = (f) => {
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return [r, ((c.user + c.system) / 1e6).toFixed(3)];
};

const builds = [["this build", new URL("../dist/", import.meta.url).href]];
if (opt.base) builds.unshift(["base", pathToFileURL(join(opt.base, "dist/")).href]);
for (let rep = 0; rep < Number(opt.repeat); rep++) {
  for (const [label, dist] of builds) {
    const { BinMapper } = await import(new URL("learners/binning/bin-mapper.js", dist).href);
    for (const [maxBins, rr] of [
      [255, null],
      [255, rows],
      [null, rows.subarray(0, 50_000)],
    ]) {
      const [m, fitS] = cpu(() => BinMapper.fit(X, maxBins, rr, 3));
      const h = createHash("sha256");
      for (const f of m.features) h.update(new Uint8Array(f.edges.buffer));
      let what;
      if (maxBins !== null) {
        const [b, t] = cpu(() => m.transform(X, rr));
        h.update(b.bins);
        what = `transform ${t}`;
      } else {
        const [codes, t] = cpu(() => m.codeColumns(X));
        for (const c of codes) h.update(new Uint8Array(c.codes.buffer)).update(new Uint8Array(c.lo.buffer));
        what = `codeColumns ${t}`;
      }
      const where = rr ? `${rr.length} rows` : "all rows";
      console.log(
        `${label}: max_bins ${maxBins}, ${where}: fit ${fitS} s, ${what} s (CPU); hash ${h.digest("hex").slice(0, 16)}`,
      );
    }
  }
}
