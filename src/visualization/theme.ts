/**
 * The shared look of every churnkit chart: one Vega-Lite config (font sizes of at least 11 px,
 * muted grid, titles on the left) and the Okabe–Ito palette, which stays distinguishable for the
 * common kinds of colour blindness.
 */
import type { Config } from "vega-lite";

/** Okabe–Ito colours, in the order charts use them for series. */
export const PALETTE = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#F0E442",
  "#000000",
] as const;

/** Main bar/line colour (blue). */
export const PRIMARY = PALETTE[0];
/** Colour of churn rates and of things that stand out against {@link PRIMARY} (vermillion). */
export const ACCENT = PALETTE[1];
/** Colour of reference lines (diagonals, overall rates). */
export const REFERENCE = "#6b6b6b";

/** System font stack: no web fonts, so nothing is fetched. */
export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/** Default plot width and height in pixels (the data area, without axes). */
export const WIDTH = 360;
/** Default plot height in pixels (see {@link WIDTH}). */
export const HEIGHT = 220;
/** Height of one bar in horizontal bar charts, pixels. */
export const BAR_STEP = 20;
/** Longest axis label in pixels before it is cut with "…" (long category names). */
export const LABEL_LIMIT = 180;

/** The Vega-Lite config every chart carries. */
export const THEME: Config = {
  font: FONT,
  background: "white",
  padding: 10,
  view: { stroke: null, continuousWidth: WIDTH, continuousHeight: HEIGHT },
  title: {
    fontSize: 14,
    fontWeight: 600,
    anchor: "start",
    offset: 10,
    color: "#1a1a1a",
    subtitleFontSize: 12,
    subtitleColor: "#555",
  },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 600,
    titleColor: "#222",
    labelColor: "#333",
    labelLimit: LABEL_LIMIT,
    titlePadding: 8,
    gridColor: "#e6e6e6",
    domainColor: "#8a8a8a",
    tickColor: "#8a8a8a",
  },
  axisQuantitative: { labelOverlap: "parity" },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 600, labelLimit: LABEL_LIMIT },
  header: { labelFontSize: 12, titleFontSize: 12 },
  text: { fontSize: 11, font: FONT },
  range: { category: [...PALETTE] },
  bar: { color: PRIMARY },
  line: { color: PRIMARY, strokeWidth: 2 },
  point: { color: PRIMARY, filled: true, size: 40 },
  rule: { color: REFERENCE },
  concat: { spacing: 24 },
};

/** Vega format strings used across charts. */
export const FORMAT = { percent: ".0%", percent1: ".1%", count: ",d", number: ",.3~g", corr: ".2f" } as const;

/** The top-level fields every chart spec starts with: schema, theme, title and description. */
export function specBase(title: string | undefined, description: string | undefined) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: THEME,
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
  };
}

/** Colour encoding of a chart with several named series: the palette in series order (field `si`), legend below. */
export const SERIES_COLOR = {
  field: "series",
  type: "nominal" as const,
  title: null,
  scale: { range: [...PALETTE] },
  sort: { field: "si" },
  legend: { orient: "bottom" as const, direction: "vertical" as const },
};
