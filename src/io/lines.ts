/**
 * The output lines of scored rows: CSV and JSON Lines as strings (any model, survival columns too), and the CSV lines
 * of a classification model written straight into bytes: the same text as the strings (id fields quoted as RFC 4180
 * asks, the probability as JavaScript prints it, then true/false), UTF-8 encoded, without a string per line or per
 * batch. The bytes are made where the rows are scored (a scoring worker or the main thread). Why bytes: joining a
 * million short strings and encoding them cost more than printing the numbers.
 */
import type { RawValue } from "../data/load.js";
import { predictionRow, survivalValues } from "../artifact/prediction-row.js";
import type { SurvivalScores } from "../learners/baseline-hazard.js";
import type { PackedIds } from "../data/text-vectors.js";

export type { PackedIds } from "../data/text-vectors.js";

/** Quote a CSV field when it needs it (RFC 4180). */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV form of predictionRow, one line per row, built for a whole batch (no object per row on this hot path). */
export function csvLines(
  ids: string[],
  text: Record<string, RawValue[]>,
  p: Float64Array,
  th: number,
  survival?: SurvivalScores,
): string {
  const cols = ids.map((c) => text[c]!);
  let out = "";
  for (let r = 0; r < p.length; r++) {
    let line = "";
    for (const col of cols) line += csvField(col[r]) + ",";
    line += `${p[r]},${p[r]! >= th ? "true" : "false"}`;
    if (survival) for (const v of survivalValues(survival, r)) line += v === null ? "," : `,${v}`;
    out += line + "\n";
  }
  return out;
}

/** JSON Lines of predictionRow for a batch. */
export function jsonLines(
  ids: string[],
  text: Record<string, RawValue[]>,
  p: Float64Array,
  th: number,
  survival?: Parameters<typeof predictionRow>[5],
): string {
  let out = "";
  for (let r = 0; r < p.length; r++) out += JSON.stringify(predictionRow(ids, text, r, p[r]!, th, survival)) + "\n";
  return out;
}

const COMMA = 44;
const QUOTE = 34;
const NEWLINE = 10;
const TRUE = Uint8Array.from(",true\n", (c) => c.charCodeAt(0));
const FALSE = Uint8Array.from(",false\n", (c) => c.charCodeAt(0));

/** `buf` grown to hold at least `need` bytes, its first `used` bytes kept. */
function grown(buf: Uint8Array, used: number, need: number): Uint8Array {
  let size = buf.length * 2;
  while (size < need) size *= 2;
  const next = new Uint8Array(size);
  next.set(buf.subarray(0, used));
  return next;
}

/** A field that is not plain ASCII or needs quotes, as csvField writes it, UTF-8 encoded at `at` (room for it made). */
function slowField(s: string, buf: Uint8Array, at: number): number {
  const quoted = /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  return Buffer.from(buf.buffer, buf.byteOffset, buf.length).write(quoted, at, "utf8"); // the stream's own encoder
}

/**
 * `ids` (the identifier columns, each with one value per row), then `p[r]` and whether `p[r] >= th`, one line per row:
 * the bytes of csvLines(ids, text, p, th) without survival columns.
 */
export function csvBytes(ids: readonly RawValue[][], p: Float64Array, th: number): Uint8Array {
  return csvBytesPacked(packIds(ids), p, th); // one byte writer: the packed form costs a join per column
}

/** {@link PackedIds} of `ids` (each column one value per row). */
export function packIds(ids: readonly RawValue[][]): PackedIds {
  const text: string[] = [];
  const lengths: Int32Array[] = [];
  for (const col of ids) {
    const n = col.length;
    const len = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const v = col[r];
      len[r] = typeof v === "string" ? v.length : v === null || v === undefined ? 0 : String(v).length;
    }
    text.push(col.join("")); // join writes null and undefined as "", anything else as String(v): csvField's text
    lengths.push(len);
  }
  return { text, lengths };
}

/** {@link csvBytes} of packed identifier columns. */
export function csvBytesPacked(ids: PackedIds, p: Float64Array, th: number): Uint8Array {
  const { text, lengths } = ids;
  const cols = text.length;
  const at = new Int32Array(cols);
  let buf: Uint8Array = new Uint8Array(Math.max(256, p.length * (26 + 14 * cols)));
  let o = 0;
  for (let r = 0; r < p.length; r++) {
    for (let c = 0; c < cols; c++) {
      const s = text[c]!;
      const from = at[c]!;
      const n = lengths[c]![r]!;
      at[c] = from + n;
      // Worst case: every UTF-16 unit 3 bytes of UTF-8, doubled quotes, two quotes and the comma.
      if (o + n * 6 + 3 > buf.length) buf = grown(buf, o, o + n * 6 + 3);
      let k = 0;
      for (; k < n; k++) {
        const ch = s.charCodeAt(from + k);
        if (ch >= 128 || ch === QUOTE || ch === COMMA || ch === 13 || ch === NEWLINE) break;
        buf[o + k] = ch;
      }
      o = k === n ? o + n : o + slowField(s.slice(from, from + n), buf, o);
      buf[o++] = COMMA;
    }
    const x = p[r]!;
    const t = String(x); // as csvLines prints it
    const tail = x >= th ? TRUE : FALSE;
    if (o + t.length + tail.length > buf.length) buf = grown(buf, o, o + t.length + tail.length);
    for (let k = 0; k < t.length; k++) buf[o++] = t.charCodeAt(k);
    for (let k = 0; k < tail.length; k++) buf[o++] = tail[k]!;
  }
  return buf.subarray(0, o);
}
