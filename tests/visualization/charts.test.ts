/** Chart functions give valid Vega-Lite specs that render to SVG with their axis titles; the report builder is self-contained. */
import { describe, expect, it } from "vitest";
import {
  buildReport,
  calibrationChart,
  categoryChart,
  confusionMatrixChart,
  curveChart,
  escapeHtml,
  heatmapChart,
  histogramChart,
  importanceChart,
  renderSvg,
  toVega,
  uniquifyIds,
} from "../../src/visualization/index.js";
import type { TopLevelSpec } from "vega-lite";

/** Render and check the SVG: well-formed start, every title present, no NaN coordinates. */
async function rendered(spec: TopLevelSpec, titles: string[]): Promise<string> {
  await expect(toVega(spec)).resolves.toBeDefined();
  const svg = await renderSvg(spec);
  expect(svg.startsWith("<svg")).toBe(true);
  expect(svg).toContain("</svg>");
  for (const t of titles) expect(svg, `title "${t}"`).toContain(escapeHtml(t));
  expect(svg).not.toMatch(/NaN/);
  expect(svg).not.toMatch(/<script|xlink:href="http/);
  return svg;
}

describe("chart functions", () => {
  it("category bars with churn rates", async () => {
    const spec = categoryChart({
      categories: [
        { label: "Month-to-month", count: 3875, rate: 0.427 },
        { label: "A very long category name that goes on and on and on", count: 1473, rate: 0.113 },
        { label: "Two year", count: 1695, rate: 0.028 },
      ],
      categoryTitle: "Contract",
      overallRate: 0.265,
    });
    const svg = await rendered(spec, ["Contract", "Rows", "Churn rate", "Month-to-month", "42.7%"]);
    expect(svg).toContain("…"); // the long label is cut, not overlapping
    await rendered(categoryChart({ categories: [{ label: "x", count: 1 }] }), ["Category", "Rows"]);
  });

  it("histogram with churn rate per bin", async () => {
    const bins = [0, 1, 2, 3].map((k) => ({ start: k * 10, end: (k + 1) * 10, count: 5 + k }));
    await rendered(histogramChart({ bins, xTitle: "tenure" }), ["tenure", "Rows"]);
    await rendered(
      histogramChart({
        bins,
        xTitle: "tenure",
        rateBins: [
          { start: 0, end: 15, rate: 0.5 },
          { start: 16, end: 40, rate: 0.1 },
        ],
        overallRate: 0.3,
        integer: true,
      }),
      ["tenure", "Rows", "Churn rate"],
    );
  });

  it("curves: ROC with diagonal, PR with baseline, several series", async () => {
    const roc = [
      { x: 0, y: 0 },
      { x: 0.1, y: 0.5 },
      { x: 0.4, y: 0.9 },
      { x: 1, y: 1 },
    ];
    await rendered(
      curveChart({
        series: [{ name: "model", points: roc }],
        xTitle: "False positive rate",
        yTitle: "True positive rate",
        diagonal: true,
        title: "ROC",
      }),
      ["False positive rate", "True positive rate", "ROC"],
    );
    const svg = await rendered(
      curveChart({
        series: [
          { name: "logreg (AUC 0.84)", points: roc },
          { name: "gbdt (AUC 0.85)", points: roc.map((p) => ({ x: p.x, y: Math.min(1, p.y + 0.02) })) },
        ],
        xTitle: "Recall",
        yTitle: "Precision",
        baseline: 0.27,
      }),
      ["Recall", "Precision", "logreg (AUC 0.84)", "gbdt (AUC 0.85)"],
    );
    expect(svg).toContain("stroke-dasharray");
    await rendered(
      curveChart({
        series: [
          {
            name: "lift",
            points: [
              { x: 0.1, y: 3 },
              { x: 1, y: 1 },
            ],
          },
        ],
        xTitle: "Share of customers",
        yTitle: "Lift",
        xDomain: [0, 1],
        yDomain: null,
      }),
      ["Share of customers", "Lift"],
    );
  });

  it("calibration, heatmap, importance with error bars, confusion matrix", async () => {
    await rendered(
      calibrationChart({
        bins: [
          { predicted: 0.1, observed: 0.12, count: 300 },
          { predicted: 0.5, observed: 0.45, count: 80 },
          { predicted: 0.9, observed: 0.8, count: 20 },
        ],
      }),
      ["Mean predicted probability", "Observed churn rate"],
    );
    await rendered(
      heatmapChart({
        rows: ["tenure", "MonthlyCharges"],
        columns: ["tenure", "MonthlyCharges"],
        values: [
          [1, 0.25],
          [0.25, null],
        ],
        valueTitle: "Pearson r",
        xTitle: "Column",
        yTitle: "Column",
      }),
      ["Pearson r", "tenure", "MonthlyCharges", "0.25", "Column"],
    );
    const imp = await rendered(
      importanceChart({
        items: [
          { name: "Contract", value: 0.12, lower: 0.1, upper: 0.14 },
          { name: "tenure", value: 0.08, lower: 0.07, upper: 0.09 },
        ],
        xTitle: "Permutation importance (AUC drop)",
        yTitle: "Feature",
      }),
      ["Permutation importance (AUC drop)", "Feature", "Contract"],
    );
    expect(imp.indexOf("Contract")).toBeLessThan(imp.indexOf("tenure"));
    await rendered(confusionMatrixChart({ tp: 280, fp: 90, tn: 945, fn: 94 }), [
      "Predicted",
      "Actual",
      "true positive",
      "false negative",
      "280 (19.9%)",
    ]);
  });

  it("gives each chart's SVG ids a unique prefix", async () => {
    expect(uniquifyIds('<clipPath id="clip1"></clipPath><g clip-path="url(#clip1)">', "a-")).toBe(
      '<clipPath id="a-clip1"></clipPath><g clip-path="url(#a-clip1)">',
    );
    const spec = curveChart({
      series: [
        {
          name: "m",
          points: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
        },
      ],
      xTitle: "x",
      yTitle: "y",
    });
    const [a, b] = [await renderSvg(spec), await renderSvg(spec)];
    const ids = (s: string) => [...s.matchAll(/id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids(a).filter((i) => ids(b).includes(i))).toEqual([]);
  });
});

describe("HTML report builder", () => {
  it("is self-contained: CSP, embedded CSS with print styles, no scripts, escaped text", async () => {
    const svg = await renderSvg(histogramChart({ bins: [{ start: 0, end: 1, count: 3 }], xTitle: "x" }));
    const html = buildReport({
      title: "Report <1>",
      subtitle: "data.csv",
      sections: [
        {
          title: "Summary",
          blocks: [
            { kind: "facts", items: [["Rows", 7043]] },
            { kind: "callout", level: "error", text: "bad & <worse>" },
          ],
        },
        {
          title: "Table",
          blocks: [
            {
              kind: "table",
              columns: ["name", "value"],
              rows: [
                ["a", 1.5],
                ["<b>", null],
              ],
            },
          ],
        },
        {
          title: "Charts",
          blocks: [
            { kind: "grid", blocks: [{ kind: "chart", svg, heading: "x", caption: "a chart" }] },
            { kind: "list", items: ["one"] },
          ],
        },
      ],
      footer: "churnkit",
    });
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain("Content-Security-Policy");
    expect(html).toContain("@media print");
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(html).toContain("Report &lt;1&gt;");
    expect(html).toContain("bad &amp; &lt;worse&gt;");
    expect(html).toContain('<td class="num">1.5</td>');
    expect(html.match(/<h2>/g)).toHaveLength(3);
    expect(html).toContain('<nav class="toc"');
    expect(html).toContain(svg);
  });
});
