/**
 * Line charts of curves: ROC, precision–recall, cumulative gains, lift. One line per series,
 * with an optional diagonal (y = x, a random model on ROC/gains) or a horizontal baseline
 * (e.g. the positive rate on a precision–recall chart).
 */
import type { TopLevelSpec } from "vega-lite";
import { FORMAT, HEIGHT, PALETTE, REFERENCE, SERIES_COLOR, specBase } from "./theme.js";

/** One point of a curve. */
export interface CurvePoint {
  /** Horizontal position. */
  x: number;
  /** Vertical position. */
  y: number;
}

/** One named curve. Points are drawn in the given order (sort them by x, or by threshold). */
export interface CurveSeries {
  /** Legend label, e.g. "gbdt (AUC 0.842)". */
  name: string;
  /** The curve's points, drawn in this order. */
  points: CurvePoint[];
  /** Draw this curve dashed (e.g. a model's prediction against the observed curve); default solid. */
  dashed?: boolean;
}

/** Input of {@link curveChart}. */
export interface CurveChartInput {
  /** One or more curves; with more than one, a legend names them. */
  series: CurveSeries[];
  /** Title of the x axis, e.g. "False positive rate"; required. */
  xTitle: string;
  /** Title of the y axis, e.g. "True positive rate"; required. */
  yTitle: string;
  /** Chart title; default none. */
  title?: string;
  /** Draw the diagonal y = x from (0,0) to (1,1), dashed; default false. */
  diagonal?: boolean;
  /** Draw a dashed horizontal rule at this y (e.g. the positive rate on a PR chart). */
  baseline?: number;
  /** Label of the reference line in the description; default "random". */
  referenceLabel?: string;
  /** Fixed x / y domains; default [0, 1] for both (curves of rates). Pass null for a data-driven domain. */
  xDomain?: [number, number] | null;
  /** Fixed y domain; default [0, 1]; null for a data-driven domain. */
  yDomain?: [number, number] | null;
  /** Axis number format; default percent when the domain is [0, 1], else a general number format. */
  xFormat?: string;
  /** Format of the y axis numbers; same default rule as `xFormat`. */
  yFormat?: string;
  /** Plot size in pixels; default 300 × 300 for unit squares, else 360 × 220. */
  width?: number;
  /** Plot height in pixels; see `width`. */
  height?: number;
  /** How points are joined: straight lines (default) or "step-after" (a step function such as a survival curve: flat until the next point). */
  interpolate?: "linear" | "step-after";
}

const unit = (d: [number, number] | null | undefined): boolean =>
  d === undefined || (d !== null && d[0] === 0 && d[1] === 1);

/** A line chart of one or more curves with optional reference lines. */
export function curveChart(input: CurveChartInput): TopLevelSpec {
  const xDomain = input.xDomain === undefined ? [0, 1] : input.xDomain;
  const yDomain = input.yDomain === undefined ? [0, 1] : input.yDomain;
  const square = unit(input.xDomain) && unit(input.yDomain);
  const dashed = input.series.some((s) => s.dashed);
  const values = input.series.flatMap((s, si) =>
    s.points.map((p, i) => ({
      series: s.name,
      si,
      i,
      x: p.x,
      y: p.y,
      ...(dashed ? { dash: s.dashed ? "dashed" : "solid" } : {}),
    })),
  );
  const dashes = dashed
    ? {
        strokeDash: {
          field: "dash",
          type: "nominal" as const,
          scale: {
            domain: ["solid", "dashed"],
            range: [
              [1, 0],
              [6, 3],
            ],
          },
          legend: null,
        },
      }
    : {};
  const many = input.series.length > 1;
  const x = {
    field: "x",
    type: "quantitative" as const,
    title: input.xTitle,
    scale: xDomain ? { domain: xDomain, nice: false } : { zero: false },
    axis: { format: input.xFormat ?? (unit(input.xDomain) ? FORMAT.percent : FORMAT.number) },
  };
  const y = {
    field: "y",
    type: "quantitative" as const,
    title: input.yTitle,
    scale: yDomain ? { domain: yDomain, nice: false } : { zero: false },
    axis: { format: input.yFormat ?? (unit(input.yDomain) ? FORMAT.percent : FORMAT.number) },
  };
  const color = many ? SERIES_COLOR : { value: PALETTE[0] };
  const layers: object[] = [
    {
      data: { values },
      mark: { type: "line" as const, strokeWidth: 2, interpolate: input.interpolate ?? "linear" },
      encoding: {
        x,
        y,
        color,
        ...dashes,
        order: { field: "i", type: "quantitative" as const },
        detail: { field: "series" },
      },
    },
  ];
  if (input.diagonal) {
    layers.unshift({
      data: {
        values: [
          { x: 0, y: 0 },
          { x: 1, y: 1 },
        ],
      },
      mark: { type: "line" as const, color: REFERENCE, strokeDash: [4, 3], strokeWidth: 1 },
      encoding: { x: { field: "x", type: "quantitative" as const }, y: { field: "y", type: "quantitative" as const } },
    });
  }
  if (input.baseline !== undefined) {
    layers.unshift({
      data: { values: [{ b: input.baseline }] },
      mark: { type: "rule" as const, color: REFERENCE, strokeDash: [4, 3] },
      encoding: { y: { field: "b", type: "quantitative" as const } },
    });
  }
  const ref = input.diagonal || input.baseline !== undefined ? ` (dashed: ${input.referenceLabel ?? "random"})` : "";
  return {
    ...specBase(input.title, `${input.yTitle} against ${input.xTitle}${ref}`),
    width: input.width ?? (square ? 300 : 360),
    height: input.height ?? (square ? 300 : HEIGHT),
    layer: layers,
  } as TopLevelSpec;
}
