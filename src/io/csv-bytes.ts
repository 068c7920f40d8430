/**
 * The CSV lines of scored rows written straight into bytes: the same text as building each line as a string
 * (predict.ts csvLines: id fields quoted as RFC 4180 asks, the probability as JavaScript prints it, then true/false),
 * UTF-8 encoded, without a string per line or per batch. Runs where the rows are scored (a scoring worker or the
 * main thread). Why bytes: joining a million short strings and encoding them cost more than printing the numbers.
 */
import type { RawValue } from "../data/load.js";

const COMMA = 44;
const QUOTE = 34;
const NEWLINE = 10;
const TRUE = Uint8Array.from(",true\n", (c) => c.charCodeAt(0));
const FALSE = Uint8Array.from(",false\n", (c) => c.charCodeAt(0));

/** A growable byte buffer. */
class Bytes {
  buf: Uint8Array;
  at = 0;

  constructor(size: number) {
    this.buf = new Uint8Array(Math.max(64, size));
  }

  /** Room for `n` more bytes. */
  room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
  }

  /** A field as csvField writes it: empty for null, quoted (quotes doubled) when it holds `"`, `,`, CR or LF. */
  field(v: RawValue): void {
    if (v === null || v === undefined) return;
    const s = String(v);
    const n = s.length;
    this.room(n * 3 + 2); // UTF-8 needs at most 3 bytes per UTF-16 unit
    const buf = this.buf;
    let o = this.at;
    let k = 0;
    for (; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c >= 128 || c === QUOTE || c === COMMA || c === 13 || c === NEWLINE) break;
      buf[o++] = c;
    }
    if (k === n) {
      this.at = o;
      return;
    }
    // The rare field that is not plain ASCII or needs quotes: encoded by Buffer (the stream's own UTF-8 encoder).
    const quoted = /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    this.room(quoted.length * 3);
    this.at += Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.length).write(quoted, this.at, "utf8");
  }

  /** ASCII text (a number as JavaScript prints it). */
  ascii(s: string): void {
    this.room(s.length);
    const buf = this.buf;
    let o = this.at;
    for (let k = 0; k < s.length; k++) buf[o++] = s.charCodeAt(k);
    this.at = o;
  }

  put(b: Uint8Array): void {
    this.room(b.length);
    const buf = this.buf;
    let o = this.at;
    for (let k = 0; k < b.length; k++) buf[o++] = b[k]!; // a few bytes: a loop beats set()
    this.at = o;
  }

  done(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }
}

/**
 * `ids` (the identifier columns, each with one value per row), then `p[r]` and whether `p[r] >= th`, one line per row:
 * the bytes of csvLines(ids, text, p, th) without survival columns.
 */
export function csvBytes(ids: readonly RawValue[][], p: Float64Array, th: number): Uint8Array {
  const out = new Bytes(p.length * (24 + 12 * ids.length));
  for (let r = 0; r < p.length; r++) {
    for (const col of ids) {
      out.field(col[r]);
      out.room(1);
      out.buf[out.at++] = COMMA;
    }
    const x = p[r]!;
    out.ascii(String(x));
    out.put(x >= th ? TRUE : FALSE);
  }
  return out.done();
}
