/** profile() on wide files: the correlation matrices are capped (bounded memory) and the profile says so. */
import { describe, expect, it } from "vitest";
import { profile } from "../../src/eda/profile.js";
import { edaReport } from "../../src/eda/report.js";
import { tmp, write } from "../helpers.js";

/**
 * `rows` × `cols` numeric columns feat_0…; every tenth column (feat_0, feat_10, …) carries a signal
 * that decides `churn` (Yes/No), the others are noise. Deterministic (a fixed linear congruential generator).
 */
function wideCsv(rows: number, cols: number, target = true): string {
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const header = Array.from({ length: cols }, (_, j) => `feat_${j}`);
  const out = [(target ? [...header, "churn"] : header).join(",")];
  for (let i = 0; i < rows; i++) {
    const z = rnd() - 0.5;
    const y = z + 0.3 * (rnd() - 0.5) > 0;
    const v: string[] = [];
    for (let j = 0; j < cols; j++) v.push(((j % 10 === 0 ? 2 * z : 0) + rnd()).toFixed(4));
    if (target) v.push(y ? "Yes" : "No");
    out.push(v.join(","));
  }
  return out.join("\n") + "\n";
}

describe("profile of a wide file", () => {
  it("correlates the 50 numeric columns most associated with the target of 400, and warns", async () => {
    const p = await profile(write(tmp(), "wide.csv", wideCsv(60, 400)));
    expect(p.rows).toBe(60);
    const c = p.correlations;
    expect(c.candidates).toBe(400);
    expect(c.selectedBy).toBe("target association");
    expect(c.columns).toHaveLength(50);
    expect(c.pearson).toHaveLength(50);
    expect(c.spearman.every((r) => r.length === 50)).toBe(true);
    // All 40 signal columns are among the 50, and the matrix keeps file order.
    for (let j = 0; j < 400; j += 10) expect(c.columns).toContain(`feat_${j}`);
    const index = c.columns.map((n) => Number(n.slice(5)));
    expect(index).toEqual([...index].sort((a, b) => a - b));
    // The kept columns are the 50 largest |point-biserial r|.
    const strength = new Map(p.columns.map((col) => [col.name, Math.abs(col.association?.pointBiserial ?? 0)]));
    const weakestKept = c.columns.reduce((m, n) => Math.min(m, strength.get(n)!), Infinity);
    const strongestLeft = p.columns
      .filter((col) => col.name !== "churn" && !c.columns.includes(col.name))
      .reduce((m, col) => Math.max(m, strength.get(col.name)!), 0);
    expect(weakestKept).toBeGreaterThanOrEqual(strongestLeft);
    // Signal columns correlate with each other (same z), noise columns do not.
    const i0 = c.columns.indexOf("feat_0");
    const i10 = c.columns.indexOf("feat_10");
    expect(c.pearson[i0]![i10]!).toBeGreaterThan(0.7);
    expect(c.pearson[i0]![i0]).toBe(1);
    expect(p.warnings.filter((w) => w.kind === "correlations-capped")).toEqual([
      {
        severity: "info",
        kind: "correlations-capped",
        message:
          "correlations are shown for the 50 most associated with the target (|point-biserial r|) of 400 numeric columns; a wider matrix would not fit in memory or on a page",
      },
    ]);
  }, 120_000);

  it("without a target keeps the first columns in file order, and the report says how many are shown", async () => {
    const p = await profile(write(tmp(), "wide.csv", wideCsv(30, 12, false)), { maxCorrelationColumns: 5 });
    expect(p.target).toBeUndefined();
    expect(p.correlations).toMatchObject({
      columns: ["feat_0", "feat_1", "feat_2", "feat_3", "feat_4"],
      candidates: 12,
      selectedBy: "file order",
    });
    expect(p.warnings.find((w) => w.kind === "correlations-capped")?.message).toBe(
      "correlations are shown for the first 5 in file order (no target) of 12 numeric columns; a wider matrix would not fit in memory or on a page",
    );
    const html = await edaReport(p);
    expect(html).toContain(
      "Only 5 of the 12 numeric columns are shown: the first in file order (there is no target to rank them by).",
    );
  }, 60_000);

  it("does not cap, nor warn, at or below the limit", async () => {
    const p = await profile(write(tmp(), "narrow.csv", wideCsv(30, 6)));
    expect(p.correlations.columns).toHaveLength(6);
    expect(p.correlations.candidates).toBe(6);
    expect(p.correlations.selectedBy).toBeUndefined();
    expect(p.warnings.some((w) => w.kind === "correlations-capped")).toBe(false);
  }, 60_000);
});

describe("EDA report of a wide file", () => {
  it("charts at most maxCharts columns, the ones that alone separate the classes best, and says so", async () => {
    const p = await profile(write(tmp(), "wide.csv", wideCsv(60, 400)));
    const svgs = (html: string) => html.split("<svg").length - 1;
    const five = await edaReport(p, { maxCharts: 5 });
    const ten = await edaReport(p, { maxCharts: 10 });
    expect(svgs(ten) - svgs(five)).toBe(5);
    expect(five).toContain(
      "Charts of 5 of the 400 feature columns: those that alone separate the classes best (single-column AUC furthest from 0.5).",
    );
    // The five charted are the five with the largest |AUC − 0.5|, all of them signal columns (feat_0, feat_10, …).
    const strength = (n: string) => Math.abs((p.columns.find((c) => c.name === n)!.association?.auc ?? 0.5) - 0.5);
    const ranked = p.columns
      .filter((c) => c.role === "feature")
      .map((c) => c.name)
      .sort((a, b) => strength(b) - strength(a));
    const start = five.indexOf("Distributions</h2>");
    const section = five.slice(start, five.indexOf("<h2", start));
    expect(start).toBeGreaterThan(0);
    for (const name of ranked.slice(0, 5)) {
      expect(Number(name.slice(5)) % 10).toBe(0);
      expect(section).toContain(name);
    }
    for (const name of ranked.slice(-5)) expect(section).not.toContain(`${name}<`);
    const all = await edaReport(p, { maxCharts: 400 });
    expect(all).not.toContain("Charts of ");
    expect(svgs(all) - svgs(ten)).toBe(390);
  }, 120_000);
});

describe("profile with column names like the query's own aliases", () => {
  it("types columns named x0, r1, b2, t0 as any other (they used to be taken for internal aliases)", async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `${i % 7},${(i * 3) % 11},${i % 2 ? "yes" : "no"},t${i % 3}`);
    const p = await profile(write(tmp(), "aliases.csv", ["x0,r1,b2,t0", ...rows].join("\n") + "\n"));
    expect(p.columns.map((c) => [c.name, c.type])).toEqual([
      ["x0", "numeric"],
      ["r1", "numeric"],
      ["b2", "boolean"],
      ["t0", "categorical"],
    ]);
  }, 60_000);
});
