/**
 * Log-loss gradients in WebAssembly text (a function of the fit's kernel module: histogram-wasm.ts), the same bits
 * as loss.ts's JS loop: `Math.exp` is V8's port of fdlibm's `exp` (src/base/ieee754.cc, the FreeBSD msun
 * algorithm), whose steps are IEEE-754 double operations, so written out here in the same order they give the
 * same bits (tests/models/gbdt-loss-kernel.test.ts compares it with `Math.exp` on random and edge values). In the
 * JS loop each `Math.exp` is a call out of the optimised code (~12 ns per row, ~10% of a 1M-row fit).
 */

/** fdlibm's constants, by name (their decimal forms are exact: String(x) reads back as x). */
const C = {
  halfLn2: 0x3fd62e42, // high word of 0.5 ln 2
  threeHalvesLn2: 0x3ff0a2b2, // high word of 1.5 ln 2
  tiny: 0x3e300000, // high word of 2^-28
  big: 0x40862e42, // high word of 709.78...
  oThreshold: 7.09782712893383973096e2,
  uThreshold: -7.4513321910194110842e2,
  ln2Hi: 6.9314718036912381649e-1,
  ln2Lo: 1.90821492927058770002e-10,
  invLn2: 1.4426950408889634,
  P1: 1.66666666666666019037e-1,
  P2: -2.77777777770155933842e-3,
  P3: 6.61375632143793436117e-5,
  P4: -1.6533902205465251539e-6,
  P5: 4.13813679705723846039e-8,
  E: 2.718281828459045,
  twoM1000: 2 ** -1000,
  two1023: 2 ** 1023,
};

/** `f64.const` of `x` (String(x) round-trips exactly). */
const f64 = (x: number) => `f64.const ${String(x)}`;

/**
 * `$e = exp($x)` as V8 computes it (fdlibm), with locals `$x $e $hi $lo $t $c $y $q` (f64) and `$hx $xsb $k $one`
 * (i32); `$x` is overwritten. fdlibm's branches are turned into selects where both sides give its bits, so that a
 * row costs no mispredicted branch (raw scores fall on both sides of its thresholds at random):
 * - |x| in (0.5 ln 2, 1.5 ln 2) takes k = +-1, hi = x -+ ln2Hi, lo = +-ln2Lo; the general reduction gives exactly
 *   these there (k = (int)(x / ln 2 +- 1/2) is +-1 on the whole range of that test's high word; t = +-1 is exact),
 *   except for exp(1), which V8 answers with E.
 * - |x| <= 0.5 ln 2 (by the high word) takes k = 0 and no reduction; with k = 0 the reduction is exact (hi = x,
 *   lo = 0), and |x| < 2^-28's 1 + x is then the k = 0 formula's answer too? No: it is selected apart.
 * - the k = 0 formula's (x c) / (c - 2) is exactly -((x c) / (2 - c)) (rounding is symmetric), so one division
 *   serves both formulas.
 * Only |x| >= 709.78 (not finite, overflow, underflow, or k = 1024) is a branch, never taken by a fit's scores.
 */
