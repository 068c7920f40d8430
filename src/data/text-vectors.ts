/**
 * DuckDB's text (VARCHAR) vectors read from their memory, without a JavaScript string per cell: numbers by the rule
 * of values.ts `parseNumber`, and whole columns of short text decoded once per chunk.
 *
 * A VARCHAR vector is an array of 16-byte `string_t`: a 4-byte length, then the bytes themselves when there are at
 * most 12 (inline), else a 4-byte prefix and a pointer. Only inline cells are read from memory; a longer cell, and
 * any cell the fast forms below do not cover, is read as a string through `getItem` and given to the JS rules, so the
 * result is always that of values.ts. The @duckdb/node-api vector classes keep that memory in fields its typings
 * mark private (`dataView`, `validity.data`); where they are missing every cell takes the string path.
 */
import type { DuckDBVector } from "@duckdb/node-api";
import { FALSE_WORDS, MISSING_TOKENS, parseBoolean, parseCategory, parseNumber, TRUE_WORDS } from "./values.js";

/** The memory of a VARCHAR vector's first `n` cells: `string_t` bytes and the validity bits (null: all valid). */
interface TextMemory {
  bytes: Uint8Array;
  words: Uint32Array;
  valid: Uint8Array | null;
}

function memoryOf(vec: DuckDBVector, n: number): TextMemory | undefined {
  const v = vec as unknown as { dataView?: unknown; validity?: { data?: unknown; offset?: unknown } };
  const dv = v.dataView;
  const data = v.validity?.data;
  if (!(dv instanceof DataView) || dv.byteLength < 16 * n || dv.byteOffset % 4 !== 0) return undefined;
  if (v.validity?.offset !== 0 || !(data === null || data instanceof BigUint64Array)) return undefined;
  return {
    bytes: new Uint8Array(dv.buffer, dv.byteOffset, 16 * n),
    words: new Uint32Array(dv.buffer, dv.byteOffset, 4 * n),
    valid: data === null ? null : new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

/** Powers of ten that are exact doubles (10^0 to 10^22). */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** The missing tokens as bytes, by length (all are ASCII and at most 4 bytes, so inline). */
const TOKENS: number[][][] = [];
for (const t of MISSING_TOKENS) (TOKENS[t.length] ??= []).push([...t].map((c) => c.charCodeAt(0)));

/**
 * The number of the inline cell of `len` bytes at byte `at` of `b` when it has the plain form with no white space
 * (`[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?`, values.ts NUMBER_FORMS.number) and at most 15 significant digits and a
 * power of ten within 10^±22; else undefined (the caller applies the JS rules to its text). Such a number is the
 * digits as an exact integer times or divided by an exact power of ten: one correctly rounded operation, so the
 * same double as `Number(text)`.
 */
function plainNumber(b: Uint8Array, at: number, len: number): number | undefined {
  const end = at + len;
  let p = at;
  let neg = false;
  if (b[p] === 45 || b[p] === 43) neg = b[p++] === 45;
  let m = 0;
  let digits = 0;
  let scale = 0;
  for (; p < end && b[p]! >= 48 && b[p]! <= 57; p++, digits++) m = m * 10 + (b[p]! - 48);
  if (p < end && b[p] === 46) {
    for (p++; p < end && b[p]! >= 48 && b[p]! <= 57; p++, digits++, scale++) m = m * 10 + (b[p]! - 48);
  }
  if (digits === 0 || digits > 15) return undefined;
  let exp = 0;
  if (p < end && (b[p] === 101 || b[p] === 69)) {
    p++;
    let eneg = false;
    if (p < end && (b[p] === 45 || b[p] === 43)) eneg = b[p++] === 45;
    const from = p;
    for (; p < end && b[p]! >= 48 && b[p]! <= 57; p++) exp = exp * 10 + (b[p]! - 48);
    if (p === from) return undefined;
    if (eneg) exp = -exp;
  }
  if (p !== end) return undefined;
  const e = exp - scale;
  if (e > 22 || e < -22) return undefined;
  const x = e >= 0 ? m * POW10[e]! : m / POW10[-e]!;
  return neg ? -x : x;
}

/** Whether the inline cell of `len` bytes at byte `at` of `b` is exactly one of the missing tokens. */
function isToken(b: Uint8Array, at: number, len: number): boolean {
  return (TOKENS[len] ?? []).some((t) => t.every((c, k) => b[at + k] === c));
}

/**
 * The numbers of a VARCHAR vector's first `n` cells into `out` (NaN for missing), by values.ts `parseNumber`; a cell
 * that is not a number (and not missing) is NaN and told to `bad` with its text. `slow.cells` (when given) counts the
 * cells read as strings: none means every cell was NULL or an inline plain number or missing token, so no cell has
 * white space to trim.
 */
export function textNumbers(
  vec: DuckDBVector,
  n: number,
  out: Float64Array,
  bad: (i: number, text: string) => void,
  slow?: { cells: number },
): Float64Array {
  const mem = memoryOf(vec, n);
  for (let i = 0; i < n; i++) {
    if (mem) {
      if (mem.valid && (mem.valid[i >> 3]! & (1 << (i & 7))) === 0) {
        out[i] = NaN;
        continue;
      }
      const len = mem.words[4 * i]!;
      if (len > 0 && len <= 12) {
        const x = plainNumber(mem.bytes, 16 * i + 4, len);
        if (x !== undefined) {
          out[i] = x;
          continue;
        }
        if (isToken(mem.bytes, 16 * i + 4, len)) {
          out[i] = NaN;
          continue;
        }
      }
    }
    if (slow) slow.cells++;
    const text = vec.getItem(i) as string | null;
    const x = parseNumber(text);
    if (x === undefined) bad(i, text!);
    out[i] = x ?? NaN;
  }
  return out;
}

/**
 * Known cells, by their exact bytes (inline cells only, at most 12 bytes): an open-addressing hash table from
 * bytes to a number, so that a cell is looked up without becoming a string.
 */
export class ByteTable {
  private readonly keys: Uint8Array[] = [];
  private readonly values: number[] = [];
  private slots = new Int32Array(16).fill(-1);

  /** Add `text` (ignored when longer than 12 bytes, or already there). */
  set(text: string, value: number): this {
    const key = Buffer.from(text, "utf8");
    if (key.length > 12 || this.get(key, 0, key.length) !== undefined) return this;
    if (4 * (this.keys.length + 1) > this.slots.length) this.grow();
    this.keys.push(key);
    this.values.push(value);
    this.place(this.keys.length - 1);
    return this;
  }

  /** Each key as DuckDB lays an inline `string_t` out (length, then the bytes, zero-padded to 12): 4 words a key. */
  private words = new Uint32Array(0);
  private wordSlots = new Int32Array(16).fill(-1);

  /**
   * The value of the inline `string_t` whose 4 words start at word `at` of `w`, when its padding is zeros as in a
   * key's (DuckDB's inline strings are): one hash of 4 words, no loop over bytes. Undefined otherwise: the caller
   * then asks {@link get}, so a cell padded otherwise is still found by its bytes.
   */
  getWords(w: Uint32Array, at: number): number | undefined {
    const a = w[at]!;
    const b = w[at + 1]!;
    const c = w[at + 2]!;
    const d = w[at + 3]!;
    const mask = this.wordSlots.length - 1;
    const keys = this.words;
    for (let h = mix(a, b, c, d) & mask; ; h = (h + 1) & mask) {
      const k = this.wordSlots[h]!;
      if (k < 0) return undefined;
      if (keys[4 * k] === a && keys[4 * k + 1] === b && keys[4 * k + 2] === c && keys[4 * k + 3] === d) {
        return this.values[k];
      }
    }
  }

  /** The value of the `len` bytes at `at` of `b`, or undefined. */
  get(b: Uint8Array, at: number, len: number): number | undefined {
    const mask = this.slots.length - 1;
    for (let h = hash(b, at, len) & mask; ; h = (h + 1) & mask) {
      const k = this.slots[h]!;
      if (k < 0) return undefined;
      const key = this.keys[k]!;
      if (key.length !== len) continue;
      let same = true;
      for (let q = 0; q < len && same; q++) same = key[q] === b[at + q];
      if (same) return this.values[k];
    }
  }

  private placeWords(k: number): void {
    if (this.words.length < 4 * (k + 1)) {
      const grown = new Uint32Array(Math.max(64, 2 * this.words.length));
      grown.set(this.words);
      this.words = grown;
    }
    const key = this.keys[k]!;
    const padded = new Uint8Array(16);
    padded.set(key, 4);
    const w = new Uint32Array(padded.buffer);
    w[0] = key.length; // in the machine's byte order, as DuckDB's memory
    this.words.set(w, 4 * k);
    const mask = this.wordSlots.length - 1;
    let h = mix(w[0], w[1]!, w[2]!, w[3]!) & mask;
    while (this.wordSlots[h]! >= 0) h = (h + 1) & mask;
    this.wordSlots[h] = k;
  }

  private place(k: number): void {
    this.placeWords(k);
    const key = this.keys[k]!;
    const mask = this.slots.length - 1;
    let h = hash(key, 0, key.length) & mask;
    while (this.slots[h]! >= 0) h = (h + 1) & mask;
    this.slots[h] = k;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    this.wordSlots = new Int32Array(this.slots.length).fill(-1);
    for (let k = 0; k < this.keys.length; k++) this.place(k);
  }
}

/** A hash of 4 words (an inline `string_t`). */
function mix(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ b ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ c ^ (h >>> 13), 0x85ebca6b);
  h = Math.imul(h ^ d ^ (h >>> 16), 0xc2b2ae35);
  return (h ^ (h >>> 15)) >>> 0;
}

/** FNV-1a of `len` bytes at `at` of `b`. */
function hash(b: Uint8Array, at: number, len: number): number {
  let h = 0x811c9dc5;
  for (let q = 0; q < len; q++) h = Math.imul(h ^ b[at + q]!, 0x01000193);
  return h >>> 0;
}

/** The boolean words (and 1/0) in the letter cases files use, and the missing tokens, by their value. */
export const BOOLEAN_WORDS = new ByteTable();
for (const w of [...TRUE_WORDS, ...FALSE_WORDS, "1", "0", ...MISSING_TOKENS]) {
  for (const v of [w, w.toUpperCase(), w.charAt(0).toUpperCase() + w.slice(1)]) {
    const b = parseBoolean(v);
    if (b !== undefined) BOOLEAN_WORDS.set(v, b); // ("NAN" is not missing: the rules decide it)
  }
}

/**
 * Category levels by code, and the missing tokens as `missing`: a cell that is exactly a level (trimmed text) takes its
 * code; the rules decide any other cell (padded, a label not listed). For training's and scoring's categories alike.
 */
export function levelTable(levels: readonly string[], missing: number): ByteTable {
  const t = new ByteTable();
  levels.forEach((l, c) => {
    if (parseCategory(l) === l) t.set(l, c);
  });
  for (const m of MISSING_TOKENS) t.set(m, missing);
  return t;
}

/**
 * The values of a VARCHAR vector's first `n` cells into `out`: a cell that is exactly one of `table`'s texts takes
 * its value, a NULL cell `none`, any other cell `other(text)` (the JS rules on its string: the few cells that are
 * padded, missing tokens, labels never seen or bad values).
 */
export function textValues<T extends Float64Array | Int32Array>(
  vec: DuckDBVector,
  n: number,
  out: T,
  table: ByteTable,
  none: number,
  other: (text: string, i: number) => number,
): T {
  const mem = memoryOf(vec, n);
  for (let i = 0; i < n; i++) {
    if (mem) {
      if (mem.valid && (mem.valid[i >> 3]! & (1 << (i & 7))) === 0) {
        out[i] = none;
        continue;
      }
      const len = mem.words[4 * i]!;
      if (len <= 12) {
        const x = table.getWords(mem.words, 4 * i) ?? table.get(mem.bytes, 16 * i + 4, len);
        if (x !== undefined) {
          out[i] = x;
          continue;
        }
      }
    }
    const text = vec.getItem(i) as string | null;
    out[i] = text === null ? none : other(text, i);
  }
  return out;
}

/** How many pieces of at most {@link PIECE} characters a text column is sent in (see {@link textCells}). */
export const PIECES = 3;
/** Characters per piece: an ASCII piece is then inline (12 bytes at most). */
export const PIECE = 12;

/**
 * The SQL of the {@link PIECES} pieces of the text expression `t` that {@link textCells} reads beside `t`: NULL where
 * `t` has at most {@link PIECE} bytes (inline: read from `t`'s own memory), so that DuckDB cuts only the long cells
 * (on the 1M-row inputs, ids of 10 characters: the pieces and a length column cost ~0.2 CPU-s of DuckDB's).
 */
export const pieceSql = (t: string): string[] =>
  Array.from(
    { length: PIECES },
    (_, p) => `CASE WHEN strlen(${t}) > ${PIECE} THEN substring(${t}, ${1 + p * PIECE}, ${PIECE}) END`,
  );

/** The bytes of the last chunk read by {@link textCells} (reused: its strings are copies). */
let bytes = Buffer.alloc(0);

/**
 * The cells of a text column of a chunk, not yet strings: cell i is
 * `joined.slice(start[i], end[i])`, or `other.get(i)` (NULL, non-ASCII or long cells) where `start[i]` < 0. A window
 * keeps this form until it is handed on, so that a million small strings are not copied by the garbage collector
 * while the window fills, only made when they are written.
 */
export interface TextCells {
  joined: string;
  start: Int32Array;
  end: Int32Array;
  other: Map<number, string | null>;
}

/** Cell i of `c` as a string. */
export const cellOf = (c: TextCells, i: number): string | null =>
  c.start[i]! >= 0 ? c.joined.slice(c.start[i], c.end[i]) : (c.other.get(i) ?? null);

/**
 * The {@link TextCells} of a text column whose query sent, besides the column itself (`whole`), its pieces
 * ({@link pieceSql}): strings made from the bytes of the inline cells and of the pieces of the long ones, one
 * decoding per chunk, where these hold every byte of the cell (ASCII text of at most 36 characters), else through
 * `getItem` of `whole`. DuckDB keeps a cell of more than 12 bytes behind a pointer, which node-api reads with a
 * native call per cell, and decodes each cell by itself: for an id column of a million rows, most of the time spent
 * placing the rows.
 */
export function textCells(whole: DuckDBVector, pieces: DuckDBVector[], n: number): TextCells {
  const start = new Int32Array(n).fill(-1);
  const end = new Int32Array(n);
  const other = new Map<number, string | null>();
  const mem = memoryOf(whole, n);
  const parts = pieces.map((p) => memoryOf(p, n));
  if (!mem || parts.some((p) => !p)) {
    for (let i = 0; i < n; i++) other.set(i, whole.getItem(i) as string | null);
    return { joined: "", start, end, other };
  }
  // The chunk's bytes, cell after cell.
  if (bytes.length < n * PIECE * PIECES) bytes = Buffer.allocUnsafe(n * PIECE * PIECES);
  const buf = bytes;
  let used = 0;
  let ascii = 0;
  for (let i = 0; i < n; i++) {
    if (mem.valid && (mem.valid[i >> 3]! & (1 << (i & 7))) === 0) {
      other.set(i, null);
      continue;
    }
    const from = used;
    const len = mem.words[4 * i]!;
    if (len <= PIECE) {
      for (let k = 16 * i + 4, e = k + len; k < e; k++) ascii |= buf[used++] = mem.bytes[k]!;
    } else {
      // A long cell's pieces are not NULL (pieceSql); a piece of more than 12 bytes (not ASCII) is behind a pointer.
      for (const p of parts) {
        const l = p!.words[4 * i]!;
        if (l > PIECE) break;
        for (let k = 16 * i + 4, e = k + l; k < e; k++) ascii |= buf[used++] = p!.bytes[k]!;
      }
    }
    if (used - from !== len) {
      used = from;
      other.set(i, whole.getItem(i) as string);
    } else {
      start[i] = from;
      end[i] = used;
    }
  }
  if (ascii < 0x80) return { joined: buf.toString("latin1", 0, used), start, end, other };
  // A non-ASCII byte in the chunk: each cell decoded as UTF-8 by itself.
  for (let i = 0; i < n; i++) {
    if (start[i]! >= 0) other.set(i, buf.toString("utf8", start[i], end[i]));
  }
  start.fill(-1);
  return { joined: "", start, end, other };
}

/**
 * Identifier columns packed for a worker: each column's fields as csvField reads them (String of the value, "" for
 * null), concatenated into one string, with each field's length. One string crosses to a worker as one copy; an
 * array of 16,384 strings costs a serialization per string on both sides (most of a window's hand-over). Made
 * from strings by io/lines.ts `packIds`, from a scoring window's cells by score-typed.ts without a string per cell.
 */
export interface PackedIds {
  text: string[];
  lengths: Int32Array[];
}

/**
 * The first `rows` cells of a window's text column joined, as lines.ts `packIds` joins strings (null as ""), each
 * cell's length into `lengths`. A chunk's plain cells are consecutive in its `joined` text, so a run of rows from
 * consecutive cells of one chunk is one slice of it: no string per cell.
 */
export function packCells(
  t: { cells: TextCells[]; at: Int32Array; index: Int32Array },
  rows: number,
  lengths: Int32Array,
): string {
  const { cells, at, index } = t;
  let out = "";
  let r = 0;
  while (r < rows) {
    const c = cells[at[r]!]!;
    const i = index[r]!;
    if (c.start[i]! < 0) {
      const v = c.other.get(i) ?? "";
      out += v;
      lengths[r++] = v.length;
      continue;
    }
    let e = r;
    for (; e < rows && at[e] === at[r] && index[e] === i + (e - r) && c.start[index[e]!]! >= 0; e++) {
      lengths[e] = c.end[index[e]!]! - c.start[index[e]!]!;
    }
    out += c.joined.slice(c.start[i], c.end[index[e - 1]!]);
    r = e;
  }
  return out;
}
