/**
 * One rule for odd and non-finite numbers (values.ts), at training (inferSchema) and at
 * prediction (typeColumn, the CLI); prototype-safe column names; DuckDB's cause in errors.
 * The CLI cases run the built CLI: run `npm run build` before this file alone.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { tableFromRows } from "../../src/data/load.js";
import { inferSchema } from "../../src/data/schema.js";
import { typeColumn } from "../../src/data/typed.js";
import { oddNumber, parseNumber } from "../../src/data/values.js";
import { loadModel } from "../../src/artifact/churn-model.js";
import { errorOf, raw, tmp, write } from "../helpers.js";
import { runCli } from "../cli-run.js";

const cli = (args: string[]) => runCli(args);

/** Exit 2 and exactly one stderr line, no stack trace; returns the line. */
function oneLine(r: { status: number | null; stderr: string }): string {
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.split("\n").filter((l) => l.length > 0);
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toContain("    at ");
  return lines[0]!;
}

/** A CSV of `n` rows: x numeric (0..n-1), a category, churn Yes/No; `cell(i)` overrides x. */
function csv(n: number, cell: (i: number) => string | undefined = () => undefined): string {
  const lines = ["x,plan,churn"];
  for (let i = 0; i < n; i++)
    lines.push(`${cell(i) ?? i % 50},${["a", "b", "c"][i % 3]},${i % 3 === 0 ? "Yes" : "No"}`);
  return lines.join("\n") + "\n";
}

describe("odd numbers (values.ts)", () => {
  it("reads plain numbers only; says why inf, 1e309, 1,234, 0x10 and -nan are not numbers", () => {
    expect(parseNumber(" 4.2e1 ")).toBe(42);
    expect(parseNumber("NaN")).toBeNaN(); // a missing word, as before
    for (const v of ["inf", "Infinity", "-inf", "+INF", "1e309", "-1e400", "1,234", "0x10", "-nan", Infinity])
      expect(parseNumber(v)).toBeUndefined();
    expect(oddNumber("inf")).toBe("is infinite; write a finite number or leave it empty for missing");
    expect(oddNumber("-Infinity")).toBe("is infinite; write a finite number or leave it empty for missing");
    expect(oddNumber(-Infinity)).toBe("is infinite; write a finite number or leave it empty for missing");
    expect(oddNumber("1e309")).toBe(
      "is too large for a number (it overflows to infinity); write a finite number or leave it empty for missing",
    );
    expect(oddNumber("1,234")).toBe("has a thousands separator; write it as 1234");
    expect(oddNumber("-12,345.5")).toBe("has a thousands separator; write it as -12345.5");
    expect(oddNumber("0x10")).toBe("is not a decimal number; write it as 16");
    expect(oddNumber("-0b101")).toBe("is not a decimal number; write it as -5");
    expect(oddNumber("-nan")).toBe("is not a number; leave it empty for missing");
    for (const v of ["42", "abc", "", "NA", null, "1,2", "0xZZ", 7]) expect(oddNumber(v)).toBeUndefined();
  });

  it("training: inf/Infinity/1,234/0x10 keep the column numeric and fail naming column, count and first row", () => {
    const x: (string | number)[] = Array.from({ length: 30 }, (_, i) => String(i));
    x[4] = "inf";
    x[9] = "Infinity";
    x[14] = "1,234";
    x[19] = "0x10";
    const t = raw({ x, churn: x.map((_, i) => (i % 2 ? "Yes" : "No")) }, "odd.csv");
    expect(() => inferSchema(t, { target: "churn" })).toThrow(
      'odd.csv: column "x" is numeric but 4 values are not plain finite numbers, the first in row 5: "inf" is infinite; write a finite number or leave it empty for missing (or declare the column in data.types or data.drop)',
    );
    // init only describes the data: the same line is a warning and the column stays numeric.
    const warned: string[] = [];
    const log = { warn: (m: string) => warned.push(m), info: () => {} } as never;
    expect(inferSchema(t, { target: "churn", oddNumbers: "warn", log }).columns[0]).toMatchObject({ type: "numeric" });
    expect(warned).toEqual([expect.stringMatching(/^odd\.csv: column "x" is numeric but 4 values/)]);
    // Declared categorical, the same cells are labels.
    const s = inferSchema(t, { target: "churn", types: { x: "categorical" } });
    expect(s.columns.find((c) => c.name === "x")).toMatchObject({ type: "categorical", role: "identifier" });
    // Dropped, they do not matter.
    expect(inferSchema(t, { target: "churn", drop: ["x"] }).columns[0]).toMatchObject({
      type: "numeric",
      role: "ignored",
    });
  });

  it("training: a single 1e309 is named with its row; a column of hex codes only is categorical, with a warning", () => {
    const y = Array.from({ length: 30 }, (_, i) => (i === 7 ? "1e309" : String(i % 5)));
    const t = raw({ y, churn: y.map((_, i) => (i % 2 ? "Yes" : "No")) }, "big.csv");
    expect(() => inferSchema(t, { target: "churn" })).toThrow(
      'big.csv: column "y" is numeric but 1 value is not a plain finite number in row 8: "1e309" is too large for a number (it overflows to infinity); write a finite number or leave it empty for missing (or declare the column in data.types or data.drop)',
    );
    const warnings: string[] = [];
    const log = { warn: (m: string) => warnings.push(m), info: () => {} } as never;
    const hex = raw({ code: ["0x1f", "0xa0", "", "0x1f"], churn: ["Yes", "No", "Yes", "No"] });
    expect(inferSchema(hex, { target: "churn", log }).columns[0]!.type).toBe("categorical");
    expect(warnings).toEqual([
      'column "code": no value is a plain number (row 1: "0x1f" is not a decimal number; write it as 31); it is read as categorical',
    ]);
  });

  it("prediction: an odd or infinite value in a numeric column is an error naming row and column", () => {
    const t = tableFromRows([{ x: 1 }, { x: "2" }, { x: "1e309" }], "scores.csv");
    expect(() => typeColumn(t, { name: "x", type: "numeric" })).toThrow(
      'scores.csv: row 3, column "x": "1e309" is too large for a number (it overflows to infinity); write a finite number or leave it empty for missing',
    );
    const js = tableFromRows([{ x: -Infinity }]);
    expect(() => typeColumn(js, { name: "x", type: "numeric" }, 10)).toThrow(
      'request: row 11, column "x": -Infinity is infinite; write a finite number or leave it empty for missing',
    );
    expect(() => typeColumn(tableFromRows([{ x: "1,234" }]), { name: "x", type: "numeric" })).toThrow(
      'request: row 1, column "x": "1,234" has a thousands separator; write it as 1234',
    );
  });
});