export function expText(): string {
  return `
    block $exp
      local.get $x                           ;; hx = high word of |x|, xsb = sign
      i64.reinterpret_f64
      i32.const 32
      i64.extend_i32_u
      i64.shr_u
      i32.wrap_i64
      local.tee $hx
      i32.const 31
      i32.shr_u
      local.set $xsb
      local.get $hx
      i32.const 0x7fffffff
      i32.and
      local.tee $hx
      i32.const ${C.big}
      i32.ge_u
      if                                     ;; |x| >= 709.78: not finite, overflow or underflow
        local.get $hx
        i32.const 0x7ff00000
        i32.ge_u
        if                                   ;; NaN: x + x; +inf: x (= x + x); -inf: 0
          ${f64(0)}
          local.get $x
          local.get $x
          f64.add
          local.get $xsb
          local.get $x
          local.get $x
          f64.eq
          i32.and
          select
          local.set $e
          br $exp
        end
        ${f64(Infinity)}
        local.set $e
        local.get $x
        ${f64(C.oThreshold)}
        f64.gt
        br_if $exp
        ${f64(0)}
        local.set $e
        local.get $x
        ${f64(C.uThreshold)}
        f64.lt
        br_if $exp
      end
      local.get $x                           ;; one = x == 1 (V8 answers E)
      ${f64(1)}
      f64.eq
      local.set $one
      ${f64(C.invLn2)}                       ;; k = |x| > 0.5 ln 2 ? (int)(invLn2 x + (xsb ? -0.5 : 0.5)) : 0
      local.get $x
      f64.mul
      ${f64(-0.5)}
      ${f64(0.5)}
      local.get $xsb
      select
      f64.add
      i32.trunc_f64_s
      i32.const 0
      local.get $hx
      i32.const ${C.halfLn2}
      i32.gt_u
      select
      local.tee $k
      f64.convert_i32_s                      ;; t = k; hi = x - t ln2Hi; lo = t ln2Lo; x = hi - lo
      local.tee $t
      ${f64(C.ln2Hi)}
      f64.mul
      local.set $hi
      local.get $x
      local.get $hi
      f64.sub
      local.set $hi
      local.get $t
      ${f64(C.ln2Lo)}
      f64.mul
      local.set $lo
      local.get $hi
      local.get $lo
      f64.sub
      local.set $x
      local.get $x                           ;; t = x x; c = x - t (P1 + t (P2 + t (P3 + t (P4 + t P5))))
      local.get $x
      f64.mul
      local.set $t
      local.get $x
      local.get $t
      local.get $t
      local.get $t
      local.get $t
      local.get $t
      ${f64(C.P5)}
      f64.mul
      ${f64(C.P4)}
      f64.add
      f64.mul
      ${f64(C.P3)}
      f64.add
      f64.mul
      ${f64(C.P2)}
      f64.add
      f64.mul
      ${f64(C.P1)}
      f64.add
      f64.mul
      f64.sub
      local.set $c
      local.get $x                           ;; q = (x c) / (2 - c)
      local.get $c
      f64.mul
      ${f64(2)}
      local.get $c
      f64.sub
      f64.div
      local.set $q
      ${f64(1)}                              ;; y = 1 - ((lo - q) - hi)
      local.get $lo
      local.get $q
      f64.sub
      local.get $hi
      f64.sub
      f64.sub
      local.set $y
      local.get $y                           ;; e = y 2^k, as 2^(k + 1000) 2^-1000 below k = -1021
      local.get $k
      local.get $k
      i32.const 1000
      i32.add
      local.get $k
      i32.const -1021
      i32.ge_s
      local.tee $xsb                         ;; (xsb is free again: the flag k >= -1021)
      select
      i32.const 20
      i32.shl
      i32.const 0x3ff00000
      i32.add
      i64.extend_i32_u
      i32.const 32
      i64.extend_i32_u
      i64.shl
      f64.reinterpret_i64
      f64.mul
      local.tee $e
      local.get $e
      ${f64(C.twoM1000)}
      f64.mul
      local.get $xsb
      select
      local.set $e
      local.get $y                           ;; k = 1024 (x just below 709.78): y 2 2^1023
      ${f64(2)}
      f64.mul
      ${f64(C.two1023)}
      f64.mul
      local.get $e
      local.get $k
      i32.const 1024
      i32.eq
      select
      local.set $e
      ${f64(1)}                              ;; k = 0: 1 - ((x c) / (c - 2) - x) = 1 - (-q - x)
      local.get $q
      f64.neg
      local.get $x
      f64.sub
      f64.sub
      local.get $e
      local.get $k
      i32.eqz
      select
      local.set $e
      ${f64(1)}                              ;; |x| < 2^-28 (so k = 0 and x unreduced): 1 + x
      local.get $x
      f64.add
      local.get $e
      local.get $hx
      i32.const ${C.tiny}
      i32.lt_u
      select
      local.set $e
      ${f64(C.E)}                            ;; exp(1) = E
      local.get $e
      local.get $one
      select
      local.set $e
    end`;
}

/**
 * `logLoss(raw, y, grad, hess, from, to)` (byte addresses in the memory): for rows `from..to`, p = sigmoid(raw)
 * as loss.ts computes it (exp of −|raw|), grad = p − y, hess = p (1 − p).
 */
export function logLossFuncText(): string {
  return `
  (func (export "logLoss")
    (param $raw i32) (param $lab i32) (param $grad i32) (param $hess i32) (param $i i32) (param $end i32)
    (local $z f64) (local $x f64) (local $e f64) (local $hi f64) (local $lo f64) (local $t f64) (local $c f64)
    (local $y f64) (local $q f64) (local $p f64) (local $hx i32) (local $xsb i32) (local $k i32) (local $one i32)
    (local $pos i32)
    block $done
      loop $row                              ;; for (; i < end; i++)
        local.get $i
        local.get $end
        i32.ge_u
        br_if $done
        local.get $raw                       ;; z = raw[i]; pos = z >= 0; x = pos ? -z : z
        local.get $i
        i32.const 3
        i32.shl
        i32.add
        f64.load
        local.tee $z
        f64.neg
        local.get $z
        local.get $z
        ${f64(0)}
        f64.ge
        local.tee $pos
        select
        local.set $x${expText()}
        ${f64(1)}                            ;; p = (pos ? 1 : e) / (1 + e)
        local.get $e
        local.get $pos
        select
        ${f64(1)}
        local.get $e
        f64.add
        f64.div
        local.set $p
        local.get $grad                      ;; grad[i] = p - y[i]
        local.get $i
        i32.const 3
        i32.shl
        local.tee $hx
        i32.add
        local.get $p
        local.get $lab
        local.get $i
        i32.add
        i32.load8_u
        f64.convert_i32_u
        f64.sub
        f64.store
        local.get $hess                      ;; hess[i] = p (1 - p)
        local.get $hx
        i32.add
        local.get $p
        ${f64(1)}
        local.get $p
        f64.sub
        f64.mul
        f64.store
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br $row
      end
    end)`;
}

/** `exp(x)` alone, exported for the tests. */
export function expFuncText(): string {
  return `
  (func (export "exp") (param $x f64) (result f64)
    (local $e f64) (local $hi f64) (local $lo f64) (local $t f64) (local $c f64) (local $y f64) (local $q f64)
    (local $hx i32) (local $xsb i32) (local $k i32) (local $one i32)${expText()}
    local.get $e)`;
}
