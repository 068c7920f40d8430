import { afterEach, describe, expect, it } from "vitest";
import { sleb, uleb, wasmFromText } from "../../src/utils/wasm-text.js";
import { WasmKernel, wasmAvailable, wasmEnabled, wasmMemory } from "../../src/utils/wasm.js";

/** Decoders written from the LEB128 definition, to check the encoders against. */
function readUleb(b: number[]): number {
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v += (b[i]! & 0x7f) * 2 ** (7 * i);
    expect((b[i]! & 0x80) !== 0).toBe(i < b.length - 1);
  }
  return v;
}
function readSleb(b: number[]): number {
  const u = readUleb(b);
  const bits = 7 * b.length;
  return (b[b.length - 1]! & 0x40) !== 0 ? u - 2 ** bits : u;
}

type Exports = Record<string, (...a: number[]) => number>;
const { Module, Instance } = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (b: Uint8Array) => object;
      Instance: new (m: object, i: object) => { exports: Exports };
    };
  }
).WebAssembly;

/** The exports of the module in `text`, instantiated over `imports`. */
function run(text: string, imports: object = {}): Exports {
  return new Instance(new Module(wasmFromText(text)), imports).exports;
}

describe("WebAssembly text assembler", () => {
  it("encodes LEB128 at the edges of each byte length and of 32 bits", () => {
    expect(uleb(0)).toEqual([0x00]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(16383)).toEqual([0xff, 0x7f]);
    expect(uleb(16384)).toEqual([0x80, 0x80, 0x01]);
    expect(uleb(65536)).toEqual([0x80, 0x80, 0x04]);
    expect(uleb(2 ** 31)).toEqual([0x80, 0x80, 0x80, 0x80, 0x08]);
    expect(uleb(2 ** 32 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(sleb(0)).toEqual([0x00]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-64)).toEqual([0x40]);
    expect(sleb(-65)).toEqual([0xbf, 0x7f]);
    expect(sleb(2 ** 31 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x07]);
    expect(sleb(-(2 ** 31))).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
    for (const bad of [-1, 2 ** 32, 0.5, NaN]) expect(() => uleb(bad)).toThrow(/unsigned 32-bit/);
    for (const bad of [2 ** 31, -(2 ** 31) - 1, 1.5]) expect(() => sleb(bad)).toThrow(/signed 32-bit/);
    // Every power of two and its neighbours round-trip through the decoders, in the fewest bytes.
    for (let e = 0; e <= 32; e++)
      for (const d of [-1, 0, 1]) {
        const u = 2 ** e + d;
        if (u >= 0 && u < 2 ** 32) {
          expect(readUleb(uleb(u))).toBe(u);
          expect(uleb(u).length).toBe(Math.max(1, Math.ceil(Math.log2(u + 1) / 7)));
        }
        for (const s of [u, u === 0 ? 0 : -u]) if (s >= -(2 ** 31) && s < 2 ** 31) expect(readSleb(sleb(s))).toBe(s);
      }
  });

  it("assembles a module that computes known results: loops, branches, if and return, i64, memory and SIMD", () => {
    const memory = wasmMemory(65536, false)!;
    const m = run(
      `(module
        (import "env" "memory" (memory 1))
        (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32)
          block $done
            loop $next              ;; s += i for i = 1..n
              local.get $i
              local.get $n
              i32.ge_u
              br_if $done
              local.get $i
              i32.const 1
              i32.add
              local.tee $i
              local.get $s
              i32.add
              local.set $s
              br 0                  ;; by depth, the same as $next
            end
          end
          local.get $s)
        (func (export "clamp") (param $x i32) (param $lo i32) (param $hi i32) (result i32)
          local.get $x              ;; if (x == lo & hi > x) return -1; return min(x, hi) (unsigned)
          local.get $lo
          i32.eq
          local.get $hi
          local.get $x
          i32.gt_u
          i32.and
          if
            i32.const -1
            return
          end
          local.get $x
          local.get $hi
          i32.gt_u
          i32.eqz
          if
            local.get $x
            return
          end
          local.get $hi)
        (func (export "ctz64") (param i32) (result i32)
          local.get 0
          i64.load
          i64.ctz
          i32.wrap_i64)
        (func (export "pairs") (param $a i32) (param $b i32)
          (; (a[0], a[1]) = (a[0] + b[0], a[1] + b[1]) and the bits of a[2..4) &= all ones ;)
          local.get $a
          local.get $a
          v128.load
          local.get $b
          f64.load
          f64x2.splat
          local.get $b
          f64.load offset=8
          f64x2.replace_lane 1
          f64x2.add
          v128.store align=8
          local.get $a
          local.get $a
          v128.load offset=16
          v128.const i32x4 -1 0xffffffff -1 -1
          v128.and
          v128.store offset=16))`,
      { env: { memory } },
    );
    expect(m.sum!(100)).toBe(5050);
    expect(m.sum!(0)).toBe(0);
    expect(m.clamp!(3, 3, 10)).toBe(-1);
    expect(m.clamp!(3, 2, 10)).toBe(3);
    expect(m.clamp!(12, 2, 10)).toBe(10);
    expect(m.clamp!(10, 10, 10)).toBe(10);
    const f = new Float64Array(memory.buffer);
    const u32 = new Uint32Array(memory.buffer);
    u32[0] = 0;
    u32[1] = 1 << 7; // bit 39 of the i64 at 0
    expect(m.ctz64!(0)).toBe(39);
    f.set([0.1, -2.5, 1e300, -0], 8);
    f.set([0.2, 2.5], 16);
    m.pairs!(64, 128);
    expect(Array.from(f.subarray(8, 12))).toEqual([0.1 + 0.2, 0, 1e300, -0]);
    expect(Object.is(f[11], -0)).toBe(true);
  });

  it("rejects what it does not know, naming the line, rather than emit wrong bytes", () => {
    const fn = (body: string, decl = "(param $x i32)") => `(module\n  (func ${decl}\n${body}))`;
    expect(() => wasmFromText(fn("local.get $x\nf64.sqrt"))).toThrow(/line 4: unknown instruction "f64.sqrt"/);
    expect(() => wasmFromText(fn("local.get $y"))).toThrow(/line 3: no local \$y/);
    expect(() => wasmFromText(fn("local.get"))).toThrow(/"local.get" needs a local/);
    expect(() => wasmFromText(fn("i32.add 3"))).toThrow(/"i32.add" does not take "3"/);
    expect(() => wasmFromText(fn("i32.const 4294967296"))).toThrow(/does not fit in i32/);
    expect(() => wasmFromText(fn("block\nbr $out\nend"))).toThrow(/no enclosing label \$out/);
    expect(() => wasmFromText(fn("loop"))).toThrow(/without "end"/);
    expect(() => wasmFromText(fn("end"))).toThrow(/"end" without a block/);
    expect(() => wasmFromText(fn("(i32.add (i32.const 1) (i32.const 2))"))).toThrow(/folded instructions/);
    expect(() => wasmFromText(fn("i32.load align=16"))).toThrow(/align=16/);
    expect(() => wasmFromText(fn("", "(param $x i32) (param $x i32)"))).toThrow(/\$x is declared twice/);
    expect(() => wasmFromText(fn("", "(param $x u32)"))).toThrow(/unknown value type "u32"/);
    expect(() => wasmFromText("(module (table 1 funcref))")).toThrow(/unsupported module field "\(table"/);
    expect(() => wasmFromText('(module (import "e" "m" (memory 1 shared)))')).toThrow(/shared memory needs a maximum/);
    expect(() => wasmFromText("(module (func)")).toThrow(/unclosed/);
  });
});

describe("WebAssembly kernels' switch", () => {
  const saved = process.env.CHURNKIT_WASM;
  afterEach(() => {
    if (saved === undefined) delete process.env.CHURNKIT_WASM;
    else process.env.CHURNKIT_WASM = saved;
  });

  it("runs on this Node, and CHURNKIT_WASM=0 turns every kernel off", () => {
    expect(wasmAvailable()).toBe(true); // Node 20+: SIMD and shared memory
    const k = new WasmKernel<{ two: () => number }>(() => '(module (func (export "two") (result i32) i32.const 2))');
    delete process.env.CHURNKIT_WASM;
    expect(wasmEnabled()).toBe(true);
    expect(k.module()).not.toBeNull();
    process.env.CHURNKIT_WASM = "0";
    expect(wasmEnabled()).toBe(false);
    expect(k.module()).toBeNull();
    // A memory already made for a kernel still gets its instance (a worker thread's copy of the environment).
    expect(k.instantiate({})!.two()).toBe(2);
    process.env.CHURNKIT_WASM = "1";
    expect(k.module()).not.toBeNull();
    const shared = wasmMemory(3 * 65536 + 1, true)!;
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.buffer.byteLength).toBe(4 * 65536);
    expect(wasmMemory(2 ** 32 + 1, false)).toBeNull();
  });
});
