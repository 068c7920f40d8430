/**
 * Charts (data in → Vega-Lite spec out), rendering to SVG in Node, and a self-contained HTML
 * report builder.
 */
export { categoryChart, type CategoryChartInput, type CategoryDatum } from "./category.js";
export { histogramChart, type HistogramBin, type HistogramInput, type RateBin } from "./histogram.js";
export { curveChart, type CurveChartInput, type CurvePoint, type CurveSeries } from "./curve.js";
export {
  calibrationChart,
  type CalibrationPoint,
  type CalibrationChartInput,
  type CalibrationSeries,
} from "./calibration.js";
export {
  horizonCalibrationChart,
  survivalChart,
  type HorizonCalibrationChartInput,
  type HorizonCalibrationSeries,
  type SurvivalChartInput,
  type SurvivalSeries,
} from "./survival.js";
export { heatmapChart, type HeatmapInput } from "./heatmap.js";
export { importanceChart, type ImportanceChartInput, type ImportanceItem } from "./importance.js";
export { confusionMatrixChart, type ConfusionInput } from "./confusion.js";
export { renderSvg, toVega, uniquifyIds, type RenderOptions } from "./render.js";
export { buildReport, escapeHtml, type Block, type ReportInput, type Section, type TableBlock } from "./report.js";
export { ACCENT, PALETTE, PRIMARY, THEME } from "./theme.js";
