/**
 * The WebAssembly text of the gbdt histogram kernel (histogram-wasm.ts says what it computes and how it is used):
 * the row loops, the touch of a chunk of rows ahead, and the per-row updates, either as a loop over the features
 * (reading their offsets) or unrolled for one layout's offsets. Every variant adds each slot's rows in row order,
 * the JS loop's order (histogram-loops.ts), so all give the same bits.
 */
import { logLossFuncText } from "./loss-kernel-text.js";

/**
 * Rows of a node whose cache lines are touched one chunk ahead of the histogram updates (see {@link touchText}).
 * 64 to 256 measured alike (bench/gbdt-histogram-micro.mjs, replayed node builds).
 */
const TOUCH_ROWS = 128;

/**
 * Touch rows `rows[te..min(end, te + TOUCH_ROWS))` (and move `te` there): load a word of each row's gradient and
 * hessian and its first and last active bins, into `acc`. A node's rows are scattered over the table, and in the
 * update loop a row's ~30 updates fill the processor's window, so each row's cache misses came one after another
 * (~4 ns per update on a 1M x 30 fit against ~1.2 on consecutive rows); this short loop has the misses of many
 * rows in flight at once, and the update loop then finds the lines in cache (~1.9 ns). Only timing: `acc` is
 * stored where nothing reads it (slot 0's padding), so that the loads are not dropped as dead.
 */
function touchText(): string {
  return `
    local.get $te                          ;; i = te; te = min(end, te + TOUCH_ROWS)
    local.set $i
    local.get $te
    i32.const ${TOUCH_ROWS}
    i32.add
    local.tee $te
    local.get $end
    i32.gt_u
    if
      local.get $end
      local.set $te
    end
    block $touched
      loop $touch                          ;; for (; i < te; i++)
        local.get $i
        local.get $te
        i32.ge_u
        br_if $touched
        local.get $rows                    ;;   r = rows[i]
        local.get $i
        i32.const 2
        i32.shl
        i32.add
        i32.load
        local.tee $r
        i32.const 3
        i32.shl
        local.tee $t
        local.get $grad                    ;;   acc += grad[r], hess[r] (a word of each)
        i32.add
        i32.load
        local.get $t
        local.get $hess
        i32.add
        i32.load
        i32.add
        local.get $bins                    ;;   acc += bins[r * stride + j0], bins[r * stride + j1 - 1]
        local.get $r
        local.get $stride
        i32.mul
        i32.add
        local.get $j0
        i32.add
        local.tee $p
        i32.load8_u
        i32.add
        local.get $p
        local.get $j1
        i32.add
        local.get $j0
        i32.sub
        i32.const 1
        i32.sub
        i32.load8_u
        i32.add
        local.get $acc
        i32.add
        local.set $acc
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br $touch
      end
    end`;
}

/** `gh = (grad[r], hess[r])` for the row `r` on the stack. */
const PAIR = `
        local.tee $r
        i32.const 3
        i32.shl
        local.tee $t
        local.get $grad
        i32.add
        f64.load
        f64x2.splat
        local.get $t
        local.get $hess
        i32.add
        f64.load
        f64x2.replace_lane 1
        local.set $gh`;

/** Row `r`'s updates of features `j0..j1)`: a loop over the features, their offsets read from `offsets`. */
function featureLoop(counts: boolean): string {
  return `
        local.get $bins                    ;; p = bins + r * stride + j0
        local.get $r
        local.get $stride
        i32.mul
        i32.add
        local.get $j0
        i32.add
        local.tee $p
        local.get $j1                      ;; pe = p + j1 - j0
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
          local.get $o                     ;;   a = hist + 32 (*o + *p)
          i32.load
          local.get $p
          i32.load8_u
          i32.add
          i32.const 5
          i32.shl
          local.get $hist
          i32.add
          local.tee $a
          local.get $a                     ;;   (sum g, sum h) at a += gh
          v128.load align=8
          local.get $gh
          f64x2.add
          v128.store align=8${counts ? countText(0) : ""}
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
        end`;
}

/**
 * Row `r`'s updates of all features, unrolled, each feature's offset a constant in the instructions' address
 * immediates: no offsets load and no loop counter per update (measured ~15-20% less time per update).
 */
function unrolledFeatures(offsets: ArrayLike<number>, counts: boolean): string {
  let out = `
        local.get $bins                    ;; p = bins + r * stride
        local.get $r
        local.get $stride
        i32.mul
        i32.add
        local.set $p`;
  for (let j = 0; j < offsets.length; j++) {
    const at = 32 * offsets[j]!;
    out += `
        local.get $p                       ;; feature ${j}: a = hist + 32 bins[p + ${j}], slot at a + ${at}
        i32.load8_u offset=${j}
        i32.const 5
        i32.shl
        local.get $hist
        i32.add
        local.tee $a
        local.get $a
        v128.load offset=${at} align=8
        local.get $gh
        f64x2.add
        v128.store offset=${at} align=8${counts ? countText(at) : ""}`;
  }
  return out;
}

