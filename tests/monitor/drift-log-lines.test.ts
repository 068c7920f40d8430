/**
 * `churnkit drift --data` on a request log of `serve --log-requests` whose lines are not all good (the built CLI):
 * a half-written last line (a live log) is skipped with a note and the rest checked as if it were absent; a line
 * that is not a request-log object, has `"row": null` or is not JSON is exit 2 with one line naming its line
 * number, never a file-wide "missing columns" report nor a row of missing values. Also the reader itself
 * (log-lines.ts): row numbers stay line numbers across blank lines, a gzipped log reads as the plain one.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli-run.js";
import { tmp } from "../helpers.js";
import { readLogLines } from "../../src/monitor/log-lines.js";
import type { RawValue } from "../../src/data/load.js";
import { split, subscriptions, writeCsv } from "./tables.js";

const TIMEOUT = 240_000;
const dir = tmp("churnkit-drift-lines-");
const model = join(dir, "model");
let lines: string[] = [];

beforeAll(async () => {
  const [train, rest] = split(subscriptions(2000, 3), 4);
  const t = await runCli([
    "train",
    ...["--data", writeCsv(dir, "train.csv", train), "--target", "churned", "--model", "logreg", "--out", model],
  ]);
  expect(t.status, t.stderr).toBe(0);
  const numeric = new Set(["tenure_months", "monthly_fee", "support_calls", "days_since_login"]);
  lines = rest.rows.map((r) => {
    const row = Object.fromEntries(
      rest.header.map((h, j) => [h, r[j] === "" ? null : numeric.has(h) ? Number(r[j]) : r[j]]),
    );
    delete row.churned;
    return JSON.stringify({ time: "2026-01-01T00:00:00.000Z", row, churn_probability: 0.5, churn: false });
  });
}, TIMEOUT);

const log = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

async function drift(data: string) {
  const r = await runCli(["drift", "--model", model, "--data", data, "--json"], { level: "warn" });
  return { ...r, result: r.status === 0 ? (JSON.parse(r.stdout) as { rows: number; columns: unknown[] }) : undefined };
}

describe("drift on a request log with bad lines", () => {
  it(
    "a half-written last line is skipped with a note; the result is that of the complete lines",
    async () => {
      const whole = await drift(log("whole.jsonl", lines.join("\n") + "\n"));
      expect(whole.status, whole.stderr).toBe(0);
      const cut = lines[7]!.slice(0, 60);
      const live = await drift(log("live.jsonl", lines.join("\n") + "\n" + cut));
      expect(live.status, live.stderr).toBe(0);
      expect(live.result!.rows).toBe(lines.length);
      expect(live.result!.columns).toEqual(whole.result!.columns);
      expect(live.stderr).toContain(`skipped line ${lines.length + 1}, the last one, as not yet complete`);
      // A complete last line without a line end is a row, not skipped.
      const noEnd = await drift(log("no-end.jsonl", lines.join("\n")));
      expect(noEnd.status, noEnd.stderr).toBe(0);
      expect(noEnd.result!.rows).toBe(lines.length);
      expect(noEnd.stderr).not.toContain("skipped");
    },
    TIMEOUT,
  );

  it.each([
    ["an array", "[1,2]", 'line 4 is an array, not an object; every line of a request log is {"time", "row": {...}'],
    ["a number", "42", "line 4 is 42, not an object"],
    ["a null row", '{"time":"x","row":null,"churn_probability":0.5}', 'line 4 has "row": null, not an object'],
    ["no row", '{"time":"x","churn_probability":0.5}', 'line 4 has no "row" key'],
    [
      "bad JSON in the middle",
      '{"time":"2026-01-01T00:00:00.000Z","row":{"tenure_months":',
      "line 4 is not valid JSON",
    ],
  ])(
    "a line that is %s is exit 2 naming the line number",
    async (_what, bad, message) => {
      const text = [...lines.slice(0, 3), bad, ...lines.slice(3)].join("\n") + "\n";
      const r = await drift(log("bad.jsonl", text));
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(`churnkit: ${join(dir, "bad.jsonl")}: ${message}`);
    },
    TIMEOUT,
  );

  it(
    "a bad first line is still read as a request log (not as a table lacking every column)",
    async () => {
      const r = await drift(log("first.jsonl", ["[1]", ...lines].join("\n") + "\n"));
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("line 1 is an array, not an object");
      expect(r.stderr).not.toContain("missing column");
    },
    TIMEOUT,
  );
});

describe("readLogLines", () => {
  const line = (row: Record<string, unknown>) => JSON.stringify({ time: "t", row, churn_probability: 0.1 });
  const collect = async (path: string) => {
    const got: { offset: number; a: RawValue[]; b: RawValue[] }[] = [];
    const info = await readLogLines(path, ["a", "b"], (t, offset) => {
      got.push({ offset, a: t.data.a!, b: t.data.b! });
    });
    return { got, info };
  };

  it("hands on each line's row values; blank lines start a new batch so that offsets are line numbers", async () => {
    const text = [line({ a: 1, b: "x" }), "", line({ a: "2", c: 9 }), line({ b: true }), "  "].join("\n") + "\n";
    const { got, info } = await collect(log("blank.jsonl", text));
    expect(info).toEqual({ rows: 3, lines: 5 });
    expect(got).toEqual([
      { offset: 0, a: [1], b: ["x"] },
      { offset: 2, a: ["2", null], b: [null, true] },
    ]);
  });

  it("reads a gzipped log as the plain one, and names a nested value's line and column", async () => {
    const text = [line({ a: 1, b: "x" }), line({ a: 2, b: "y" })].join("\n") + "\n";
    const plain = await collect(log("p.jsonl", text));
    const gz = join(dir, "p.jsonl.gz");
    writeFileSync(gz, gzipSync(text));
    expect(await collect(gz)).toEqual(plain);
    const nested = log("nested.jsonl", [line({ a: 1 }), line({ a: { x: 1 } })].join("\n") + "\n");
    await expect(collect(nested)).rejects.toThrow(
      `${nested}: line 2, column "a": expected a number, string or boolean, got an object`,
    );
  });

  it("a log that grows while it is read is read up to its size at the start (the next check reads the rest)", async () => {
    const p = log("growing.jsonl", Array.from({ length: 40_000 }, (_, i) => line({ a: i, b: "x" })).join("\n") + "\n");
    let appended = false;
    const info = await readLogLines(p, ["a", "b"], () => {
      // The server appends meanwhile: a whole line, and half of the next.
      if (!appended) appendFileSync(p, line({ a: -1, b: "late" }) + "\n" + line({ a: -2 }).slice(0, 20));
      appended = true;
    });
    expect(appended).toBe(true);
    expect(info).toEqual({ rows: 40_000, lines: 40_000 });
    expect((await collect(p)).info).toEqual({ rows: 40_001, lines: 40_002, skippedLast: 40_002 });
  });

  it("bytes that are not UTF-8 name their line", async () => {
    const p = join(dir, "latin1.jsonl");
    writeFileSync(
      p,
      Buffer.concat([Buffer.from(line({ a: 1 }) + "\n"), Buffer.from('{"row":{"b":"caf\xe9"}}\n', "latin1")]),
    );
    await expect(collect(p)).rejects.toThrow(`${p}: line 2 is not UTF-8 text`);
  });
});
