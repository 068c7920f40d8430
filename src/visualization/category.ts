/**
 * Categories with their row counts and churn rates: two horizontal bar panels sharing the
 * category axis (rows on the left, churn rate on the right, with the overall rate as a dashed rule).
 */
import type { TopLevelSpec } from "vega-lite";
import { ACCENT, BAR_STEP, FORMAT, PRIMARY, REFERENCE, specBase } from "./theme.js";

/** One category (bar). */
export interface CategoryDatum {
  /** Category label as shown on the axis (long labels are cut with "…"). */
  label: string;
  /** Rows in this category. */
  count: number;
  /** Share of positive (churned) rows in this category, 0–1; null or absent when unknown. */
  rate?: number | null;
}

/** Input of {@link categoryChart}. */
export interface CategoryChartInput {
  /** The bars, in the order to show them (unless `sort` says otherwise). */
  categories: CategoryDatum[];
  /** Chart title; default none. */
  title?: string;
  /** Title of the category axis; default "Category". */
  categoryTitle?: string;
  /** Title of the count axis; default "Rows". */
  countTitle?: string;
  /** Title of the rate axis; default "Churn rate". */
  rateTitle?: string;
  /** Overall positive rate, drawn as a dashed reference rule on the rate panel; default none. */
  overallRate?: number;
  /** "input" keeps the given order (e.g. ordered bins); "count" sorts by count, largest first. Default "input". */
  sort?: "input" | "count";
  /** Width of each panel in pixels; default 170 with rates, 360 without. */
  width?: number;
}

/** Horizontal bars of category counts, with a churn-rate panel when any category has a rate. */
export function categoryChart(input: CategoryChartInput): TopLevelSpec {
  const cats = input.sort === "count" ? [...input.categories].sort((a, b) => b.count - a.count) : input.categories;
  const values = cats.map((c, i) => ({ label: c.label, count: c.count, rate: c.rate ?? null, order: i }));
  const withRate = values.some((v) => v.rate !== null);
  // Headroom past the longest bar for its value label.
  // eslint-disable-next-line no-restricted-syntax -- the categories of one chart (capped)
  const maxCount = Math.max(1, ...values.map((v) => v.count));
  // eslint-disable-next-line no-restricted-syntax -- the categories of one chart (capped)
  const maxRate = Math.max(0.01, ...values.map((v) => v.rate ?? 0), input.overallRate ?? 0);
  const width = input.width ?? (withRate ? 170 : 360);
  const yTitle = input.categoryTitle ?? "Category";
  const y = { field: "label", type: "nominal" as const, title: yTitle, sort: values.map((v) => v.label) };
  const counts = {
    width,
    height: { step: BAR_STEP },
    layer: [
      {
        mark: { type: "bar" as const, color: PRIMARY },
        encoding: {
          y,
          x: {
            field: "count",
            type: "quantitative" as const,
            title: input.countTitle ?? "Rows",
            scale: { domain: [0, maxCount * 1.22] },
          },
        },
      },
      {
        mark: { type: "text" as const, align: "left" as const, dx: 3, fontSize: 11, color: "#333" },
        encoding: {
          y,
          x: { field: "count", type: "quantitative" as const },
          text: { field: "count", type: "quantitative" as const, format: FORMAT.count },
        },
      },
    ],
  };
  const base = { ...specBase(input.title, `bar chart of ${yTitle}`), data: { values } };
  if (!withRate) return { ...base, ...counts };
  const yRate = { ...y, axis: { labels: false, ticks: false, title: null, domain: false } };
  const rateX = {
    field: "rate",
    type: "quantitative" as const,
    title: input.rateTitle ?? "Churn rate",
    axis: { format: FORMAT.percent },
    scale: { domain: [0, Math.min(1.2, maxRate * 1.3)] },
  };
  const rate = {
    width,
    height: { step: BAR_STEP },
    layer: [
      { mark: { type: "bar" as const, color: ACCENT }, encoding: { y: yRate, x: rateX } },
      {
        mark: { type: "text" as const, align: "left" as const, dx: 3, fontSize: 11, color: "#333" },
        encoding: {
          y: yRate,
          x: { field: "rate", type: "quantitative" as const },
          text: { field: "rate", type: "quantitative" as const, format: FORMAT.percent1 },
        },
      },
      ...(input.overallRate !== undefined
        ? [
            {
              data: { values: [{ overall: input.overallRate }] },
              mark: { type: "rule" as const, color: REFERENCE, strokeDash: [4, 3], strokeWidth: 1.5 },
              encoding: { x: { field: "overall", type: "quantitative" as const } },
            },
          ]
        : []),
    ],
  };
  return { ...base, hconcat: [counts, rate], spacing: 30 };
}
