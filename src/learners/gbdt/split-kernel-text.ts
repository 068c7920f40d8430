/**
 * The WebAssembly text of split finding's numeric scan (split-kernel.ts says how it is used): the two scans of
 * splitting.ts's `scanNumeric` over one feature's bins, missing values right then (if the node has any) left, with
 * the same operations in the same order, so the same gains, the same comparisons and the same chosen split.
 *
 * `scan(hist, cnt, off, nb, G, H, N, P, l2, msl, mcw, best, out)`: `hist` and `cnt` are byte addresses of a
 * histogram's sums (Float64 pairs, slot `t` at `hist + 16 t`) and counts (Int32, at `cnt + 4 t`); `off`, `nb`: the
 * feature's first slot and value bins (its missing bin is slot `off + nb`); `G`, `H`, `N`: the node's sums; `P`:
 * G² / (H + λ); `l2`, `msl`, `mcw`: λ, min_samples_leaf, min_child_weight; `best`: the gain to beat. Returns 1 when
 * a split of this feature beats it, and then writes (gain, bin, gl, hl, nl, missingLeft) as Float64 at `out`.
 */

/** `gain = a² / (ha + λ + 1e-15) + b² / (hb + λ + 1e-15) - P` (splitting.ts, splitGain), left on the stack. */
function gainText(a: string, ha: string, b: string, hb: string): string {
  return `
          ${a}
          ${a}
          f64.mul
          ${ha}
          local.get $l2
          f64.add
          f64.const 1e-15
          f64.add
          f64.div
          ${b}
          ${b}
          f64.mul
          ${hb}
          local.get $l2
          f64.add
          f64.const 1e-15
          f64.add
          f64.div
          f64.add
          local.get $P
          f64.sub`;
}

