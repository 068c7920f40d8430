/**
 * Test helper: the chart gallery, one chart of every kind in one self-contained HTML page, for the
 * browser test (tests/visualization/browser.test.ts) and for people to look at.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import {
  buildReport,
  calibrationChart,
  categoryChart,
  confusionMatrixChart,
  curveChart,
  horizonCalibrationChart,
  importanceChart,
  renderSvg,
  survivalChart,
} from "../../src/visualization/index.js";

/** A step survival curve S(t) = exp(−rate·t) observed at whole months 0..72. */
const months = Array.from({ length: 73 }, (_, t) => t);
const curve = (rate: number) => ({ time: months, survival: months.map((t) => Math.exp(-rate * t)) });

/** The gallery's charts: heading and spec. */
export function galleryCharts(): [string, TopLevelSpec][] {
  const roc = Array.from({ length: 21 }, (_, i) => ({ x: i / 20, y: Math.pow(i / 20, 0.35) }));
  return [
    [
      "ROC",
      curveChart({
        series: [
          { name: "gbdt (AUC 0.842)", points: roc },
          { name: "logreg (AUC 0.838)", points: roc.map((p) => ({ x: p.x, y: Math.pow(p.x, 0.4) })) },
        ],
        xTitle: "False positive rate",
        yTitle: "True positive rate",
        diagonal: true,
      }),
    ],
    [
      "Precision–recall",
      curveChart({
        series: [{ name: "gbdt", points: roc.map((p) => ({ x: p.y, y: 0.27 + 0.7 * (1 - p.x) ** 2 })) }],
        xTitle: "Recall",
        yTitle: "Precision",
        baseline: 0.27,
        referenceLabel: "positive rate",
      }),
    ],
    [
      "Calibration",
      calibrationChart({
        bins: Array.from({ length: 10 }, (_, i) => ({
          predicted: (i + 0.5) / 10,
          observed: Math.min(1, ((i + 0.5) / 10) * 0.9 + 0.03),
          count: 400 - 35 * i,
        })),
      }),
    ],
    [
      "Lift",
      curveChart({
        series: [
          {
            name: "gbdt",
            points: Array.from({ length: 10 }, (_, i) => ({ x: (i + 1) / 10, y: 3 / (1 + i * 0.25) })),
          },
        ],
        xTitle: "Share of customers contacted",
        yTitle: "Lift",
        yDomain: null,
        baseline: 1,
        referenceLabel: "no model",
      }),
    ],
    ["Confusion matrix", confusionMatrixChart({ tp: 280, fp: 90, tn: 945, fn: 94 })],
    [
      "Importance",
      importanceChart({
        items: [
          "Contract",
          "tenure",
          "InternetService",
          "MonthlyCharges",
          "PaymentMethod: a long encoded feature name here",
        ].map((name, i) => ({ name, value: 0.1 / (i + 1), lower: 0.08 / (i + 1), upper: 0.12 / (i + 1) })),
        xTitle: "Permutation importance (AUC drop)",
      }),
    ],
    [
      "Categories",
      categoryChart({
        categories: ["Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"].map(
          (label, i) => ({ label, count: 2365 - 400 * i, rate: 0.45 / (i + 1) }),
        ),
        categoryTitle: "PaymentMethod",
        overallRate: 0.265,
      }),
    ],
    [
      "Survival",
      survivalChart({
        series: [
          { name: "observed (Kaplan–Meier)", ...curve(0.012) },
          { name: "model (mean predicted)", ...curve(0.011), dashed: true },
        ],
        timeTitle: "tenure (months)",
      }),
    ],
    [
      "Survival by risk group",
      survivalChart({
        series: [
          { name: "low risk (470)", ...curve(0.002) },
          { name: "medium risk (469)", ...curve(0.008) },
          { name: "high risk (470)", ...curve(0.03) },
        ],
        timeTitle: "tenure (months)",
      }),
    ],
    [
      "Calibration at horizons",
      horizonCalibrationChart({
        horizons: [3, 6, 12].map((h) => ({
          name: `within ${h} months`,
          bins: Array.from({ length: 10 }, (_, i) => ({
            predicted: ((i + 0.5) / 10) * (h / 12),
            observed: ((i + 0.5) / 10) * (h / 12) * 0.95,
            count: 140,
          })),
        })),
      }),
    ],
  ];
}

/** Render the gallery into `file` (its directory is created); returns the headings, in order. */
export async function writeGallery(file: string): Promise<string[]> {
  const charts = galleryCharts();
  const blocks = await Promise.all(
    charts.map(async ([heading, spec]) => ({ kind: "chart" as const, heading, svg: await renderSvg(spec) })),
  );
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    buildReport({
      title: "churnkit chart gallery",
      sections: [{ title: "Charts", blocks: [{ kind: "grid", blocks }] }],
    }),
  );
  return charts.map(([heading]) => heading);
}
