import { describe, expect, it } from "vitest";
import { Rng } from "../../src/utils/random.js";
import { wasmFromText } from "../../src/utils/wasm-text.js";
import { wasmMemory } from "../../src/utils/wasm.js";
import { expFuncText } from "../../src/learners/gbdt/loss-kernel-text.js";
import { instantiateKernel, kernelMemory } from "../../src/learners/gbdt/histogram-wasm.js";
import { logLossGradients } from "../../src/learners/gbdt/loss.js";

const { Module, Instance } = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (b: Uint8Array) => object;
      Instance: new (m: object, i: object) => { exports: { exp: (x: number) => number } };
    };
  }
).WebAssembly;

/** Doubles from 64 random bits each (every exponent, NaNs and infinities included). */
function randomBits(rng: Rng, n: number): Float64Array {
  const u = new Uint32Array(2 * n);
  for (let i = 0; i < u.length; i++) u[i] = Math.floor(rng.next() * 2 ** 32);
  return new Float64Array(u.buffer);
}

/** Where `a` and `b` differ in bits (Object.is: -0 is not 0), or -1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe("gbdt log-loss WebAssembly kernel", () => {
  it("computes exp bit for bit as Math.exp (V8's fdlibm), on every path of the algorithm", () => {
    const memory = wasmMemory(65536, false)!;
    const { exp } = new Instance(new Module(wasmFromText(`(module${expFuncText()})`)), { env: { memory } }).exports;
    const rng = new Rng(17);
    const xs: number[] = [];
    // Raw scores' range, the reduction's three cases (|x| < 0.5 ln 2, < 1.5 ln 2, beyond), over- and underflow.
    for (let i = 0; i < 100_000; i++) xs.push((rng.next() - 0.5) * 80);
    for (let i = 0; i < 20_000; i++) xs.push((rng.next() - 0.5) * 2 * Math.LN2 * 1.5);
    for (let i = 0; i < 20_000; i++) xs.push((rng.next() - 0.5) * 1600);
    for (let i = 0; i < 20_000; i++) xs.push(-708 - rng.next() * 38); // 2^k below 2^-1021: the twom1000 scaling
    for (const x of randomBits(rng, 20_000)) xs.push(x);
    const ln2 = Math.LN2;
    for (const x of [0, -0, 1, -1, 0.5 * ln2, -0.5 * ln2, 1.5 * ln2, -1.5 * ln2, 2 ** -28, -(2 ** -28), 2 ** -29])
      xs.push(x, x * (1 + 2 ** -52), x * (1 - 2 ** -52));
    for (const x of [709.782712893384, 709.7827128933841, 709.78, -745.1332191019411, -745.14, -708.39, -708.4])
      xs.push(x);
    xs.push(Infinity, -Infinity, NaN, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE);
    const want = Float64Array.from(xs, Math.exp);
    const got = Float64Array.from(xs, exp);
    const at = firstDifference(got, want);
    expect(at === -1 ? "same" : `exp(${xs[at]}): ${got[at]} != ${want[at]}`).toBe("same");
  });

  it("writes the JS loop's gradients and hessians, over a range of rows, in the fit's memory", () => {
    const n = 50_000;
    const rng = new Rng(5);
    // Regions of one kernel memory: raw, y, grad, hess.
    const memory = kernelMemory(8 * n * 3 + n + 64)!;
    const kernel = instantiateKernel(memory)!;
    const buf = memory.buffer;
    const raw = new Float64Array(buf, 0, n);
    const grad = new Float64Array(buf, 8 * n, n);
    const hess = new Float64Array(buf, 16 * n, n);
    const y = new Uint8Array(buf, 24 * n, n);
    for (let i = 0; i < n; i++) {
      raw[i] = i % 97 === 0 ? (rng.next() - 0.5) * 2000 : (rng.next() - 0.5) * 12;
      y[i] = rng.next() < 0.3 ? 1 : 0;
    }
    raw.set([0, -0, 1, -1, 40, -40, 800, -800, 1e-300, -1e-300], 0);
    const wantGrad = new Float64Array(n).fill(7);
    const wantHess = new Float64Array(n).fill(7);
    grad.fill(7);
    hess.fill(7);
    const [from, to] = [0, n - 3]; // the last rows are left as they were
    logLossGradients(raw, y, wantGrad, wantHess, from, to);
    logLossGradients(raw, y, grad, hess, from, to, kernel);
    expect(firstDifference(grad, wantGrad)).toBe(-1);
    expect(firstDifference(hess, wantHess)).toBe(-1);
    expect(grad[n - 1]).toBe(7);
    // A block of rows alone, as a worker computes it.
    grad.fill(7);
    logLossGradients(raw, y, grad, hess, 100, 200, kernel);
    expect(grad[99]).toBe(7);
    expect(grad[200]).toBe(7);
    expect(firstDifference(grad.subarray(100, 200), wantGrad.subarray(100, 200))).toBe(-1);
  });
});
