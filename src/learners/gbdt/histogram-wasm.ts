/**
 * The histogram inner loop (histogram-loops.ts) as a WebAssembly kernel with 128-bit SIMD: one row's (gradient,
 * hessian) pair is one `f64x2` value, and each (row, feature) update is one `v128.load` / `f64x2.add` /
 * `v128.store` of the slot's (sum of gradients, sum of hessians) pair plus an `i32` count increment in the same
 * 32-byte slot, with no bounds checks (the module's memory is the bound).
 *
 * The kernel's histograms are "wide" (kernel-histogram.ts): slot `t` is 32 bytes at `hist + 32 t`, the two
 * Float64 sums, then the Int32 count (and 4 bytes of padding), so that one update touches one cache line
 * (measured 16-24% faster than the count in an array of its own, whose line is another miss). They are turned
 * into the usual layout (histogram.ts) when a node's blocks are added up.
 *
 * The module is assembled here, byte by byte, from the instructions below (no toolchain, no binary in the
 * repository): `npm run build` compiles this file and the bytes are made when it is first loaded.
 *
 * Same sums, same bits: rows are added in the same order as the JS loop (row by row; each slot's adds in row
 * order) and `f64x2.add` is two IEEE-754 double additions, so the histogram, and the model, are bit-for-bit
 * those of the JS path, which stays as the fallback (no WebAssembly SIMD) and the reference in the tests.
 *
 * Everything the kernel reads and writes lives in one `WebAssembly.Memory` (shared, so worker threads run
 * the same kernel on the same memory); arguments are byte addresses in it.
 */

/**
 * Add rows `rows[start..end)` (Uint32 row numbers at byte address `rows`; `addAll`: rows `start..end`
 * themselves) over features `j0..j1)` (j1 > j0) to the wide histogram at `hist`: for each row `r`, each feature
 * `j`, slot `t = offsets[j] + bins[r * stride + j]`, add `(grad[r], hess[r])` to the Float64 pair at
 * `hist + 32 t` and 1 to the Int32 at `hist + 32 t + 16`.
 */
export type KernelAdd = (
  this: void,
  hist: number,
  offsets: number,
  bins: number,
  stride: number,
  j0: number,
  j1: number,
  rows: number,
  start: number,
  end: number,
  grad: number,
  hess: number,
) => void;

/** The kernel's functions (see {@link KernelAdd}). */
export interface HistogramKernel {
  addRows: KernelAdd;
  addAll: KernelAdd;
  /**
   * `addAll` without the counts: the root of every tree but the first when every tree has all rows, whose
   * counts are the first tree's (fit-memory.ts, RootCounts).
   */
  addAllSums: KernelAdd;
}

/**
 * The kernel's body in WebAssembly text (one instruction a line, `;;` comments), the same for both functions
 * but for the line marked `ROW`: `addRows` reads the row number from the row array, `addAll` uses `k`.
 * Parameters and locals are named as in {@link NAMES}.
 */
const KERNEL = `
  block
    loop                                   ;; for (; k < end; k++)
      local.get k
      local.get end
      i32.ge_u
      br_if 1
      ROW                                  ;; r = rows[k], or k
      local.set r
      local.get grad                       ;; gh = (grad[r], hess[r])
      local.get r
      i32.const 3
      i32.shl
      i32.add
      f64.load 3
      f64x2.splat
      local.get hess
      local.get r
      i32.const 3
      i32.shl
      i32.add
      f64.load 3
      f64x2.replace_lane 1
      local.set gh
      local.get bins                       ;; p = bins + r * stride + j0
      local.get r
      local.get stride
      i32.mul
      i32.add
      local.get j0
      i32.add
      local.set p
      local.get p                          ;; pe = p + j1 - j0
      local.get j1
      i32.add
      local.get j0
      i32.sub
      local.set pe
      local.get offsets                    ;; o = offsets + 4 j0
      local.get j0
      i32.const 2
      i32.shl
      i32.add
      local.set o
      loop                                 ;; do {
        local.get o                        ;;   t = *o + *p
        i32.load 2
        local.get p
        i32.load8_u 0
        i32.add
        local.set t
        local.get hist                     ;;   a = hist + 32 t; (sum g, sum h) at a += gh
        local.get t
        i32.const 5
        i32.shl
        i32.add
        local.tee a
        local.get a
        v128.load 3
        local.get gh
        f64x2.add
        v128.store 3
        COUNT{
        local.get a                        ;;   a += 16; count at a += 1
        i32.const 16
        i32.add
        local.tee a
        local.get a
        i32.load 2
        i32.const 1
        i32.add
        i32.store 2
        }COUNT
        local.get o                        ;;   o += 4; p += 1
        i32.const 4
        i32.add
        local.set o
        local.get p
        i32.const 1
        i32.add
        local.tee p
        local.get pe
        i32.lt_u
        br_if 0                            ;; } while (p < pe)
      end
      local.get k
      i32.const 1
      i32.add
      local.set k
      br 0
    end
  end
`;

/** Parameters (11 i32), then locals: six i32 and one v128 (`gh`). */
const NAMES = "hist offsets bins stride j0 j1 rows k end grad hess r p pe o t a gh".split(" ");
const N_PARAMS = 11;
const I32 = 0x7f;
const V128 = 0x7b;

/**
 * Opcodes (WebAssembly core 2.0; SIMD ones after the 0xfd prefix, as LEB128) and their immediate: `local`
 * (a name), `int` (i32.const), `mem` (alignment exponent; offset 0), `lane`, `label` (branch depth).
 */
