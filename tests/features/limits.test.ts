/**
 * Resource limits of derived features: an expression that could build huge text is refused before
 * it runs, a slow one is interrupted, an overlong one is refused at the check, echoed SQL is cut
 * short, and the internal row-number column never collides with an input column.
 */
import { join } from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { addDerived, checkDerived } from "../../src/features/derived.js";
import { ROW_COLUMN } from "../../src/features/expression.js";
import { maxTextLength } from "../../src/features/growth.js";
import { parseDerived } from "../../src/features/expression.js";
import { withSandbox } from "../../src/features/sandbox.js";
import { UserError } from "../../src/utils/errors.js";
import { errorOf, tmp, typed, write } from "../helpers.js";
import { runCli } from "../cli-run.js";

/** `replace(...replace(col, 'e', 'eeeeeeeeee')...)` nested `depth` deep: text ×10 per level. */
const nested = (col: string, depth: number) => {
  let e = col;
  for (let i = 0; i < depth; i++) e = `replace(${e}, 'e', 'eeeeeeeeee')`;
  return `length(${e})`;
};

const people = () => typed({ gender: ["Female", "Male", null], tenure: [1, 2, 3] });

const bound = async (sql: string, longest: number) => {
  const p = await withSandbox((con) => parseDerived(con, sql));
  if (!p.ok) throw new Error("not allowed");
  return maxTextLength(p.tree, longest);
};

describe("derived features: resource limits", () => {
  afterEach(() => {
    delete process.env.CHURNKIT_DERIVED_TIME_LIMIT_MS;
  });

  it("nested replace that would build gigabytes is refused before it runs, naming the bound", async () => {
    const e = await errorOf(() => addDerived(people(), [{ name: "x", sql: nested("gender", 9) }], { model: "m.json" }));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      'm.json: derived feature "x" could build text of up to 6.40e+10 bytes per row on this input (at most 1000000 are allowed); simplify it and retrain the model',
    );
    const c = await errorOf(() =>
      addDerived(people(), [{ name: "x", sql: nested("gender", 12) }], { config: "c.yaml" }),
    );
    expect(c.message).toBe(
      "c.yaml: features.derived.x: could build text of up to 6.40e+13 bytes per row on this input (at most 1000000 are allowed); simplify it",
    );
  });

  it("the bound is exact for simple text and above the truth for growing text", async () => {
    expect(await bound("gender", 18)).toBe(64); // any value is at least a scalar's room
    expect(await bound("gender || 'abc'", 100)).toBe(103);
    expect(await bound("replace(gender, 'e', 'eeeeeeeeee')", 100)).toBe(1000);
    expect(await bound("replace(gender, 'ee', 'e')", 100)).toBe(100);
    expect(await bound("regexp_replace(gender, 'x*', 'ab', 'g')", 100)).toBe(100 + 101 * 2);
    expect(await bound("regexp_replace(gender, 'x*', '<\\0>', 'g')", 100)).toBe(100 + 101 * (4 + 100));
    expect(await bound("CASE WHEN tenure > 1 THEN upper(gender) ELSE 'x' END", 100)).toBe(300);
    // DuckDB's real result is within the bound: "Female" has 2 e's, "Male" 1, ×10 per level.
    const { table } = await addDerived(people(), [{ name: "x", sql: nested("gender", 4) }]);
    expect([...(table.columns.get("x")!.values as Float64Array)]).toEqual([4 + 2 * 10_000, 3 + 10_000, NaN]);
    expect(await bound(nested("gender", 4), 18)).toBeGreaterThanOrEqual(20_004);
  });

  it("normal expressions are unaffected, on long text too", async () => {
    const long = "ab".repeat(5000);
    const t = typed({ s: [long, "x"], n: [1, 2] });
    const { table } = await addDerived(t, [
      { name: "a", sql: "length(lower(replace(s, 'a', 'AA')) || 'z')" },
      { name: "b", sql: "regexp_replace(s, 'b+', '-', 'g') = 'x'" },
      { name: "c", sql: "n * 2 + 1" },
    ]);
    expect([...(table.columns.get("a")!.values as Float64Array)]).toEqual([15_001, 2]);
    expect([...(table.columns.get("b")!.values as Float64Array)]).toEqual([0, 1]);
    expect([...(table.columns.get("c")!.values as Float64Array)]).toEqual([3, 5]);
  });

  it("an evaluation past the time limit is interrupted: a UserError naming the limit and the rows", async () => {
    process.env.CHURNKIT_DERIVED_TIME_LIMIT_MS = "1";
    const n = 200_000;
    const s = Array.from({ length: n }, (_, i) => `Female${i}`.repeat(8));
    const sql = "length(regexp_replace(regexp_replace(s, '(e|a|l)+', 'xyz', 'g'), '(x|y)*z', 'q', 'g'))";
    const e = await errorOf(() => addDerived(typed({ s }), [{ name: "slow", sql }], { model: "m.json" }));
    expect(e.message).toBe(
      `m.json: derived feature "slow" took longer than 0.001 s to evaluate on ${n} rows; simplify it and retrain the model`,
    );
    // The sandbox still works afterwards.
    delete process.env.CHURNKIT_DERIVED_TIME_LIMIT_MS;
    const { table } = await addDerived(people(), [{ name: "t2", sql: "tenure * 2" }]);
    expect([...(table.columns.get("t2")!.values as Float64Array)]).toEqual([2, 4, 6]);
  });

  it("an expression longer than 10,000 characters is refused at the check, without echoing it", async () => {
    const sql = "1" + " + 1".repeat(2500);
    const e = await errorOf(() => checkDerived([{ name: "big", sql }], { model: "m.json" }));
    expect(e.message).toBe(
      'm.json: derived feature "big" is 10001 characters long (at most 10000 are allowed); retrain the model with a shorter one',
    );
  });

  it("an invalid expression is echoed in at most 200 characters", async () => {
    const sql = "1 +" + " 1 +".repeat(1000);
    const e = await errorOf(() => checkDerived([{ name: "f", sql }], {}));
    expect(
      e.message.startsWith(
        `features.derived.f: is not a valid SQL expression: ${JSON.stringify(sql).slice(0, 199)}… (`,
      ),
    ).toBe(true);
    expect(e.message.length).toBeLessThan(900);
  });

  it("an input column named like the row-number column is refused; __row is now an ordinary column", async () => {
    const t = typed({ [ROW_COLUMN.toUpperCase()]: [1, 2], tenure: [1, 2] });
    const e = await errorOf(() => addDerived(t, [{ name: "d", sql: "tenure + 1" }]));
    expect(e.message).toBe(
      `input column "${ROW_COLUMN.toUpperCase()}": churnkit uses this name for row numbers when it computes derived features; rename the column`,
    );
    const { table } = await addDerived(typed({ __ROW: [7, 8], tenure: [1, 2] }), [
      { name: "d", sql: "__row + tenure" },
    ]);
    expect([...(table.columns.get("d")!.values as Float64Array)]).toEqual([8, 10]);
  });
});

