/**
 * A small assembler from WebAssembly text to module bytes, for churnkit's own fixed kernels (the gbdt histogram,
 * the leaf-mask forest scorer): no toolchain and no binary in the repository, the kernels' source is their text.
 *
 * The subset is what those kernels need, in the standard text syntax, and anything else is refused with the line
 * it is on rather than turned into wrong bytes:
 *   (module
 *     (import "env" "memory" (memory MIN MAX? shared?))
 *     (func $name? (export "name")? (param $p i32)* (result t)? (local $l t)*  instruction*))
 * Instructions are written flat, one after another (no folded `(i32.add ...)` forms): `block`/`loop`/`if` (an
 * optional `$label`, no result), `else`, `end`, `br`/`br_if` (a depth or a `$label`), `return`,
 * `local.get/set/tee` (an index or a `$name`), `i32.const`, `f64.const` (a decimal number), `v128.const i32x4 a b c d`, loads and stores with
 * optional `offset=` and `align=` (natural alignment by default), `f64x2.replace_lane LANE`, and the operators of
 * {@link OPS}. Comments: `;;` to the end of the line and `(; ... ;)`.
 */

type Imm = "none" | "block" | "label" | "local" | "i32" | "f64" | "v128" | "lane" | "mem";

/**
 * Opcode bytes (WebAssembly core 2.0; SIMD after the 0xfd prefix, its index as unsigned LEB128), the kind of
 * immediate, and for memory accesses the natural alignment (log2 of the access's bytes).
 */
const OPS: Record<string, [number[], Imm, number?]> = {
  block: [[0x02], "block"],
  loop: [[0x03], "block"],
  if: [[0x04], "block"],
  else: [[0x05], "none"],
  end: [[0x0b], "none"],
  br: [[0x0c], "label"],
  br_if: [[0x0d], "label"],
  return: [[0x0f], "none"],
  select: [[0x1b], "none"],
  "local.get": [[0x20], "local"],
  "local.set": [[0x21], "local"],
  "local.tee": [[0x22], "local"],
  "i32.load": [[0x28], "mem", 2],
  "i64.load": [[0x29], "mem", 3],
  "f64.load": [[0x2b], "mem", 3],
  "i32.load8_u": [[0x2d], "mem", 0],
  "i32.store": [[0x36], "mem", 2],
  "f64.store": [[0x39], "mem", 3],
  "i32.const": [[0x41], "i32"],
  "f64.const": [[0x44], "f64"],
  "i32.eqz": [[0x45], "none"],
  "i32.eq": [[0x46], "none"],
  "i32.ne": [[0x47], "none"],
  "i32.lt_s": [[0x48], "none"],
  "i32.lt_u": [[0x49], "none"],
  "i32.gt_u": [[0x4b], "none"],
  "i32.ge_s": [[0x4e], "none"],
  "i32.ge_u": [[0x4f], "none"],
  "f64.eq": [[0x61], "none"],
  "f64.lt": [[0x63], "none"],
  "f64.gt": [[0x64], "none"],
  "f64.ge": [[0x66], "none"],
  "i32.ctz": [[0x68], "none"],
  "i32.add": [[0x6a], "none"],
  "i32.sub": [[0x6b], "none"],
  "i32.mul": [[0x6c], "none"],
  "i32.and": [[0x71], "none"],
  "i32.or": [[0x72], "none"],
  "i32.shl": [[0x74], "none"],
  "i32.shr_u": [[0x76], "none"],
  "i64.ctz": [[0x7a], "none"],
  "i64.shl": [[0x86], "none"],
  "i64.shr_u": [[0x88], "none"],
  "f64.neg": [[0x9a], "none"],
  "f64.add": [[0xa0], "none"],
  "f64.sub": [[0xa1], "none"],
  "f64.mul": [[0xa2], "none"],
  "f64.div": [[0xa3], "none"],
  "i32.wrap_i64": [[0xa7], "none"],
  "i32.trunc_f64_s": [[0xaa], "none"],
  "i64.extend_i32_u": [[0xad], "none"],
  "f64.convert_i32_s": [[0xb7], "none"],
  "f64.convert_i32_u": [[0xb8], "none"],
  "i64.reinterpret_f64": [[0xbd], "none"],
  "f64.reinterpret_i64": [[0xbf], "none"],
  "v128.load": [[0xfd, 0x00], "mem", 4],
  "v128.store": [[0xfd, 0x0b], "mem", 4],
  "v128.const": [[0xfd, 0x0c], "v128"],
  "f64x2.splat": [[0xfd, 0x14], "none"],
  "f64x2.replace_lane": [[0xfd, 0x22], "lane"],
  "v128.and": [[0xfd, 0x4e], "none"],
  "f64x2.add": [[0xfd, 0xf0, 0x01], "none"],
};

