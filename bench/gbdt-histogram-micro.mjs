// Micro-benchmark of the gbdt histogram's inner loop (src/learners/gbdt/histogram.ts) on synthetic bins:
// 1M rows x 30 features (Uint8, a third of them skewed to few bins, as count columns are), a 30% row subset
// in ascending order (a node after a few splits), four rows per step as histogram.ts does. Variants:
// A the former layout (gradient, hessian, count as three interleaved Float64), B no count at all (an upper
// bound of dropping it), C gradient and hessian interleaved Float64 plus an Int32 count array (the layout
// histogram.ts now uses), D layout A with alternate rows into two copies (to break same-bin chains),
// W layout C by the WebAssembly SIMD kernel (src/learners/gbdt/histogram-wasm.ts; checked bit-identical to C) into
// its wide histogram (each slot's count in the slot's 32 bytes: kernel-histogram.ts),
// then the kernel over all rows (a root: no row indirection) with and without the counts (fit-memory.ts, RootCounts).
// Prints CPU ms per build and ns per (row, feature) update.
// Usage: npm run build && node bench/gbdt-histogram-micro.mjs
import { instantiateKernel, kernelMemory } from "../dist/learners/gbdt/histogram-wasm.js";
const n = 1_000_000,
  F = 30;
const bins = new Uint8Array(n * F);
let s = 1;
const rnd = () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296;
for (let r = 0; r < n; r++)
  for (let j = 0; j < F; j++)
    bins[r * F + j] =
      j % 3 === 1
        ? Math.min(255, Math.floor(-Math.log(1 - rnd()) * 3))
        : j % 3 == 2 && rnd() < 0.1
          ? 255
          : Math.floor(rnd() * 255);
const offsets = Int32Array.from({ length: F }, (_, j) => j * 256);
const grad = Float64Array.from({ length: n }, rnd),
  hess = Float64Array.from({ length: n }, rnd);
const gh = new Float64Array(2 * n);
for (let i = 0; i < n; i++) {
  gh[2 * i] = grad[i];
  gh[2 * i + 1] = hess[i];
}
const rows = new Uint32Array(n);
let m = 0;
for (let r = 0; r < n; r++) if (rnd() < 0.3) rows[m++] = r;
const H3 = new Float64Array(3 * F * 256),
  H2 = new Float64Array(2 * F * 256),
  C = new Int32Array(F * 256);
