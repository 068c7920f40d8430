import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { csvDialect, sniffCsv } from "../../src/data/csv-dialect.js";
import { duck } from "../../src/data/duckdb.js";
import { sourceSql } from "../../src/data/load.js";
import { tmp, write } from "../helpers.js";

const rows = async (path: string) => (await (await duck()).runAndReadAll(sourceSql(path))).getRowObjectsJS();
const names = async (path: string) =>
  (await (await duck()).runAndReadAll(`SELECT * FROM (${sourceSql(path)}) LIMIT 0`)).columnNames();

describe("CSV dialect sniffed once", () => {
  it("reads the same rows with the sniffed dialect as DuckDB's own sniffing: semicolons, quotes, CRLF, a comma inside quotes", async () => {
    const dir = tmp();
    const text = 'id;plan;note\r\n1;"a;b";x\r\n2;pro;"say ""hi"""\r\n3;;\r\n';
    const p = write(dir, "semi.csv", text);
    expect(csvDialect(p)).toBe("");
    const before = { rows: await rows(p), names: await names(p) };
    await sniffCsv(p);
    expect(csvDialect(p)).toBe(`, delim = ';', quote = '"', escape = '"', new_line = '\\r\\n', comment = '', skip = 0`);
    expect(sourceSql(p)).toContain("delim = ';'");
    expect({ rows: await rows(p), names: await names(p) }).toEqual(before);
    expect(before.rows).toEqual([
      { id: "1", plan: "a;b", note: "x" },
      { id: "2", plan: "pro", note: 'say "hi"' },
      { id: "3", plan: null, note: null },
    ]);
  });

  it("a file without quotes reads with no quote character; a changed file is sniffed again, not read with stale options", async () => {
    const dir = tmp();
    const p = write(dir, "plain.csv", "a,b\n1,2\n3,4\n");
    await sniffCsv(p);
    expect(csvDialect(p)).toBe(`, delim = ',', quote = '', escape = '', new_line = '\\n', comment = '', skip = 0`);
    expect(await rows(p)).toEqual([
      { a: "1", b: "2" },
      { a: "3", b: "4" },
    ]);
    writeFileSync(p, "a\tb\tc\n1\t2\t3\n");
    expect(csvDialect(p)).toBe("");
    expect(await rows(p)).toEqual([{ a: "1", b: "2", c: "3" }]);
  });

  it("a missing or unsniffable file is left unknown, so the query that reads it fails with DuckDB's own cause", async () => {
    const dir = tmp();
    const missing = join(dir, "nope.csv");
    await sniffCsv(missing);
    expect(csvDialect(missing)).toBe("");
    const bad = write(dir, "latin.csv", "");
    writeFileSync(bad, Buffer.from([0x61, 0x0a, 0xe9, 0xff, 0x0a]));
    await sniffCsv(bad);
    expect(csvDialect(bad)).toBe("");
  });
});
