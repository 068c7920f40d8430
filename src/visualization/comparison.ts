/**
 * Two distributions over the same bins, side by side: for each bin (a value range or a category), a bar of the
 * share of rows then (reference) and one of the share now (current). Drift reports draw one per drifted column.
 */
import type { TopLevelSpec } from "vega-lite";
import { ACCENT, FORMAT, PRIMARY, specBase } from "./theme.js";

/** One bin: its label and the share of each sample's rows in it. */
export interface ComparisonBin {
  /** The bin's label (a range such as "12 – 29", or a category). */
  label: string;
  /** Share of the reference rows, 0–1. */
  reference: number;
  /** Share of the current rows, 0–1. */
  current: number;
}

/** Input of {@link comparisonChart}. */
export interface ComparisonChartInput {
  /** The bins, in the order to show them (top to bottom). */
  bins: ComparisonBin[];
  /** Chart title; default none. */
  title?: string;
  /** Title of the bin axis (the column name); required. */
  binTitle: string;
  /** Names of the two samples in the legend; default "reference" and "current". */
  names?: [string, string];
  /** Plot width in pixels; default 300. */
  width?: number;
}

/** Paired horizontal bars of the share of rows per bin, reference (blue) above current (vermillion). */
export function comparisonChart(input: ComparisonChartInput): TopLevelSpec {
  const [ref, cur] = input.names ?? ["reference", "current"];
  const values = input.bins.flatMap((b, i) => [
    { label: b.label, sample: ref, share: b.reference, order: i },
    { label: b.label, sample: cur, share: b.current, order: i },
  ]);
  // eslint-disable-next-line no-restricted-syntax -- tens of bins, not rows
  const max = Math.max(0.01, ...input.bins.map((b) => Math.max(b.reference, b.current)));
  const y = { field: "label", type: "nominal" as const, title: input.binTitle, sort: input.bins.map((b) => b.label) };
  const x = {
    field: "share",
    type: "quantitative" as const,
    title: "Share of rows",
    axis: { format: FORMAT.percent },
    scale: { domain: [0, Math.min(1.25, max * 1.25)] },
  };
  const color = {
    field: "sample",
    type: "nominal" as const,
    title: null,
    scale: { domain: [ref, cur], range: [PRIMARY, ACCENT] },
    legend: { orient: "top" as const },
  };
  const yOffset = { field: "sample", type: "nominal" as const, sort: [ref, cur] };
  return {
    ...specBase(input.title, `share of rows per bin of ${input.binTitle}, ${ref} and ${cur}`),
    data: { values },
    width: input.width ?? 300,
    height: { step: 11 },
    layer: [
      { mark: { type: "bar" }, encoding: { y, x, color, yOffset } },
      {
        mark: { type: "text", align: "left", dx: 3, fontSize: 10, color: "#333" },
        encoding: { y, x, yOffset, text: { field: "share", type: "quantitative", format: FORMAT.percent1 } },
      },
    ],
  };
}
