/** `churnkit export`: the file it writes, and its exit-2 errors (format, existing output, unportable features). */
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { train } from "../../src/pipeline/api.js";
import { runCli } from "../cli-run.js";
import { tmp } from "../helpers.js";
import { tableFromRows } from "../../src/data/load.js";
import { maxAbsDiff, scoreChurnkit, scoreOnnx } from "./onnx-run.js";

const rows = Array.from({ length: 200 }, (_, i) => ({
  id: `r${i}`,
  a: (i * 37) % 101,
  b: i % 3 === 0 ? "x" : i % 3 === 1 ? "y" : "z",
  churn: ((i * 37) % 101) + (i % 3) * 20 > 70 ? "yes" : "no",
}));

describe("churnkit export", () => {
  let dir: string;
  let model: string;
  beforeAll(async () => {
    dir = tmp();
    model = join(dir, "model");
    await train({ data: rows, target: "churn", idColumns: ["id"], model: "logreg", out: model });
  }, 60_000);

  it("writes the SQL query atomically and says where", async () => {
    const out = join(dir, "score.sql");
    const r = await runCli(["export", "--model", model, "--format", "sql", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/model \(logreg\) exported as sql to .*score\.sql \(\d+ bytes\)/);
    const sql = readFileSync(out, "utf8");
    expect(sql).toMatch(/^-- churnkit .* model \(logreg\)/);
    expect(sql).toContain("FROM input");
    expect(sql.trimEnd().endsWith(";")).toBe(true);
  });

  it("writes the ONNX graph, the same bytes as the format itself, and it scores like the model", async () => {
    const out = join(dir, "model.onnx");
    const r = await runCli(["export", "--model", model, "--format", "onnx", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const table = tableFromRows(rows);
    const got = await scoreOnnx(model, table);
    expect(Buffer.compare(readFileSync(out), Buffer.from(got.bytes))).toBe(0);
    const want = await scoreChurnkit(model, table);
    expect(maxAbsDiff(got.probability, want.probability)).toBeLessThan(1e-5);
  });

  it("refuses an existing --out without --force (exit 2, the file untouched), replaces it with --force", async () => {
    const out = join(dir, "exists.sql");
    writeFileSync(out, "keep me");
    const r = await runCli(["export", "--model", model, "--format", "sql", "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/exists\.sql.*already exists; pass --force to replace it/);
    expect(readFileSync(out, "utf8")).toBe("keep me");
    const f = await runCli(["export", "--model", model, "--format", "sql", "--out", out, "--force"]);
    expect(f.status).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("churn_probability");
  });

  it("an unknown format is exit 2 naming the known ones", async () => {
    const out = join(dir, "x.pmml");
    const r = await runCli(["export", "--model", model, "--format", "pmml", "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--format: unknown export format "pmml"; known: .*sql/);
    expect(existsSync(out)).toBe(false);
  });

  it("a derived feature the export cannot translate is exit 2 naming it", async () => {
    const m2 = join(dir, "model-round");
    await train({
      data: rows,
      target: "churn",
      idColumns: ["id"],
      model: "logreg",
      out: m2,
      config: { features: { derived: { a_rounded: "round(a / 7)" } } },
    });
    const out = join(dir, "round.sql");
    const r = await runCli(["export", "--model", m2, "--format", "sql", "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/derived feature "a_rounded" .*cannot be exported to SQL: it uses the function round\(\)/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it("a missing model is exit 2", async () => {
    const r = await runCli(["export", "--model", join(dir, "nope"), "--format", "sql", "--out", join(dir, "n.sql")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/model not found/);
  });
});