const OPS: Record<string, [number[], "local" | "int" | "mem" | "lane" | "label" | null]> = {
  block: [[0x02, 0x40], null],
  loop: [[0x03, 0x40], null],
  end: [[0x0b], null],
  br: [[0x0c], "label"],
  br_if: [[0x0d], "label"],
  "local.get": [[0x20], "local"],
  "local.set": [[0x21], "local"],
  "local.tee": [[0x22], "local"],
  "i32.load": [[0x28], "mem"],
  "f64.load": [[0x2b], "mem"],
  "i32.load8_u": [[0x2d], "mem"],
  "i32.store": [[0x36], "mem"],
  "i32.const": [[0x41], "int"],
  "i32.lt_u": [[0x49], null],
  "i32.ge_u": [[0x4f], null],
  "i32.add": [[0x6a], null],
  "i32.sub": [[0x6b], null],
  "i32.mul": [[0x6c], null],
  "i32.shl": [[0x74], null],
  "v128.load": [[0xfd, 0x00], "mem"],
  "v128.store": [[0xfd, 0x0b], "mem"],
  "f64x2.splat": [[0xfd, 0x14], null],
  "f64x2.replace_lane": [[0xfd, 0x22], "lane"],
  "f64x2.add": [[0xfd, 0xf0, 0x01], null],
};

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

/** Signed LEB128 of an int32. */
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

/** Assemble instruction lines (see {@link KERNEL}) into code bytes. */
export function assemble(text: string): number[] {
  const out: number[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/;;.*$/, "").trim();
    if (line === "") continue;
    const [op, arg, extra] = line.split(/\s+/);
    const spec = OPS[op!];
    if (!spec || extra !== undefined) throw new Error(`histogram kernel: cannot assemble "${line}"`);
    const [code, imm] = spec;
    let bytes: number[];
    if (imm === null) {
      if (arg !== undefined) throw new Error(`histogram kernel: "${op}" takes no argument`);
      // eslint-disable-next-line no-restricted-syntax -- an opcode: at most 3 bytes
      out.push(...code);
      continue;
    }
    if (arg === undefined) throw new Error(`histogram kernel: "${op}" needs an argument`);
    if (imm === "local") {
      const i = NAMES.indexOf(arg);
      if (i < 0) throw new Error(`histogram kernel: no local "${arg}"`);
      bytes = uleb(i);
    } else if (imm === "int") bytes = sleb(Number(arg));
    else if (imm === "mem") bytes = [...uleb(Number(arg)), 0];
    else bytes = uleb(Number(arg));
    // eslint-disable-next-line no-restricted-syntax -- an opcode and its immediate: at most 8 bytes
    out.push(...code, ...bytes);
  }
  return out;
}

/** A section: id, byte length, contents. */
function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A vector: count, then the items. */
function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

/** One function's code entry: its locals (six i32, one v128) and body. */
function body(row: string, counts: boolean): number[] {
  const text = KERNEL.replace("ROW", row).replace(/COUNT\{([\s\S]*)\}COUNT/, counts ? "$1" : "");
  const fn = [
    ...vec([
      [6, I32],
      [1, V128],
    ]),
    ...assemble(text),
    0x0b,
  ];
  return [...uleb(fn.length), ...fn];
}

/** The kernel module's bytes (imports `env.memory`, shared, up to 4 GiB; exports `addRows` and `addAll`). */
export function histogramKernelBytes(): Uint8Array {
  const types = section(1, vec([[0x60, ...vec(Array.from({ length: N_PARAMS }, () => [I32])), ...vec([])]]));
  // Memory import limits: flags 3 = shared with a maximum; min 1 page, max 65536 pages.
  const imports = section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x03, ...uleb(1), ...uleb(65536)]]));
  const funcs = section(3, vec([[0], [0], [0]]));
  const exports = section(
    7,
    vec([
      [...name("addRows"), 0x00, 0],
      [...name("addAll"), 0x00, 1],
      [...name("addAllSums"), 0x00, 2],
    ]),
  );
  // addRows: r = i32.load(rows + 4 k); addAll: r = k.
  const rowFromArray = "local.get rows\nlocal.get k\ni32.const 2\ni32.shl\ni32.add\ni32.load 2";
  const code = section(10, vec([body(rowFromArray, true), body("local.get k", true), body("local.get k", false)]));
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  return Uint8Array.from([...header, ...types, ...imports, ...funcs, ...exports, ...code]);
}

/** The parts of the WebAssembly JS API used here (TypeScript's ES2022 lib and @types/node 20 do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => KernelMemory;
}

/** A shared WebAssembly.Memory: its buffer is a SharedArrayBuffer that worker threads can be handed. */
export interface KernelMemory {
  readonly buffer: SharedArrayBuffer;
}

const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Bytes in a WebAssembly page. */
const PAGE = 65536;

let compiled: object | null | undefined;

/** The compiled kernel module, or null where this runtime has no WebAssembly SIMD or shared memory. */
function kernelModule(): object | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = wasm ? new wasm.Module(histogramKernelBytes()) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/**
 * A shared memory of at least `bytes` bytes for the kernel, or null when there is no kernel or the memory
 * cannot be had (more than 4 GiB, or out of memory): the caller then keeps the JS loop. It never grows (a
 * grown memory would detach the typed arrays that view it).
 */
export function kernelMemory(bytes: number): KernelMemory | null {
  if (!wasm || kernelModule() === null) return null;
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  if (pages > 65536) return null;
  try {
    return new wasm.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return null;
  }
}

/** The kernel on `memory` (from {@link kernelMemory}), or null when unavailable. */
export function instantiateKernel(memory: KernelMemory): HistogramKernel | null {
  const m = kernelModule();
  if (m === null || !wasm) return null;
  try {
    return new wasm.Instance(m, { env: { memory } }).exports as HistogramKernel;
  } catch {
    return null;
  }
}
