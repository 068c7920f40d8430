/**
 * The inner loop of the mask forest (mask-forest.ts) as a fixed WebAssembly function, written below in WebAssembly
 * text and assembled when first used (utils/wasm-text.ts; no toolchain, no binary file: the text is the source). It is our code, the same for every model; a model
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

import { WasmKernel, wasmMemory } from "../utils/wasm.js";

/** `x += by` for an i32 local. */
const inc = (x: string, by: number): string => `local.get $${x}\n i32.const ${by}\n i32.add\n local.set $${x}`;

/** The module in WebAssembly text: imports memory `e.m`, exports `score` for masks of `bytes` (4 or 8) per tree. */
export function maskKernelText(bytes: 4 | 8): string {
  const leaves = bytes * 8; // leaf values per tree
  const ctz = bytes === 4 ? "i32.load\n i32.ctz" : "i64.load\n i64.ctz\n i32.wrap_i64";
  return `(module
  (import "e" "m" (memory 1))
  (func (export "score")
    (param $bins i32) (param $n i32) (param $stride i32) (param $out i32) (param $nFeat i32) (param $featAt i32)
    (param $vecs i32) (param $lm i32) (param $values i32) (param $nTrees i32)
    (local $r i32) (local $u i32) (local $k i32) (local $p i32) (local $a i32) (local $t i32) (local $s f64)
    i32.const 0
    local.set $r
    block $rows
      loop $row
        local.get $r
        local.get $n
        i32.ge_u
        br_if $rows
        ;; lm = all ones
        local.get $lm
        local.set $a
        i32.const 0
        local.set $k
        loop $ones
          local.get $a
          v128.const i32x4 -1 -1 -1 -1
          v128.store
          ${inc("a", 16)}
          ${inc("k", 1)}
          local.get $k
          local.get $vecs
          i32.lt_u
          br_if $ones
        end
        ;; for each feature: lm &= its table's row for this row's bin
        i32.const 0
        local.set $u
        block $features
          loop $feature
            local.get $u
            local.get $nFeat
            i32.ge_u
            br_if $features
            ;; p = i32[featAt + 4u] + u8[bins + u·stride + r] · vecs · 16
            local.get $featAt
            local.get $u
            i32.const 2
            i32.shl
            i32.add
            i32.load
            local.get $bins
            local.get $u
            local.get $stride
            i32.mul
            i32.add
            local.get $r
            i32.add
            i32.load8_u
            local.get $vecs
            i32.mul
            i32.const 4
            i32.shl
            i32.add
            local.set $p
            local.get $lm
            local.set $a
            i32.const 0
            local.set $k
            loop $and
              local.get $a
              local.get $a
              v128.load
              local.get $p
              v128.load
              v128.and
              v128.store
              ${inc("a", 16)}
              ${inc("p", 16)}
              ${inc("k", 1)}
              local.get $k
              local.get $vecs
              i32.lt_u
              br_if $and
            end
            ${inc("u", 1)}
            br $feature
          end
        end
        ;; s = out[r]; s += values[t·leaves + ctz(mask t)] for each tree in order; out[r] = s
        local.get $out
        local.get $r
        i32.const 3
        i32.shl
        i32.add
        local.tee $a
        f64.load
        local.set $s
        i32.const 0
        local.set $t
        local.get $values
        local.set $p
        local.get $lm
        local.set $k
        loop $tree
          local.get $s
          local.get $p
          local.get $k
          ${ctz}
          i32.const 3
          i32.shl
          i32.add
          f64.load
          f64.add
          local.set $s
          ${inc("p", leaves * 8)}
          ${inc("k", bytes)}
          ${inc("t", 1)}
          local.get $t
          local.get $nTrees
          i32.lt_u
          br_if $tree
        end
        local.get $a
        local.get $s
        f64.store
        ${inc("r", 1)}
        br $row
      end
    end))`;
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

/** The kernel for masks of 4 and of 8 bytes per tree. */
const kernels = {
  4: new WasmKernel<{ score: ScoreKernel }>(() => maskKernelText(4)),
  8: new WasmKernel<{ score: ScoreKernel }>(() => maskKernelText(8)),
};

/**
 * An instance of the kernel over a memory of its own of at least `size` bytes, or null where the kernels are off
 * or cannot run (`CHURNKIT_WASM=0`, no WebAssembly SIMD, no memory: utils/wasm.ts): the JavaScript layouts score
 * instead.
 */
export function kernelInstance(bytes: 4 | 8, size: number): { score: ScoreKernel; buffer: ArrayBuffer } | null {
  const kernel = kernels[bytes];
  if (kernel.module() === null) return null;
  const memory = wasmMemory(size, false);
  const inst = memory && kernel.instantiate({ e: { m: memory } });
  return inst ? { score: inst.score, buffer: memory.buffer } : null;
}