function A(hist, start, end) {
  // current
  let k = start;
  for (; k + 3 < end; k += 4) {
    const r0 = rows[k] | 0,
      r1 = rows[k + 1] | 0,
      r2 = rows[k + 2] | 0,
      r3 = rows[k + 3] | 0;
    a4(hist, r0, r1, r2, r3);
  }
}
function a4(hist, r0, r1, r2, r3) {
  const g0 = grad[r0],
    h0 = hess[r0],
    g1 = grad[r1],
    h1 = hess[r1],
    g2 = grad[r2],
    h2 = hess[r2],
    g3 = grad[r3],
    h3 = hess[r3];
  const b0 = (r0 * F) | 0,
    b1 = (r1 * F) | 0,
    b2 = (r2 * F) | 0,
    b3 = (r3 * F) | 0;
  for (let j = 0; j < F; j++) {
    const o = offsets[j];
    let s = (3 * ((o + bins[b0 + j]) | 0)) | 0;
    hist[s] += g0;
    hist[s + 1] += h0;
    hist[s + 2] += 1;
    s = (3 * ((o + bins[b1 + j]) | 0)) | 0;
    hist[s] += g1;
    hist[s + 1] += h1;
    hist[s + 2] += 1;
    s = (3 * ((o + bins[b2 + j]) | 0)) | 0;
    hist[s] += g2;
    hist[s + 1] += h2;
    hist[s + 2] += 1;
    s = (3 * ((o + bins[b3 + j]) | 0)) | 0;
    hist[s] += g3;
    hist[s + 1] += h3;
    hist[s + 2] += 1;
  }
}
function B(hist, start, end) {
  let k = start;
  for (; k + 3 < end; k += 4) b4(hist, rows[k] | 0, rows[k + 1] | 0, rows[k + 2] | 0, rows[k + 3] | 0);
}
function b4(hist, r0, r1, r2, r3) {
  const g0 = grad[r0],
    h0 = hess[r0],
    g1 = grad[r1],
    h1 = hess[r1],
    g2 = grad[r2],
    h2 = hess[r2],
    g3 = grad[r3],
    h3 = hess[r3];
  const b0 = (r0 * F) | 0,
    b1 = (r1 * F) | 0,
    b2 = (r2 * F) | 0,
    b3 = (r3 * F) | 0;
  for (let j = 0; j < F; j++) {
    const o = offsets[j];
    let s = (2 * ((o + bins[b0 + j]) | 0)) | 0;
    hist[s] += g0;
    hist[s + 1] += h0;
    s = (2 * ((o + bins[b1 + j]) | 0)) | 0;
    hist[s] += g1;
    hist[s + 1] += h1;
    s = (2 * ((o + bins[b2 + j]) | 0)) | 0;
    hist[s] += g2;
    hist[s + 1] += h2;
    s = (2 * ((o + bins[b3 + j]) | 0)) | 0;
    hist[s] += g3;
    hist[s + 1] += h3;
  }
}
function Cc(hist, start, end) {
  let k = start;
  for (; k + 3 < end; k += 4) c4(hist, rows[k] | 0, rows[k + 1] | 0, rows[k + 2] | 0, rows[k + 3] | 0);
}
function c4(hist, r0, r1, r2, r3) {
  const g0 = grad[r0],
    h0 = hess[r0],
    g1 = grad[r1],
    h1 = hess[r1],
    g2 = grad[r2],
    h2 = hess[r2],
    g3 = grad[r3],
    h3 = hess[r3];
  const b0 = (r0 * F) | 0,
    b1 = (r1 * F) | 0,
    b2 = (r2 * F) | 0,
    b3 = (r3 * F) | 0;
  for (let j = 0; j < F; j++) {
    const o = offsets[j];
    let t = (o + bins[b0 + j]) | 0,
      s = (2 * t) | 0;
    hist[s] += g0;
    hist[s + 1] += h0;
    C[t] += 1;
    t = (o + bins[b1 + j]) | 0;
    s = (2 * t) | 0;
    hist[s] += g1;
    hist[s + 1] += h1;
    C[t] += 1;
    t = (o + bins[b2 + j]) | 0;
    s = (2 * t) | 0;
    hist[s] += g2;
    hist[s + 1] += h2;
    C[t] += 1;
    t = (o + bins[b3 + j]) | 0;
    s = (2 * t) | 0;
    hist[s] += g3;
    hist[s + 1] += h3;
    C[t] += 1;
  }
}
// D: row-major but per feature pair, reading feature j for all 4 rows; variant with 2 sub-histograms (rows alternate) to break same-bin chains
function D(hist, start, end) {
  let k = start;
  for (; k + 3 < end; k += 4) d4(hist, rows[k] | 0, rows[k + 1] | 0, rows[k + 2] | 0, rows[k + 3] | 0);
}
const HALF = 3 * F * 256;
const H3b = new Float64Array(2 * HALF);
function d4(hist, r0, r1, r2, r3) {
  const g0 = grad[r0],
    h0 = hess[r0],
    g1 = grad[r1],
    h1 = hess[r1],
    g2 = grad[r2],
    h2 = hess[r2],
    g3 = grad[r3],
    h3 = hess[r3];
  const b0 = (r0 * F) | 0,
    b1 = (r1 * F) | 0,
    b2 = (r2 * F) | 0,
    b3 = (r3 * F) | 0;
  for (let j = 0; j < F; j++) {
    const o = offsets[j];
    let s = (3 * ((o + bins[b0 + j]) | 0)) | 0;
    hist[s] += g0;
    hist[s + 1] += h0;
    hist[s + 2] += 1;
    s = (HALF + 3 * ((o + bins[b1 + j]) | 0)) | 0;
    hist[s] += g1;
    hist[s + 1] += h1;
    hist[s + 2] += 1;
    s = (3 * ((o + bins[b2 + j]) | 0)) | 0;
    hist[s] += g2;
    hist[s + 1] += h2;
    hist[s + 2] += 1;
    s = (HALF + 3 * ((o + bins[b3 + j]) | 0)) | 0;
    hist[s] += g3;
    hist[s + 1] += h3;
    hist[s + 2] += 1;
  }
}
function time(name, f, h) {
  for (let w = 0; w < 3; w++) f(h, 0, m);
  const c0 = process.cpuUsage();
  for (let w = 0; w < 10; w++) {
    h.fill(0);
    f(h, 0, m);
  }
  const c = process.cpuUsage(c0);
  console.log(
    name,
    ((c.user + c.system) / 1e3 / 10).toFixed(1),
    "ms per",
    m,
    "rows;",
    (((c.user + c.system) * 1e3) / 10 / (m * F)).toFixed(2),
    "ns/update",
  );
}
// W: the same data in the kernel's memory (16-byte aligned regions).
let at = 0;
const region = (bytes) => {
  const a = at;
  at += Math.ceil(bytes / 16) * 16;
  return a;
};
const pBins = region(n * F),
  pOff = region(4 * F),
  pGrad = region(8 * n),
  pHess = region(8 * n),
  pRows = region(4 * n),
  pHist = region(32 * F * 256);
