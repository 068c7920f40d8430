import { describe, expect, it } from "vitest";
import { csvBytes, csvBytesPacked, packIds } from "../../src/io/lines.js";
import { csvLines } from "../../src/io/predict.js";
import type { RawValue } from "../../src/data/load.js";
import { Rng } from "../../src/utils/random.js";

/** The UTF-8 bytes a file stream writes for csvLines' string. */
const asWritten = (ids: string[], text: Record<string, RawValue[]>, p: Float64Array, th: number): Buffer =>
  Buffer.from(csvLines(ids, text, p, th), "utf8");

/** Byte-equal (compared as Buffers: a deep equality over a large Uint8Array takes seconds); shows the text if not. */
function expectSame(got: Uint8Array, want: Buffer): void {
  const g = Buffer.from(got.buffer, got.byteOffset, got.byteLength);
  if (!g.equals(want)) expect(g.toString("utf8")).toBe(want.toString("utf8"));
  expect(g.equals(want)).toBe(true);
}

describe("csvBytes", () => {
  it("writes the bytes of csvLines: quoting, empty and missing ids, non-ASCII, numbers as JavaScript prints them", () => {
    const odd: RawValue[] = [
      "C1",
      "",
      null,
      undefined,
      'say "hi"',
      "a,b",
      "line\nbreak",
      "cr\rhere",
      "café",
      "日本",
      "🙂 emoji",
      "lone \ud800 surrogate",
      'é,"mixed"',
      42,
      -0,
      12345678901234567890n,
      true,
      " padded ",
    ];
    const a = odd;
    const b = odd.slice().reverse();
    const p = Float64Array.from(
      { length: odd.length },
      (_, i) => [0, 1, 0.5, 1e-7, 5e-324, 0.1, 1 / 3, 0.30000000000000004, 2 / 3, 0.999999999999, 1e-21][i % 11]!,
    );
    const text = { id: a, other: b };
    for (const th of [0.5, 1 / 3, 0.1]) {
      expectSame(csvBytes([a, b], p, th), asWritten(["id", "other"], text, p, th));
      // Packed for a worker (one string per column), the same bytes.
      expectSame(csvBytesPacked(packIds([a, b]), p, th), asWritten(["id", "other"], text, p, th));
      expectSame(csvBytes([a], p, th), asWritten(["id"], text, p, th));
      expectSame(csvBytes([], p, th), asWritten([], text, p, th));
    }
  });

  it("matches on a large batch of random ids and probabilities (the buffer grows past its first guess)", () => {
    const rng = new Rng(7);
    const n = 20_000;
    const chars = ["a", "Z", "0", ",", '"', "\n", "é", "ß", "😀", " "];
    const ids = Array.from({ length: n }, () =>
      Array.from({ length: rng.int(60) }, () => chars[rng.int(chars.length)]!).join(""),
    );
    const p = Float64Array.from({ length: n }, () => (rng.next() < 0.01 ? rng.next() * 1e-9 : rng.next()));
    expectSame(csvBytes([ids], p, 0.4), asWritten(["k"], { k: ids }, p, 0.4));
    expectSame(csvBytesPacked(packIds([ids, ids]), p, 0.4), asWritten(["k", "k"], { k: ids }, p, 0.4));
  });
});
