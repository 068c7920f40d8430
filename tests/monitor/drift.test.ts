/**
 * DriftCounter on a hand-made model file: bins and counts across batches, PSI values computed by hand, missing
 * shares, means, unseen levels, the overall rule, and the one-line refusal of a model file without histograms.
 */
import { describe, expect, it } from "vitest";
import type { ModelArtifact } from "../../src/artifact/artifact.js";
import { DriftCounter } from "../../src/monitor/drift.js";
import { chiSquare999 } from "../../src/monitor/psi.js";
import { VERSION } from "../../src/version.js";
import { errorOf, typed } from "../helpers.js";

const num = (edges: number[], counts: number[], missing = 0, mean = 0) => ({
  type: "numeric" as const,
  missing_share: missing / (missing + counts.reduce((s, c) => s + c, 0)),
  mean,
  std: 1,
  min: 0,
  max: 1,
  quantiles: {},
  histogram: { edges, counts, missing },
});

const artifact = (): ModelArtifact =>
  ({
    format_version: "1.1",
    churnkit_version: "0.12.0",
    inputs: [
      { name: "x", type: "numeric" },
      { name: "c", type: "categorical" },
      { name: "y", type: "numeric" },
    ],
    reference_stats: {
      x: num([1, 2], [50, 30, 20], 0, 1.4),
      c: {
        type: "categorical",
        missing_share: 0,
        distinct: 2,
        top: { a: 0.7, b: 0.3 },
        histogram: { levels: ["a", "b"], counts: [70, 30], other: 0, missing: 0 },
      },
      y: num([0], [50, 50]),
    },
    reference_score: num([0.5], [50, 50], 0, 0.5),
    data_fingerprint: { rows: 100, columns: 3, sha256: "0".repeat(64) },
    config: { data: { path: "train.csv" } },
  }) as unknown as ModelArtifact;

/** One batch of 5 rows: x 0, 0, 3, 3, missing; c a, z, z, missing, b; y −1, 1, −1, 1, 1 … */
const batch = () =>
  typed({ x: [0, 0, 3, 3, null], c: ["a", "z", "z", null, "b"], y: [-1, 1, -1, 1, -1] }, { y: "numeric" });
const scores = Float64Array.from([0.1, 0.2, 0.3, 0.9, 0.95]);

describe("DriftCounter", () => {
  it("counts a batch into the reference bins: PSI, shares, means and unseen levels as computed by hand", () => {
    const d = new DriftCounter(artifact());
    d.add(batch(), scores);
    const r = d.result();
    expect(r.rows).toBe(5);
    const [x, c] = r.columns;
    // Shares 0.5/0.3/0.2/0 → 0.4/0/0.4/0.2, empty bins at 1e-4.
    expect(x!.value).toBeCloseTo(4.081473826444181, 12);
    expect(x!.bins).toEqual([
      { label: "≤ 1", reference: 0.5, current: 0.4 },
      { label: "1 – 2", reference: 0.3, current: 0 },
      { label: "> 2", reference: 0.2, current: 0.4 },
      { label: "(missing)", reference: 0, current: 0.2 },
    ]);
    expect(x).toMatchObject({ type: "numeric", statistic: "psi", band: "major", reference_rows: 100, current_rows: 5 });
    expect(x).toMatchObject({ missing_reference: 0, missing_current: 0.2, mean_reference: 1.4, mean_current: 1.5 });
    // On 5 rows the threshold is the noise floor, χ²(3 df) × (1/100 + 1/5) ≈ 3.44, still below this PSI.
    expect(x!.threshold).toBeCloseTo(chiSquare999(3) * (1 / 100 + 1 / 5), 12);
    expect(x!.drifted).toBe(true);
    expect(c!.value).toBeCloseTo(5.503138847797763, 12);
    expect(c).toMatchObject({ unseen_levels: 1, unseen_share: 0.4, unseen_examples: ["z"], unseen_exact: true });
    expect(c!.bins.map((b) => b.label)).toEqual(["a", "b", "(other levels)", "(missing)"]);
    expect(r.score.column).toBe("churn_probability");
    expect(r.score.value).toBeCloseTo(0.04054651081081642, 14);
    expect(r.score.bins.map((b) => b.label)).toEqual(["≤ 0.5", "> 0.5"]); // the missing bin is empty on both sides
  });

  it("counts across batches; the overall rule: any drifted column, or a share of them with --drift-share", () => {
    const d = new DriftCounter(artifact());
    for (let i = 0; i < 200; i++) d.add(batch(), scores);
    const r = d.result();
    expect(r.rows).toBe(1000);
    // The same shares as one batch: the same PSI, now above the floor.
    expect(r.columns[0]!.value).toBeCloseTo(4.081473826444181, 12);
    expect(r.columns.map((c) => [c.column, c.drifted, c.threshold])).toEqual([
      ["x", true, 0.25],
      ["c", true, 0.25],
      ["y", false, 0.25],
    ]);
    expect(r.columns[2]!.value).toBeCloseTo(0.1 * Math.log(1.2) - 0.1 * Math.log(0.8), 14); // 50/50 → 60/40
    expect(r.drifted_columns).toEqual(["x", "c"]);
    expect(r.drifted_share).toBeCloseTo(2 / 3, 15);
    expect(r.score.drifted).toBe(false);
    expect(r.drifted).toBe(true);
    expect(r.rule).toBe(
      "drift when any input column or the score has PSI ≥ 0.25 (and above the noise of small samples)",
    );
    expect(d.result(0.5).drifted).toBe(true);
    expect(d.result(0.7)).toMatchObject({ drifted: false, drifted_share: 2 / 3 });
    expect(d.result(0.7).rule).toMatch(/^drift when at least 70% of the input columns or the score/);
  });

  it("a model file without reference histograms (format 1.0) is refused in one line that says to retrain", async () => {
    const a = artifact();
    a.format_version = "1.0";
    a.churnkit_version = "0.7.0";
    delete a.reference_stats.c!.histogram;
    expect((await errorOf(() => new DriftCounter(a, "m/model.json"))).message).toBe(
      `m/model.json: no reference histogram of column "c" (model format 1.0, written by churnkit 0.7.0); retrain the model with churnkit ${VERSION} to check drift`,
    );
    const b = artifact();
    delete b.reference_score;
    expect((await errorOf(() => new DriftCounter(b))).message).toMatch(
      /^model.json: no reference score distribution \(model format 1.1, written by churnkit 0.12.0\); retrain/,
    );
  });

  it("a model imported without --data (no reference rows) is refused in one line that says to import it again with --data", async () => {
    const a = artifact();
    for (const s of Object.values(a.reference_stats)) delete (s as { histogram?: unknown }).histogram;
    delete a.reference_score;
    a.data_fingerprint.rows = 0;
    a.config.data.path = "model.xgb.json";
    const m = (await errorOf(() => new DriftCounter(a, "m/model.json"))).message;
    expect(m).toBe(
      "m/model.json: no reference statistics to check drift against: the model was imported (churnkit import) without --data; import it again with a reference table (the table it was trained on, or rows of a reference period): churnkit import --from xgboost|lightgbm model.xgb.json --data TABLE --out DIR",
    );
  });
});
