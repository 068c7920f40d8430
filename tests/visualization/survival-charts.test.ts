/** The report's survival charts, built from the evaluation's curve data, render to SVG with their titles, steps, dashes and legends. */
import { describe, expect, it } from "vitest";
import type { TopLevelSpec } from "vega-lite";
import { horizonCalibration, observedVsPredicted, riskGroupCurves } from "../../src/evaluation/survival-curves.js";
import type { SurvivalData } from "../../src/evaluation/survival.js";
import { Rng } from "../../src/utils/random.js";
import {
  escapeHtml,
  horizonCalibrationChart,
  renderSvg,
  survivalChart,
  toVega,
} from "../../src/visualization/index.js";

async function rendered(spec: TopLevelSpec, texts: string[]): Promise<string> {
  const svg = await renderSvg(spec);
  expect(svg.startsWith("<svg")).toBe(true);
  for (const t of texts) expect(svg, `text "${t}"`).toContain(escapeHtml(t));
  expect(svg).not.toMatch(/NaN/);
  expect(svg).not.toMatch(/<script|xlink:href="http/);
  return svg;
}

/** Line marks of the compiled Vega spec, with their interpolation. */
async function lineInterpolations(spec: TopLevelSpec): Promise<unknown[]> {
  const vega = JSON.stringify(await toVega(spec));
  return [...vega.matchAll(/"interpolate":\{"value":"([a-z-]+)"\}/g)].map((m) => m[1]);
}

// 600 customers, hazard rising with a risk score, censored at 36 months at the latest.
const rng = new Rng(21);
const n = 600;
const risk = Float64Array.from({ length: n }, () => rng.next() * 2 - 1);
const time = new Float64Array(n);
const event = new Uint8Array(n);
for (let i = 0; i < n; i++) {
  const t = Math.ceil(-Math.log(1 - rng.next()) / (0.04 * Math.exp(risk[i]!)));
  const c = 6 + Math.floor(rng.next() * 31);
  time[i] = Math.min(t, c);
  event[i] = t <= c ? 1 : 0;
}
const data: SurvivalData = { time, event };
const survivalAt = (i: number, t: number) => Math.exp(-0.04 * Math.exp(risk[i]!) * t);

describe("survival charts", () => {
  it("Kaplan–Meier of the data against the model's mean prediction: steps, the model dashed", async () => {
    const { observed, predicted } = observedVsPredicted(data, survivalAt);
    const spec = survivalChart({
      series: [
        { name: "observed (Kaplan–Meier)", ...observed },
        { name: "model (mean predicted)", ...predicted, dashed: true },
      ],
      timeTitle: "tenure (months)",
      title: "Survival on the test split",
    });
    expect(await lineInterpolations(spec)).toContain("step-after");
    const svg = await rendered(spec, [
      "tenure (months)",
      "Share still a customer",
      "observed (Kaplan–Meier)",
      "model (mean predicted)",
      "Survival on the test split",
      "100%",
    ]);
    expect(svg).toMatch(/stroke-dasharray="6,3"/);
    // The time axis ends at the last follow-up time, 36.
    expect(svg).toContain(">35<");
  });

  it("Kaplan–Meier by risk group: one solid step curve per tertile", async () => {
    const groups = riskGroupCurves(data, risk);
    const spec = survivalChart({
      series: groups.map((g) => ({ name: `${g.label} (${g.rows})`, ...g.curve })),
      timeTitle: "tenure (months)",
    });
    const svg = await rendered(spec, ["low risk (200)", "medium risk (200)", "high risk (200)"]);
    expect(svg).not.toMatch(/stroke-dasharray="6,3"/);
    await rendered(survivalChart({ series: [{ name: "one", time: [0, 5], survival: [1, 0.5] }] }), ["Time"]);
    expect(() => survivalChart({ series: [{ name: "bad", time: [0, 1], survival: [1] }] })).toThrow(
      /"bad" has 2 times and 1 values/,
    );
  });

  it("calibration at each horizon: a line per horizon against the diagonal", async () => {
    const horizons = [3, 6, 12].map((h) => {
      const p = Float64Array.from({ length: n }, (_, i) => 1 - survivalAt(i, h));
      const cal = horizonCalibration(data, p, h, 5);
      return {
        name: `within ${h} months`,
        bins: cal.bins.map((b) => ({ predicted: b.mean_predicted, observed: b.observed, count: b.rows })),
      };
    });
    const svg = await rendered(horizonCalibrationChart({ horizons }), [
      "Predicted churn within the horizon",
      "Observed churn within it (Kaplan–Meier)",
      "within 3 months",
      "within 12 months",
      "Rows",
    ]);
    expect(svg).toMatch(/stroke-dasharray="4,3"/); // the diagonal
  });
});