const wmem = kernelMemory(at);
const kernel = wmem && instantiateKernel(wmem);
const wbuf = wmem?.buffer;
if (kernel) {
  new Uint8Array(wbuf, pBins, n * F).set(bins);
  new Int32Array(wbuf, pOff, F).set(offsets);
  new Float64Array(wbuf, pGrad, n).set(grad);
  new Float64Array(wbuf, pHess, n).set(hess);
  new Uint32Array(wbuf, pRows, n).set(rows);
}
// The kernel's wide histogram: slot t = 32 bytes (sum g, sum h, Int32 count, padding).
const WH = kernel ? new Float64Array(wbuf, pHist, 4 * F * 256) : null;
const WI = kernel ? new Int32Array(wbuf, pHist, 8 * F * 256) : null;
function W(hist, start, end) {
  kernel.addRows(pHist, pOff, pBins, F, 0, F, pRows, start, end, pGrad, pHess);
}
if (kernel) {
  H2.fill(0);
  C.fill(0);
  Cc(H2, 0, m);
  // C's 4-row loop leaves m % 4 rows; compare over the same rows.
  WH.fill(0);
  W(WH, 0, m - (m % 4));
  const same = H2.every((v, i) => Object.is(v, WH[4 * (i >> 1) + (i & 1)])) && C.every((v, t) => v === WI[8 * t + 4]);
  console.log("W bit-identical to C:", same);
} else console.log("no WebAssembly SIMD kernel on this runtime");
for (let rep = 0; rep < 2; rep++) {
  if (kernel) time("W wasm simd", W, WH);
  time("A 3 slots", A, H3);
  time("B 2 slots", B, H2);
  time("C 2+int", Cc, H2);
  time("D 3 slots 2 copies", D, H3b);
}
function WA(hist, start, end) {
  kernel.addAll(pHist, pOff, pBins, F, 0, F, 0, start, end, pGrad, pHess);
}
function WS(hist, start, end) {
  kernel.addAllSums(pHist, pOff, pBins, F, 0, F, 0, start, end, pGrad, pHess);
}
if (kernel)
  for (let rep = 0; rep < 2; rep++) {
    time("W all rows", WA, WH);
    time("W all rows, sums only", WS, WH);
  }