/** Value type codes. */
const TYPES: Record<string, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** Unsigned LEB128 of an integer in [0, 2^32). */
export function uleb(n: number): number[] {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new Error(`wasm text: ${n} is not an unsigned 32-bit integer`);
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128); // not >>> 7: n may be 2^31 or more
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of an integer in [-2^31, 2^31). */
export function sleb(n: number): number[] {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff)
    throw new Error(`wasm text: ${n} is not a signed 32-bit integer`);
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

/** A token with its line (for errors). */
interface Token {
  text: string;
  line: number;
}

/** An s-expression: a token, or a parenthesised list (with the line it opens on). */
type Node = Token | { list: Node[]; line: number };

const isList = (n: Node): n is { list: Node[]; line: number } => "list" in n;

function fail(line: number, what: string): never {
  throw new Error(`wasm text: line ${line}: ${what}`);
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\(;[\s\S]*?;\)|;;[^\n]*|"[^"]*"|[()]|[^\s()";]+|\n|\s+|./g;
  let line = 1;
  for (const m of text.matchAll(re)) {
    const t = m[0];
    if (t.startsWith("(;") || t.startsWith(";;") || /^\s+$/.test(t)) {
      line += t.split("\n").length - 1;
      continue;
    }
    if (t === ";" || t === '"') fail(line, `unexpected "${t}"`);
    out.push({ text: t, line });
  }
  return out;
}

function parse(tokens: Token[]): Node[] {
  const stack: { list: Node[]; line: number }[] = [{ list: [], line: 1 }];
  for (const t of tokens) {
    if (t.text === "(") stack.push({ list: [], line: t.line });
    else if (t.text === ")") {
      const done = stack.pop()!;
      if (stack.length === 0) fail(t.line, 'unmatched ")"');
      stack[stack.length - 1]!.list.push(done);
    } else stack[stack.length - 1]!.list.push(t);
  }
  if (stack.length !== 1) fail(stack[stack.length - 1]!.line, 'unclosed "("');
  return stack[0]!.list;
}

/** The head keyword of a list, or "". */
const head = (n: Node): string => (isList(n) && n.list[0] && !isList(n.list[0]) ? n.list[0].text : "");

function atom(n: Node | undefined, line: number, what: string): string {
  if (n === undefined || isList(n)) fail(line, `expected ${what}`);
  return n.text;
}

function str(n: Node | undefined, line: number): number[] {
  const s = atom(n, line, "a string");
  if (!/^"[\x20-\x7e]*"$/.test(s)) fail(line, `expected a plain ASCII string, got ${s}`);
  return [...uleb(s.length - 2), ...Array.from(s.slice(1, -1), (c) => c.charCodeAt(0))];
}

function valType(n: Node | undefined, line: number): number {
  const t = atom(n, line, "a value type");
  const code = TYPES[t];
  if (code === undefined) fail(line, `unknown value type "${t}"`);
  return code;
}

function int(s: string, line: number): number {
  if (!/^[+-]?(\d[\d_]*|0x[\da-f_]+)$/i.test(s)) fail(line, `expected an integer, got "${s}"`);
  const neg = s.startsWith("-");
  const v = Number(s.replace(/^[+-]/, "").replace(/_/g, ""));
  return neg ? -v : v;
}

/** One function, parsed: its signature, locals' types, names, export and instruction tokens. */
interface Func {
  params: number[];
  results: number[];
  locals: number[];
  names: Map<string, number>;
  exportName: number[] | null;
  body: Token[];
  line: number;
}

