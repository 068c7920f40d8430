/**
 * The leakage guard of training (issue 14): eda's rule on the training rows, one warning per leaking
 * column, `data.allow_leaky` to silence it, metrics.json and the report recording it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { profile } from "../../src/eda/profile.js";
import { findLeaks, leakMessage, singleColumnAuc } from "../../src/evaluation/leakage.js";
import { train } from "../../src/pipeline/api.js";
import { errorOf, tmp, typed, write } from "../helpers.js";

/** 400 customers; `closed_days` is recorded after churn (0 for stayers), `reason` names the churn reason. */
function attrition(rows = 400) {
  const data: Record<string, unknown>[] = [];
  let s = 7;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648), s / 2147483648);
  for (let i = 0; i < rows; i++) {
    const tenure = Math.floor(rand() * 72);
    const churn = rand() < 0.2 + (tenure < 12 ? 0.3 : 0);
    data.push({
      tenure,
      plan: ["basic", "plus", "pro"][i % 3],
      closed_days: churn ? 1 + Math.floor(rand() * 30) : 0,
      reason: churn ? ["price", "service"][i % 2] : "stayed",
      churn: churn ? "Yes" : "No",
    });
  }
  return data;
}

const capture = () => {
  const warned: string[] = [];
  const log = { info: () => {}, warn: (m: string) => warned.push(m), error: () => {} } as never;
  return { log, warned };
};

describe("single-column AUC", () => {
  it("numbers: the value as a score, missing left out, folded to at least 0.5", () => {
    const y = Uint8Array.from([0, 0, 1, 1, 0]);
    const idx = [0, 1, 2, 3, 4];
    expect(singleColumnAuc(Float64Array.from([1, 2, 3, 4, NaN]), "numeric", y, idx)).toBe(1);
    expect(singleColumnAuc(Float64Array.from([4, 3, 2, 1, NaN]), "numeric", y, idx)).toBe(1);
    expect(singleColumnAuc(Float64Array.from([1, 3, 2, 4, 0]), "numeric", y, idx)).toBeCloseTo(5 / 6, 12);
  });

  it("categories: the in-sample churn rate per value; more levels than rows / 5 are not checked", () => {
    const y = Uint8Array.from([1, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
    const idx = Array.from({ length: 10 }, (_, i) => i);
    const v = ["a", "a", "b", "b", "b", "a", "b", "b", "b", "b"];
    expect(singleColumnAuc(v, "categorical", y, idx)).toBe(1);
    expect(singleColumnAuc(["a", "b", "c", "a", "b", "c", "a", "b", "c", "d"], "categorical", y, idx)).toBeNull();
  });

  it("findLeaks flags only the separating columns, in input order, with allow_leaky marking them", () => {
    const t = typed({ x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], noise: [3, 1, 4, 1, 5, 9, 2, 6, 5, 3] });
    const y = Uint8Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    const inputs = [
      { column: "noise", type: "numeric" as const },
      { column: "x", type: "numeric" as const },
    ];
    expect(findLeaks(t, inputs, y)).toEqual([{ column: "x", type: "numeric", auc: 1, allowed: false }]);
    expect(findLeaks(t, inputs, y, ["x"])).toEqual([{ column: "x", type: "numeric", auc: 1, allowed: true }]);
    expect(leakMessage({ column: "x", type: "numeric", auc: 1, allowed: false })).toBe(
      'column "x" may leak the target: a threshold on it separates the classes with AUC 1.000; check that it is known before the customer churns, else drop it (data.drop), or list it in data.allow_leaky once checked',
    );
  });

  it("gives eda's AUCs on the same rows (one rule, two engines)", async () => {
    const rows = attrition();
    const dir = tmp();
    const csv = write(
      dir,
      "a.csv",
      "tenure,plan,closed_days,reason,churn\n" +
        rows.map((r) => [r.tenure, r.plan, r.closed_days, r.reason, r.churn].join(",")).join("\n") +
        "\n",
    );
    const p = await profile(csv, { target: "churn" });
    const y = Uint8Array.from(rows, (r) => (r.churn === "Yes" ? 1 : 0));
    const idx = rows.map((_, i) => i);
    const t = typed({
      tenure: rows.map((r) => r.tenure as number),
      closed_days: rows.map((r) => r.closed_days as number),
      plan: rows.map((r) => r.plan as string),
      reason: rows.map((r) => r.reason as string),
    });
    for (const [name, type] of [
      ["tenure", "numeric"],
      ["closed_days", "numeric"],
      ["plan", "categorical"],
      ["reason", "categorical"],
    ] as const) {
      const mine = singleColumnAuc(t.columns.get(name)!.values, type, y, idx)!;
      expect(mine, name).toBeCloseTo(p.columns.find((c) => c.name === name)!.association!.auc!, 12);
    }
    expect(p.warnings.filter((w) => w.kind === "leakage").map((w) => w.column)).toEqual(["closed_days", "reason"]);
  });
});

describe("training warns about leaking columns", () => {
  it("one warning per column, naming it and its AUC; metrics.json and the report record them", async () => {
    const { log, warned } = capture();
    const out = join(tmp(), "m");
    const { metrics } = await train({ data: attrition(), target: "churn", log, out });
    expect(warned).toEqual([
      'column "closed_days" may leak the target: a threshold on it separates the classes with AUC 1.000; check that it is known before the customer churns, else drop it (data.drop), or list it in data.allow_leaky once checked',
      'column "reason" may leak the target: its values map to churn almost perfectly (AUC 1.000 from the churn rate per value); check that it is known before the customer churns, else drop it (data.drop), or list it in data.allow_leaky once checked',
    ]);
    expect(metrics.leakage).toEqual([
      { column: "closed_days", type: "numeric", auc: 1, allowed: false },
      { column: "reason", type: "categorical", auc: 1, allowed: false },
    ]);
    const file = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
    expect(file.leakage).toEqual(metrics.leakage);
    const html = readFileSync(join(out, "report.html"), "utf8");
    const first = html.indexOf("may leak the target");
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(html.indexOf("Model family")); // above the summary facts
  });

  it("data.allow_leaky silences the listed columns only; metrics.json keeps them, marked allowed", async () => {
    const { log, warned } = capture();
    const { metrics } = await train({
      data: attrition(),
      target: "churn",
      log,
      config: { data: { allow_leaky: ["reason"] } },
    });
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/^column "closed_days" may leak the target/);
    expect(metrics.leakage!.map((l) => [l.column, l.allowed])).toEqual([
      ["closed_days", false],
      ["reason", true],
    ]);
  });

  it("no leak, no warning: an empty list in metrics.json", async () => {
    const { log, warned } = capture();
    const { metrics } = await train({ data: attrition(), target: "churn", drop: ["closed_days", "reason"], log });
    expect(warned).toEqual([]);
    expect(metrics.leakage).toEqual([]);
  });

  it("a column in data.allow_leaky that is not in the data is an error naming the key", async () => {
    const e = await errorOf(() =>
      train({ data: attrition(), target: "churn", config: { data: { allow_leaky: ["closed_dayz"] } } }),
    );
    expect(e.message).toBe(
      'column "closed_dayz" named in data.allow_leaky is not in rows (nor a derived feature); columns are: tenure, plan, closed_days, reason, churn',
    );
  });
});
