import { describe, expect, it, beforeAll } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { ChurnModel } from "../../src/artifact/churn-model.js";
import { permutationImportance } from "../../src/artifact/importance.js";
import { Rng } from "../../src/utils/random.js";
import { TELCO, errorOf, telcoLines, tmp, write } from "../helpers.js";
import { loadTable, type RawTable, type RawValue } from "../../src/data/load.js";

/** Synthetic churn rows: churn depends strongly on `signal`, weakly on `plan`, not at all on `noise`. */
function synthetic(n: number, seed: number): Record<string, unknown>[] {
  const rng = new Rng(seed);
  const plans = ["basic", "plus", "pro"];
  return Array.from({ length: n }, () => {
    const signal = rng.next() * 10;
    const plan = plans[rng.int(3)]!;
    const noise = rng.next();
    const z = (signal - 5) * 1.2 + (plan === "basic" ? 0.4 : 0);
    return { signal, plan, noise, churned: rng.next() < 1 / (1 + Math.exp(-z)) ? "yes" : "no" };
  });
}

describe("permutation importance", () => {
  it("ranks a planted informative feature first and a noise feature near zero", async () => {
    const { model } = await train({ data: synthetic(3000, 1), target: "churned", model: "logreg" });
    const imp = await permutationImportance(model, tableOf(synthetic(1500, 2)), { repeats: 3, seed: 5 });
    expect(Object.keys(imp)[0]).toBe("signal");
    expect(imp.signal!.mean).toBeGreaterThan(0.2);
    expect(Math.abs(imp.noise!.mean)).toBeLessThan(0.01);
    expect(imp.signal!.std).toBeGreaterThanOrEqual(0);
  });

  it("on the bundled data puts Contract or tenure among the top 4 features (metrics.json)", async () => {
    const { metrics } = await train({ data: TELCO, target: "Churn", model: "logreg" });
    const fi = metrics.feature_importance!;
    expect(fi.measured_on).toBe("validation split");
    const top4 = Object.keys(fi.permutation).slice(0, 4);
    expect(top4.some((c) => c === "Contract" || c === "tenure")).toBe(true);
    // Coefficients are per model column; one-hot levels carry their level in the name.
    expect(Object.keys(fi.coefficients!).some((k) => k.startsWith("Contract="))).toBe(true);
    expect(fi.gain).toBeUndefined();
  });
});

function tableOf(rows: Record<string, unknown>[]): RawTable {
  const columns = Object.keys(rows[0]!);
  const data: Record<string, RawValue[]> = {};
  for (const c of columns) data[c] = rows.map((r) => r[c] as RawValue);
  return { origin: "rows", columns, rows: rows.length, data };
}

describe("explanations on real models", () => {
  let sample: string;
  beforeAll(() => {
    const { header, lines } = telcoLines();
    sample = write(tmp(), "sample.csv", [header, ...lines.slice(0, 2000)].join("\n") + "\n");
  });

  const logit = (p: number) => Math.log(p / (1 - p));

  for (const [family, params, calibration] of [
    ["logreg", {}, "none"],
    ["tree", { max_depth: 5 }, "none"],
    ["forest", { n_estimators: 20, max_depth: 8 }, "none"],
    ["gbdt", { max_iter: 40 }, "none"],
    ["gbdt", { max_iter: 40 }, "platt"],
    ["logreg", {}, "isotonic"],
  ] as const) {
    it(`${family} (calibration ${calibration}): base_value + Σ contributions = log(p / (1 − p)) to 1e-9 on every row`, async () => {
      const { model } = await train({
        data: sample,
        target: "Churn",
        model: family,
        params: { ...params },
        config: { model: { calibration }, evaluation: { permutation_repeats: 0 } },
      });
      const table = await loadTable(sample);
      const ex = await model.explain(table);
      const { probability } = await model.predictProba(table);
      expect(ex).toHaveLength(2000);
      let worst = 0;
      ex.forEach((e, i) => {
        const p = Math.min(Math.max(probability[i]!, 1e-15), 1 - 1e-15);
        const sum = e.base_value + Object.values(e.contributions).reduce((a, b) => a + b, 0);
        worst = Math.max(worst, Math.abs(sum - logit(p)));
        expect(e.row).toBe(i);
      });
      expect(worst).toBeLessThan(1e-9);
      // Contributions are per input column: one-hot levels fold back into their column.
      expect(Object.keys(ex[0]!.contributions)).toContain("Contract");
      expect(Object.keys(ex[0]!.contributions).some((k) => k.includes("="))).toBe(false);
    });
  }

  it("rejects rows out of range, and a model without the state explanations need", async () => {
    const { model } = await train({
      data: sample,
      target: "Churn",
      model: "logreg",
      config: { evaluation: { permutation_repeats: 0 } },
    });
    const table = await loadTable(sample);
    expect((await errorOf(() => model.explain(table, { rows: [2000] }))).message).toMatch(
      /row 2000 is out of range; the input has rows 0 to 1999/,
    );
    const old = ChurnModel.fromArtifact({ ...model.artifact, feature_means: undefined });
    expect((await errorOf(() => old.explain(table, { rows: [0] }))).message).toMatch(/no training means .* retrain it/);
  });
});