function parseFunc(node: { list: Node[]; line: number }): Func {
  const f: Func = {
    params: [],
    results: [],
    locals: [],
    names: new Map(),
    exportName: null,
    body: [],
    line: node.line,
  };
  let i = 1;
  const first = node.list[1];
  if (first && !isList(first) && first.text.startsWith("$")) i++;
  const declare = (kind: "param" | "local", items: Node[], line: number) => {
    const into = kind === "param" ? f.params : f.locals;
    const named = items[0] && !isList(items[0]) && items[0].text.startsWith("$");
    if (named) {
      if (items.length !== 2) fail(line, `a named ${kind} has one type`);
      const name = (items[0] as Token).text;
      if (f.names.has(name)) fail(line, `${name} is declared twice`);
      f.names.set(name, f.params.length + f.locals.length);
      into.push(valType(items[1], line));
    } else for (const t of items) into.push(valType(t, line));
  };
  for (; i < node.list.length; i++) {
    const n = node.list[i]!;
    if (!isList(n)) break;
    const h = head(n);
    const rest = n.list.slice(1);
    if (h === "export") {
      if (rest.length !== 1) fail(n.line, "(export) takes one name");
      f.exportName = str(rest[0], n.line);
    } else if (h === "param") {
      if (f.locals.length || f.results.length) fail(n.line, "(param) must come before (result) and (local)");
      declare("param", rest, n.line);
    } else if (h === "result") {
      if (f.locals.length) fail(n.line, "(result) must come before (local)");
      for (const t of rest) f.results.push(valType(t, n.line));
    } else if (h === "local") declare("local", rest, n.line);
    else if (OPS[h]) fail(n.line, "folded instructions are not supported: write one instruction after another");
    else fail(n.line, `unknown function field "(${h}"`);
  }
  for (; i < node.list.length; i++) {
    const n = node.list[i]!;
    if (isList(n)) fail(n.line, "folded instructions are not supported: write one instruction after another");
    f.body.push(n);
  }
  return f;
}

/** Key=value memory immediates: `offset=N align=BYTES`; the alignment is encoded as its log2. */
function memArg(tokens: Token[], i: number, natural: number): [number[], number] {
  let offset = 0;
  let align = natural;
  const line = tokens[i - 1]!.line;
  while (tokens[i] && tokens[i]!.line === line && /^(offset|align)=/.test(tokens[i]!.text)) {
    const t = tokens[i]!;
    const [k, v] = t.text.split("=");
    const x = int(v!, t.line);
    if (k === "offset") offset = x;
    else {
      align = Math.log2(x);
      if (!Number.isInteger(align) || align > natural)
        fail(t.line, `align=${x} is not a power of two up to ${1 << natural}`);
    }
    i++;
  }
  return [[...uleb(align), ...uleb(offset)], i];
}

/** A function body's code bytes (with its locals and the closing `end`). */
function code(f: Func): number[] {
  const out: number[] = [];
  const labels: (string | null)[] = [];
  const t = f.body;
  for (let i = 0; i < t.length;) {
    const { text: op, line } = t[i++]!;
    const spec = OPS[op];
    if (!spec) fail(line, `unknown instruction "${op}"`);
    const [bytes, imm, natural] = spec;
    for (const b of bytes) out.push(b);
    const arg = (what: string): Token => {
      const a = t[i];
      if (!a || a.line !== line || OPS[a.text]) fail(line, `"${op}" needs ${what}`);
      i++;
      return a;
    };
    if (imm === "block") {
      labels.push(t[i]?.text.startsWith("$") && t[i]!.line === line ? t[i++]!.text : null);
      out.push(0x40); // no result
    } else if (imm === "none") {
      if (op === "end" && labels.pop() === undefined) fail(line, '"end" without a block or loop');
    } else if (imm === "label") {
      const a = arg("a label");
      let depth: number;
      if (a.text.startsWith("$")) {
        depth = labels.length - 1 - labels.lastIndexOf(a.text);
        if (depth >= labels.length) fail(line, `no enclosing label ${a.text}`);
      } else depth = int(a.text, line);
      if (depth < 0 || depth > labels.length) fail(line, `branch depth ${depth} is outside the function`);
      push(out, uleb(depth));
    } else if (imm === "local") {
      const a = arg("a local");
      const index = a.text.startsWith("$") ? f.names.get(a.text) : int(a.text, line);
      if (index === undefined || index < 0 || index >= f.params.length + f.locals.length)
        fail(line, `no local ${a.text}`);
      push(out, uleb(index));
    } else if (imm === "i32") {
      const v = int(arg("an integer").text, line);
      if (v < -0x80000000 || v > 0xffffffff) fail(line, `${v} does not fit in i32`);
      push(out, sleb(v | 0));
    } else if (imm === "lane") {
      const v = int(arg("a lane index").text, line);
      if (v < 0 || v > 15) fail(line, `lane ${v} is out of range`);
      out.push(v);
    } else if (imm === "f64") {
      // A decimal or hexadecimal JS number literal, e.g. written with String(x) of the constant: exactly x.
      const a = arg("a number").text;
      const v = /^[+-]?(\d+(\.\d*)?(e[+-]?\d+)?|Infinity)$/i.test(a) ? Number(a) : NaN;
      if (Number.isNaN(v)) fail(line, `f64.const: "${a}" is not a decimal number`);
      const bytes = new Uint8Array(new Float64Array([v]).buffer); // little-endian, as WebAssembly
      for (let k = 0; k < 8; k++) out.push(bytes[k]!);
    } else if (imm === "v128") {
      if (arg("a shape").text !== "i32x4") fail(line, "v128.const: only the i32x4 shape is supported");
      for (let k = 0; k < 4; k++) {
        const v = int(arg("four i32 lanes").text, line);
        if (v < -0x80000000 || v > 0xffffffff) fail(line, `${v} does not fit in i32`);
        for (let s = 0; s < 32; s += 8) out.push((v >>> s) & 0xff);
      }
    } else {
      const [m, next] = memArg(t, i, natural!);
      push(out, m);
      i = next;
    }
    if (t[i] && t[i]!.line === line && !OPS[t[i]!.text])
      fail(line, `"${op}" does not take "${t[i]!.text}" (one instruction and its immediates at a time)`);
  }
  if (labels.length) fail(f.line, `${labels.length} block(s) or loop(s) without "end"`);
  out.push(0x0b);
  // Locals: runs of one type, as (count, type).
  const groups: number[][] = [];
  for (const ty of f.locals) {
    const g = groups[groups.length - 1];
    if (g && g[1] === ty) g[0]!++;
    else groups.push([1, ty]);
  }
  const fn = [...vec(groups), ...out];
  return [...uleb(fn.length), ...fn];
}