describe("derived features: limits through the CLI", () => {
  it("train with a nested-replace config and predict with such a model.json exit 2 with one line, quickly", async () => {
    const dir = tmp("churnkit-limits-");
    const rows = ["customerID,gender,tenure,__row,Churn"];
    for (let i = 0; i < 60; i++) rows.push(`c${i},${i % 2 ? "Female" : "Male"},${i},${i % 5},${i % 3 ? "No" : "Yes"}`);
    const data = write(dir, "d.csv", rows.join("\n") + "\n");
    const bad = write(dir, "bad.yaml", `features:\n  derived:\n    x: ${JSON.stringify(nested("gender", 9))}\n`);
    const ok = write(dir, "ok.yaml", `features:\n  derived:\n    x: ${JSON.stringify("length(gender) + __row")}\n`);
    const train = (config: string, out: string) =>
      runCli(["train", "--data", data, "--target", "Churn", "--config", config, "--model", "logreg", "--out", out], {
        timeoutMs: 60_000,
      });
    const b = await train(bad, join(dir, "bad"));
    expect(b.status).toBe(2);
    expect(b.stderr.trim().split("\n")).toHaveLength(1);
    expect(b.stderr).toContain("features.derived.x: could build text of up to 6.40e+10 bytes per row");
    const model = join(dir, "m");
    const g = await train(ok, model);
    expect(g.status, g.stderr).toBe(0);
    const file = join(model, "model.json");
    const m = JSON.parse(readFileSync(file, "utf8")) as { derived: { sql: string }[] };
    m.derived[0]!.sql = nested("gender", 12);
    writeFileSync(file, JSON.stringify(m));
    const p = await runCli(["predict", "--model", model, "--data", data], { timeoutMs: 60_000 });
    expect(p.status).toBe(2);
    expect(p.stderr.trim()).toBe(
      `churnkit: model.json: derived feature "x" could build text of up to 6.40e+13 bytes per row on this input (at most 1000000 are allowed); simplify it and retrain the model`,
    );
  }, 120_000);
});
