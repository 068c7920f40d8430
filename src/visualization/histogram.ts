/**
 * A histogram of pre-binned numeric data (bins computed elsewhere, e.g. in SQL), optionally with
 * a second panel below: the churn rate per bin (for example per quantile bin), on the same x scale.
 */
import type { TopLevelSpec } from "vega-lite";
import { ACCENT, FORMAT, PRIMARY, REFERENCE, specBase, WIDTH } from "./theme.js";

/** One histogram bar: rows with start ≤ value < end (the last bin includes its end). */
export interface HistogramBin {
  /** Lower edge of the bin. */
  start: number;
  /** Upper edge of the bin. */
  end: number;
  /** Rows in the bin. */
  count: number;
}

/** One churn-rate bin: the rate of positives among rows with values in [start, end]. */
export interface RateBin {
  /** Lower edge of the bin. */
  start: number;
  /** Upper edge of the bin. */
  end: number;
  /** Share of positive rows, 0–1. */
  rate: number;
  /** Rows in the bin (for the reader; not drawn). */
  count?: number;
}

/** Input of {@link histogramChart}. */
export interface HistogramInput {
  /** Histogram bars, in increasing order of `start`. */
  bins: HistogramBin[];
  /** Title of the value axis (the column name); required. */
  xTitle: string;
  /** Title of the count axis; default "Rows". */
  yTitle?: string;
  /** Chart title; default none. */
  title?: string;
  /** Churn rate per bin, drawn as a second panel (a level per bin range, points at the middles). */
  rateBins?: RateBin[];
  /** Title of the rate axis; default "Churn rate". */
  rateTitle?: string;
  /** Overall positive rate, a dashed rule on the rate panel. */
  overallRate?: number;
  /** The values are whole numbers: axis ticks only at whole numbers. Default false. */
  integer?: boolean;
  /** Plot width in pixels; default 360. */
  width?: number;
}

/** A histogram, plus the churn rate per bin when `rateBins` is given. */
export function histogramChart(input: HistogramInput): TopLevelSpec {
  const width = input.width ?? WIDTH;
  const xs = [
    ...input.bins.flatMap((b) => [b.start, b.end]),
    ...(input.rateBins ?? []).flatMap((b) => [b.start, b.end]),
  ];
  // eslint-disable-next-line no-restricted-syntax -- bin edges: tens, not rows
  const domain = xs.length ? [Math.min(...xs), Math.max(...xs)] : undefined; // bin edges: tens, not rows
  const scale = domain && domain[0] !== domain[1] ? { domain, nice: false, zero: false } : { zero: false };
  const axis = input.integer ? { tickMinStep: 1, format: ",d" } : {};
  const hist = {
    width,
    height: input.rateBins ? 160 : 220,
    data: { values: input.bins },
    mark: { type: "rect" as const, color: PRIMARY, stroke: "white", strokeWidth: 0.5 },
    encoding: {
      x: { field: "start", type: "quantitative" as const, title: input.xTitle, scale, axis },
      x2: { field: "end" },
      y: { field: "count", type: "quantitative" as const, title: input.yTitle ?? "Rows", axis: { tickMinStep: 1 } },
      y2: { datum: 0 },
    },
  };
  const base = specBase(input.title, `histogram of ${input.xTitle}`);
  if (!input.rateBins?.length) return { ...base, ...hist };
  const values = input.rateBins.map((b) => ({ ...b, mid: (b.start + b.end) / 2 }));
  const x = { field: "start", type: "quantitative" as const, title: input.xTitle, scale, axis };
  const y = {
    field: "rate",
    type: "quantitative" as const,
    title: input.rateTitle ?? "Churn rate",
    axis: { format: FORMAT.percent },
    scale: { domainMin: 0 },
  };
  const rate = {
    width,
    height: 120,
    data: { values },
    layer: [
      {
        mark: { type: "line" as const, color: ACCENT, strokeWidth: 1, opacity: 0.6 },
        encoding: { x: { ...x, field: "mid" }, y },
      },
      { mark: { type: "rule" as const, color: ACCENT, strokeWidth: 3 }, encoding: { x, x2: { field: "end" }, y } },
      {
        mark: { type: "point" as const, color: ACCENT, filled: true, size: 30 },
        encoding: { x: { ...x, field: "mid" }, y },
      },
      ...(input.overallRate !== undefined
        ? [
            {
              data: { values: [{ overall: input.overallRate }] },
              mark: { type: "rule" as const, color: REFERENCE, strokeDash: [4, 3] },
              encoding: { y: { field: "overall", type: "quantitative" as const } },
            },
          ]
        : []),
    ],
  };
  return { ...base, vconcat: [hist, rate], spacing: 12 };
}