/** Both scans of one feature (see the file's comment). */
export function splitKernelText(): string {
  return `(module
  (import "env" "memory" (memory 1))
  (func (export "scan") (param $hist i32) (param $cnt i32) (param $off i32) (param $nb i32) (param $G f64)
    (param $H f64) (param $N i32) (param $P f64) (param $l2 f64) (param $msl i32) (param $mcw f64) (param $best f64)
    (param $out i32) (result i32)
    (local $b i32) (local $last i32) (local $ph i32) (local $pc i32) (local $nmiss i32) (local $n i32) (local $m i32)
    (local $found i32) (local $fb i32) (local $fn i32) (local $fml i32)
    (local $gl f64) (local $hl f64) (local $gr f64) (local $hr f64) (local $gain f64) (local $fg f64) (local $fh f64)
    local.get $cnt                         ;; nmiss = cnt[off + nb]
    local.get $off
    local.get $nb
    i32.add
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $nmiss
    local.get $nb                          ;; last = nmiss > 0 ? nb - 1 : nb - 2
    i32.const 2
    i32.sub
    i32.const 0
    local.get $nmiss
    i32.lt_s
    i32.add
    local.set $last
    local.get $hist                        ;; ph, pc: slot off
    local.get $off
    i32.const 4
    i32.shl
    i32.add
    local.set $ph
    local.get $cnt
    local.get $off
    i32.const 2
    i32.shl
    i32.add
    local.set $pc
    block $done                            ;; missing right: left = bins 0..b
      loop $next
        local.get $last
        local.get $b
        i32.lt_s
        br_if $done
        local.get $gl                      ;; gl += g, hl += h, n += count (n: rows left)
        local.get $ph
        f64.load
        f64.add
        local.set $gl
        local.get $hl
        local.get $ph
        f64.load offset=8
        f64.add
        local.set $hl
        local.get $n
        local.get $pc
        i32.load
        i32.add
        local.set $n
        block $skip
          local.get $n                     ;; left too small: next bin
          local.get $msl
          i32.lt_s
          local.get $hl
          local.get $mcw
          f64.lt
          i32.or
          br_if $skip
          local.get $N                     ;; right too small (m = rows right): done
          local.get $n
          i32.sub
          local.tee $m
          local.get $msl
          i32.lt_s
          local.get $H
          local.get $hl
          f64.sub
          local.tee $hr
          local.get $mcw
          f64.lt
          i32.or
          br_if $done
          local.get $G
          local.get $gl
          f64.sub
          local.set $gr
          ${gainText("local.get $gl", "local.get $hl", "local.get $gr", "local.get $hr")}
          local.tee $gain
          local.get $best
          f64.gt
          i32.eqz
          br_if $skip
          local.get $gain                  ;; a better split: keep it
          local.set $best
          local.get $b
          local.set $fb
          local.get $gl
          local.set $fg
          local.get $hl
          local.set $fh
          local.get $n
          local.set $fn
          local.get $nmiss                 ;; no missing at the node: missing values follow the bigger child
          i32.eqz
          local.get $n
          local.get $m
          i32.ge_s
          i32.and
          local.set $fml
          i32.const 1
          local.set $found
        end
        local.get $ph
        i32.const 16
        i32.add
        local.set $ph
        local.get $pc
        i32.const 4
        i32.add
        local.set $pc
        local.get $b
        i32.const 1
        i32.add
        local.set $b
        br $next
      end
    end
    i32.const 0
    local.get $nmiss
    i32.lt_s
    if                                     ;; missing left: right = bins b+1..nb-1, from the top
      f64.const 0
      local.set $gr
      f64.const 0
      local.set $hr
      i32.const 0
      local.set $m
      local.get $hist                      ;; ph, pc: slot off + nb - 1
      local.get $off
      local.get $nb
      i32.add
      i32.const 1
      i32.sub
      local.tee $b
      i32.const 4
      i32.shl
      i32.add
      local.set $ph
      local.get $cnt
      local.get $b
      i32.const 2
      i32.shl
      i32.add
      local.set $pc
      local.get $nb
      i32.const 2
      i32.sub
      local.set $b
      block $done2
        loop $next2
          local.get $b
          i32.const 0
          i32.lt_s
          br_if $done2
          local.get $gr
          local.get $ph
          f64.load
          f64.add
          local.set $gr
          local.get $hr
          local.get $ph
          f64.load offset=8
          f64.add
          local.set $hr
          local.get $m
          local.get $pc
          i32.load
          i32.add
          local.set $m
          block $skip2
            local.get $m
            local.get $msl
            i32.lt_s
            local.get $hr
            local.get $mcw
            f64.lt
            i32.or
            br_if $skip2
            local.get $N
            local.get $m
            i32.sub
            local.tee $n
            local.get $msl
            i32.lt_s
            local.get $H
            local.get $hr
            f64.sub
            local.tee $hl
            local.get $mcw
            f64.lt
            i32.or
            br_if $done2
            local.get $G
            local.get $gr
            f64.sub
            local.set $gl
            ${gainText("local.get $gl", "local.get $hl", "local.get $gr", "local.get $hr")}
            local.tee $gain
            local.get $best
            f64.gt
            i32.eqz
            br_if $skip2
            local.get $gain
            local.set $best
            local.get $b
            local.set $fb
            local.get $gl
            local.set $fg
            local.get $hl
            local.set $fh
            local.get $n
            local.set $fn
            i32.const 1
            local.set $fml
            i32.const 1
            local.set $found
          end
          local.get $ph
          i32.const 16
          i32.sub
          local.set $ph
          local.get $pc
          i32.const 4
          i32.sub
          local.set $pc
          local.get $b
          i32.const 1
          i32.sub
          local.set $b
          br $next2
        end
      end
    end
    local.get $found
    if
      local.get $out
      local.get $best
      f64.store
      local.get $out
      local.get $fb
      f64.convert_i32_s
      f64.store offset=8
      local.get $out
      local.get $fg
      f64.store offset=16
      local.get $out
      local.get $fh
      f64.store offset=24
      local.get $out
      local.get $fn
      f64.convert_i32_s
      f64.store offset=32
      local.get $out
      local.get $fml
      f64.convert_i32_s
      f64.store offset=40
    end
    local.get $found
  )
  ${subText("sub", "f64", 8)}
  ${subText("subCounts", "i32", 4)})`;
}

/**
 * `name(parent, child, out, n)`: `out[i] = parent[i] - child[i]` for `n` values of type `t` (`size` bytes) at those
 * byte addresses, in index order (`out` may be `parent`): histogram.ts's subtraction, the same operations.
 */
function subText(name: string, t: string, size: number): string {
  return `(func (export "${name}") (param $p i32) (param $c i32) (param $o i32) (param $n i32)
    (local $end i32)
    local.get $p
    local.get $n
    i32.const ${size}
    i32.mul
    i32.add
    local.set $end
    block $done
      loop $next
        local.get $p
        local.get $end
        i32.ge_u
        br_if $done
        local.get $o
        local.get $p
        ${t}.load
        local.get $c
        ${t}.load
        ${t}.sub
        ${t}.store
        local.get $p
        i32.const ${size}
        i32.add
        local.set $p
        local.get $c
        i32.const ${size}
        i32.add
        local.set $c
        local.get $o
        i32.const ${size}
        i32.add
        local.set $o
        br $next
      end
    end
  )`;
}
