/**
 * The inner loop of the mask forest (mask-forest.ts) as a fixed WebAssembly function, assembled here from its opcodes
 * (no toolchain, no binary file: the bytes below are this source). It is our code, the same for every model; a model
 * only fills its memory with numbers, so model files stay data.
 *
 * Why WebAssembly: the loop is 128-bit ANDs of leaf masks (SIMD, four 32-bit or two 64-bit masks at once) and
 * unchecked loads; the same loop in JavaScript costs about five times as much per row (typed-array bounds checks,
 * no SIMD), more than walking the trees.
 *
 * score(bins, n, stride, out, nFeat, featAt, vecs, lm, values, nTrees), for each row r < n:
 *   lm[0 .. vecs) = all ones (vecs × 16 bytes: one mask per tree, padded)
 *   for u < nFeat: lm &= table at i32[featAt + 4u] + u8[bins + u·stride + r] · vecs · 16
 *   s = f64[out + 8r]; for t < nTrees: s += f64[values + 8·(t·LEAVES + ctz(mask t))]; f64[out + 8r] = s
 * The trees are added in order, one at a time, so the sum is the same double as tree by tree.
 */

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A section: id, then its byte length, then its bytes. */
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
/** A vector: its length, then its items. */
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

// Opcodes (WebAssembly core 2.0 with fixed-width SIMD).
const I32 = 0x7f;
const F64 = 0x7c;
const BLOCK = 0x02;
const LOOP = 0x03;
const VOID = 0x40;
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const GET = 0x20;
const SET = 0x21;
const TEE = 0x22;
const I32_LOAD = 0x28;
const I64_LOAD = 0x29;
const F64_LOAD = 0x2b;
const I32_LOAD8_U = 0x2d;
const F64_STORE = 0x39;
const I32_CONST = 0x41;
const I32_GE_U = 0x4f;
const I32_LT_U = 0x49;
const I32_CTZ = 0x68;
const I64_CTZ = 0x7a;
const I32_WRAP_I64 = 0xa7;
const I32_ADD = 0x6a;
const I32_MUL = 0x6c;
const I32_SHL = 0x74;
const F64_ADD = 0xa0;
const SIMD = 0xfd;
const V128_LOAD = 0x00;
const V128_STORE = 0x0b;
const V128_CONST = 0x0c;
const V128_AND = 0x4e;

/** A memory access: alignment (log2) and offset 0. */
const mem = (align: number): number[] => [align, 0];

// Parameters, then locals (the function's local indices).
const P_BINS = 0;
const P_N = 1;
const P_STRIDE = 2;
const P_OUT = 3;
const P_NFEAT = 4;
const P_FEATAT = 5;
const P_VECS = 6;
const P_LM = 7;
const P_VALUES = 8;
const P_NTREES = 9;
const L_R = 10;
const L_U = 11;
const L_K = 12;
const L_P = 13;
const L_A = 14;
const L_T = 15;
const L_S = 16; // f64