describe("finite numbers near the largest double", () => {
  it("1e308 trains logreg and gbdt with a finite mean, std and median (no sum overflowing to infinity)", async () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ x: i % 2 ? 1e308 : i, churn: i % 3 ? "No" : "Yes" }));
    for (const model of ["logreg", "gbdt"] as const) {
      const { model: m } = await train({
        data: rows,
        target: "churn",
        model,
        config: { evaluation: { permutation_repeats: 0 } },
      });
      expect(m.artifact.preprocess.numeric[0]).toEqual({
        column: "x",
        type: "numeric",
        fill: 5e307,
        mean: 5e307 + 24.75,
        std: 5e307,
      });
      const stats = m.artifact.reference_stats.x as { mean: number; std: number };
      expect([stats.mean, stats.std]).toEqual([5e307 + 24.75, 5e307]);
      const [p] = await m.predict([{ x: 1e308 }]);
      expect(Number.isFinite(p!.churn_probability)).toBe(true);
    }
  });
});

describe("odd numbers through the CLI", () => {
  const dir = tmp("churnkit-odd-");

  it("1e309 in a feature: train exits 2 naming column and row for logreg and gbdt (and tree), never exit 1", async () => {
    const data = write(
      dir,
      "big.csv",
      csv(120, (i) => (i === 40 ? "1e309" : undefined)),
    );
    for (const model of ["logreg", "gbdt", "tree"]) {
      const line = oneLine(
        await cli(["train", "--data", data, "--target", "churn", "--model", model, "--out", join(dir, model)]),
      );
      expect(line).toBe(
        `churnkit: ${data}: column "x" is numeric but 1 value is not a plain finite number in row 41: "1e309" is too large for a number (it overflows to infinity); write a finite number or leave it empty for missing (or declare the column in data.types or data.drop)`,
      );
    }
  });

  it("predict: inf in a numeric column is exit 2 naming row and column; NaN text is missing, as in training", async () => {
    const data = write(dir, "ok.csv", csv(120));
    expect(
      (await cli(["train", "--data", data, "--target", "churn", "--model", "logreg", "--out", join(dir, "m")])).status,
    ).toBe(0);
    const bad = write(
      dir,
      "bad.csv",
      csv(10, (i) => (i === 6 ? "-inf" : i === 2 ? "NaN" : undefined)),
    );
    expect(oneLine(await cli(["predict", "--model", join(dir, "m"), "--data", bad]))).toBe(
      `churnkit: ${bad}: row 7, column "x": "-inf" is infinite; write a finite number or leave it empty for missing`,
    );
    const nan = write(
      dir,
      "nan.csv",
      csv(10, (i) => (i === 2 ? "NaN" : undefined)),
    );
    const r = await cli(["predict", "--model", join(dir, "m"), "--data", nan]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(11);
  });

  it("a latin-1 CSV is exit 2 with DuckDB's cause and line in the one line", async () => {
    const data = join(dir, "latin1.csv");
    writeFileSync(data, Buffer.from(csv(60).replace(/,a,/g, ",Zürich,"), "latin1"));
    const line = oneLine(await cli(["train", "--data", data, "--target", "churn", "--out", join(dir, "l1")]));
    expect(line).toContain(`churnkit: ${data}: cannot be read as CSV (`);
    expect(line).toContain("CSV Error on Line: 2");
    expect(line).toContain("This file is not utf-8 encoded.");
    expect(line).toMatch(/convert the file to UTF-8 \(e\.g\. iconv -f latin1 -t utf-8\)$/);
    expect(line).not.toContain("Possible Solution");
  });

  it("a ragged row after DuckDB's sniffing sample: exit 2 naming the line and the column counts", async () => {
    const lines = csv(30000).trimEnd().split("\n");
    lines.splice(25001, 0, "1,a,Yes,extra");
    const data = write(dir, "late.csv", lines.join("\n") + "\n");
    const line = oneLine(await cli(["train", "--data", data, "--target", "churn", "--out", join(dir, "late")]));
    expect(line).toContain(
      "CSV Error on Line: 25002; Original Line: 1,a,Yes,extra; Expected Number of Columns: 3 Found: 4",
    );
  });
});

describe("columns named like Object.prototype members", () => {
  it("constructor, valueOf, __proto__ and toString are typed by their values, trained on and scored", async () => {
    const dir = tmp("churnkit-proto-");
    const lines = ["constructor,valueOf,__proto__,toString,churn"];
    for (let i = 0; i < 200; i++)
      lines.push(
        `${i % 7},${["a", "b"][i % 2]},${(i * 0.37) % 5},${["p", "q", "r"][i % 3]},${i % 4 === 0 ? "Yes" : "No"}`,
      );
    const data = write(dir, "proto.csv", lines.join("\n") + "\n");
    const out = join(dir, "m");
    await train({ data, target: "churn", model: "logreg", out, config: { evaluation: { permutation_repeats: 0 } } });
    const model = await loadModel(out);
    expect(model.artifact.inputs).toEqual([
      { name: "constructor", type: "numeric" },
      { name: "valueOf", type: "categorical" },
      { name: "__proto__", type: "numeric" },
      { name: "toString", type: "categorical" },
    ]);
    const stats = JSON.parse(readFileSync(join(out, "model.json"), "utf8")).reference_stats as object;
    expect(Object.keys(stats)).toEqual(["constructor", "valueOf", "__proto__", "toString"]);
    // Rows as JSON (own "__proto__" keys) score like the file's rows; a row without them is refused.
    const rows = JSON.parse('[{"constructor": 3, "valueOf": "b", "__proto__": 1.5, "toString": "q"}]') as Record<
      string,
      unknown
    >[];
    const [p] = await model.predict(rows);
    expect(p!.churn_probability).toBeGreaterThan(0);
    expect(p!.churn_probability).toBeLessThan(1);
    const e = await errorOf(() => model.predict([{ toString: "q" }]));
    expect(e.message).toBe(
      'request: missing columns "constructor", "valueOf", "__proto__"; the model was trained with them, add them to the input',
    );
  });
});
