/**
 * The readers of DuckDB's text vectors (text-vectors.ts) give what the JS rules of values.ts give on the same cells'
 * strings: numbers (parseNumber, on the tricky cells and every short string of number-like characters), values
 * looked up by their bytes with the rules for the rest, and the strings themselves (short, long, non-ASCII, NULL).
 */
import { describe, expect, it } from "vitest";
import type { DuckDBDataChunk } from "@duckdb/node-api";
import { withConnection } from "../../src/data/duckdb.js";
import {
  BOOLEAN_WORDS,
  ByteTable,
  pieceSql,
  PIECES,
  textNumbers,
  textCells,
  cellOf,
  textValues,
} from "../../src/data/text-vectors.js";
import { parseBoolean, parseNumber } from "../../src/data/values.js";
import { CELLS } from "./cells.js";

/** Every string of up to `n` characters over `alphabet`. */
function strings(alphabet: string, n: number): string[] {
  const out: string[] = [];
  const grow = (prefix: string, left: number): void => {
    if (prefix) out.push(prefix);
    if (left > 0) for (const ch of alphabet) grow(prefix + ch, left - 1);
  };
  grow("", n);
  return out;
}

/** `cells` in a DuckDB table, `select` (over column v) of it chunk by chunk in order: `each(chunk, offset)`. */
async function chunks(
  cells: (string | null)[],
  select: string,
  each: (chunk: DuckDBDataChunk, offset: number) => void,
): Promise<void> {
  await withConnection(async (con) => {
    await con.run("CREATE TEMP TABLE cells (i INTEGER, v VARCHAR)");
    const app = await con.createAppender("cells", "main", "temp");
    cells.forEach((v, i) => {
      app.appendInteger(i);
      if (v === null) app.appendNull();
      else app.appendVarchar(v);
      app.endRow();
    });
    app.closeSync();
    const r = await con.stream(`SELECT ${select} FROM cells ORDER BY i`);
    let offset = 0;
    for (let c = await r.fetchChunk(); c && c.rowCount > 0; c = await r.fetchChunk()) {
      each(c, offset);
      offset += c.rowCount;
    }
    expect(offset).toBe(cells.length);
  });
}

/** textNumbers of `cells` against parseNumber, cell by cell: the number (NaN missing, -0 kept) or "bad". */
async function compareNumbers(cells: (string | null)[]): Promise<void> {
  const wrong: string[] = [];
  await chunks(cells, "v", (chunk, offset) => {
    const bad = new Set<number>();
    const out = textNumbers(chunk.getColumnVector(0), chunk.rowCount, new Float64Array(chunk.rowCount), (i) =>
      bad.add(i),
    );
    for (let i = 0; i < chunk.rowCount; i++) {
      const want = parseNumber(cells[offset + i]);
      const got = bad.has(i) ? undefined : out[i];
      if (!Object.is(got, want)) wrong.push(JSON.stringify(cells[offset + i]));
    }
  });
  expect(wrong.slice(0, 20)).toEqual([]);
}

describe("textNumbers = parseNumber", () => {
  it("on every tricky cell", async () => {
    await compareNumbers(CELLS);
  });

  it("on every string of up to 4 number-like characters, white space and underscores included", async () => {
    const cells = strings("0159.eE+-_ \tx\u00a0", 4);
    expect(cells.length).toBeGreaterThan(40_000);
    await compareNumbers(cells);
  }, 60_000);

  it("on long and many-digit numbers (the string path past 12 bytes or 15 digits, or 10^22)", async () => {
    const cells = [
      "123456789012",
      "1234567890123",
      "0.1234567890123",
      "999999999999999",
      "9999999999999999",
      "1e22",
      "1e23",
      "1.5e-22",
      "1e-23",
      "12345678901e12",
      "0.30000000000000004",
      "-000000000001",
      "4.9e-324",
      "1.7976931348623157e308",
    ];
    await compareNumbers([...cells, ...cells.map((c) => `-${c}`), ...cells.map((c) => ` ${c}`)]);
  });
});

describe("the memory path is the one taken", () => {
  it("plain numbers, table cells and short ASCII strings are read without a string per cell (no getItem)", async () => {
    const cells = Array.from({ length: 3000 }, (_, i) => (i % 10 === 0 ? null : i % 2 ? `${i / 8}` : `-${i}e-3`));
    let calls = 0;
    let read = 0;
    await chunks(cells, ["v", "v AS w", ...pieceSql("v")].join(", "), (chunk, offset) => {
      const n = chunk.rowCount;
      const vecs = Array.from({ length: 2 + PIECES }, (_, k) => chunk.getColumnVector(k));
      for (const v of vecs) {
        const get = v.getItem.bind(v);
        v.getItem = (i: number) => (calls++, get(i));
      }
      textNumbers(vecs[0]!, n, new Float64Array(n), () => undefined);
      const c = textCells(vecs[1]!, vecs.slice(2), n);
      expect(c.other.size).toBe(cells.slice(offset, offset + n).filter((x) => x === null).length); // only NULLs are not joined
      expect(calls).toBe(0);
      const t = new ByteTable();
      for (const c of cells.slice(0, 50)) if (c !== null) t.set(c, 1);
      const before = read;
      textValues(vecs[1]!, n, new Float64Array(n), t, NaN, () => (read++, 0));
      expect(calls).toBe(read - before); // only cells outside the table are read as strings, for the rules
      calls = 0;
    });
    expect(read).toBeGreaterThan(2000);
  });
});

