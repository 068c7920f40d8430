/**
 * A heatmap of a matrix (correlations by default): coloured cells with their values written in,
 * diverging blue–orange colours (colour-blind safe) centred on zero.
 */
import type { TopLevelSpec } from "vega-lite";
import { FORMAT, specBase } from "./theme.js";

/** Input of {@link heatmapChart}. */
export interface HeatmapInput {
  /** Row labels (y axis, top to bottom). */
  rows: string[];
  /** Column labels (x axis, left to right). */
  columns: string[];
  /** values[i][j] is the cell of rows[i] and columns[j]; null for "not defined" (drawn grey, no text). */
  values: (number | null)[][];
  /** Chart title; default none. */
  title?: string;
  /** Legend title, e.g. "Pearson r"; required. */
  valueTitle: string;
  /** Axis titles; default "Column" for both. */
  xTitle?: string;
  /** Title of the y axis; default "Column". */
  yTitle?: string;
  /** Colour domain; default [-1, 1]. */
  domain?: [number, number];
  /** Vega colour scheme; default "blueorange" (diverging). Use a sequential one (e.g. "blues") for non-negative data. */
  scheme?: string;
  /** Format of the numbers in the cells; default ".2f". */
  format?: string;
  /** Cell size in pixels; default chosen from the number of cells (28–48). */
  cell?: number;
}

/** A matrix heatmap with values written in the cells. */
export function heatmapChart(input: HeatmapInput): TopLevelSpec {
  const domain = input.domain ?? [-1, 1];
  const values = input.rows.flatMap((r, i) =>
    input.columns.map((c, j) => ({ row: r, col: c, i, j, v: input.values[i]?.[j] ?? null })),
  );
  const n = Math.max(input.rows.length, input.columns.length);
  const cell = input.cell ?? Math.max(28, Math.min(48, Math.floor(480 / Math.max(n, 1))));
  // eslint-disable-next-line no-restricted-syntax -- the columns of one heatmap
  const longest = Math.max(0, ...input.columns.map((c) => c.length));
  const x = {
    field: "col",
    type: "nominal" as const,
    title: input.xTitle ?? "Column",
    sort: input.columns,
    axis: { labelAngle: longest > 3 ? -40 : 0, labelLimit: 140, labelOverlap: false },
  };
  const y = {
    field: "row",
    type: "nominal" as const,
    title: input.yTitle ?? "Column",
    sort: input.rows,
    axis: { labelLimit: 140, labelOverlap: false },
  };
  const mid = (domain[0] + domain[1]) / 2;
  const half = (domain[1] - domain[0]) / 2;
  return {
    ...specBase(input.title, `heatmap of ${input.valueTitle}`),
    data: { values },
    width: { step: cell },
    height: { step: cell },
    layer: [
      {
        mark: { type: "rect", stroke: "white", strokeWidth: 1 },
        encoding: {
          x,
          y,
          color: {
            condition: { test: "datum.v === null", value: "#eeeeee" },
            field: "v",
            type: "quantitative",
            title: input.valueTitle,
            scale: { scheme: input.scheme ?? "blueorange", domain, clamp: true },
            legend: { gradientLength: Math.min(200, cell * input.rows.length), format: FORMAT.corr },
          },
        },
      },
      {
        transform: [{ filter: "datum.v !== null" }],
        mark: { type: "text", fontSize: cell >= 36 ? 11 : 10.5 },
        encoding: {
          x,
          y,
          text: { field: "v", type: "quantitative", format: input.format ?? FORMAT.corr },
          color: { condition: { test: `abs(datum.v - ${mid}) > ${0.6 * half}`, value: "white" }, value: "#1a1a1a" },
        },
      },
    ],
  } as TopLevelSpec;
}
