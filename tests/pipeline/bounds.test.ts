/**
 * The costs that must not grow with the table (issue 13): `auto` cross-validates a stratified sample of at most
 * `search.max_rows` training rows, and permutation importance measures at most `evaluation.importance_max_rows`
 * held-out rows; `run` measures importance once, on the test split.
 */
import { describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { ChurnKit } from "../../src/pipeline/churnkit.js";
import { runPipeline } from "../../src/pipeline/run.js";
import { heldOutText, TOP_RISK_ROWS } from "../../src/pipeline/held-out.js";
import { permutationImportance } from "../../src/artifact/importance.js";
import { stratifiedSample } from "../../src/data/split.js";
import { tableFromRows } from "../../src/data/load.js";
import { rawSource } from "../../src/data/source.js";
import { Rng } from "../../src/utils/random.js";
import { tmp } from "../helpers.js";

function rows(n: number, seed: number): Record<string, unknown>[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const a = rng.next() * 4 - 2;
    const b = rng.next();
    return { a, b, churn: rng.next() < 1 / (1 + Math.exp(-2 * a)) ? "Yes" : "No" };
  });
}

describe("stratifiedSample", () => {
  it("is null up to max rows, else about max rows keeping each class's share, the same for a seed", () => {
    const y = Uint8Array.from({ length: 10_000 }, (_, i) => (i % 4 === 0 ? 1 : 0)); // 2,500 positives
    expect(stratifiedSample(y, 10_000, 1)).toBeNull();
    const s = stratifiedSample(y, 1_000, 1)!;
    expect(s.length).toBe(1_000);
    expect(Array.from(s).filter((i) => y[i] === 1).length).toBe(250);
    expect(Array.from(s)).toEqual(Array.from(stratifiedSample(y, 1_000, 1)!));
    expect(Array.from(s)).not.toEqual(Array.from(stratifiedSample(y, 1_000, 2)!));
    for (let k = 1; k < s.length; k++) expect(s[k]!).toBeGreaterThan(s[k - 1]!);
  });
});

describe("bounded extras", () => {
  it("permutation importance measures a stratified sample of maxRows labelled rows, and says so", async () => {
    const { model } = await train({
      data: rows(2_000, 1),
      target: "churn",
      config: { evaluation: { permutation_repeats: 0 } },
    });
    let seen: [number, number] = [0, 0];
    const imp = await permutationImportance(model, tableFromRows(rows(3_000, 2)), {
      repeats: 2,
      maxRows: 500,
      onRows: (m, n) => (seen = [m, n]),
    });
    expect(seen).toEqual([500, 3_000]);
    expect(Object.keys(imp)[0]).toBe("a");
  });

  it("train records the rows importance was measured on; auto cross-validates at most search.max_rows rows", async () => {
    const { metrics } = await train({
      data: rows(3_000, 3),
      target: "churn",
      model: "auto",
      config: {
        search: { families: ["logreg", "tree"], candidates: 1, max_rows: 1_000 },
        split: { folds: 2 },
        evaluation: { permutation_repeats: 1, importance_max_rows: 200 },
      },
    });
    // 3,000 rows, 20% validation: 2,400 training rows, of which 1,000 are cross-validated.
    expect(metrics.leaderboard!.of_rows).toBe(2_400);
    expect(metrics.leaderboard!.cv_rows).toBe(1_000);
    expect(metrics.feature_importance!.of_rows).toBe(600);
    expect(metrics.feature_importance!.rows).toBe(200);
  });

  it("reads back as text a stratified sample of held-out rows for importance, and the highest-risk ones too for the report", async () => {
    const n = 1_000;
    const table = tableFromRows(
      Array.from({ length: n }, (_, i) => ({ id: `c${i}`, churn: i % 5 === 0 ? "Yes" : "No" })),
    );
    const y = Uint8Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const p = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % n) / n); // a permutation of 0 .. 0.999
    const rowsOf = Int32Array.from({ length: n }, (_, i) => i);
    const h = await heldOutText(rawSource(table), rowsOf, y, p, 100, 3);
    expect(h.of).toBe(n);
    expect(h.importance.rows).toBe(100);
    expect(h.importance.data.churn!.filter((v) => v === "Yes")).toHaveLength(20); // stratified
    const ids = new Set(h.report.data.id);
    const top = Array.from(rowsOf)
      .sort((a, b) => p[b]! - p[a]!)
      .slice(0, TOP_RISK_ROWS);
    for (const i of top) expect(ids.has(`c${i}`)).toBe(true);
    for (const id of h.importance.data.id!) expect(ids.has(id)).toBe(true);
    expect(h.report.rows).toBeLessThanOrEqual(100 + TOP_RISK_ROWS);
    // Under the bound: every row, read once, for both.
    const whole = await heldOutText(rawSource(table), rowsOf, y, p, n, 3);
    expect(whole.importance.rows).toBe(n);
    expect(whole.report).toBe(whole.importance);
  });

  it("run measures importance once, on the test split, within importance_max_rows", async () => {
    const kit = new ChurnKit({
      data: { target: "churn" },
      evaluation: { permutation_repeats: 1, importance_max_rows: 300 },
      out: `${tmp()}/m`,
    });
    let measured = 0;
    const originalTrain = kit.train.bind(kit);
    kit.train = async (t, opts) => {
      expect(opts).toEqual({ importance: false });
      const r = await originalTrain(t, opts);
      expect(r.importance).toBeUndefined();
      measured++;
      return r;
    };
    kit.open = () => Promise.resolve(rawSource(tableFromRows(rows(4_000, 4))));
    const { metrics } = await runPipeline(kit);
    expect(measured).toBe(1);
    expect(metrics.feature_importance!.measured_on).toBe("test split");
    expect(metrics.feature_importance!.of_rows).toBe(800);
    expect(metrics.feature_importance!.rows).toBe(300);
  });
});
