/**
 * Horizontal bars of per-feature values (importances, associations) with optional error bars
 * (e.g. the spread of permutation importance over repeats, or a confidence interval).
 */
import type { TopLevelSpec } from "vega-lite";
import { BAR_STEP, FORMAT, PRIMARY, specBase } from "./theme.js";

/** One bar. */
export interface ImportanceItem {
  /** Feature name (long names are cut with "…"). */
  name: string;
  /** Bar length. */
  value: number;
  /** Lower and upper ends of the error bar; both or neither. */
  lower?: number;
  /** Upper end of the error bar. */
  upper?: number;
}

/** Input of {@link importanceChart}. */
export interface ImportanceChartInput {
  /** The bars to draw. */
  items: ImportanceItem[];
  /** Chart title; default none. */
  title?: string;
  /** Value axis title; default "Importance". */
  xTitle?: string;
  /** Feature axis title; default "Feature". */
  yTitle?: string;
  /** "value" sorts largest first (default); "input" keeps the given order. */
  sort?: "value" | "input";
  /** Show at most this many bars (after sorting); default 30. */
  limit?: number;
  /** Number format of the value axis and labels; default ".3~g". */
  format?: string;
  /** Plot width in pixels; default 320. */
  width?: number;
}

/** Horizontal bar chart with optional error bars. */
export function importanceChart(input: ImportanceChartInput): TopLevelSpec {
  const sorted = input.sort === "input" ? input.items : [...input.items].sort((a, b) => b.value - a.value);
  const values = sorted.slice(0, input.limit ?? 30).map((d, i) => ({ ...d, order: i }));
  const format = input.format ?? FORMAT.number;
  const y = {
    field: "name",
    type: "nominal" as const,
    title: input.yTitle ?? "Feature",
    sort: values.map((v) => v.name),
  };
  const x = { field: "value", type: "quantitative" as const, title: input.xTitle ?? "Importance", axis: { format } };
  const hasErr = values.some((d) => d.lower !== undefined && d.upper !== undefined);
  return {
    ...specBase(input.title, `bar chart of ${input.xTitle ?? "importance"} by ${input.yTitle ?? "feature"}`),
    data: { values },
    width: input.width ?? 320,
    height: { step: BAR_STEP },
    layer: [
      { mark: { type: "bar", color: PRIMARY }, encoding: { y, x } },
      ...(hasErr
        ? [
            {
              transform: [{ filter: "isValid(datum.lower) && isValid(datum.upper)" }],
              mark: { type: "rule", color: "#1a1a1a", strokeWidth: 1.5 },
              encoding: { y, x: { field: "lower", type: "quantitative" }, x2: { field: "upper" } },
            },
            {
              transform: [
                { filter: "isValid(datum.lower) && isValid(datum.upper)" },
                { fold: ["lower", "upper"], as: ["end", "at"] },
              ],
              mark: { type: "tick", color: "#1a1a1a", thickness: 1.5, size: 8 },
              encoding: { y, x: { field: "at", type: "quantitative" } },
            },
          ]
        : [
            {
              mark: { type: "text", align: "left", dx: 3, fontSize: 11, color: "#333" },
              encoding: { y, x, text: { field: "value", type: "quantitative", format } },
            },
          ]),
    ],
  } as TopLevelSpec;
}
