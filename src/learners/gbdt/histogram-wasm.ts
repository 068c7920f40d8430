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
 * The module is written below in WebAssembly text and assembled when first used (utils/wasm-text.ts; no toolchain,
 * no binary in the repository).
 *
 * Same sums, same bits: rows are added in the same order as the JS loop (row by row; each slot's adds in row
 * order) and `f64x2.add` is two IEEE-754 double additions, so the histogram, and the model, are bit-for-bit
 * those of the JS path, which stays as the fallback (no WebAssembly SIMD) and the reference in the tests.
 *
 * Everything the kernel reads and writes lives in one `WebAssembly.Memory` (shared, so worker threads run
 * the same kernel on the same memory); arguments are byte addresses in it.
 */
import { WasmKernel, wasmMemory, type SharedWasmMemory } from "../../utils/wasm.js";

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

/** One kernel function in WebAssembly text: `row` makes the row number `r`; `counts`: add 1 to each slot's count. */
function kernelFunc(name: string, row: string, counts: boolean): string {
  return `
  (func (export "${name}")
    (param $hist i32) (param $offsets i32) (param $bins i32) (param $stride i32) (param $j0 i32) (param $j1 i32)
    (param $rows i32) (param $k i32) (param $end i32) (param $grad i32) (param $hess i32)
    (local $r i32) (local $p i32) (local $pe i32) (local $o i32) (local $t i32) (local $a i32) (local $gh v128)
    block $done
      loop $row                            ;; for (; k < end; k++)
        local.get $k
        local.get $end
        i32.ge_u
        br_if $done
        ${row}
        local.set $r
        local.get $grad                    ;; gh = (grad[r], hess[r])
        local.get $r
        i32.const 3
        i32.shl
        i32.add
        f64.load
        f64x2.splat
        local.get $hess
        local.get $r
        i32.const 3
        i32.shl
        i32.add
        f64.load
        f64x2.replace_lane 1
        local.set $gh
        local.get $bins                    ;; p = bins + r * stride + j0
        local.get $r
        local.get $stride
        i32.mul
        i32.add
        local.get $j0
        i32.add
        local.set $p
        local.get $p                       ;; pe = p + j1 - j0
        local.get $j1
        i32.add
        local.get $j0
        i32.sub
        local.set $pe
        local.get $offsets                 ;; o = offsets + 4 j0
        local.get $j0
        i32.const 2
        i32.shl
        i32.add
        local.set $o
        loop $feature                      ;; do {
          local.get $o                     ;;   t = *o + *p
          i32.load
          local.get $p
          i32.load8_u
          i32.add
          local.set $t
          local.get $hist                  ;;   a = hist + 32 t; (sum g, sum h) at a += gh
          local.get $t
          i32.const 5
          i32.shl
          i32.add
          local.tee $a
          local.get $a
          v128.load align=8
          local.get $gh
          f64x2.add
          v128.store align=8
          ${counts ? COUNT : ""}
          local.get $o                     ;;   o += 4; p += 1
          i32.const 4
          i32.add
          local.set $o
          local.get $p
          i32.const 1
          i32.add
          local.tee $p
          local.get $pe
          i32.lt_u
          br_if $feature                   ;; } while (p < pe)
        end
        local.get $k
        i32.const 1
        i32.add
        local.set $k
        br $row
      end
    end)`;
}

/** The count update of {@link kernelFunc}: the Int32 16 bytes into the slot. */
const COUNT = `
          local.get $a                     ;;   a += 16; count at a += 1
          i32.const 16
          i32.add
          local.tee $a
          local.get $a
          i32.load
          i32.const 1
          i32.add
          i32.store`;

/**
 * The kernel module in WebAssembly text: imports `env.memory` (shared, up to 4 GiB), exports `addRows` (`r` is
 * `rows[k]`), `addAll` (`r` is `k`) and `addAllSums` (`addAll` without the counts).
 */
export function histogramKernelText(): string {
  const fromRows = "local.get $rows local.get $k i32.const 2 i32.shl i32.add i32.load ;; r = rows[k]";
  return `(module
  (import "env" "memory" (memory 1 65536 shared))${kernelFunc("addRows", fromRows, true)}${kernelFunc(
    "addAll",
    "local.get $k",
    true,
  )}${kernelFunc("addAllSums", "local.get $k", false)})`;
}

const kernel = new WasmKernel<HistogramKernel>(histogramKernelText);

/** A shared WebAssembly.Memory: its buffer is a SharedArrayBuffer that worker threads can be handed. */
export type KernelMemory = SharedWasmMemory;

/**
 * A shared memory of at least `bytes` bytes for the kernel, or null when there is no kernel (no WebAssembly SIMD,
 * or `CHURNKIT_WASM=0`: utils/wasm.ts) or the memory cannot be had (more than 4 GiB, or out of memory): the caller
 * then keeps the JS loop.
 */
export function kernelMemory(bytes: number): KernelMemory | null {
  return kernel.module() === null ? null : wasmMemory(bytes, true);
}

/** The kernel on `memory` (from {@link kernelMemory}), or null when unavailable. */
export function instantiateKernel(memory: KernelMemory): HistogramKernel | null {
  return kernel.instantiate({ env: { memory } });
}
