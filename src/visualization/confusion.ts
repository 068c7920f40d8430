/**
 * A confusion matrix: a 2 × 2 grid (actual × predicted) with counts and shares of all rows,
 * shaded by count.
 */
import type { TopLevelSpec } from "vega-lite";
import { specBase } from "./theme.js";

/** Input of {@link confusionMatrixChart}. */
export interface ConfusionInput {
  /** True positives (row counts, as are the three below). */
  tp: number;
  /** False positives. */
  fp: number;
  /** True negatives. */
  tn: number;
  /** False negatives. */
  fn: number;
  /** Label of the positive class; default "Churn". */
  positiveLabel?: string;
  /** Label of the negative class; default "No churn". */
  negativeLabel?: string;
  /** Chart title; default none. */
  title?: string;
  /** Cell size in pixels; default 110. */
  cell?: number;
}

/** A 2 × 2 confusion-matrix grid. */
export function confusionMatrixChart(input: ConfusionInput): TopLevelSpec {
  const pos = input.positiveLabel ?? "Churn";
  const neg = input.negativeLabel ?? "No churn";
  const total = input.tp + input.fp + input.tn + input.fn || 1;
  const cells = [
    { actual: pos, predicted: pos, n: input.tp, kind: "true positive" },
    { actual: pos, predicted: neg, n: input.fn, kind: "false negative" },
    { actual: neg, predicted: pos, n: input.fp, kind: "false positive" },
    { actual: neg, predicted: neg, n: input.tn, kind: "true negative" },
  ].map((c) => ({
    ...c,
    share: c.n / total,
    label: `${c.n.toLocaleString("en")} (${((100 * c.n) / total).toFixed(1)}%)`,
  }));
  // eslint-disable-next-line no-restricted-syntax -- four cells
  const max = Math.max(...cells.map((c) => c.n), 1); // four cells
  const x = {
    field: "predicted",
    type: "nominal" as const,
    title: "Predicted",
    sort: [pos, neg],
    axis: { orient: "top" as const, labelAngle: 0 },
  };
  const y = { field: "actual", type: "nominal" as const, title: "Actual", sort: [pos, neg] };
  const cell = input.cell ?? 110;
  return {
    ...specBase(input.title, "confusion matrix: actual against predicted class"),
    data: { values: cells },
    width: { step: cell },
    height: { step: cell * 0.7 },
    layer: [
      {
        mark: { type: "rect", stroke: "white", strokeWidth: 2 },
        encoding: {
          x,
          y,
          color: {
            field: "n",
            type: "quantitative",
            title: "Rows",
            scale: { scheme: "blues", domain: [0, max] },
            legend: null,
          },
        },
      },
      {
        mark: { type: "text", fontSize: 13, fontWeight: 600, dy: -8 },
        encoding: {
          x,
          y,
          text: { field: "label" },
          color: { condition: { test: `datum.n > ${max * 0.55}`, value: "white" }, value: "#1a1a1a" },
        },
      },
      {
        mark: { type: "text", fontSize: 11, dy: 10 },
        encoding: {
          x,
          y,
          text: { field: "kind" },
          color: { condition: { test: `datum.n > ${max * 0.55}`, value: "white" }, value: "#333" },
        },
      },
    ],
  };
}