/** The count update: the Int32 16 bytes into the slot at `a + at`. */
function countText(at: number): string {
  return `
          local.get $a                     ;;   count at a + ${at} + 16 += 1
          local.get $a
          i32.load offset=${at + 16}
          i32.const 1
          i32.add
          i32.store offset=${at + 16}`;
}

/** How a kernel function finds its rows: `rows[k]`, with or without touching them ahead, or `k` itself. */
type Rows = "touched" | "listed" | "all";

/**
 * The row loop over `k..end` with `features` as each row's updates. `touched`: the row numbers are `rows[k]`, and
 * their lines are touched a chunk ahead ({@link touchText}); `listed`: `rows[k]` without (rows close together: the
 * hardware prefetches them); `all`: `r` is `k`.
 */
function rowLoop(how: Rows, features: string): string {
  const fromRows = how !== "all";
  const row = `
        local.get $k                       ;; r = ${fromRows ? "rows[k]" : "k"}${
          fromRows
            ? `
        i32.const 2
        i32.shl
        local.get $rows
        i32.add
        i32.load`
            : ""
        }${PAIR}${features}
        local.get $k
        i32.const 1
        i32.add
        local.set $k
        br $row
      end
    end`;
  if (how !== "touched")
    return `
    block $done
      loop $row                            ;; for (; k < end; k++)
        local.get $k
        local.get $end
        i32.ge_u
        br_if $done${row}`;
  return `
    local.get $k                           ;; touch the first chunk
    local.set $te${touchText()}
    block $done
      loop $chunk                          ;; for each chunk k..ce: touch the next, then update
        local.get $k
        local.get $end
        i32.ge_u
        br_if $done
        local.get $te
        local.set $ce${touchText()}
        block $chunkDone
          loop $row
            local.get $k
            local.get $ce
            i32.ge_u
            br_if $chunkDone${row}
        br $chunk
      end
    end
    local.get $hist                        ;; keep the touches (slot 0's padding: read by no one)
    local.get $acc
    i32.store offset=24`;
}

/**
 * One kernel function in WebAssembly text: `how` it finds its rows ({@link rowLoop}); `counts`: add 1 to each
 * slot's count. With `offsets`, a call over all of them (j0 = 0, j1 = their number) takes the unrolled updates
 * ({@link unrolledFeatures}), any other the feature loop.
 */
function kernelFunc(name: string, how: Rows, counts: boolean, offsets: ArrayLike<number> | null): string {
  const unrolled = offsets
    ? `
    local.get $j0                          ;; all features: the unrolled updates
    i32.eqz
    local.get $j1
    i32.const ${offsets.length}
    i32.eq
    i32.and
    if${rowLoop(how, unrolledFeatures(offsets, counts))}
      return
    end`
    : "";
  return `
  (func (export "${name}")
    (param $hist i32) (param $offsets i32) (param $bins i32) (param $stride i32) (param $j0 i32) (param $j1 i32)
    (param $rows i32) (param $k i32) (param $end i32) (param $grad i32) (param $hess i32)
    (local $r i32) (local $p i32) (local $pe i32) (local $o i32) (local $t i32) (local $a i32) (local $gh v128)
    (local $i i32) (local $te i32) (local $ce i32) (local $acc i32)${unrolled}${rowLoop(how, featureLoop(counts))})`;
}

/**
 * The kernel module in WebAssembly text: imports `env.memory` (shared, up to 4 GiB), exports `addRows` (`r` is
 * `rows[k]`), `addNearRows` (the same without the touch ahead), `addAll` (`r` is `k`) and `addAllSums` (`addAll` without the counts), and `logLoss` (loss-kernel-text.ts). `offsets` (a layout's; histogram-wasm.ts
 * decides when): calls over all features are unrolled with these offsets; null: the feature loop only.
 */
export function histogramKernelText(offsets: ArrayLike<number> | null = null): string {
  const funcs = [
    kernelFunc("addRows", "touched", true, offsets),
    kernelFunc("addNearRows", "listed", true, offsets),
    kernelFunc("addAll", "all", true, offsets),
    kernelFunc("addAllSums", "all", false, offsets),
    logLossFuncText(),
  ];
  return `(module
  (import "env" "memory" (memory 1 65536 shared))${funcs.join("")})`;
}
