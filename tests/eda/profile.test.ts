/** profile() on small crafted files, against hand-computed numbers, and on the bundled Telco data. */
import { describe, expect, it } from "vitest";
import { profile } from "../../src/eda/profile.js";
import type { ColumnProfile, Profile } from "../../src/eda/types.js";
import { errorOf, TELCO, tmp, write } from "../helpers.js";

const col = (p: Profile, name: string): ColumnProfile => p.columns.find((c) => c.name === name)!;

// 10 rows. x: 1..8 and two missing (NA, empty); y = x² (missing where x is);
// cat a/a/a b/b/b/b c/c/c with churn 1/3, 2/4, 3/3; leak = churn relabelled; leaknum separates the classes.
const CRAFTED = `x,y,z,cat,leak,leaknum,churn
1,1,3,a,L1,101,Yes
2,4,1,a,L0,2,No
3,9,2,a,L0,3,No
4,16,2,b,L1,104,Yes
5,25,5,b,L1,105,Yes
6,36,4,b,L0,6,No
7,49,4,b,L0,7,No
8,64,6,c,L1,108,Yes
NA,null,7, c ,L1,109,Yes
,,7,c,L1,110,Yes
`;

/** Average ranks (ties share the mean rank). */
function ranks(v: number[]): number[] {
  const idx = v.map((_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const r = new Array<number>(v.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1]!] === v[idx[i]!]) j++;
    for (let k = i; k <= j; k++) r[idx[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}
function pearson(a: number[], b: number[]): number {
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe("profile on a crafted CSV", async () => {
  const dir = tmp();
  const p = await profile(write(dir, "crafted.csv", CRAFTED), { target: "churn" });

  it("types, missing share and target", () => {
    expect(p.rows).toBe(10);
    expect(p.columns.map((c) => c.type)).toEqual([
      "numeric",
      "numeric",
      "numeric",
      "categorical",
      "categorical",
      "numeric",
      "boolean",
    ]);
    expect(col(p, "x").missing).toBe(2);
    expect(col(p, "x").missingShare).toBe(0.2);
    expect(col(p, "y").missing).toBe(2); // "null" is a missing token
    expect(col(p, "cat").distinct).toBe(3); // " c " is trimmed
    expect(p.target).toMatchObject({
      column: "churn",
      positive: "Yes",
      negatives: ["No"],
      guessed: false,
      known: 10,
      positives: 6,
      rate: 0.6,
      missing: 0,
    });
  });

  it("numeric statistics: mean, sample std, interpolated quantiles", () => {
    const n = col(p, "x").numeric!;
    expect(n.min).toBe(1);
    expect(n.max).toBe(8);
    expect(n.mean).toBe(4.5);
    expect(n.std).toBeCloseTo(Math.sqrt(6), 12); // sample variance of 1..8 = 8·9/12 = 6
    expect(n.quantiles.p5).toBeCloseTo(1.35, 12); // 1 + 0.05·7
    expect(n.quantiles.p25).toBeCloseTo(2.75, 12);
    expect(n.quantiles.p50).toBeCloseTo(4.5, 12);
    expect(n.quantiles.p75).toBeCloseTo(6.25, 12);
    expect(n.quantiles.p95).toBeCloseTo(7.65, 12);
    expect(n.integer).toBe(true);
    expect(n.histogram.reduce((s, b) => s + b.count, 0)).toBe(8);
    expect(n.histogram[0]).toEqual({ start: 0.5, end: 1.5, count: 1 });
  });

  it("churn rate per category and per quantile bin", () => {
    const top = col(p, "cat").top!;
    expect(top.map((t) => [t.value, t.count, t.positives, t.rate])).toEqual([
      ["b", 4, 2, 0.5],
      ["a", 3, 1, 1 / 3],
      ["c", 3, 3, 1],
    ]);
    expect(top[0]!.share).toBe(0.4);
    const bins = col(p, "x").rateByQuantile!;
    expect(bins).toHaveLength(8); // 8 distinct values, 10 bins: one value per bin
    expect(bins[0]).toMatchObject({ start: 1, end: 1, count: 1, positives: 1, rate: 1 });
    expect(bins[1]).toMatchObject({ start: 2, end: 2, rate: 0 });
  });

  it("Pearson and Spearman on known data", () => {
    const c = p.correlations;
    const i = c.columns.indexOf("x");
    const j = c.columns.indexOf("y");
    const k = c.columns.indexOf("z");
    const xs = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(c.pearson[i]![j]).toBeCloseTo(
      pearson(
        xs,
        xs.map((v) => v * v),
      ),
      10,
    ); // pairwise complete: 8 rows
    expect(c.pearson[i]![j]).toBeCloseTo(0.9762, 4);
    expect(c.spearman[i]![j]).toBeCloseTo(1, 12); // monotonic
    const z = [3, 1, 2, 2, 5, 4, 4, 6, 7, 7];
    const zAll = ranks(z);
    // z has no missing values: ranks over all 10 rows, correlated on the 8 rows where x is present.
    expect(c.spearman[i]![k]).toBeCloseTo(pearson(xs, zAll.slice(0, 8)), 10);
    expect(c.pearson[j]![k]).toBeCloseTo(
      pearson(
        xs.map((v) => v * v),
        z.slice(0, 8),
      ),
      10,
    );
    expect(c.pearson[i]![i]).toBe(1);
  });

  it("Cramér's V on a crafted table", () => {
    // p = 0.6; chi² = 0.64/0.72 + 0.16/0.96 + 1.44/0.72 = 3.0556; V = sqrt(chi²/10)
    expect(col(p, "cat").association!.cramersV).toBeCloseTo(
      Math.sqrt((0.64 / 0.72 + 0.16 / 0.96 + 1.44 / 0.72) / 10),
      10,
    );
    expect(col(p, "cat").association!.cramersV).toBeCloseTo(0.55277, 4);
  });

  it("flags the leaking columns, and only them", () => {
    const leaks = p.warnings.filter((w) => w.kind === "leakage").map((w) => w.column);
    expect(leaks.sort()).toEqual(["leak", "leaknum"]);
    expect(col(p, "leaknum").association!.auc).toBe(1);
    expect(col(p, "x").association!.auc).toBeLessThan(0.99);
    expect(p.duplicateRows).toBe(0);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p); // JSON-serialisable
  });

  it("counts duplicate rows, constant and mostly-missing columns, identifiers", async () => {
    const rows = Array.from(
      { length: 24 },
      (_, i) => `C${i},${i < 3 ? 1 : i},k,${i < 20 ? "" : i},${i % 2 ? "Yes" : "No"}`,
    );
    rows.push("C0,1,k,,No", "C0,1,k,,No"); // two exact repeats of the first row
    const q = await profile(write(dir, "dups.csv", `id,n,const,sparse,Churn\n${rows.join("\n")}\n`));
    expect(q.target?.column).toBe("Churn");
    expect(q.target?.guessed).toBe(true);
    expect(q.duplicateRows).toBe(2);
    const kinds = (k: string) => q.warnings.filter((w) => w.kind === k).map((w) => w.column);
    expect(kinds("constant")).toEqual(["const"]);
    expect(kinds("missing")).toEqual(["sparse"]);
    expect(kinds("duplicates")).toHaveLength(1);
    expect(col(q, "sparse").missingShare).toBeCloseTo(22 / 26, 12);
  });

  it("reports an all-missing column and a one-valued target as errors, and throws for unusable files", async () => {
    const q = await profile(write(dir, "bad.csv", "a,b,churn\n1,,No\n2,NA,No\n3,,No\n"), { target: "churn" });
    expect(
      q.warnings
        .filter((w) => w.severity === "error")
        .map((w) => w.kind)
        .sort(),
    ).toEqual(["all-missing", "target-one-value"]);
    expect(q.target).toBeUndefined();
    expect((await errorOf(() => profile(write(dir, "empty.csv", "a,b\n")))).message).toMatch(
      /empty\.csv: has no data rows/,
    );
    expect((await errorOf(() => profile(write(dir, "t.csv", "a,b\n1,2\n"), { target: "c" }))).message).toMatch(
      /target column "c" not found/,
    );
    expect((await errorOf(() => profile(write(dir, "bad.parquet", "this is not parquet at all")))).message).toMatch(
      /bad\.parquet: cannot be read as PARQUET/,
    );
    expect((await errorOf(() => profile(write(dir, "bad.json", '{"a": [1, 2')))).message).toMatch(
      /bad\.json: cannot be read as JSON/,
    );
  });
});

describe("profile of the bundled Telco data", async () => {
  const p = await profile(TELCO);
  it("finds customerID as an identifier and TotalCharges numeric with 11 missing", () => {
    expect(p.rows).toBe(7043);
    expect(col(p, "customerID").role).toBe("identifier");
    expect(p.warnings.find((w) => w.kind === "identifier")?.column).toBe("customerID");
    expect(col(p, "TotalCharges")).toMatchObject({ type: "numeric", missing: 11 });
    expect(col(p, "TotalCharges").numeric!.mean).toBeCloseTo(2283.3004, 3);
    expect(p.target).toMatchObject({ column: "Churn", positive: "Yes", positives: 1869, guessed: true });
    expect(p.warnings.filter((w) => w.kind === "leakage")).toEqual([]);
    expect(p.correlations.columns).toEqual(["SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"]);
  });
});
