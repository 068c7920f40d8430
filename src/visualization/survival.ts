/**
 * The survival charts of the model report: survival curves drawn as steps (the data's Kaplan–Meier
 * curve against the model's mean prediction, or one curve per risk group) and calibration at one
 * or more horizons. Data in (times, survival, bins as computed by src/evaluation/survival-curves.ts),
 * Vega-Lite spec out, on the shared curve and calibration charts.
 */
import type { TopLevelSpec } from "vega-lite";
import { calibrationChart, type CalibrationPoint } from "./calibration.js";
import { curveChart } from "./curve.js";

/** One survival curve: S at each time, drawn as a step function. */
export interface SurvivalSeries {
  /** Legend label, e.g. "observed (Kaplan–Meier)" or "high risk (1,204 customers)". */
  name: string;
  /** Times, ascending (the first usually 0). */
  time: ArrayLike<number>;
  /** Survival at each time, 0–1: the value holds until the next time. */
  survival: ArrayLike<number>;
  /** Draw it dashed (a model's prediction against observed curves); default solid. */
  dashed?: boolean;
}

/** Input of {@link survivalChart}. */
export interface SurvivalChartInput {
  /** One or more curves; with more than one, a legend names them. */
  series: SurvivalSeries[];
  /** Title of the time axis, e.g. "tenure (months)"; default "Time". */
  timeTitle?: string;
  /** Title of the survival axis; default "Share still a customer". */
  yTitle?: string;
  /** Chart title; default none. */
  title?: string;
  /** Plot width in pixels; default 360. */
  width?: number;
  /** Plot height in pixels; default 220. */
  height?: number;
}

/** Survival curves as steps over time, the survival axis from 0 to 100%. */
export function survivalChart(input: SurvivalChartInput): TopLevelSpec {
  let lo = 0;
  let hi = 0;
  const series = input.series.map((s) => {
    if (s.time.length !== s.survival.length)
      throw new Error(`survival chart: "${s.name}" has ${s.time.length} times and ${s.survival.length} values`);
    const points = Array.from({ length: s.time.length }, (_, i) => ({ x: s.time[i]!, y: s.survival[i]! }));
    for (const p of points) {
      lo = Math.min(lo, p.x);
      hi = Math.max(hi, p.x);
    }
    return { name: s.name, points, ...(s.dashed ? { dashed: true } : {}) };
  });
  return curveChart({
    series,
    xTitle: input.timeTitle ?? "Time",
    yTitle: input.yTitle ?? "Share still a customer",
    ...(input.title ? { title: input.title } : {}),
    xDomain: [lo, hi > lo ? hi : lo + 1],
    yDomain: [0, 1],
    xFormat: ",.4~g",
    yFormat: ".0%",
    width: input.width ?? 360,
    height: input.height ?? 220,
    interpolate: "step-after",
  });
}

/** The calibration bins of one horizon. */
export interface HorizonCalibrationSeries {
  /** Legend label, e.g. "within 3 months". */
  name: string;
  /** Bins in increasing order of prediction: mean predicted churn within the horizon, observed (Kaplan–Meier) churn within it, rows. */
  bins: CalibrationPoint[];
}

/** Input of {@link horizonCalibrationChart}. */
export interface HorizonCalibrationChartInput {
  /** One line per horizon. */
  horizons: HorizonCalibrationSeries[];
  /** Chart title; default none. */
  title?: string;
}

/**
 * Calibration of the predicted churn within each horizon: mean prediction per bin against the
 * churn observed by the horizon (Kaplan–Meier, so censored rows count), with the diagonal.
 */
export function horizonCalibrationChart(input: HorizonCalibrationChartInput): TopLevelSpec {
  return calibrationChart({
    series: input.horizons,
    xTitle: "Predicted churn within the horizon",
    yTitle: "Observed churn within it (Kaplan–Meier)",
    ...(input.title ? { title: input.title } : {}),
  });
}
