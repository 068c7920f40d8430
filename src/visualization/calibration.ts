/**
 * Calibration (reliability) plot: observed positive rate against mean predicted probability per
 * bin, with the perfect-calibration diagonal; point size shows the rows in each bin.
 */
import type { TopLevelSpec } from "vega-lite";
import { FORMAT, PRIMARY, REFERENCE, SERIES_COLOR, specBase } from "./theme.js";

/** One point of the plot: a probability bin's mean prediction, observed rate and size. */
export interface CalibrationPoint {
  /** Mean predicted probability of the rows in the bin, 0–1. */
  predicted: number;
  /** Observed share of positives among them, 0–1. */
  observed: number;
  /** Rows in the bin. */
  count: number;
}

/** One named line of a calibration plot with several (e.g. one per horizon). */
export interface CalibrationSeries {
  /** Legend label, e.g. "within 3 months". */
  name: string;
  /** Its bins in increasing order of `predicted`. */
  bins: CalibrationPoint[];
}

/** Input of {@link calibrationChart}. */
export interface CalibrationChartInput {
  /** Bins in increasing order of `predicted`; empty bins left out. Ignored when `series` is given. */
  bins?: CalibrationPoint[];
  /** Several lines instead of `bins`, coloured and named in a legend. */
  series?: CalibrationSeries[];
  /** Chart title; default none. */
  title?: string;
  /** Default "Mean predicted probability". */
  xTitle?: string;
  /** Default "Observed churn rate". */
  yTitle?: string;
  /** Plot size (square) in pixels; default 300. */
  size?: number;
}

/** A calibration plot. */
export function calibrationChart(input: CalibrationChartInput): TopLevelSpec {
  const many = input.series !== undefined;
  const series = input.series ?? [{ name: "", bins: input.bins ?? [] }];
  const values = series.flatMap((s, si) => s.bins.map((b) => ({ ...b, series: s.name, si })));
  const color = many ? { color: SERIES_COLOR } : {};
  const x = {
    field: "predicted",
    type: "quantitative" as const,
    title: input.xTitle ?? "Mean predicted probability",
    scale: { domain: [0, 1], nice: false },
    axis: { format: FORMAT.percent },
  };
  const y = {
    field: "observed",
    type: "quantitative" as const,
    title: input.yTitle ?? "Observed churn rate",
    scale: { domain: [0, 1], nice: false },
    axis: { format: FORMAT.percent },
  };
  return {
    ...specBase(
      input.title,
      "calibration: observed rate against mean predicted probability (dashed: perfect calibration)",
    ),
    width: input.size ?? 300,
    height: input.size ?? 300,
    layer: [
      {
        data: {
          values: [
            { predicted: 0, observed: 0 },
            { predicted: 1, observed: 1 },
          ],
        },
        mark: { type: "line", color: REFERENCE, strokeDash: [4, 3], strokeWidth: 1 },
        encoding: { x: { field: "predicted", type: "quantitative" }, y: { field: "observed", type: "quantitative" } },
      },
      {
        data: { values },
        mark: { type: "line", color: PRIMARY, strokeWidth: 2 },
        encoding: { x, y, ...color, detail: { field: "series" } },
      },
      {
        data: { values },
        mark: { type: "point", color: PRIMARY, filled: true, opacity: 0.9 },
        encoding: {
          x,
          y,
          ...color,
          size: {
            field: "count",
            type: "quantitative",
            title: "Rows",
            scale: { range: [20, 200] },
            legend: { orient: "bottom", format: FORMAT.count },
          },
        },
      },
    ],
  };
}