/** The body of `score` for masks of `bytes` (4 or 8) per tree and `leaves` (32 or 64) leaf values per tree. */
function body(bytes: 4 | 8): number[] {
  const leaves = bytes * 8;
  const get = (i: number) => [GET, i];
  const set = (i: number) => [SET, i];
  const i32 = (c: number) => [I32_CONST, ...sleb(c)];
  const inc = (i: number, by: number[]) => [...get(i), ...by, I32_ADD, ...set(i)];
  return [
    // locals: r, u, k, p, a, t (i32), s (f64)
    ...vec([
      [6, I32],
      [1, F64],
    ]),
    ...i32(0),
    ...set(L_R),
    BLOCK,
    VOID,
    LOOP,
    VOID,
    ...get(L_R),
    ...get(P_N),
    I32_GE_U,
    BR_IF,
    1,
    // lm = all ones
    ...get(P_LM),
    ...set(L_A),
    ...i32(0),
    ...set(L_K),
    LOOP,
    VOID,
    ...get(L_A),
    SIMD,
    V128_CONST,
    ...new Array<number>(16).fill(0xff),
    SIMD,
    V128_STORE,
    ...mem(4),
    ...inc(L_A, i32(16)),
    ...inc(L_K, i32(1)),
    ...get(L_K),
    ...get(P_VECS),
    I32_LT_U,
    BR_IF,
    0,
    END,
    // for each feature: lm &= its table's row for this row's bin
    ...i32(0),
    ...set(L_U),
    BLOCK,
    VOID,
    LOOP,
    VOID,
    ...get(L_U),
    ...get(P_NFEAT),
    I32_GE_U,
    BR_IF,
    1,
    // p = i32[featAt + 4u] + u8[bins + u·stride + r] · vecs · 16
    ...get(P_FEATAT),
    ...get(L_U),
    ...i32(2),
    I32_SHL,
    I32_ADD,
    I32_LOAD,
    ...mem(2),
    ...get(P_BINS),
    ...get(L_U),
    ...get(P_STRIDE),
    I32_MUL,
    I32_ADD,
    ...get(L_R),
    I32_ADD,
    I32_LOAD8_U,
    ...mem(0),
    ...get(P_VECS),
    I32_MUL,
    ...i32(4),
    I32_SHL,
    I32_ADD,
    ...set(L_P),
    ...get(P_LM),
    ...set(L_A),
    ...i32(0),
    ...set(L_K),
    LOOP,
    VOID,
    ...get(L_A),
    ...get(L_A),
    SIMD,
    V128_LOAD,
    ...mem(4),
    ...get(L_P),
    SIMD,
    V128_LOAD,
    ...mem(4),
    SIMD,
    V128_AND,
    SIMD,
    V128_STORE,
    ...mem(4),
    ...inc(L_A, i32(16)),
    ...inc(L_P, i32(16)),
    ...inc(L_K, i32(1)),
    ...get(L_K),
    ...get(P_VECS),
    I32_LT_U,
    BR_IF,
    0,
    END,
    ...inc(L_U, i32(1)),
    BR,
    0,
    END,
    END,
    // s = out[r]; s += values[t·leaves + ctz(mask t)] for each tree in order; out[r] = s
    ...get(P_OUT),
    ...get(L_R),
    ...i32(3),
    I32_SHL,
    I32_ADD,
    TEE,
    L_A,
    F64_LOAD,
    ...mem(3),
    ...set(L_S),
    ...i32(0),
    ...set(L_T),
    ...get(P_VALUES),
    ...set(L_P),
    ...get(P_LM),
    ...set(L_K),
    LOOP,
    VOID,
    ...get(L_S),
    ...get(L_P),
    ...get(L_K),
    ...(bytes === 4 ? [I32_LOAD, ...mem(2), I32_CTZ] : [I64_LOAD, ...mem(3), I64_CTZ, I32_WRAP_I64]),
    ...i32(3),
    I32_SHL,
    I32_ADD,
    F64_LOAD,
    ...mem(3),
    F64_ADD,
    ...set(L_S),
    ...inc(L_P, i32(leaves * 8)),
    ...inc(L_K, i32(bytes)),
    ...inc(L_T, i32(1)),
    ...get(L_T),
    ...get(P_NTREES),
    I32_LT_U,
    BR_IF,
    0,
    END,
    ...get(L_A),
    ...get(L_S),
    F64_STORE,
    ...mem(3),
    ...inc(L_R, i32(1)),
    BR,
    0,
    END,
    END,
    END,
  ];
}

/** The module: imports memory `e.m`, exports `score` (masks of `bytes` per tree). */
export function kernelBytes(bytes: 4 | 8): Uint8Array {
  const code = body(bytes);
  const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([[0x60, ...vec(new Array<number[]>(10).fill([I32])), 0]])),
    ...section(2, vec([[...name("e"), ...name("m"), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name("score"), 0x00, 0]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}

/** The signature of the exported `score` (see the file comment). */
export type ScoreKernel = (
  bins: number,
  n: number,
  stride: number,
  out: number,
  nFeat: number,
  featAt: number,
  vecs: number,
  lm: number,
  values: number,
  nTrees: number,
) => void;

/** What this file uses of the WebAssembly API (Node's own typings do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
const modules = new Map<number, object | null>();

/** The compiled module for masks of `bytes` per tree, or null where WebAssembly (with SIMD) is not available. */
function kernelModule(bytes: 4 | 8): object | null {
  let m = modules.get(bytes);
  if (m !== undefined) return m;
  try {
    m = wasm ? new wasm.Module(kernelBytes(bytes)) : null;
  } catch {
    m = null; // e.g. node --jitless, or an engine without SIMD: the JavaScript layouts score instead
  }
  modules.set(bytes, m);
  return m;
}

/** An instance of the kernel over a memory of its own of at least `size` bytes, or null (see kernelModule). */
export function kernelInstance(bytes: 4 | 8, size: number): { score: ScoreKernel; buffer: ArrayBuffer } | null {
  const mod = kernelModule(bytes);
  if (!mod || !wasm) return null;
  const memory = new wasm.Memory({ initial: Math.ceil(size / 65536) });
  const inst = new wasm.Instance(mod, { e: { m: memory } });
  return { score: inst.exports["score"] as ScoreKernel, buffer: memory.buffer };
}