describe("textValues: the table's values by bytes, the rules for the rest", () => {
  for (const [name, table] of [
    ["a table of some words only", new ByteTable().set("Yes", 1).set("No", 0).set("yes", 1)],
    ["BOOLEAN_WORDS (words, their cases, 1/0 and the missing tokens)", BOOLEAN_WORDS],
  ] as const) {
    it(`reads booleans as parseBoolean does, with ${name}`, async () => {
      const words = ["Yes", "No", "yes", "nO", " No", "No ", "NO", "1", "0", "TRUE", "False", "T", "f", "NAN", "N/A"];
      const cells = [...CELLS, ...words];
      const bad = new Set<number>();
      const wrong: string[] = [];
      await chunks(cells, "v", (chunk, offset) => {
        const n = chunk.rowCount;
        const out = textValues(chunk.getColumnVector(0), n, new Float64Array(n), table, NaN, (text, i) => {
          const b = parseBoolean(text);
          if (b === undefined) bad.add(offset + i);
          return b ?? NaN;
        });
        for (let i = 0; i < n; i++) {
          const want = parseBoolean(cells[offset + i]);
          const got = bad.has(offset + i) ? undefined : out[i];
          if (!Object.is(got, want)) wrong.push(JSON.stringify(cells[offset + i]));
        }
      });
      expect(wrong).toEqual([]);
      expect(bad.size).toBeGreaterThan(10);
    });
  }

  it("ByteTable finds each key by its bytes, not a prefix or a longer text, over many keys", () => {
    const t = new ByteTable();
    const keys = Array.from({ length: 500 }, (_, i) => `L${i % 7}_${i}`);
    keys.forEach((k, i) => t.set(k, i));
    t.set("é", 1000).set("x".repeat(13), 2000); // a key longer than 12 bytes is never inline: left out
    const bytes = (s: string) => Buffer.from(s, "utf8");
    const get = (s: string) => t.get(bytes(s), 0, bytes(s).length);
    expect(keys.map(get)).toEqual(keys.map((_, i) => i));
    expect([get("L0_"), get("L0_00"), get("L1_1 "), get("é"), get("x".repeat(13)), get("")]).toEqual([
      undefined,
      undefined,
      undefined,
      1000,
      undefined,
      undefined,
    ]);
  });
});

describe("ByteTable.getWords: a cell by its 16-byte string_t", () => {
  const t = new ByteTable();
  const keys = Array.from({ length: 500 }, (_, i) => `L${i % 7}_${i}`);
  keys.forEach((k, i) => t.set(k, i));
  t.set("é", 1000).set("", 3000).set("twelve-bytes", 4000);
  /** A string_t as DuckDB lays an inline one out (length, the bytes, zeros), with `pad` in its last byte. */
  const cell = (s: string, pad = 0): Uint32Array => {
    const b = new Uint8Array(16);
    b.set(Buffer.from(s, "utf8"), 4);
    if (pad) b[15] = pad;
    const w = new Uint32Array(b.buffer);
    w[0] = Buffer.byteLength(s);
    return w;
  };
  it("finds every key, and nothing that is not one", () => {
    expect(keys.map((k) => t.getWords(cell(k), 0))).toEqual(keys.map((_, i) => i));
    expect(["é", "", "twelve-bytes"].map((k) => t.getWords(cell(k), 0))).toEqual([1000, 3000, 4000]);
    expect(["L0_", "L0_00", "L1_1 ", "e", "twelve-byte"].map((k) => t.getWords(cell(k), 0))).toEqual(
      Array(5).fill(undefined),
    );
  });
  it("a cell padded with other bytes is not found by its words (textValues then looks it up by bytes)", () => {
    expect(t.getWords(cell("L0_0", 7), 0)).toBeUndefined();
    const b = new Uint8Array(cell("L0_0", 7).buffer);
    expect(t.get(b, 4, 4)).toBe(0);
  });
  it("reads a cell at any word offset of a vector's memory", () => {
    const mem = new Uint32Array(12);
    mem.set(cell("L3_10"), 4);
    mem.set(cell("L4_11"), 8);
    // (four zero words are the empty string)
    expect([t.getWords(mem, 4), t.getWords(mem, 8), t.getWords(mem, 0)]).toEqual([10, 11, 3000]);
  });
});

describe("textCells = the cells' strings", () => {
  it("short, long (past 36 characters), non-ASCII, empty and NULL cells, in chunks of mixed kinds", async () => {
    const kinds = [
      "C1000-1",
      "C10001000-123456",
      "w".repeat(12),
      "v".repeat(13),
      "x".repeat(36),
      "y".repeat(37),
      "é-ü-" + "z".repeat(20),
      "",
      null,
    ];
    const cells = Array.from({ length: 5000 }, (_, i) => {
      const k = kinds[i % kinds.length]!;
      return k === null ? null : i % 3 === 0 ? `${k}${i}` : k;
    });
    const got: (string | null)[] = [];
    await chunks(cells, ["v", ...pieceSql("v")].join(", "), (chunk) => {
      const vecs = Array.from({ length: 1 + PIECES }, (_, k) => chunk.getColumnVector(k));
      const c = textCells(vecs[0]!, vecs.slice(1), chunk.rowCount);
      for (let i = 0; i < chunk.rowCount; i++) got.push(cellOf(c, i));
    });
    expect(got).toEqual(cells);
  });
});