/** Append `bytes` to `out` one by one (no spread into a call). */
function push(out: number[], bytes: number[]): void {
  for (const b of bytes) out.push(b);
}

/** A section: id, byte length, contents. */
function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A vector: count, then the items. */
function vec(items: number[][]): number[] {
  const out = uleb(items.length);
  for (const item of items) for (const b of item) out.push(b);
  return out;
}

/** The bytes of the module written in `text` (see the file comment for the subset). */
export function wasmFromText(text: string): Uint8Array {
  const top = parse(tokenize(text));
  if (top.length !== 1 || head(top[0]!) !== "module") fail(1, "expected one (module ...)");
  const mod = top[0] as { list: Node[]; line: number };
  const imports: number[][] = [];
  const funcs: Func[] = [];
  for (const n of mod.list.slice(1)) {
    if (!isList(n)) fail(n.line, `unexpected "${n.text}" in (module)`);
    const h = head(n);
    if (h === "func") funcs.push(parseFunc(n));
    else if (h === "import") {
      const [, m, name, desc] = n.list;
      if (n.list.length !== 4 || !desc || head(desc) !== "memory")
        fail(n.line, 'only (import "m" "n" (memory ...)) is supported');
      const lim = (desc as { list: Node[] }).list.slice(1).map((x) => atom(x, n.line, "a memory limit"));
      const shared = lim[lim.length - 1] === "shared";
      const pages = (shared ? lim.slice(0, -1) : lim).map((s) => int(s, n.line));
      if (pages.length < 1 || pages.length > 2 || pages.some((p) => p < 0 || p > 65536))
        fail(n.line, "(memory MIN MAX? shared?): pages in [0, 65536]");
      if (shared && pages.length !== 2) fail(n.line, "a shared memory needs a maximum");
      const flags = (pages.length === 2 ? 1 : 0) | (shared ? 2 : 0);
      imports.push([...str(m, n.line), ...str(name, n.line), 0x02, flags, ...pages.flatMap(uleb)]);
    } else fail(n.line, `unsupported module field "(${h}"`);
  }
  // Function types, each distinct signature once, in order of first use.
  const sigs: string[] = [];
  const typeOf = funcs.map((f) => {
    const key = [f.params.join(","), f.results.join(",")].join(";");
    if (!sigs.includes(key)) sigs.push(key);
    return sigs.indexOf(key);
  });
  const types = sigs.map((_, s) => {
    const f = funcs[typeOf.indexOf(s)]!;
    return [0x60, ...vec(f.params.map((p) => [p])), ...vec(f.results.map((r) => [r]))];
  });
  const exports = funcs.flatMap((f, i) => (f.exportName ? [[...f.exportName, 0x00, ...uleb(i)]] : []));
  const parts = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const add = (id: number, items: number[][]) => {
    if (items.length) for (const b of section(id, vec(items))) parts.push(b);
  };
  add(1, types);
  add(2, imports);
  add(
    3,
    typeOf.map((t) => uleb(t)),
  );
  add(7, exports);
  add(10, funcs.map(code));
  return Uint8Array.from(parts);
}
